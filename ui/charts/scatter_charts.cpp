// The two comparison scatters (see scatter_charts.h).
#include "scatter_charts.h"

#include <QMap>

#include <algorithm>
#include <cmath>

#include "chart_style.h"
#include "export.h"
#include "method_colors.h"

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

QCPGraph* scatterGraph(QCustomPlot* plot, const QString& method, QCPScatterStyle::ScatterShape shape, bool filled) {
  QCPGraph* g = plot->addGraph();
  const QColor c = methodColor(method);
  g->setLineStyle(QCPGraph::lsNone);
  g->setScatterStyle(QCPScatterStyle(shape, QPen(c.darker(115), 1.6), filled ? QBrush(c) : QBrush(Qt::white), 9));
  g->setName(methodShortTitle(method));
  return g;
}

int countPoints(const QCustomPlot* plot) {
  int n = 0;
  for (int i = 0; i < plot->graphCount(); ++i)
    if (plot->graph(i)->lineStyle() == QCPGraph::lsNone) n += plot->graph(i)->dataCount();
  return n;
}

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
  installExportMenu(this, "id-vs-ood");
  setRuns({});
}

int IdOodScatter::pointCount() const { return countPoints(this); }

void IdOodScatter::setRuns(const QList<RunSummary>& runs) {
  clearGraphs();
  clearItems();
  double lo = 100, hi = 0;
  for (const auto& [method, members] : byMethod(runs)) {
    QCPGraph* g = nullptr;
    for (const RunSummary* r : members) {
      if (r->idAccuracy < 0 || r->oodAccuracy < 0) continue;
      if (!g) g = scatterGraph(this, method, QCPScatterStyle::ssCircle, true);
      g->addData(100 * r->idAccuracy, 100 * r->oodAccuracy);
      lo = std::min({lo, 100 * r->idAccuracy, 100 * r->oodAccuracy});
      hi = std::max({hi, 100 * r->idAccuracy, 100 * r->oodAccuracy});
    }
  }
  if (hi < lo) lo = 0, hi = 100;
  // The same range on both axes so that the diagonal is at 45 degrees.
  const double pad = std::max(3.0, 0.08 * (hi - lo));
  const QCPRange range(std::max(0.0, lo - pad), std::min(100.0, hi + pad));
  xAxis->setRange(range);
  yAxis->setRange(range);

  auto* diagonal = new QCPItemStraightLine(this);
  diagonal->point1->setCoords(0, 0);
  diagonal->point2->setCoords(100, 100);
  diagonal->setPen(QPen(QColor(120, 120, 120), 1.2, Qt::DashLine));

  hint_ = makeHint(this, "Needs finished runs\nwith an OOD split.");
  hint_->setVisible(pointCount() == 0);
  legend->setVisible(graphCount() > 0);
  replot(rpQueuedReplot);
}

AccuracyParamsChart::AccuracyParamsChart(QWidget* parent) : QCustomPlot(parent) {
  styleChart(this);
  addChartTitle(this, "Accuracy against trainable parameters");
  xAxis->setLabel("trainable parameters (log scale)");
  yAxis->setLabel("test accuracy (%)");
  xAxis->setScaleType(QCPAxis::stLogarithmic);
  xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  xAxis->setNumberFormat("eb");
  xAxis->setNumberPrecision(0);
  placeLegendRight(this);
  installExportMenu(this, "accuracy-vs-parameters");
  setRuns({});
}

int AccuracyParamsChart::pointCount() const { return countPoints(this); }

void AccuracyParamsChart::setRuns(const QList<RunSummary>& runs) {
  clearGraphs();
  clearItems();
  double minP = 0, maxP = 0, lo = 100, hi = 0;
  for (const auto& [method, members] : byMethod(runs)) {
    QCPGraph *id = nullptr, *ood = nullptr;
    for (const RunSummary* r : members) {
      if (r->trainable <= 0) continue;
      minP = minP == 0 ? r->trainable : std::min(minP, r->trainable);
      maxP = std::max(maxP, r->trainable);
      if (r->idAccuracy >= 0) {
        if (!id) id = scatterGraph(this, method, QCPScatterStyle::ssCircle, true);
        id->addData(r->trainable, 100 * r->idAccuracy);
        lo = std::min(lo, 100 * r->idAccuracy), hi = std::max(hi, 100 * r->idAccuracy);
      }
      if (r->oodAccuracy >= 0) {
        if (!ood) {
          ood = scatterGraph(this, method, QCPScatterStyle::ssTriangle, false);
          ood->removeFromLegend();  // one legend entry per method; the shapes are explained below
        }
        ood->addData(r->trainable, 100 * r->oodAccuracy);
        lo = std::min(lo, 100 * r->oodAccuracy), hi = std::max(hi, 100 * r->oodAccuracy);
      }
    }
  }
  pareto_ = paretoFront(runs);
  if (pareto_.size() > 1) {
    QCPGraph* front = addGraph();
    front->setLineStyle(QCPGraph::lsStepLeft);
    front->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DashLine));
    front->setName("Pareto front (ID)");
    for (qint64 id : pareto_)
      for (const RunSummary& r : runs)
        if (r.id == id) front->addData(r.trainable, 100 * r.idAccuracy);
  }
  // Shape key: a filled circle is ID, a hollow triangle OOD.
  for (auto [shape, filled, name] : {std::tuple{QCPScatterStyle::ssCircle, true, "ID test (filled)"},
                                     std::tuple{QCPScatterStyle::ssTriangle, false, "OOD test (hollow)"}}) {
    QCPGraph* key = addGraph();
    key->setLineStyle(QCPGraph::lsLine);  // not counted as points; the line is invisible (no data)
    key->setPen(Qt::NoPen);
    key->setScatterStyle(QCPScatterStyle(shape, QPen(QColor(80, 80, 80), 1.6),
                                         filled ? QBrush(QColor(80, 80, 80)) : QBrush(Qt::white), 9));
    key->setName(name);
  }
  if (maxP <= 0) minP = 1e3, maxP = 1e6;
  xAxis->setRange(minP / 2.5, maxP * 2.5);
  if (hi < lo) lo = 0, hi = 100;
  const double pad = std::max(3.0, 0.08 * (hi - lo));
  yAxis->setRange(std::max(0.0, lo - pad), std::min(100.0, hi + pad));
  hint_ = makeHint(this, "Needs finished runs.");
  hint_->setVisible(pointCount() == 0);
  legend->setVisible(pointCount() > 0);
  replot(rpQueuedReplot);
}

}  // namespace pw::ui
