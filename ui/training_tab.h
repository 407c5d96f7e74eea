// The Training tab: the queue's progress (bar, run i of n, phase, ETA, tokens per second), Pause and Stop,
// the chart options (x in steps or epochs, log y, smoothing) and the live loss / validation charts.
#pragma once
#include <QElapsedTimer>
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
  void phaseChanged(const QString& phase);
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
  QString label_, phase_;
  StepEvent last_;
  bool paused_ = false;
};

}  // namespace pw::ui
