// A finished run brought back from its saved method state (the adapter folder written at the end of the
// run) on its base model: class probabilities for new texts after a restart (the GUI's Try it tab).
// Torch-free header.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "train/trainer.h"

namespace pw {

class SavedRun {
 public:
  // Loads `config.model` (with the run's random weights when config.randomInit, same seed) and the method
  // state in `adapterDir`. Throws pw::Error naming what is missing.
  SavedRun(const TrainConfig& config, const std::string& adapterDir);
  ~SavedRun();
  SavedRun(const SavedRun&) = delete;
  SavedRun& operator=(const SavedRun&) = delete;

  const std::vector<std::string>& classes() const;
  // One row of class probabilities (summing to 1) per text.
  std::vector<std::vector<double>> probabilities(const std::vector<std::string>& texts);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pw
