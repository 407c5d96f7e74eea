// The Training tab's charts (see loss_chart.h).
#include "loss_chart.h"

#include <QHBoxLayout>
#include <QMap>
#include <QVBoxLayout>
#include "qcp.h"

#include "axis_range.h"

#include <algorithm>
#include <cmath>

#include "chart_style.h"
#include "export.h"
#include "method_colors.h"

namespace pw::ui {

struct LossChart::Run {
  struct StepPoint {
    qint64 step;
    double epoch;
    int stage;
    double loss;
  };
  struct EvalPoint {
    qint64 step;
    double epoch;
    int stage;
    double loss, accuracy;
  };
  QString label, method;
  QColor color;
  QVector<StepPoint> steps;
  QVector<EvalPoint> evals;
  QMap<int, double> stageEpochs;  // the largest epoch seen in each stage: the epoch axis runs on across stages
  QMap<int, qint64> stageStarts;  // the first step of every stage after the first
  double emaNum = 0, emaDen = 0;
  QCPGraph *raw = nullptr, *smooth = nullptr, *valLoss = nullptr, *valAcc = nullptr;
  QList<QCPAbstractItem*> markers;
};

namespace {

QCPGraph* addGraph(QCustomPlot* plot, const QPen& pen, bool points) {
  QCPGraph* g = plot->addGraph();
  g->setPen(pen);
  if (points) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, pen.color(), Qt::white, 5));
  g->removeFromLegend();
  return g;
}

void setLog(QCPAxis* axis, bool on) {
  axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  else axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

}  // namespace

LossChart::LossChart(QWidget* parent) : QWidget(parent) {
  train_ = makeChart("Training loss per batch (faint) and smoothed (bold)", this);
  valLoss_ = makeChart("Validation loss", this);
  valAcc_ = makeChart("Validation accuracy", this);
  train_->yAxis->setLabel("training loss (cross-entropy, nats)");
  valLoss_->yAxis->setLabel("validation loss (nats)");
  valAcc_->yAxis->setLabel("validation accuracy (%)");
  placeLegendRight(train_);
  hint_ = makeHint(train_, "No runs to show yet: check methods in the panel and press Run (Ctrl+R).\n"
                           "Select rows in the runs table to overlay earlier runs.");
  installExportMenu(train_, "training-loss");
  installExportMenu(valLoss_, "validation-loss");
  installExportMenu(valAcc_, "validation-accuracy");

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(train_, 3);
  auto* row = new QHBoxLayout();
  row->addWidget(valLoss_);
  row->addWidget(valAcc_);
  layout->addLayout(row, 2);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(40);
  connect(&replotTimer_, &QTimer::timeout, this, &LossChart::replotNow);
  setXAxis(XAxis::Steps);
  replotNow();
}

LossChart::~LossChart() { qDeleteAll(runs_); }

QList<QCustomPlot*> LossChart::plots() const { return {train_, valLoss_, valAcc_}; }

void LossChart::addRun(qint64 id, const QString& label, const QString& method) {
  if (runs_.contains(id)) return;
  auto* run = new Run;
  run->label = label;
  run->method = method;
  run->color = methodColor(method);
  QColor faint = run->color;
  faint.setAlpha(70);
  run->raw = addGraph(train_, QPen(faint, 1), false);
  run->smooth = addGraph(train_, QPen(run->color, 2.2), false);
  run->smooth->setName(label);
  run->smooth->addToLegend();
  run->valLoss = addGraph(valLoss_, QPen(run->color, 1.8), true);
  run->valAcc = addGraph(valAcc_, QPen(run->color, 1.8), true);
  runs_.insert(id, run);
  markDirty();
}

void LossChart::removeRun(qint64 id) {
  Run* run = runs_.take(id);
  if (!run) return;
  train_->removeGraph(run->raw);
  train_->removeGraph(run->smooth);
  valLoss_->removeGraph(run->valLoss);
  valAcc_->removeGraph(run->valAcc);
  for (QCPAbstractItem* item : run->markers) item->parentPlot()->removeItem(item);
  delete run;
  markDirty();
}

