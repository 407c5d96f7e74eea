// The workbench's main window. For now: pick a shipped model or open a model folder and see its summary.
// (The experiment panel, runs table and charts are built on this window; see docs/UX.md.)
#pragma once
#include <QFutureWatcher>
#include <QMainWindow>
#include <QString>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace pw::ui {

// The result of loading a model summary off the GUI thread.
struct SummaryResult {
  QString source;
  QString error;  // empty on success
  QString text;
  QList<QPair<QString, QString>> rows;
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a model's summary (shipped name or folder) in the background; modelLoaded() fires when done.
  void showModel(const QString& nameOrFolder);
  QString currentSummaryText() const;
  QString messageText() const;  // what the message bar says (empty when hidden)

 Q_SIGNALS:
  void modelLoaded(bool ok);

 private Q_SLOTS:
  void openModelFolder();
  void onSummaryReady();

 private:
  void buildUi();
  void showMessage(const QString& text, bool error);

  QComboBox* modelBox_ = nullptr;
  QTableWidget* summaryTable_ = nullptr;
  QLabel* messageBar_ = nullptr;
  QLabel* titleLabel_ = nullptr;
  QFutureWatcher<SummaryResult> watcher_;
  QString lastText_;
};

}  // namespace pw::ui
