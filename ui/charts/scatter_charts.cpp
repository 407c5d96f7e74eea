// The two comparison scatters, with Wilson error bars (see scatter_charts.h).
#include "scatter_charts.h"

#include <QMap>

#include <algorithm>
#include <cmath>

#include "axis_range.h"
#include "chart_style.h"
#include "export.h"
#include "method_colors.h"
#include "plot_tips.h"
#include "run_labels.h"

namespace pw::ui {
namespace {

// Runs by method in catalogue order, so legends list methods in the same order everywhere.
QList<QPair<QString, QList<const RunSummary*>>> byMethod(const QList<RunSummary>& runs) {
  QMap<int, QPair<QString, QList<const RunSummary*>>> m;
  for (const RunSummary& r : runs) {
    auto& slot = m[methodOrder(r.method) * 1000 + int(qHash(r.method) % 1000)];
    slot.first = r.method;
    slot.second << &r;
  }
  return m.values();
}

// One accuracy in percent with its Wilson interval, and the words for a tooltip.
struct Accuracy {
  double value = 0, minus = 0, plus = 0;
  bool valid = false;
  QString text;  // "OOD: other source 70.1 % [66.0, 74.0] (Wilson 95 %, 1,600 OOD examples)"
};

Accuracy accuracyOf(const SplitScore& s) {
  Accuracy a;
  const AccuracySummary sum = singleRunSummary(s.accuracy, s.examples);
  a.value = 100 * s.accuracy;
  a.valid = sum.interval.valid;
  if (a.valid) a.minus = a.value - 100 * sum.interval.low, a.plus = 100 * sum.interval.high - a.value;
  a.text = QString("%1: %2 %").arg(splitTitle(s.name), accuracyWithInterval(sum)) + " (" +
           intervalDescription(sum, s.examples, s.name == "ID test" ? s.name : QString("OOD")) + ")";
  return a;
}

struct Point {
  double x = 0;
  Accuracy xAcc, yAcc;  // xAcc unused on a parameter axis
  double y() const { return yAcc.value; }
  QString tip;
};

QCPScatterStyle pointStyle(const QString& method, QCPScatterStyle::ScatterShape shape, bool filled) {
  const QColor c = methodColor(method);
  return QCPScatterStyle(shape, QPen(c.darker(115), 1.6), filled ? QBrush(c) : QBrush(Qt::white), 9);
}

// Made before the graph they belong to, so they are drawn below its markers.
QCPErrorBars* errorBars(QCustomPlot* plot, const QString& method, QCPErrorBars::ErrorType type,
                        const QVector<double>& minus, const QVector<double>& plus) {
  auto* e = new QCPErrorBars(plot->xAxis, plot->yAxis);
  e->setErrorType(type);
  e->setData(minus, plus);
  QColor c = methodColor(method).darker(115);
  c.setAlpha(170);
  e->setPen(QPen(c, 1.1));
  e->setWhiskerWidth(5);
  e->removeFromLegend();
  return e;
}

// A graph of points sorted by x (error data follows the graph's sorted order), with error bars on x and/or y
// where any point has an interval, below the markers.
ScatterSeries addSeries(QCustomPlot* plot, PlotTips* tips, const QString& method, QList<Point> points,
                        QCPScatterStyle::ScatterShape shape, bool filled, bool xErrors) {
  std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
  ScatterSeries s;
  s.method = method;
  QVector<double> keys, values, xm, xp, ym, yp;
  bool anyX = false, anyY = false;
  for (const Point& p : points) {
    keys << p.x, values << p.y();
    xm << p.xAcc.minus, xp << p.xAcc.plus, ym << p.yAcc.minus, yp << p.yAcc.plus;
    anyX |= xErrors && p.xAcc.valid, anyY |= p.yAcc.valid;
  }
  if (anyX) s.xErrors = errorBars(plot, method, QCPErrorBars::etKeyError, xm, xp);
  if (anyY) s.yErrors = errorBars(plot, method, QCPErrorBars::etValueError, ym, yp);
  s.graph = plot->addGraph();
  s.graph->setLineStyle(QCPGraph::lsNone);
  s.graph->setScatterStyle(pointStyle(method, shape, filled));
  s.graph->setName(methodShortTitle(method));
  s.graph->setData(keys, values, true);
  for (QCPErrorBars* e : {s.xErrors, s.yErrors})
    if (e) e->setDataPlottable(s.graph);
  for (int i = 0; i < points.size(); ++i) tips->set(s.graph, i, points[i].tip);
  return s;
}

int countPoints(const QList<ScatterSeries>& series) {
  int n = 0;
  for (const ScatterSeries& s : series) n += s.graph ? s.graph->dataCount() : 0;
  return n;
}

QString chosenSet(const QStringList& sets, const QString& wanted) {
  return sets.contains(wanted) ? wanted : sets.value(0);
}

// The legend's key for the error bars (drawn only when some point has them).
void addIntervalKey(QCustomPlot* plot, const QList<ScatterSeries>& series) {
  const bool any = std::any_of(series.begin(), series.end(), [](const ScatterSeries& s) { return s.xErrors || s.yErrors; });
  if (!any) return;
  auto* key = new QCPErrorBars(plot->xAxis, plot->yAxis);
  key->setPen(QPen(QColor(80, 80, 80), 1.1));
  key->setName("95 % Wilson\ninterval");
}

QString runTitle(const RunSummary& r) { return QString("%1 (run %2, seed %3)").arg(r.group).arg(r.id).arg(r.seed); }

}  // namespace

QList<qint64> paretoFront(const QList<RunSummary>& runs) {
  QList<const RunSummary*> sorted;
  for (const RunSummary& r : runs)
    if (r.idAccuracy >= 0 && r.trainable > 0) sorted << &r;
  std::sort(sorted.begin(), sorted.end(), [](const RunSummary* a, const RunSummary* b) {
    return a->trainable != b->trainable ? a->trainable < b->trainable : a->idAccuracy > b->idAccuracy;
  });
  QList<qint64> front;
  double best = -1;
  for (const RunSummary* r : sorted)
    if (r->idAccuracy > best) best = r->idAccuracy, front << r->id;
  return front;
}

IdOodScatter::IdOodScatter(QWidget* parent) : QCustomPlot(parent) {
  styleChart(this);
  addChartTitle(this, "OOD vs ID accuracy (dashed: y = x)");
  xAxis->setLabel("ID test accuracy (%)");
  yAxis->setLabel("OOD test accuracy (%)");
  placeLegendRight(this);
  tips_ = new PlotTips(this);
  installExportMenu(this, "id-vs-ood");
  setRuns({});
}

int IdOodScatter::pointCount() const { return countPoints(series_); }
QString IdOodScatter::tipAt(const QPointF& pos) const { return tips_->tipAt(pos); }

void IdOodScatter::setRuns(const QList<RunSummary>& runs) {
  runs_ = runs;
  sets_ = oodSetNames(runs);
  rebuild();
}

void IdOodScatter::setOodSet(const QString& name) {
  wantedSet_ = name;
  if (chosenSet(sets_, name) != shownSet_) rebuild();
}

void IdOodScatter::rebuild() {
  clearGraphs();
  clearPlottables();
  clearItems();
  tips_->clear();
  series_.clear();
  shownSet_ = chosenSet(sets_, wantedSet_);
  yAxis->setLabel(shownSet_.isEmpty() ? QString("OOD test accuracy (%)") : splitTitle(shownSet_) + " (%)");
  double lo = 100, hi = 0;
  for (const auto& [method, members] : byMethod(runs_)) {
    QList<Point> points;
    for (const RunSummary* r : members) {
      const SplitScore id = runSplit(*r, "ID test"), ood = runSplit(*r, shownSet_);
      if (id.accuracy < 0 || ood.accuracy < 0) continue;
      Point p;
      p.xAcc = accuracyOf(id), p.yAcc = accuracyOf(ood);
      p.x = p.xAcc.value;
      p.tip = runTitle(*r) + "\n" + p.xAcc.text + "\n" + p.yAcc.text;
      points << p;
      lo = std::min({lo, p.x - p.xAcc.minus, p.y() - p.yAcc.minus});
      hi = std::max({hi, p.x + p.xAcc.plus, p.y() + p.yAcc.plus});
    }
    if (!points.isEmpty())
      series_ << addSeries(this, tips_, method, points, QCPScatterStyle::ssCircle, true, true);
  }
  // The same range on both axes so that the diagonal is at 45 degrees.
  const QCPRange range = accuracyRange(lo, hi);
  xAxis->setRange(range);
  yAxis->setRange(range);

  addIntervalKey(this, series_);
  auto* diagonal = new QCPItemStraightLine(this);
  diagonal->point1->setCoords(0, 0);
  diagonal->point2->setCoords(100, 100);
  diagonal->setPen(QPen(QColor(120, 120, 120), 1.2, Qt::DashLine));

  hint_ = makeHint(this, "Needs finished runs\nwith an OOD split.");
  hint_->setVisible(pointCount() == 0);
  legend->setVisible(!series_.isEmpty());
  replot(rpQueuedReplot);
}

AccuracyParamsChart::AccuracyParamsChart(QWidget* parent) : QCustomPlot(parent) {
  styleChart(this);
  addChartTitle(this, "Accuracy vs trainable parameters");
  xAxis->setLabel("trainable parameters (log scale)");
  yAxis->setLabel("test accuracy (%)");
  xAxis->setScaleType(QCPAxis::stLogarithmic);
  xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  xAxis->setNumberFormat("eb");
  xAxis->setNumberPrecision(0);
  placeLegendRight(this);
  tips_ = new PlotTips(this);
  installExportMenu(this, "accuracy-vs-parameters");
  setRuns({});
}

int AccuracyParamsChart::pointCount() const { return countPoints(series_); }
QString AccuracyParamsChart::tipAt(const QPointF& pos) const { return tips_->tipAt(pos); }

void AccuracyParamsChart::setRuns(const QList<RunSummary>& runs) {
  runs_ = runs;
  rebuild();
}

void AccuracyParamsChart::setOodSet(const QString& name) {
  wantedSet_ = name;
  if (chosenSet(oodSetNames(runs_), name) != shownSet_) rebuild();
}

void AccuracyParamsChart::rebuild() {
  clearGraphs();
  clearPlottables();
  clearItems();
  tips_->clear();
  series_.clear();
  shownSet_ = chosenSet(oodSetNames(runs_), wantedSet_);
  double minP = 0, maxP = 0, lo = 100, hi = 0;
  for (const auto& [method, members] : byMethod(runs_)) {
    QList<Point> id, ood;
    for (const RunSummary* r : members) {
      if (r->trainable <= 0) continue;
      minP = minP == 0 ? r->trainable : std::min(minP, r->trainable);
      maxP = std::max(maxP, r->trainable);
      for (const SplitScore& s : {runSplit(*r, "ID test"), runSplit(*r, shownSet_)}) {
        if (s.accuracy < 0) continue;
        Point p;
        p.x = r->trainable;
        p.yAcc = accuracyOf(s);
        p.tip = runTitle(*r) + QString("\n%1 trainable parameters\n").arg(shortCount(r->trainable)) + p.yAcc.text;
        (s.name == "ID test" ? id : ood) << p;
        lo = std::min(lo, p.y() - p.yAcc.minus), hi = std::max(hi, p.y() + p.yAcc.plus);
      }
    }
    if (!id.isEmpty()) series_ << addSeries(this, tips_, method, id, QCPScatterStyle::ssCircle, true, false);
    if (!ood.isEmpty()) {
      ScatterSeries s = addSeries(this, tips_, method, ood, QCPScatterStyle::ssTriangle, false, false);
      s.ood = true;
      // One legend entry per method; the shapes are explained below (unless the method has no ID points).
      if (!id.isEmpty()) s.graph->removeFromLegend();
      series_ << s;
    }
  }
  pareto_ = paretoFront(runs_);
  if (pareto_.size() > 1) {
    QCPGraph* front = addGraph();
    front->setLineStyle(QCPGraph::lsStepLeft);
    front->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DashLine));
    front->setName("Pareto front (ID)");
    for (qint64 id : pareto_)
      for (const RunSummary& r : runs_)
        if (r.id == id) front->addData(r.trainable, 100 * r.idAccuracy);
  }
  // Shape key: a filled circle is ID, a hollow triangle the OOD set. (No key for the error bars here: with
  // eight methods the legend is full; they are the same Wilson intervals as in the scatter beside it, and
  // each point's tooltip says so.)
  const QString oodKey = shownSet_.isEmpty() ? QString("OOD test") : splitTitle(shownSet_);
  for (auto [shape, filled, name] : {std::tuple{QCPScatterStyle::ssCircle, true, QString("ID test")},
                                     std::tuple{QCPScatterStyle::ssTriangle, false, oodKey}}) {
    QCPGraph* key = addGraph();
    key->setLineStyle(QCPGraph::lsLine);  // no data: nothing drawn, only the legend entry
    key->setPen(Qt::NoPen);
    key->setScatterStyle(QCPScatterStyle(shape, QPen(QColor(80, 80, 80), 1.6),
                                         filled ? QBrush(QColor(80, 80, 80)) : QBrush(Qt::white), 9));
    key->setName(name);
  }
  if (maxP <= 0) minP = 1e3, maxP = 1e6;
  // At least two decades wide, so that the log ticker labels powers of ten only (no crowded 2, 3, 4 x 10^k).
  const double spread = std::max(1.0, 100 / (maxP * 2.5 / (minP / 2.5)));
  xAxis->setRange(minP / 2.5 / std::sqrt(spread), maxP * 2.5 * std::sqrt(spread));
  yAxis->setRange(accuracyRange(lo, hi));
  hint_ = makeHint(this, "Needs finished runs.");
  hint_->setVisible(pointCount() == 0);
  legend->setVisible(pointCount() > 0);
  replot(rpQueuedReplot);
}

}  // namespace pw::ui
