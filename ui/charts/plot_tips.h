// Tooltips on chart data: a text per (plottable, data index), shown when the pointer rests on that bar or
// point. Charts fill it when they rebuild (clear() first: their plottables are gone by then).
#pragma once
#include <QHash>
#include <QObject>
#include <QPointF>
#include <QString>

class QCustomPlot;
class QCPAbstractPlottable;

namespace pw::ui {

class PlotTips : public QObject {
 public:
  explicit PlotTips(QCustomPlot* plot);  // a child of the plot, filtering its tooltip events
  void clear() { tips_.clear(); }
  void set(QCPAbstractPlottable* plottable, int dataIndex, const QString& text);
  // The tip of the nearest tipped data within the plot's selection tolerance of `pos` (pixels), or "".
  QString tipAt(const QPointF& pos) const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QCustomPlot* plot_;
  QHash<QCPAbstractPlottable*, QHash<int, QString>> tips_;
};

}  // namespace pw::ui
