// The statistics of the `compare` / `sweep` tables: each configuration's ID and OOD accuracy with its 95 %
// interval, and the "Differences" section (each configuration against the best on each split), as text,
// JSON and CSV. The numbers come from core's util/verdict.h; this file only gathers and prints them.
#pragma once
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "train_support.h"
#include "util/verdict.h"

namespace pw::cli {

// One configuration's finished runs, per split (a split absent from a run is left out of it): the ID test, the
// task's first OOD set and its other named OOD sets (a task with ood_*.csv files or an `ood` column), in order.
struct NamedRuns {
  std::string name;  // the OOD set's name: "other words"
  std::vector<SeedAccuracy> runs;
};
struct ArmRuns {
  std::string label;
  std::vector<SeedAccuracy> id, ood;
  std::vector<NamedRuns> moreOod;
  const std::vector<SeedAccuracy>& moreOodRuns(const std::string& name) const;  // empty when absent
};
ArmRuns armRuns(const std::string& label, const std::vector<RunOutcome>& runs);
// The names of the extra OOD sets any configuration has, in first-seen order (empty for one OOD set).
std::vector<std::string> moreOodNames(const std::vector<ArmRuns>& arms);

// "82.3 [78.1, 85.9]" (percent, the 95 % interval in brackets); "82.3" without an interval; "-" without runs.
std::string accuracyCell(const AccuracySummary& s);
// One line saying what the intervals are, for under the table.
std::string intervalFootnote(const std::vector<ArmRuns>& arms);
// {"mean", "std", "n", "low", "high", "interval": "wilson" | "t"} (low / high null without an interval).
nlohmann::json summaryJson(const AccuracySummary& s);

// Every configuration against the best (highest mean) on one split.
struct Difference {
  std::string split;  // "ID" | "OOD" | an extra OOD set's name
  std::string label, best;
  Verdict verdict;    // label minus best
};
std::vector<Difference> differences(const std::vector<ArmRuns>& arms);

void printDifferences(const std::vector<Difference>& diffs, std::ostream& out);
nlohmann::json differencesJson(const std::vector<Difference>& diffs);

// summary.csv (one line per configuration, with the intervals; an extra OOD set adds ood2_name, ood2_mean, ...
// columns, ood3_... for the next) and differences.csv.
void writeSummaryCsv(const std::vector<ArmRuns>& arms, std::ostream& out);
void writeDifferencesCsv(const std::vector<Difference>& diffs, std::ostream& out);

// A run's Wilson interval on one split, for results.csv: {low, high}, empty cells without one.
std::pair<std::string, std::string> wilsonCells(const SplitMetrics& m);

}  // namespace pw::cli
