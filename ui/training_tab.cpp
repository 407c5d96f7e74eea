// The Training tab (see training_tab.h).
#include "training_tab.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QVBoxLayout>

#include "charts/loss_chart.h"
#include "run_labels.h"
#include "util/number_text.h"

namespace pw::ui {

TrainingTab::TrainingTab(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  auto* top = new QHBoxLayout();
  progress_ = new QProgressBar();
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setTextVisible(true);
  progress_->setFormat("idle");
  pause_ = new QPushButton("Pause");
  pause_->setCheckable(true);
  pause_->setEnabled(false);
  pause_->setToolTip("Hold the run between two optimiser steps");
  step_ = new QPushButton("Step");
  step_->setEnabled(false);
  step_->setToolTip("While paused: train exactly one optimiser step, then pause again");
  stop_ = new QPushButton("Stop (Esc)");
  stop_->setEnabled(false);
  stop_->setToolTip("Cancel the current run and the rest of the queue; finished runs stay");
  top->addWidget(progress_, 1);
  top->addWidget(pause_);
  top->addWidget(step_);
  top->addWidget(stop_);
  layout->addLayout(top);

  auto* second = new QHBoxLayout();
  status_ = new QLabel("Nothing running. Check methods in the panel and press Run (Ctrl+R).");
  status_->setMinimumWidth(200);
  second->addWidget(status_, 1);
  xAxis_ = new QComboBox();
  xAxis_->addItem("x: steps");
  xAxis_->addItem("x: epochs");
  logY_ = new QCheckBox("log y");
  smoothing_ = new QSlider(Qt::Horizontal);
  smoothing_->setRange(0, 99);
  smoothing_->setValue(60);
  smoothing_->setFixedWidth(110);
  smoothing_->setToolTip("Exponential moving average weight of the bold training-loss curves (0: none)");
  smoothingValue_ = new QLabel("0.60");
  second->addWidget(xAxis_);
  second->addWidget(logY_);
  second->addWidget(new QLabel("smoothing"));
  second->addWidget(smoothing_);
  second->addWidget(smoothingValue_);
  layout->addLayout(second);

  chart_ = new LossChart();
  layout->addWidget(chart_, 1);

  connect(pause_, &QPushButton::toggled, this, [this](bool on) {
    setPaused(on);
    Q_EMIT pauseToggled(on);
  });
  tick_.setInterval(1000);
  connect(&tick_, &QTimer::timeout, this, [this] {
    if (count_ > 0) updateText();
  });
  connect(step_, &QPushButton::clicked, this, &TrainingTab::stepRequested);
  connect(stop_, &QPushButton::clicked, this, &TrainingTab::stopRequested);
  connect(xAxis_, &QComboBox::currentIndexChanged, this,
          [this](int i) { chart_->setXAxis(i == 1 ? LossChart::XAxis::Epochs : LossChart::XAxis::Steps); });
  connect(logY_, &QCheckBox::toggled, chart_, &LossChart::setLogY);
  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) {
    smoothingValue_->setText(QString::number(v / 100.0, 'f', 2));
    chart_->setSmoothing(v / 100.0);
  });
}

QString TrainingTab::statusText() const { return status_->text(); }

void TrainingTab::queueStarted() {
  pause_->setEnabled(true);
  stop_->setEnabled(true);
  setPaused(false);
  progress_->setValue(0);
  tick_.start();
}

void TrainingTab::runStarted(int position, int count, const QString& label) {
  position_ = position, count_ = count, label_ = label;
  phase_ = PhaseEvent{"loading"};
  phaseClock_.start();
  last_ = StepEvent{};
  progress_->setRange(0, 0);  // busy until the first counted phase
  progress_->setValue(0);
  updateText();
}

void TrainingTab::phaseChanged(const PhaseEvent& e) {
  if (e.phase != phase_.phase) phaseClock_.start();
  phase_ = e;
  // A phase that cannot be counted (loading, saving) shows the busy bar: it moves while nothing can be counted.
  const bool counted = e.phase == "training" || e.total > 0;
  progress_->setRange(0, counted ? 1000 : 0);
  if (e.phase != "training") progress_->setValue(int(1000 * e.fraction));
  else progress_->setValue(last_.totalSteps > 0 ? int(1000 * last_.step / last_.totalSteps) : 0);
  updateText();
}

void TrainingTab::stepped(const StepEvent& e) {
  last_ = e;
  if (phase_.phase != "training") phaseChanged(PhaseEvent{"training"});
  if (e.totalSteps > 0) progress_->setValue(int(1000 * e.step / e.totalSteps));
  updateText();
}

void TrainingTab::updateText() {
  const QString phase = QString::fromStdString(phase_.phase);
  QString text = QString("Run %1 of %2: %3, %4").arg(position_).arg(count_).arg(label_, paused_ ? "paused" : phase);
  if (phase_.phase == "training") {
    if (last_.totalSteps > 0) {
      text += QString(", step %1 / %2").arg(last_.step).arg(last_.totalSteps);
      if (last_.etaSeconds >= 0) text += ", ETA " + durationText(last_.etaSeconds);
      if (last_.tokensPerSecond > 0) text += QString(", %1 tokens/s").arg(shortCount(last_.tokensPerSecond));
    }
    progress_->setFormat(QString("run %1/%2: %p%").arg(position_).arg(count_));
  } else {
    // The phase's seconds so far tick with the 1-s timer, so the label moves even while one batch takes long.
    const qint64 seconds = phaseClock_.elapsed() / 1000;
    if (phase_.total > 0) {
      text += QString(" %1 / %2 %3 in %4 s").arg(QString::fromStdString(groupDigits(phase_.done)),
                                                  QString::fromStdString(groupDigits(phase_.total)),
                                                  QString::fromStdString(phase_.unit))
                  .arg(seconds);
      if (phase_.etaSeconds() >= 0) text += ", ETA " + durationText(phase_.etaSeconds());
    } else {
      text += QString(", %1 s").arg(seconds);
    }
    progress_->setFormat(QString("run %1/%2, %3: %p%").arg(position_).arg(count_).arg(phase));
  }
  status_->setText(text);
}

void TrainingTab::queueFinished(const QString& summary) {
  tick_.stop();
  progress_->setRange(0, 1000);  // out of the busy state a last uncounted phase may have left
  pause_->setEnabled(false);
  stop_->setEnabled(false);
  setPaused(false);
  status_->setText(summary);
  progress_->setFormat(summary.contains("stopped") ? "stopped" : "done");
}

void TrainingTab::setPaused(bool paused) {
  paused_ = paused;
  {
    const QSignalBlocker block(pause_);
    pause_->setChecked(paused);
  }
  pause_->setText(paused ? "Resume" : "Pause");
  step_->setEnabled(paused && pause_->isEnabled());
  if (count_ > 0 && stop_->isEnabled()) updateText();
}

void TrainingTab::saveSettings() const {
  QSettings s;
  s.setValue("training/xAxis", xAxis_->currentIndex());
  s.setValue("training/logY", logY_->isChecked());
  s.setValue("training/smoothing", smoothing_->value());
}

void TrainingTab::restoreSettings() {
  QSettings s;
  xAxis_->setCurrentIndex(s.value("training/xAxis", 0).toInt());
  logY_->setChecked(s.value("training/logY", false).toBool());
  smoothing_->setValue(s.value("training/smoothing", 60).toInt());
}

}  // namespace pw::ui
