// GUI tests (PW_GUI_TEST), driving the real main window under the offscreen platform: the model summary
// loads off the GUI thread and a bad folder shows in the message bar; two methods train on a tiny model
// and task (loss points arrive, the runs table shows ID and OOD accuracy, the parameter charts show the
// accounting's numbers, the event loop never stalls > 100 ms); Stop keeps the finished run; runs persist
// and every chart / table exports; the import dialog; settings survive a restart.
#include "data/task.h"
#include "gui_fixtures.h"
#include "methods/catalog.h"
#include "models/model_folder.h"
#include "results/results_db.h"
#include "train/trainer.h"

#include <QElapsedTimer>
#include <QGroupBox>
#include <QScrollArea>
#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "charts/accuracy_bars_chart.h"
#include "charts/axis_range.h"
#include "charts/budget_chart.h"
#include "charts/loss_chart.h"
#include "charts/scatter_charts.h"
#include "experiment_panel.h"
#include "id_ood_tab.h"
#include "import_dialog.h"
#include "main_window.h"
#include "params_tab.h"
#include "run_queue.h"
#include "runs_panel.h"
#include "train_worker.h"
#include "training_tab.h"

using pw::ui::MainWindow;

namespace {

// How long the GUI's event loop went without running a 5 ms timer. `longest()` is the wall-clock gap;
// `longestOwn()` subtracts the time the GUI thread sat runnable waiting for a CPU (Linux schedstat), i.e. the
// part of the stall that the window's own work (or a blocking wait) caused, independent of how busy the
// shared test machine is.
class StallMeter : public QObject {
 public:
  StallMeter() {
    timer_.setInterval(5);
    connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = clock_.nsecsElapsed(), waited = runQueueWaitNs();
      longest_ = std::max(longest_, (now - last_) / 1000000);
      longestOwn_ = std::max(longestOwn_, (now - last_ - (waited - lastWaited_)) / 1000000);
      last_ = now, lastWaited_ = waited;
    });
    clock_.start();
    lastWaited_ = runQueueWaitNs();
    timer_.start();
  }
  qint64 longest() const { return longest_; }
  qint64 longestOwn() const { return longestOwn_; }

 private:
  static qint64 runQueueWaitNs() {
    QFile f("/proc/thread-self/schedstat");  // "<on cpu ns> <waiting for a cpu ns> <slices>"
    if (!f.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() >= 2 ? fields[1].toLongLong() : 0;
  }
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0, lastWaited_ = 0, longest_ = 0, longestOwn_ = 0;
};

bool fileStartsWith(const QString& path, const QByteArray& magic) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) && f.size() > 100 && f.read(magic.size()) == magic;
}

}  // namespace

