// The workbench's main window: the experiment panel (left dock), the runs table (bottom dock), the chart
// tabs (Training, Parameters, ID vs OOD; more can be added), a message bar for errors, the status bar.
// It wires the panel to the run queue (training happens on the queue's worker thread) and the results
// database to the charts. See docs/UX.md.
#pragma once
#include <QHash>
#include <QList>
#include <QSet>
#include <QMainWindow>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

#include "results/results_db.h"
#include "train/trainer.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;

namespace pw::ui {

class ExperimentPanel;
class MessageBar;
class IdOodTab;
class ParamsTab;
class PresentationMode;
class SweepTab;
class RunQueue;
class RunsPanel;
class TrainingTab;
class TryItTab;
class TuneDialog;
class ArchitectureTab;
class MethodHelpPane;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // `dbPath`: the results database (empty: ResultsDb::defaultPath()).
  explicit MainWindow(const QString& dbPath = QString(), QWidget* parent = nullptr);
  ~MainWindow() override;

  ExperimentPanel* panel() const { return panel_; }
  RunsPanel* runsPanel() const { return runs_; }
  TrainingTab* trainingTab() const { return training_; }
  ParamsTab* paramsTab() const { return params_; }
  IdOodTab* idOodTab() const { return idOod_; }
  SweepTab* sweepTab() const { return sweep_; }
  PresentationMode* presentation() const { return presentation_; }  // View > Presentation mode (F11)
  QTabWidget* tabs() const { return tabs_; }
  RunQueue* queue() const { return queue_.get(); }
  QString databasePath() const { return dbPath_; }

  bool showTab(const QString& title);  // "Training", "Parameters", "ID vs OOD" (case-insensitive)
  void showModel(const QString& nameOrFolder);  // as if chosen in the panel
  QString currentSummaryText() const;           // the loaded model's summary ("" until loaded / on error)
  QString messageText() const;                  // what the message bar says ("" when hidden)
  void showMessage(const QString& text, bool error);
  void setThreadsInUse(int threads);

  void startRun();   // Ctrl+R: queue the checked methods
  void stopRun();    // Esc
  // Runs from now on also write TensorBoard logs under `dir` ("": off); remembered in the settings.
  void setTensorBoardRoot(const QString& dir);
  void startDemo();  // the quick 8-method demo on the default model and task
  void startSweep();  // the Sweep tab's values x seeds, as one batch
  // Run > Tune learning rates (main_window_tune.cpp): opens the tune dialog for the selected method (window-
  // modal, not blocking); "Use these rates" puts its choice into the panel. nullptr (with a message) when it
  // cannot start: no method, linear probing, or a queue training.
  TuneDialog* openTuneDialog();
  // Starts a queue of runs as one batch (the charts follow it); false (with a message) while one runs.
  bool startBatch(const std::vector<TrainConfig>& configs, const QString& batch, bool showTraining = true);
  bool isRunning() const;
  // The runs the charts show: the selected rows, or with none selected the latest batch.
  QList<qint64> displayedRunIds() const;
  void deleteRuns(const QList<qint64>& ids, bool ask);
  // Writes every chart of the current tab (PNG / PDF; with several charts, "<base>-<chart name>.<suffix>")
  // or its table (CSV: the Parameters tab's table, else the runs table). Returns the files written.
  QStringList exportCurrentTab(const QString& file, QString* error = nullptr);

  // Teaching parts (main_window_teach.cpp): Try it, Architecture, the method help dock, sessions, adapters.
  TryItTab* tryItTab() const { return tryIt_; }
  ArchitectureTab* architectureTab() const { return architecture_; }
  MethodHelpPane* helpPane() const { return helpPane_; }
  bool saveSession(const QString& file, QString* error = nullptr);  // a .pwb file (session.h)
  bool openSession(const QString& file, QString* error = nullptr);  // switches to its results database
  // Shows another results database (not while runs train); new runs are recorded there.
  bool switchDatabase(const QString& path, QString* error = nullptr);
  bool exportRunAdapter(qint64 runId, const QString& folder, QString* error = nullptr);
  QAction* exportAdapterAction() const { return exportAdapterAction_; }
  void updateExportAdapterAction();  // enabled for one selected run with saved state; the tooltip says why not

 Q_SIGNALS:
  void modelLoaded(bool ok);
  void queueFinished(bool stopped);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void reloadRuns();
  void scheduleRefresh();
  void refreshCharts();
  void refreshVisibleTab();
  void exportDialog();
  void updateStatus();
  void onRunStarted(qint64 runId, int position, int count, const QString& method);
  QString liveLabel(const TrainConfig& config) const;  // "LoRA r=8 (seed 2)": a live run's chart and bar label
  void onRunFinished(qint64 runId, const QString& status, const QString& error);
  void onQueueFinished(bool stopped);
  void addTeachingTabs();
  void addSessionMenu(QMenu* file);
  void rebuildRecentMenu();
  void saveSessionDialog();
  void openSessionDialog();
  void exportAdapterDialog();

  QString dbPath_;
  std::unique_ptr<results::ResultsDb> db_;  // the GUI thread's own connection (reads, deletes)
  std::unique_ptr<RunQueue> queue_;
  ExperimentPanel* panel_ = nullptr;
  RunsPanel* runs_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  TrainingTab* training_ = nullptr;
  ParamsTab* params_ = nullptr;
  IdOodTab* idOod_ = nullptr;
  SweepTab* sweep_ = nullptr;
  PresentationMode* presentation_ = nullptr;
  TryItTab* tryIt_ = nullptr;
  ArchitectureTab* architecture_ = nullptr;
  MethodHelpPane* helpPane_ = nullptr;
  QDockWidget* helpDock_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QAction* exportAdapterAction_ = nullptr;
  MessageBar* messageBar_ = nullptr;
  QLabel* stateLabel_ = nullptr;
  QAction* tensorBoardAction_ = nullptr;
  QLabel* threadsLabel_ = nullptr;
  QLabel* memoryLabel_ = nullptr;
  QTimer refreshTimer_, memoryTimer_;
  QString latestBatch_;
  QSet<qint64> liveRunIds_;                // runs training now (their curves stream in; never reloaded from the database)
  QHash<qint64, PhaseEvent> livePhases_;  // each live run's latest phase, for when the Training tab switches to it
  bool staleParams_ = true, staleIdOod_ = true;
  int finishedInQueue_ = 0, failedInQueue_ = 0;
};

}  // namespace pw::ui
