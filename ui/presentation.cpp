// Presentation mode (see presentation.h).
#include "presentation.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QHash>
#include <QHeaderView>
#include <QMainWindow>
#include <QSettings>
#include <QTableView>
#include <QTimer>

#include <algorithm>

#include "charts/chart_style.h"
#include "qcp.h"

namespace pw::ui {
namespace {

QFont scaled(QFont f, double ratio) {
  if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * ratio);
  else if (f.pixelSize() > 0) f.setPixelSize(std::max(1, qRound(f.pixelSize() * ratio)));
  return f;
}

// Sets a pen's width to its chart-given width times `factor`, remembering the chart's own width so that
// factor 1 restores it. A width the chart set since (a rebuilt graph) becomes the new own width.
template <class T>
void scalePen(T* object, double factor) {
  QPen pen = object->pen();
  if (pen.style() == Qt::NoPen) return;
  const double current = pen.widthF();
  const QVariant set = object->property("pwPenSet");
  const double own = set.isValid() && set.toDouble() == current ? object->property("pwPenOwn").toDouble() : current;
  const double want = factor == 1.0 ? own : std::max(own, 1.0) * factor;
  if (want != current) {
    pen.setWidthF(want);
    object->setPen(pen);
  }
  object->setProperty("pwPenOwn", own);
  object->setProperty("pwPenSet", want);
}

void scaleScatter(QCPGraph* graph, double factor) {
  QCPScatterStyle style = graph->scatterStyle();
  if (style.isNone()) return;
  const double current = style.size();
  const QVariant set = graph->property("pwScatterSet");
  const double own = set.isValid() && set.toDouble() == current ? graph->property("pwScatterOwn").toDouble() : current;
  const double want = factor == 1.0 ? own : own * factor;
  if (want != current) {
    style.setSize(want);
    graph->setScatterStyle(style);
  }
  graph->setProperty("pwScatterOwn", own);
  graph->setProperty("pwScatterSet", want);
}

template <class T>
void save(QObject* o, const char* name, const T& value) {
  if (!o->property(name).isValid()) o->setProperty(name, QVariant::fromValue(value));
}

template <class T>
T saved(QObject* o, const char* name, const T& fallback) {
  const QVariant v = o->property(name);
  o->setProperty(name, QVariant());
  return v.isValid() ? v.value<T>() : fallback;
}

}  // namespace

PresentationMode::PresentationMode(QMainWindow* window) : QObject(window), window_(window) {
  action_ = new QAction("&Presentation mode", this);
  action_->setCheckable(true);
  action_->setShortcut(QKeySequence(Qt::Key_F11));
  action_->setToolTip("Large fonts, thick lines and high contrast for a projector; full screen; F11 again to leave");
  connect(action_, &QAction::toggled, this, &PresentationMode::setOn);
}

PresentationMode::~PresentationMode() {
  if (on_) setChartFontScale(1.0);  // the scale is the process's; the window's own state goes with it
}

void PresentationMode::setOn(bool on) {
  if (on != on_) apply(on, true);
}

void PresentationMode::restoreFromSettings() {
  if (on_ || !QSettings().value("view/presentation", false).toBool()) return;
  // Once the event loop runs: the window is shown by then and its widgets have their final fonts to scale.
  QTimer::singleShot(0, this, [this] {
    if (!on_) apply(true, false);
  });
}

void PresentationMode::follow(QCustomPlot* plot) {
  if (plot->property("pwPresentationFollowed").isValid()) return;
  plot->setProperty("pwPresentationFollowed", true);
  connect(plot, &QCustomPlot::beforeReplot, this, [this, plot] { adjustPens(plot); });
}

void PresentationMode::apply(bool on, bool saveWindow) {
  QSettings settings;
  on_ = on;
  {
    const QSignalBlocker block(action_);
    action_->setChecked(on);
  }
  const double ratio = (on ? kChartFontScale : 1.0) / chartFontScale();
  setChartFontScale(on ? kChartFontScale : 1.0);

  // The window's own widgets (it passes both on to its children): a larger font, black text.
  const QList<QWidget*> widgets = window_->findChildren<QWidget*>();
  if (on) {
    ownFont_ = window_->testAttribute(Qt::WA_SetFont);
    ownPalette_ = window_->testAttribute(Qt::WA_SetPalette);
    windowFont_ = window_->font();
    windowPalette_ = window_->palette();
    QHash<QWidget*, double> before;
    for (QWidget* w : widgets) before[w] = w->font().pointSizeF();
    window_->setFont(scaled(windowFont_, kWidgetFontScale));
    // Widgets with a style sheet keep their font when the parent's changes: scale those themselves.
    for (QWidget* w : widgets)
      if (w->testAttribute(Qt::WA_StyleSheet) && before[w] > 0 && w->font().pointSizeF() == before[w]) {
        w->setProperty("pwOwnFont", w->font());
        w->setFont(scaled(w->font(), kWidgetFontScale));
      }
    QPalette p = windowPalette_;
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
      p.setColor(role, Qt::black);
    window_->setPalette(p);
  } else {
    window_->setFont(ownFont_ ? windowFont_ : QFont());  // an empty font: inherit the application's again
    window_->setPalette(ownPalette_ ? windowPalette_ : QPalette());
    for (QWidget* w : widgets)
      if (w->property("pwOwnFont").isValid()) w->setFont(saved(w, "pwOwnFont", w->font()));
  }
  // Table rows were sized for the old font.
  for (QTableView* view : window_->findChildren<QTableView*>()) {
    QHeaderView* rows = view->verticalHeader();
    if (on) {
      save(rows, "pwRowHeight", rows->defaultSectionSize());
      rows->setDefaultSectionSize(std::max(rows->defaultSectionSize(), QFontMetrics(view->font()).height() + 8));
    } else {
      rows->setDefaultSectionSize(saved(rows, "pwRowHeight", rows->defaultSectionSize()));
    }
    view->resizeColumnsToContents();
  }

  // The window: full screen with the experiment panel folded away, or back to how it was.
  QDockWidget* panel = window_->findChild<QDockWidget*>("experimentDock");
  if (on) {
    if (saveWindow) {
      settings.setValue("view/presentationRestoreState", window_->saveState());
      settings.setValue("view/presentationRestoreGeometry", window_->saveGeometry());
    }
    if (panel) panel->hide();
    window_->setWindowState(window_->windowState() | Qt::WindowFullScreen);
  } else {
    window_->setWindowState(window_->windowState() & ~Qt::WindowFullScreen);
    const QByteArray geometry = settings.value("view/presentationRestoreGeometry").toByteArray();
    const QByteArray state = settings.value("view/presentationRestoreState").toByteArray();
    if (!geometry.isEmpty()) window_->restoreGeometry(geometry);
    if (state.isEmpty() || !window_->restoreState(state)) {
      if (panel) panel->show();
    }
  }

  // Every chart: fonts by the ratio (charts built from now on take chartFontScale themselves), black
  // axes, thick pens (kept up as charts rebuild their graphs).
  for (QCustomPlot* plot : window_->findChildren<QCustomPlot*>()) {
    follow(plot);
    scaleFonts(plot, ratio);
    setContrast(plot, on);
    plot->replot(QCustomPlot::rpQueuedReplot);
  }
  settings.setValue("view/presentation", on);
  Q_EMIT toggled(on);
}

