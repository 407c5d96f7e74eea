// What the comparison charts need of a run, and runs grouped over seeds (same method, same knobs).
#pragma once
#include <QList>
#include <QString>

namespace pw::ui {

struct RunSummary {
  qint64 id = 0;
  QString method;
  QString group;  // runs with the same group label differ only by seed ("LoRA r=8")
  QString shortLabel;  // for crowded axes ("LoRA\nr=8")
  double trainable = 0;
  double percent = 0;
  double idAccuracy = -1, oodAccuracy = -1;  // [0, 1]; -1 when absent
};

struct GroupStats {
  QString group, shortLabel, method;
  double trainable = 0;
  int idCount = 0, oodCount = 0;
  double idMean = 0, idStd = 0, oodMean = 0, oodStd = 0;  // in percent; std over seeds (0 for one run)
};

// Mean and sample standard deviation of accuracies in [0, 1], returned in percent (std 0 for one value).
void meanStdPercent(const QList<double>& v, int& n, double& mean, double& std);

// Groups in catalogue order of their method, then by label; runs without any accuracy are left out.
QList<GroupStats> groupOverSeeds(const QList<RunSummary>& runs);

}  // namespace pw::ui
