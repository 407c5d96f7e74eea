// Presentation mode (View menu, F11) for a projector in a classroom: large fonts in the whole window and
// in every chart (chartFontScale), thick lines and bigger markers, black axes and text, the experiment
// panel folded away (the View menu brings it back), the window full screen. Turning it off restores every
// font, pen, colour, the docks and the window's size as they were. The state is remembered (QSettings
// "view/presentation", with what to restore), so the workbench starts again the way it was left.
#pragma once
#include <QByteArray>
#include <QFont>
#include <QObject>
#include <QPalette>

class QAction;
class QCustomPlot;
class QMainWindow;

namespace pw::ui {

class PresentationMode : public QObject {
  Q_OBJECT
 public:
  static constexpr double kChartFontScale = 1.6;  // chart fonts (8-9.5 pt -> 13-15 pt)
  static constexpr double kWidgetFontScale = 1.35;
  static constexpr double kLineScale = 2.0;

  explicit PresentationMode(QMainWindow* window);
  ~PresentationMode() override;

  bool isOn() const { return on_; }
  void setOn(bool on);
  // At start-up, after the window restored its geometry and docks: turns the mode on (as soon as the event
  // loop runs) if it was on at exit.
  void restoreFromSettings();
  QAction* action() const { return action_; }  // checkable, F11

  // Makes one chart follow the mode: its pens are thickened before every replot while the mode is on
  // (charts rebuild their graphs as data changes). Charts found in the window are followed automatically.
  void follow(QCustomPlot* plot);

 Q_SIGNALS:
  void toggled(bool on);

 private:
  void apply(bool on, bool saveWindow);
  void scaleFonts(QCustomPlot* plot, double ratio);
  void setContrast(QCustomPlot* plot, bool on);
  void adjustPens(QCustomPlot* plot);

  QMainWindow* window_;
  QAction* action_ = nullptr;
  bool on_ = false;
  QFont windowFont_;  // what the window had before
  QPalette windowPalette_;
  bool ownFont_ = false, ownPalette_ = false;  // set on the window itself, not inherited
};

}  // namespace pw::ui
