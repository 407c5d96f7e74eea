// The main window's teaching parts (see main_window.h): the Try it and Architecture tabs, the method help
// dock, saved sessions with a recent-files menu, switching the results database, and "Export adapter..."
// in the runs table's context menu. Kept apart from main_window.cpp, which wires training and charts.
#include "main_window.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>

#include "architecture_tab.h"
#include "charts/loss_chart.h"
#include "experiment_panel.h"
#include "method_help.h"
#include "run_adapters.h"
#include "run_labels.h"
#include "run_queue.h"
#include "runs_panel.h"
#include "session.h"
#include "training_tab.h"
#include "try_it_tab.h"
#include "train/adapter_card.h"
#include "util/error_text.h"

namespace pw::ui {

void MainWindow::addTeachingTabs() {
  tryIt_ = new TryItTab(runs_);
  architecture_ = new ArchitectureTab(panel_);
  tabs_->addTab(tryIt_, "Try it");
  tabs_->addTab(architecture_, "Architecture");

  helpPane_ = new MethodHelpPane();
  helpDock_ = new QDockWidget("Method help", this);
  helpDock_->setObjectName("helpDock");
  helpDock_->setWidget(helpPane_);
  helpDock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                         QDockWidget::DockWidgetClosable);
  helpDock_->toggleViewAction()->setText("Method &help");
  helpDock_->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F1));
  addDockWidget(Qt::RightDockWidgetArea, helpDock_);
  resizeDocks({helpDock_}, {320}, Qt::Horizontal);
  helpDock_->hide();  // F1 or the Architecture tab's button shows it; the window remembers it from then on
  auto updateHelp = [this] {
    const QString method = panel_->selectedMethod();
    if (!method.isEmpty()) helpPane_->setMethod(method, panel_->knobs(method));
  };
  connect(panel_, &ExperimentPanel::selectedMethodChanged, this, updateHelp);
  connect(architecture_, &ArchitectureTab::helpRequested, this, [this] {
    helpDock_->show();
    helpDock_->raise();
  });
  connect(panel_, &ExperimentPanel::budgetUpdated, this, updateHelp);
  updateHelp();

  // The runs table's context menu: "Export adapter..." first, then the table's own actions (delete, CSV),
  // with tooltips so a disabled export says why.
  exportAdapterAction_ = new QAction("Export adapter...", this);
  connect(exportAdapterAction_, &QAction::triggered, this, &MainWindow::exportAdapterDialog);
  QTableView* view = runs_->view();
  view->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& pos) {
    updateExportAdapterAction();
    QMenu menu(view);
    menu.setToolTipsVisible(true);
    menu.addAction(exportAdapterAction_);
    menu.addSeparator();
    menu.addActions(view->actions());
    menu.exec(view->viewport()->mapToGlobal(pos));
  });
}

void MainWindow::addSessionMenu(QMenu* file) {
  file->addAction("Open &session...", QKeySequence("Ctrl+Shift+O"), this, &MainWindow::openSessionDialog);
  recentMenu_ = file->addMenu("Open &recent session");
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  rebuildRecentMenu();
  file->addAction("Sa&ve session...", QKeySequence("Ctrl+Shift+S"), this, &MainWindow::saveSessionDialog);
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList files = recentSessions();
  for (const QString& f : files) {
    QAction* a = recentMenu_->addAction(QFileInfo(f).fileName() + "   (" + QFileInfo(f).absolutePath() + ")");
    a->setEnabled(QFileInfo::exists(f));
    a->setToolTip(a->isEnabled() ? f : f + " (not found)");
    connect(a, &QAction::triggered, this, [this, f] {
      QString error;
      if (!openSession(f, &error)) showMessage("Cannot open the session: " + error, true);
    });
  }
  if (files.isEmpty()) recentMenu_->addAction("(none yet)")->setEnabled(false);
  recentMenu_->addSeparator();
  recentMenu_->addAction("Clear the list", this, [] { QSettings().remove("session/recent"); });
}

