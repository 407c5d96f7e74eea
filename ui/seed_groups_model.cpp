// The runs table grouped over seeds (see seed_groups_model.h).
#include "seed_groups_model.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <cmath>

#include "results/seed_group.h"
#include "run_labels.h"
#include "run_metrics.h"
#include "runs_model.h"

namespace pw::ui {
SeedGroupsModel::SeedGroupsModel(RunsModel* runs, QObject* parent) : QAbstractTableModel(parent), runs_(runs) {
  connect(runs_, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
  connect(runs_, &QAbstractItemModel::modelReset, this, [this] {
    rebuild();
    endResetModel();
  });
  // Live progress of a running run shows in its group's status cell.
  connect(runs_, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
    for (int row = from.row(); row <= to.row(); ++row) {
      if (row < 0 || row >= int(groupOfRow_.size())) continue;
      const int g = groupOfRow_[size_t(row)];
      Q_EMIT dataChanged(index(g, from.column()), index(g, to.column()));
    }
  });
  rebuild();
}

void SeedGroupsModel::rebuild() {
  groups_.clear();
  groupOfRow_.assign(size_t(runs_->rowCount()), -1);
  QHash<QString, int> byKey;
  for (int row = 0; row < runs_->rowCount(); ++row) {
    const QString key = QString::fromStdString(results::seedGroupKey(runs_->run(row)));
    auto it = byKey.find(key);
    if (it == byKey.end()) {
      it = byKey.insert(key, int(groups_.size()));
      groups_.push_back(Group{});
    }
    groups_[size_t(*it)].rows.push_back(row);
    groupOfRow_[size_t(row)] = *it;
  }
  for (Group& g : groups_) {
    std::stable_sort(g.rows.begin(), g.rows.end(), [this](int a, int b) { return runs_->run(a).seed < runs_->run(b).seed; });
    std::vector<SeedAccuracy> id, ood;
    for (int row : g.rows) {
      const auto& r = runs_->run(row);
      g.wallSeconds += r.status == RunStatus::Running ? 0 : r.wallSeconds;
      if (r.status != RunStatus::Finished) continue;
      if (r.idAccuracy >= 0) id.push_back({r.seed, r.idAccuracy, runs_->idExamples(row), {}});
      if (r.oodAccuracy >= 0) ood.push_back({r.seed, r.oodAccuracy, runs_->oodExamples(row), {}});
    }
    g.id = summarizeAccuracy(id);
    g.ood = summarizeAccuracy(ood);
  }
}

QList<qint64> SeedGroupsModel::runIds(int row) const {
  QList<qint64> ids;
  if (row < 0 || row >= int(groups_.size())) return ids;
  for (int r : groups_[size_t(row)].rows) ids << runs_->run(r).id;
  return ids;
}

int SeedGroupsModel::rowOfRun(qint64 id) const {
  const int row = runs_->rowOfRun(id);
  return row < 0 || row >= int(groupOfRow_.size()) ? -1 : groupOfRow_[size_t(row)];
}

int SeedGroupsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(groups_.size()); }
int SeedGroupsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : RunsModel::ColumnCount; }

QVariant SeedGroupsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(groups_.size())) return {};
  const Group& g = groups_[size_t(index.row())];
  // A configuration run with one seed reads exactly as its run.
  if (g.rows.size() == 1) return runs_->data(runs_->index(g.rows.front(), index.column()), role);
  return groupData(g, index.column(), role);
}

