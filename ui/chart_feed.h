// Turns the runs the charts show (rows of the results database) into what each chart takes: curves for
// the loss chart, parameter breakdowns for the budget chart, accuracy summaries for the ID vs OOD charts.
// Labels name a run's seed or model only when the shown runs differ in them.
#pragma once
#include <QHash>
#include <QList>
#include <QString>

#include <vector>

#include "charts/budget_chart.h"
#include "charts/run_summary.h"
#include "results/results_db.h"

namespace pw::ui {

class LossChart;

class ShownRuns {
 public:
  explicit ShownRuns(QList<const results::RunRecord*> runs);
  const QList<const results::RunRecord*>& runs() const { return runs_; }
  QString label(const results::RunRecord& run) const;  // "LoRA r=8", "+ (seed 2)", "+ · tiny-gpt2", "+ (lr=0.001)"
  QString groupLabel(const results::RunRecord& run) const;  // the label of its seed group (no seed)

  QList<BudgetEntry> budgetEntries() const;  // runs with a parameter count
  QList<RunSummary> summaries() const;       // finished runs

 private:
  QString baseLabel(const results::RunRecord& run, bool withSeed) const;
  QString keyOf(const results::RunRecord& run) const;  // its seed-group key (kept from the constructor)
  QList<const results::RunRecord*> runs_;
  bool seedsDiffer_ = false, modelsDiffer_ = false;
  QHash<QString, QString> suffix_;
  QHash<const results::RunRecord*, QString> keyOf_;  // seed-group key -> what tells it from groups with the same label
};

// Adds a stored run to the loss chart with its curve points: train_loss as steps, val_loss and val_acc
// paired by step into evaluations. The one feed behind the Training tab and the CLI's loss-curves.png.
void addRunCurves(LossChart& chart, const results::RunRecord& run, const std::vector<results::CurvePoint>& curve,
                  const QString& label);

}  // namespace pw::ui
