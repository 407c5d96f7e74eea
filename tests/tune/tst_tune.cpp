// Learning-rate tuning: the standard error, the one-SE rule's tie-break to the smaller rate, edge detection and
// widening, blindness to test / OOD metrics (synthetic runs), bad requests, and one real tune on a tiny random
// model that records every run in the results database (and the same through the CLI).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>
#include <filesystem>
#include <fstream>

#include "models/model_folder.h"
#include "results/results_db.h"
#include "train/trainer.h"
#include "train/tune.h"
#include "util/error.h"
#include "../common/tiny_fixtures.h"

using namespace pw;

namespace {

TunePoint point(double rate, const std::vector<double>& validation, int failed = 0) {
  TunePoint p;
  p.rate = rate;
  uint64_t seed = 1;
  for (double v : validation) p.runs.push_back(scoreRun(seed++, 0, RunStatus::Finished, "", SplitMetrics{v}));
  for (int i = 0; i < failed; ++i) p.runs.push_back(scoreRun(seed++, 0, RunStatus::Failed, "non-finite loss", SplitMetrics{}));
  return p;
}

bool near(double a, double b, double rel = 1e-9) { return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)); }

// A synthetic run: validation accuracy peaks at `peak` (in log10 rate) with a small seed effect; ID-test and
// OOD accuracy are the opposite (best exactly where validation is worst), so a tuner that read them would move.
struct FakeRunner {
  double peak = 0;
  std::vector<TrainConfig> configs;
  TuneRunOutcome operator()(const TrainConfig& c, const TuneRunInfo& info) {
    configs.push_back(c);
    const double rate = rateOf(c, info.rateName);
    TuneRunOutcome o;
    const double v = std::max(0.0, 0.9 - 0.1 * std::abs(std::log10(rate) - peak)) + 0.001 * double(c.seed % 2);
    o.result.validation.accuracy = v;
    o.result.idTest.accuracy = o.result.oodTest.accuracy = 1 - v;
    o.result.moreOod.push_back({"other", SplitMetrics{1 - v}});
    o.runId = int64_t(configs.size());
    return o;
  }
};

TuneRequest request(const std::string& method = "lora") {
  TuneRequest q;
  q.base.method = method;
  q.base.seed = 3;
  return q;
}

// The same two-class task (no OOD split) and random 2-layer model as tests/train.
void writeTask(const std::string& dir) { pwtest::writeTinyTask(dir, false); }
void writeModel(const std::string& dir) { pwtest::writeTinyModel(dir, Family::Bert); }

}  // namespace

