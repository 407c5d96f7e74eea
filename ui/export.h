// Exporting charts (PNG or PDF, by the file's suffix) and tables (CSV), and the right-click menus that
// offer it on every chart and table.
#pragma once
#include <QString>
#include <QStringList>

class QWidget;

class QAbstractItemModel;
class QAbstractItemView;
class QCustomPlot;

namespace pw::ui {

// Writes the chart as PNG (2x pixels) or PDF. A chart never shown (a hidden tab) is drawn at 1000 x 600.
// Returns false and fills `error` on failure.
bool exportPlot(QCustomPlot* plot, const QString& file, QString* error = nullptr);
// Writes every row and column of the model as RFC 4180 CSV (UTF-8, header row from the horizontal header).
bool exportCsv(const QAbstractItemModel* model, const QString& file, QString* error = nullptr);

// Writes every chart under `page` (PNG or PDF by the suffix): `file` itself when there is one chart, else
// "<base>-<chart name>.<suffix>" for each. Returns the files written; stops at the first failure.
QStringList exportCharts(QWidget* page, const QString& file, QString* error = nullptr);

// Adds "Export as PNG / PDF..." to a chart's context menu; `name` is the default file name.
void installExportMenu(QCustomPlot* plot, const QString& name);
// Adds "Export as CSV..." to a table's context menu.
void installExportMenu(QAbstractItemView* view, const QString& name);

}  // namespace pw::ui
