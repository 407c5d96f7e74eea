// The Parameters tab (see params_tab.h).
#include "params_tab.h"

#include <QHeaderView>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "export.h"
#include "method_colors.h"

namespace pw::ui {
namespace {

QTableWidgetItem* countItem(qint64 n) {
  auto* item = new QTableWidgetItem(QLocale().toString(n));
  item->setData(Qt::UserRole, n);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

ParamsTab::ParamsTab(QWidget* parent) : QWidget(parent) {
  chart_ = new BudgetChart("Trainable parameters per run, stacked by where they live (% of the whole model)", false);
  chart_->setHint("No runs selected: select rows in the runs table (or run some methods).");
  table_ = new QTableWidget();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  installExportMenu(table_, "parameters");
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(chart_);
  splitter->addWidget(table_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setChildrenCollapsible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(splitter);
  setEntries({});
}

void ParamsTab::setEntries(const QList<BudgetEntry>& entries) {
  chart_->setEntries(entries);
  // Only the groups some run trains: a column of zeros says nothing.
  QStringList groups;
  for (const QString& g : parameterGroups())
    for (const auto& e : entries)
      if (groupCount(e.params, g) > 0 && !groups.contains(g)) groups << g;
  QStringList header = {"Run"};
  for (const QString& g : groups) header << parameterGroupTitle(g);
  header << "Trainable" << "Total (model + head)" << "% trainable";
  table_->clear();
  table_->setColumnCount(header.size());
  table_->setHorizontalHeaderLabels(header);
  table_->setRowCount(entries.size());
  for (int r = 0; r < entries.size(); ++r) {
    const ParamBreakdown& p = entries[r].params;
    auto* name = new QTableWidgetItem(entries[r].label);
    name->setData(Qt::DecorationRole, methodColor(entries[r].method));
    table_->setItem(r, 0, name);
    for (int g = 0; g < groups.size(); ++g) table_->setItem(r, 1 + g, countItem(groupCount(p, groups[g])));
    table_->setItem(r, 1 + groups.size(), countItem(p.trainable));
    table_->setItem(r, 2 + groups.size(), countItem(p.total));
    auto* pct = new QTableWidgetItem(QString::number(p.percent, 'f', 4));
    pct->setData(Qt::UserRole, p.percent);
    pct->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table_->setItem(r, 3 + groups.size(), pct);
  }
  table_->resizeColumnsToContents();
}

}  // namespace pw::ui