QVariant SeedGroupsModel::groupData(const Group& g, int column, int role) const {
  const int first = g.rows.front();
  const int n = int(g.rows.size());
  // The member whose status speaks for the group: a running one, else one that did not finish.
  int speaker = first;
  for (int row : g.rows)
    if (runs_->run(row).status != RunStatus::Finished && runs_->run(speaker).status != RunStatus::Running) speaker = row;
  const bool exact = role == Qt::UserRole;
  switch (column) {
    case RunsModel::Id:
      if (role == Qt::DisplayRole) return QString("%1 (+%2)").arg(runs_->run(first).id).arg(n - 1);
      if (role == Qt::ToolTipRole) {
        QStringList ids;
        for (int row : g.rows) ids << QString::number(runs_->run(row).id);
        return "Runs " + ids.join(", ");
      }
      break;
    case RunsModel::IdAccuracy:
    case RunsModel::OodAccuracy: {
      const bool ood = column == RunsModel::OodAccuracy;
      const AccuracySummary& sum = ood ? g.ood : g.id;
      if (role == Qt::DisplayRole) return accuracyWithInterval(sum);
      if (exact) return sum.n > 0 ? QVariant(100 * sum.mean) : QVariant();
      if (role == Qt::ToolTipRole) {
        const qint64 examples = sum.n == 1 ? (ood ? runs_->oodExamples(first) : runs_->idExamples(first)) : 0;
        QStringList lines = {QString("Mean [95 % interval] over %1 finished run(s): %2")
                                 .arg(sum.n)
                                 .arg(intervalDescription(sum, examples, ood ? "OOD" : "ID test"))};
        for (int row : g.rows) {
          const auto& r = runs_->run(row);
          const double a = ood ? r.oodAccuracy : r.idAccuracy;
          lines << QString("seed %1: %2").arg(r.seed).arg(a >= 0 ? QString::number(100 * a, 'f', 1) : QString(statusName(r.status)));
        }
        return lines.join("\n");
      }
      break;
    }
    case RunsModel::WallTime:
      if (role == Qt::DisplayRole) return durationText(g.wallSeconds);
      if (exact) return g.wallSeconds;
      if (role == Qt::ToolTipRole) return QString("All %1 runs together").arg(n);
      break;
    case RunsModel::Status: {
      if (role == Qt::DisplayRole || exact) {
        QStringList order;
        QHash<QString, int> counts;
        for (int row : g.rows) {
          const QString s = QString(statusName(runs_->run(row).status));
          if (!counts.contains(s)) order << s;
          ++counts[s];
        }
        if (order.size() == 1 && order.first() != "running") return order.first();
        if (!exact && runs_->run(speaker).status == RunStatus::Running)  // "2/3 done, training 42%"
          return QString("%1/%2 done, %3").arg(counts.value("finished")).arg(n)
              .arg(runs_->data(runs_->index(speaker, column), Qt::DisplayRole).toString());
        QStringList parts;
        for (const QString& s : order) parts << QString("%1 %2").arg(counts[s]).arg(s);
        return parts.join(", ");
      }
      return runs_->data(runs_->index(speaker, column), role);
    }
    case RunsModel::Precision:
      if (role == Qt::DisplayRole || exact) {
        QStringList kinds;
        for (int row : g.rows)
          if (const QString p = runs_->precision(row); !kinds.contains(p)) kinds << p;
        if (kinds.size() == 1) return runs_->data(runs_->index(first, column), role);
        kinds.removeAll(QString());
        return kinds.join(" / ");
      }
      break;
    case RunsModel::Seed:
      if (role == Qt::DisplayRole) return QString("%1 seeds").arg(n);
      if (exact) return n;
      if (role == Qt::ToolTipRole) {
        QStringList seeds;
        for (int row : g.rows) seeds << QString::number(runs_->run(row).seed);
        return "Seeds " + seeds.join(", ");
      }
      break;
    default:
      break;
  }
  return runs_->data(runs_->index(first, column), role);
}

QVariant SeedGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
    if (section == RunsModel::IdAccuracy || section == RunsModel::OodAccuracy)
      return runs_->headerData(section, orientation, role).toString() +
             "; for several seeds, the mean [95 % t-interval over the seeds]";
    if (section == RunsModel::Seed) return "Runs of the same configuration that differ only in the seed";
  }
  return runs_->headerData(section, orientation, role);
}

}  // namespace pw::ui
