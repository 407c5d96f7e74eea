// Shared pieces of train / compare / sweep (see train_support.h).
#include "train_support.h"

#include "util/precision.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "method_args.h"
#include "methods/catalog.h"
#include "methods/knob_label.h"
#include "methods/method.h"
#include "train/run_pool.h"
#include "train/run_record.h"
#include "train/tensorboard_log.h"

namespace pw::cli {
namespace {

// The trainers running now (several when runs go side by side); slots so the signal handler needs no lock.
constexpr int kTrainerSlots = 64;
std::atomic<Trainer*> currentTrainers[kTrainerSlots];
std::atomic<bool> interruptedFlag{false};
std::atomic<bool> progressLines{false};
std::string tensorBoardRoot;  // set before runs start, read by every run

void onSigint(int) {
  if (interruptedFlag.exchange(true)) std::_Exit(130);  // second Ctrl+C: quit now
  for (auto& slot : currentTrainers)
    if (Trainer* t = slot.load()) t->cancel();
}

// Registers a running trainer for Ctrl+C (and takes it off again).
int registerTrainer(Trainer* t) {
  for (int i = 0; i < kTrainerSlots; ++i) {
    Trainer* expected = nullptr;
    if (currentTrainers[i].compare_exchange_strong(expected, t)) return i;
  }
  return -1;
}

std::string clock(double seconds) {
  if (!(seconds >= 0) || seconds > 99 * 3600) return "--:--";
  long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

const std::vector<std::string>& trainOptions() {
  static const std::vector<std::string> o = withKnobOptions(
      {"model", "task", "preset", "epochs", "lr", "head-lr", "batch", "seed", "max-length", "warmup",
       "weight-decay", "clip", "evals-per-epoch", "per-class", "eval-per-class", "db", "save-adapter", "precision",
       "tensorboard"});
  return o;
}

const std::vector<std::string>& trainFlags() {
  static const std::vector<std::string> f = [] {
    return std::vector<std::string>{"random-init", "cosine", "no-db"};
  }();
  return f;
}

TrainConfig trainConfigFromArgs(const Args& a, const std::string& method) {
  TrainConfig c;
  c.model = a.get("model", c.model);
  c.task = a.get("task", c.task);
  c.method = method;
  methodDescriptor(method);  // an unknown method fails here, with the list
  c.knobs = methodKnobsFromArgs(a);
  c = applyPreset(c, a.get("preset", "standard"));
  c.randomInit = a.flags.count("random-init") > 0;
  c.cosine = a.flags.count("cosine") > 0;
  c.epochs = int(a.getInt("epochs", c.epochs));
  c.lr = a.getDouble("lr", c.lr);
  c.headLr = a.getDouble("head-lr", c.headLr);
  c.batchSize = int(a.getInt("batch", c.batchSize));
  c.seed = uint64_t(a.getInt("seed", int64_t(c.seed)));
  c.maxLength = int(a.getInt("max-length", c.maxLength));
  c.warmupFraction = a.getDouble("warmup", c.warmupFraction);
  c.weightDecay = a.getDouble("weight-decay", c.weightDecay);
  c.clipNorm = a.getDouble("clip", c.clipNorm);
  c.evalsPerEpoch = int(a.getInt("evals-per-epoch", c.evalsPerEpoch));
  c.trainPerClass = int(a.getInt("per-class", c.trainPerClass));
  c.evalPerClass = int(a.getInt("eval-per-class", c.evalPerClass));
  c.adapterDir = a.get("save-adapter", "");
  c.precision = a.get("precision", c.precision);
  checkPrecisionSetting(c.precision);
  if (c.epochs < 1) throw Error("--epochs must be at least 1");
  if (c.batchSize < 1) throw Error("--batch must be at least 1");
  if (a.has("lr") && !(c.lr > 0)) throw Error("--lr must be positive");
  if (c.trainPerClass < 0 || c.evalPerClass < 0) throw Error("--per-class and --eval-per-class must be >= 0");
  return c;
}

std::unique_ptr<results::ResultsDb> openResultsDb(const Args& a) {
  if (a.flags.count("no-db")) return nullptr;
  return std::make_unique<results::ResultsDb>(a.get("db", results::ResultsDb::defaultPath()));
}

bool interrupted() { return interruptedFlag; }

void setProgressLines(bool on) { progressLines = on; }

void setTensorBoardRoot(const std::string& dir) { tensorBoardRoot = dir; }


RunOutcome runWithProgress(const TrainConfig& config, results::ResultsDb* db, const std::string& batch,
                           const std::string& label, bool quiet, bool showTest) {
  RunOutcome out;
  out.seed = config.seed;
  Trainer trainer(config);
  std::unique_ptr<RunRecorder> recorder;
  if (db) {
    recorder = std::make_unique<RunRecorder>(*db, config, batch);
    out.runId = recorder->runId();
  }
  const bool terminal = !quiet && !progressLines && isatty(STDERR_FILENO);
  double lastVal = -1;
  int lastDecile = -1;
  TrainCallbacks cb;
  // The terminal's one progress line: a bar, then what is happening.
  auto drawLine = [&](double frac, const std::string& text) {
    const int width = 24, filled = int(std::clamp(frac, 0.0, 1.0) * width + 0.5);
    std::cerr << "\r\033[K[" << std::string(size_t(filled), '#') << std::string(size_t(width - filled), '.')
              << "] " << text << std::flush;
  };
  cb.onPhase = [&](const PhaseEvent& e) {
    if (quiet || e.phase == "training") return;  // training draws its steps
    if (terminal) {
      std::ostringstream line;
      line << label << "  " << e.phase;
      if (e.total > 0) line << " " << groupDigits((long long)e.done) << " / " << groupDigits((long long)e.total) << " " << e.unit;
      if (e.etaSeconds() >= 0) line << "  ETA " << clock(e.etaSeconds());
      drawLine(e.fraction, line.str());
    } else if (e.done == 0 && e.phase != "validating") {  // a line per phase where lines pile up (pipes, logs)
      std::cerr << label << ": " << e.phase;
      if (e.total > 0) std::cerr << " (" << groupDigits((long long)e.total) << " " << e.unit << ")";
      std::cerr << "...\n";
    }
  };
  cb.onStep = [&](const StepEvent& e) {
    out.curves.push_back({"train_loss", e.step, e.epoch, e.stage, e.loss});
    if (e.lr > 0) out.curves.push_back({"lr", e.step, e.epoch, e.stage, e.lr});
    if (quiet) return;
    const double frac = e.totalSteps > 0 ? double(e.step) / double(e.totalSteps) : 0;
    std::ostringstream line;
    line << std::fixed << std::setprecision(3) << label << "  step " << e.step << "/" << e.totalSteps
         << (e.stage > 1 ? " (stage " + std::to_string(e.stage) + ")" : "") << "  loss " << e.loss;
    if (lastVal >= 0) line << "  val " << percent(lastVal) << "%";
    if (e.tokensPerSecond > 0) line << "  " << groupDigits((long long)e.tokensPerSecond) << " tok/s";
    line << "  ETA " << clock(e.etaSeconds);
    if (terminal) {
      drawLine(frac, line.str());
    } else if (int(frac * 10) != lastDecile) {
      lastDecile = int(frac * 10);
      std::cerr << line.str() << "\n";
    }
  };
  cb.onEval = [&](const EvalEvent& e) {
    lastVal = e.accuracy;
    out.curves.push_back({"val_loss", e.step, e.epoch, e.stage, e.loss});
    out.curves.push_back({"val_acc", e.step, e.epoch, e.stage, e.accuracy});
  };
  if (recorder) cb = recorder->wrap(cb);
  std::unique_ptr<TensorBoardLog> tensorBoard;
  if (!tensorBoardRoot.empty()) {
    tensorBoard = std::make_unique<TensorBoardLog>(
        tensorBoardRoot + "/" + tensorBoardRunFolder(label, config.seed, out.runId), config);
    cb = tensorBoard->wrap(cb);
  }
  const int slot = registerTrainer(&trainer);
  std::signal(SIGINT, onSigint);
  if (interruptedFlag) trainer.cancel();
  out.result = trainer.run(cb);
  if (slot >= 0) currentTrainers[slot] = nullptr;
  if (terminal) std::cerr << "\r\033[K";
  if (!quiet) {
    const RunResult& r = out.result;
    if (r.status == RunStatus::Finished && !showTest)
      std::cerr << label << ": validation " << percent(r.validation.accuracy) << "% in " << std::fixed
                << std::setprecision(1) << r.wallSeconds << " s\n";
    else if (r.status == RunStatus::Finished)
      std::cerr << label << ": ID " << percent(r.idTest.accuracy) << "%, OOD " << percent(r.oodTest.accuracy)
                << "% in " << std::fixed << std::setprecision(1) << r.wallSeconds << " s\n";
    else
      std::cerr << label << ": " << statusName(r.status) << ": " << r.error << "\n";
  }
  return out;
}

std::string shortLabel(const std::string& method, const nlohmann::json& knobs) {
  const std::string knob = knobLabel(method, knobs, KnobLabel::Changed);
  return knob.empty() ? method : method + " " + knob;
}

std::string newBatchId(const std::string& kind) {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::gmtime(&t));
  return "cli-" + kind + "-" + buf;
}

std::string percent(double fraction) {
  if (fraction < 0) return "-";
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << 100.0 * fraction;
  return o.str();
}

int parallelRuns(const Args& a, size_t runs) {
  const std::string v = a.get("parallel", "auto");
  if (v == "auto") return autoParallelRuns(runs);
  const long long n = a.getInt("parallel", 1);
  if (n < 1 || n > 64) throw Error("--parallel must be auto or a number from 1 to 64");
  return int(n);
}

}  // namespace pw::cli
