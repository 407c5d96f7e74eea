// The runs table's model: one row per run in the results database (method, knob, trainable parameters,
// % of the model, ID and OOD accuracy, wall time, status, ...). Qt::UserRole gives exact values for
// sorting and CSV export. It holds copies of the rows; reload() re-reads them.
#pragma once
#include <QAbstractTableModel>
#include <QHash>

#include <vector>

#include "results/results_db.h"

namespace pw::ui {

class RunsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Method, Knob, Trainable, Percent, IdAccuracy, OodAccuracy, WallTime, Status, Seed, Model, Task,
                ColumnCount };
  explicit RunsModel(QObject* parent = nullptr);

  void setRuns(std::vector<results::RunRecord> runs);
  const std::vector<results::RunRecord>& runs() const { return runs_; }
  const results::RunRecord& run(int row) const { return runs_.at(size_t(row)); }
  int rowOfRun(qint64 id) const;  // -1 if absent
  // Live progress of a running run, shown in its status cell ("running 42%").
  void setProgress(qint64 id, int percent, const QString& phase);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<results::RunRecord> runs_;
  QHash<qint64, QString> progress_;
};

}  // namespace pw::ui
