// Recording runs into the results database (see run_record.h).
#include "train/run_record.h"

#include "methods/default_rates.h"
#include "methods/method.h"

namespace pw {

results::RunRecord runRecordFor(const TrainConfig& config, const std::string& batch) {
  results::RunRecord r;
  r.batch = batch;
  r.model = config.model;
  r.task = config.task;
  r.method = config.method;
  r.randomInit = config.randomInit;
  r.knobs = config.knobs;
  try {
    // With the defaults filled in, a rate-factor knob's at the run's preset (what the trainer uses).
    r.knobs = createMethod(config.method, withPresetFactors(config.method, config.preset, config.knobs))->knobs();
  } catch (const std::exception&) {
    // bad knobs: the run fails with the reason; the row keeps what was given
  }
  // The rates the run trains at, not 0 ("the default"): a later change of the defaults must not change
  // what an old record says it did.
  TrainConfig resolved = config;
  try {
    resolved.lr = config.effectiveLr();
    resolved.headLr = config.effectiveHeadLr();
  } catch (const std::exception&) {
    // an unknown method: the run fails with the reason
  }
  r.config = resolved.toJson();
  r.seed = config.seed;
  r.status = RunStatus::Running;
  r.adapterDir = config.adapterDir;
  return r;
}

RunRecorder::RunRecorder(results::ResultsDb& db, const TrainConfig& config, const std::string& batch)
    : db_(db), record_(runRecordFor(config, batch)) {
  db_.beginRun(record_);
}

TrainCallbacks RunRecorder::wrap(TrainCallbacks inner) {
  TrainCallbacks out = inner;
  const int64_t id = record_.id;
  out.onStep = [this, id, f = inner.onStep](const StepEvent& e) {
    std::vector<results::CurvePoint> p = {{"train_loss", e.step, e.epoch, e.stage, e.loss}};
    if (e.lr > 0) p.push_back({"lr", e.step, e.epoch, e.stage, e.lr});
    if (e.tokensPerSecond > 0) p.push_back({"tokens_per_s", e.step, e.epoch, e.stage, e.tokensPerSecond});
    db_.appendCurve(id, p);
    if (f) f(e);
  };
  out.onEval = [this, id, f = inner.onEval](const EvalEvent& e) {
    db_.appendCurve(id, {{"val_loss", e.step, e.epoch, e.stage, e.loss}, {"val_acc", e.step, e.epoch, e.stage, e.accuracy}});
    if (f) f(e);
  };
  out.onEnd = [this, f = inner.onEnd](const RunResult& r) {
    finish(r);
    if (f) f(r);
  };
  return out;
}

void RunRecorder::finish(const RunResult& result) {
  if (finished_) return;
  finished_ = true;
  record_.status = result.status;
  record_.error = result.error;
  record_.wallSeconds = result.wallSeconds;
  record_.params = result.params.toJson();
  record_.trainable = result.params.trainable;
  record_.total = result.params.total;
  record_.idAccuracy = result.idTest.accuracy;
  record_.oodAccuracy = result.oodTest.accuracy;
  record_.idMacroF1 = result.idTest.macroF1;
  record_.oodMacroF1 = result.oodTest.macroF1;
  record_.validationAccuracy = result.validation.accuracy;
  record_.result = result.toJson();
  record_.adapterDir = result.adapterDir;
  try {
    db_.finishRun(record_);
  } catch (const std::exception&) {
    if (db_.getRun(record_.id)) throw;  // a real problem (disk full, ...): the caller reports it
    // the run was deleted while it trained: nothing to record into
  }
}

}  // namespace pw
