// Grouped bars of ID and OOD test accuracy per method (solid: ID, hatched: OOD, in the method's colour),
// with error bars (one standard deviation) where a group has several seeds.
#pragma once
#include <QList>
#include "qcp.h"

#include "charts/run_summary.h"

namespace pw::ui {

class AccuracyBarsChart : public QCustomPlot {
  Q_OBJECT
 public:
  explicit AccuracyBarsChart(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  const QList<GroupStats>& groups() const { return groups_; }
  int errorBarCount() const { return errorBars_; }

 private:
  QList<GroupStats> groups_;
  QList<QCPAbstractItem*> items_;
  QCPItemText* hint_ = nullptr;
  int errorBars_ = 0;
};

}  // namespace pw::ui
