// GUI tests (PW_GUI_TEST) of the sweep, seeds, Step and presentation mode, on the real main window under the
// offscreen platform with the tiny model and task of tests/gui: a LoRA rank sweep with two seeds gives one
// point per value with 95 % interval bands and survives a restart; the runs table groups seeds into the mean
// with its t-interval;
// Step trains exactly one step while paused; presentation mode scales fonts and pens and restores them;
// `compare --plots` and `sweep --plots` write PNG charts.
#include "../gui/gui_fixtures.cpp"  // the tiny model and task (torch headers first, then Qt)

#include "results/results_db.h"
#include "train/trainer.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

#include "charts/accuracy_bars_chart.h"
#include "charts/chart_style.h"
#include "charts/sweep_chart.h"
#include "experiment_panel.h"
#include "id_ood_tab.h"
#include "main_window.h"
#include "presentation.h"
#include "run_queue.h"
#include "runs_panel.h"
#include "seed_groups_model.h"
#include "sweep_tab.h"
#include "training_tab.h"

using pw::ui::MainWindow;

namespace {

bool isPng(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) && f.size() > 2000 && f.read(4) == QByteArray("\x89PNG");
}

pw::results::RunRecord record(qint64 id, const std::string& batch, uint64_t seed, double lr, double idAcc, double oodAcc) {
  pw::results::RunRecord r;
  r.id = id, r.batch = batch, r.model = "m", r.task = "t", r.method = "lora", r.seed = seed;
  r.knobs = {{"rank", 8}};
  pw::TrainConfig c;
  c.method = "lora", c.knobs = r.knobs, c.seed = seed, c.lr = lr;
  r.config = c.toJson();
  r.status = pw::RunStatus::Finished, r.idAccuracy = idAcc, r.oodAccuracy = oodAcc, r.wallSeconds = 10;
  return r;
}

}  // namespace

