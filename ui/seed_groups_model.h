// The runs table with seeds grouped: one row per configuration (same batch, model, task, method, knobs,
// random weights and training settings, differing only in the seed), showing the mean of ID and OOD
// accuracy over its runs with the 95 % t-interval on that mean ("80.0 [55.2, 100.0]") and "n seeds". Same columns as RunsModel, which it reads
// (and follows: a reset of the runs rebuilds the groups; live progress passes through).
#pragma once
#include <QAbstractTableModel>
#include <QList>

#include <vector>

#include "util/verdict.h"

namespace pw::ui {

class RunsModel;

class SeedGroupsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  explicit SeedGroupsModel(RunsModel* runs, QObject* parent = nullptr);

  QList<qint64> runIds(int row) const;  // the group's runs, by seed
  int rowOfRun(qint64 id) const;        // the group holding the run, -1 if none

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  struct Group {
    std::vector<int> rows;  // rows of the runs model, by seed
    AccuracySummary id, ood;  // over the finished runs: fractions, like the runs' accuracies
    double wallSeconds = 0;
  };
  void rebuild();
  QVariant groupData(const Group& g, int column, int role) const;

  RunsModel* runs_;
  std::vector<Group> groups_;
  std::vector<int> groupOfRow_;  // runs-model row -> group
};

}  // namespace pw::ui
