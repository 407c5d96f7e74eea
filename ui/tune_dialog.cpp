// The tune dialog (see tune_dialog.h).
#include "tune_dialog.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <chrono>

#include "methods/catalog.h"
#include "results/results_db.h"
#include "train/run_record.h"
#include "util/error_text.h"

namespace pw::ui {
namespace {

QString rateTitle(const std::string& rateName) {
  if (rateName == "lr") return "rate";
  if (rateName == "head_lr") return "head rate";
  return QString::fromStdString(rateName);  // a rate-factor knob: lr_factor
}

QString percentSe(const MeanSe& m) {
  if (m.n == 0) return "-";
  return QString("%1 +- %2").arg(100 * m.mean, 0, 'f', 1).arg(100 * m.se, 0, 'f', 2);
}

std::vector<std::string> splitRates(const QString& s) {
  std::vector<std::string> out;
  for (const QString& r : s.split(',', Qt::SkipEmptyParts)) out.push_back(r.trimmed().toStdString());
  return out;
}

}  // namespace

TuneDialog::TuneDialog(const TrainConfig& base, const QString& dbPath, QWidget* parent)
    : QDialog(parent), base_(base), dbPath_(dbPath) {
  const MethodDescriptor& m = methodDescriptor(base.method);
  setWindowTitle("Tune the learning rates of " + QString::fromStdString(m.title));
  auto* v = new QVBoxLayout(this);
  auto* intro = new QLabel(
      QString("Runs %1 on <b>%2</b> / <b>%3</b> at the <b>%4</b> preset over a grid of learning rates, each with "
              "several seeds, and picks on the <b>validation split only</b>: no ID-test or OOD number reaches "
              "the choice. Every run is recorded in the results database.")
          .arg(QString::fromStdString(m.title).toHtmlEscaped(), QString::fromStdString(base.model).toHtmlEscaped(),
               QString::fromStdString(base.task).toHtmlEscaped(), QString::fromStdString(base.preset)));
  intro->setWordWrap(true);
  v->addWidget(intro);

  auto* form = new QFormLayout();
  rates_ = new QComboBox();
  rates_->addItem("Rate, then head rate", "lr,head_lr");
  rates_->addItem("Rate only", "lr");
  rates_->addItem("Head rate only", "head_lr");
  for (const std::string& name : tunableRatesOf(base.method))
    if (name != "lr" && name != "head_lr")
      if (const KnobSpec* k = m.knob(name))
        rates_->addItem(QString::fromStdString(k->label) + " (" + QString::fromStdString(name) + ")",
                        QString::fromStdString(name));
  rates_->setToolTip("Two passes: the body's rate first (the head at its current rate), then the head's with that "
                     "body rate. LP-FT can also tune its stage-2 factor (its stage 2 at FT's rates times it)");
  seeds_ = new QSpinBox();
  seeds_->setRange(2, 20);
  seeds_->setValue(2);
  seeds_->setToolTip("Seeds per grid point (at least 2: a standard error needs two)");
  form->addRow("Tune:", rates_);
  form->addRow("Seeds per rate:", seeds_);
  v->addLayout(form);

  table_ = new QTableWidget(0, 5);
  table_->setHorizontalHeaderLabels({"Tuning", "Value", "Validation % +- SE", "Seeds", ""});
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->setMinimumHeight(220);
  v->addWidget(table_, 1);

  progress_ = new QLabel("Press Start. A grid of 5 rates x 2 seeds per pass; an optimum on the grid's edge widens it.");
  progress_->setWordWrap(true);
  v->addWidget(progress_);
  verdict_ = new QLabel();
  verdict_->setWordWrap(true);
  verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  verdict_->setToolTip(QString::fromStdString(tuneRuleText(2)));
  v->addWidget(verdict_);

  auto* buttons = new QDialogButtonBox();
  startButton_ = buttons->addButton("Start", QDialogButtonBox::ActionRole);
  useButton_ = buttons->addButton("Use these rates", QDialogButtonBox::AcceptRole);
  useButton_->setEnabled(false);
  useButton_->setToolTip("Puts the chosen rates into the Training box's Rate and Head rate fields");
  buttons->addButton(QDialogButtonBox::Close);
  v->addWidget(buttons);
  connect(startButton_, &QPushButton::clicked, this, [this] {
    if (isRunning()) cancel();
    else start();
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &TuneDialog::reject);
  connect(&watcher_, &QFutureWatcher<TuneResult>::finished, this, &TuneDialog::onFinished);
  resize(620, 480);
}

TuneDialog::~TuneDialog() {
  cancel();
  watcher_.waitForFinished();  // the worker uses this object's members until it returns
}

std::vector<std::pair<std::string, double>> TuneDialog::chosenFactors() const {
  std::vector<std::pair<std::string, double>> out;
  if (result_.status != RunStatus::Finished) return out;
  for (const TunePass& p : result_.passes)
    if (p.rateName != "lr" && p.rateName != "head_lr" && p.chosenRate() > 0) out.push_back({p.rateName, p.chosenRate()});
  return out;
}

void TuneDialog::setRates(const QString& rates) { rates_->setCurrentIndex(std::max(0, rates_->findData(rates))); }
void TuneDialog::setSeeds(int seeds) { seeds_->setValue(seeds); }
void TuneDialog::setGrid(const std::vector<double>& grid) { grid_ = grid; }
void TuneDialog::setParallel(int runs) { parallel_ = std::max(1, runs); }

void TuneDialog::start() {
  if (isRunning()) return;
  TuneRequest q;
  q.base = base_;
  q.rates = splitRates(rates_->currentData().toString());
  q.seeds = seeds_->value();
  q.grid = grid_;
  q.parallel = parallel_;
  batch_ = "gui-tune-" + QString::fromStdString(base_.method) + "-" +
           QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss");
  done_ = false;
  cancelled_ = false;
  result_ = TuneResult{};
  passesShown_.clear();
  table_->setRowCount(0);
  verdict_->clear();
  useButton_->setEnabled(false);
  rates_->setEnabled(false);
  seeds_->setEnabled(false);
  startButton_->setText("Stop");
  progress_->setText("Starting...");

  const std::string db = dbPath_.toStdString(), batch = batch_.toStdString();
  watcher_.setFuture(QtConcurrent::run([this, q, db, batch]() -> TuneResult {
    std::unique_ptr<results::ResultsDb> database;
    try {
      database = std::make_unique<results::ResultsDb>(db);  // this thread's own connection
    } catch (const std::exception&) {
      // the runs still train and score; they are just not recorded
    }
    TuneCallbacks cb;
    // Side by side, the runner runs on several threads at once; the database serialises its writers.
    cb.run = [this, &database, batch](const TrainConfig& c, const TuneRunInfo& info) {
      Trainer trainer(c);
      {
        std::lock_guard<std::mutex> lock(trainerMutex_);
        trainers_.insert(&trainer);
      }
      if (cancelled_) trainer.cancel();
      auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
      TrainCallbacks live;
      live.onStep = [this, info, &last](const StepEvent& e) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::milliseconds(250) && e.step != e.totalSteps) return;
        last = now;
        const QString text = QString("Run %1 of %2: %3, step %4 / %5")
                                 .arg(info.runIndex + 1)
                                 .arg(info.plannedRuns)
                                 .arg(QString::fromStdString(info.label))
                                 .arg(e.step)
                                 .arg(e.totalSteps);
        QMetaObject::invokeMethod(this, [this, text] { progress_->setText(text); }, Qt::QueuedConnection);
      };
      TuneRunOutcome o;
      if (database) {
        RunRecorder recorder(*database, c, batch);
        o.runId = recorder.runId();
        o.result = trainer.run(recorder.wrap(live));
      } else {
        o.result = trainer.run(live);
      }
      std::lock_guard<std::mutex> lock(trainerMutex_);
      trainers_.erase(&trainer);
      return o;
    };
    cb.onRun = [this](const TuneRunInfo& info, const TuneSeedRun& run) {
      QMetaObject::invokeMethod(this, [this, info, run] { onRun(info, run); }, Qt::QueuedConnection);
    };
    cb.onRound = [this](const TunePass& pass) {
      QMetaObject::invokeMethod(this, [this, pass] { onRound(pass); }, Qt::QueuedConnection);
    };
    cb.cancelled = [this] { return cancelled_.load(); };
    try {
      return tuneLearningRate(q, cb);
    } catch (const std::exception& e) {
      TuneResult r;
      r.status = RunStatus::Failed;
      r.error = errorText(e);
      return r;
    }
  }));
}

