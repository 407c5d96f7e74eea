// The workbench's main window (see main_window.h).
#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFile>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMap>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSet>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <unistd.h>

#include "chart_feed.h"
#include "charts/budget_chart.h"
#include "charts/loss_chart.h"
#include "experiment_panel.h"
#include "export.h"
#include "id_ood_tab.h"
#include "message_bar.h"
#include "method_colors.h"
#include "params_tab.h"
#include "presentation.h"
#include "run_labels.h"
#include "run_adapters.h"
#include "run_queue.h"
#include "runs_panel.h"
#include "source_info.h"
#include "sweep_tab.h"
#include "training_tab.h"
#include "util/error_text.h"

namespace pw::ui {
namespace {

QString residentMemory() {
  QFile f("/proc/self/statm");
  if (!f.open(QIODevice::ReadOnly)) return QString();
  const QList<QByteArray> fields = f.readAll().split(' ');
  if (fields.size() < 2) return QString();
  const double bytes = fields[1].toDouble() * double(sysconf(_SC_PAGESIZE));
  return QString("Memory: %1 MB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 0);
}

}  // namespace

MainWindow::MainWindow(const QString& dbPath, QWidget* parent) : QMainWindow(parent) {
  dbPath_ = dbPath.isEmpty() ? QString::fromStdString(results::ResultsDb::defaultPath()) : dbPath;
  QString dbError;
  try {
    db_ = std::make_unique<results::ResultsDb>(dbPath_.toStdString());
  } catch (const std::exception& e) {
    dbError = QString::fromStdString(pw::errorText(e));
  }
  queue_ = std::make_unique<RunQueue>(dbPath_);

  setWindowTitle("PEFT Workbench");
  resize(1280, 800);
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setDockNestingEnabled(true);

  panel_ = new ExperimentPanel(QFileInfo(dbPath_).absolutePath() + "/tasks");
  auto* panelDock = new QDockWidget("Experiment", this);
  panelDock->setObjectName("experimentDock");
  panelDock->setWidget(panel_);
  panelDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  panel_->setMinimumWidth(330);
  addDockWidget(Qt::LeftDockWidgetArea, panelDock);

  runs_ = new RunsPanel();
  auto* runsDock = new QDockWidget("Runs", this);
  runsDock->setObjectName("runsDock");
  runsDock->setWidget(runs_);
  runsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::BottomDockWidgetArea, runsDock);
  resizeDocks({runsDock}, {210}, Qt::Vertical);
  resizeDocks({panelDock}, {390}, Qt::Horizontal);  // the model and task lines fit on one line each

  auto* central = new QWidget();
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(4, 4, 4, 0);
  messageBar_ = new MessageBar();
  layout->addWidget(messageBar_);

  tabs_ = new QTabWidget();
  training_ = new TrainingTab();
  params_ = new ParamsTab();
  idOod_ = new IdOodTab();
  tabs_->addTab(training_, "Training");
  tabs_->addTab(params_, "Parameters");
  tabs_->addTab(idOod_, "ID vs OOD");
  sweep_ = new SweepTab();
  tabs_->addTab(sweep_, "Sweep");
  addTeachingTabs();  // Try it, Architecture, the method help dock
  layout->addWidget(tabs_, 1);
  setCentralWidget(central);

  stateLabel_ = new QLabel("Idle");
  threadsLabel_ = new QLabel();
  memoryLabel_ = new QLabel(residentMemory());
  statusBar()->addWidget(stateLabel_, 1);
  statusBar()->addPermanentWidget(threadsLabel_);
  statusBar()->addPermanentWidget(memoryLabel_);
  memoryTimer_.setInterval(2000);
  connect(&memoryTimer_, &QTimer::timeout, this, [this] { memoryLabel_->setText(residentMemory()); });
  memoryTimer_.start();

  presentation_ = new PresentationMode(this);
  buildMenus();