void LossChart::clear() {
  for (qint64 id : runs_.keys()) removeRun(id);
}

double LossChart::xOf(const Run& run, qint64 step, double epoch, int stage) const {
  if (xAxis_ == XAxis::Steps) return double(step);
  double offset = 0;
  for (auto it = run.stageEpochs.begin(); it != run.stageEpochs.end() && it.key() < stage; ++it) offset += it.value();
  return offset + epoch;
}

void LossChart::addStep(qint64 id, qint64 step, double epoch, int stage, double loss) {
  Run* run = runs_.value(id);
  if (!run) return;
  if (!run->steps.isEmpty() && stage > run->steps.last().stage && !run->stageStarts.contains(stage)) {
    run->stageStarts.insert(stage, step);
    addStageMarker(*run, xOf(*run, step, 0.0, stage) - (xAxis_ == XAxis::Steps ? 0.5 : 0.0));
  }
  run->steps.push_back({step, epoch, stage, loss});
  run->stageEpochs[stage] = std::max(run->stageEpochs.value(stage, 0.0), epoch);
  const double x = xOf(*run, step, epoch, stage);
  run->raw->addData(x, loss);
  run->emaNum = smoothing_ * run->emaNum + (1 - smoothing_) * loss;
  run->emaDen = smoothing_ * run->emaDen + (1 - smoothing_);
  run->smooth->addData(x, run->emaNum / run->emaDen);
  markDirty(true, run->stageStarts.contains(stage) && run->stageStarts.value(stage) == step);
}

void LossChart::addEval(qint64 id, qint64 step, double epoch, int stage, double loss, double accuracy) {
  Run* run = runs_.value(id);
  if (!run) return;
  run->evals.push_back({step, epoch, stage, loss, accuracy});
  const double x = xOf(*run, step, epoch, stage);
  run->valLoss->addData(x, loss);
  run->valAcc->addData(x, 100.0 * accuracy);
  markDirty(false, true);
}

