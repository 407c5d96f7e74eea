// Two scatters over finished runs, one point per run in its method's colour:
//  - IdOodScatter: ID test accuracy (x) against OOD test accuracy (y) with the y = x line (points below it
//    lose accuracy out of distribution);
//  - AccuracyParamsChart: test accuracy against trainable parameters (log x), ID filled, OOD hollow, with
//    the Pareto front of ID accuracy (no method above-left of it is both smaller and better).
#pragma once
#include <QList>
#include "qcp.h"

#include "charts/run_summary.h"

namespace pw::ui {

class IdOodScatter : public QCustomPlot {
  Q_OBJECT
 public:
  explicit IdOodScatter(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  int pointCount() const;

 private:
  QCPItemText* hint_ = nullptr;
};

class AccuracyParamsChart : public QCustomPlot {
  Q_OBJECT
 public:
  explicit AccuracyParamsChart(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  int pointCount() const;  // ID and OOD points
  QList<qint64> paretoRuns() const { return pareto_; }

 private:
  QCPItemText* hint_ = nullptr;
  QList<qint64> pareto_;
};

// The runs on the Pareto front of (fewer trainable parameters, higher ID accuracy), by increasing size.
QList<qint64> paretoFront(const QList<RunSummary>& runs);

}  // namespace pw::ui
