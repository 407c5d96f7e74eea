// Learning-rate tuning on the validation split only: a log grid x seeds of ordinary runs, scored by the mean
// validation accuracy over seeds with its standard error, widened when the best point sits on an edge, and a
// stated rule for the choice. Torch-free (the GUI and the CLI include it).
//
//   TuneRequest q; q.base = applyPreset(config, "quick"); q.rates = {"lr"}; q.seeds = 2;
//   TuneResult t = tuneLearningRate(q, callbacks);   // t.passes[0].points: the table; t.tuned: the choice
//
// The tuner never sees a test or OOD number: a run reaches it only through scoreRun, which takes the run's
// status and its validation metrics, nothing else.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "results/results_db.h"
#include "train/trainer.h"
#include "util/run_status.h"

namespace pw {

// One seed's run at one grid point, as the tuner keeps it: validation accuracy and bookkeeping only.
struct TuneSeedRun {
  uint64_t seed = 0;
  int64_t runId = 0;               // in the results database; 0 when not recorded
  RunStatus status = RunStatus::Finished;  // Finished, Failed or Cancelled
  std::string error;
  double validationAccuracy = -1;  // -1 unless finished
};

// The one place a run's outcome becomes a score: its status and its validation metrics, nothing else.
TuneSeedRun scoreRun(uint64_t seed, int64_t runId, RunStatus status, const std::string& error,
                     const SplitMetrics& validation);

struct TunePoint {
  double rate = 0;
  std::vector<TuneSeedRun> runs;  // one per seed
};

// Mean and standard error of the mean (sample standard deviation / sqrt(n); 0 when n < 2).
struct MeanSe {
  int n = 0;
  double mean = 0, se = 0;
};
MeanSe meanSe(const std::vector<double>& values);

struct PointScore {
  double rate = 0;
  MeanSe validation;      // over the point's finished seeds
  int failed = 0;         // runs that did not finish (a diverged rate, say)
  bool eligible = false;  // every seed finished: only these can be best or chosen
};

// The pure selection rule (no training): see tuneRuleText().
struct RateChoice {
  std::vector<PointScore> points;  // sorted by rate, duplicates merged
  int best = -1;                   // index of the highest mean (ties: the smaller rate); -1: nothing eligible
  int chosen = -1;                 // the smallest eligible rate whose mean >= best mean - best SE
  double threshold = 0;            // best mean - best SE
  bool bestOnLowEdge = false, bestOnHighEdge = false;  // best is the grid's smallest / largest rate
  bool onEdge() const { return bestOnLowEdge || bestOnHighEdge; }
};
RateChoice chooseRate(const std::vector<TunePoint>& points);

// The rule in words, as the CLI prints it and the GUI can show it.
std::string tuneRuleText(int maxWidenings);

// `rate` moved by `halfDecades` half-decade steps (x 10^(k/2)); a result within 6% of 1 or 3 x 10^e is
// snapped to it, so 3e-4 steps to 1e-3 and 3e-3, not 9.49e-4 and 3.00e-3.
double halfDecadeStep(double rate, int halfDecades);
// `points` rates centred on `centre`, half a decade apart: 1e-3 -> 1e-4, 3e-4, 1e-3, 3e-3, 1e-2.
constexpr int kTuneGridPoints = 5;  // a default grid's rates: with the seeds, the runs of one round
std::vector<double> defaultTuneGrid(double centre, int points = kTuneGridPoints);
// 3e-4 -> "3e-4", 3.16e-3 -> "3.16e-3", 0.01 -> "1e-2".
std::string rateText(double rate);

// Which rate a pass tunes: "lr" (the body's, TrainConfig::lr), "head_lr" (TrainConfig::headLr), or a knob
// that scales a stage's rates (LP-FT's "lr_factor": its stage 2 at FT's rates times the factor), which lives
// in TrainConfig::knobs and keeps its knob's range.
const std::vector<std::string>& tunableRates();                         // lr, head_lr: every method's
std::vector<std::string> tunableRatesOf(const std::string& method);     // ... and its rate-factor knobs
double rateOf(const TrainConfig& config, const std::string& rateName);  // lr: effectiveLr(); a knob: its value
void setRate(TrainConfig& config, const std::string& rateName, double value);
bool rateInRange(const std::string& method, const std::string& rateName, double value);  // a knob's min < v <= max

struct TuneRequest {
  TrainConfig base;                       // model, task, method, knobs, preset, precision, first seed
  std::vector<std::string> rates = {"lr"};  // passes in order; a later pass keeps the earlier choices
  std::vector<double> grid;               // the first pass's grid; empty (and every later pass): the default
                                          // grid around the config's current rate (the method's default)
  int seeds = 2;                          // per point: base.seed, base.seed + 1, ...; at least 2
  int maxWidenings = 2;                   // times an edge may be widened by two half-decade points
  int parallel = 1;                       // runs of a round side by side (run_pool.h); the runner and the
                                          // callbacks are then called from several threads at once
};

struct TunePass {
  std::string rateName;            // lr | head_lr | a rate-factor knob (lr_factor)
  std::vector<double> initialGrid;
  std::vector<TunePoint> points;   // in the order they ran
  RateChoice choice;               // over every point of the pass
  int widenings = 0;
  bool stoppedOnEdge = false;      // the best point was still on an edge when the widening limit was reached
  bool stoppedAtLimit = false;     // ... or when the edge was its knob's range limit (lr_factor 1: no widening)
  double chosenRate() const;       // 0 when nothing was chosen
};

struct TuneResult {
  RunStatus status = RunStatus::Finished;  // Failed: no point of a pass finished every seed
  std::string error;
  std::string rule;                 // tuneRuleText()
  std::vector<TunePass> passes;
  TrainConfig tuned;                // the base with every chosen rate set (seed: the base's)
  nlohmann::json toJson() const;
  std::string csv() const;          // tune.csv: one row per grid point of every pass
};

// What the tuner tells its runner about a run.
struct TuneRunInfo {
  int pass = 0;                    // index into TuneRequest::rates
  std::string rateName;
  double rate = 0;
  uint64_t seed = 0;
  int runIndex = 0;                // 0-based over the whole tune
  int plannedRuns = 0;             // known so far (grows when the grid widens)
  std::string label;               // "lora lr=3e-3, seed 2"
};

struct TuneRunOutcome {
  RunResult result;
  int64_t runId = 0;  // 0 when not recorded
};

// Runs one configuration (blocking). The CLI passes its progress runner, a GUI its worker's. With
// TuneRequest::parallel > 1 it is called from several threads at once (recordingRunner's database is).
using TuneRunner = std::function<TuneRunOutcome(const TrainConfig&, const TuneRunInfo&)>;
TuneRunner plainRunner();                                                 // a Trainer run, not recorded
TuneRunner recordingRunner(results::ResultsDb& db, const std::string& batch);  // ... recorded with `batch`

struct TuneCallbacks {
  TuneRunner run;                                                      // empty: plainRunner()
  std::function<void(const TuneRunInfo&, const TuneSeedRun&)> onRun;  // after each run, its score
  std::function<void(const TunePass&)> onRound;                        // after each round of a pass
  std::function<bool()> cancelled;                                     // checked between runs
};

// Blocking. Throws pw::Error for a bad request (fewer than 2 seeds or grid points, an unknown rate, a
// method without a learning rate); problems of the runs come back in the result.
TuneResult tuneLearningRate(const TuneRequest& request, const TuneCallbacks& callbacks = {});

}  // namespace pw
