// What the window reads of a stored run's result JSON beyond the table's columns: each test split's
// example count and per-example correctness (for intervals and paired tests), every named OOD set, and
// the precision the run computed in. Tolerant of runs saved before a field existed (counts 0, name "OOD",
// precision ""). Also the interval text every table cell and tooltip uses.
#pragma once
#include <QList>
#include <QString>

#include <cstdint>
#include <vector>

#include "results/results_db.h"
#include "util/verdict.h"

namespace pw::ui {

// One run on one test split.
struct SplitScore {
  QString name;               // "ID test", or the OOD set's name ("other source")
  double accuracy = -1;       // [0, 1]; -1 when absent
  qint64 examples = 0;        // 0 when not recorded
  std::vector<uint8_t> correct;  // per example; empty when not recorded
  SeedAccuracy seedAccuracy(quint64 seed) const;
};

SplitScore idTestScore(const results::RunRecord& run);
// Every OOD set of the run, the first (the table's OOD column) first; empty when it has none.
QList<SplitScore> oodScores(const results::RunRecord& run);
// "fp32" / "bf16" as the run recorded it; "" for runs saved before precision was recorded.
QString runPrecision(const results::RunRecord& run);

// The 95 % interval of one run's accuracy: Wilson over its examples (invalid without a count).
AccuracySummary singleRunSummary(double accuracy, qint64 examples);

// "82.3 [78.2, 85.7]" in percent (just "82.3" without a valid interval; "-" without a mean).
QString accuracyWithInterval(const AccuracySummary& s);
// What the interval is and over what: "Wilson 95 %, 1,600 OOD examples" / "t 95 % over 3 seeds".
// `what` names the examples ("ID test", "OOD: other source"); `examples` is the count a Wilson interval used.
QString intervalDescription(const AccuracySummary& s, qint64 examples, const QString& what = QString());

}  // namespace pw::ui
