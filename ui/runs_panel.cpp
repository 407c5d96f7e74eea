// The runs table panel (see runs_panel.h).
#include "runs_panel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "export.h"

namespace pw::ui {

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent) {
  model_ = new RunsModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
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
  auto* clearButton = new QPushButton("Show latest batch");
  clearButton->setToolTip("Clear the selection: the charts show the runs of the latest click of Run");
  bar->addWidget(showing_, 1);
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
  for (const QModelIndex& i : view_->selectionModel()->selectedRows())
    ids << model_->run(proxy_->mapToSource(i).row()).id;
  return ids;
}

void RunsPanel::selectRuns(const QList<qint64>& ids) {
  QItemSelection selection;
  for (qint64 id : ids) {
    const int row = model_->rowOfRun(id);
    if (row < 0) continue;
    const QModelIndex first = proxy_->mapFromSource(model_->index(row, 0));
    const QModelIndex last = proxy_->mapFromSource(model_->index(row, RunsModel::ColumnCount - 1));
    selection.select(first, last);
  }
  view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void RunsPanel::setShowingText(const QString& text) { showing_->setText(text); }

}  // namespace pw::ui
