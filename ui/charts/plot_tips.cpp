// Tooltips on chart data (see plot_tips.h).
#include "plot_tips.h"

#include <QHelpEvent>
#include <QToolTip>

#include "qcp.h"

namespace pw::ui {

PlotTips::PlotTips(QCustomPlot* plot) : QObject(plot), plot_(plot) { plot->installEventFilter(this); }

void PlotTips::set(QCPAbstractPlottable* plottable, int dataIndex, const QString& text) {
  tips_[plottable][dataIndex] = text;
}

QString PlotTips::tipAt(const QPointF& pos) const {
  double best = plot_->selectionTolerance();
  QString tip;
  for (auto it = tips_.begin(); it != tips_.end(); ++it) {
    QCPAbstractPlottable* p = it.key();
    if (!plot_->hasPlottable(p) || !p->visible()) continue;
    QVariant details;
    const double d = p->selectTest(pos, false, &details);
    if (d < 0 || d > best) continue;
    const QCPDataSelection sel = details.value<QCPDataSelection>();
    const int index = sel.isEmpty() ? 0 : sel.dataRange().begin();
    const auto found = it.value().find(index);
    if (found == it.value().end()) continue;
    // Ties (a bar and its error bar both at the pointer): the earlier, smaller distance wins.
    if (tip.isEmpty() || d < best) best = d, tip = found.value();
  }
  return tip;
}

bool PlotTips::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_ && event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString tip = tipAt(help->pos());
    if (tip.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(help->globalPos(), tip, plot_);
    return true;
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace pw::ui
