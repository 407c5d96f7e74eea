// Grouping runs over seeds, with intervals (see run_summary.h).
#include "run_summary.h"

#include <QCollator>
#include <QMap>

#include <algorithm>
#include <cmath>

#include "method_colors.h"
#include "util/stats.h"

namespace pw::ui {

const QString kIdSplit = "ID test";

QList<SplitScore> runSplits(const RunSummary& r) {
  QList<SplitScore> out;
  if (r.idAccuracy >= 0) {
    SplitScore id;
    id.name = kIdSplit;
    id.accuracy = r.idAccuracy;
    id.examples = r.idExamples;
    id.correct = r.idCorrect;
    out << id;
  }
  if (!r.oodSets.isEmpty()) {
    for (const SplitScore& s : r.oodSets)
      if (s.accuracy >= 0) out << s;
  } else if (r.oodAccuracy >= 0) {
    SplitScore ood;
    ood.name = "OOD";
    ood.accuracy = r.oodAccuracy;
    out << ood;
  }
  return out;
}

SplitScore runSplit(const RunSummary& r, const QString& name) {
  for (const SplitScore& s : runSplits(r))
    if (s.name == name) return s;
  SplitScore none;
  none.name = name;
  return none;
}

QString splitTitle(const QString& splitName) {
  if (splitName == kIdSplit) return splitName;
  if (splitName.isEmpty() || splitName == "OOD") return "OOD test";
  return "OOD: " + splitName;
}

QStringList oodSetNames(const QList<RunSummary>& runs) {
  QStringList names;
  for (const RunSummary& r : runs)
    for (const SplitScore& s : runSplits(r))
      if (s.name != kIdSplit && !names.contains(s.name)) names << s.name;
  return names;
}

void meanStdPercent(const QList<double>& v, int& n, double& mean, double& std) {
  const MeanStd m = meanStd(std::vector<double>(v.begin(), v.end()));
  n = m.n, mean = 100 * m.mean, std = 100 * m.std;
}

QString SplitStats::intervalText() const {
  return intervalDescription(summary, examples, name == kIdSplit ? kIdSplit : QString("OOD"));
}

SplitStats splitStats(const QString& name, const std::vector<SeedAccuracy>& runs) {
  SplitStats s;
  s.name = name;
  s.runs = runs;
  s.summary = summarizeAccuracy(runs);
  s.count = s.summary.n;
  if (s.count == 0) return s;
  s.mean = 100 * s.summary.mean;
  s.std = 100 * s.summary.std;
  s.valid = s.summary.interval.valid;
  s.low = s.valid ? 100 * s.summary.interval.low : s.mean;
  s.high = s.valid ? 100 * s.summary.interval.high : s.mean;
  if (s.count == 1) s.examples = runs.front().examples;
  return s;
}

const SplitStats* GroupStats::split(const QString& name) const {
  for (const SplitStats& s : splits)
    if (s.name == name) return &s;
  return nullptr;
}

QList<GroupStats> groupOverSeeds(const QList<RunSummary>& runs) {
  QMap<QString, QList<const RunSummary*>> byGroup;
  QStringList order;
  for (const RunSummary& r : runs) {
    if (r.idAccuracy < 0 && r.oodAccuracy < 0) continue;
    if (!byGroup.contains(r.group)) order << r.group;
    byGroup[r.group] << &r;
  }
  const QStringList splitOrder = QStringList{kIdSplit} + oodSetNames(runs);
  QList<GroupStats> out;
  for (const QString& g : order) {
    const auto& members = byGroup[g];
    GroupStats s;
    s.group = g;
    s.shortLabel = members.first()->shortLabel;
    s.method = members.first()->method;
    s.trainable = members.first()->trainable;
    QMap<QString, std::vector<SeedAccuracy>> bySplit;
    for (const RunSummary* r : members)
      for (const SplitScore& split : runSplits(*r)) bySplit[split.name].push_back(split.seedAccuracy(r->seed));
    for (const QString& name : splitOrder)
      if (bySplit.contains(name)) s.splits << splitStats(name, bySplit[name]);
    QList<double> id, ood;
    for (const RunSummary* r : members) {
      if (r->idAccuracy >= 0) id << r->idAccuracy;
      if (r->oodAccuracy >= 0) ood << r->oodAccuracy;
    }
    meanStdPercent(id, s.idCount, s.idMean, s.idStd);
    meanStdPercent(ood, s.oodCount, s.oodMean, s.oodStd);
    out << s;
  }
  QCollator natural;  // "LoRA r=2" before "LoRA r=16"
  natural.setNumericMode(true);
  std::stable_sort(out.begin(), out.end(), [&natural](const GroupStats& a, const GroupStats& b) {
    const int oa = methodOrder(a.method), ob = methodOrder(b.method);
    return oa != ob ? oa < ob : natural.compare(a.group, b.group) < 0;
  });
  return out;
}

}  // namespace pw::ui
