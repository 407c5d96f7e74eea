// The Sweep tab (see sweep_tab.h).
#include "sweep_tab.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "charts/sweep_chart.h"
#include "export.h"
#include "method_colors.h"
#include "methods/catalog.h"
#include "methods/knob_label.h"
#include "train/experiment.h"
#include "run_labels.h"
#include "run_metrics.h"

namespace pw::ui {
namespace {

const KnobSpec* knobSpec(const std::string& method, const std::string& key) {
  try {
    for (const KnobSpec& k : methodDescriptor(method).knobs)
      if (k.key == key) return &k;
  } catch (const std::exception&) {
    // a method this build does not know
  }
  return nullptr;
}

QString valueText(const nlohmann::json& v) { return QString::fromStdString(knobValueText(v)); }

// The knob a batch varies: the one whose values differ between its runs (the method's size knob when
// several or none do).
std::string sweptKnob(const std::vector<results::RunRecord>& runs) {
  const std::string method = runs.front().method;
  std::string sizeKnob;
  try {
    sizeKnob = methodDescriptor(method).sizeKnob;
  } catch (const std::exception&) {
  }
  std::vector<std::string> differing;
  if (runs.front().knobs.is_object())
    for (const auto& [key, value] : runs.front().knobs.items())
      for (const auto& r : runs)
        if (!r.knobs.is_object() || !r.knobs.contains(key) || r.knobs.at(key) != value) {
          differing.push_back(key);
          break;
        }
  if (differing.size() == 1) return differing.front();
  return sizeKnob;
}

QString knobTitle(const std::string& method, const std::string& key) {
  const KnobSpec* k = knobSpec(method, key);
  return k ? QString::fromStdString(k->label) : QString::fromStdString(key);
}

// "80.0 [72.3, 87.7]": the mean and its 95 % interval (t over seeds; Wilson for a single run).
QString percentText(int n, double mean, bool interval, double low, double high) {
  if (n == 0) return "-";
  if (!interval) return QString::number(mean, 'f', 1);
  return QString("%1 [%2, %3]").arg(mean, 0, 'f', 1).arg(low, 0, 'f', 1).arg(high, 0, 'f', 1);
}

}  // namespace

SweepTab::SweepTab(QWidget* parent) : QWidget(parent) {
  methodBox_ = new QComboBox();
  for (const auto& m : methodCatalog())
    if (!m.sizeKnob.empty()) methodBox_->addItem(QString::fromStdString(m.title), QString::fromStdString(m.name));
  knobLabel_ = new QLabel();
  values_ = new QLineEdit();
  values_->setToolTip("The values to train, separated by commas (each one is a run per seed)");
  values_->setMinimumWidth(160);
  seeds_ = new QSpinBox();
  seeds_->setRange(1, 5);
  seeds_->setValue(2);
  seeds_->setToolTip("Runs per value, with seeds from the Experiment panel's first seed on; two or more give the "
                     "band of the 95 % t-interval over seeds");
  run_ = new QPushButton("Run sweep");
  run_->setToolTip("Queue every value with every seed; the model, task and training settings come from the "
                   "Experiment panel (and the method's other knobs too)");
  batchBox_ = new QComboBox();
  batchBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  batchBox_->setPlaceholderText("no sweeps recorded yet");
  batchBox_->setToolTip("Every sweep in the results database (from this window or `peft-workbench-cli sweep`)");
  info_ = new QLabel();
  info_->setStyleSheet("color: #555;");

  auto* top = new QHBoxLayout();
  top->addWidget(new QLabel("Method:"));
  top->addWidget(methodBox_);
  top->addWidget(knobLabel_);
  top->addWidget(values_, 1);
  top->addWidget(new QLabel("Seeds per value:"));
  top->addWidget(seeds_);
  top->addWidget(run_);
  auto* second = new QHBoxLayout();
  second->addWidget(new QLabel("Showing:"));
  second->addWidget(batchBox_, 2);
  second->addWidget(info_, 1);

  chart_ = new SweepChart();
  table_ = new QTableWidget(0, 5);
  table_->setHorizontalHeaderLabels({"Value", "Runs", "Trainable", "ID acc. (%)", "OOD acc. (%)"});
  for (int c : {3, 4})
    table_->horizontalHeaderItem(c)->setToolTip("Mean over the value's runs [95 % interval]: the t-interval over "
                                                "seeds, or Wilson over the test examples for a single run");
  table_->verticalHeader()->setVisible(false);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  installExportMenu(table_, "sweep");
  table_->setMinimumHeight(90);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(chart_);
  split->addWidget(table_);
  split->setStretchFactor(0, 5);
  split->setStretchFactor(1, 1);
  split->setSizes({1000, 150});
  split->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(top);
  layout->addLayout(second);
  layout->addWidget(split, 1);

  QSettings s;
  s.beginGroup("sweep");
  s.beginGroup("values");
  for (const QString& m : s.childKeys()) valuesByMethod_[m] = s.value(m).toString();
  s.endGroup();
  seeds_->setValue(s.value("seeds", 2).toInt());
  const QString method = s.value("method", "lora").toString();
  s.endGroup();

  connect(methodBox_, &QComboBox::currentIndexChanged, this, &SweepTab::onMethodChanged);
  connect(values_, &QLineEdit::textEdited, this, [this](const QString& text) { valuesByMethod_[this->method()] = text; });
  connect(values_, &QLineEdit::returnPressed, this, &SweepTab::onRunClicked);
  connect(run_, &QPushButton::clicked, this, &SweepTab::onRunClicked);
  connect(batchBox_, &QComboBox::currentIndexChanged, this, [this] {
    wanted_.clear();
    redraw();
  });
  setMethod(method);
  onMethodChanged();
}

SweepTab::~SweepTab() {
  QSettings s;
  s.beginGroup("sweep");
  s.setValue("method", method());
  s.setValue("seeds", seeds());
  for (auto it = valuesByMethod_.begin(); it != valuesByMethod_.end(); ++it) s.setValue("values/" + it.key(), it.value());
  s.endGroup();
}

void SweepTab::setMethod(const QString& method) {
  const int i = methodBox_->findData(method);
  if (i >= 0) methodBox_->setCurrentIndex(i);
}

QString SweepTab::method() const { return methodBox_->currentData().toString(); }

QString SweepTab::knob() const {
  const QString m = method();
  return m.isEmpty() ? QString() : QString::fromStdString(methodDescriptor(m.toStdString()).sizeKnob);
}

void SweepTab::setValuesText(const QString& text) {
  values_->setText(text);
  valuesByMethod_[method()] = text;
}

QString SweepTab::valuesText() const { return values_->text(); }
void SweepTab::setSeeds(int seeds) { seeds_->setValue(seeds); }
int SweepTab::seeds() const { return seeds_->value(); }

QString SweepTab::defaultValues(const QString& knob) {
  if (knob == "rank") return "1, 2, 4, 8, 16";
  if (knob == "length") return "1, 5, 10, 20, 50";
  if (knob == "adapter_size") return "8, 16, 32, 64, 128";
  return QString();
}

void SweepTab::onMethodChanged() {
  const QString m = method();
  if (m.isEmpty()) return;
  knobLabel_->setText(knobTitle(m.toStdString(), knob().toStdString()) + ":");
  values_->setText(valuesByMethod_.value(m, defaultValues(knob())));
  values_->setStyleSheet(QString());
}

QList<qint64> SweepTab::values(QString* error) const {
  const KnobSpec* spec = knobSpec(method().toStdString(), knob().toStdString());
  QList<qint64> out;
  const QStringList parts = values_->text().split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts);
  QString problem;
  for (const QString& p : parts) {
    bool ok = false;
    const qint64 v = p.toLongLong(&ok);
    if (!ok) {
      problem = QString("\"%1\" is not a whole number").arg(p);
      break;
    }
    if (spec && (v < spec->min || v > spec->max)) {
      problem = QString("%1 is outside %2 .. %3").arg(v).arg(spec->min).arg(spec->max);
      break;
    }
    if (!out.contains(v)) out << v;
  }
  if (problem.isEmpty() && out.isEmpty()) problem = "give at least one value";
  if (!problem.isEmpty()) {
    if (error) *error = knobTitle(method().toStdString(), knob().toStdString()) + ": " + problem;
    return {};
  }
  return out;
}

