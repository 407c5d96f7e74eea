// "Import dataset...": pick a CSV / TSV / JSON Lines file or a folder of split files, choose the text and
// label columns, see a preview and what the importer makes of it (classes, split sizes, notes, or the
// error with file and line). On accept the task is written as a plain CSV folder (text,label per split)
// under the workbench's data folder, so every later run reads exactly what was previewed.
#pragma once
#include <QDialog>
#include <QFutureWatcher>
#include <QString>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;
class QDialogButtonBox;

namespace pw::ui {

struct ImportCheck;

class ImportDialog : public QDialog {
  Q_OBJECT
 public:
  // `tasksDir`: where imported tasks are written (one folder per task name).
  ImportDialog(const QString& tasksDir, QWidget* parent = nullptr);
  ~ImportDialog() override;

  void setSource(const QString& path);  // as if picked
  void setColumns(const QString& text, const QString& label);
  QString importedFolder() const { return imported_; }  // after accept()
  QString statusText() const;
  bool waitForCheck(int ms);  // for tests
  void accept() override;    // writes the task folder, then closes

 private:
  void pickFile();
  void pickFolder();
  void loadColumns();
  void check();
  void onChecked();
  void markColumns(const QString& text, const QString& label);  // "review -> text" in the preview's header

  QString tasksDir_;
  QLineEdit* path_ = nullptr;
  QLineEdit* name_ = nullptr;
  QComboBox* textColumn_ = nullptr;
  QComboBox* labelColumn_ = nullptr;
  QTableWidget* preview_ = nullptr;
  QLabel* status_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
  QFutureWatcher<std::shared_ptr<ImportCheck>> watcher_;
  std::shared_ptr<ImportCheck> result_;
  QString imported_;
  bool recheck_ = false;
};

}  // namespace pw::ui
