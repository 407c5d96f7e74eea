// Intervals and differences for the comparison tables (see compare_stats.h).
#include "compare_stats.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace pw::cli {
namespace {

SeedAccuracy seedAccuracy(uint64_t seed, const SplitMetrics& m) { return {seed, m.accuracy, m.examples, m.correct}; }

int64_t correctOf(const SplitMetrics& m) {
  if (!m.correct.empty() && int64_t(m.correct.size()) == m.examples) return m.correctCount();
  return std::clamp<int64_t>(std::llround(m.accuracy * double(m.examples)), 0, m.examples);
}

std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

nlohmann::json orNull(double v, bool present) { return present && std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

}  // namespace

ArmRuns armRuns(const std::string& label, const std::vector<RunOutcome>& runs) {
  ArmRuns a;
  a.label = label;
  for (const auto& o : runs) {
    if (o.result.status != RunStatus::Finished) continue;
    if (o.result.idTest.accuracy >= 0) a.id.push_back(seedAccuracy(o.seed, o.result.idTest));
    if (o.result.oodTest.accuracy >= 0) a.ood.push_back(seedAccuracy(o.seed, o.result.oodTest));
  }
  return a;
}

std::string accuracyCell(const AccuracySummary& s) {
  if (s.n == 0) return "-";
  std::string cell = percent(s.mean);
  if (s.interval.valid) cell += " [" + percent(s.interval.low) + ", " + percent(s.interval.high) + "]";
  return cell;
}

std::string intervalFootnote(const std::vector<ArmRuns>& arms) {
  std::set<int> seedCounts;
  std::set<int64_t> examples;
  for (const auto& a : arms)
    for (const auto* split : {&a.id, &a.ood}) {
      if (split->empty()) continue;
      seedCounts.insert(int(split->size()));
      if (split->size() == 1) examples.insert(split->front().examples);
    }
  if (seedCounts.empty()) return "";
  std::vector<std::string> parts;
  if (seedCounts.count(1)) {
    std::string n;
    for (int64_t e : examples) n += (n.empty() ? "" : " / ") + std::to_string(e);
    parts.push_back("Wilson score interval over the test examples (n = " + n + ") for a single seed");
  }
  if (seedCounts.size() > (seedCounts.count(1) ? 1u : 0u))
    parts.push_back(seedCounts.count(1) ? "Student t interval on the mean over the seeds for several seeds"
                                        : "Student t interval on the mean over the seeds");
  std::string line = "[95 % CI]: ";
  for (size_t i = 0; i < parts.size(); ++i) line += (i ? "; " : "") + parts[i];
  return line;
}

nlohmann::json summaryJson(const AccuracySummary& s) {
  return {{"n", s.n},
          {"mean", s.mean},
          {"std", s.std},
          {"low", orNull(s.interval.low, s.interval.valid)},
          {"high", orNull(s.interval.high, s.interval.valid)},
          {"interval", s.interval.valid ? nlohmann::json(s.method) : nlohmann::json()}};
}

std::vector<Difference> differences(const std::vector<ArmRuns>& arms) {
  std::vector<Difference> out;
  for (const char* split : {"ID", "OOD"}) {
    const bool id = std::string(split) == "ID";
    auto runsOf = [&](const ArmRuns& a) -> const std::vector<SeedAccuracy>& { return id ? a.id : a.ood; };
    int best = -1;
    double bestMean = -1;
    for (size_t i = 0; i < arms.size(); ++i) {
      const AccuracySummary s = summarizeAccuracy(runsOf(arms[i]));
      if (s.n > 0 && s.mean > bestMean) best = int(i), bestMean = s.mean;
    }
    if (best < 0) continue;
    for (size_t i = 0; i < arms.size(); ++i) {
      if (int(i) == best || runsOf(arms[i]).empty()) continue;
      const ArmRuns& b = arms[size_t(best)];
      out.push_back({split, arms[i].label, b.label, compareRuns(runsOf(arms[i]), runsOf(b), {arms[i].label, b.label, split})});
    }
  }
  return out;
}

void printDifferences(const std::vector<Difference>& diffs, std::ostream& out) {
  if (diffs.empty()) return;
  out << "\nDifferences (each against the best mean on that split; [95 % CI of the difference], two-sided p):\n";
  for (const auto& d : diffs) out << "  " << d.verdict.sentence << "\n";
}

nlohmann::json differencesJson(const std::vector<Difference>& diffs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : diffs) {
    const Verdict& v = d.verdict;
    out.push_back({{"split", d.split},
                   {"label", d.label},
                   {"best", d.best},
                   {"valid", v.valid},
                   {"difference", v.difference},
                   {"low", orNull(v.interval.low, v.interval.valid)},
                   {"high", orNull(v.interval.high, v.interval.valid)},
                   {"p", orNull(v.p, v.valid)},
                   {"significant", v.significant},
                   {"test", v.test},
                   {"pairs", v.pairs},
                   {"only_label_right", v.aOnly},
                   {"only_best_right", v.bOnly},
                   {"note", v.note},
                   {"sentence", v.sentence}});
  }
  return out;
}

void writeSummaryCsv(const std::vector<ArmRuns>& arms, std::ostream& out) {
  out << "label,finished,id_mean,id_std,id_low,id_high,id_interval,ood_mean,ood_std,ood_low,ood_high,ood_interval\n";
  for (const auto& a : arms) {
    out << csvField(a.label) << "," << std::max(a.id.size(), a.ood.size());
    for (const auto* split : {&a.id, &a.ood}) {
      const AccuracySummary s = summarizeAccuracy(*split);
      out << "," << (s.n ? number(s.mean) : "") << "," << (s.n ? number(s.std) : "") << ","
          << (s.interval.valid ? number(s.interval.low) : "") << ","
          << (s.interval.valid ? number(s.interval.high) : "") << "," << (s.interval.valid ? s.method : "");
    }
    out << "\n";
  }
}

void writeDifferencesCsv(const std::vector<Difference>& diffs, std::ostream& out) {
  out << "split,label,best,difference,low,high,p,significant,test,sentence\n";
  for (const auto& d : diffs) {
    const Verdict& v = d.verdict;
    out << d.split << "," << csvField(d.label) << "," << csvField(d.best) << "," << number(v.difference) << ","
        << (v.interval.valid ? number(v.interval.low) : "") << "," << (v.interval.valid ? number(v.interval.high) : "")
        << "," << (v.valid ? number(v.p) : "") << "," << (v.significant ? 1 : 0) << "," << csvField(v.test) << ","
        << csvField(v.sentence) << "\n";
  }
}

std::pair<std::string, std::string> wilsonCells(const SplitMetrics& m) {
  if (m.accuracy < 0 || m.examples <= 0) return {"", ""};
  const Interval w = wilsonInterval(correctOf(m), m.examples);
  return {number(w.low), number(w.high)};
}

}  // namespace pw::cli