bool MainWindow::saveSession(const QString& file, QString* error) {
  Session s;
  s.experiment = panel_->state();
  s.tab = tabs_->tabText(tabs_->currentIndex()).remove('&');
  s.tryItText = tryIt_->text();
  s.database = QFileInfo(dbPath_).absoluteFilePath();
  s.shownRuns = displayedRunIds();
  if (!writeSessionFile(s, file, error)) return false;
  addRecentSession(file);
  setWindowTitle("PEFT Workbench - " + QFileInfo(file).fileName());
  return true;
}

bool MainWindow::openSession(const QString& file, QString* error) {
  Session s;
  if (!readSessionFile(file, &s, error)) return false;
  QStringList notes;
  if (!s.database.isEmpty() && QFileInfo(s.database).absoluteFilePath() != QFileInfo(dbPath_).absoluteFilePath()) {
    QString dbError;
    if (!QFileInfo::exists(s.database))
      notes << "its results database " + s.database + " is not on this machine, so its runs are not shown";
    else if (!switchDatabase(s.database, &dbError))
      notes << "its runs are not shown: " + dbError;
  }
  panel_->setState(s.experiment);
  tryIt_->setText(s.tryItText);
  if (!s.tab.isEmpty() && !showTab(s.tab)) notes << "it showed a tab this version does not have (" + s.tab + ")";
  QList<qint64> present;
  for (qint64 id : s.shownRuns)
    if (runs_->model()->rowOfRun(id) >= 0) present << id;
  if (present.size() < s.shownRuns.size() && notes.isEmpty())
    notes << QString("%1 of its %2 runs are no longer in the results database")
                 .arg(s.shownRuns.size() - present.size())
                 .arg(s.shownRuns.size());
  runs_->selectRuns(present);
  scheduleRefresh();
  addRecentSession(file);
  setWindowTitle("PEFT Workbench - " + QFileInfo(file).fileName());
  showMessage("Opened the session " + QFileInfo(file).fileName() + (notes.isEmpty() ? "." : "; " + notes.join("; ") + "."),
              !notes.isEmpty());
  return true;
}

void MainWindow::saveSessionDialog() {
  QSettings settings;
  QString file = QFileDialog::getSaveFileName(this, "Save the session (settings, knobs, shown runs)",
                                              settings.value("session/dir", QDir::homePath()).toString() + "/lesson.pwb",
                                              "PEFT Workbench sessions (*.pwb)");
  if (file.isEmpty()) return;
  if (QFileInfo(file).suffix().isEmpty()) file += ".pwb";
  settings.setValue("session/dir", QFileInfo(file).absolutePath());
  QString error;
  if (saveSession(file, &error)) showMessage("Saved the session to " + file, false);
  else showMessage("Cannot save the session: " + error, true);
}

void MainWindow::openSessionDialog() {
  QSettings settings;
  const QString file = QFileDialog::getOpenFileName(this, "Open a session", settings.value("session/dir", QDir::homePath()).toString(),
                                                    "PEFT Workbench sessions (*.pwb);;All files (*)");
  if (file.isEmpty()) return;
  settings.setValue("session/dir", QFileInfo(file).absolutePath());
  QString error;
  if (!openSession(file, &error)) {
    showMessage("Cannot open the session: " + error, true);
    QMessageBox::warning(this, "Open session", error);
  }
}

