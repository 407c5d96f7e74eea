// GUI tests of "Open from the Hub..." (PW_GUI_TEST) against a fake Hub on 127.0.0.1 (nothing reaches the
// internet): a download shows its progress and opens the model in the panel by name; a stop keeps the partial
// file and the next download resumes it; a missing repository is one clear message and the dialog stays open;
// what is cached is listed, opens with HF_HUB_OFFLINE set and no server, and appears in the panel's model list.
// pw-test-libs: pw_test_fake_hub
#include "../gui/gui_fixtures.cpp"  // the tiny model of the GUI tests (torch headers first)

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

#include "../common/fake_hub.h"
#include "experiment_panel.h"
#include "hub/hub_cache.h"
#include "hub_dialog.h"

namespace {

const std::string kCommit = "fedcba9876543210fedcba9876543210fedcba98";

std::vector<pwtest::FakeHub::File> folderFiles(const QString& folder) {
  std::vector<pwtest::FakeHub::File> files;
  for (const QString& name : QDir(folder).entryList(QDir::Files)) {
    QFile f(folder + "/" + name);
    f.open(QIODevice::ReadOnly);
    files.push_back({name.toStdString(), f.readAll().toStdString(), name.endsWith(".safetensors")});
  }
  return files;
}

bool waitFor(const std::function<bool()>& done, int ms) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  return done();
}

}  // namespace

class TestGuiHub : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::unique_ptr<pwtest::FakeHub> hub_;
  QString cache_;

 private Q_SLOTS:
  void initTestCase() {
    cache_ = dir_.path() + "/cache";
    hub_ = std::make_unique<pwtest::FakeHub>();
    hub_->serveRepo("org/tiny", kCommit, folderFiles(pw::testing::makeTinyModel(dir_.path() + "/model")));
    setenv("HF_ENDPOINT", hub_->url().c_str(), 1);
    setenv("HF_HUB_CACHE", cache_.toUtf8().constData(), 1);
    unsetenv("HF_HUB_OFFLINE");
  }

  void aMissingRepositoryIsOneMessage() {
    pw::ui::HubDialog dialog;
    dialog.setRepo("org/missing");
    dialog.startDownload();
    QVERIFY(dialog.waitForDownload(30000));
    QVERIFY2(dialog.statusText().contains("org/missing") && dialog.statusText().contains("404"),
             qPrintable(dialog.statusText()));
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(dialog.modelSource().isEmpty());
    dialog.setRepo("not a/name/at all");
    dialog.startDownload();
    QVERIFY(!dialog.isDownloading());
    QVERIFY2(dialog.statusText().contains("not a Hub repository name"), qPrintable(dialog.statusText()));
  }

  void aStoppedDownloadResumes() {
    pw::ui::HubDialog dialog;
    dialog.setRepo("org/tiny");
    hub_->setDelayMs(400);  // the click below lands while the first answer is on its way
    dialog.startDownload();
    // "Stop" (the Cancel button while a download runs): the dialog stays open and says how to go on.
    QPushButton* stop = nullptr;
    for (auto* b : dialog.findChildren<QPushButton*>())
      if (b->text() == "Stop") stop = b;
    QVERIFY(stop);
    stop->click();
    QVERIFY(dialog.waitForDownload(30000));
    hub_->setDelayMs(0);
    QVERIFY2(dialog.statusText().startsWith("Stopped"), qPrintable(dialog.statusText()));
    QVERIFY(dialog.modelSource().isEmpty());
    QVERIFY(!pw::hub::cachedSnapshot("org/tiny", "main", cache_.toStdString()));  // nothing half-linked
  }

  void downloadOpensTheModelByName() {
    pw::ui::ExperimentPanel panel(dir_.path() + "/tasks");
    pw::ui::HubDialog dialog;
    dialog.setRepo("org/tiny");
    hub_->clearRequests();
    dialog.startDownload();
    QVERIFY(dialog.waitForDownload(60000));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.modelSource(), QString("org/tiny"));
    QVERIFY2(dialog.statusText().contains("org/tiny at " + QString::fromStdString(kCommit).left(12)),
             qPrintable(dialog.statusText()));
    int gets = 0;
    for (const auto& r : hub_->requests()) gets += r.method == "GET" && r.path.find("/resolve/") != std::string::npos;
    QVERIFY(gets > 0);
    panel.setModelSource(dialog.modelSource());
    QVERIFY(waitFor([&] { return !panel.isLoading() && !panel.modelInfo().source.isEmpty(); }, 30000));
    QVERIFY2(panel.modelInfo().error.isEmpty(), qPrintable(panel.modelInfo().error));
    QVERIFY2(panel.modelInfo().oneLine.startsWith("BERT-style encoder, 2 layers"), qPrintable(panel.modelInfo().oneLine));
    QCOMPARE(panel.modelSource(), QString("org/tiny"));
  }

  void cachedModelsOpenOffline() {
    hub_.reset();  // no server at all from here on
    setenv("HF_HUB_OFFLINE", "1", 1);
    pw::ui::HubDialog dialog;
    QCOMPARE(dialog.cachedRepos(), QStringList{"org/tiny"});
    dialog.setRepo("org/tiny");
    dialog.startDownload();
    QVERIFY(dialog.waitForDownload(30000));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.modelSource(), QString("org/tiny"));
    // A new panel lists the cached model after the shipped ones, marked as from the Hub.
    pw::ui::ExperimentPanel panel(dir_.path() + "/tasks");
    QComboBox* models = nullptr;
    for (auto* box : panel.findChildren<QComboBox*>())
      if (box->findData("org/tiny") >= 0) models = box;
    QVERIFY(models);
    QVERIFY(models->findData("tiny-bert") >= 0);
    const int i = models->findData("org/tiny");
    QCOMPARE(models->itemText(i), QString("org/tiny (Hub)"));
    unsetenv("HF_HUB_OFFLINE");
  }
};

QTEST_MAIN(TestGuiHub)
#include "tst_gui_hub.moc"
