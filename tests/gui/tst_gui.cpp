// GUI tests (PW_GUI_TEST): the main window opens, shows a model folder's summary loaded off the GUI thread,
// and reports a bad folder in its message bar instead of crashing.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "main_window.h"
#include "models/model_folder.h"

class TestGui : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void showsModelSummary() {
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString();
    pw::TransformerModel m(pw::makeConfig(pw::Family::Bert, 12, 2, 16, 2, 32));
    pw::saveModel(*m, folder);
    std::ofstream vocab(folder + "/vocab.txt");
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "heart", "pumps", "blood", ".", "a", "b"})
      vocab << t << "\n";
    vocab.close();

    pw::ui::MainWindow window;  // may start loading the default shipped model first
    window.show();
    window.showModel(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(window.currentSummaryText().contains(dir.path()), 20000);
    QVERIFY(window.currentSummaryText().contains("layers:         2"));
    QVERIFY(window.currentSummaryText().contains("wordpiece"));
  }

  void badFolderShowsError() {
    QTemporaryDir dir;
    pw::ui::MainWindow window;
    window.showModel(dir.path() + "/missing");
    QTRY_VERIFY_WITH_TIMEOUT(window.messageText().contains("no model folder"), 20000);
    QVERIFY(window.messageText().contains("missing"));
    QVERIFY(window.currentSummaryText().isEmpty());
  }
};

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
