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
    for (const NamedMetrics& m : o.result.moreOod) {
      if (m.metrics.accuracy < 0) continue;
      auto it = std::find_if(a.moreOod.begin(), a.moreOod.end(), [&](const NamedRuns& n) { return n.name == m.name; });
      if (it == a.moreOod.end()) it = a.moreOod.insert(a.moreOod.end(), NamedRuns{m.name, {}});
      it->runs.push_back(seedAccuracy(o.seed, m.metrics));
    }
  }
  return a;
}

const std::vector<SeedAccuracy>& ArmRuns::moreOodRuns(const std::string& name) const {
  static const std::vector<SeedAccuracy> none;
  for (const NamedRuns& n : moreOod)
    if (n.name == name) return n.runs;
  return none;
}

std::vector<std::string> moreOodNames(const std::vector<ArmRuns>& arms) {
  std::vector<std::string> names;
  for (const ArmRuns& a : arms)
    for (const NamedRuns& n : a.moreOod)
      if (std::find(names.begin(), names.end(), n.name) == names.end()) names.push_back(n.name);
  return names;
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
  std::vector<std::string> splits = {"ID", "OOD"};
  for (const std::string& name : moreOodNames(arms)) splits.push_back(name);
  for (size_t k = 0; k < splits.size(); ++k) {
    const std::string& split = splits[k];
    auto runsOf = [&](const ArmRuns& a) -> const std::vector<SeedAccuracy>& {
      if (k == 0) return a.id;
      if (k == 1) return a.ood;
      return a.moreOodRuns(split);
    };
    std::vector<const std::vector<SeedAccuracy>*> groups;
    std::vector<std::string> names;
    for (const ArmRuns& a : arms) groups.push_back(&runsOf(a)), names.push_back(a.label);
    const BestComparison c = compareWithBest(groups, names, split, false);
    for (const auto& [i, verdict] : c.others) out.push_back({split, names[size_t(i)], names[size_t(c.best)], verdict});
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
  const std::vector<std::string> more = moreOodNames(arms);
  out << "label,finished,id_mean,id_std,id_low,id_high,id_interval,ood_mean,ood_std,ood_low,ood_high,ood_interval";
  for (size_t k = 0; k < more.size(); ++k) {
    const std::string p = "ood" + std::to_string(k + 2) + "_";
    out << "," << p << "name," << p << "mean," << p << "std," << p << "low," << p << "high," << p << "interval";
  }
  out << "\n";
  auto cells = [&](const std::vector<SeedAccuracy>& runs) {
    const AccuracySummary s = summarizeAccuracy(runs);
    out << "," << (s.n ? number(s.mean) : "") << "," << (s.n ? number(s.std) : "") << ","
        << (s.interval.valid ? number(s.interval.low) : "") << ","
        << (s.interval.valid ? number(s.interval.high) : "") << "," << (s.interval.valid ? s.method : "");
  };
  for (const auto& a : arms) {
    out << csvField(a.label) << "," << std::max(a.id.size(), a.ood.size());
    cells(a.id);
    cells(a.ood);
    for (const std::string& name : more) {
      out << "," << csvField(name);
      cells(a.moreOodRuns(name));
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
