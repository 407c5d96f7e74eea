// The window's tune action (Run > Tune learning rates...): the `tune` procedure of core/train/tune.h for the
// selected method at the panel's preset, model and task. It runs in the background, records every run in the
// results database as one batch, shows each grid point's validation mean +- SE as it lands, and ends with the
// rule and the choice; "Use these rates" hands them to the experiment panel. Nothing but validation accuracy
// reaches the choice (the tuner never sees a test or OOD number).
#pragma once
#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "train/trainer.h"
#include "train/tune.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace pw::ui {

class TuneDialog : public QDialog {
  Q_OBJECT
 public:
  // `base`: the configuration one run of the method would get now (its lr / head rate: the grids' centres).
  TuneDialog(const TrainConfig& base, const QString& dbPath, QWidget* parent = nullptr);
  ~TuneDialog() override;

  void setRates(const QString& rates);  // "lr,head_lr" (the default), "lr" or "head_lr"
  void setSeeds(int seeds);
  void setGrid(const std::vector<double>& grid);  // the first pass's grid (tests; default: around the rate)
  void setParallel(int runs);                     // runs of a round side by side (default 1)
  void start();
  void cancel();
  bool isRunning() const { return watcher_.isRunning(); }
  bool hasChoice() const { return result_.status == RunStatus::Finished && done_; }
  const TuneResult& result() const { return result_; }
  double chosenLr() const { return result_.tuned.lr; }          // 0 unless the body rate was tuned
  double chosenHeadLr() const { return result_.tuned.headLr; }  // 0 unless the head rate was tuned
  // Rate-factor knobs the tune chose (LP-FT's lr_factor), by key; empty unless one was tuned.
  std::vector<std::pair<std::string, double>> chosenFactors() const;
  QString batch() const { return batch_; }
  QString progressText() const;

 Q_SIGNALS:
  void tuneFinished(const QString& status);

 protected:
  void reject() override;  // Close / Esc while tuning: cancel first

 private:
  void onRun(const TuneRunInfo& info, const TuneSeedRun& run);
  void onRound(const TunePass& pass);
  void onFinished();
  void showPasses();  // the table: every point of every pass so far

  TrainConfig base_;
  QString dbPath_, batch_;
  std::vector<double> grid_;
  int parallel_ = 1;
  QComboBox* rates_ = nullptr;
  QSpinBox* seeds_ = nullptr;
  QLabel* progress_ = nullptr;
  QLabel* verdict_ = nullptr;
  QTableWidget* table_ = nullptr;
  QPushButton* startButton_ = nullptr;
  QPushButton* useButton_ = nullptr;
  QFutureWatcher<TuneResult> watcher_;
  TuneResult result_;
  bool done_ = false;
  std::vector<TunePass> passesShown_;  // the passes so far (GUI thread)
  // Shared with the worker thread.
  std::atomic<bool> cancelled_{false};
  std::mutex trainerMutex_;
  std::set<Trainer*> trainers_;  // the runs in progress, guarded by trainerMutex_
};

}  // namespace pw::ui
