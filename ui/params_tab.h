// The Parameters tab: the parameter budget chart for the runs shown (stacked by where the parameters live,
// log axis, % of the model), and a table with the exact counts per group.
#pragma once
#include <QList>
#include <QWidget>

#include "charts/budget_chart.h"

class QTableWidget;

namespace pw::ui {

class ParamsTab : public QWidget {
  Q_OBJECT
 public:
  explicit ParamsTab(QWidget* parent = nullptr);
  void setEntries(const QList<BudgetEntry>& entries);
  BudgetChart* chart() const { return chart_; }
  QTableWidget* table() const { return table_; }

 private:
  BudgetChart* chart_ = nullptr;
  QTableWidget* table_ = nullptr;
};

}  // namespace pw::ui
