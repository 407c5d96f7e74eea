// Shared chart style (see chart_style.h).
#include "chart_style.h"

#include "qcp.h"

namespace pw::ui {
namespace {

QFont scaledFont(double points, bool bold = false) {
  QFont f;
  f.setPointSizeF(points * chartFontScale());
  f.setBold(bold);
  return f;
}

void styleAxis(QCPAxis* axis) {
  axis->setLabelFont(scaledFont(9));
  axis->setTickLabelFont(scaledFont(8));
  axis->setBasePen(QPen(QColor(120, 120, 120)));
  axis->setTickPen(QPen(QColor(120, 120, 120)));
  axis->setSubTickPen(QPen(QColor(150, 150, 150)));
  axis->setLabelColor(QColor(40, 40, 40));
  axis->setTickLabelColor(QColor(60, 60, 60));
  axis->grid()->setPen(QPen(QColor(225, 225, 225), 1, Qt::SolidLine));
  axis->grid()->setSubGridPen(QPen(QColor(240, 240, 240), 1, Qt::DotLine));
}

}  // namespace

namespace {
double fontScale = 1.0;
}

double chartFontScale() { return fontScale; }
void setChartFontScale(double scale) { fontScale = scale; }

void styleChart(QCustomPlot* plot) {
  plot->setBackground(Qt::white);
  plot->setAntialiasedElements(QCP::aeAll);
  plot->setNotAntialiasedElements(QCP::aeGrid | QCP::aeAxes);
  plot->setPlottingHint(QCP::phCacheLabels, true);
  for (QCPAxis* a : plot->axisRect()->axes()) styleAxis(a);
  plot->legend->setFont(scaledFont(8));
  plot->legend->setBrush(QBrush(QColor(255, 255, 255, 230)));
  plot->legend->setBorderPen(QPen(QColor(200, 200, 200)));
  plot->legend->setIconSize(18, 10);
  plot->legend->setRowSpacing(1);
  plot->setMinimumSize(200, 150);
}

QCustomPlot* makeChart(const QString& title, QWidget* parent) {
  auto* plot = new QCustomPlot(parent);
  styleChart(plot);
  addChartTitle(plot, title);
  return plot;
}

void addChartTitle(QCustomPlot* plot, const QString& title) {
  plot->plotLayout()->insertRow(0);
  auto* t = new QCPTextElement(plot, title, scaledFont(9.5, true));
  t->setTextColor(QColor(30, 30, 30));
  t->setMargins(QMargins(4, 4, 4, 0));
  plot->plotLayout()->addElement(0, 0, t);
}

QCPTextElement* chartTitle(QCustomPlot* plot) {
  return qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
}

void placeLegendRight(QCustomPlot* plot) {
  QCPLayoutGrid* layout = plot->plotLayout();
  QCPAxisRect* rect = plot->axisRect();
  int row = 0;
  for (int r = 0; r < layout->rowCount(); ++r)
    if (layout->element(r, 0) == rect) row = r;
  // A side column: the legend on top, an empty element below it taking the rest of the height (a legend
  // alone in the row would cap the row at its own small maximum height).
  auto* side = new QCPLayoutGrid;
  layout->addElement(row, 1, side);
  layout->setColumnStretchFactor(1, 0.001);
  side->addElement(0, 0, plot->legend);
  side->addElement(1, 0, new QCPLayoutElement(plot));
  side->setRowStretchFactor(0, 0.001);
  side->setMargins(QMargins(0, 0, 0, 0));
  plot->legend->setMargins(QMargins(6, 4, 6, 4));
  plot->legend->setVisible(true);
  plot->legend->setLayer("legend");
}

void placeLegendBelow(QCustomPlot* plot, int columns) {
  QCPLayoutGrid* layout = plot->plotLayout();
  plot->axisRect()->insetLayout()->take(plot->legend);
  const int row = layout->rowCount();
  layout->addElement(row, 0, plot->legend);
  layout->setRowStretchFactor(row, 0.001);
  plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot->legend->setWrap(columns);
  plot->legend->setMargins(QMargins(4, 2, 4, 2));
  plot->legend->setVisible(true);
  plot->legend->setLayer("legend");
}

QCPItemText* makeHint(QCustomPlot* plot, const QString& text) {
  auto* hint = new QCPItemText(plot);
  hint->position->setType(QCPItemPosition::ptAxisRectRatio);
  hint->position->setCoords(0.5, 0.5);
  hint->setPositionAlignment(Qt::AlignCenter);
  hint->setText(text);
  hint->setFont(scaledFont(9));
  hint->setColor(QColor(130, 130, 130));
  hint->setClipToAxisRect(true);
  return hint;
}

}  // namespace pw::ui