std::vector<TrainConfig> SweepTab::configs(const std::function<TrainConfig(const QString&, uint64_t)>& base,
                                           uint64_t firstSeed) const {
  std::vector<std::string> values;
  for (qint64 v : this->values()) values.push_back(std::to_string(v));
  if (values.empty()) return {};
  const std::string key = knob().toStdString();
  // Core's expansion, as the CLI's sweep: each value an arm of seeds() runs, arm-major.
  return allRuns(expandArms(sweepConfigurations(base(method(), firstSeed), key, values), seeds(), key));
}

void SweepTab::onRunClicked() {
  QString error;
  values(&error);
  values_->setStyleSheet(error.isEmpty() ? QString() : QString("background: #fde2df;"));
  values_->setToolTip(error.isEmpty() ? QString("The values to train, separated by commas (each one is a run per seed)")
                                      : error);
  info_->setText(error);
  if (error.isEmpty()) Q_EMIT runRequested();
}

void SweepTab::setRunning(bool running) {
  run_->setEnabled(!running);
  run_->setText(running ? "Training..." : "Run sweep");
}

QString SweepTab::newBatchId() {
  return "gui-sweep-" + QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss-zzz");
}

bool SweepTab::isSweepBatch(const std::string& batch) {
  return batch.rfind("gui-sweep-", 0) == 0 || batch.rfind("cli-sweep-", 0) == 0;
}

