// Verdicts on a pair of methods (see verdict.h): McNemar + Newcombe's paired interval for one seed, the paired
// t-test over seeds, and the sentence the tables print.
#include "util/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace pw {
namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string subject(const VerdictNames& n) {
  std::string s = n.a + " vs " + n.b;
  if (!n.split.empty()) s += " on " + n.split;
  return s;
}

// Fills significance and the sentence once difference, interval, p, test and note are set.
void conclude(Verdict& v, const VerdictNames& names, const std::string& shortTest) {
  if (!v.valid) {
    v.sentence = subject(names) + ": no test (" + v.note + ")";
    return;
  }
  v.significant = v.p < 0.05;
  v.sentence = subject(names) + ": " + formatPoints(v.difference) + " points";
  if (v.interval.valid)
    v.sentence += " [" + formatPoints(v.interval.low) + ", " + formatPoints(v.interval.high) + "]";
  v.sentence += ", " + formatP(v.p) + " (" + shortTest + "): ";
  v.sentence += v.significant ? "a real difference at 95 %" : "within noise";
  if (!v.note.empty()) v.sentence += "; " + v.note;
}

}  // namespace

std::string formatP(double p) {
  if (std::isnan(p)) return "p = n/a";
  if (p >= 1) return "p = 1";
  if (p < 0.001) return "p < 0.001";
  int decimals = p < 0.1 ? 3 : 2;
  // Never print a p on the wrong side of 0.05 (0.0499 as "0.050").
  while (decimals < 8 && (std::stod(fixed(p, decimals)) < 0.05) != (p < 0.05)) ++decimals;
  return "p = " + fixed(p, decimals);
}

std::string formatPoints(double difference) {
  const std::string s = fixed(100 * difference, 1);
  if (s == "0.0" || s == "-0.0") return "0.0";
  return difference > 0 ? "+" + s : s;
}

Interval pairedProportionDifference(int64_t both, int64_t aOnly, int64_t bOnly, int64_t neither,
                                    double confidence) {
  const int64_t n = both + aOnly + bOnly + neither;
  Interval r;
  if (n <= 0) return r;
  const int64_t aRight = both + aOnly, bRight = both + bOnly;
  const double N = double(n), p1 = aRight / N, p2 = bRight / N, d = p1 - p2;
  const Interval w1 = wilsonInterval(aRight, n, confidence), w2 = wilsonInterval(bRight, n, confidence);
  // The correlation of the two proportions, continuity-corrected as in Newcombe (1998), 0 on an empty margin.
  double psi = 0;
  const double margins = double(aRight) * double(n - aRight) * double(bRight) * double(n - bRight);
  if (margins > 0) {
    const double cross = double(both) * double(neither) - double(aOnly) * double(bOnly);
    if (cross > N / 2)
      psi = (cross - N / 2) / std::sqrt(margins);
    else if (cross < 0)
      psi = cross / std::sqrt(margins);
  }
  const double dl1 = p1 - w1.low, du1 = w1.high - p1, dl2 = p2 - w2.low, du2 = w2.high - p2;
  r.low = std::max(-1.0, d - std::sqrt(std::max(0.0, dl1 * dl1 + du2 * du2 - 2 * psi * dl1 * du2)));
  r.high = std::min(1.0, d + std::sqrt(std::max(0.0, dl2 * dl2 + du1 * du1 - 2 * psi * dl2 * du1)));
  r.valid = true;
  return r;
}

Verdict verdictFromCorrectness(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                               const VerdictNames& names) {
  Verdict v;
  v.test = "McNemar exact, n=" + std::to_string(a.size());
  v.pairs = 1;
  if (a.empty() || b.empty()) {
    v.note = "no per-example results recorded";
  } else if (a.size() != b.size()) {
    v.note = "the runs saw different test sets (" + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
             " examples)";
  } else {
    int64_t both = 0, neither = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const bool ra = a[i] != 0, rb = b[i] != 0;
      both += ra && rb;
      neither += !ra && !rb;
      v.aOnly += ra && !rb;
      v.bOnly += !ra && rb;
    }
    v.valid = true;
    v.difference = double(v.aOnly - v.bOnly) / double(a.size());
    v.interval = pairedProportionDifference(both, v.aOnly, v.bOnly, neither);
    v.p = mcnemarExactP(v.aOnly, v.bOnly);
    if (v.aOnly + v.bOnly == 0) v.note = "the two never disagree on an example";
  }
  conclude(v, names, "McNemar exact");
  return v;
}

