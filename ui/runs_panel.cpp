// The runs table panel (see runs_panel.h).
#include "runs_panel.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "export.h"
#include "seed_groups_model.h"

namespace pw::ui {

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent) {
  model_ = new RunsModel(this);
  groups_ = new SeedGroupsModel(model_, this);
  proxy_ = new QSortFilterProxyModel(this);
  const bool grouped = QSettings().value("runs/groupSeeds", true).toBool();
  proxy_->setSourceModel(grouped ? static_cast<QAbstractItemModel*>(groups_) : model_);
  proxy_->setSortRole(Qt::UserRole);
  view_ = new QTableView();
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(RunsModel::Id, Qt::AscendingOrder);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setAlternatingRowColors(true);
  view_->verticalHeader()->setVisible(false);
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  view_->setWordWrap(false);

  auto* remove = new QAction("Delete selected runs", view_);
  remove->setShortcut(QKeySequence::Delete);
  remove->setShortcutContext(Qt::WidgetShortcut);
  connect(remove, &QAction::triggered, this, [this] {
    if (!selectedRunIds().isEmpty()) Q_EMIT deleteRequested(selectedRunIds());
  });
  view_->addAction(remove);
  installExportMenu(view_, "runs");

  auto* bar = new QHBoxLayout();
  showing_ = new QLabel();
  showing_->setStyleSheet("color: #555;");
  auto* deleteButton = new QPushButton("Delete selected");
  groupSeeds_ = new QCheckBox("Group seeds");
  groupSeeds_->setToolTip("One row per configuration: its runs that differ only in the seed, with the mean of "
                          "their accuracy and its 95 % t-interval over the seeds");
  groupSeeds_->setChecked(proxy_->sourceModel() == groups_);
  connect(groupSeeds_, &QCheckBox::toggled, this, &RunsPanel::setGroupSeeds);
  auto* clearButton = new QPushButton("Show latest batch");
  clearButton->setToolTip("Clear the selection: the charts show the runs of the latest click of Run");
  bar->addWidget(showing_, 1);
  bar->addWidget(groupSeeds_);
  bar->addWidget(clearButton);
  bar->addWidget(deleteButton);
  connect(deleteButton, &QPushButton::clicked, remove, &QAction::trigger);
  connect(clearButton, &QPushButton::clicked, view_, &QTableView::clearSelection);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addWidget(view_, 1);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    if (!restoringSelection_) Q_EMIT selectionChanged();
  });
}

void RunsPanel::setRuns(std::vector<results::RunRecord> runs) {
  const QList<qint64> selected = selectedRunIds();
  const int before = model_->rowCount();
  restoringSelection_ = true;
  model_->setRuns(std::move(runs));
  selectRuns(selected);
  restoringSelection_ = false;
  // Fit the columns when rows arrive (not on every refresh, which would undo a user's resizing).
  if (model_->rowCount() != before) {
    view_->resizeColumnsToContents();
    // Room for the live status ("evaluating 100%") that replaces the first one it was fitted to.
    const int status = view_->fontMetrics().horizontalAdvance("evaluating 100%") + 16;
    if (view_->columnWidth(RunsModel::Status) < status) view_->setColumnWidth(RunsModel::Status, status);
  }
}

QList<qint64> RunsPanel::selectedRunIds() const {
  QList<qint64> ids;
  for (const QModelIndex& i : view_->selectionModel()->selectedRows()) {
    const int row = proxy_->mapToSource(i).row();
    if (groupSeeds()) ids << groups_->runIds(row);
    else ids << model_->run(row).id;
  }
  return ids;
}

void RunsPanel::selectRuns(const QList<qint64>& ids) {
  QItemSelection selection;
  QAbstractItemModel* shown = proxy_->sourceModel();
  QSet<int> rows;  // a group holds several of the ids: select its row once
  for (qint64 id : ids) {
    const int row = groupSeeds() ? groups_->rowOfRun(id) : model_->rowOfRun(id);
    if (row < 0 || rows.contains(row)) continue;
    rows << row;
    const QModelIndex first = proxy_->mapFromSource(shown->index(row, 0));
    const QModelIndex last = proxy_->mapFromSource(shown->index(row, RunsModel::ColumnCount - 1));
    selection.select(first, last);
  }
  view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void RunsPanel::setShowingText(const QString& text) { showing_->setText(text); }

bool RunsPanel::groupSeeds() const { return proxy_->sourceModel() == groups_; }

QAbstractItemModel* RunsPanel::shownModel() const { return proxy_->sourceModel(); }

void RunsPanel::setGroupSeeds(bool on) {
  if (on == groupSeeds()) return;
  const QList<qint64> selected = selectedRunIds();
  restoringSelection_ = true;
  proxy_->setSourceModel(on ? static_cast<QAbstractItemModel*>(groups_) : model_);
  selectRuns(selected);
  restoringSelection_ = false;
  {
    const QSignalBlocker block(groupSeeds_);
    groupSeeds_->setChecked(on);
  }
  QSettings().setValue("runs/groupSeeds", on);
  view_->resizeColumnsToContents();
  Q_EMIT selectionChanged();
}

}  // namespace pw::ui
