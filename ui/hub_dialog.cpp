// The Hub dialog (see hub_dialog.h).
#include "hub_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "hub/hub_cache.h"
#include "hub/hub_download.h"
#include "util/error_text.h"

namespace pw::ui {

struct HubOutcome {
  hub::DownloadResult result;
  QString error;  // empty on success
  bool cancelled = false;
};

namespace {

QString byteSize(long long bytes) { return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }

QString progressText(const hub::DownloadProgress& p) {
  QString s = QString("%1 (file %2 of %3): %4 of %5")
                  .arg(QString::fromStdString(p.file)).arg(p.fileIndex).arg(p.fileCount)
                  .arg(byteSize(p.totalDone), byteSize(p.totalSize));
  if (p.bytesPerSecond > 0) s += QString(", %1/s").arg(byteSize((long long)p.bytesPerSecond));
  return s;
}

}  // namespace

HubDialog::HubDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle("Open from the Hugging Face Hub");
  auto* v = new QVBoxLayout(this);
  const QString cache = QString::fromStdString(hub::cacheDir());
  auto* intro = new QLabel(
      QString("Downloads a model repository (its config, tokenizer and one set of weights) into the Hugging Face "
              "cache <tt>%1</tt>, which Python's transformers shares. A model already there opens without the "
              "network. An interrupted download resumes where it stopped.")
          .arg(cache.toHtmlEscaped()));
  intro->setWordWrap(true);
  v->addWidget(intro);
  if (hub::offline()) {
    auto* off = new QLabel("HF_HUB_OFFLINE is set: nothing is downloaded; only models already in the cache open.");
    off->setWordWrap(true);
    off->setStyleSheet("color: #a15c00;");
    v->addWidget(off);
  }

  auto* form = new QFormLayout();
  repo_ = new QLineEdit();
  repo_->setPlaceholderText("ORG/NAME, e.g. prajjwal1/bert-tiny");
  repo_->setToolTip("A model repository on the Hub (" + QString::fromStdString(hub::endpoint()) +
                    "): a BERT-, RoBERTa- or GPT-2-style model, or a PEFT adapter");
  revision_ = new QLineEdit("main");
  revision_->setToolTip("A branch, a tag or a commit hash");
  form->addRow("Repository:", repo_);
  form->addRow("Revision:", revision_);
  v->addLayout(form);

  cachedLabel_ = new QLabel();
  v->addWidget(cachedLabel_);
  cached_ = new QListWidget();
  cached_->setMaximumHeight(120);
  v->addWidget(cached_);

  bar_ = new QProgressBar();
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  bar_->setTextVisible(false);
  bar_->setVisible(false);  // shown once a download starts
  status_ = new QLabel();
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  v->addWidget(bar_);
  v->addWidget(status_);

  auto* buttons = new QDialogButtonBox();
  download_ = buttons->addButton("Download and open", QDialogButtonBox::AcceptRole);
  openCached_ = buttons->addButton("Open downloaded", QDialogButtonBox::ActionRole);
  close_ = buttons->addButton(QDialogButtonBox::Cancel);
  download_->setDefault(true);
  v->addWidget(buttons);
  // The box's own accepted/rejected signals are not used: a download must finish before the dialog closes.
  connect(download_, &QPushButton::clicked, this, &HubDialog::startDownload);
  connect(close_, &QPushButton::clicked, this, &HubDialog::cancelOrClose);
  connect(openCached_, &QPushButton::clicked, this, [this] {
    if (auto* item = cached_->currentItem()) {
      setRepo(item->text());
      startDownload();  // cached at "main": answered from the cache (and refreshed when online)
    }
  });
  connect(cached_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    setRepo(item->text());
    startDownload();
  });
  connect(cached_, &QListWidget::currentItemChanged, this, [this] { updateButtons(); });
  connect(repo_, &QLineEdit::textChanged, this, [this] { updateButtons(); });
  connect(&watcher_, &QFutureWatcher<std::shared_ptr<HubOutcome>>::finished, this, &HubDialog::onFinished);
  refreshCached();
  updateButtons();
  resize(560, sizeHint().height());
}

HubDialog::~HubDialog() {
  if (cancel_) cancel_->store(true);
  watcher_.waitForFinished();
}

void HubDialog::refreshCached() {
  cached_->clear();
  for (const auto& r : hub::cachedRepos()) cached_->addItem(QString::fromStdString(r));
  const bool any = cached_->count() > 0;
  cachedLabel_->setText(any ? "Already downloaded (double-click to open):" : "Already downloaded: nothing yet.");
  cached_->setVisible(any);
}