class TestGuiSweep : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString model_, task_, db_;

  void prepare(MainWindow& w, const QStringList& methods, int epochs) {
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, methods, epochs));
  }


 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("peft-workbench-tests-sweep");  // not tests/gui's settings
    QSettings().clear();
    QVERIFY(dir_.isValid());
    model_ = pw::testing::makeTinyModel(dir_.path() + "/tiny-model");
    task_ = pw::testing::makeTinyTask(dir_.path() + "/tiny-task");
    db_ = dir_.path() + "/results.sqlite";
  }

  void sweepLevelsSortAndSpread() {
    using pw::ui::SweepPoint;
    const QList<SweepPoint> points = {{1, "16", 1, 0.80, 0.70}, {2, "2", 1, 0.60, 0.50}, {3, "16", 2, 0.90, 0.60},
                                      {4, "2", 2, -1, -1}};  // no accuracy: left out
    const auto levels = pw::ui::sweepLevels(points);
    QCOMPARE(levels.size(), 2);
    QCOMPARE(levels[0].valueText, QString("2"));  // numeric order, not text order
    QCOMPARE(levels[0].idCount, 1);
    QCOMPARE(levels[1].idCount, 2);
    QVERIFY(std::abs(levels[1].idMean - 85.0) < 1e-9);
    QVERIFY(std::abs(levels[1].idStd - 7.0710678) < 1e-6);  // sample std of 80 and 90
    QVERIFY(std::abs(levels[1].oodMean - 65.0) < 1e-9);
    pw::ui::SweepChart chart;
    chart.setSweep("LoRA", "Rank r", true, points);
    QVERIFY(chart.logX());
    QCOMPARE(chart.bandCount(), 2);                   // ID and OOD: the value with two seeds spreads
    QCOMPARE(chart.bandUpper(false)->channelFillGraph(), chart.bandLower(false));
    QCOMPARE(chart.meanPointCount(), 4);
    QCOMPARE(chart.runPointCount(), 6);
    chart.setSweep("Prompt", "init", false, {{1, "vocab", 1, 0.5, 0.4}, {2, "random", 1, 0.6, 0.5}});
    QVERIFY(chart.categoricalX());
    QVERIFY(!chart.logX());
    QCOMPARE(chart.bandCount(), 0);  // one run per value: no spread to draw
  }

  void seedGroupsMeanAndStd() {
    pw::ui::RunsModel runs;
    runs.setRuns({record(1, "b1", 1, 0, 0.80, 0.60), record(2, "b1", 2, 0, 0.70, 0.50), record(3, "b1", 3, 0, 0.90, 0.70),
                  record(4, "b1", 1, 1e-3, 0.50, 0.40),  // another learning rate: another configuration
                  record(5, "b2", 1, 0, 0.80, 0.60)});   // another batch
    pw::ui::SeedGroupsModel groups(&runs);
    QCOMPARE(groups.rowCount(), 3);
    QCOMPARE(groups.runIds(0), QList<qint64>({1, 2, 3}));
    QCOMPARE(groups.rowOfRun(3), 0);
    QCOMPARE(groups.rowOfRun(4), 1);
    using C = pw::ui::RunsModel;
    QCOMPARE(groups.data(groups.index(0, C::Seed), Qt::DisplayRole).toString(), QString("3 seeds"));
    // Mean [95 % t-interval over the 3 seeds]: 80 +- t(0.975, 2) * 10 / sqrt(3) = 80 +- 24.8, kept inside 0..100.
    QCOMPARE(groups.data(groups.index(0, C::IdAccuracy), Qt::DisplayRole).toString(), QString("80.0 [55.2, 100.0]"));
    QCOMPARE(groups.data(groups.index(0, C::OodAccuracy), Qt::DisplayRole).toString(), QString("60.0 [35.2, 84.8]"));
    QCOMPARE(groups.data(groups.index(0, C::IdAccuracy), Qt::UserRole).toDouble(), 80.0);
    QCOMPARE(groups.data(groups.index(0, C::WallTime), Qt::UserRole).toDouble(), 30.0);
    // A configuration with one seed reads exactly as its run.
    QCOMPARE(groups.data(groups.index(1, C::IdAccuracy), Qt::DisplayRole).toString(), QString("50.0"));
    QCOMPARE(groups.data(groups.index(1, C::Seed), Qt::DisplayRole).toULongLong(), 1ull);
    // The groups follow the runs.
    runs.setRuns({record(1, "b1", 1, 0, 0.80, 0.60), record(2, "b1", 2, 0, 0.70, 0.50)});
    QCOMPARE(groups.rowCount(), 1);
    QCOMPARE(groups.data(groups.index(0, C::Seed), Qt::DisplayRole).toString(), QString("2 seeds"));
  }

  void sweepRunsOnePointPerValueWithBands() {
    QString batch;
    QList<qint64> sweepRuns;
    {
      MainWindow w(db_);
      w.show();
      prepare(w, {"lora"}, 1);
      pw::ui::SweepTab* sweep = w.sweepTab();
      QVERIFY(w.showTab("Sweep"));
      sweep->setMethod("prompt");
      QCOMPARE(sweep->valuesText(), QString("1, 5, 10, 20, 50"));  // the length's defaults
      sweep->setMethod("lora");
      QCOMPARE(sweep->knob(), QString("rank"));
      QCOMPARE(sweep->valuesText(), QString("1, 2, 4, 8, 16"));
      sweep->setValuesText("1, x");
      QSignalSpy requested(sweep, &pw::ui::SweepTab::runRequested);
      QTest::mouseClick(sweep->runButton(), Qt::LeftButton);
      QCOMPARE(requested.count(), 0);  // not a list of whole numbers: nothing queued
      QVERIFY(sweep->infoText().contains("not a whole number"));
      sweep->setValuesText("1, 2, 4");
      sweep->setSeeds(2);

      QSignalSpy done(&w, &MainWindow::queueFinished);
      QElapsedTimer clock;
      clock.start();
      QTest::mouseClick(sweep->runButton(), Qt::LeftButton);
      QVERIFY(w.isRunning());
      QVERIFY(!sweep->runButton()->isEnabled());
      QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
      qInfo("sweep of 3 values x 2 seeds trained in %.1f s", clock.elapsed() / 1000.0);
      QVERIFY(sweep->runButton()->isEnabled());

      // Six ordinary runs under one sweep batch, values x seeds.
      batch = sweep->shownBatch();
      QVERIFY2(batch.startsWith("gui-sweep-"), qPrintable(batch));
      std::set<std::pair<int64_t, uint64_t>> valueSeed;
      std::map<int64_t, std::vector<double>> idByValue;
      for (const auto& r : w.runsPanel()->model()->runs()) {
        if (QString::fromStdString(r.batch) != batch) continue;
        QCOMPARE(QString(pw::statusName(r.status)), QString("finished"));
        valueSeed.insert({r.knobs["rank"].get<int64_t>(), r.seed});
        idByValue[r.knobs["rank"].get<int64_t>()].push_back(r.idAccuracy);
        sweepRuns << r.id;
      }
      QCOMPARE(int(valueSeed.size()), 6);
      QVERIFY(valueSeed.count({4, 2}) == 1);

      // The chart: one mean point per value (ID and OOD), a band each, every run as a point.
      const pw::ui::SweepChart* chart = sweep->chart();
      QCOMPARE(chart->levels().size(), 3);
      QVERIFY(chart->logX());
      QCOMPARE(chart->meanPointCount(), 6);
      QCOMPARE(chart->runPointCount(), 12);
      QCOMPARE(chart->bandCount(), 2);
      for (bool ood : {false, true}) {
        QCOMPARE(chart->bandUpper(ood)->dataCount(), 3);
        QCOMPARE(chart->bandUpper(ood)->channelFillGraph(), chart->bandLower(ood));
        for (int i = 0; i < 3; ++i)
          QVERIFY((chart->bandUpper(ood)->data()->constBegin() + i)->value >=
                  (chart->bandLower(ood)->data()->constBegin() + i)->value);
      }
      int i = 0;
      for (const auto& [value, ids] : idByValue) {
        const auto& level = chart->levels()[i++];
        QCOMPARE(level.valueText, QString::number(value));
        QCOMPARE(level.idCount, 2);
        QVERIFY(std::abs(level.idMean - 50.0 * (ids[0] + ids[1])) < 1e-9);
        QVERIFY(std::abs(level.idStd - 100.0 * std::abs(ids[0] - ids[1]) / std::sqrt(2.0)) < 1e-9);
      }
      QCOMPARE(sweep->table()->rowCount(), 3);

      // Seeds grouped in the runs table (the default): one row per value with mean +- std and "2 seeds".
      pw::ui::RunsPanel* runs = w.runsPanel();
      QVERIFY(runs->groupSeeds());
      const QAbstractItemModel* shown = runs->shownModel();
      int groupRows = 0;
      for (int row = 0; row < shown->rowCount(); ++row) {
        const QString seeds = shown->data(shown->index(row, pw::ui::RunsModel::Seed), Qt::DisplayRole).toString();
        if (seeds != "2 seeds") continue;
        ++groupRows;
        QVERIFY(shown->data(shown->index(row, pw::ui::RunsModel::IdAccuracy), Qt::DisplayRole).toString().contains("["));
        QVERIFY(shown->data(shown->index(row, pw::ui::RunsModel::OodAccuracy), Qt::DisplayRole).toString().contains("["));
      }
      QCOMPARE(groupRows, 3);
      const int groupedRows = shown->rowCount();
      runs->setGroupSeeds(false);
      QCOMPARE(runs->shownModel()->rowCount(), groupedRows + 3);
      runs->setGroupSeeds(true);

      // Selecting one group selects both its runs; the ID vs OOD bars get error bars over the two seeds.
      runs->selectRuns({sweepRuns.first()});
      QCOMPARE(runs->selectedRunIds().size(), 2);
      QVERIFY(w.showTab("ID vs OOD"));
      QTRY_COMPARE(w.idOodTab()->bars()->groups().size(), 1);
      QCOMPARE(w.idOodTab()->bars()->groups().first().idCount, 2);
      QCOMPARE(w.idOodTab()->bars()->errorBarCount(), 2);
    }
    // After a restart the sweep is read back from the database and can be picked again.
    MainWindow w(db_);
    w.show();
    QVERIFY(w.sweepTab()->sweepBatches().contains(batch));
    w.sweepTab()->showBatch(batch);
    QVERIFY(w.showTab("Sweep"));
    QTRY_COMPARE(w.sweepTab()->chart()->levels().size(), 3);
    QCOMPARE(w.sweepTab()->chart()->bandCount(), 2);
    QCOMPARE(w.sweepTab()->valuesText(), QString("1, 2, 4"));  // the edited values are remembered too
  }

  void stepTrainsExactlyOneStepWhilePaused() {
    MainWindow w(db_);
    w.show();
    prepare(w, {"ft"}, 4);  // 48 examples, batch 16: 12 steps
    QSignalSpy done(&w, &MainWindow::queueFinished);
    QSignalSpy steps(w.queue(), &pw::ui::RunQueue::stepped);
    pw::ui::TrainingTab* tab = w.trainingTab();
    QVERIFY(!tab->stepButton()->isEnabled());
    w.startRun();
    QVERIFY(!tab->stepButton()->isEnabled());  // running: Step is for a paused run
    QTest::mouseClick(tab->pauseButton(), Qt::LeftButton);
    QVERIFY(tab->stepButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() == 1, 30000);  // held after its first step
    QTest::qWait(300);
    QCOMPARE(steps.count(), 1);
    for (int expected = 2; expected <= 3; ++expected) {
      QTest::mouseClick(tab->stepButton(), Qt::LeftButton);
      QTRY_VERIFY_WITH_TIMEOUT(steps.count() == expected, 10000);
      QTest::qWait(300);
      QCOMPARE(steps.count(), expected);  // exactly one, then paused again
      QCOMPARE(steps.last().at(1).value<pw::StepEvent>().step, qint64(expected));
      QVERIFY(w.queue()->isPaused());
    }
    QTest::mouseClick(tab->pauseButton(), Qt::LeftButton);  // resume: runs to its end
    QVERIFY(!tab->stepButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
    QCOMPARE(steps.count(), int(steps.last().at(1).value<pw::StepEvent>().totalSteps));
  }

  void presentationModeScalesAndRestores() {
    MainWindow w(db_);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.showTab("Sweep"));
    pw::ui::SweepChart* chart = w.sweepTab()->chart();
    const QList<pw::ui::SweepPoint> points = {{1, "1", 1, 0.7, 0.6}, {2, "1", 2, 0.8, 0.5}, {3, "4", 1, 0.9, 0.7}};
    chart->setSweep("LoRA", "Rank r", true, points);
    chart->replot();
    QCPGraph* mean = nullptr;
    for (int i = 0; i < chart->graphCount(); ++i)
      if (chart->graph(i)->lineStyle() != QCPGraph::lsNone && chart->graph(i)->pen().style() != Qt::NoPen)
        mean = chart->graph(i);
    QVERIFY(mean);
    const double pen = mean->pen().widthF(), marker = mean->scatterStyle().size();
    const double axisFont = chart->yAxis->labelFont().pointSizeF();
    const double windowFont = w.font().pointSizeF(), tableFont = w.runsPanel()->view()->font().pointSizeF();
    const double headerFont = w.runsPanel()->view()->horizontalHeader()->font().pointSizeF();
    const QColor tickColour = chart->yAxis->tickLabelColor();
    auto* dock = w.findChild<QDockWidget*>("experimentDock");
    QVERIFY(dock && dock->isVisible());
    QCOMPARE(pw::ui::chartFontScale(), 1.0);

    w.presentation()->action()->trigger();  // F11
    QVERIFY(w.presentation()->isOn());
    QCOMPARE(pw::ui::chartFontScale(), pw::ui::PresentationMode::kChartFontScale);
    QVERIFY(std::abs(chart->yAxis->labelFont().pointSizeF() - axisFont * pw::ui::PresentationMode::kChartFontScale) < 1e-6);
    QVERIFY(w.font().pointSizeF() > windowFont);
    QVERIFY(w.runsPanel()->view()->font().pointSizeF() > tableFont);
    QVERIFY2(w.runsPanel()->view()->horizontalHeader()->font().pointSizeF() > headerFont,
             qPrintable(QString("header %1 -> %2").arg(headerFont).arg(w.runsPanel()->view()->horizontalHeader()->font().pointSizeF())));
    QCOMPARE(chart->yAxis->tickLabelColor(), QColor(Qt::black));
    chart->replot();
    QCOMPARE(mean->pen().widthF(), pen * pw::ui::PresentationMode::kLineScale);
    QVERIFY(mean->scatterStyle().size() > marker);
    QVERIFY(!dock->isVisible());
    QVERIFY(w.isFullScreen());
    QVERIFY(QSettings().value("view/presentation").toBool());
    // A chart rebuilt while the mode is on gets thick lines too.
    chart->setSweep("LoRA", "Rank r", true, points);
    chart->replot();
    for (int i = 0; i < chart->graphCount(); ++i)
      if (chart->graph(i)->lineStyle() != QCPGraph::lsNone && chart->graph(i)->pen().style() != Qt::NoPen)
        QCOMPARE(chart->graph(i)->pen().widthF(), pen * pw::ui::PresentationMode::kLineScale);

    w.presentation()->action()->trigger();  // and back
    QVERIFY(!w.presentation()->isOn());
    QCOMPARE(pw::ui::chartFontScale(), 1.0);
    QVERIFY(std::abs(chart->yAxis->labelFont().pointSizeF() - axisFont) < 1e-6);
    QCOMPARE(w.font().pointSizeF(), windowFont);
    QCOMPARE(w.runsPanel()->view()->font().pointSizeF(), tableFont);
    QCOMPARE(w.runsPanel()->view()->horizontalHeader()->font().pointSizeF(), headerFont);
    QCOMPARE(chart->yAxis->tickLabelColor(), tickColour);
    chart->replot();
    for (int i = 0; i < chart->graphCount(); ++i)
      if (chart->graph(i)->lineStyle() != QCPGraph::lsNone && chart->graph(i)->pen().style() != Qt::NoPen) {
        QCOMPARE(chart->graph(i)->pen().widthF(), pen);
        QCOMPARE(chart->graph(i)->scatterStyle().size(), marker);
      }
    QTRY_VERIFY(dock->isVisible());
    QVERIFY(!w.isFullScreen());
    QVERIFY(!QSettings().value("view/presentation").toBool());

  }

  void presentationModeIsRemembered() {
    {
      MainWindow w(db_);
      w.presentation()->setOn(true);
    }  // closed in presentation mode
    QCOMPARE(pw::ui::chartFontScale(), 1.0);
    MainWindow w(db_);
    w.show();
    QTRY_VERIFY(w.presentation()->isOn());
    // (Full screen is checked above; here the offscreen platform may override the restored window's state.)
    QCOMPARE(pw::ui::chartFontScale(), pw::ui::PresentationMode::kChartFontScale);
    QVERIFY(!w.findChild<QDockWidget*>("experimentDock")->isVisible());
    w.presentation()->setOn(false);
    QCOMPARE(pw::ui::chartFontScale(), 1.0);
    QVERIFY(!w.isFullScreen());
    QTRY_VERIFY(w.findChild<QDockWidget*>("experimentDock")->isVisible());
  }

  void cliPlotsWritePngs() {
    const QString out = dir_.path() + "/plots";
    auto cli = [&](const QStringList& args, QString* err) {
      QProcess p;
      p.start(PW_CLI_PATH, args);
      if (!p.waitForFinished(120000)) return -1;
      *err = QString::fromUtf8(p.readAllStandardError());
      return p.exitCode();
    };
    QString err;
    const int rc = cli({"compare", "--model", model_, "--task", task_, "--methods", "lp,lora", "--preset", "quick",
                        "--epochs", "1", "--no-db", "--out", out + "/compare", "--plots"},
                       &err);
    if (rc != 0 && err.contains("built without")) QSKIP("peft-workbench-cli was built without the GUI libraries");
    QVERIFY2(rc == 0, qPrintable(err));
    for (const QString& f : {"id-ood-bars.png", "id-vs-ood.png", "accuracy-vs-params.png", "loss-curves.png"})
      QVERIFY2(isPng(out + "/compare/" + f), qPrintable(f));
    QVERIFY(QFile::exists(out + "/compare/results.csv"));
    QVERIFY(!QFile::exists(out + "/compare/sweep.png"));

    QVERIFY2(cli({"sweep", "--model", model_, "--task", task_, "--method", "prompt", "--values", "2,4", "--preset",
                  "quick", "--epochs", "1", "--no-db", "--out", out + "/sweep", "--plots"},
                 &err) == 0,
             qPrintable(err));
    QVERIFY(isPng(out + "/sweep/sweep.png"));
    QVERIFY(isPng(out + "/sweep/id-ood-bars.png"));

    // --plots without a folder to put them in: refused before anything trains.
    QCOMPARE(cli({"compare", "--model", model_, "--task", task_, "--methods", "lp", "--no-db", "--plots"}, &err), 1);
    QVERIFY2(err.contains("--out"), qPrintable(err));
  }
};

QTEST_MAIN(TestGuiSweep)
#include "tst_gui_sweep.moc"