  connect(panel_, &ExperimentPanel::runRequested, this, &MainWindow::startRun);
  connect(panel_, &ExperimentPanel::tuneRequested, this, [this] { openTuneDialog(); });
  connect(panel_, &ExperimentPanel::message, this, &MainWindow::showMessage);
  connect(panel_, &ExperimentPanel::modelLoaded, this, &MainWindow::modelLoaded);
  connect(runs_, &RunsPanel::selectionChanged, this, &MainWindow::scheduleRefresh);
  connect(runs_, &RunsPanel::deleteRequested, this, [this](const QList<qint64>& ids) { deleteRuns(ids, true); });
  connect(training_, &TrainingTab::pauseToggled, this, [this](bool on) { queue_->setPaused(on); });
  connect(training_, &TrainingTab::stopRequested, this, &MainWindow::stopRun);
  connect(training_, &TrainingTab::stepRequested, queue_.get(), &RunQueue::step);
  connect(sweep_, &SweepTab::runRequested, this, &MainWindow::startSweep);
  connect(runs_->model(), &QAbstractItemModel::modelReset, sweep_, [this] { sweep_->setRuns(runs_->model()->runs()); });
  connect(presentation_, &PresentationMode::toggled, this, &MainWindow::scheduleRefresh);

  connect(queue_.get(), &RunQueue::runStarted, this, &MainWindow::onRunStarted);
  connect(queue_.get(), &RunQueue::phaseChanged, this, [this](qint64 id, const PhaseEvent& e) {
    livePhases_[id] = e;
    if (id == queue_->currentRunId()) training_->phaseChanged(e);
    if (e.phase != "training") runs_->model()->setProgress(id, int(100 * e.fraction), QString::fromStdString(e.phase));
  });
  connect(queue_.get(), &RunQueue::stepped, this, [this](qint64 id, const StepEvent& e) {
    training_->chart()->addStep(id, e.step, e.epoch, e.stage, e.loss);
    if (id == queue_->currentRunId()) training_->stepped(e);  // side by side: the bar follows the latest run
    runs_->model()->setProgress(id, e.totalSteps > 0 ? int(100 * e.step / e.totalSteps) : 0, "training");
  });
  connect(queue_.get(), &RunQueue::evaluated, this, [this](qint64 id, const EvalEvent& e) {
    training_->chart()->addEval(id, e.step, e.epoch, e.stage, e.loss, e.accuracy);
  });
  connect(queue_.get(), &RunQueue::runFinished, this, &MainWindow::onRunFinished);
  connect(queue_.get(), &RunQueue::logFailed, this, [this](const QString& e) { showMessage("TensorBoard log: " + e, true); });
  connect(queue_.get(), &RunQueue::queueFinished, this, &MainWindow::onQueueFinished);

  connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::refreshVisibleTab);
  refreshTimer_.setSingleShot(true);
  refreshTimer_.setInterval(0);
  connect(&refreshTimer_, &QTimer::timeout, this, &MainWindow::refreshCharts);

  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  panel_->restoreSettings();
  training_->restoreSettings();
  tabs_->setCurrentIndex(settings.value("window/tab", 0).toInt());
  presentation_->restoreFromSettings();
  if (settings.value("logs/tensorboardOn", false).toBool()) {
    queue_->setTensorBoardRoot(settings.value("logs/tensorboard").toString());
    tensorBoardAction_->setChecked(true);
  }
  setThreadsInUse(0);
  if (!dbError.isEmpty()) showMessage("Runs will not be saved: " + dbError, true);
  else if (db_ && db_->readOnly())
    showMessage(QString("%1 is read-only: its runs can be looked at and compared, but new runs will not be saved%2.")
                    .arg(dbPath_, db_->immutable() ? " (changes not yet written back into the file are not shown)" : ""),
                true);
  reloadRuns();
  refreshCharts();
}

MainWindow::~MainWindow() {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("window/tab", tabs_->currentIndex());
  panel_->saveSettings();
  training_->saveSettings();
  queue_.reset();  // stops the run and waits for the worker thread
}

