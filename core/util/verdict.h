// "Is method A really better than method B on this split?": the difference, its 95 % interval, the p-value
// of the paired test that fits the data (McNemar exact for one seed, paired t over seeds) and one sentence.
// Used by the comparison tables; plain data in, no torch.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "util/stats.h"

namespace pw {

struct Verdict {
  bool valid = false;        // false: no test was possible (note says why)
  double difference = 0;     // accuracy of A minus accuracy of B, as a proportion (0.041 = 4.1 points)
  Interval interval;         // 95 % interval of the difference (Newcombe's paired score interval for one
                             // seed, the t-interval of the mean difference over seeds)
  double p = std::numeric_limits<double>::quiet_NaN();  // two-sided
  bool significant = false;  // p < 0.05
  std::string test;          // "McNemar exact, n=500" | "paired t over 3 seeds"
  std::string note;          // degenerate cases, or why there is no test
  std::string sentence;      // "LoRA vs LP on OOD: +4.1 points [+1.2, +7.0], p = 0.003 (McNemar exact): ..."
  int64_t aOnly = 0, bOnly = 0;  // one seed: examples only A got right, only B got right
  int pairs = 0;             // seeds paired (several seeds) or 1
};

// Who is compared on what, for the sentence.
struct VerdictNames {
  std::string a, b, split;  // "LoRA", "LP", "OOD"
};

// One seed: per-example correctness (1 = right) of A and B on the same examples in the same order.
// Sizes that differ (not the same test set) or empty vectors give an invalid verdict.
Verdict verdictFromCorrectness(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                               const VerdictNames& names);
// Several seeds: accuracies in [0, 1], a[i] and b[i] from the same seed (paired t; see pairedT for the
// degenerate cases). Fewer than two pairs give an invalid verdict.
Verdict verdictFromSeeds(const std::vector<double>& a, const std::vector<double>& b, const VerdictNames& names);

// Newcombe's square-and-add interval for the difference of paired proportions (his method 10, the Wilson
// limits of each with the continuity-corrected correlation): both = right on both, aOnly, bOnly, neither.
Interval pairedProportionDifference(int64_t both, int64_t aOnly, int64_t bOnly, int64_t neither,
                                    double confidence = 0.95);

// One configuration's finished run on one split, as the tables hold it.
struct SeedAccuracy {
  uint64_t seed = 0;
  double accuracy = -1;          // in [0, 1]
  int64_t examples = 0;
  std::vector<uint8_t> correct;  // per example; empty for results saved before it was recorded
};

// Mean over seeds and its 95 % interval: Wilson for a single run (from its correct count), the Student-t
// interval on the mean for several (clipped to [0, 1]). Runs must be the finished ones (accuracy >= 0).
struct AccuracySummary {
  int n = 0;                 // runs
  double mean = -1, std = 0; // -1: no run
  Interval interval;
  std::string method;        // "wilson" | "t" | "" (none)
};
AccuracySummary summarizeAccuracy(const std::vector<SeedAccuracy>& runs);

// A against B, runs paired by seed: two pairs or more -> paired t over seeds; one -> McNemar on that seed's
// per-example correctness; none -> invalid.
Verdict compareRuns(const std::vector<SeedAccuracy>& a, const std::vector<SeedAccuracy>& b,
                    const VerdictNames& names);

// One split of a comparison table: the group with the highest mean (the first of equals), and every other group
// with runs on it tested against that one: compareRuns(best, other) when `bestFirst` (the window: "best vs X,
// +2.1 points"), compareRuns(other, best) otherwise (the CLI: "X vs best, -2.1 points"). The CLI's "Differences"
// and the window's verdicts both read it.
struct BestComparison {
  int best = -1;                                // index into the groups; -1 when no group has a run here
  std::vector<std::pair<int, Verdict>> others;  // group index, its verdict
};
BestComparison compareWithBest(const std::vector<const std::vector<SeedAccuracy>*>& groups,
                               const std::vector<std::string>& names, const std::string& split, bool bestFirst);

// "p = 0.003", "p < 0.001", "p = 0.41", "p = 1"; extra digits where rounding would cross 0.05.
std::string formatP(double p);
// A difference in percentage points with its sign: "+4.1", "-0.3", "0.0".
std::string formatPoints(double difference);

}  // namespace pw
