// The training worker (see train_worker.h).
#include "train_worker.h"

#include "results/results_db.h"
#include "run_adapters.h"
#include "train/run_record.h"
#include "train/tensorboard_log.h"
#include "util/threads.h"
#include "util/error_text.h"

namespace pw::ui {

TrainWorker::TrainWorker(const QString& dbPath) : dbPath_(dbPath) {
  qRegisterMetaType<pw::StepEvent>();
  qRegisterMetaType<pw::EvalEvent>();
  qRegisterMetaType<pw::PhaseEvent>();
}

TrainWorker::~TrainWorker() = default;

void TrainWorker::setPaused(bool paused) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = paused;
    stepsAllowed_ = 0;
  }
  resume_.notify_all();
}

void TrainWorker::stepOnce() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!paused_) return;
    ++stepsAllowed_;
  }
  resume_.notify_all();
}

bool TrainWorker::isPaused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return paused_;
}

void TrainWorker::cancel(quint64 upToTicket) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelledTicket_ = std::max(cancelledTicket_, upToTicket);
    if (current_) current_->cancel();
  }
  resume_.notify_all();  // a paused run wakes up to notice
}

void TrainWorker::run(const TrainConfig& config, const QString& batch, quint64 ticket, int threads,
                      const QString& tensorBoardRoot) {
  if (threads > 0) setThreadsOfThisThread(threads);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ticket <= cancelledTicket_) {
      Q_EMIT finished(-1, ticket, "cancelled", "stopped before it started");
      return;
    }
  }
  std::unique_ptr<RunRecorder> recorder;
  try {
    if (!db_) db_ = std::make_unique<results::ResultsDb>(dbPath_.toStdString());
    recorder = std::make_unique<RunRecorder>(*db_, config, batch.toStdString());
  } catch (const std::exception& e) {
    Q_EMIT finished(-1, ticket, "failed", QString("results database: ") + QString::fromStdString(pw::errorText(e)));
    return;
  }
  const qint64 id = recorder->runId();
  TrainConfig kept = config;  // saves the method state, for Try it, export and reopening after a restart
  if (kept.adapterDir.empty()) kept.adapterDir = prepareRunAdapterFolder(dbPath_, id).toStdString();
  Trainer trainer(kept);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = &trainer;
    if (ticket <= cancelledTicket_) trainer.cancel();
  }
  Q_EMIT started(id, ticket);

  TrainCallbacks cb;
  cb.onPhase = [this, id](const PhaseEvent& e) { Q_EMIT phaseChanged(id, e); };
  cb.onStep = [this, id, &trainer](const StepEvent& e) {
    Q_EMIT stepped(id, e);
    // Pause: hold the trainer here, between two optimiser steps, until resumed or cancelled; a Step
    // lets exactly one more step through (its own onStep holds again).
    std::unique_lock<std::mutex> lock(mutex_);
    resume_.wait(lock, [&] { return !paused_ || trainer.cancelRequested() || stepsAllowed_ > 0; });
    if (paused_ && stepsAllowed_ > 0 && !trainer.cancelRequested()) --stepsAllowed_;
  };
  cb.onEval = [this, id](const EvalEvent& e) { Q_EMIT evaluated(id, e); };
  std::unique_ptr<TensorBoardLog> tensorBoard;
  TrainCallbacks wrapped = recorder->wrap(cb);
  if (!tensorBoardRoot.isEmpty()) {
    try {
      tensorBoard = std::make_unique<TensorBoardLog>(
          tensorBoardRoot.toStdString() + "/" + tensorBoardRunFolder(config.method, config.seed, id), config);
      wrapped = tensorBoard->wrap(wrapped);
    } catch (const std::exception& e) {  // the run still trains and records; the log is what failed
      Q_EMIT logFailed(QString::fromStdString(errorText(e)));
    }
  }
  RunResult result;
  try {
    result = trainer.run(wrapped);  // the wrapped onEnd writes the finals
  } catch (const std::exception& e) {
    // Only the database can throw out of run() (from onEnd); the row stays "running" and is marked
    // "interrupted" when the database is next opened.
    result.status = RunStatus::Failed;
    result.error = std::string("results database: ") + errorText(e);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = nullptr;
  }
  if (result.adapterDir.empty()) removeRunAdapterFolder(dbPath_, QString::fromStdString(kept.adapterDir));  // half-written
  Q_EMIT finished(id, ticket, QString(statusName(result.status)), QString::fromStdString(result.error));
}

void TrainWorker::setDatabasePath(const QString& dbPath) {
  db_.reset();  // reopened on the next run
  dbPath_ = dbPath;
}

}  // namespace pw::ui
