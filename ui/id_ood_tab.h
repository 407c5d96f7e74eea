// The ID vs OOD tab: grouped ID / OOD accuracy bars per method (error bars over seeds), the ID-against-OOD
// scatter with y = x, and accuracy against trainable parameters (log x) with the Pareto front.
#pragma once
#include <QList>
#include <QWidget>

#include "charts/run_summary.h"

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

 private:
  AccuracyBarsChart* bars_ = nullptr;
  IdOodScatter* scatter_ = nullptr;
  AccuracyParamsChart* params_ = nullptr;
};

}  // namespace pw::ui