void SweepTab::setRuns(const std::vector<results::RunRecord>& runs) {
  batches_.clear();
  for (const auto& r : runs)
    if (isSweepBatch(r.batch)) batches_[QString::fromStdString(r.batch)].push_back(r);
  fillBatchBox();
  stale_ = true;
  if (isVisible()) redraw();
}

QStringList SweepTab::sweepBatches() const {
  QStringList out;
  for (int i = 0; i < batchBox_->count(); ++i) out << batchBox_->itemData(i).toString();
  return out;
}

void SweepTab::showBatch(const QString& batch) {
  const int i = batchBox_->findData(batch);
  if (i >= 0) {
    batchBox_->setCurrentIndex(i);
    redraw();
  } else {
    wanted_ = batch;
  }
}

QString SweepTab::shownBatch() const { return batchBox_->currentData().toString(); }
QString SweepTab::infoText() const { return info_->text(); }

// One entry per sweep, newest first: "LoRA, Rank r: 1, 2, 4, 8, 16 x 2 seeds (10 runs), 23 Nov 10:15".
void SweepTab::fillBatchBox() {
  QString current = wanted_.isEmpty() ? shownBatch() : wanted_;
  QStringList ids = batches_.keys();
  // Newest first: by the first run's id (ids only grow).
  std::sort(ids.begin(), ids.end(), [this](const QString& a, const QString& b) {
    return batches_[a].front().id > batches_[b].front().id;
  });
  const QSignalBlocker block(batchBox_);
  batchBox_->clear();
  for (const QString& id : ids) {
    const auto& runs = batches_[id];
    const std::string key = sweptKnob(runs);
    QStringList values;
    QSet<quint64> seeds;
    for (const auto& r : runs) {
      const QString v = r.knobs.is_object() && r.knobs.contains(key) ? valueText(r.knobs.at(key)) : "?";
      if (!values.contains(v)) values << v;
      seeds << r.seed;
    }
    const QString method = QString::fromStdString(runs.front().method);
    const QDateTime started = QDateTime::fromString(QString::fromStdString(runs.front().startedAt), Qt::ISODate);
    QString text = QString("%1, %2: %3").arg(methodTitle(method), knobTitle(runs.front().method, key), values.join(", "));
    text += QString(" \u00d7 %1 seed%2 (%3 runs)").arg(seeds.size()).arg(seeds.size() == 1 ? "" : "s").arg(runs.size());
    if (started.isValid()) text += ", " + QLocale().toString(started.toLocalTime(), "d MMM HH:mm");
    batchBox_->addItem(text, id);
    batchBox_->setItemData(batchBox_->count() - 1, text + "\nbatch " + id, Qt::ToolTipRole);
  }
  int i = batchBox_->findData(current);
  if (i >= 0 && !wanted_.isEmpty()) wanted_.clear();
  if (i < 0) i = batchBox_->count() > 0 ? 0 : -1;
  batchBox_->setCurrentIndex(i);
}

