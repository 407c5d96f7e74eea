// The Training tab: the queue's progress (bar, run i of n, phase, ETA, tokens per second), Pause and Stop,
// the chart options (x in steps or epochs, log y, smoothing) and the live loss / validation charts.
#pragma once
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "train/trainer.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;

namespace pw::ui {

class LossChart;

class TrainingTab : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingTab(QWidget* parent = nullptr);

  LossChart* chart() const { return chart_; }
  QProgressBar* progressBar() const { return progress_; }
  QPushButton* pauseButton() const { return pause_; }
  QPushButton* stepButton() const { return step_; }  // while paused: one optimiser step
  QPushButton* stopButton() const { return stop_; }
  QString statusText() const;

  void queueStarted();
  void runStarted(int position, int count, const QString& label);
  // Every phase moves the bar and the label: counted phases with their counts and an ETA, the others with
  // the seconds they have taken so far (the label ticks once a second, so a long load never looks frozen).
  void phaseChanged(const PhaseEvent& e);
  void stepped(const StepEvent& e);
  void queueFinished(const QString& summary);
  void setPaused(bool paused);

  void saveSettings() const;
  void restoreSettings();

 Q_SIGNALS:
  void pauseToggled(bool paused);
  void stepRequested();
  void stopRequested();

 private:
  void updateText();

  LossChart* chart_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* pause_ = nullptr;
  QPushButton* step_ = nullptr;
  QPushButton* stop_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* xAxis_ = nullptr;
  QCheckBox* logY_ = nullptr;
  QSlider* smoothing_ = nullptr;
  QLabel* smoothingValue_ = nullptr;
  int position_ = 0, count_ = 0;
  QString label_;
  PhaseEvent phase_;
  QElapsedTimer phaseClock_;  // since phase_ arrived (the uncounted phases' seconds)
  QTimer tick_;               // refreshes the label once a second while a queue runs
  StepEvent last_;
  bool paused_ = false;
};

}  // namespace pw::ui
