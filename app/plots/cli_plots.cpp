// The CLI's charts as PNG files (see cli_plots.h): the GUI's chart classes, fed from the runs a compare or
// sweep just recorded, drawn by a QApplication on the offscreen platform (no display needed).
#include "cli_plots.h"

#include <QApplication>
#include <QDir>
#include <QPainter>
#include <QPixmap>

#include <memory>

#include "chart_feed.h"
#include "charts/accuracy_bars_chart.h"
#include "charts/loss_chart.h"
#include "charts/scatter_charts.h"
#include "charts/sweep_chart.h"
#include "export.h"
#include "method_colors.h"
#include "methods/catalog.h"
#include "util/error.h"

namespace pw::cli {
namespace {

// A QApplication for the duration of the drawing, unless the process already has one. The offscreen
// platform unless the caller chose another: a terminal or a build server may have no display.
class OffscreenApp {
 public:
  OffscreenApp() {
    if (QCoreApplication::instance()) return;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    app_ = std::make_unique<QApplication>(argc_, argv_);
  }

 private:
  int argc_ = 1;
  char name_[20] = "peft-workbench-cli";
  char* argv_[2] = {name_, nullptr};
  std::unique_ptr<QApplication> app_;
};

// At the size the GUI's export draws a chart it never showed (a fresh widget would be 640 x 480).
void save(QCustomPlot* plot, const QString& file, std::vector<std::string>& written) {
  plot->resize(1000, 600);
  QString error;
  if (!ui::exportPlot(plot, file, &error)) throw Error(error.toStdString());
  written.push_back(file.toStdString());
}

// The Training tab's three charts (training loss, validation loss, validation accuracy) one above the other.
void saveLossCurves(const QList<const results::RunRecord*>& records, const ui::ShownRuns& shown,
                    const std::vector<PlottedRun>& runs, const QString& file, std::vector<std::string>& written) {
  ui::LossChart chart;
  for (const PlottedRun& run : runs)
    if (records.contains(&run.record)) ui::addRunCurves(chart, run.record, run.curve, shown.label(run.record));
  chart.replotNow();
  const int width = 1100, height = 380;
  const double scale = 2.0;
  const QList<QCustomPlot*> plots = chart.plots();
  QPixmap all(int(width * scale), int(height * scale) * int(plots.size()));
  all.fill(Qt::white);
  QPainter painter(&all);
  for (int i = 0; i < plots.size(); ++i)
    painter.drawPixmap(0, int(height * scale) * i, plots[i]->toPixmap(width, height, scale));
  painter.end();
  if (!all.save(file, "PNG")) throw Error(file.toStdString() + ": could not write the file (is the folder writable?)");
  written.push_back(file.toStdString());
}

QString knobValueText(const nlohmann::json& knobs, const std::string& key) {
  if (!knobs.is_object() || !knobs.contains(key)) return "?";
  const nlohmann::json& v = knobs.at(key);
  if (v.is_number_integer()) return QString::number(v.get<int64_t>());
  if (v.is_number()) return QString::number(v.get<double>(), 'g', 6);
  if (v.is_string()) return QString::fromStdString(v.get<std::string>());
  return QString::fromStdString(v.dump());
}

void saveSweep(const std::vector<PlottedRun>& runs, const std::string& knob, const QString& file,
               std::vector<std::string>& written) {
  QList<ui::SweepPoint> points;
  for (const PlottedRun& run : runs) {
    const results::RunRecord& r = run.record;
    if (r.status != RunStatus::Finished) continue;
    const QList<ui::SplitScore> ood = ui::oodScores(r);
    points << ui::SweepPoint{r.id, knobValueText(r.knobs, knob), r.seed, r.idAccuracy, r.oodAccuracy,
                             ui::idTestScore(r).examples, ood.isEmpty() ? 0 : ood.first().examples};
  }
  const std::string method = runs.empty() ? std::string() : runs.front().record.method;
  QString label = QString::fromStdString(knob);
  bool logScale = false;
  if (!method.empty())
    for (const KnobSpec& k : methodDescriptor(method).knobs)
      if (k.key == knob) label = QString::fromStdString(k.label), logScale = k.logScale;
  ui::SweepChart chart;
  chart.setSweep(ui::methodTitle(QString::fromStdString(method)), label, logScale, points);
  if (points.isEmpty()) chart.setHint("No finished runs.");
  save(&chart, file, written);
}

}  // namespace

void writeProbeCurve(const std::string& file, const std::string& taskName, bool xIsTokens,
                     const std::vector<ProbeCurvePoint>& points) {
  OffscreenApp app;
  QList<ui::SweepPoint> sweep;
  for (const ProbeCurvePoint& p : points) {
    const double x = xIsTokens ? p.x / 1e6 : p.x;
    sweep << ui::SweepPoint{0, QString::number(x, 'g', 3), 0, p.idAccuracy, p.oodAccuracy, p.idExamples,
                            p.oodExamples};
  }
  ui::SweepChart chart;
  chart.setOneRunPerLevel(true);
  chart.setSweep(QString("Linear probe on %1").arg(QString::fromStdString(taskName)),
                 xIsTokens ? "pretraining tokens (millions)" : "pretraining steps", false, sweep);
  std::vector<std::string> written;
  save(&chart, QString::fromStdString(file), written);
}

std::vector<std::string> writePlots(const std::string& dir, const std::vector<PlottedRun>& runs,
                                    const std::string& sweepKnob) {
  OffscreenApp app;
  const QString out = QString::fromStdString(dir);
  if (!QDir().mkpath(out)) throw Error(dir + ": cannot create the folder");
  QList<const results::RunRecord*> records;
  for (const PlottedRun& run : runs) records << &run.record;
  const ui::ShownRuns shown(records);
  const QList<ui::RunSummary> summaries = shown.summaries();

  std::vector<std::string> written;
  ui::AccuracyBarsChart bars;
  bars.setRuns(summaries);
  save(&bars, out + "/id-ood-bars.png", written);
  ui::IdOodScatter scatter;
  scatter.setRuns(summaries);
  save(&scatter, out + "/id-vs-ood.png", written);
  ui::AccuracyParamsChart params;
  params.setRuns(summaries);
  save(&params, out + "/accuracy-vs-params.png", written);
  saveLossCurves(records, shown, runs, out + "/loss-curves.png", written);
  if (!sweepKnob.empty()) saveSweep(runs, sweepKnob, out + "/sweep.png", written);
  return written;
}

}  // namespace pw::cli
