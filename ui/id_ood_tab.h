// The ID vs OOD tab: grouped accuracy bars per method, one per test split (the ID test and every named OOD
// set), each with its 95 % interval; the ID-against-OOD scatter with y = x and accuracy against trainable
// parameters (log x) with the Pareto front, both for the OOD set chosen above them when there are several;
// and, under the charts, the verdicts in words (is the best method really better than each other one?).
#pragma once
#include <QList>
#include <QWidget>

#include "charts/run_summary.h"

class QComboBox;
class QLabel;
class QTextBrowser;

namespace pw::ui {

class AccuracyBarsChart;
class IdOodScatter;
class AccuracyParamsChart;

class IdOodTab : public QWidget {
  Q_OBJECT
 public:
  explicit IdOodTab(QWidget* parent = nullptr);
  void setRuns(const QList<RunSummary>& runs);
  AccuracyBarsChart* bars() const { return bars_; }
  IdOodScatter* scatter() const { return scatter_; }
  AccuracyParamsChart* paramsChart() const { return params_; }
  QComboBox* oodSetBox() const { return oodSet_; }  // shown only with more than one OOD set
  QTextBrowser* verdictPanel() const { return verdicts_; }
  QString verdictText() const { return verdictText_; }  // the panel as plain text

 private:
  void chooseOodSet(const QString& name);
  AccuracyBarsChart* bars_ = nullptr;
  IdOodScatter* scatter_ = nullptr;
  AccuracyParamsChart* params_ = nullptr;
  QWidget* oodRow_ = nullptr;
  QComboBox* oodSet_ = nullptr;
  QTextBrowser* verdicts_ = nullptr;
  QString verdictText_;
};

}  // namespace pw::ui
