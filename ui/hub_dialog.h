// "Open from the Hub...": download a model repository from the Hugging Face Hub into the standard cache
// (core/hub, shared with Python's huggingface_hub) with a progress bar, or pick one already there (no network).
// The download runs off the GUI thread; Cancel stops it and keeps the partial file, so the next try resumes.
#pragma once
#include <QDialog>
#include <QFutureWatcher>
#include <QString>

#include <atomic>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace pw::ui {

struct HubOutcome;

class HubDialog : public QDialog {
  Q_OBJECT
 public:
  explicit HubDialog(QWidget* parent = nullptr);
  ~HubDialog() override;  // stops a running download and waits for it

  // What the experiment panel opens after accept(): "ORG/NAME" for the main revision (it loads by name from
  // the cache, offline), else the snapshot folder of the chosen revision.
  QString modelSource() const { return source_; }

  void setRepo(const QString& repo, const QString& revision = "main");  // as if typed
  void startDownload();         // the "Download and open" button
  bool isDownloading() const;
  bool waitForDownload(int ms);  // for tests: true once no download is running
  QString statusText() const;
  QStringList cachedRepos() const;  // the "already downloaded" list, as shown

 private:
  void refreshCached();
  void cancelOrClose();
  void onProgress(const QString& text, int permille);
  void onFinished();
  void updateButtons();

  QLineEdit* repo_ = nullptr;
  QLineEdit* revision_ = nullptr;
  QLabel* cachedLabel_ = nullptr;
  QListWidget* cached_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* download_ = nullptr;
  QPushButton* openCached_ = nullptr;
  QPushButton* close_ = nullptr;
  QFutureWatcher<std::shared_ptr<HubOutcome>> watcher_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  QString source_;
};

}  // namespace pw::ui
