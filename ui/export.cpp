// Chart and table export (see export.h).
#include "export.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QTextStream>
#include "qcp.h"
#include "util/csv_write.h"

namespace pw::ui {
namespace {

QString askFile(QWidget* parent, const QString& name, const QString& filter, const QString& suffix) {
  QSettings settings;
  const QString dir = settings.value("export/dir").toString();
  QString file = QFileDialog::getSaveFileName(parent, "Export", dir.isEmpty() ? name + suffix : dir + "/" + name + suffix,
                                              filter);
  if (!file.isEmpty()) settings.setValue("export/dir", QFileInfo(file).absolutePath());
  return file;
}

void report(QWidget* parent, bool ok, const QString& error) {
  if (!ok) QMessageBox::warning(parent, "Export failed", error);
}

}  // namespace

bool exportPlot(QCustomPlot* plot, const QString& file, QString* error) {
  const QString suffix = QFileInfo(file).suffix().toLower();
  // A chart on a tab that was never shown has no real size yet: draw it at a readable one.
  const bool sized = plot->width() >= 300 && plot->height() >= 200;
  const int w = sized ? 0 : 1000, h = sized ? 0 : 600;
  bool ok = false;
  if (suffix == "png") ok = plot->savePng(file, w, h, 2.0);
  else if (suffix == "pdf") ok = plot->savePdf(file, w, h);
  else {
    if (error) *error = file + ": use a .png or .pdf file name";
    return false;
  }
  if (!ok && error) *error = file + ": could not write the file (is the folder writable?)";
  return ok;
}

bool exportCsv(const QAbstractItemModel* model, const QString& file, QString* error) {
  QFile f(file);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error) *error = file + ": " + f.errorString();
    return false;
  }
  QTextStream out(&f);
  out.setEncoding(QStringConverter::Utf8);
  std::vector<std::string> header;
  for (int c = 0; c < model->columnCount(); ++c)
    header.push_back(model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().toStdString());
  out << QString::fromStdString(csvRow(header)) << "\n";
  for (int r = 0; r < model->rowCount(); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < model->columnCount(); ++c) {
      // The exact value where the model keeps one (Qt::UserRole), else the text shown.
      QVariant v = model->data(model->index(r, c), Qt::UserRole);
      if (!v.isValid()) v = model->data(model->index(r, c), Qt::DisplayRole);
      row.push_back(v.toString().toStdString());
    }
    out << QString::fromStdString(csvRow(row)) << "\n";
  }
  out.flush();
  if (f.error() != QFile::NoError) {
    if (error) *error = file + ": " + f.errorString();
    return false;
  }
  return true;
}

QStringList exportCharts(QWidget* page, const QString& file, QString* error) {
  const QFileInfo info(file);
  const QList<QCustomPlot*> plots = page->findChildren<QCustomPlot*>();
  QStringList written;
  for (QCustomPlot* plot : plots) {
    const QString target = plots.size() == 1 ? file
                                             : info.path() + "/" + info.completeBaseName() + "-" + plot->objectName() +
                                                   "." + info.suffix();
    if (!exportPlot(plot, target, error)) break;
    written << target;
  }
  return written;
}

void installExportMenu(QCustomPlot* plot, const QString& name) {
  if (plot->objectName().isEmpty()) plot->setObjectName(name);  // names the file when a tab exports all charts
  plot->setContextMenuPolicy(Qt::CustomContextMenu);
  QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot, name](const QPoint& pos) {
    QMenu menu(plot);
    menu.addAction("Export as PNG...", [plot, name] {
      QString file = askFile(plot, name, "PNG image (*.png)", ".png"), error;
      if (!file.isEmpty()) report(plot, exportPlot(plot, file, &error), error);
    });
    menu.addAction("Export as PDF...", [plot, name] {
      QString file = askFile(plot, name, "PDF document (*.pdf)", ".pdf"), error;
      if (!file.isEmpty()) report(plot, exportPlot(plot, file, &error), error);
    });
    menu.exec(plot->mapToGlobal(pos));
  });
}

void installExportMenu(QAbstractItemView* view, const QString& name) {
  view->setContextMenuPolicy(Qt::ActionsContextMenu);
  auto* action = new QAction("Export as CSV...", view);
  QObject::connect(action, &QAction::triggered, view, [view, name] {
    QString file = askFile(view, name, "CSV table (*.csv)", ".csv"), error;
    if (!file.isEmpty()) report(view, exportCsv(view->model(), file, &error), error);
  });
  view->addAction(action);
}

}  // namespace pw::ui
