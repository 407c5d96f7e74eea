// The runs table's model: one row per run in the results database (method, knob, trainable parameters,
// % of the model, ID and OOD accuracy with their 95 % Wilson intervals, wall time, status, precision, ...).
// Qt::UserRole gives exact values for sorting and CSV export. It holds copies of the rows; reload() re-reads
// them. The OOD column is the runs' first OOD set (its header names it when every run shares it).
#pragma once
#include <QAbstractTableModel>
#include <QHash>

#include <vector>

#include "results/results_db.h"

namespace pw::ui {

class RunsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Method, Knob, Trainable, Percent, IdAccuracy, OodAccuracy, WallTime, Status, Seed, Precision,
                Model, Task, ColumnCount };
  explicit RunsModel(QObject* parent = nullptr);

  void setRuns(std::vector<results::RunRecord> runs);
  const std::vector<results::RunRecord>& runs() const { return runs_; }
  const results::RunRecord& run(int row) const { return runs_.at(size_t(row)); }
  // The row's test example counts (0: not recorded) and the name of its first OOD set ("" without one).
  qint64 idExamples(int row) const { return facts_.at(size_t(row)).idExamples; }
  qint64 oodExamples(int row) const { return facts_.at(size_t(row)).oodExamples; }
  QString oodName(int row) const { return facts_.at(size_t(row)).oodName; }
  QString precision(int row) const { return facts_.at(size_t(row)).precision; }  // "" for old runs
  QString sharedOodName() const { return sharedOod_; }  // the OOD set every run with one shares, or ""
  int rowOfRun(qint64 id) const;  // -1 if absent
  // Live progress of a running run, shown in its status cell ("running 42%").
  void setProgress(qint64 id, int percent, const QString& phase);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  struct Facts {  // read once from each run's result JSON
    qint64 idExamples = 0, oodExamples = 0;
    QString oodName, precision;
  };
  std::vector<results::RunRecord> runs_;
  std::vector<Facts> facts_;
  QString sharedOod_;
  QHash<qint64, QString> progress_;
};

}  // namespace pw::ui
