// One experiment API for the CLI's compare / sweep and the window's queue and sweep tab: configurations
// (methods, or values of one knob) expanded over seeds into the runs to train, in the order they run, each
// arm labelled the same way everywhere. Torch-free.
//
//   auto arms = expandArms(methodConfigurations(base, {"lp", "lora"}), 3);   // 2 arms x seeds 1, 2, 3
//   for (const TrainConfig& c : allRuns(arms)) ...                          // arm-major
#pragma once
#include <string>
#include <vector>

#include "train/trainer.h"

namespace pw {

struct ExperimentArm {
  std::string label;      // "lora r=8" (methods/knob_label: the size knob and the knobs not at default)
  std::string method;
  std::string knobValue;  // the swept value ("" when arms are methods)
  std::vector<TrainConfig> runs;  // one per seed: the configuration's seed, then the next ones
};

// One configuration per method from `base`: each keeps only the knobs of base.knobs that it has.
std::vector<TrainConfig> methodConfigurations(const TrainConfig& base, const std::vector<std::string>& methods);
// One configuration per value of `knob` (CLI spelling "adapter-size" accepted) of base.method.
std::vector<TrainConfig> sweepConfigurations(const TrainConfig& base, const std::string& knob,
                                             const std::vector<std::string>& values);

// Each configuration as an arm of `seeds` runs (seeds 1..20). With `knob`, arms carry that knob's value.
std::vector<ExperimentArm> expandArms(const std::vector<TrainConfig>& configurations, int seeds,
                                      const std::string& knob = "");
std::vector<TrainConfig> allRuns(const std::vector<ExperimentArm>& arms);  // arm-major, seeds in order

}  // namespace pw
