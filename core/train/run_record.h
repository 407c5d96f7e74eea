// Records a training run into the results database as it goes: the run row before training, curve points
// while it trains (train_loss, lr, tokens_per_s per step; val_loss, val_acc per evaluation), the finals at
// the end. Used by the CLI and the GUI's worker alike. Torch-free.
#pragma once
#include <string>

#include "results/results_db.h"
#include "train/trainer.h"

namespace pw {

class RunRecorder {
 public:
  // Inserts the run row now. `batch` groups the runs of one compare / sweep / GUI queue.
  RunRecorder(results::ResultsDb& db, const TrainConfig& config, const std::string& batch = "");

  int64_t runId() const { return record_.id; }
  // Wraps `inner`: each event is recorded, then passed on.
  TrainCallbacks wrap(TrainCallbacks inner);
  // Called by the wrapped onEnd; also usable directly (idempotent).
  void finish(const RunResult& result);

 private:
  results::ResultsDb& db_;
  results::RunRecord record_;
  bool finished_ = false;
};

// The run row a config starts as (status "running", metrics absent).
results::RunRecord runRecordFor(const TrainConfig& config, const std::string& batch);

}  // namespace pw
