// Accuracy bars per method and test split, with 95 % intervals (see accuracy_bars_chart.h).
#include "accuracy_bars_chart.h"

#include "chart_style.h"
#include "export.h"
#include "method_colors.h"
#include "plot_tips.h"

namespace pw::ui {
namespace {

constexpr double kGroupWidth = 0.8;  // of the unit between two methods' ticks

// Split 0 (ID) is solid; OOD set k has the lighter colour with the k-th hatching, so sets read apart in
// grey print too.
Qt::BrushStyle hatchOf(int split) {
  static const Qt::BrushStyle styles[] = {Qt::BDiagPattern, Qt::FDiagPattern, Qt::DiagCrossPattern,
                                          Qt::CrossPattern, Qt::VerPattern, Qt::HorPattern};
  return styles[(split - 1) % 6];
}

QCPBars* makeBars(QCustomPlot* plot, const QColor& colour, int split, double width) {
  auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
  bars->setWidth(width);
  bars->setPen(QPen(colour.darker(120), 1));
  bars->setBrush(split == 0 ? QBrush(colour) : QBrush(colour.lighter(160)));
  return bars;
}

QString percentText(double v) { return QString::number(v, 'f', 1); }

}  // namespace

AccuracyBarsChart::AccuracyBarsChart(QWidget* parent) : QCustomPlot(parent) {
  styleChart(this);
  addChartTitle(this, "Test accuracy per method: in-distribution (ID) vs out-of-distribution (OOD), 95 % intervals");
  yAxis->setLabel("test accuracy (%)");
  xAxis->setTickLength(0, 4);
  xAxis->setSubTicks(false);
  xAxis->grid()->setVisible(false);
  placeLegendRight(this);
  hint_ = makeHint(this, "No finished runs selected.");
  tips_ = new PlotTips(this);
  installExportMenu(this, "accuracy-id-ood");
  setRuns({});
}

const AccuracyBarsChart::DrawnBar* AccuracyBarsChart::drawnBar(int group, const QString& split) const {
  for (const DrawnBar& b : drawn_)
    if (b.group == group && b.split == split) return &b;
  return nullptr;
}

QString AccuracyBarsChart::tipAt(const QPointF& pos) const { return tips_->tipAt(pos); }

void AccuracyBarsChart::setRuns(const QList<RunSummary>& runs) {
  groups_ = groupOverSeeds(runs);
  splits_.clear();
  for (const GroupStats& g : groups_)
    for (const SplitStats& s : g.splits)
      if (!splits_.contains(s.name)) splits_ << s.name;
  // ID first wherever it is (a group without ID values would otherwise put an OOD set first).
  if (splits_.removeAll("ID test") > 0) splits_.prepend("ID test");
  clearPlottables();
  for (QCPAbstractItem* item : items_) removeItem(item);
  items_.clear();
  drawn_.clear();
  tips_->clear();
  errorBars_ = 0;

  const int k = std::max<int>(1, splits_.size());
  const double slot = kGroupWidth / k, width = slot * 0.92;
  // Value labels only while they fit side by side (the tooltip always has the number).
  const bool labels = groups_.size() * k <= 16;
  auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
  for (int i = 0; i < groups_.size(); ++i) {
    const GroupStats& g = groups_[i];
    const QColor colour = methodColor(g.method);
    ticker->addTick(i + 1, g.shortLabel);
    for (int si = 0; si < splits_.size(); ++si) {
      const SplitStats* s = g.split(splits_[si]);
      if (!s || s->count == 0) continue;
      const double x = i + 1 - kGroupWidth / 2 + slot * (si + 0.5);
      QCPBars* bars = makeBars(this, colour, si, width);
      bars->addData(x, s->mean);
      bars->removeFromLegend();
      const QString tip = QString("%1 \u2014 %2\n%3 % [%4, %5]\n%6")
                              .arg(g.group, splitTitle(s->name), percentText(s->mean), percentText(s->low),
                                   percentText(s->high), s->intervalText());
      tips_->set(bars, 0, tip);
      if (si > 0) {
        // The hatching is a second bar drawn over the light fill.
        QCPBars* hatch = makeBars(this, colour, 0, width);
        hatch->setBrush(QBrush(colour.darker(110), hatchOf(si)));
        hatch->addData(x, s->mean);
        hatch->removeFromLegend();
        tips_->set(hatch, 0, tip);
      }
      DrawnBar drawn{i, s->name, bars, nullptr};
      if (s->valid) {
        auto* err = new QCPErrorBars(xAxis, yAxis);
        err->setDataPlottable(bars);
        err->setData(QVector<double>{s->mean - s->low}, QVector<double>{s->high - s->mean});
        err->setPen(QPen(QColor(30, 30, 30), 1.3));
        err->setWhiskerWidth(std::max(4.0, std::min(10.0, 40.0 / k)));
        err->removeFromLegend();
        drawn.errors = err;
        ++errorBars_;
      }
      drawn_ << drawn;
      if (!labels) continue;
      auto* text = new QCPItemText(this);
      text->position->setCoords(x, s->high);
      text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
      text->setPadding(QMargins(0, 0, 0, 2));
      text->setText(percentText(s->mean));
      QFont f = font();
      f.setPointSizeF(7 * chartFontScale());
      text->setFont(f);
      text->setColor(QColor(50, 50, 50));
      text->setClipToAxisRect(false);
      items_ << text;
    }
  }
  xAxis->setTicker(ticker);
  xAxis->setRange(0.4, std::max<int>(1, groups_.size()) + 0.6);
  // Accuracy bars start at zero (honest heights); leave room above 100 % for the value labels.
  yAxis->setRange(0, 108);

  // Legend: what solid and each hatching mean, in neutral grey.
  for (int si = 0; si < splits_.size(); ++si) {
    QCPBars* key = makeBars(this, QColor(110, 110, 110), si, width);
    if (si > 0) key->setBrush(QBrush(QColor(90, 90, 90), hatchOf(si)));
    key->setName(splitTitle(splits_[si]));
  }
  if (errorBars_ > 0) {
    auto* errKey = new QCPErrorBars(xAxis, yAxis);
    errKey->setPen(QPen(QColor(30, 30, 30), 1.3));
    bool anyT = false, anyWilson = false;
    for (const GroupStats& g : groups_)
      for (const SplitStats& s : g.splits)
        if (s.valid) (s.summary.method == "t" ? anyT : anyWilson) = true;
    errKey->setName(anyT && anyWilson ? "95 % interval\n(one run: Wilson;\nseeds: t)"
                    : anyT            ? "95 % interval\n(t over seeds)"
                                      : "95 % interval\n(Wilson)");
  }
  hint_->setVisible(groups_.isEmpty());
  legend->setVisible(!groups_.isEmpty());
  replot(rpQueuedReplot);
}

}  // namespace pw::ui