void PresentationMode::scaleFonts(QCustomPlot* plot, double ratio) {
  if (ratio == 1.0) return;
  for (QCPAxisRect* rect : plot->axisRects())
    for (QCPAxis* axis : rect->axes()) {
      axis->setLabelFont(scaled(axis->labelFont(), ratio));
      axis->setTickLabelFont(scaled(axis->tickLabelFont(), ratio));
    }
  plot->legend->setFont(scaled(plot->legend->font(), ratio));  // and every legend item
  for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
    if (auto* text = qobject_cast<QCPTextElement*>(e)) text->setFont(scaled(text->font(), ratio));
  for (int i = 0; i < plot->itemCount(); ++i)
    if (auto* text = qobject_cast<QCPItemText*>(plot->item(i))) text->setFont(scaled(text->font(), ratio));
}

void PresentationMode::setContrast(QCustomPlot* plot, bool on) {
  const QPen black(Qt::black, 1.5);
  for (QCPAxisRect* rect : plot->axisRects())
    for (QCPAxis* axis : rect->axes()) {
      if (on) {
        save(axis, "pwBasePen", axis->basePen());
        save(axis, "pwTickPen", axis->tickPen());
        save(axis, "pwSubTickPen", axis->subTickPen());
        save(axis, "pwLabelColor", axis->labelColor());
        save(axis, "pwTickLabelColor", axis->tickLabelColor());
        save(axis, "pwGridPen", axis->grid()->pen());
        axis->setBasePen(black);
        axis->setTickPen(black);
        axis->setSubTickPen(QPen(Qt::black, 1));
        axis->setLabelColor(Qt::black);
        axis->setTickLabelColor(Qt::black);
        QPen grid = axis->grid()->pen();
        grid.setColor(QColor(185, 185, 185));
        axis->grid()->setPen(grid);
      } else {
        axis->setBasePen(saved(axis, "pwBasePen", axis->basePen()));
        axis->setTickPen(saved(axis, "pwTickPen", axis->tickPen()));
        axis->setSubTickPen(saved(axis, "pwSubTickPen", axis->subTickPen()));
        axis->setLabelColor(saved(axis, "pwLabelColor", axis->labelColor()));
        axis->setTickLabelColor(saved(axis, "pwTickLabelColor", axis->tickLabelColor()));
        axis->grid()->setPen(saved(axis, "pwGridPen", axis->grid()->pen()));
      }
    }
  for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
    if (auto* text = qobject_cast<QCPTextElement*>(e)) {
      if (on) {
        save(text, "pwTextColor", text->textColor());
        text->setTextColor(Qt::black);
      } else {
        text->setTextColor(saved(text, "pwTextColor", text->textColor()));
      }
    }
}

void PresentationMode::adjustPens(QCustomPlot* plot) {
  const double lines = on_ ? kLineScale : 1.0, outlines = on_ ? 1.5 : 1.0, markers = on_ ? 1.5 : 1.0;
  for (int i = 0; i < plot->plottableCount(); ++i) {
    QCPAbstractPlottable* p = plot->plottable(i);
    if (qobject_cast<QCPBars*>(p)) {
      scalePen(p, outlines);
      continue;
    }
    scalePen(p, lines);
    if (auto* graph = qobject_cast<QCPGraph*>(p)) scaleScatter(graph, markers);
  }
  for (int i = 0; i < plot->itemCount(); ++i) {
    QCPAbstractItem* item = plot->item(i);
    if (auto* line = qobject_cast<QCPItemStraightLine*>(item)) scalePen(line, lines);
    else if (auto* segment = qobject_cast<QCPItemLine*>(item)) scalePen(segment, lines);
  }
}

}  // namespace pw::ui
