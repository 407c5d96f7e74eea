// The experiment panel (left dock): base model (shipped, a folder, or random weights as a control), task
// (built-in or imported), the checkable methods, the selected method's knobs, the training knobs and
// presets, the Run button, and the parameter budget of every checked method, recomputed from the model's
// config as a knob moves. It maps its fields to TrainConfigs and nothing more; it never trains.
#pragma once
#include <nlohmann/json.hpp>

#include <QFutureWatcher>
#include <QMap>
#include <QTimer>
#include <QWidget>

#include <vector>

#include "source_info.h"
#include "train/trainer.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QGroupBox;
class QScrollArea;

namespace pw::ui {

class BudgetChart;
class KnobEditor;

class ExperimentPanel : public QWidget {
  Q_OBJECT
 public:
  // `tasksDir`: where imported datasets are written.
  explicit ExperimentPanel(const QString& tasksDir, QWidget* parent = nullptr);
  ~ExperimentPanel() override;

  // Model and task: a shipped name / built-in name or a path. Loading their facts runs in the background.
  void setModelSource(const QString& source);
  void setTaskSource(const QString& source);
  QString modelSource() const;
  QString taskSource() const;
  void setRandomInit(bool on);
  bool randomInit() const;

  QStringList checkedMethods() const;
  void setCheckedMethods(const QStringList& methods);
  void selectMethod(const QString& method);  // shows its knobs
  QString selectedMethod() const;
  bool setKnob(const QString& method, const QString& key, const nlohmann::json& value);
  nlohmann::json knobs(const QString& method) const;  // with defaults filled in

  void setPreset(const QString& preset);  // quick | standard | thorough: fills the training knobs
  QString preset() const;
  void setEpochs(int epochs);
  void setTrainPerClass(int perClass);  // 0: all
  void setSeeds(int seeds);
  void setFirstSeed(int seed);  // runs get seeds first .. first + seeds - 1
  int firstSeed() const;
  // Runs of a queue that train at once: 0 = auto (the cores, at most `runs`), else that many.
  void setParallelRuns(int runs);
  int parallelRuns(int runs) const;  // what a queue of `runs` runs gets
  // The Training box's Rate and Head rate (0: the method's default at the preset).
  void setRates(double lr, double headLr);
  double rate() const;
  double headRate() const;

  // The configuration one run of `method` with `seed` gets; the queue of a click of Run (methods x seeds).
  TrainConfig configFor(const QString& method, uint64_t seed) const;
  std::vector<TrainConfig> runConfigs() const;

  BudgetChart* budgetChart() const { return budget_; }
  QPushButton* runButton() const { return runButton_; }
  QGroupBox* knobBox() const { return knobBox_; }          // the selected method's knobs
  QScrollArea* scrollArea() const { return scroll_; }      // holds every box above the Run button
  int taskClasses() const { return taskInfo_.error.isEmpty() ? int(taskInfo_.classes.size()) : 0; }
  const ModelInfo& modelInfo() const { return modelInfo_; }
  const TaskInfo& taskInfo() const { return taskInfo_; }
  bool isLoading() const { return modelWatcher_.isRunning() || taskWatcher_.isRunning(); }
  void setRunning(bool running);  // the Run button says "Add to queue" while a queue runs

  void saveSettings() const;
  void restoreSettings();
  // Every field as JSON (a saved session, experiment_panel_state.cpp) and back; unknown keys are ignored.
  nlohmann::json state() const;
  void setState(const nlohmann::json& state);

 public Q_SLOTS:
  void openModelFolder();
  void openFromHub();  // "Open from the Hub...": download (or pick a cached) repository, then open it
  void importDataset();

 Q_SIGNALS:
  void runRequested();
  void tuneRequested();  // "Tune..." beside the rates: the selected method's rates by the tune procedure
  void modelLoaded(bool ok);
  void taskLoaded(bool ok);
  void budgetUpdated();
  void selectedMethodChanged(const QString& method);
  void message(const QString& text, bool error);

 private:
  QWidget* buildSourcesBox();
  QWidget* buildMethodsBox();
  QWidget* buildKnobBox();
  QWidget* buildTrainingBox();
  void onModelReady();
  void onTaskReady();
  void onMethodSelected();
  void scheduleBudget();
  void updateBudget();
  void updateLrHint();
  void addSource(QComboBox* box, const QString& source);      // adds if new and selects it
  void addSourceItem(QComboBox* box, const QString& source);  // adds if new

  QString tasksDir_;
  QComboBox* modelBox_ = nullptr;
  QCheckBox* randomInit_ = nullptr;
  QLabel* modelLine_ = nullptr;
  QComboBox* taskBox_ = nullptr;
  QLabel* taskLine_ = nullptr;
  QListWidget* methods_ = nullptr;
  QGroupBox* knobBox_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QLabel* formula_ = nullptr;
  KnobEditor* knobEditor_ = nullptr;
  QComboBox* preset_ = nullptr;
  QSpinBox* epochs_ = nullptr;
  QSpinBox* batchSize_ = nullptr;
  QDoubleSpinBox* lr_ = nullptr;
  QDoubleSpinBox* headLr_ = nullptr;
  QLabel* lrHint_ = nullptr;
  QPushButton* tuneButton_ = nullptr;
  QSpinBox* seeds_ = nullptr;
  QSpinBox* firstSeed_ = nullptr;
  QSpinBox* perClass_ = nullptr;
  QComboBox* precision_ = nullptr;  // auto | fp32 | bf16
  QComboBox* parallel_ = nullptr;   // 0 (auto), 1, 2, ...: runs side by side
  QPushButton* runButton_ = nullptr;
  BudgetChart* budget_ = nullptr;
  QLabel* budgetError_ = nullptr;
  QMap<QString, nlohmann::json> knobValues_;  // per method, as edited
  QFutureWatcher<ModelInfo> modelWatcher_;
  QFutureWatcher<TaskInfo> taskWatcher_;
  ModelInfo modelInfo_;
  TaskInfo taskInfo_;
  QString pendingModel_, pendingTask_;  // requested while a load was running
  QTimer budgetTimer_;
  bool restoring_ = false;
};

}  // namespace pw::ui