void HubDialog::setRepo(const QString& repo, const QString& revision) {
  repo_->setText(repo.trimmed());
  revision_->setText(revision.trimmed().isEmpty() ? "main" : revision.trimmed());
}

bool HubDialog::isDownloading() const { return watcher_.isRunning(); }

QString HubDialog::statusText() const { return status_->text(); }

QStringList HubDialog::cachedRepos() const {
  QStringList out;
  for (int i = 0; i < cached_->count(); ++i) out << cached_->item(i)->text();
  return out;
}

void HubDialog::updateButtons() {
  const bool busy = isDownloading();
  download_->setEnabled(!busy && !repo_->text().trimmed().isEmpty());
  openCached_->setEnabled(!busy && cached_->currentItem() != nullptr);
  repo_->setEnabled(!busy);
  revision_->setEnabled(!busy);
  cached_->setEnabled(!busy);
  close_->setText(busy ? "Stop" : "Cancel");
}

void HubDialog::startDownload() {
  if (isDownloading()) return;
  const QString repo = repo_->text().trimmed();
  const QString revision = revision_->text().trimmed().isEmpty() ? "main" : revision_->text().trimmed();
  if (!hub::isRepoId(repo.toStdString())) {
    status_->setText(QString("\"%1\" is not a Hub repository name: ORG/NAME or NAME (letters, digits, '-', '_', '.').")
                         .arg(repo));
    return;
  }
  status_->setText("Asking " + QString::fromStdString(hub::endpoint()) + " for " + repo + " ...");
  bar_->setValue(0);
  bar_->setVisible(true);
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  auto cancel = cancel_;
  QPointer<HubDialog> self(this);
  watcher_.setFuture(QtConcurrent::run([repo, revision, cancel, self]() {
    auto outcome = std::make_shared<HubOutcome>();
    hub::DownloadOptions options;
    options.revision = revision.toStdString();
    QElapsedTimer sinceUpdate;
    sinceUpdate.start();
    options.progress = [&](const hub::DownloadProgress& p) {
      // At most ~10 updates a second reach the GUI thread; the last byte of a file always does.
      if (sinceUpdate.elapsed() >= 100 || p.fileDone == p.fileSize) {
        sinceUpdate.restart();
        const QString text = progressText(p);
        const int permille = p.totalSize > 0 ? int(1000.0 * double(p.totalDone) / double(p.totalSize)) : 0;
        if (self) QMetaObject::invokeMethod(self, [self, text, permille] {
            if (self) self->onProgress(text, permille);
          }, Qt::QueuedConnection);
      }
      return !cancel->load();
    };
    try {
      outcome->result = hub::downloadRepo(repo.toStdString(), options);
    } catch (const std::exception& e) {
      outcome->cancelled = cancel->load();
      outcome->error = QString::fromStdString(pw::errorText(e));
    }
    return outcome;
  }));
  updateButtons();
}

bool HubDialog::waitForDownload(int ms) {
  QElapsedTimer t;
  t.start();
  while (isDownloading() && t.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  QCoreApplication::processEvents();  // the finished signal
  return !isDownloading();
}

void HubDialog::onProgress(const QString& text, int permille) {
  if (!isDownloading()) return;  // a late update after the end
  status_->setText(text);
  bar_->setValue(permille);
}

void HubDialog::cancelOrClose() {
  if (isDownloading()) {
    if (cancel_) cancel_->store(true);
    status_->setText("Stopping; the partial file is kept, so downloading again resumes it ...");
    return;
  }
  reject();
}

void HubDialog::onFinished() {
  const auto outcome = watcher_.result();
  updateButtons();
  if (!outcome) return;
  if (!outcome->error.isEmpty()) {
    bar_->setValue(0);
    status_->setText(outcome->cancelled ? "Stopped. Download again to resume where it stopped."
                                        : outcome->error);
    refreshCached();
    return;
  }
  const auto& r = outcome->result;
  bar_->setValue(1000);
  status_->setText(QString("%1 at %2: %3 files, %4 fetched, %5 already cached.")
                       .arg(QString::fromStdString(r.repo), QString::fromStdString(r.commit).left(12))
                       .arg(r.files.size()).arg(byteSize(r.bytesFetched), byteSize(r.bytesReused)));
  // ORG/NAME at the main revision loads by name (and is recorded so in the results). Another revision, or a
  // bare NAME (which a shipped model of that name would shadow), opens by its snapshot folder.
  const QString revision = revision_->text().trimmed();
  const QString repo = QString::fromStdString(r.repo);
  source_ = (revision.isEmpty() || revision == "main") && repo.contains('/') ? repo
                                                                              : QString::fromStdString(r.snapshot);
  accept();
}

}  // namespace pw::ui
