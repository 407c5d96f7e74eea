// GUI tests (PW_GUI_TEST) of the queue running side by side and of the tune dialog, on the real main window
// under the offscreen platform with the tiny model and task of tests/gui: with "side by side" at 2, two runs
// train at once, every run records its curves and finals, the live chart holds them all; the tune dialog
// runs a grid x seeds on the validation split, records every run under its batch, and "Use these rates" puts
// its choice into the panel; the Training box shows each method's per-preset default rates.
#include "../gui/gui_fixtures.cpp"  // the tiny model and task (torch headers first, then Qt)

#include "results/results_db.h"
#include "train/trainer.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "charts/loss_chart.h"
#include "experiment_panel.h"
#include "main_window.h"
#include "methods/default_rates.h"
#include "run_queue.h"
#include "training_tab.h"
#include "tune_dialog.h"

using pw::ui::MainWindow;

class TestGuiQueue : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString model_, task_, db_;

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("peft-workbench-tests");
    QSettings().clear();
    QVERIFY(dir_.isValid());
    model_ = pw::testing::makeTinyModel(dir_.path() + "/tiny-model");
    task_ = pw::testing::makeTinyTask(dir_.path() + "/tiny-task");
    db_ = dir_.path() + "/results.sqlite";
  }

  void runsSideBySideRecordEverything() {
    MainWindow w(db_);
    w.show();
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, {"ft", "bitfit", "lora"}, 2));
    w.panel()->setParallelRuns(2);
    QCOMPARE(w.panel()->parallelRuns(3), 2);
    QSignalSpy started(w.queue(), &pw::ui::RunQueue::runStarted);
    QSignalSpy finished(w.queue(), &pw::ui::RunQueue::runFinished);
    QSignalSpy done(&w, &MainWindow::queueFinished);
    int mostAtOnce = 0;
    connect(w.queue(), &pw::ui::RunQueue::stepped, this,
            [&] { mostAtOnce = std::max(mostAtOnce, w.queue()->runningCount()); });
    w.startRun();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
    QCOMPARE(started.count(), 3);
    QCOMPARE(finished.count(), 3);
    QCOMPARE(mostAtOnce, 2);
    // Two runs started before the first one finished.
    QCOMPARE(w.queue()->parallel(), 2);

    pw::results::ResultsDb db(db_.toStdString());
    std::set<qint64> ids;
    for (const auto& args : finished) {
      QCOMPARE(args.at(1).toString(), QString("finished"));
      ids.insert(args.at(0).toLongLong());
    }
    QCOMPARE(int(ids.size()), 3);
    for (qint64 id : ids) {
      QVERIFY(db.getRun(id).has_value());
      const pw::results::RunRecord r = *db.getRun(id);
      QCOMPARE(QString(pw::statusName(r.status)), QString("finished"));
      QVERIFY(r.idAccuracy >= 0);
      QVERIFY(!db.curve(id, "train_loss").empty());
      QVERIFY(!db.curve(id, "val_acc").empty());
      QVERIFY(w.trainingTab()->chart()->hasRun(id));
      // The record holds the rates the run trained at, not 0 ("the default").
      const pw::TrainConfig c = pw::TrainConfig::fromJson(r.config);
      QVERIFY(c.lr > 0 && c.headLr > 0);
      const pw::DefaultRates d = pw::defaultRates(c.method, "quick");
      QCOMPARE(c.lr, d.lr);
      QCOMPARE(c.headLr, d.headLr);
    }
  }

  void tuneDialogPicksOnValidationAndFillsThePanel() {
    MainWindow w(db_);
    w.show();
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, {"bitfit"}, 1));
    w.panel()->selectMethod("bitfit");
    w.panel()->setSeeds(1);
    // The Training box names the default rates of the selected method at the preset.
    const pw::DefaultRates d = pw::defaultRates("bitfit", "quick");
    bool hinted = false;
    for (QLabel* l : w.panel()->findChildren<QLabel*>())
      hinted |= l->text().contains("Defaults for BitFit") && l->text().contains(QString::number(d.lr, 'g', 3));
    QVERIFY(hinted);

    w.panel()->selectMethod("lp");
    QVERIFY(w.openTuneDialog() == nullptr);  // no learning rate to tune
    QVERIFY(w.messageText().contains("L-BFGS"));
    w.panel()->selectMethod("bitfit");

    pw::ui::TuneDialog* dialog = w.openTuneDialog();
    QVERIFY(dialog);
    dialog->setRates("lr");
    dialog->setSeeds(2);
    dialog->setGrid({1e-3, 1e-2});
    QSignalSpy tuned(dialog, &pw::ui::TuneDialog::tuneFinished);
    dialog->start();
    QVERIFY(dialog->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(tuned.count() == 1, 120000);
    QCOMPARE(tuned.first().first().toString(), QString("finished"));
    QVERIFY(dialog->hasChoice());
    const pw::TuneResult& t = dialog->result();
    QCOMPARE(int(t.passes.size()), 1);
    const int points = int(t.passes[0].choice.points.size());
    QVERIFY(points >= 2);
    auto* table = dialog->findChild<QTableWidget*>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), points);
    bool marked = false;
    for (int r = 0; r < table->rowCount(); ++r) marked |= table->item(r, 4)->text().startsWith("chosen");
    QVERIFY(marked);

    // Every run is recorded under the dialog's batch, two seeds per point.
    pw::results::ResultsDb db(db_.toStdString());
    int inBatch = 0;
    for (const auto& r : db.listRuns()) inBatch += QString::fromStdString(r.batch) == dialog->batch();
    QCOMPARE(inBatch, 2 * points);

    const double chosen = t.passes[0].chosenRate();
    QVERIFY(chosen > 0);
    auto* buttons = dialog->findChild<QDialogButtonBox*>();
    QPushButton* use = nullptr;
    for (QAbstractButton* b : buttons->buttons())
      if (b->text() == "Use these rates") use = qobject_cast<QPushButton*>(b);
    QVERIFY(use && use->isEnabled());
    use->click();
    QCOMPARE(w.panel()->rate(), chosen);
    QCOMPARE(w.panel()->headRate(), 0.0);  // not tuned: still the method's default
    QCOMPARE(w.panel()->configFor("bitfit", 1).effectiveLr(), chosen);
    QVERIFY(w.messageText().contains("chosen on the validation split"));
  }

  // LP-FT's stage-2 factor is offered beside the rates; its choice goes into the method's knob.
  void tuneDialogTunesTheLpFtFactor() {
    MainWindow w(db_);
    w.show();
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, {"lp-ft"}, 1));
    w.panel()->selectMethod("lp-ft");
    // The knob box shows (and a run takes) the preset's tuned factor until the user sets one.
    auto* factorBox = w.panel()->knobBox()->findChild<QDoubleSpinBox*>();
    QVERIFY(factorBox);
    w.panel()->setPreset("standard");
    QCOMPARE(w.panel()->knobs("lp-ft").value("lr_factor", 0.0), 0.3);
    QCOMPARE(w.panel()->knobBox()->findChild<QDoubleSpinBox*>()->value(), 0.3);
    QCOMPARE(w.panel()->configFor("lp-ft", 1).knobs.value("lr_factor", 0.0), 0.3);
    w.panel()->setPreset("quick");
    QCOMPARE(w.panel()->knobs("lp-ft").value("lr_factor", 0.0), 1.0);
    QCOMPARE(w.panel()->knobBox()->findChild<QDoubleSpinBox*>()->value(), 1.0);
    pw::ui::TuneDialog* dialog = w.openTuneDialog();
    QVERIFY(dialog);
    auto* combo = dialog->findChild<QComboBox*>();
    QVERIFY(combo && combo->findData("lr_factor") >= 0);
    dialog->setRates("lr_factor");
    dialog->setGrid({0.1, 1.0});
    QSignalSpy tuned(dialog, &pw::ui::TuneDialog::tuneFinished);
    dialog->start();
    QTRY_VERIFY_WITH_TIMEOUT(tuned.count() == 1, 120000);
    QCOMPARE(tuned.first().first().toString(), QString("finished"));
    const auto factors = dialog->chosenFactors();
    QCOMPARE(int(factors.size()), 1);
    QCOMPARE(factors[0].first, std::string("lr_factor"));
    QVERIFY(factors[0].second > 0 && factors[0].second <= 1.0);  // inside the knob's range, however it widened
    dialog->accept();
    QCOMPARE(w.panel()->knobs("lp-ft").value("lr_factor", 0.0), factors[0].second);
    QVERIFY(w.messageText().contains("lr_factor"));
  }

  void tuneDialogStopsWhenClosed() {
    MainWindow w(db_);
    w.show();
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, {"ft"}, 3));
    w.panel()->selectMethod("ft");
    pw::ui::TuneDialog* dialog = w.openTuneDialog();
    QVERIFY(dialog);
    QSignalSpy tuned(dialog, &pw::ui::TuneDialog::tuneFinished);
    dialog->start();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->progressText().startsWith("Run 1"), 60000);
    dialog->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(tuned.count() == 1, 60000);
    QCOMPARE(tuned.first().first().toString(), QString("cancelled"));
    QVERIFY(!dialog->hasChoice());
    dialog->close();
  }
};

QTEST_MAIN(TestGuiQueue)
#include "tst_gui_queue.moc"