void SweepTab::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) redraw();
}

void SweepTab::redraw() {
  stale_ = false;
  const QString batch = shownBatch();
  table_->setRowCount(0);
  if (batch.isEmpty() || !batches_.contains(batch)) {
    chart_->setSweep(QString(), QString(), false, {});
    if (info_->text().isEmpty() || batchBox_->count() == 0) info_->clear();
    return;
  }
  const auto& runs = batches_[batch];
  const std::string method = runs.front().method, key = sweptKnob(runs);
  const KnobSpec* spec = knobSpec(method, key);
  QList<SweepPoint> points;
  QHash<QString, double> trainable;
  int finished = 0, failed = 0, running = 0;
  for (const auto& r : runs) {
    const QString v = r.knobs.is_object() && r.knobs.contains(key) ? valueText(r.knobs.at(key)) : "?";
    if (r.status == RunStatus::Running) ++running;
    if (r.status == RunStatus::Failed) ++failed;
    if (r.status != RunStatus::Finished) continue;
    ++finished;
    const QList<SplitScore> ood = oodScores(r);
    points << SweepPoint{r.id, v, r.seed, r.idAccuracy, r.oodAccuracy, idTestScore(r).examples,
                         ood.isEmpty() ? 0 : ood.first().examples};
    if (r.trainable > 0) trainable[v] = double(r.trainable);
  }
  const QString title = methodTitle(QString::fromStdString(method));
  chart_->setSweep(title, knobTitle(method, key), spec && spec->logScale, points);
  if (points.isEmpty()) chart_->setHint(running ? "The sweep's first run is training..." : "No finished runs in this sweep.");

  const QList<SweepLevel>& levels = chart_->levels();
  table_->setRowCount(int(levels.size()));
  for (int i = 0; i < levels.size(); ++i) {
    const SweepLevel& l = levels[i];
    auto cell = [this, i](int column, const QString& text, const QVariant& exact = QVariant()) {
      auto* item = new QTableWidgetItem(text);
      item->setTextAlignment(column == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
      if (exact.isValid()) item->setData(Qt::UserRole, exact);
      table_->setItem(i, column, item);
    };
    cell(0, l.valueText);
    cell(1, QString::number(std::max(l.idCount, l.oodCount)));
    cell(2, trainable.contains(l.valueText) ? QLocale().toString(qlonglong(trainable[l.valueText])) : "-",
         trainable.value(l.valueText));
    cell(3, percentText(l.idCount, l.idMean, l.idInterval, l.idLow, l.idHigh), l.idMean);
    cell(4, percentText(l.oodCount, l.oodMean, l.oodInterval, l.oodLow, l.oodHigh), l.oodMean);
  }
  const auto& first = runs.front();
  QString info = QString("%1 on %2, %3: %4 of %5 runs finished")
                     .arg(title, QString::fromStdString(first.model) + (first.randomInit ? " (random weights)" : ""),
                          QString::fromStdString(first.task))
                     .arg(finished)
                     .arg(runs.size());
  if (failed) info += QString(", %1 failed").arg(failed);
  if (running) info += ", training...";
  info_->setText(info);
}

}  // namespace pw::ui
