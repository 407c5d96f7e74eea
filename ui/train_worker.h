// The object that trains, living in its own QThread: runs one TrainConfig at a time with a Trainer,
// records it in its own ResultsDb connection (opened on the worker thread), and turns the trainer's
// callbacks into queued signals carrying small value structs. It never touches a widget.
// pause / resume / cancel are thread-safe and meant to be called from the GUI thread while run() blocks.
#pragma once
#include <QMetaType>
#include <QObject>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>

#include "train/trainer.h"

namespace pw::results {
class ResultsDb;
}

Q_DECLARE_METATYPE(pw::StepEvent)
Q_DECLARE_METATYPE(pw::EvalEvent)
Q_DECLARE_METATYPE(pw::PhaseEvent)

namespace pw::ui {

class TrainWorker : public QObject {
  Q_OBJECT
 public:
  explicit TrainWorker(const QString& dbPath);
  ~TrainWorker() override;

  // Runs one configuration to its end (blocking; call it on the worker thread) on `threads` LibTorch threads
  // (0: as the thread is). `ticket` identifies the request: cancel(ticket) before it starts skips it.
  // Every run keeps its method state in runAdapterFolder(dbPath, runId) (run_adapters.h) unless the config
  // names a folder itself.
  // `tensorBoardRoot` non-empty: the run also writes a TensorBoard log in a folder of its own under it.
  void run(const pw::TrainConfig& config, const QString& batch, quint64 ticket, int threads = 0,
           const QString& tensorBoardRoot = QString());
  // Records later runs in another database (call it on the worker thread, between runs).
  void setDatabasePath(const QString& dbPath);

  // Thread-safe.
  void setPaused(bool paused);
  bool isPaused() const;
  // While paused: let the run take exactly one more optimiser step, then hold again.
  void stepOnce();
  void cancel(quint64 upToTicket);  // cancels the run with this ticket (or any earlier one), running or not

 Q_SIGNALS:
  void started(qint64 runId, quint64 ticket);
  void phaseChanged(qint64 runId, const pw::PhaseEvent& event);
  void stepped(qint64 runId, const pw::StepEvent& event);
  void evaluated(qint64 runId, const pw::EvalEvent& event);
  // status: finished | cancelled | failed; runId is -1 when no row could be written (database error).
  void finished(qint64 runId, quint64 ticket, const QString& status, const QString& error);
  void logFailed(const QString& error);  // the TensorBoard log could not be written (the run goes on)

 private:
  QString dbPath_;
  std::unique_ptr<results::ResultsDb> db_;  // created and used on the worker thread only
  mutable std::mutex mutex_;
  std::condition_variable resume_;
  bool paused_ = false;
  int stepsAllowed_ = 0;  // steps granted by stepOnce() while paused
  quint64 cancelledTicket_ = 0;
  Trainer* current_ = nullptr;  // the running trainer, guarded by mutex_
};

}  // namespace pw::ui
