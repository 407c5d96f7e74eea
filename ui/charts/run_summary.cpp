// Grouping runs over seeds (see run_summary.h).
#include "run_summary.h"

#include <QCollator>
#include <QMap>

#include <algorithm>
#include <cmath>

#include "method_colors.h"
#include "util/stats.h"

namespace pw::ui {

void meanStdPercent(const QList<double>& v, int& n, double& mean, double& std) {
  const MeanStd m = meanStd(std::vector<double>(v.begin(), v.end()));
  n = m.n, mean = 100 * m.mean, std = 100 * m.std;
}

QList<GroupStats> groupOverSeeds(const QList<RunSummary>& runs) {
  QMap<QString, QList<const RunSummary*>> byGroup;
  QStringList order;
  for (const RunSummary& r : runs) {
    if (r.idAccuracy < 0 && r.oodAccuracy < 0) continue;
    if (!byGroup.contains(r.group)) order << r.group;
    byGroup[r.group] << &r;
  }
  QList<GroupStats> out;
  for (const QString& g : order) {
    const auto& members = byGroup[g];
    GroupStats s;
    s.group = g;
    s.shortLabel = members.first()->shortLabel;
    s.method = members.first()->method;
    s.trainable = members.first()->trainable;
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