class TestTune : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string model_, task_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    model_ = tmp_.path().toStdString() + "/bert";
    task_ = tmp_.path().toStdString() + "/task";
    std::filesystem::create_directories(task_);
    writeTask(task_);
    writeModel(model_);
  }

  void standardError() {
    MeanSe a = meanSe({0.8, 0.9});
    QVERIFY(near(a.mean, 0.85));
    QVERIFY(near(a.se, 0.05));  // sd = 0.0707; / sqrt(2)
    MeanSe b = meanSe({0.5, 0.6, 0.7});
    QVERIFY(near(b.se, 0.1 / std::sqrt(3.0)));
    QCOMPARE(meanSe({0.7}).se, 0.0);
    QCOMPARE(meanSe({}).n, 0);
  }

  void tieBreakPicksTheSmallerRateWithinOneSe() {
    // best 3e-3 (0.82, SE 0.01): 1e-3 at 0.815 is within one SE, 3e-4 at 0.70 is not; 1e-2 below 3e-3.
    RateChoice c = chooseRate({point(3e-3, {0.81, 0.83}), point(1e-3, {0.805, 0.825}), point(3e-4, {0.69, 0.71}),
                               point(1e-2, {0.75, 0.77})});
    QCOMPARE(int(c.points.size()), 4);
    QVERIFY(near(c.points[0].rate, 3e-4));  // sorted by rate
    QVERIFY(near(c.points[size_t(c.best)].rate, 3e-3));
    QVERIFY(near(c.points[size_t(c.chosen)].rate, 1e-3));
    QVERIFY(near(c.threshold, 0.81));
    QVERIFY(!c.onEdge());
    // Outside one SE the best itself is chosen.
    RateChoice d = chooseRate({point(1e-3, {0.70, 0.72}), point(3e-3, {0.81, 0.83}), point(1e-2, {0.6, 0.6})});
    QCOMPARE(d.chosen, d.best);
    QCOMPARE(d.best, 1);
    // Equal means: the smaller rate is the best.
    RateChoice e = chooseRate({point(1e-2, {0.8, 0.8}), point(1e-3, {0.8, 0.8}), point(1e-1, {0.5, 0.5})});
    QVERIFY(near(e.points[size_t(e.best)].rate, 1e-3));
  }

  void edgesAndFailedPoints() {
    RateChoice high = chooseRate({point(1e-4, {0.6, 0.61}), point(1e-3, {0.7, 0.71}), point(1e-2, {0.8, 0.81})});
    QVERIFY(high.bestOnHighEdge && !high.bestOnLowEdge);
    RateChoice low = chooseRate({point(1e-4, {0.8, 0.81}), point(1e-3, {0.7, 0.71}), point(1e-2, {0.6, 0.61})});
    QVERIFY(low.bestOnLowEdge && !low.bestOnHighEdge);
    // A point with a failed seed is never best or chosen, but still bounds the grid: 1e-2 diverged, so the best
    // (1e-3) is not on an edge.
    RateChoice failed = chooseRate({point(1e-4, {0.6, 0.61}), point(1e-3, {0.7, 0.71}), point(1e-2, {0.95}, 1)});
    QVERIFY(!failed.points[2].eligible);
    QCOMPARE(failed.points[2].failed, 1);
    QCOMPARE(failed.best, 1);
    QVERIFY(!failed.onEdge());
    QCOMPARE(chooseRate({point(1e-3, {}, 2), point(1e-2, {}, 2)}).best, -1);
    // Duplicated rates merge.
    RateChoice merged = chooseRate({point(1e-3, {0.7}), point(1e-3, {0.8}), point(1e-2, {0.5, 0.5})});
    QCOMPARE(int(merged.points.size()), 2);
    QCOMPARE(merged.points[0].validation.n, 2);
  }

  void halfDecadeGrid() {
    const std::vector<double> g = defaultTuneGrid(1e-3);
    const std::vector<double> want = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    QCOMPARE(g.size(), want.size());
    for (size_t i = 0; i < g.size(); ++i) QVERIFY2(near(g[i], want[i]), rateText(g[i]).c_str());
    const std::vector<double> ft = defaultTuneGrid(3e-4);
    QVERIFY(near(ft.front(), 3e-5) && near(ft[1], 1e-4) && near(ft[3], 1e-3) && near(ft.back(), 3e-3));
    QVERIFY(near(halfDecadeStep(5e-4, 1), 5e-4 * std::sqrt(10.0)));  // off the 1-3 series: exact
    QCOMPARE(rateText(3e-4), std::string("3e-4"));
    QCOMPARE(rateText(0.01), std::string("1e-2"));
    QCOMPARE(rateText(5e-4 * std::sqrt(10.0)), std::string("1.58e-3"));
  }

  void widensWhenTheBestIsOnAnEdge() {
    FakeRunner fake;
    fake.peak = std::log10(3e-2);  // above the grid
    TuneRequest q = request();
    q.base.lr = 1e-3;  // the default grid around it: 1e-4 .. 1e-2
    TuneResult t = tuneLearningRate(q, {std::ref(fake)});
    QVERIFY(t.status == RunStatus::Finished);
    const TunePass& p = t.passes.at(0);
    QCOMPARE(p.widenings, 1);  // 1e-2 was the best edge: + 3e-2, 1e-1
    QVERIFY(!p.stoppedOnEdge);
    QCOMPARE(int(p.choice.points.size()), 7);
    QVERIFY(near(p.choice.points.back().rate, 1e-1));
    QVERIFY2(near(p.chosenRate(), 3e-2), rateText(p.chosenRate()).c_str());
    QVERIFY(near(t.tuned.lr, 3e-2));
    QCOMPARE(int(fake.configs.size()), 7 * 2);
    for (const auto& c : fake.configs) QVERIFY(c.seed == 3 || c.seed == 4);

    // The optimum far above: widened up to the limit, then it says it stopped on an edge.
    FakeRunner far;
    far.peak = 2;
    q.maxWidenings = 2;
    TuneResult e = tuneLearningRate(q, {std::ref(far)});
    QCOMPARE(e.passes[0].widenings, 2);
    QVERIFY(e.passes[0].stoppedOnEdge);
    QVERIFY(e.passes[0].choice.bestOnHighEdge);
    QVERIFY(near(e.passes[0].choice.points.back().rate, 1.0));
    QVERIFY(e.toJson()["passes"][0]["stopped_on_edge"].get<bool>());

    // Below the grid: widened downwards, twice (1e-5 is again the edge after the first widening).
    FakeRunner below;
    below.peak = -5;
    TuneResult b = tuneLearningRate(q, {std::ref(below)});
    QCOMPARE(b.passes[0].widenings, 2);
    QVERIFY(near(b.passes[0].choice.points.front().rate, 1e-6));
    QVERIFY(near(b.passes[0].chosenRate(), 1e-5));
    QVERIFY(!b.passes[0].stoppedOnEdge);
  }

  // LP-FT's stage-2 factor tunes like a rate, inside its knob's range (0, 1]: the default grid around 0.1 is
  // 1e-2 .. 1; an optimum at 1 stops there (the range's end), one below widens downwards as a rate does.
  void lpFtFactorTunesInsideItsRange() {
    QVERIFY(tunableRatesOf("lp-ft") == (std::vector<std::string>{"lr", "head_lr", "lr_factor"}));
    QVERIFY(tunableRatesOf("lora") == (std::vector<std::string>{"lr", "head_lr"}));
    FakeRunner high;
    high.peak = 1;  // validation best at factor 10: beyond the knob's range
    TuneRequest q = request("lp-ft");
    q.rates = {"lr_factor"};
    q.base.knobs["lr_factor"] = 0.1;  // the grid's centre (a run without it starts at its preset's factor)
    TuneResult t = tuneLearningRate(q, {std::ref(high)});
    QVERIFY(t.status == RunStatus::Finished);
    const TunePass& p = t.passes.at(0);
    QCOMPARE(int(p.initialGrid.size()), 5);
    QVERIFY(near(p.initialGrid.front(), 1e-2) && near(p.initialGrid.back(), 1.0));
    QVERIFY(p.stoppedAtLimit);
    QCOMPARE(p.widenings, 0);
    QVERIFY(near(p.chosenRate(), 1.0));
    QCOMPARE(t.tuned.knobs.value("lr_factor", 0.0), 1.0);
    QVERIFY(t.toJson()["passes"][0]["stopped_at_limit"].get<bool>());
    for (const auto& c : high.configs) {
      QVERIFY(c.knobs.value("lr_factor", 0.0) > 0 && c.knobs.value("lr_factor", 0.0) <= 1.0);
      QCOMPARE(c.lr, 0.0);  // the body and head rates stay the method's defaults (FT's)
    }

    // Without the knob, the grid centres on the preset's tuned factor (standard: 0.3) and drops what passes 1.
    TuneRequest atStandard = request("lp-ft");
    atStandard.rates = {"lr_factor"};
    atStandard.base.preset = "standard";
    FakeRunner flat;
    const TuneResult s = tuneLearningRate(atStandard, {std::ref(flat)});
    QCOMPARE(int(s.passes[0].initialGrid.size()), 4);
    QVERIFY(near(s.passes[0].initialGrid.front(), 3e-2) && near(s.passes[0].initialGrid.back(), 1.0));

    FakeRunner low;
    low.peak = -3;
    TuneResult d = tuneLearningRate(q, {std::ref(low)});
    QVERIFY(d.passes[0].widenings >= 1 && !d.passes[0].stoppedAtLimit);
    QVERIFY(near(d.passes[0].chosenRate(), 1e-3));

    // A user's grid outside the range, or the factor named for a method without one, is refused up front.
    q.grid = {0.3, 3.0};
    QVERIFY_THROWS_EXCEPTION(pw::Error, tuneLearningRate(q, {std::ref(low)}));
    TuneRequest lora = request("lora");
    lora.rates = {"lr_factor"};
    try {
      tuneLearningRate(lora, {std::ref(low)});
      QFAIL("lora has no lr_factor");
    } catch (const pw::Error& e) {
      QVERIFY2(std::string(e.what()).find("lr, head_lr") != std::string::npos, e.what());
    }
  }

  // Side by side: the same points, choice and widening as one at a time, every run reported once.
  void parallelRoundsGiveTheSameChoice() {
    struct LockedRunner {
      FakeRunner fake;
      std::mutex mutex;
      std::set<std::thread::id> threads;
      TuneRunOutcome operator()(const TrainConfig& c, const TuneRunInfo& info) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let the rounds overlap
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
        return fake(c, info);
      }
    };
    TuneRequest q = request();
    q.grid = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    LockedRunner one, two;
    one.fake.peak = two.fake.peak = -1.5;  // beyond the high edge: one widening
    const TuneResult a = tuneLearningRate(q, {std::ref(one)});
    q.parallel = 2;
    int reported = 0;
    TuneCallbacks cb{std::ref(two), [&](const TuneRunInfo&, const TuneSeedRun&) { ++reported; }, {}, {}};
    const TuneResult b = tuneLearningRate(q, cb);
    QCOMPARE(std::string(pw::statusName(b.status)), std::string("finished"));
    auto withoutRunIds = [](nlohmann::json points) {  // run ids follow the order the runs started
      for (auto& p : points)
        for (auto& r : p["runs"]) r.erase("run_id");
      return points.dump();
    };
    QCOMPARE(withoutRunIds(b.toJson()["passes"][0]["points"]), withoutRunIds(a.toJson()["passes"][0]["points"]));
    QVERIFY(near(b.passes[0].chosenRate(), a.passes[0].chosenRate()));
    QCOMPARE(b.passes[0].widenings, a.passes[0].widenings);
    QCOMPARE(reported, int(two.fake.configs.size()));
    QCOMPARE(int(two.fake.configs.size()), int(one.fake.configs.size()));
    QCOMPARE(int(two.threads.size()), 2);
  }

  void secondPassKeepsTheFirstChoice() {
    FakeRunner fake;
    fake.peak = -3;
    TuneRequest q = request("adapter");
    q.rates = {"lr", "head_lr"};
    q.grid = {1e-4, 1e-3, 1e-2};
    q.base.headLr = 1e-2;  // the second pass's grid centre
    TuneResult t = tuneLearningRate(q, {std::ref(fake)});
    QCOMPARE(std::string(pw::statusName(t.status)), std::string("finished"));
    QCOMPARE(int(t.passes.size()), 2);
    QVERIFY(near(t.passes[0].chosenRate(), 1e-3));
    QVERIFY(near(t.passes[1].initialGrid[2], 1e-2));  // the default grid around the head's 1e-2
    for (size_t i = 6; i < fake.configs.size(); ++i) QVERIFY(near(fake.configs[i].lr, 1e-3));
    QVERIFY(near(t.tuned.lr, 1e-3) && near(t.tuned.headLr, t.passes[1].chosenRate()));
    const std::string csv = t.csv();
    QVERIFY(csv.rfind("pass,rate_name,rate,n,", 0) == 0);
    QVERIFY(csv.find("2,head_lr,") != std::string::npos);
  }

  void testAndOodMetricsAreNeverRead() {
    // 1e-3 has the best ID-test and OOD accuracy (1.0) and the worst validation (0.3); 1e-2 the reverse.
    TuneRequest q = request();
    q.grid = {1e-4, 1e-3, 1e-2, 1e-1};
    q.maxWidenings = 0;
    auto runner = [](const TrainConfig& c, const TuneRunInfo&) {
      TuneRunOutcome o;
      const bool trap = std::abs(c.lr - 1e-3) < 1e-12, good = std::abs(c.lr - 1e-2) < 1e-12;
      o.result.validation.accuracy = trap ? 0.3 : good ? 0.8 : 0.6;
      o.result.idTest.accuracy = o.result.oodTest.accuracy = trap ? 1.0 : good ? 0.0 : 0.5;
      o.result.moreOod.push_back({"other", SplitMetrics{trap ? 1.0 : 0.0}});
      return o;
    };
    TuneResult t = tuneLearningRate(q, {runner});
    QVERIFY(near(t.passes[0].chosenRate(), 1e-2));
    // A finished run without a validation split cannot be scored from its test numbers either.
    RunResult noValidation;
    noValidation.idTest.accuracy = 1.0;
    TuneSeedRun s = scoreRun(1, 0, noValidation.status, noValidation.error, noValidation.validation);
    QCOMPARE(std::string(pw::statusName(s.status)), std::string("failed"));
    QCOMPARE(s.validationAccuracy, -1.0);
  }

  void cancelStopsBetweenRuns() {
    int runs = 0;
    TuneCallbacks cb;
    FakeRunner fake;
    cb.run = [&](const TrainConfig& c, const TuneRunInfo& i) { ++runs; return fake(c, i); };
    cb.cancelled = [&] { return runs >= 3; };
    TuneResult t = tuneLearningRate(request(), cb);
    QCOMPARE(std::string(pw::statusName(t.status)), std::string("cancelled"));
    QCOMPARE(runs, 3);
    QCOMPARE(t.tuned.lr, request().base.lr);  // nothing chosen
  }

  void badRequests() {
    TuneRequest one = request();
    one.seeds = 1;
    QVERIFY_THROWS_EXCEPTION(Error, tuneLearningRate(one));
    QVERIFY_THROWS_EXCEPTION(Error, tuneLearningRate(request("lp")));
    TuneRequest grid = request();
    grid.grid = {1e-3, 1e-3};
    QVERIFY_THROWS_EXCEPTION(Error, tuneLearningRate(grid));
    grid.grid = {1e-3, -1};
    QVERIFY_THROWS_EXCEPTION(Error, tuneLearningRate(grid));
    TuneRequest rate = request();
    rate.rates = {"momentum"};
    QVERIFY_THROWS_EXCEPTION(Error, tuneLearningRate(rate));
  }

  void realTuneRecordsEveryRun() {
    const std::string dbPath = tmp_.path().toStdString() + "/results.sqlite";
    results::ResultsDb db(dbPath);
    TuneRequest q;
    q.base.model = model_;
    q.base.task = task_;
    q.base.method = "bitfit";
    q.base.epochs = 2;
    q.base.batchSize = 8;
    q.base.headLr = 1e-3;  // a random toy: see tests/train's fineTuningLearnsAnEasyTask
    q.grid = {1e-3, 1e-2};
    q.maxWidenings = 1;
    int scored = 0;
    TuneCallbacks cb;
    cb.run = recordingRunner(db, "test-tune");
    cb.onRun = [&](const TuneRunInfo&, const TuneSeedRun& s) {
      ++scored;
      QVERIFY(s.runId > 0);
      QVERIFY(s.validationAccuracy >= 0 && s.validationAccuracy <= 1);
    };
    TuneResult t = tuneLearningRate(q, cb);
    QVERIFY2(t.status == RunStatus::Finished, t.error.c_str());
    const TunePass& p = t.passes.at(0);
    QVERIFY(p.chosenRate() > 0);
    for (const auto& s : p.choice.points) QCOMPARE(s.validation.n, 2);
    int recorded = 0;
    for (const auto& r : db.listRuns())
      if (r.batch == "test-tune") {
        ++recorded;
        QCOMPARE(std::string(pw::statusName(r.status)), std::string("finished"));
      }
    QCOMPARE(recorded, scored);
    QCOMPARE(recorded, int(p.choice.points.size()) * 2);
  }

  void cliTuneJson() {
    if (!QFile::exists(PW_CLI_PATH)) QSKIP("peft-workbench-cli is not built");
    QProcess proc;
    proc.start(PW_CLI_PATH, {"tune", "--method", "bitfit", "--model", QString::fromStdString(model_), "--task",
                             QString::fromStdString(task_), "--epochs", "1", "--batch", "8", "--head-lr", "1e-3",
                             "--grid", "1e-3,1e-2", "--max-widen", "0", "--no-db", "--json", "--out",
                             tmp_.path() + "/out"});
    QVERIFY(proc.waitForFinished(120000));
    const QByteArray out = proc.readAllStandardOutput();
    QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
    const QJsonObject j = QJsonDocument::fromJson(out).object();
    QCOMPARE(j["status"].toString(), QString("finished"));
    const QJsonArray points = j["passes"].toArray()[0].toObject()["points"].toArray();
    QCOMPARE(points.size(), 2);
    for (const auto& pt : points) QCOMPARE(pt.toObject()["n"].toInt(), 2);
    QVERIFY(j["chosen"].toObject()["lr"].toDouble() > 0);
    QVERIFY(j["rule"].toString().contains("SMALLEST"));
    QVERIFY(QFile::exists(tmp_.path() + "/out/tune.csv"));
    QProcess bad;
    bad.start(PW_CLI_PATH, {"tune", "--method", "lora", "--seeds", "1", "--no-db"});
    QVERIFY(bad.waitForFinished(30000));
    QCOMPARE(bad.exitCode(), 1);
    QVERIFY(bad.readAllStandardError().contains("at least 2 seeds"));
  }
};

QTEST_GUILESS_MAIN(TestTune)
#include "tst_tune.moc"
