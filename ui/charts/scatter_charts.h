// Two scatters over finished runs, one point per run in its method's colour, each accuracy with its 95 %
// Wilson interval over the run's test examples as an error bar (hover a point for the numbers):
//  - IdOodScatter: ID test accuracy (x) against one OOD set's accuracy (y) with the y = x line (points below
//    it lose accuracy out of distribution); which OOD set is chosen with setOodSet;
//  - AccuracyParamsChart: test accuracy against trainable parameters (log x), ID filled, the chosen OOD set
//    hollow, with the Pareto front of ID accuracy (no method above-left of it is both smaller and better).
#pragma once
#include <QList>
#include <QStringList>
#include "qcp.h"

#include "charts/run_summary.h"

namespace pw::ui {

class PlotTips;

// One method's points and their error bars (x: horizontal bars, y: vertical; nullptr when not drawn).
struct ScatterSeries {
  QString method;
  bool ood = false;  // AccuracyParamsChart: the OOD points
  QCPGraph* graph = nullptr;
  QCPErrorBars* xErrors = nullptr;
  QCPErrorBars* yErrors = nullptr;
};

class IdOodScatter : public QCustomPlot {
  Q_OBJECT
 public:
  explicit IdOodScatter(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  // The OOD set on the y axis by name ("" or unknown: the runs' first). Redraws.
  void setOodSet(const QString& name);
  QString oodSet() const { return shownSet_; }
  QStringList oodSets() const { return sets_; }
  int pointCount() const;
  const QList<ScatterSeries>& series() const { return series_; }
  QString tipAt(const QPointF& pos) const;

 private:
  void rebuild();
  QList<RunSummary> runs_;
  QStringList sets_;
  QString wantedSet_, shownSet_;
  QList<ScatterSeries> series_;
  QCPItemText* hint_ = nullptr;
  PlotTips* tips_ = nullptr;
};

class AccuracyParamsChart : public QCustomPlot {
  Q_OBJECT
 public:
  explicit AccuracyParamsChart(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  void setOodSet(const QString& name);  // the OOD set drawn hollow ("" or unknown: the runs' first)
  QString oodSet() const { return shownSet_; }
  int pointCount() const;  // ID and OOD points
  QList<qint64> paretoRuns() const { return pareto_; }
  const QList<ScatterSeries>& series() const { return series_; }
  QString tipAt(const QPointF& pos) const;

 private:
  void rebuild();
  QList<RunSummary> runs_;
  QString wantedSet_, shownSet_;
  QList<ScatterSeries> series_;
  QCPItemText* hint_ = nullptr;
  PlotTips* tips_ = nullptr;
  QList<qint64> pareto_;
};

// The runs on the Pareto front of (fewer trainable parameters, higher ID accuracy), by increasing size.
QList<qint64> paretoFront(const QList<RunSummary>& runs);

}  // namespace pw::ui
