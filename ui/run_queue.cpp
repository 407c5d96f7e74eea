// The run queue (see run_queue.h).
#include "run_queue.h"

namespace pw::ui {

RunQueue::RunQueue(const QString& dbPath, QObject* parent) : QObject(parent) {
  worker_ = new TrainWorker(dbPath);
  worker_->moveToThread(&thread_);
  thread_.setObjectName("pw-train-worker");
  connect(worker_, &TrainWorker::started, this, [this](qint64 runId, quint64 ticket) {
    if (ticket != ticket_) return;
    currentRunId_ = runId;
    Q_EMIT runStarted(runId, position_, count_, QString::fromStdString(current_.method));
  });
  connect(worker_, &TrainWorker::phaseChanged, this, &RunQueue::phaseChanged);
  connect(worker_, &TrainWorker::stepped, this, &RunQueue::stepped);
  connect(worker_, &TrainWorker::evaluated, this, &RunQueue::evaluated);
  connect(worker_, &TrainWorker::finished, this, &RunQueue::onWorkerFinished);
  thread_.start();
}

RunQueue::~RunQueue() {
  pending_.clear();
  worker_->cancel(ticket_);
  worker_->setPaused(false);
  thread_.quit();
  thread_.wait();
  delete worker_;  // the thread has ended: safe to delete from here
}

void RunQueue::start(const std::vector<TrainConfig>& configs, const QString& batch) {
  if (configs.empty()) return;
  if (running_) {  // appended: they run after the current queue, under its batch
    pending_.insert(pending_.end(), configs.begin(), configs.end());
    count_ += int(configs.size());
    return;
  }
  pending_ = configs;
  batch_ = batch;
  count_ = int(configs.size());
  position_ = 0;
  running_ = true;
  stopped_ = false;
  next();
}

void RunQueue::next() {
  if (pending_.empty()) {
    running_ = false;
    currentRunId_ = -1;
    Q_EMIT queueFinished(stopped_);
    return;
  }
  current_ = pending_.front();
  pending_.erase(pending_.begin());
  ++position_;
  currentRunId_ = -1;
  const quint64 ticket = ++ticket_;
  const TrainConfig config = current_;
  const QString batch = batch_;
  TrainWorker* worker = worker_;
  QMetaObject::invokeMethod(worker_, [worker, config, batch, ticket] { worker->run(config, batch, ticket); },
                            Qt::QueuedConnection);
}

void RunQueue::onWorkerFinished(qint64 runId, quint64 ticket, const QString& status, const QString& error) {
  if (ticket != ticket_) return;
  Q_EMIT runFinished(runId, status, error);
  if (stopped_) pending_.clear();
  next();
}

void RunQueue::stop() {
  if (!running_) return;
  stopped_ = true;
  pending_.clear();
  worker_->cancel(ticket_);
}

void RunQueue::setPaused(bool paused) { worker_->setPaused(paused); }
bool RunQueue::isPaused() const { return worker_->isPaused(); }
void RunQueue::step() { worker_->stepOnce(); }

void RunQueue::setDatabasePath(const QString& dbPath) {
  TrainWorker* worker = worker_;  // queued: it runs on the worker thread, before any later run
  QMetaObject::invokeMethod(worker_, [worker, dbPath] { worker->setDatabasePath(dbPath); }, Qt::QueuedConnection);
}

}  // namespace pw::ui
