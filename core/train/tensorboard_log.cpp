// TensorBoard logging of a run (see tensorboard_log.h).
#include "train/tensorboard_log.h"

#include <cctype>

#include "results/tensorboard_events.h"

namespace pw {

TensorBoardLog::TensorBoardLog(const std::string& dir, const TrainConfig& config)
    : writer_(std::make_unique<results::EventFileWriter>(dir)) {
  writer_->addText("config", 0, "```\n" + config.toJson().dump(2) + "\n```");
  writer_->flush();
}

TensorBoardLog::~TensorBoardLog() = default;

const std::string& TensorBoardLog::path() const { return writer_->path(); }

TrainCallbacks TensorBoardLog::wrap(TrainCallbacks inner) {
  TrainCallbacks out = inner;
  out.onStep = [this, f = inner.onStep](const StepEvent& e) {
    writer_->addScalar("train/loss", e.step, e.loss);
    if (e.lr > 0) writer_->addScalar("train/lr", e.step, e.lr);
    lastStep_ = e.step;
    if (f) f(e);
  };
  out.onEval = [this, f = inner.onEval](const EvalEvent& e) {
    writer_->addScalar("validation/loss", e.step, e.loss);
    writer_->addScalar("validation/accuracy", e.step, 100 * e.accuracy);
    writer_->flush();  // a TensorBoard watching the folder sees each validation point as it comes
    if (f) f(e);
  };
  out.onEnd = [this, f = inner.onEnd](const RunResult& r) {
    if (r.status == RunStatus::Finished) {
      if (r.idTest.accuracy >= 0) writer_->addScalar("test/id_accuracy", lastStep_, 100 * r.idTest.accuracy);
      for (const NamedMetrics& set : r.oodSets())
        writer_->addScalar(set.name == r.oodName ? "test/ood_accuracy" : "test/ood_accuracy/" + set.name, lastStep_,
                           100 * set.metrics.accuracy);
    }
    writer_->addText("status", lastStep_, std::string(statusName(r.status)) + (r.error.empty() ? "" : ": " + r.error));
    writer_->flush();
    if (f) f(r);
  };
  return out;
}

std::string tensorBoardRunFolder(const std::string& label, uint64_t seed, int64_t runId) {
  std::string name;
  for (char ch : label) {
    const bool plain = std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '=';
    if (plain) name += ch;
    else if (!name.empty() && name.back() != '_') name += '_';  // "lora r=8, seed 1" -> "lora_r=8_seed_1"
  }
  if (label.find("seed") == std::string::npos) name += "-seed" + std::to_string(seed);
  if (runId > 0) name += "-run" + std::to_string(runId);
  return name;
}

}  // namespace pw
