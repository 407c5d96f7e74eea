// The queue of runs behind the Run button (GUI thread): hands configurations to its workers in order, up
// to `parallel` at once (each worker its own thread and share of the cores: small models train faster side
// by side than one at a time on every core), and forwards their signals, each tagged with its run id. Stop
// cancels the running ones and drops the rest; finished runs are already in the database. The destructor
// stops and waits for the worker threads.
#pragma once
#include <QMap>
#include <QObject>
#include <QThread>

#include <memory>
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
  void step();  // while paused: one optimiser step of every running run, then paused again
  void setDatabasePath(const QString& dbPath);  // for the runs queued from now on (call while idle)
  // Runs at once from the next start() on (1 .. 64; ignored while running). Each gets cores / parallel
  // LibTorch threads (at least one).
  void setParallel(int runs);
  // Every run dispatched from now on also writes a TensorBoard log into DIR/<method>-seed<S>-run<id>/ ("": none).
  void setTensorBoardRoot(const QString& dir) { tensorBoardRoot_ = dir; }
  QString tensorBoardRoot() const { return tensorBoardRoot_; }
  int parallel() const { return parallel_; }
  bool isRunning() const { return running_; }

  int position() const { return position_; }  // 1-based index of the latest dispatched run
  int currentPosition() const { return currentPosition_; }  // the current run's 1-based index (0: none)
  int count() const { return count_; }
  int runningCount() const;                    // runs training now
  // The current run: of the runs training now, the one latest in the queue (-1: none); its configuration.
  qint64 currentRunId() const { return currentRunId_; }
  const TrainConfig& currentConfig() const { return current_; }
  // The configuration of a run of this queue that has started (valid until the queue starts again).
  TrainConfig runConfig(qint64 runId) const { return configs_.value(runId, current_); }
  QString batch() const { return batch_; }
  TrainWorker* worker() const { return slots_.front()->worker; }  // lives on its thread: connect, never call

 Q_SIGNALS:
  void runStarted(qint64 runId, int position, int count, const QString& method);
  void phaseChanged(qint64 runId, const pw::PhaseEvent& event);
  void stepped(qint64 runId, const pw::StepEvent& event);
  void evaluated(qint64 runId, const pw::EvalEvent& event);
  void logFailed(const QString& error);  // a run's TensorBoard log could not be written
  void runFinished(qint64 runId, const QString& status, const QString& error);
  void queueFinished(bool stopped);

 private:
  struct Slot {
    QThread thread;
    TrainWorker* worker = nullptr;
    bool busy = false;
    quint64 ticket = 0;
    int position = 0;  // 1-based index in the queue
    TrainConfig config;
    qint64 runId = -1;
  };
  void addSlot();
  void removeSlots(size_t keep);
  void fill();  // starts pending runs on idle slots; ends the queue when nothing is left
  void pickCurrent();  // the running run latest in the queue becomes the current one
  void onWorkerStarted(Slot* slot, qint64 runId, quint64 ticket);
  void onWorkerFinished(Slot* slot, qint64 runId, quint64 ticket, const QString& status, const QString& error);

  QString dbPath_;
  std::vector<std::unique_ptr<Slot>> slots_;
  int parallel_ = 1;
  QString tensorBoardRoot_;
  std::vector<TrainConfig> pending_;
  TrainConfig current_;
  QMap<qint64, TrainConfig> configs_;
  QString batch_;
  bool running_ = false, stopped_ = false, paused_ = false;
  int position_ = 0, count_ = 0, currentPosition_ = 0;
  quint64 ticket_ = 0;
  qint64 currentRunId_ = -1;
};

}  // namespace pw::ui