void TuneDialog::cancel() {
  cancelled_ = true;
  std::lock_guard<std::mutex> lock(trainerMutex_);
  for (Trainer* t : trainers_) t->cancel();
}

void TuneDialog::reject() {
  if (isRunning()) {
    cancel();
    progress_->setText("Stopping after the current run's next step...");
    watcher_.waitForFinished();
  }
  QDialog::reject();
}

QString TuneDialog::progressText() const { return progress_->text(); }

// A run landed: add it to its pass's live view (the official choice comes with the round).
void TuneDialog::onRun(const TuneRunInfo& info, const TuneSeedRun& run) {
  if (passesShown_.size() <= size_t(info.pass)) passesShown_.resize(size_t(info.pass) + 1);
  TunePass& p = passesShown_[size_t(info.pass)];
  p.rateName = info.rateName;
  TunePoint* point = nullptr;
  for (TunePoint& existing : p.points)
    if (existing.rate == info.rate) point = &existing;
  if (!point) {
    p.points.push_back({info.rate, {}});
    point = &p.points.back();
  }
  point->runs.push_back(run);
  p.choice = chooseRate(p.points);
  showPasses();
  progress_->setText(QString("Run %1 of %2 done: %3, validation %4")
                         .arg(info.runIndex + 1)
                         .arg(info.plannedRuns)
                         .arg(QString::fromStdString(info.label))
                         .arg(run.validationAccuracy >= 0 ? QString("%1%").arg(100 * run.validationAccuracy, 0, 'f', 1)
                                                          : QString(statusName(run.status))));
}