bool MainWindow::switchDatabase(const QString& path, QString* error) {
  const QString target = QFileInfo(path).absoluteFilePath();
  if (target == QFileInfo(dbPath_).absoluteFilePath()) return true;
  if (isRunning()) {
    if (error) *error = "runs are training into the current results database: stop them first";
    return false;
  }
  std::unique_ptr<results::ResultsDb> db;
  try {
    db = std::make_unique<results::ResultsDb>(target.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(pw::errorText(e));
    return false;
  }
  db_ = std::move(db);
  dbPath_ = target;
  queue_->setDatabasePath(target);
  latestBatch_.clear();
  liveRunIds_.clear();
  livePhases_.clear();
  runs_->view()->clearSelection();
  training_->chart()->clear();
  tryIt_->clearCache();
  reloadRuns();
  updateStatus();
  scheduleRefresh();
  return true;
}

void MainWindow::updateExportAdapterAction() {
  const QList<qint64> ids = runs_->selectedRunIds();
  QString why;
  if (ids.size() != 1) {
    why = ids.isEmpty() ? "Select a run first." : "Select one run (a row grouping seeds holds several).";
  } else {
    const int row = runs_->model()->rowOfRun(ids.first());
    const results::RunRecord* r = row >= 0 ? &runs_->model()->run(row) : nullptr;
    if (!r) why = "Select a run first.";
    else if (r->adapterDir.empty())
      why = "This run kept no method state (trained before the workbench saved it, or by the command line without "
            "--save-adapter).";
    else if (!isAdapterFolder(QString::fromStdString(r->adapterDir)))
      why = "Its saved method state is gone: " + QString::fromStdString(r->adapterDir);
  }
  exportAdapterAction_->setEnabled(why.isEmpty());
  exportAdapterAction_->setToolTip(why.isEmpty() ? "Save this run's method state in the PEFT layout "
                                                   "(adapter_config.json + adapter_model.safetensors) to a folder"
                                                 : why);
}

bool MainWindow::exportRunAdapter(qint64 runId, const QString& folder, QString* error) {
  const int row = runs_->model()->rowOfRun(runId);
  if (row < 0) {
    if (error) *error = QString("no run %1 in the results database").arg(runId);
    return false;
  }
  return exportAdapterFolder(QString::fromStdString(runs_->model()->run(row).adapterDir), folder, true, error);
}

void MainWindow::exportAdapterDialog() {
  updateExportAdapterAction();
  const QList<qint64> ids = runs_->selectedRunIds();
  if (!exportAdapterAction_->isEnabled() || ids.size() != 1) {
    showMessage(exportAdapterAction_->toolTip(), false);
    return;
  }
  const results::RunRecord& r = runs_->model()->run(runs_->model()->rowOfRun(ids.first()));
  QSettings settings;
  QString folder = QFileDialog::getExistingDirectory(
      this, QString("Export the adapter of run %1 (%2) into a folder").arg(r.id).arg(runLabel(r)),
      settings.value("export/adapterDir", QDir::homePath()).toString());
  if (folder.isEmpty()) return;
  settings.setValue("export/adapterDir", folder);
  // A folder that holds other things gets a subfolder of its own, so an export never scatters files into it.
  const QDir chosen(folder);
  if (!isAdapterFolder(folder) && !chosen.isEmpty())
    folder = chosen.filePath(QString("%1-run%2").arg(QString::fromStdString(r.method)).arg(r.id));
  else if (isAdapterFolder(folder) &&
           QMessageBox::question(this, "Export adapter", folder + " already holds an adapter. Replace its files?") !=
               QMessageBox::Yes)
    return;
  QString error;
  if (!exportRunAdapter(r.id, folder, &error)) {
    showMessage("Cannot export the adapter: " + error, true);
    return;
  }
  const QString done = "Exported the adapter of run " + QString::number(r.id) + " to " + folder;
  // Where transformers would compute other logits from the folder, say so now, not only in its README.md.
  const QString why = QString::fromStdString(transformersWarning(folder.toStdString()));
  if (why.isEmpty()) showMessage(done, false);
  else
    QMessageBox::information(this, "Exported: not the same logits in transformers",
                             done + ".\n\nNote: transformers computes other logits from this folder: " + why +
                                 ". PEFT Workbench reproduces this run's predictions; the folder's README.md says so.");
}

}  // namespace pw::ui
