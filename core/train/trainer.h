// The experiment engine: one training run of one method on one task, reported through callbacks.
// Plain C++ (no Qt) and torch-free in this header, so the GUI and CLI can include it cheaply.
//
//   TrainConfig c; c.model = "tiny-bert"; c.task = "dictionary-fields"; c.method = "lora";
//   c = applyPreset(c, "quick");
//   Trainer t(c);                       // loads nothing yet
//   RunResult r = t.run(callbacks);     // loads, trains, evaluates; blocking; cancel from any thread
#pragma once
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "methods/param_breakdown.h"
#include "util/run_status.h"

namespace pw {

struct TrainConfig {
  std::string model = "tiny-bert";          // shipped name or model folder
  bool randomInit = false;                  // same architecture, fresh random weights (the control)
  std::string task = "dictionary-fields";   // built-in name, folder or file
  std::string method = "lora";
  nlohmann::json knobs = nlohmann::json::object();  // method knobs (createMethod's JSON)
  std::string preset = "standard";          // what applyPreset last applied (recorded, not re-applied)
  int epochs = 3;
  double lr = 0;            // the body's rate; 0: the method's default at this preset (defaultRates)
  double headLr = 0;        // the classification head's rate; 0: the method's default at this preset
  int batchSize = 16;
  double weightDecay = 0.01;   // AdamW, only on tensors with dim >= 2
  double warmupFraction = 0.06;
  bool cosine = false;         // decay shape after warmup (linear otherwise)
  double clipNorm = 1.0;       // 0: no clipping
  uint64_t seed = 1;
  int maxLength = 128;         // tokens per text, truncated
  int evalsPerEpoch = 2;       // validation evaluations per epoch (and one at the end)
  int trainPerClass = 0;       // 0: the whole training split; N: N per class drawn with the seed (quick demos)
  int evalPerClass = 0;        // 0: the whole validation split; N: its first N per class (the same for every
                               // seed). The ID test and every OOD set are always evaluated whole.
  std::string precision = "auto";  // auto | fp32 | bf16 (CPU autocast; auto: bf16 where clearly faster)
  std::string adapterDir;      // non-empty: save the trained method state there (adapter folder) at the end

