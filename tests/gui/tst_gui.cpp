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

    pw::ui::MainWindow window;
    window.show();
    QSignalSpy spy(&window, &pw::ui::MainWindow::modelLoaded);
    window.showModel(dir.path());
    QVERIFY(spy.wait(20000));
    QCOMPARE(spy.takeFirst().at(0).toBool(), true);
    QVERIFY(window.currentSummaryText().contains("layers:         2"));
    QVERIFY(window.currentSummaryText().contains("wordpiece"));
  }

  void badFolderShowsError() {
    QTemporaryDir dir;
    pw::ui::MainWindow window;
    QSignalSpy spy(&window, &pw::ui::MainWindow::modelLoaded);
    window.showModel(dir.path() + "/missing");
    QVERIFY(spy.wait(20000));
    QCOMPARE(spy.takeFirst().at(0).toBool(), false);
    QVERIFY(window.currentSummaryText().isEmpty());
  }
};

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
