// A run's curves as a TensorBoard log (the CLI's --tensorboard DIR): per step train/loss and train/lr, per
// validation pass validation/loss and validation/accuracy (%), at the end test/id_accuracy, test/ood_accuracy
// (and test/ood_accuracy/<name> for further OOD sets) and the configuration as text. Torch-free.
#pragma once
#include <memory>
#include <string>

#include "train/trainer.h"

namespace pw {

namespace results {
class EventFileWriter;
}

class TensorBoardLog {
 public:
  // Writes to a new event file in `dir` (one folder per run: TensorBoard names runs by folder).
  TensorBoardLog(const std::string& dir, const TrainConfig& config);
  ~TensorBoardLog();
  const std::string& path() const;
  // Wraps `inner`: each event is logged, then passed on.
  TrainCallbacks wrap(TrainCallbacks inner);

 private:
  std::unique_ptr<results::EventFileWriter> writer_;
  int64_t lastStep_ = 0;
};

// A folder name for a run under a TensorBoard root: the label with runs of other characters as one '_', the
// seed unless the label names it, and the run's id when it has one ("lora_r=8_seed_1-run12").
std::string tensorBoardRunFolder(const std::string& label, uint64_t seed, int64_t runId);

}  // namespace pw