Verdict verdictFromSeeds(const std::vector<double>& a, const std::vector<double>& b, const VerdictNames& names) {
  Verdict v;
  const PairedT t = pairedT(a, b);
  v.pairs = t.n;
  v.test = "paired t over " + std::to_string(t.n) + " seeds";
  v.difference = t.meanDiff;
  v.note = t.note;
  if (t.n >= 2) {
    v.valid = true;
    v.interval = t.interval;
    v.p = t.p;
  }
  conclude(v, names, "paired t, " + std::to_string(t.n) + " seeds");
  return v;
}

AccuracySummary summarizeAccuracy(const std::vector<SeedAccuracy>& runs) {
  AccuracySummary s;
  std::vector<double> values;
  for (const auto& r : runs) values.push_back(r.accuracy);
  const MeanStd m = meanStd(values);
  s.n = m.n;
  if (s.n == 0) return s;
  s.mean = m.mean;
  s.std = m.std;
  if (s.n == 1) {
    const SeedAccuracy& r = runs.front();
    int64_t correct = std::llround(r.accuracy * double(r.examples));
    if (!r.correct.empty() && int64_t(r.correct.size()) == r.examples)
      correct = int64_t(std::count_if(r.correct.begin(), r.correct.end(), [](uint8_t c) { return c != 0; }));
    s.interval = wilsonInterval(std::clamp<int64_t>(correct, 0, r.examples), r.examples);
    s.method = s.interval.valid ? "wilson" : "";
  } else {
    s.interval = tIntervalOfMean(values);
    s.interval.low = std::max(0.0, s.interval.low);  // an accuracy stays inside [0, 1]
    s.interval.high = std::min(1.0, s.interval.high);
    s.method = "t";
  }
  return s;
}

Verdict compareRuns(const std::vector<SeedAccuracy>& a, const std::vector<SeedAccuracy>& b,
                    const VerdictNames& names) {
  std::map<uint64_t, const SeedAccuracy*> bySeed;
  for (const auto& r : b) bySeed[r.seed] = &r;
  std::vector<const SeedAccuracy*> pa, pb;
  for (const auto& r : a)
    if (auto it = bySeed.find(r.seed); it != bySeed.end()) {
      pa.push_back(&r);
      pb.push_back(it->second);
    }
  if (pa.size() == 1) return verdictFromCorrectness(pa[0]->correct, pb[0]->correct, names);
  if (pa.empty()) {
    Verdict v;
    v.note = "no seed finished for both";
    conclude(v, names, "");
    return v;
  }
  std::vector<double> xa, xb;
  for (size_t i = 0; i < pa.size(); ++i) {
    xa.push_back(pa[i]->accuracy);
    xb.push_back(pb[i]->accuracy);
  }
  return verdictFromSeeds(xa, xb, names);
}

BestComparison compareWithBest(const std::vector<const std::vector<SeedAccuracy>*>& groups,
                               const std::vector<std::string>& names, const std::string& split, bool bestFirst) {
  BestComparison out;
  double bestMean = -1;
  for (size_t i = 0; i < groups.size(); ++i) {
    const AccuracySummary s = summarizeAccuracy(*groups[i]);
    if (s.n > 0 && s.mean > bestMean) out.best = int(i), bestMean = s.mean;
  }
  if (out.best < 0) return out;
  const size_t b = size_t(out.best);
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i == b || groups[i]->empty()) continue;
    out.others.push_back({int(i), bestFirst ? compareRuns(*groups[b], *groups[i], {names[b], names[i], split})
                                            : compareRuns(*groups[i], *groups[b], {names[i], names[b], split})});
  }
  return out;
}

}  // namespace pw
