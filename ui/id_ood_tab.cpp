// The ID vs OOD tab (see id_ood_tab.h).
#include "id_ood_tab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "charts/accuracy_bars_chart.h"
#include "charts/scatter_charts.h"
#include "verdicts.h"

namespace pw::ui {

IdOodTab::IdOodTab(QWidget* parent) : QWidget(parent) {
  bars_ = new AccuracyBarsChart();
  scatter_ = new IdOodScatter();
  params_ = new AccuracyParamsChart();

  oodSet_ = new QComboBox();
  oodSet_->setToolTip("Which OOD set the two scatters below show (the bars above show every set)");
  oodSet_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  connect(oodSet_, &QComboBox::currentIndexChanged, this,
          [this](int i) { chooseOodSet(oodSet_->itemData(i).toString()); });
  oodRow_ = new QWidget();
  auto* row = new QHBoxLayout(oodRow_);
  row->setContentsMargins(4, 2, 4, 2);
  row->addWidget(new QLabel("OOD set in the scatters:"));
  row->addWidget(oodSet_);
  row->addStretch(1);
  oodRow_->setVisible(false);

  auto* scatters = new QSplitter(Qt::Horizontal);
  scatters->addWidget(scatter_);
  scatters->addWidget(params_);
  scatters->setChildrenCollapsible(false);
  scatters->setSizes({1000, 1000});  // equal halves
  auto* bottom = new QWidget();
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  bottomLayout->setSpacing(0);
  bottomLayout->addWidget(oodRow_);
  bottomLayout->addWidget(scatters, 1);

  verdicts_ = new QTextBrowser();
  verdicts_->setOpenLinks(false);
  verdicts_->setMinimumHeight(60);
  verdicts_->setToolTip("Is the best configuration on each split really better than each other one, or within "
                        "noise? Core's paired tests on the shown runs.");

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(bars_);
  split->addWidget(bottom);
  split->addWidget(verdicts_);
  split->setChildrenCollapsible(false);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 4);
  split->setStretchFactor(2, 1);
  split->setSizes({1000, 1000, 300});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(split);
}

void IdOodTab::chooseOodSet(const QString& name) {
  scatter_->setOodSet(name);
  params_->setOodSet(name);
}

void IdOodTab::setRuns(const QList<RunSummary>& runs) {
  bars_->setRuns(runs);
  scatter_->setRuns(runs);
  params_->setRuns(runs);

  // The OOD set selector: kept on the user's choice while it still exists.
  const QStringList sets = scatter_->oodSets();
  const QString keep = oodSet_->currentData().toString();
  {
    const QSignalBlocker block(oodSet_);
    oodSet_->clear();
    for (const QString& s : sets) oodSet_->addItem(splitTitle(s), s);
    const int at = oodSet_->findData(keep);
    oodSet_->setCurrentIndex(at >= 0 ? at : 0);
  }
  oodRow_->setVisible(sets.size() > 1);
  chooseOodSet(oodSet_->currentData().toString());

  const QList<SplitVerdicts> verdicts = splitVerdicts(bars_->groups(), bars_->splitNames());
  verdicts_->setHtml(verdictsHtml(verdicts, int(bars_->groups().size()), &verdictText_));
}

}  // namespace pw::ui