void MainWindow::setTensorBoardRoot(const QString& dir) {
  queue_->setTensorBoardRoot(dir);
  if (tensorBoardAction_) {
    const QSignalBlocker block(tensorBoardAction_);
    tensorBoardAction_->setChecked(!dir.isEmpty());
  }
  QSettings settings;
  if (!dir.isEmpty()) settings.setValue("logs/tensorboard", dir);
  settings.setValue("logs/tensorboardOn", !dir.isEmpty());
  if (!dir.isEmpty())
    showMessage(QString("Runs from now on also write TensorBoard logs to %1 (view them with: tensorboard --logdir %1).")
                    .arg(dir), false);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open model folder...", QKeySequence::Open, panel_, &ExperimentPanel::openModelFolder);
  file->addAction("Open from the &Hub...", QKeySequence("Ctrl+Shift+O"), panel_, &ExperimentPanel::openFromHub);
  file->addAction("&Import dataset...", panel_, &ExperimentPanel::importDataset);
  file->addSeparator();
  addSessionMenu(file);
  file->addSeparator();
  file->addAction("&Export this tab's charts or table...", QKeySequence("Ctrl+E"), this, &MainWindow::exportDialog);
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* run = menuBar()->addMenu("&Run");
  run->addAction("&Run checked methods", QKeySequence("Ctrl+R"), this, &MainWindow::startRun);
  run->addAction("Quick &demo (8 methods)", this, &MainWindow::startDemo);
  tensorBoardAction_ = run->addAction("Write &TensorBoard logs...");
  tensorBoardAction_->setCheckable(true);
  tensorBoardAction_->setToolTip("Each run also writes its curves and results as a TensorBoard log, a folder per run");
  connect(tensorBoardAction_, &QAction::triggered, this, [this](bool on) {
    QString dir;
    if (on) {
      const QString start = QSettings().value("logs/tensorboard", QDir::homePath() + "/tensorboard").toString();
      dir = QFileDialog::getExistingDirectory(this, "Folder for TensorBoard logs", start);
    }
    setTensorBoardRoot(dir);
  });
  run->addAction("&Tune learning rates of the selected method...", this, [this] { openTuneDialog(); });
  run->addAction("&Pause / resume", this, [this] {
    if (!isRunning()) return;
    const bool paused = !queue_->isPaused();
    queue_->setPaused(paused);
    training_->setPaused(paused);
  });
  auto* stop = run->addAction("&Stop", QKeySequence(Qt::Key_Escape), this, &MainWindow::stopRun);
  stop->setShortcutContext(Qt::WindowShortcut);

  QMenu* view = menuBar()->addMenu("&View");
  for (int i = 0; i < tabs_->count(); ++i)
    view->addAction(tabs_->tabText(i), QKeySequence(QString("Ctrl+%1").arg(i + 1)), this, [this, i] { tabs_->setCurrentIndex(i); });
  view->addSeparator();
  if (auto* dock = findChild<QDockWidget*>("experimentDock")) view->addAction(dock->toggleViewAction());
  if (helpDock_) view->addAction(helpDock_->toggleViewAction());
  view->addAction(presentation_->action());
}

bool MainWindow::showTab(const QString& title) {
  for (int i = 0; i < tabs_->count(); ++i) {
    if (tabs_->tabText(i).remove('&').compare(title, Qt::CaseInsensitive) == 0) {
      tabs_->setCurrentIndex(i);
      return true;
    }
  }
  return false;
}

void MainWindow::showModel(const QString& nameOrFolder) { panel_->setModelSource(nameOrFolder); }

QString MainWindow::currentSummaryText() const {
  const ModelInfo& info = panel_->modelInfo();
  return info.error.isEmpty() && info.source == panel_->modelSource() ? info.text : QString();
}

QString MainWindow::messageText() const { return messageBar_->text(); }

void MainWindow::showMessage(const QString& text, bool error) { messageBar_->showMessage(text, error); }

