// What the comparison charts need of a run, and runs grouped over seeds (same method, same knobs), with
// every accuracy's 95 % interval: Wilson over the test examples for one run, the t-interval on the mean
// over seeds for a group (core's summarizeAccuracy).
#pragma once
#include <QList>
#include <QString>
#include <QStringList>

#include "run_metrics.h"
#include "util/verdict.h"

namespace pw::ui {

struct RunSummary {
  qint64 id = 0;
  QString method;
  QString group;  // runs with the same group label differ only by seed ("LoRA r=8")
  QString shortLabel;  // for crowded axes ("LoRA\nr=8")
  quint64 seed = 0;
  double trainable = 0;
  double percent = 0;
  double idAccuracy = -1, oodAccuracy = -1;  // [0, 1]; -1 when absent; oodAccuracy: the first OOD set
  qint64 idExamples = 0;                     // 0: not recorded (no interval)
  std::vector<uint8_t> idCorrect;            // per example, for paired tests; empty when not recorded
  // Every OOD set by name, the first being oodAccuracy's. Empty with oodAccuracy >= 0: one set called "OOD".
  QList<SplitScore> oodSets;
};

// A run's test splits in drawing order: "ID test" first, then each OOD set (name as the run has it).
QList<SplitScore> runSplits(const RunSummary& r);
// The run's score on the split called `name` ("ID test" or an OOD set's name); accuracy -1 when absent.
SplitScore runSplit(const RunSummary& r, const QString& name);
// The legend / axis name of a split: "ID test", "OOD: other source" ("OOD test" for an unnamed set).
QString splitTitle(const QString& splitName);
// The OOD set names of these runs, in order of first appearance.
QStringList oodSetNames(const QList<RunSummary>& runs);

// One group's accuracy on one split: mean over seeds with its 95 % interval, in percent.
struct SplitStats {
  QString name;             // as in SplitScore: "ID test" or the OOD set's name
  int count = 0;            // finished runs with this split
  double mean = 0, std = 0; // percent
  double low = 0, high = 0; // percent; equal to mean when !valid
  bool valid = false;       // an interval exists (Wilson needs the example count, t needs two seeds)
  AccuracySummary summary;  // core's numbers (fractions)
  qint64 examples = 0;      // one run: the examples its Wilson interval is over
  std::vector<SeedAccuracy> runs;  // per seed, for verdicts
  QString intervalText() const;    // "Wilson 95 %, 1,600 examples" / "t 95 % over 3 seeds (std 2.1)"
};

struct GroupStats {
  QString group, shortLabel, method;
  double trainable = 0;
  QList<SplitStats> splits;  // ID first, then OOD sets; a split none of the group's runs has is absent
  const SplitStats* split(const QString& name) const;  // nullptr if absent
  // The ID test and the first OOD set, as the runs table shows them (percent; std over seeds, 0 for one).
  int idCount = 0, oodCount = 0;
  double idMean = 0, idStd = 0, oodMean = 0, oodStd = 0;
};

// Mean and sample standard deviation of accuracies in [0, 1], returned in percent (std 0 for one value).
void meanStdPercent(const QList<double>& v, int& n, double& mean, double& std);
// Summary of one split over runs (fractions in, percent out).
SplitStats splitStats(const QString& name, const std::vector<SeedAccuracy>& runs);

// Groups in catalogue order of their method, then by label; runs without any accuracy are left out.
QList<GroupStats> groupOverSeeds(const QList<RunSummary>& runs);

}  // namespace pw::ui
