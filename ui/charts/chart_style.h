// The look every chart shares: fonts, grid, a title, legends placed outside the data area (so nothing
// overlaps the curves at any size) and a hint shown while a chart has nothing to draw.
#pragma once
#include <QString>

class QCustomPlot;
class QWidget;
class QCPAxisRect;
class QCPItemText;
class QCPTextElement;

namespace pw::ui {

// Fonts, pens and margins; a fresh QCustomPlot with this style.
void styleChart(QCustomPlot* plot);
QCustomPlot* makeChart(const QString& title, QWidget* parent = nullptr);
void addChartTitle(QCustomPlot* plot, const QString& title);  // a bold line above the axis rect
QCPTextElement* chartTitle(QCustomPlot* plot);  // the title element makeChart added

// Moves the legend out of the axis rect: into a column on the right, or a row below (wrapping).
void placeLegendRight(QCustomPlot* plot);
void placeLegendBelow(QCustomPlot* plot, int columns);

// A grey centred text in the axis rect ("Run some methods to see ..."); hidden with setVisible(false).
QCPItemText* makeHint(QCustomPlot* plot, const QString& text);

// The factor chart fonts are scaled by, for charts made after the change (1 by default; a projector
// mode raises it).
double chartFontScale();
void setChartFontScale(double scale);

}  // namespace pw::ui
