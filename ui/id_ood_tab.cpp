// The ID vs OOD tab (see id_ood_tab.h).
#include "id_ood_tab.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "charts/accuracy_bars_chart.h"
#include "charts/scatter_charts.h"

namespace pw::ui {

IdOodTab::IdOodTab(QWidget* parent) : QWidget(parent) {
  bars_ = new AccuracyBarsChart();
  scatter_ = new IdOodScatter();
  params_ = new AccuracyParamsChart();
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(scatter_);
  bottom->addWidget(params_);
  bottom->setChildrenCollapsible(false);
  bottom->setSizes({1000, 1000});  // equal halves
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(bars_);
  split->addWidget(bottom);
  split->setChildrenCollapsible(false);
  split->setSizes({1000, 1000});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(split);
}

void IdOodTab::setRuns(const QList<RunSummary>& runs) {
  bars_->setRuns(runs);
  scatter_->setRuns(runs);
  params_->setRuns(runs);
}

}  // namespace pw::ui
