// Accuracy against a size knob (see sweep_chart.h).
#include "sweep_chart.h"
#include "run_summary.h"

#include <QMap>

#include <algorithm>
#include <cmath>
#include <limits>

#include "axis_range.h"
#include "chart_style.h"
#include "export.h"

namespace pw::ui {
namespace {

// ID and OOD keep the same two colours in every sweep (a sweep is one method): blue and orange read
// apart for colour-blind viewers and in grey print (solid discs vs dashed line and hollow circles).
const QColor kIdColour(0x21, 0x66, 0xac), kOodColour(0xd9, 0x6a, 0x0b);

}  // namespace

QList<SweepLevel> sweepLevels(const QList<SweepPoint>& points) {
  QStringList order;
  QMap<QString, QList<const SweepPoint*>> byValue;
  for (const SweepPoint& p : points) {
    if (p.idAccuracy < 0 && p.oodAccuracy < 0) continue;
    if (!byValue.contains(p.valueText)) order << p.valueText;
    byValue[p.valueText] << &p;
  }
  QList<SweepLevel> out;
  bool numeric = true;
  for (const QString& v : order) {
    SweepLevel level;
    level.valueText = v;
    bool ok = false;
    level.value = v.toDouble(&ok);
    if (!ok) level.value = std::numeric_limits<double>::quiet_NaN(), numeric = false;
    std::vector<SeedAccuracy> id, ood;
    for (const SweepPoint* p : byValue[v]) {
      if (p->idAccuracy >= 0) id.push_back({p->seed, p->idAccuracy, p->idExamples, {}});
      if (p->oodAccuracy >= 0) ood.push_back({p->seed, p->oodAccuracy, p->oodExamples, {}});
    }
    const SplitStats i = splitStats("ID test", id), o = splitStats("OOD", ood);
    level.idCount = i.count, level.idMean = i.mean, level.idStd = i.std;
    level.idLow = i.low, level.idHigh = i.high, level.idInterval = i.valid;
    level.oodCount = o.count, level.oodMean = o.mean, level.oodStd = o.std;
    level.oodLow = o.low, level.oodHigh = o.high, level.oodInterval = o.valid;
    out << level;
  }
  if (numeric)
    std::stable_sort(out.begin(), out.end(), [](const SweepLevel& a, const SweepLevel& b) { return a.value < b.value; });
  return out;
}

SweepChart::SweepChart(QWidget* parent) : QCustomPlot(parent) {
  styleChart(this);
  addChartTitle(this, "Test accuracy against the size knob");
  yAxis->setLabel("test accuracy (%)");
  placeLegendRight(this);
  hint_ = makeHint(this, "Pick a method and its values, then press Run sweep; or choose a past sweep.");
  installExportMenu(this, "sweep");
  setSweep(QString(), QString(), false, {});
}

void SweepChart::setHint(const QString& text) {
  hint_->setText(text);
  replot(rpQueuedReplot);
}

int SweepChart::meanPointCount() const {
  int n = 0;
  for (const QCPGraph* g : mean_) n += g ? g->dataCount() : 0;
  return n;
}

int SweepChart::runPointCount() const {
  int n = 0;
  for (const QCPGraph* g : runs_) n += g ? g->dataCount() : 0;
  return n;
}

void SweepChart::setSweep(const QString& title, const QString& knobLabel, bool logScale,
                          const QList<SweepPoint>& points) {
  levels_ = sweepLevels(points);
  clearGraphs();
  for (auto* arr : {mean_, runs_, upper_, lower_}) arr[0] = arr[1] = nullptr;
  bands_ = 0;

  categorical_ = std::any_of(levels_.begin(), levels_.end(), [](const SweepLevel& l) { return std::isnan(l.value); });
  logX_ = logScale && !categorical_ && !levels_.isEmpty() &&
          std::all_of(levels_.begin(), levels_.end(), [](const SweepLevel& l) { return l.value > 0; });
  QHash<QString, double> xOf;
  for (int i = 0; i < levels_.size(); ++i) xOf[levels_[i].valueText] = categorical_ ? i + 1 : levels_[i].value;

  if (QCPTextElement* t = chartTitle(this))
    t->setText(title.isEmpty() ? QString("Test accuracy against the size knob")
                               : QString("%1: test accuracy against %2")
                                     .arg(title, knobLabel.isEmpty() ? QString("the knob") : knobLabel));
  xAxis->setLabel(knobLabel.isEmpty() ? QString() : knobLabel + (logX_ ? " (log scale)" : QString()));

  double lo = 100, hi = 0;
  for (int side = 0; side < 2; ++side) {
    const bool ood = side == 1;
    const QColor colour = ood ? kOodColour : kIdColour;
    const QString name = ood ? "OOD" : "ID";
    // Band first (drawn below the line): the upper graph fills down to the lower one.
    bool anySpread = false, anyT = false;
    for (const SweepLevel& l : levels_) {
      anySpread |= ood ? l.oodInterval : l.idInterval;
      anyT |= (ood ? l.oodInterval && l.oodCount > 1 : l.idInterval && l.idCount > 1);
    }
    if (anySpread) {
      lower_[side] = addGraph();
      upper_[side] = addGraph();
      for (QCPGraph* g : {lower_[side], upper_[side]}) g->setPen(Qt::NoPen);
      lower_[side]->removeFromLegend();
      QColor fill = colour;
      fill.setAlpha(ood ? 45 : 55);
      upper_[side]->setBrush(fill);
      upper_[side]->setName(name + (anyT ? " 95 % interval (t over seeds)"
                                         : oneRunPerLevel_ ? " 95 % interval (Wilson, test examples)"
                                                           : " 95 % interval (Wilson)"));
      upper_[side]->setChannelFillGraph(lower_[side]);
      ++bands_;
    }
    mean_[side] = addGraph();
    QPen pen(colour, 2.2, ood ? Qt::DashLine : Qt::SolidLine);
    mean_[side]->setPen(pen);
    mean_[side]->setScatterStyle(ood ? QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(colour, 2), Qt::white, 8)
                                     : QCPScatterStyle(QCPScatterStyle::ssDisc, colour, 8));
    mean_[side]->setName(oneRunPerLevel_ ? name + " test" : name + " mean");
    runs_[side] = addGraph();
    runs_[side]->setLineStyle(QCPGraph::lsNone);
    QColor faint = colour;
    faint.setAlpha(150);
    runs_[side]->setScatterStyle(QCPScatterStyle(ood ? QCPScatterStyle::ssCross : QCPScatterStyle::ssPlus,
                                                 QPen(faint, 1.3), Qt::NoBrush, 6));
    runs_[side]->setPen(QPen(faint));
    runs_[side]->setName(name + " single runs");
    if (oneRunPerLevel_) runs_[side]->setVisible(false), runs_[side]->removeFromLegend();

    for (const SweepLevel& l : levels_) {
      const int n = ood ? l.oodCount : l.idCount;
      if (n == 0) continue;
      const double m = ood ? l.oodMean : l.idMean, x = xOf[l.valueText];
      const double low = ood ? l.oodLow : l.idLow, high = ood ? l.oodHigh : l.idHigh;
      mean_[side]->addData(x, m);
      if (anySpread) {
        upper_[side]->addData(x, high);
        lower_[side]->addData(x, low);
      }
      lo = std::min(lo, low), hi = std::max(hi, high);
    }
    for (const SweepPoint& p : points) {
      const double a = ood ? p.oodAccuracy : p.idAccuracy;
      if (a < 0 || !xOf.contains(p.valueText)) continue;
      runs_[side]->addData(xOf[p.valueText], 100 * a);
      lo = std::min(lo, 100 * a), hi = std::max(hi, 100 * a);
    }
  }

  // x: ticks at exactly the swept values.
  auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
  ticker->setSubTickCount(0);
  for (const SweepLevel& l : levels_) ticker->addTick(xOf[l.valueText], l.valueText);
  xAxis->setTicker(ticker);
  xAxis->setScaleType(logX_ ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (levels_.isEmpty()) {
    xAxis->setRange(0, 1);
  } else if (categorical_) {
    xAxis->setRange(0.5, levels_.size() + 0.5);
  } else {
    const double a = levels_.first().value, b = levels_.last().value;
    if (logX_) {
      xAxis->setRange(a / 1.5, b * 1.5);
    } else {
      const double pad = b > a ? 0.06 * (b - a) : 1.0;
      xAxis->setRange(a - pad, b + pad);
    }
  }
  // y: the data with a margin, never past 0 or 100, at least 10 points tall (small differences look small).
  yAxis->setRange(levels_.isEmpty() ? accuracyRange(1, 0) : accuracyRange(lo, hi));
  hint_->setVisible(levels_.isEmpty());
  legend->setVisible(!levels_.isEmpty());
  replot(rpQueuedReplot);
}

}  // namespace pw::ui