  double effectiveLr() const;      // lr, or defaultRates(method, preset).lr
  double effectiveHeadLr() const;  // headLr, or defaultRates(method, preset).headLr
  nlohmann::json toJson() const;
  static TrainConfig fromJson(const nlohmann::json& j);  // missing keys keep their defaults
};

// quick (a classroom demo: all 8 methods on tiny-bert in <= 5 min on 2 cores), standard (<= 20 min),
// thorough. Sets epochs, subsets and evaluation frequency; keeps model, task, method, knobs, seed.
TrainConfig applyPreset(TrainConfig config, const std::string& preset);
std::vector<std::string> presetNames();  // quick, standard, thorough

struct StepEvent {
  int64_t step = 0;        // optimiser steps so far, 1-based, across stages
  int64_t totalSteps = 0;  // planned steps of the whole run
  double epoch = 0;        // fractional epoch within the current stage
  int stage = 1;           // LP-FT: 1 = probe, 2 = fine-tune; others 1
  double loss = 0;         // this batch's training loss
  double lr = 0;           // the body's learning rate at this step
  double tokensPerSecond = 0;  // real (non-pad) tokens per second, averaged over the last second or so
  double elapsedSeconds = 0;
  // Seconds left at the pace of this stage's steps so far (validation passes between them included; loading
  // and the first validation left out); -1 while that is not known yet.
  double etaSeconds = -1;
};

// Where a run is, for progress displays (the window's bar and label, the CLI's progress line). Sent when a
// phase starts (done 0) and then about every quarter second while it lasts, so nothing looks stalled.
// Gradient training reports through StepEvent instead (phase "training", total 0 here).
struct PhaseEvent {
  std::string phase;      // loading, tokenizing, features, fitting, validating, evaluating, saving
  int64_t done = 0;       // units of this phase finished so far (fitting: the fit under way, 1-based)
  int64_t total = 0;      // units in the phase; 0: not counted (loading, saving)
  std::string unit;       // what is counted: "texts", "L-BFGS fits"
  double fraction = 0;    // how much of the phase is done, in [0, 1]
  double seconds = 0;     // since the phase started
  // Seconds left at the phase's pace so far; -1 while that is not known.
  double etaSeconds() const { return fraction > 0.02 ? seconds * (1 - fraction) / fraction : -1; }
};

struct EvalEvent {
  int64_t step = 0;
  double epoch = 0;
  int stage = 1;
  double loss = 0;      // mean cross-entropy on the validation split
  double accuracy = 0;  // validation accuracy in [0, 1]
};

struct SplitMetrics {
  double accuracy = -1;  // -1: split absent
  double macroF1 = -1;
  double loss = -1;
  std::vector<std::vector<int64_t>> confusion;  // [true][predicted]
  int64_t examples = 0;
  std::vector<uint8_t> correct;  // per example, in the split's order: 1 if predicted right (paired tests)
  int64_t correctCount() const;
  nlohmann::json toJson() const;
  static SplitMetrics fromJson(const nlohmann::json& j);
};

// The metrics of one named OOD set.
struct NamedMetrics {
  std::string name;
  SplitMetrics metrics;
};

struct RunResult {
  RunStatus status = RunStatus::Finished;  // Finished, Cancelled or Failed
  std::string error;                // why it failed or was cancelled
  ParamBreakdown params;            // trainable / total by group (LP-FT: its stage 2)
  SplitMetrics validation, idTest, oodTest;  // oodTest: the task's first OOD set, called oodName
  std::string oodName = "OOD";
  std::vector<NamedMetrics> moreOod;         // the task's further OOD sets
  std::string precision;            // what the run computed in: fp32 or bf16 (its setting resolved)
  std::vector<std::string> classes;
  int64_t steps = 0;
  int64_t trainTokens = 0;          // real tokens through the model in training
  double trainSeconds = 0;          // optimiser steps only
  double wallSeconds = 0;           // load + train + evaluate
  // Where the wall time went: load, tokenize, features (frozen-feature pass), train, validate, test, save.
  std::map<std::string, double> phaseSeconds;
  double tokensPerSecond = 0;       // trainTokens / trainSeconds
  std::string adapterDir;           // where the method state was saved, if it was
  // Every OOD set's metrics, the first (oodName) first; empty when the task has none.
  std::vector<NamedMetrics> oodSets() const;
  nlohmann::json toJson() const;
  static RunResult fromJson(const nlohmann::json& j);
};

struct TrainCallbacks {
  std::function<void(const PhaseEvent&)> onPhase;          // every phase, counted where it can be
  std::function<void(const StepEvent&)> onStep;            // may block (a paused GUI waits in it)
  std::function<void(const EvalEvent&)> onEval;
  std::function<void(const RunResult&)> onEnd;             // also on failure and cancel
};

class Trainer {
 public:
  explicit Trainer(TrainConfig config);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Blocking. Never throws for a problem of the run (bad model, bad knobs, NaN loss): those come back as
  // status "failed" with the reason. Same config, seed and thread count: the same numbers.
  RunResult run(const TrainCallbacks& callbacks = {});
  // Thread-safe; the run stops between steps (within a second) with status "cancelled".
  void cancel();
  bool cancelRequested() const;

  const TrainConfig& config() const { return config_; }

  // After a finished run: class probabilities of texts under the trained method (rows sum to 1).
  std::vector<std::vector<double>> predict(const std::vector<std::string>& texts);

 private:
  struct State;
  TrainConfig config_;
  std::atomic<bool> cancel_{false};
  std::unique_ptr<State> state_;
};

// The parameter breakdown of a run's configuration from the model's config alone (no weights loaded),
// with the task's class count: what the GUI's budget chart shows before anything trains.
ParamBreakdown plannedParameters(const TrainConfig& config, int64_t classes);

}  // namespace pw
