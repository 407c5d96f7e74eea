// The run queue (see run_queue.h).
#include "run_queue.h"

#include <algorithm>

#include "util/threads.h"

namespace pw::ui {

RunQueue::RunQueue(const QString& dbPath, QObject* parent) : QObject(parent), dbPath_(dbPath) { addSlot(); }

RunQueue::~RunQueue() {
  pending_.clear();
  removeSlots(0);
}

void RunQueue::addSlot() {
  auto slot = std::make_unique<Slot>();
  Slot* s = slot.get();
  s->worker = new TrainWorker(dbPath_);
  s->worker->moveToThread(&s->thread);
  s->thread.setObjectName(QString("pw-train-worker-%1").arg(slots_.size() + 1));
  connect(s->worker, &TrainWorker::started, this, [this, s](qint64 runId, quint64 ticket) { onWorkerStarted(s, runId, ticket); });
  connect(s->worker, &TrainWorker::phaseChanged, this, &RunQueue::phaseChanged);
  connect(s->worker, &TrainWorker::stepped, this, &RunQueue::stepped);
  connect(s->worker, &TrainWorker::evaluated, this, &RunQueue::evaluated);
  connect(s->worker, &TrainWorker::logFailed, this, &RunQueue::logFailed);
  connect(s->worker, &TrainWorker::finished, this,
          [this, s](qint64 runId, quint64 ticket, const QString& status, const QString& error) {
            onWorkerFinished(s, runId, ticket, status, error);
          });
  s->thread.start();
  if (paused_) s->worker->setPaused(true);
  slots_.push_back(std::move(slot));
}

void RunQueue::removeSlots(size_t keep) {
  while (slots_.size() > keep) {
    Slot* s = slots_.back().get();
    s->worker->cancel(ticket_);
    s->worker->setPaused(false);
    s->thread.quit();
    s->thread.wait();
    delete s->worker;  // its thread has ended: safe to delete from here
    slots_.pop_back();
  }
}

void RunQueue::setParallel(int runs) {
  if (running_) return;
  parallel_ = std::clamp(runs, 1, 64);
}

int RunQueue::runningCount() const {
  return int(std::count_if(slots_.begin(), slots_.end(), [](const auto& s) { return s->busy; }));
}

void RunQueue::start(const std::vector<TrainConfig>& configs, const QString& batch) {
  if (configs.empty()) return;
  if (running_) {  // appended: they run after the current queue, under its batch
    pending_.insert(pending_.end(), configs.begin(), configs.end());
    count_ += int(configs.size());
    return;
  }
  const size_t want = size_t(std::max(1, std::min<int>(parallel_, int(configs.size()))));
  if (slots_.size() > want) removeSlots(want);
  while (slots_.size() < want) addSlot();
  pending_ = configs;
  batch_ = batch;
  configs_.clear();
  count_ = int(configs.size());
  position_ = 0;
  running_ = true;
  stopped_ = false;
  fill();
}

void RunQueue::fill() {
  // One thread per run when several go side by side; every core for a run alone.
  const int threads = std::max(1, configuredThreadCount() / int(slots_.size()));
  for (auto& slot : slots_) {
    if (slot->busy || pending_.empty()) continue;
    Slot* s = slot.get();
    s->busy = true;
    s->config = pending_.front();
    pending_.erase(pending_.begin());
    s->position = ++position_;
    s->runId = -1;
    s->ticket = ++ticket_;
    current_ = s->config;
    const TrainConfig config = s->config;
    const QString batch = batch_;
    const quint64 ticket = s->ticket;
    TrainWorker* worker = s->worker;
    QMetaObject::invokeMethod(
        worker, [worker, config, batch, ticket, threads, logs = tensorBoardRoot_] {
          worker->run(config, batch, ticket, threads, logs);
        },
        Qt::QueuedConnection);
  }
  if (runningCount() == 0 && pending_.empty()) {
    running_ = false;
    currentRunId_ = -1;
    currentPosition_ = 0;
    Q_EMIT queueFinished(stopped_);
  }
}

void RunQueue::onWorkerStarted(Slot* s, qint64 runId, quint64 ticket) {
  if (ticket != s->ticket) return;
  s->runId = runId;
  configs_[runId] = s->config;
  pickCurrent();
  Q_EMIT runStarted(runId, s->position, count_, QString::fromStdString(s->config.method));
}

void RunQueue::pickCurrent() {
  currentRunId_ = -1;
  currentPosition_ = 0;
  for (const auto& s : slots_) {
    if (!s->busy || s->runId < 0 || s->position < currentPosition_) continue;
    currentRunId_ = s->runId;
    currentPosition_ = s->position;
    current_ = s->config;
  }
}

void RunQueue::onWorkerFinished(Slot* s, qint64 runId, quint64 ticket, const QString& status, const QString& error) {
  if (ticket != s->ticket || !s->busy) return;
  if (runId >= 0 && !configs_.contains(runId)) configs_[runId] = s->config;  // failed before it started
  s->busy = false;
  s->runId = -1;
  pickCurrent();
  Q_EMIT runFinished(runId, status, error);
  if (stopped_) pending_.clear();
  fill();
}

void RunQueue::stop() {
  if (!running_) return;
  stopped_ = true;
  pending_.clear();
  for (auto& s : slots_) s->worker->cancel(ticket_);
}

void RunQueue::setPaused(bool paused) {
  paused_ = paused;
  for (auto& s : slots_) s->worker->setPaused(paused);
}
bool RunQueue::isPaused() const { return paused_; }
void RunQueue::step() {
  for (auto& s : slots_) s->worker->stepOnce();
}

void RunQueue::setDatabasePath(const QString& dbPath) {
  dbPath_ = dbPath;
  for (auto& s : slots_) {
    TrainWorker* worker = s->worker;  // queued: it runs on the worker thread, before any later run
    QMetaObject::invokeMethod(worker, [worker, dbPath] { worker->setDatabasePath(dbPath); }, Qt::QueuedConnection);
  }
}

}  // namespace pw::ui
