// Grouped bars of test accuracy per method: one bar per test split (solid: the ID test; each OOD set
// lighter with its own hatching, named in the legend), in the method's colour, each with its 95 % interval
// as an error bar (Wilson over the test examples for one run, the t-interval over seeds for a group).
// Hovering a bar says its value, its interval and what the interval is over.
#pragma once
#include <QList>
#include <QStringList>
#include "qcp.h"

#include "charts/run_summary.h"

namespace pw::ui {

class PlotTips;

class AccuracyBarsChart : public QCustomPlot {
  Q_OBJECT
 public:
  explicit AccuracyBarsChart(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  const QList<GroupStats>& groups() const { return groups_; }
  const QStringList& splitNames() const { return splits_; }  // "ID test", then the OOD sets' names
  int errorBarCount() const { return errorBars_; }

  // What was drawn, for tests and tooltips: one entry per (group, split) with a value.
  struct DrawnBar {
    int group = 0;
    QString split;
    QCPBars* bars = nullptr;
    QCPErrorBars* errors = nullptr;  // nullptr when the value has no interval
  };
  const QList<DrawnBar>& drawnBars() const { return drawn_; }
  const DrawnBar* drawnBar(int group, const QString& split) const;
  QString tipAt(const QPointF& pos) const;  // the tooltip a pointer at `pos` (pixels) would show

 private:
  QList<GroupStats> groups_;
  QStringList splits_;
  QList<DrawnBar> drawn_;
  QList<QCPAbstractItem*> items_;
  QCPItemText* hint_ = nullptr;
  PlotTips* tips_ = nullptr;
  int errorBars_ = 0;
};

}  // namespace pw::ui