void LossChart::addStageMarker(Run& run, double x) {
  QPen pen(run.color, 1.2, Qt::DashLine);
  for (QCustomPlot* plot : plots()) {
    auto* line = new QCPItemStraightLine(plot);
    line->setPen(pen);
    for (QCPItemPosition* p : {line->point1, line->point2}) {
      p->setTypeX(QCPItemPosition::ptPlotCoords);
      p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    run.markers << line;
  }
  auto* label = new QCPItemText(train_);
  label->position->setTypeX(QCPItemPosition::ptPlotCoords);
  label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  label->position->setCoords(x, 0.02);
  label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  label->setText(" " + run.label + ": probe | fine-tune");
  label->setColor(run.color.darker(130));
  label->setClipToAxisRect(true);
  run.markers << label;
}

void LossChart::rebuild(Run& run) {
  QVector<double> xs, raw, smooth, vx, vLoss, vAcc;
  run.emaNum = run.emaDen = 0;
  for (const auto& p : run.steps) {
    xs << xOf(run, p.step, p.epoch, p.stage);
    raw << p.loss;
    run.emaNum = smoothing_ * run.emaNum + (1 - smoothing_) * p.loss;
    run.emaDen = smoothing_ * run.emaDen + (1 - smoothing_);
    smooth << run.emaNum / run.emaDen;
  }
  for (const auto& e : run.evals) {
    vx << xOf(run, e.step, e.epoch, e.stage);
    vLoss << e.loss;
    vAcc << 100.0 * e.accuracy;
  }
  run.raw->setData(xs, raw, true);
  run.smooth->setData(xs, smooth, true);
  run.valLoss->setData(vx, vLoss, true);
  run.valAcc->setData(vx, vAcc, true);
  for (QCPAbstractItem* item : run.markers) item->parentPlot()->removeItem(item);
  run.markers.clear();
  for (auto it = run.stageStarts.begin(); it != run.stageStarts.end(); ++it)
    addStageMarker(run, xOf(run, it.value(), 0.0, it.key()) - (xAxis_ == XAxis::Steps ? 0.5 : 0.0));
}

void LossChart::setXAxis(XAxis axis) {
  xAxis_ = axis;
  const QString label = axis == XAxis::Steps ? "optimizer step" : "epoch (LP-FT: probe, then fine-tuning epochs)";
  for (QCustomPlot* plot : plots()) plot->xAxis->setLabel(label);
  for (Run* run : runs_) rebuild(*run);
  markDirty();
}

void LossChart::setLogY(bool on) {
  logY_ = on;
  setLog(train_->yAxis, on);
  setLog(valLoss_->yAxis, on);
  markDirty();
}

void LossChart::setSmoothing(double weight) {
  smoothing_ = std::clamp(weight, 0.0, 0.99);
  for (Run* run : runs_) rebuild(*run);
  markDirty();
}

int LossChart::stepPointCount(qint64 id) const {
  Run* run = runs_.value(id);
  return run ? run->raw->dataCount() : 0;
}

int LossChart::evalPointCount(qint64 id) const {
  Run* run = runs_.value(id);
  return run ? run->valLoss->dataCount() : 0;
}

int LossChart::stageMarkerCount() const {
  int n = 0;
  for (Run* run : runs_) n += run->stageStarts.size();
  return n;
}

void LossChart::markDirty(bool train, bool val) {
  dirtyTrain_ |= train;
  dirtyVal_ |= val;
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void LossChart::rescale() {
  double maxX = 0;
  for (Run* run : runs_) {
    bool found = false;
    QCPRange r = run->raw->getKeyRange(found);
    if (found) maxX = std::max(maxX, r.upper);
    r = run->valLoss->getKeyRange(found);
    if (found) maxX = std::max(maxX, r.upper);
  }
  if (maxX <= 0) maxX = xAxis_ == XAxis::Steps ? 10 : 1;
  for (QCustomPlot* plot : plots()) plot->xAxis->setRange(0, maxX * 1.02);

  auto fitY = [this](QCustomPlot* plot, bool log, double minSpan, double floor, double ceiling) {
    bool any = false;
    QCPRange total;
    for (int i = 0; i < plot->graphCount(); ++i) {
      bool found = false;
      QCPRange r = plot->graph(i)->getValueRange(found, log ? QCP::sdPositive : QCP::sdBoth);
      if (!found) continue;
      total = any ? QCPRange(std::min(total.lower, r.lower), std::max(total.upper, r.upper)) : r;
      any = true;
    }
    if (log) {
      if (!any) total = QCPRange(0.1, 10);
      plot->yAxis->setRange(total.lower / 1.3, total.upper * 1.3);
    } else {
      plot->yAxis->setRange(any ? fittedRange(total.lower, total.upper, minSpan, floor, ceiling)
                                : fittedRange(1, 0, minSpan, floor, ceiling));
    }
  };
  const double inf = std::numeric_limits<double>::infinity();
  fitY(train_, logY_, kLossMinSpan, 0.0, inf);
  fitY(valLoss_, logY_, kLossMinSpan, 0.0, inf);
  fitY(valAcc_, false, kAccuracyMinSpan, 0.0, 100.0);
}

void LossChart::replotNow() {
  hint_->setVisible(runs_.isEmpty());
  train_->legend->setVisible(!runs_.isEmpty());
  rescale();
  // Only what changed, and nothing while hidden (another tab is in front): showEvent catches up.
  if (!isVisible()) return;
  if (dirtyTrain_) train_->replot();
  if (dirtyVal_) valLoss_->replot(), valAcc_->replot();
  dirtyTrain_ = dirtyVal_ = false;
  ++replots_;
}

void LossChart::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (dirtyTrain_ || dirtyVal_) replotNow();
}

}  // namespace pw::ui
