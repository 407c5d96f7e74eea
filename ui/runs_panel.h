// The runs table (bottom dock): every run in the results database, sortable; the selected rows are what
// the charts overlay (none selected: the latest batch). Delete and CSV export from buttons and the
// context menu.
#pragma once
#include <QList>
#include <QWidget>

#include "runs_model.h"

class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace pw::ui {

class SeedGroupsModel;

class RunsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunsPanel(QWidget* parent = nullptr);

  RunsModel* model() const { return model_; }
  QTableView* view() const { return view_; }
  // Replaces the rows and keeps the selection (by run id).
  void setRuns(std::vector<results::RunRecord> runs);
  QList<qint64> selectedRunIds() const;
  void selectRuns(const QList<qint64>& ids);
  void setShowingText(const QString& text);  // "Charts show: ..."
  // One row per configuration with its seeds' mean +- std (default on, remembered); a selected group
  // row selects all its runs.
  void setGroupSeeds(bool on);
  bool groupSeeds() const;
  QAbstractItemModel* shownModel() const;  // what the table shows: the runs, or the seed groups

 Q_SIGNALS:
  void selectionChanged();
  void deleteRequested(const QList<qint64>& ids);

 private:
  RunsModel* model_ = nullptr;
  SeedGroupsModel* groups_ = nullptr;
  QCheckBox* groupSeeds_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* view_ = nullptr;
  QLabel* showing_ = nullptr;
  bool restoringSelection_ = false;
};

}  // namespace pw::ui
