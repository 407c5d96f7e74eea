// The Sweep tab: one method's size knob (LoRA rank, prompt / prefix length, adapter size) over a list of
// values, each trained with N seeds through the ordinary run queue (the same as `peft-workbench-cli sweep`),
// and the chart of ID and OOD accuracy against the knob with mean +- std bands. A sweep's runs are ordinary
// runs under one batch id ("gui-sweep-..."; the CLI's are "cli-sweep-..."); the tab reads them back from the
// runs the results database holds, so any past sweep can be picked again after a restart.
#pragma once
#include <QHash>
#include <QWidget>

#include <functional>
#include <vector>

#include "results/results_db.h"
#include "train/trainer.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace pw::ui {

class SweepChart;

class SweepTab : public QWidget {
  Q_OBJECT
 public:
  explicit SweepTab(QWidget* parent = nullptr);
  ~SweepTab() override;  // remembers the method, values and seeds (QSettings)

  // The sweep to run.
  void setMethod(const QString& method);  // a method with a size knob ("lora", "prompt", "prefix", "adapter")
  QString method() const;
  QString knob() const;  // the method's size knob ("rank")
  void setValuesText(const QString& text);
  QString valuesText() const;
  void setSeeds(int seeds);  // per value, 1..5
  int seeds() const;
  // The values as the knob takes them; empty with `error` filled when the text is not a valid list.
  QList<qint64> values(QString* error = nullptr) const;
  static QString defaultValues(const QString& knob);
  // The queue of the sweep: every value with seeds firstSeed..firstSeed+N-1, value by value, from the
  // configuration `base(method, seed)` with the knob set.
  std::vector<TrainConfig> configs(const std::function<TrainConfig(const QString&, uint64_t)>& base,
                                   uint64_t firstSeed) const;

  // Past sweeps: every batch of `runs` (all runs in the database) whose id marks a sweep.
  void setRuns(const std::vector<results::RunRecord>& runs);
  QStringList sweepBatches() const;  // newest first
  void showBatch(const QString& batch);  // a batch not yet recorded is shown as soon as its runs appear
  QString shownBatch() const;
  void setRunning(bool running);  // the button waits while the queue runs

  static QString newBatchId();  // "gui-sweep-20261123-101500-123"
  static bool isSweepBatch(const std::string& batch);

  SweepChart* chart() const { return chart_; }
  QTableWidget* table() const { return table_; }
  QPushButton* runButton() const { return run_; }
  QString infoText() const;

 Q_SIGNALS:
  void runRequested();  // the user pressed Run sweep with a valid list of values

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void onMethodChanged();
  void onRunClicked();
  void fillBatchBox();
  void redraw();

  QComboBox* methodBox_ = nullptr;
  QLabel* knobLabel_ = nullptr;
  QLineEdit* values_ = nullptr;
  QSpinBox* seeds_ = nullptr;
  QPushButton* run_ = nullptr;
  QComboBox* batchBox_ = nullptr;
  QLabel* info_ = nullptr;
  SweepChart* chart_ = nullptr;
  QTableWidget* table_ = nullptr;
  QHash<QString, QString> valuesByMethod_;  // as edited, per method
  QHash<QString, std::vector<results::RunRecord>> batches_;
  QString wanted_;  // a batch started here, shown once it appears
  bool stale_ = true;
};

}  // namespace pw::ui
