// ID / OOD accuracy bars (see accuracy_bars_chart.h).
#include "accuracy_bars_chart.h"

#include "chart_style.h"
#include "export.h"
#include "method_colors.h"

namespace pw::ui {
namespace {

constexpr double kOffset = 0.2, kWidth = 0.38;

QCPBars* makeBars(QCustomPlot* plot, const QColor& colour, bool hatched) {
  auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
  bars->setWidth(kWidth);
  bars->setPen(QPen(colour.darker(120), 1));
  if (hatched) {
    // OOD: the method's colour, lighter, with diagonal hatching so it reads in grey print too.
    bars->setBrush(QBrush(colour.lighter(160)));
  } else {
    bars->setBrush(colour);
  }
  return bars;
}

}  // namespace

AccuracyBarsChart::AccuracyBarsChart(QWidget* parent) : QCustomPlot(parent) {
  styleChart(this);
  addChartTitle(this, "Test accuracy per method: in-distribution (ID) vs out-of-distribution (OOD)");
  yAxis->setLabel("test accuracy (%)");
  xAxis->setTickLength(0, 4);
  xAxis->setSubTicks(false);
  xAxis->grid()->setVisible(false);
  placeLegendRight(this);
  hint_ = makeHint(this, "No finished runs selected.");
  installExportMenu(this, "accuracy-id-ood");
  setRuns({});
}

void AccuracyBarsChart::setRuns(const QList<RunSummary>& runs) {
  groups_ = groupOverSeeds(runs);
  clearPlottables();
  for (QCPAbstractItem* item : items_) removeItem(item);
  items_.clear();
  errorBars_ = 0;

  auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
  for (int i = 0; i < groups_.size(); ++i) {
    const GroupStats& g = groups_[i];
    const QColor colour = methodColor(g.method);
    ticker->addTick(i + 1, g.shortLabel);
    struct Side {
      int count;
      double mean, std, offset;
      bool ood;
    };
    for (const Side& s : {Side{g.idCount, g.idMean, g.idStd, -kOffset, false},
                          Side{g.oodCount, g.oodMean, g.oodStd, +kOffset, true}}) {
      if (s.count == 0) continue;
      QCPBars* bars = makeBars(this, colour, s.ood);
      if (s.ood) {
        // The hatching is a second bar drawn over the light fill.
        QCPBars* hatch = makeBars(this, colour, false);
        hatch->setBrush(QBrush(colour.darker(110), Qt::BDiagPattern));
        hatch->addData(i + 1 + s.offset, s.mean);
        hatch->removeFromLegend();
      }
      bars->addData(i + 1 + s.offset, s.mean);
      bars->removeFromLegend();
      if (s.count > 1) {
        auto* err = new QCPErrorBars(xAxis, yAxis);
        err->setDataPlottable(bars);
        err->setData(QVector<double>{s.std});
        err->setPen(QPen(QColor(40, 40, 40), 1.2));
        err->setWhiskerWidth(8);
        err->removeFromLegend();
        ++errorBars_;
      }
      auto* text = new QCPItemText(this);
      text->position->setCoords(i + 1 + s.offset, s.mean + (s.count > 1 ? s.std : 0));
      text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
      text->setText(QString::number(s.mean, 'f', 1));
      QFont f = font();
      f.setPointSizeF(7 * chartFontScale());
      text->setFont(f);
      text->setColor(QColor(50, 50, 50));
      items_ << text;
    }
  }
  xAxis->setTicker(ticker);
  xAxis->setRange(0.4, std::max<int>(1, groups_.size()) + 0.6);
  // Accuracy bars start at zero (honest heights); leave room above 100 % for the value labels.
  yAxis->setRange(0, 108);

  // Legend: what solid and hatched mean, in neutral grey.
  QCPBars* idKey = makeBars(this, QColor(110, 110, 110), false);
  idKey->setName("ID test");
  QCPBars* oodKey = makeBars(this, QColor(110, 110, 110), true);
  oodKey->setBrush(QBrush(QColor(90, 90, 90), Qt::BDiagPattern));
  oodKey->setName("OOD test");
  if (errorBars_ > 0) {
    auto* errKey = new QCPErrorBars(xAxis, yAxis);
    errKey->setPen(QPen(QColor(40, 40, 40), 1.2));
    errKey->setName("\u00b1 1 std over seeds");
  }
  hint_->setVisible(groups_.isEmpty());
  legend->setVisible(!groups_.isEmpty());
  replot(rpQueuedReplot);
}

}  // namespace pw::ui
