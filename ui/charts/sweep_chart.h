// The Sweep tab's chart: test accuracy (ID and OOD) against one method's size knob (LoRA rank, prompt or
// prefix length, adapter size), one level per swept value: the mean over seeds as a line with markers, a
// band of its 95 % interval around it (the t-interval on the mean over seeds; a value with a single run:
// Wilson over its test examples), and every single run as a small point. The x axis is
// logarithmic where the knob's natural steps are powers (KnobSpec::logScale); values that are not numbers
// are placed side by side as categories.
#pragma once
#include <QList>
#include <QString>

#include "qcp.h"

namespace pw::ui {

// One finished run of a sweep. Accuracies in [0, 1], -1 when absent.
struct SweepPoint {
  qint64 id = 0;
  QString valueText;  // the knob's value as given ("8")
  quint64 seed = 0;
  double idAccuracy = -1, oodAccuracy = -1;
  qint64 idExamples = 0, oodExamples = 0;  // test examples (0: not recorded; a lone run then has no interval)
};

// All runs of one swept value: mean and sample standard deviation over seeds, and the 95 % interval of the
// mean (t over seeds, Wilson for a single run; low = high = mean when there is none), in percent.
struct SweepLevel {
  QString valueText;
  double value = 0;  // the number (NaN when the value is not one); the x position on a numeric axis
  int idCount = 0, oodCount = 0;
  double idMean = 0, idStd = 0, oodMean = 0, oodStd = 0;
  double idLow = 0, idHigh = 0, oodLow = 0, oodHigh = 0;
  bool idInterval = false, oodInterval = false;
};

// Levels in increasing value (numbers) or in order of first appearance (anything else).
QList<SweepLevel> sweepLevels(const QList<SweepPoint>& points);

class SweepChart : public QCustomPlot {
  Q_OBJECT
 public:
  explicit SweepChart(QWidget* parent = nullptr);

  // `title`: "LoRA" etc.; `knobLabel`: the axis title ("Rank r"); `logScale`: the knob's natural scale.
  void setSweep(const QString& title, const QString& knobLabel, bool logScale, const QList<SweepPoint>& points);
  void setHint(const QString& text);  // shown while there is nothing to draw
  // One run per level (e.g. a linear probe at each pretraining checkpoint): the lines are named "ID test" and
  // "OOD test", not means, and the single-run markers (the same points) are left out. Before setSweep.
  void setOneRunPerLevel(bool one) { oneRunPerLevel_ = one; }

  const QList<SweepLevel>& levels() const { return levels_; }
  bool logX() const { return logX_; }
  bool categoricalX() const { return categorical_; }
  // For tests: mean lines, bands (one per accuracy with an interval at some level), single-run points drawn.
  int meanPointCount() const;
  int bandCount() const { return bands_; }
  int runPointCount() const;
  QCPGraph* bandUpper(bool ood) const { return upper_[ood ? 1 : 0]; }
  QCPGraph* bandLower(bool ood) const { return lower_[ood ? 1 : 0]; }

 private:
  QList<SweepLevel> levels_;
  QCPItemText* hint_ = nullptr;
  QCPGraph* mean_[2] = {nullptr, nullptr};
  QCPGraph* runs_[2] = {nullptr, nullptr};
  QCPGraph* upper_[2] = {nullptr, nullptr};
  QCPGraph* lower_[2] = {nullptr, nullptr};
  int bands_ = 0;
  bool logX_ = false, categorical_ = false, oneRunPerLevel_ = false;
};

}  // namespace pw::ui
