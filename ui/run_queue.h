// The queue of runs behind the Run button (GUI thread): hands the worker one configuration at a time, in
// order, and forwards its signals. Stop cancels the current run and drops the rest; finished runs are
// already in the database. The destructor stops and waits for the worker thread.
#pragma once
#include <QObject>
#include <QThread>

#include <vector>

#include "train/trainer.h"
#include "train_worker.h"

namespace pw::ui {

class RunQueue : public QObject {
  Q_OBJECT
 public:
  explicit RunQueue(const QString& dbPath, QObject* parent = nullptr);
  ~RunQueue() override;

  // Starts (or, while one runs, appends to) the queue. `batch` groups the runs of one click of Run.
  void start(const std::vector<TrainConfig>& configs, const QString& batch);
  void stop();
  void setPaused(bool paused);
  bool isPaused() const;
  void step();  // while paused: one optimiser step, then paused again
  void setDatabasePath(const QString& dbPath);  // for the runs queued from now on (call while idle)
  bool isRunning() const { return running_; }

  int position() const { return position_; }  // 1-based index of the current run
  int count() const { return count_; }
  qint64 currentRunId() const { return currentRunId_; }
  const TrainConfig& currentConfig() const { return current_; }
  QString batch() const { return batch_; }
  TrainWorker* worker() const { return worker_; }  // lives on the worker thread: connect, never call into it

 Q_SIGNALS:
  void runStarted(qint64 runId, int position, int count, const QString& method);
  void phaseChanged(qint64 runId, const QString& phase);
  void stepped(qint64 runId, const pw::StepEvent& event);
  void evaluated(qint64 runId, const pw::EvalEvent& event);
  void runFinished(qint64 runId, const QString& status, const QString& error);
  void queueFinished(bool stopped);

 private:
  void next();
  void onWorkerFinished(qint64 runId, quint64 ticket, const QString& status, const QString& error);

  QThread thread_;
  TrainWorker* worker_ = nullptr;
  std::vector<TrainConfig> pending_;
  TrainConfig current_;
  QString batch_;
  bool running_ = false, stopped_ = false;
  int position_ = 0, count_ = 0;
  quint64 ticket_ = 0;
  qint64 currentRunId_ = -1;
};

}  // namespace pw::ui