class TestGui : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString model_, task_, db_;

  // A window on the test database with the tiny model and task chosen, as a user would.
  void prepare(MainWindow& w, const QStringList& methods, int epochs = 1) {
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, methods, epochs));
  }


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

  void showsModelSummary() {
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString();
    pw::TransformerModel m(pw::makeConfig(pw::Family::Bert, 12, 2, 16, 2, 32));
    pw::saveModel(*m, folder);
    std::ofstream vocab(folder + "/vocab.txt");
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "heart", "pumps", "blood", ".", "a", "b"})
      vocab << t << "\n";
    vocab.close();

    MainWindow window(db_);
    window.show();
    window.showModel(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(window.currentSummaryText().contains(dir.path()), 20000);
    QVERIFY(window.currentSummaryText().contains("layers:         2"));
    QVERIFY(window.currentSummaryText().contains("wordpiece"));
  }

  void badFolderShowsError() {
    QTemporaryDir dir;
    MainWindow window(db_);
    window.showModel(dir.path() + "/missing");
    QTRY_VERIFY_WITH_TIMEOUT(window.messageText().contains("no model folder"), 20000);
    QVERIFY(window.messageText().contains("missing"));
    QVERIFY(window.currentSummaryText().isEmpty());
  }

  void budgetFollowsKnobsBeforeTraining() {
    MainWindow w(db_);
    w.show();
    prepare(w, {"lora", "prompt"});
    auto* panel = w.panel();
    QSignalSpy budget(panel, &pw::ui::ExperimentPanel::budgetUpdated);
    panel->setKnob("lora", "rank", 4);
    QTRY_VERIFY(budget.count() > 0);
    const pw::ui::BudgetChart* chart = panel->budgetChart();
    QCOMPARE(chart->entries().size(), 2);
    for (int i = 0; i < 2; ++i) {
      const auto& e = chart->entries()[i];
      const pw::ParamBreakdown expected = pw::plannedParameters(panel->configFor(e.method, 1), 2);
      QVERIFY(e.params == expected);
      QCOMPARE(chart->drawnTotal(i), double(expected.trainable));
    }
    const int64_t rank4 = chart->entries()[0].params.group("lora");
    budget.clear();
    panel->setKnob("lora", "rank", 8);
    QTRY_VERIFY(budget.count() > 0);
    QCOMPARE(chart->entries()[0].params.group("lora"), 2 * rank4);  // r (d_in + d_out) per matrix
    QVERIFY(chart->labelText(0).contains("%"));
  }

  // The planned-parameters chart's log axis fits the bars (issue #20: 10^10 for a 6.4M-parameter FT): at
  // most one decade past the longest bar, one below the shortest, and every count label inside the chart.
  void budgetAxisFitsTheBars() {
    MainWindow w(db_);
    w.resize(1280, 800);
    w.show();
    prepare(w, {"lp", "ft", "lora"});
    pw::ui::BudgetChart* chart = w.panel()->budgetChart();
    QTRY_COMPARE(chart->entries().size(), 3);
    chart->replot();
    double most = 0, least = 1e300;
    for (const auto& e : chart->entries())
      if (e.params.trainable > 0) most = std::max(most, double(e.params.trainable)), least = std::min(least, double(e.params.trainable));
    const QCPRange x = chart->xAxis->range();
    QVERIFY2(x.upper <= most * 10 * 1.0001, qPrintable(QString("axis to %1 for %2").arg(x.upper).arg(most)));
    QVERIFY(x.upper >= most && x.lower <= least && x.lower >= least / 100);
    bool someInside = false;
    for (int i = 0; i < chart->entries().size(); ++i) someInside |= chart->labelInsideBar(i);
    qInfo("axis %g .. %g for %g .. %g parameters; a label inside its bar: %s", x.lower, x.upper, least, most,
          someInside ? "yes" : "no");
  }

  // At 1280 x 800, on the shipped default model and task, the selected method's knobs are in view without
  // scrolling, whichever method is selected (issue #20); the window is grabbed as a screenshot too.
  void knobsInViewAt1280x800() {
    MainWindow w(dir_.path() + "/fold.sqlite");
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    pw::ui::ExperimentPanel* panel = w.panel();
    panel->setModelSource("tiny-bert");  // the first start's defaults (the lines under the pickers are theirs)
    panel->setTaskSource("dictionary-fields");
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isLoading(), 20000);
    QCOMPARE(w.size(), QSize(1280, 800));
    QWidget* viewport = panel->scrollArea()->viewport();
    for (const auto& m : pw::methodCatalog()) {
      const QString name = QString::fromStdString(m.name);
      panel->selectMethod(name);
      QCoreApplication::processEvents();
      QWidget* knobs = panel->knobBox();
      const QRect inViewport(knobs->mapTo(viewport, QPoint(0, 0)), knobs->size());
      QVERIFY2(viewport->rect().contains(inViewport),
               qPrintable(QString("%1: knobs at y %2..%3, visible area 0..%4").arg(name).arg(inViewport.top())
                              .arg(inViewport.bottom()).arg(viewport->height())));
      if (name == "lora") {
        const QString shot = dir_.path() + "/knobs-1280x800.png";
        QVERIFY(w.grab().save(shot));
        qInfo("lora's knobs at y %d..%d of a %d px visible area (screenshot %s)", inViewport.top(),
              inViewport.bottom(), viewport->height(), qPrintable(shot));
      }
    }
  }

  // The first minute (issue #20): on the shipped defaults (the eight demo methods, the quick preset), something
  // is drawn on the loss chart within seconds of pressing Run, and the Training tab's label never stands still
  // for more than about a second while the queue runs. Reports the time to the first chart point.
  void firstChartPointWithinSeconds() {
    MainWindow w(dir_.path() + "/first-minute.sqlite");
    w.resize(1280, 800);
    w.show();
    pw::ui::ExperimentPanel* panel = w.panel();
    // The first start's defaults (earlier tests' choices live on in the settings).
    panel->setModelSource("tiny-bert");
    panel->setTaskSource("dictionary-fields");
    panel->setRandomInit(false);
    panel->setPreset("quick");
    panel->setSeeds(1);
    panel->setCheckedMethods({"lp", "ft", "lp-ft", "prompt", "prefix", "adapter", "lora", "bitfit"});
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isLoading(), 20000);
    QSignalSpy done(&w, &MainWindow::queueFinished);
    QElapsedTimer clock;
    qint64 firstPoint = -1;
    connect(w.queue(), &pw::ui::RunQueue::stepped, &w, [&] {
      if (firstPoint < 0) firstPoint = clock.elapsed();
    });
    // The label as a person sees it: sampled every 50 ms; the longest time it stayed the same.
    QString last;
    qint64 lastChange = 0, longestStill = 0;
    QStringList seen;
    QTimer sampler;
    sampler.setInterval(50);
    connect(&sampler, &QTimer::timeout, &w, [&] {
      const QString text = w.trainingTab()->statusText() + " | " + w.trainingTab()->progressBar()->text();
      if (text != last) {
        longestStill = std::max(longestStill, clock.elapsed() - lastChange);
        lastChange = clock.elapsed(), last = text;
        if (seen.size() < 400) seen << QString("%1 ms: %2").arg(clock.elapsed()).arg(text);
      }
    });
    clock.start();
    sampler.start();
    QTest::mouseClick(panel->runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(firstPoint >= 0, 60000);
    QTest::qWait(5000);  // a few seconds more of the label moving
    longestStill = std::max(longestStill, clock.elapsed() - lastChange);
    sampler.stop();
    w.stopRun();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
    const pw::ui::LossChart* loss = w.trainingTab()->chart();
    bool drawn = false;
    for (qint64 id : w.displayedRunIds()) drawn |= loss->hasRun(id) && loss->stepPointCount(id) > 0;
    QVERIFY(drawn);
    qInfo("first loss-chart point %lld ms after Run; the label stood still at most %lld ms", firstPoint, longestStill);
    for (const QString& line : seen.mid(0, 12)) qInfo("  %s", qPrintable(line));
    QVERIFY2(seen.join("\n").contains(" / "), "no phase showed its counts");
    // Loose bounds for a shared CI machine; the note quotes the idle figures.
    QVERIFY2(firstPoint < 30000, qPrintable(QString("first point after %1 ms").arg(firstPoint)));
    QVERIFY2(longestStill < 3000, qPrintable(QString("the label stood still %1 ms:\n%2").arg(longestStill).arg(seen.join("\n"))));
  }

  // Ctrl+R starts the queue as soon as the window is shown, wherever the focus is (issue #20).
  void ctrlRRunsFromAnywhere() {
    MainWindow w(dir_.path() + "/ctrl-r.sqlite");  // its own database: later tests count the runs in db_
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    prepare(w, {"lp"});
    QSignalSpy started(w.queue(), &pw::ui::RunQueue::runStarted);
    QSignalSpy done(&w, &MainWindow::queueFinished);
    QWidget* deep = w.runsPanel();  // far from the Run button: the runs table at the bottom
    deep->setFocus();
    QTest::keyClick(deep, Qt::Key_R, Qt::ControlModifier);
    QTRY_VERIFY(started.count() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
  }

  // Run > Write TensorBoard logs: each run of the queue writes its own log folder (the CLI's --tensorboard;
  // tests/tensorboard reads the files back field by field).
  void tensorBoardLogsFromTheWindow() {
    MainWindow w(dir_.path() + "/tensorboard.sqlite");
    w.show();
    prepare(w, {"lp", "bitfit"});
    const QString logs = dir_.path() + "/tb";
    w.setTensorBoardRoot(logs);
    QSignalSpy done(&w, &MainWindow::queueFinished);
    QTest::mouseClick(w.panel()->runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
    w.setTensorBoardRoot("");  // off again: later tests share the settings
    QStringList folders = QDir(logs).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    folders.sort();
    QCOMPARE(folders.size(), 2);
    QVERIFY2(folders[0].startsWith("bitfit-seed1-run") && folders[1].startsWith("lp-seed1-run"), qPrintable(folders.join(" ")));
    for (const QString& f : folders) {
      const QStringList files = QDir(logs + "/" + f).entryList({"events.out.tfevents.*"}, QDir::Files);
      QCOMPARE(files.size(), 1);
      QVERIFY(QFileInfo(logs + "/" + f + "/" + files[0]).size() > 200);
    }
  }

  void trainsTwoMethodsAndShowsThem() {
    MainWindow w(db_);
    w.show();
    prepare(w, {"lp", "lora"});
    QSignalSpy done(&w, &MainWindow::queueFinished);
    QSignalSpy steps(w.queue(), &pw::ui::RunQueue::stepped);
    StallMeter stalls;
    QString progressText;  // what the Training tab says while the second run trains
    // Side by side (auto: one run per core) the tab follows the latest started run: read it on that run's steps.
    connect(w.queue(), &pw::ui::RunQueue::stepped, &w, [&](qint64 run) {
      if (run == w.queue()->currentRunId() && w.queue()->runConfig(run).method == "lora")
        progressText = w.trainingTab()->statusText();
    });
    QTest::mouseClick(w.panel()->runButton(), Qt::LeftButton);
    QVERIFY(w.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
    qInfo("longest event-loop stall while training: %lld ms wall clock, %lld ms not counting waits for a busy CPU "
          "(%lld step signals)", stalls.longest(), stalls.longestOwn(), static_cast<long long>(steps.count()));
    QVERIFY2(stalls.longestOwn() < 100, qPrintable(QString("the event loop stalled %1 ms").arg(stalls.longestOwn())));
    QCOMPARE(done.first().first().toBool(), false);
    QVERIFY2(progressText.startsWith("Run 2 of 2: LoRA r=8, training, step "), qPrintable(progressText));
    QVERIFY2(progressText.contains("ETA"), qPrintable(progressText));

    // The runs table: both runs, finished, with ID and OOD accuracy.
    const pw::ui::RunsModel* runs = w.runsPanel()->model();
    QCOMPARE(runs->rowCount(), 2);
    for (int r = 0; r < 2; ++r) {
      const auto& run = runs->run(r);
      QCOMPARE(QString(pw::statusName(run.status)), QString("finished"));
      QVERIFY(run.idAccuracy >= 0 && run.idAccuracy <= 1);
      QVERIFY(run.oodAccuracy >= 0 && run.oodAccuracy <= 1);
      QVERIFY(runs->data(runs->index(r, pw::ui::RunsModel::IdAccuracy), Qt::DisplayRole).toString() != "-");
      QVERIFY(runs->data(runs->index(r, pw::ui::RunsModel::OodAccuracy), Qt::DisplayRole).toString() != "-");
    }
    // Side by side (auto) either run may take the first row id.
    QStringList methods = {QString::fromStdString(runs->run(0).method), QString::fromStdString(runs->run(1).method)};
    methods.sort();
    QCOMPARE(methods, QStringList({"lora", "lp"}));

    // The loss chart received every step and evaluation of both runs.
    const pw::ui::LossChart* loss = w.trainingTab()->chart();
    QCOMPARE(w.displayedRunIds().size(), 2);
    for (int r = 0; r < 2; ++r) {
      const qint64 id = runs->run(r).id;
      QVERIFY(loss->hasRun(id));
      QVERIFY(loss->stepPointCount(id) > 0);
      QVERIFY(loss->evalPointCount(id) > 0);
    }
    QCOMPARE(int(steps.count()), loss->stepPointCount(runs->run(0).id) + loss->stepPointCount(runs->run(1).id));
    QVERIFY(loss->replotCount() < 25 * 60);  // throttled: never once per step

    // The Parameters tab shows the accounting's numbers: the run's own and the plan from the config.
    QVERIFY(w.showTab("Parameters"));
    const pw::ui::BudgetChart* params = w.paramsTab()->chart();
    QCOMPARE(params->entries().size(), 2);
    for (int r = 0; r < 2; ++r) {
      const auto& run = runs->run(r);
      const auto& e = params->entries()[r];
      QVERIFY(e.params == pw::ParamBreakdown::fromJson(run.params));
      QCOMPARE(e.params.trainable, run.trainable);
      QCOMPARE(params->drawnTotal(r), double(run.trainable));
      const pw::ParamBreakdown planned =
          pw::plannedParameters(pw::TrainConfig::fromJson(run.config), 2);
      QCOMPARE(e.params.trainable, planned.trainable);
      QCOMPARE(w.paramsTab()->table()->item(r, w.paramsTab()->table()->columnCount() - 3)->data(Qt::UserRole).toLongLong(),
               qlonglong(run.trainable));
    }

    // ID vs OOD: one bar group per method and one point per run in each scatter.
    QVERIFY(w.showTab("ID vs OOD"));
    QCOMPARE(w.idOodTab()->bars()->groups().size(), 2);
    QCOMPARE(w.idOodTab()->scatter()->pointCount(), 2);
    QCOMPARE(w.idOodTab()->paramsChart()->pointCount(), 4);  // ID and OOD per run
  }

  void pauseResumeAndStopKeepFinishedRuns() {
    MainWindow w(db_);
    w.show();
    prepare(w, {"lp", "ft"}, 2);
    w.panel()->setParallelRuns(1);  // one at a time: the second run starts after the first
    const int before = w.runsPanel()->model()->rowCount();
    QSignalSpy done(&w, &MainWindow::queueFinished);
    QSignalSpy steps(w.queue(), &pw::ui::RunQueue::stepped);
    auto stepsOf = [&steps](qint64 run) {
      int n = 0;
      for (const auto& args : steps) n += args.first().toLongLong() == run;
      return n;
    };
    // Pause with the button right after Run, while the first run loads: it holds at its first step.
    w.startRun();
    QTest::mouseClick(w.trainingTab()->pauseButton(), Qt::LeftButton);
    QVERIFY(w.queue()->isPaused());
    QTRY_VERIFY_WITH_TIMEOUT(w.queue()->currentRunId() > 0 && stepsOf(w.queue()->currentRunId()) == 1, 30000);
    QTest::qWait(300);
    QCOMPARE(stepsOf(w.queue()->currentRunId()), 1);  // paused: nothing after the first step
    QVERIFY(w.trainingTab()->statusText().contains("paused"));
    // The second run pauses itself (on the worker thread) after its first step; then Esc stops the queue.
    connect(w.queue()->worker(), &pw::ui::TrainWorker::stepped, w.queue()->worker(),
            [&w, first = w.queue()->currentRunId()](qint64 run) {
              if (run != first) w.queue()->worker()->setPaused(true);
            }, Qt::DirectConnection);
    QTest::mouseClick(w.trainingTab()->pauseButton(), Qt::LeftButton);  // resume
    QVERIFY(!w.queue()->isPaused());
    QTRY_VERIFY_WITH_TIMEOUT(w.queue()->position() == 2 && w.queue()->currentRunId() > 0 &&
                                 stepsOf(w.queue()->currentRunId()) == 1, 30000);
    QTest::qWait(200);
    QCOMPARE(stepsOf(w.queue()->currentRunId()), 1);
    QTest::keyClick(&w, Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 30000);
    QCOMPARE(done.first().first().toBool(), true);
    const pw::ui::RunsModel* runs = w.runsPanel()->model();
    QCOMPARE(runs->rowCount(), before + 2);
    const auto& first = runs->run(before);
    const auto& cancelled = runs->run(before + 1);
    QCOMPARE(QString(pw::statusName(first.status)), QString("finished"));
    QVERIFY(first.idAccuracy >= 0 && first.oodAccuracy >= 0);
    QCOMPARE(QString(pw::statusName(cancelled.status)), QString("cancelled"));
    QVERIFY(!w.isRunning());
    QVERIFY(w.trainingTab()->statusText().contains("stopped by the user"));
  }

  void runsPersistAndExport() {
    MainWindow w(db_);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const pw::ui::RunsModel* runs = w.runsPanel()->model();
    QVERIFY(runs->rowCount() >= 4);  // the runs of the tests above, read back from the database
    QList<qint64> finished;
    for (const auto& r : runs->runs())
      if (r.status == pw::RunStatus::Finished) finished << r.id;
    w.runsPanel()->selectRuns(finished);
    QTRY_COMPARE(w.displayedRunIds().size(), int(finished.size()));
    QVERIFY(w.showTab("ID vs OOD"));
    QTRY_COMPARE(w.idOodTab()->scatter()->pointCount(), int(finished.size()));

    const QString out = dir_.path() + "/export";
    QDir().mkpath(out);
    for (const QString& tab : {"Training", "Parameters", "ID vs OOD"}) {
      QVERIFY(w.showTab(tab));
      QTest::qWait(100);
      for (const QString& suffix : {"png", "pdf"}) {
        QString error;
        const QStringList files = w.exportCurrentTab(out + "/" + QString(tab).replace(' ', '_') + "." + suffix, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(files.size(), tab == "Parameters" ? 1 : 3);
        for (const QString& f : files)
          QVERIFY2(fileStartsWith(f, suffix == "png" ? QByteArray("\x89PNG") : QByteArray("%PDF")), qPrintable(f));
      }
      QString error;
      const QStringList csv = w.exportCurrentTab(out + "/" + QString(tab).replace(' ', '_') + ".csv", &error);
      QCOMPARE(csv.size(), 1);
      QFile f(csv.first());
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
      QVERIFY(lines.size() >= 1 + (tab == "Parameters" ? finished.size() : runs->rowCount()));
    }
    // Delete one run: gone from the table and the database.
    const qint64 victim = finished.first();
    w.deleteRuns({victim}, false);
    QCOMPARE(w.runsPanel()->model()->rowOfRun(victim), -1);
    QVERIFY(!pw::results::ResultsDb(db_.toStdString()).getRun(victim).has_value());
  }

  // One validation point (issue #20: the axes zoomed to a span of 0.002, ticks at 77.4995 / 77.5 / 77.5005 %):
  // every linear axis keeps a readable minimum span inside the quantity's limits (charts/axis_range.h).
  void onePointChartsKeepReadableAxes() {
    pw::ui::LossChart chart;
    chart.addRun(1, "LoRA", "lora");
    chart.addStep(1, 1, 0.01, 1, 2.0794);
    chart.addEval(1, 1, 0.01, 1, 0.6123, 0.775);
    chart.replotNow();
    const QCPRange train = chart.plots()[0]->yAxis->range(), loss = chart.plots()[1]->yAxis->range(),
                   accuracy = chart.plots()[2]->yAxis->range();
    QVERIFY2(train.size() >= pw::ui::kLossMinSpan - 1e-9 && train.contains(2.0794), qPrintable(QString::number(train.size())));
    QVERIFY(loss.size() >= pw::ui::kLossMinSpan - 1e-9 && loss.contains(0.6123) && loss.lower >= 0);
    QVERIFY2(accuracy.size() >= pw::ui::kAccuracyMinSpan - 1e-9 && accuracy.contains(77.5),
             qPrintable(QString("%1 .. %2").arg(accuracy.lower).arg(accuracy.upper)));
    QVERIFY(accuracy.lower >= 0 && accuracy.upper <= 100);
    // Near the limit the window moves instead of shrinking: 99.5 % shows 90 .. 100.
    QCOMPARE(pw::ui::accuracyRange(99.5, 99.5).upper, 100.0);
    QCOMPARE(pw::ui::accuracyRange(99.5, 99.5).size(), pw::ui::kAccuracyMinSpan);
    QCOMPARE(pw::ui::accuracyRange(1, 0).size(), 100.0);  // no data: the whole scale
    const QCPRange wide = pw::ui::accuracyRange(40, 90);  // real spread: 8 % margins, clipped at the limits
    QVERIFY(wide.lower < 40 && wide.upper > 90 && wide.upper <= 100);
  }

  void lossChartEpochsAcrossStagesAndSmoothing() {
    pw::ui::LossChart chart;
    chart.addRun(1, "LP-FT", "lp-ft");
    for (int i = 1; i <= 10; ++i) chart.addStep(1, i, i / 10.0, 1, 1.0);       // probe: one epoch
    for (int i = 1; i <= 20; ++i) chart.addStep(1, 10 + i, i / 10.0, 2, 2.0);  // fine-tune: two epochs
    chart.addEval(1, 30, 2.0, 2, 0.5, 0.75);
    QCOMPARE(chart.stageMarkerCount(), 1);
    QCustomPlot* plot = chart.trainPlot();
    QCPGraph* raw = plot->graph(0);
    QCPGraph* smooth = plot->graph(1);
    QCOMPARE(raw->dataCount(), 30);
    QCOMPARE((raw->data()->constEnd() - 1)->key, 30.0);  // steps
    chart.setXAxis(pw::ui::LossChart::XAxis::Epochs);
    QCOMPARE((raw->data()->constBegin() + 10)->key, 1.1);  // stage 2 continues after the probe's epoch
    QCOMPARE((raw->data()->constEnd() - 1)->key, 3.0);
    chart.setSmoothing(0.0);
    QCOMPARE((smooth->data()->constBegin() + 10)->value, 2.0);  // no smoothing: the raw values
    chart.setSmoothing(0.9);
    const double s = (smooth->data()->constBegin() + 10)->value;
    QVERIFY(s > 1.0 && s < 2.0);  // smoothed across the jump
    QCOMPARE(chart.plots()[2]->graph(0)->data()->constBegin()->value, 75.0);  // accuracy in percent
    chart.removeRun(1);
    QCOMPARE(chart.stageMarkerCount(), 0);
    QCOMPARE(plot->graphCount(), 0);
  }

  void seedsGiveErrorBarsAndParetoFront() {
    auto run = [](qint64 id, const char* method, double params, double id_acc, double ood) {
      pw::ui::RunSummary r;
      r.id = id, r.method = method, r.group = QString(method) + " g", r.shortLabel = method;
      r.trainable = params, r.idAccuracy = id_acc, r.oodAccuracy = ood;
      return r;
    };
    const QList<pw::ui::RunSummary> runs = {run(1, "lora", 1e4, 0.80, 0.70), run(2, "lora", 1e4, 0.70, 0.60),
                                            run(3, "lp", 1e3, 0.60, 0.50), run(4, "ft", 1e6, 0.90, 0.80),
                                            run(5, "bitfit", 5e4, 0.65, 0.60)};
    pw::ui::AccuracyBarsChart bars;
    bars.setRuns(runs);
    QCOMPARE(bars.groups().size(), 4);
    QCOMPARE(bars.groups()[0].method, QString("lp"));  // catalogue order
    const auto& lora = bars.groups()[2];
    QCOMPARE(lora.idCount, 2);
    QCOMPARE(lora.idMean, 75.0);
    QVERIFY(std::abs(lora.idStd - 7.0710678) < 1e-4);  // sample std of 80 and 70
    QCOMPARE(bars.errorBarCount(), 2);                 // ID and OOD of the two-seed group
    QCOMPARE(pw::ui::paretoFront(runs), QList<qint64>({3, 1, 4}));  // bitfit: bigger and worse than LoRA seed 1
  }

  void importDialogWritesTask() {
    QTemporaryDir out;
    pw::ui::ImportDialog dialog(out.path());
    dialog.setSource(QString(PW_TEST_DATA) + "/tasks/csv_folder");
    QVERIFY(dialog.waitForCheck(20000));
    QVERIFY(dialog.statusText().contains("2 classes"));
    // The chosen columns are what gets imported: here the "source" column as the text.
    dialog.setColumns("source", "label");
    QVERIFY(dialog.waitForCheck(20000));
    QCOMPARE(dialog.findChild<QTableWidget*>()->horizontalHeaderItem(2)->text(), QString("source \u2192 text"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QFile train(dialog.importedFolder() + "/train.csv");
    QVERIFY(train.open(QIODevice::ReadOnly));
    const QByteArray content = train.readAll();
    QVERIFY(content.startsWith("text,label\n"));
    QVERIFY(content.contains("\"fixture\",\"animal\""));
    QVERIFY(!content.contains("finch"));
    QVERIFY(QFile::exists(dialog.importedFolder() + "/ood.csv"));
    const auto task = pw::data::loadTask(dialog.importedFolder().toStdString());
    QCOMPARE(int(task.classes.size()), 2);
  }

  void settingsSurviveRestart() {
    {
      MainWindow w(db_);
      prepare(w, {"prefix", "bitfit"}, 2);
      w.panel()->setKnob("prefix", "length", 7);
      w.panel()->setSeeds(3);
      w.showTab("Parameters");
    }
    MainWindow w(db_);
    QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading(), 20000);
    QCOMPARE(w.panel()->checkedMethods(), QStringList({"prefix", "bitfit"}));
    QCOMPARE(w.panel()->knobs("prefix")["length"].get<int>(), 7);
    QCOMPARE(w.panel()->modelSource(), model_);
    QCOMPARE(w.panel()->taskSource(), task_);
    QCOMPARE(int(w.panel()->runConfigs().size()), 6);  // 2 methods x 3 seeds
    QCOMPARE(w.panel()->runConfigs().front().epochs, 2);
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QString("Parameters"));
  }
};

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
