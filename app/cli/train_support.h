// What `train`, `compare` and `sweep` share: the training options, building a TrainConfig from them, and
// running one configuration with progress output, Ctrl+C handling and recording into the results database.
#pragma once
#include <string>
#include <vector>

#include "command.h"
#include "results/results_db.h"
#include "train/trainer.h"
#include "util/csv_write.h"  // csvField for the compare CSVs
#include "util/split.h"

namespace pw::cli {

const std::vector<std::string>& trainOptions();  // --model --task --epochs --lr ... (with the method knobs)
const std::vector<std::string>& trainFlags();    // --random-init --cosine --no-db

// The preset (default "standard") first, then every option given on top of it.
TrainConfig trainConfigFromArgs(const Args& args, const std::string& method);

// The results database the arguments ask for (--db FILE, default location), or none with --no-db.
std::unique_ptr<results::ResultsDb> openResultsDb(const Args& args);

struct CurveRow {
  std::string series;
  int64_t step;
  double epoch;
  int stage;
  double value;
};

struct RunOutcome {
  RunResult result;
  int64_t runId = 0;             // 0 without a database
  uint64_t seed = 0;
  std::vector<CurveRow> curves;  // everything the run reported
};

using ::pw::splitList;  // util/split.h

// --tensorboard DIR: every later run writes a TensorBoard log into DIR/<label>-seed<S>-run<id>/ ("": none).
void setTensorBoardRoot(const std::string& dir);
// Side-by-side runs: progress as whole lines (no redrawn bar), each prefixed by its run's label.
void setProgressLines(bool on);
// --parallel N | auto (the default: one run per core, at most `runs`): how many runs go side by side.
int parallelRuns(const Args& a, size_t runs);

// Runs one configuration. `label` prefixes the progress ("lora r=8, seed 1"); quiet: no progress output.
// Ctrl+C stops the run (recorded as cancelled) and sets interrupted(); a second Ctrl+C quits.
// showTest false: the closing line shows the validation accuracy instead of ID / OOD (`tune` stays blind).
RunOutcome runWithProgress(const TrainConfig& config, results::ResultsDb* db, const std::string& batch,
                           const std::string& label, bool quiet, bool showTest = true);
bool interrupted();

// "lora r=8 alpha=8", "prompt k=20", "ft": the method and its size knobs in short form.
std::string shortLabel(const std::string& method, const nlohmann::json& knobs);
// A fresh batch id: "cli-compare-20261123-101500".
std::string newBatchId(const std::string& kind);
std::string percent(double fraction);  // 0.8123 -> "81.2"; negative -> "-"

}  // namespace pw::cli