void MainWindow::setThreadsInUse(int threads) {
  threadsLabel_->setText(threads > 0 ? QString("Training threads: %1").arg(threads) : QString());
  threadsLabel_->setVisible(threads > 0);
}

bool MainWindow::isRunning() const { return queue_->isRunning(); }

void MainWindow::startRun() {
  const std::vector<TrainConfig> configs = panel_->runConfigs();
  if (configs.empty()) {
    showMessage("Check at least one method in the Methods list, then press Run.", false);
    return;
  }
  if (isRunning()) {
    if (SweepTab::isSweepBatch(latestBatch_.toStdString())) {  // a sweep's batch holds its own runs only
      showMessage("A sweep is training: wait for it to finish (or stop it) before adding runs.", false);
      return;
    }
    queue_->start(configs, latestBatch_);
    showMessage(QString("Added %1 run(s) to the queue.").arg(configs.size()), false);
    return;
  }
  startBatch(configs, QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss-zzz"));
}

bool MainWindow::startBatch(const std::vector<TrainConfig>& configs, const QString& batch, bool showTraining) {
  if (configs.empty()) return false;
  if (isRunning()) {
    showMessage("Runs are training: wait for the queue to finish (or stop it) first.", false);
    return false;
  }
  latestBatch_ = batch;
  finishedInQueue_ = failedInQueue_ = 0;
  runs_->view()->clearSelection();  // the charts follow the new batch
  training_->chart()->clear();
  training_->queueStarted();
  panel_->setRunning(true);
  sweep_->setRunning(true);
  if (showTraining) tabs_->setCurrentWidget(training_);
  messageBar_->hide();
  queue_->setParallel(panel_->parallelRuns(int(configs.size())));
  queue_->start(configs, latestBatch_);
  updateStatus();
  return true;
}

void MainWindow::startSweep() {
  const auto configs = sweep_->configs([this](const QString& m, uint64_t seed) { return panel_->configFor(m, seed); },
                                       uint64_t(panel_->firstSeed()));
  const QString batch = SweepTab::newBatchId();
  if (startBatch(configs, batch, false)) sweep_->showBatch(batch);  // the chart fills in as runs finish
}

void MainWindow::stopRun() {
  if (!isRunning()) return;
  queue_->stop();
  stateLabel_->setText("Stopping...");
}

void MainWindow::startDemo() {
  if (isRunning()) return;
  const QStringList models = shippedModels(), tasks = builtinTasks();
  if (!models.isEmpty()) panel_->setModelSource(models.first());
  if (!tasks.isEmpty()) panel_->setTaskSource(tasks.first());
  panel_->setRandomInit(false);
  panel_->setPreset("quick");
  panel_->setSeeds(1);
  panel_->setCheckedMethods({"lp", "ft", "lp-ft", "prompt", "prefix", "adapter", "lora", "bitfit"});
  startRun();
}

QString MainWindow::liveLabel(const TrainConfig& c) const {
  QString label = groupLabel(QString::fromStdString(c.method), c.knobs);
  if (c.randomInit) label += " (random weights)";
  if (c.seed != 1) label += QString(" (seed %1)").arg(c.seed);
  return label;
}

void MainWindow::onRunStarted(qint64 runId, int position, int count, const QString& method) {
  liveRunIds_.insert(runId);
  const QString label = liveLabel(queue_->runConfig(runId));
  training_->chart()->addRun(runId, label, method);
  if (runId == queue_->currentRunId()) training_->runStarted(position, count, label);
  reloadRuns();
  updateStatus();
  scheduleRefresh();
}

void MainWindow::onRunFinished(qint64 runId, const QString& status, const QString& error) {
  liveRunIds_.remove(runId);
  livePhases_.remove(runId);
  const QString title = methodTitle(QString::fromStdString(queue_->runConfig(runId).method));
  // Side by side: the Training tab's bar moves to the run still training that is latest in the queue.
  if (queue_->currentRunId() >= 0 && queue_->currentRunId() != runId) {
    training_->runStarted(queue_->currentPosition(), queue_->count(), liveLabel(queue_->currentConfig()));
    if (livePhases_.contains(queue_->currentRunId())) training_->phaseChanged(livePhases_[queue_->currentRunId()]);
  }
  const RunStatus outcome = statusFromName(status.toStdString());
  if (outcome == RunStatus::Finished) ++finishedInQueue_;
  if (outcome == RunStatus::Failed) {
    ++failedInQueue_;
    showMessage(title + " failed: " + error, true);
  }
  reloadRuns();
  updateStatus();
  scheduleRefresh();
}

void MainWindow::onQueueFinished(bool stopped) {
  QString summary = QString("Done: %1 run(s) finished").arg(finishedInQueue_);
  if (failedInQueue_) summary += QString(", %1 failed").arg(failedInQueue_);
  if (stopped) summary += "; stopped by the user (finished runs are kept)";
  training_->queueFinished(summary + ".");
  panel_->setRunning(false);
  sweep_->setRunning(false);
  updateStatus();
  Q_EMIT queueFinished(stopped);
}

void MainWindow::updateStatus() {
  if (isRunning())
    stateLabel_->setText(queue_->runningCount() > 1
                             ? QString("Training %1 runs side by side (started %2 of %3)")
                                   .arg(queue_->runningCount())
                                   .arg(queue_->position())
                                   .arg(queue_->count())
                             : QString("Training %1 (run %2 of %3)")
                                   .arg(methodTitle(QString::fromStdString(queue_->currentConfig().method)))
                                   .arg(std::max(1, queue_->currentPosition()))
                                   .arg(queue_->count()));
  else
    stateLabel_->setText(QString("Idle. Results: %1").arg(dbPath_));
}

void MainWindow::reloadRuns() {
  if (!db_) return;
  try {
    runs_->setRuns(db_->listRuns());
  } catch (const std::exception& e) {
    showMessage("Cannot read the runs: " + QString::fromStdString(pw::errorText(e)), true);
  }
}

QList<qint64> MainWindow::displayedRunIds() const {
  QList<qint64> ids = runs_->selectedRunIds();
  if (!ids.isEmpty()) return ids;
  const auto& runs = runs_->model()->runs();
  if (runs.empty()) return ids;
  QString batch = latestBatch_;
  if (batch.isEmpty()) {
    const auto latest = std::max_element(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    if (latest->batch.empty()) return {latest->id};
    batch = QString::fromStdString(latest->batch);
  }
  for (const auto& r : runs)
    if (QString::fromStdString(r.batch) == batch) ids << r.id;
  return ids;
}

void MainWindow::scheduleRefresh() {
  if (!refreshTimer_.isActive()) refreshTimer_.start();
}

void MainWindow::refreshCharts() {
  const QList<qint64> ids = displayedRunIds();
  const bool selected = !runs_->selectedRunIds().isEmpty();
  runs_->setShowingText(selected ? QString("Charts show the %1 selected run(s).").arg(ids.size())
                                 : QString("Charts show the latest batch (%1 run(s)); select rows to compare others.").arg(ids.size()));
  QList<const results::RunRecord*> records;
  for (qint64 id : ids) {
    const int row = runs_->model()->rowOfRun(id);
    if (row >= 0) records << &runs_->model()->run(row);
  }
  const ShownRuns shown(records);

  // Training: drop runs no longer shown, load the curves of newly shown ones (the live run streams in).
  LossChart* chart = training_->chart();
  const QSet<qint64> wanted(ids.begin(), ids.end());
  for (qint64 id : chart->runIds())
    if (!wanted.contains(id) && !liveRunIds_.contains(id)) chart->removeRun(id);
  for (const auto* r : shown.runs()) {
    if (chart->hasRun(r->id) || liveRunIds_.contains(r->id) || !db_) continue;
    try {
      addRunCurves(*chart, *r, db_->curve(r->id), shown.label(*r));
    } catch (const std::exception& e) {
      showMessage("Cannot read the curves of run " + QString::number(r->id) + ": " + QString::fromStdString(pw::errorText(e)), true);
    }
  }
  staleParams_ = staleIdOod_ = true;
  refreshVisibleTab();
}

// The Parameters and ID vs OOD tabs are rebuilt when they are in front (drawing hidden charts would
// cost the GUI thread time while a run trains); switching to one catches it up.
void MainWindow::refreshVisibleTab() {
  QWidget* page = tabs_->currentWidget();
  if (!(page == params_ && staleParams_) && !(page == idOod_ && staleIdOod_)) return;
  QList<const results::RunRecord*> records;
  for (qint64 id : displayedRunIds()) {
    const int row = runs_->model()->rowOfRun(id);
    if (row >= 0) records << &runs_->model()->run(row);
  }
  const ShownRuns shown(records);
  if (page == params_) {
    params_->setEntries(shown.budgetEntries());
    staleParams_ = false;
  } else {
    idOod_->setRuns(shown.summaries());
    staleIdOod_ = false;
  }
}

void MainWindow::deleteRuns(const QList<qint64>& ids, bool ask) {
  QList<qint64> removable;
  for (qint64 id : ids) {
    const int row = runs_->model()->rowOfRun(id);
    if (row >= 0 && runs_->model()->run(row).status != RunStatus::Running) removable << id;
  }
  if (removable.isEmpty() || !db_) return;
  if (ask && QMessageBox::question(this, "Delete runs",
                                   QString("Delete %1 run(s) and their curves from the results database?")
                                       .arg(removable.size())) != QMessageBox::Yes)
    return;
  try {
    for (qint64 id : removable) {
      const QString adapter = QString::fromStdString(runs_->model()->run(runs_->model()->rowOfRun(id)).adapterDir);
      db_->deleteRun(id);
      removeRunAdapterFolder(dbPath_, adapter);  // its saved method state goes with it
    }
  } catch (const std::exception& e) {
    showMessage("Cannot delete: " + QString::fromStdString(pw::errorText(e)), true);
  }
  runs_->view()->clearSelection();
  reloadRuns();
  scheduleRefresh();
}

QStringList MainWindow::exportCurrentTab(const QString& file, QString* error) {
  QWidget* page = tabs_->currentWidget();
  QString err;
  QStringList written;
  if (QFileInfo(file).suffix().toLower() == "csv") {
    const QAbstractItemModel* model = page == params_ ? params_->table()->model() : runs_->model();
    if (exportCsv(model, file, &err)) written << file;
  } else {
    written = exportCharts(page, file, &err);
  }
  if (error) *error = err;
  return written;
}

void MainWindow::exportDialog() {
  QSettings settings;
  QString filter;
  const QString name = tabs_->tabText(tabs_->currentIndex()).remove('&').toLower().replace(' ', '-');
  QString file = QFileDialog::getSaveFileName(this, "Export the charts of this tab (PNG / PDF) or its table (CSV)",
                                              settings.value("export/dir").toString() + "/" + name,
                                              "PNG images (*.png);;PDF documents (*.pdf);;CSV table (*.csv)", &filter);
  if (file.isEmpty()) return;
  if (QFileInfo(file).suffix().isEmpty())
    file += filter.startsWith("PDF") ? ".pdf" : filter.startsWith("CSV") ? ".csv" : ".png";
  settings.setValue("export/dir", QFileInfo(file).absolutePath());
  QString error;
  const QStringList written = exportCurrentTab(file, &error);
  if (!error.isEmpty()) showMessage("Export failed: " + error, true);
  else showMessage("Exported: " + written.join(", "), false);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (isRunning() &&
      QMessageBox::question(this, "Quit", "A run is training. Stop it and quit? (Finished runs are already saved.)") !=
          QMessageBox::Yes) {
    event->ignore();
    return;
  }
  stopRun();
  event->accept();
}

}  // namespace pw::ui