void TuneDialog::onRound(const TunePass& pass) {
  for (TunePass& p : passesShown_)
    if (p.rateName == pass.rateName) p = pass;
}

void TuneDialog::showPasses() {
  int rows = 0;
  for (const TunePass& p : passesShown_) rows += int(p.choice.points.size());
  table_->setRowCount(rows);
  int row = 0;
  for (const TunePass& p : passesShown_) {
    for (size_t i = 0; i < p.choice.points.size(); ++i, ++row) {
      const PointScore& s = p.choice.points[i];
      const bool chosen = done_ && int(i) == p.choice.chosen, best = int(i) == p.choice.best;
      QString note = chosen && best ? "chosen (best)" : chosen ? "chosen" : best ? "best so far" : "";
      if (done_ && best && !chosen) note = "best";
      if (s.failed) note += QString(note.isEmpty() ? "" : ", ") + QString("%1 failed").arg(s.failed);
      const QStringList cells = {rateTitle(p.rateName), QString::fromStdString(rateText(s.rate)), percentSe(s.validation),
                                 QString::number(s.validation.n), note};
      for (int c = 0; c < cells.size(); ++c) {
        auto* item = new QTableWidgetItem(cells[c]);
        if (chosen) {
          QFont f = item->font();
          f.setBold(true);
          item->setFont(f);
        }
        table_->setItem(row, c, item);
      }
    }
  }
  table_->resizeColumnsToContents();
}

void TuneDialog::onFinished() {
  result_ = watcher_.result();
  done_ = true;
  passesShown_ = result_.passes.empty() ? passesShown_ : result_.passes;
  showPasses();
  rates_->setEnabled(true);
  seeds_->setEnabled(true);
  startButton_->setText("Start again");
  QStringList lines;
  if (result_.status == RunStatus::Finished) {
    for (const TunePass& p : result_.passes) {
      if (p.choice.chosen < 0) continue;
      const PointScore& b = p.choice.points[size_t(p.choice.best)];
      QString line = QString("Chosen %1: <b>%2</b> (best mean %3% at %4; the smallest rate within one standard error "
                             "of it: mean >= %5%).")
                         .arg(rateTitle(p.rateName), QString::fromStdString(rateText(p.chosenRate())))
                         .arg(100 * b.validation.mean, 0, 'f', 1)
                         .arg(QString::fromStdString(rateText(b.rate)))
                         .arg(100 * p.choice.threshold, 0, 'f', 1);
      if (p.stoppedOnEdge)
        line += QString(" <span style='color:#a40'>Stopped on the grid's %1 edge: the optimum may lie beyond it.</span>")
                    .arg(p.choice.bestOnLowEdge ? "low" : "high");
      lines << line;
    }
    int runs = 0;
    for (const TunePass& p : passesShown_)
      for (const TunePoint& pt : p.points) runs += int(pt.runs.size());
    progress_->setText(QString("Done: %1 runs, recorded as batch %2.").arg(runs).arg(batch_));
    useButton_->setEnabled(!lines.isEmpty());
  } else if (result_.status == RunStatus::Cancelled) {
    progress_->setText("Stopped: nothing chosen. The finished runs are in the database (batch " + batch_ + ").");
  } else {
    progress_->setText("The tune failed: " + QString::fromStdString(result_.error));
  }
  verdict_->setText(lines.join("<br>"));
  Q_EMIT tuneFinished(QString(statusName(result_.status)));
}

}  // namespace pw::ui
