// The Training tab's charts: training loss per step (raw faint, smoothed bold), validation loss and
// validation accuracy per evaluation, for any number of runs overlaid, x in steps or epochs, optional log y.
// LP-FT's switch from the probe to fine-tuning is marked by a dashed line in every chart.
// Points are appended as they arrive; the charts replot from a 40 ms timer (at most 25 times a second).
#pragma once
#include <QColor>
#include <QHash>
#include <QList>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QCPItemStraightLine;

namespace pw::ui {

class LossChart : public QWidget {
  Q_OBJECT
 public:
  enum class XAxis { Steps, Epochs };
  explicit LossChart(QWidget* parent = nullptr);
  ~LossChart() override;

  void addRun(qint64 id, const QString& label, const QString& method);
  void removeRun(qint64 id);
  void clear();
  bool hasRun(qint64 id) const { return runs_.contains(id); }
  QList<qint64> runIds() const { return runs_.keys(); }

  void addStep(qint64 id, qint64 step, double epoch, int stage, double loss);
  void addEval(qint64 id, qint64 step, double epoch, int stage, double loss, double accuracy);

  void setXAxis(XAxis axis);
  void setLogY(bool on);
  void setSmoothing(double weight);  // 0 (none) .. 0.99, TensorBoard's exponential moving average
  XAxis xAxis() const { return xAxis_; }
  bool logY() const { return logY_; }
  double smoothing() const { return smoothing_; }

  // For tests and export.
  int stepPointCount(qint64 id) const;
  int evalPointCount(qint64 id) const;
  int stageMarkerCount() const;
  int replotCount() const { return replots_; }
  QList<QCustomPlot*> plots() const;
  QCustomPlot* trainPlot() const { return train_; }
  void replotNow();

 private:
  struct Run;
  void markDirty(bool train = true, bool val = true);
  void showEvent(QShowEvent* event) override;
  void rebuild(Run& run);  // all graph data from the stored points (axis or smoothing changed)
  double xOf(const Run& run, qint64 step, double epoch, int stage) const;
  void addStageMarker(Run& run, double x);
  void rescale();

  QCustomPlot* train_ = nullptr;
  QCustomPlot* valLoss_ = nullptr;
  QCustomPlot* valAcc_ = nullptr;
  QCPItemText* hint_ = nullptr;
  QHash<qint64, Run*> runs_;
  QTimer replotTimer_;
  XAxis xAxis_ = XAxis::Steps;
  bool logY_ = false;
  double smoothing_ = 0.6;
  int replots_ = 0;
  bool dirtyTrain_ = true, dirtyVal_ = true;  // plots whose data changed since they were last drawn
};

}  // namespace pw::ui
