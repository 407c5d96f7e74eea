// GUI tests (PW_GUI_TEST) of intervals, named OOD sets, verdicts and precision in the window, on fake runs
// built directly (no training): the ID vs OOD bars and both scatters carry error bars whose ends are core's
// Wilson bounds (one run) or t-interval (seeds) and say so on hover; a run with two OOD sets gets a bar per
// set with its name and a selector for the scatters; the runs table shows intervals, the OOD set's name and
// the precision; the verdict panel says "within noise" or "a real difference".
#include "results/results_db.h"
#include "train/trainer.h"
#include "util/stats.h"
#include "util/verdict.h"

#include <QApplication>
#include <QComboBox>
#include <QHelpEvent>
#include <QTextBrowser>
#include <QToolTip>
#include <QtTest>

#include <cmath>

#include "chart_feed.h"
#include "charts/accuracy_bars_chart.h"
#include "charts/scatter_charts.h"
#include "charts/sweep_chart.h"
#include "id_ood_tab.h"
#include "runs_model.h"
#include "seed_groups_model.h"

using pw::results::RunRecord;

namespace {

// A split's metrics as RunResult::toJson writes them: the first `correct` of `n` examples right (or the
// bits given).
nlohmann::json splitJson(int64_t correct, int64_t n, std::string bits = "") {
  if (bits.empty()) bits = std::string(size_t(correct), '1') + std::string(size_t(n - correct), '0');
  return {{"accuracy", double(correct) / double(n)}, {"examples", n}, {"correct", bits}};
}

struct Fake {
  qint64 id;
  std::string method;
  uint64_t seed;
  int64_t idRight, idN, oodRight, oodN;
  std::string precision = "fp32";
};

RunRecord record(const Fake& f, const nlohmann::json& moreOod = nlohmann::json::array()) {
  RunRecord r;
  r.id = f.id, r.batch = "b", r.model = "tiny-bert", r.task = "t", r.method = f.method, r.seed = f.seed;
  r.knobs = f.method == "lora" ? nlohmann::json{{"rank", 8}} : nlohmann::json::object();
  pw::TrainConfig c;
  c.method = f.method, c.knobs = r.knobs, c.seed = f.seed;
  r.config = c.toJson();
  r.status = pw::RunStatus::Finished, r.wallSeconds = 10;
  r.trainable = f.method == "lora" ? 20000 : 2000, r.total = 1000000;
  r.result = {{"id_test", splitJson(f.idRight, f.idN)}, {"ood_test", splitJson(f.oodRight, f.oodN)},
              {"ood_name", "other source"}, {"more_ood", moreOod}};
  if (!f.precision.empty()) r.result["precision"] = f.precision;
  r.idAccuracy = double(f.idRight) / double(f.idN);
  r.oodAccuracy = double(f.oodRight) / double(f.oodN);
  return r;
}

QList<pw::ui::RunSummary> summaries(const std::vector<RunRecord>& runs) {
  QList<const RunRecord*> ptrs;
  for (const RunRecord& r : runs) ptrs << &r;
  return pw::ui::ShownRuns(ptrs).summaries();
}

bool near(double a, double b) { return std::abs(a - b) < 1e-9; }

// The pixel centre of a bar, on a laid-out chart.
QPointF barCentre(QCPBars* bars) {
  const auto it = bars->data()->constBegin();
  return QPointF(bars->keyAxis()->coordToPixel(it->key), bars->valueAxis()->coordToPixel(it->value / 2));
}

}  // namespace

class TestGuiIntervals : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void barsAndScattersCarryWilsonIntervals() {
    const std::vector<RunRecord> runs = {record({1, "lp", 1, 1200, 1600, 900, 1600}),
                                         record({2, "lora", 1, 1400, 1600, 1100, 1600})};
    const auto shown = summaries(runs);
    pw::ui::AccuracyBarsChart bars;
    bars.resize(900, 500);
    bars.setRuns(shown);
    bars.replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(bars.groups().size(), 2);
    QCOMPARE(bars.errorBarCount(), 4);  // ID and OOD of both runs
    const int64_t right[2][2] = {{1200, 900}, {1400, 1100}};
    for (int g = 0; g < 2; ++g)
      for (int s = 0; s < 2; ++s) {
        const auto* drawn = bars.drawnBar(g, s == 0 ? "ID test" : "other source");
        QVERIFY(drawn && drawn->errors);
        const pw::Interval w = pw::wilsonInterval(right[g][s], 1600);
        const double mean = drawn->bars->data()->constBegin()->value;
        const QCPErrorBarsData e = drawn->errors->data()->at(0);
        QVERIFY(near(mean - e.errorMinus, 100 * w.low));
        QVERIFY(near(mean + e.errorPlus, 100 * w.high));
        const QString tip = bars.tipAt(barCentre(drawn->bars));
        QVERIFY2(tip.contains("Wilson 95 %, 1,600 " + QString(s == 0 ? "ID test" : "OOD") + " examples"), qPrintable(tip));
      }
    // The pointer resting on a bar shows that text as the widget's tooltip.
    bars.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bars));
    const QPoint at = barCentre(bars.drawnBar(1, "other source")->bars).toPoint();
    QHelpEvent help(QEvent::ToolTip, at, bars.mapToGlobal(at));
    QApplication::sendEvent(&bars, &help);
    QVERIFY(QTest::qWaitFor([] { return QToolTip::isVisible(); }, 2000));
    QVERIFY2(QToolTip::text().contains("LoRA r=8 \u2014 OOD: other source"), qPrintable(QToolTip::text()));

    pw::ui::IdOodScatter scatter;
    scatter.resize(600, 500);
    scatter.setRuns(shown);
    scatter.replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(scatter.pointCount(), 2);
    QCOMPARE(scatter.series().size(), 2);
    for (const pw::ui::ScatterSeries& s : scatter.series()) {
      QVERIFY(s.xErrors && s.yErrors);
      const int g = s.method == "lp" ? 0 : 1;
      const auto point = s.graph->data()->constBegin();
      const pw::Interval wx = pw::wilsonInterval(right[g][0], 1600), wy = pw::wilsonInterval(right[g][1], 1600);
      QVERIFY(near(point->key - s.xErrors->data()->at(0).errorMinus, 100 * wx.low));
      QVERIFY(near(point->key + s.xErrors->data()->at(0).errorPlus, 100 * wx.high));
      QVERIFY(near(point->value - s.yErrors->data()->at(0).errorMinus, 100 * wy.low));
      QVERIFY(near(point->value + s.yErrors->data()->at(0).errorPlus, 100 * wy.high));
      const QPointF px(s.graph->keyAxis()->coordToPixel(point->key), s.graph->valueAxis()->coordToPixel(point->value));
      QVERIFY(scatter.tipAt(px).contains("Wilson 95 %"));
    }

    pw::ui::AccuracyParamsChart params;
    params.setRuns(shown);
    QCOMPARE(params.pointCount(), 4);
    for (const pw::ui::ScatterSeries& s : params.series()) {
      QVERIFY(!s.xErrors && s.yErrors);  // no interval on a parameter count
      const int g = s.method == "lp" ? 0 : 1;
      const pw::Interval w = pw::wilsonInterval(right[g][s.ood ? 1 : 0], 1600);
      const auto point = s.graph->data()->constBegin();
      QVERIFY(near(point->value - s.yErrors->data()->at(0).errorMinus, 100 * w.low));
    }
  }

  void seedsGiveTheTIntervalEverywhere() {
    std::vector<RunRecord> runs = {record({1, "lora", 1, 160, 200, 120, 200}), record({2, "lora", 2, 150, 200, 110, 200}),
                                   record({3, "lora", 3, 170, 200, 130, 200})};
    const pw::Interval t = pw::tIntervalOfMean({0.80, 0.75, 0.85});
    pw::ui::AccuracyBarsChart bars;
    bars.resize(900, 500);
    bars.setRuns(summaries(runs));
    bars.replot(QCustomPlot::rpImmediateRefresh);
    const auto* drawn = bars.drawnBar(0, "ID test");
    QVERIFY(drawn && drawn->errors);
    const double mean = drawn->bars->data()->constBegin()->value;
    QVERIFY(near(mean, 80.0));
    QVERIFY(near(mean - drawn->errors->data()->at(0).errorMinus, 100 * std::max(0.0, t.low)));
    QVERIFY(near(mean + drawn->errors->data()->at(0).errorPlus, 100 * std::min(1.0, t.high)));
    QVERIFY(bars.tipAt(barCentre(drawn->bars)).contains("t 95 % over 3 seeds"));

    // The seed-groups table: the same interval as text; a single run: Wilson.
    pw::ui::RunsModel model;
    runs.push_back(record({4, "lp", 1, 150, 200, 100, 200}));
    model.setRuns(runs);
    pw::ui::SeedGroupsModel groups(&model);
    QCOMPARE(groups.rowCount(), 2);
    using C = pw::ui::RunsModel;
    const QString expected = QString("80.0 [%1, %2]").arg(100 * t.low, 0, 'f', 1).arg(100 * std::min(1.0, t.high), 0, 'f', 1);
    QCOMPARE(groups.data(groups.index(0, C::IdAccuracy), Qt::DisplayRole).toString(), expected);
    QVERIFY(groups.data(groups.index(0, C::IdAccuracy), Qt::ToolTipRole).toString().contains("t 95 % over 3 seeds"));
    const pw::Interval w = pw::wilsonInterval(150, 200);
    QCOMPARE(groups.data(groups.index(1, C::IdAccuracy), Qt::DisplayRole).toString(),
             QString("75.0 [%1, %2]").arg(100 * w.low, 0, 'f', 1).arg(100 * w.high, 0, 'f', 1));

    // The sweep chart's band is the t-interval too (a level with one run and a known count: Wilson).
    pw::ui::SweepChart sweep;
    sweep.setSweep("LoRA", "Rank r", true,
                   {{1, "8", 1, 0.80, 0.60, 200, 200}, {2, "8", 2, 0.75, 0.55, 200, 200}, {3, "8", 3, 0.85, 0.65, 200, 200},
                    {4, "16", 1, 0.75, 0.50, 200, 200}});
    QCOMPARE(sweep.bandCount(), 2);
    const auto up = sweep.bandUpper(false)->data(), down = sweep.bandLower(false)->data();
    QCOMPARE(up->size(), 2);
    QVERIFY(near(up->at(0)->value, 100 * std::min(1.0, t.high)));  // rank 8: three seeds
    QVERIFY(near(down->at(0)->value, 100 * std::max(0.0, t.low)));
    QVERIFY(near(up->at(1)->value, 100 * w.high));                  // rank 16: one run of 150 / 200
    QVERIFY(sweep.bandUpper(false)->name().contains("95 %"));
  }

  void twoOodSetsGiveBarsForBothAndASelector() {
    const nlohmann::json more = {{{"name", "other subgroups"}, {"metrics", splitJson(300, 400)}}};
    const nlohmann::json more2 = {{{"name", "other subgroups"}, {"metrics", splitJson(340, 400)}}};
    const std::vector<RunRecord> runs = {record({1, "lp", 1, 1200, 1600, 900, 1600}, more),
                                         record({2, "lora", 1, 1400, 1600, 1100, 1600}, more2)};
    pw::ui::IdOodTab tab;
    tab.resize(1200, 900);
    tab.show();
    tab.setRuns(summaries(runs));
    pw::ui::AccuracyBarsChart* bars = tab.bars();
    QCOMPARE(bars->splitNames(), QStringList({"ID test", "other source", "other subgroups"}));
    QCOMPARE(bars->drawnBars().size(), 6);
    const auto* sub = bars->drawnBar(1, "other subgroups");
    QVERIFY(sub && sub->errors);
    QVERIFY(near(sub->bars->data()->constBegin()->value, 85.0));
    QStringList legend;
    for (int i = 0; i < bars->legend->itemCount(); ++i)
      if (auto* item = qobject_cast<QCPPlottableLegendItem*>(bars->legend->item(i))) legend << item->plottable()->name();
    QVERIFY2(legend.contains("ID test") && legend.contains("OOD: other source") && legend.contains("OOD: other subgroups"),
             qPrintable(legend.join(", ")));

    // The scatters follow the selector.
    QVERIFY(tab.oodSetBox()->isVisibleTo(&tab));
    QCOMPARE(tab.oodSetBox()->count(), 2);
    QCOMPARE(tab.scatter()->oodSet(), QString("other source"));
    tab.oodSetBox()->setCurrentIndex(1);
    QCOMPARE(tab.scatter()->oodSet(), QString("other subgroups"));
    QCOMPARE(tab.paramsChart()->oodSet(), QString("other subgroups"));
    QVERIFY(tab.scatter()->yAxis->label().contains("other subgroups"));
    QCOMPARE(tab.scatter()->series().size(), 2);
    for (const auto& s : tab.scatter()->series())
      QVERIFY(near(s.graph->data()->constBegin()->value, s.method == "lp" ? 75.0 : 85.0));
    // A choice survives new runs that still have the set.
    tab.setRuns(summaries(runs));
    QCOMPARE(tab.scatter()->oodSet(), QString("other subgroups"));
    // Each split has its verdicts.
    QVERIFY(tab.verdictText().contains("OOD: other subgroups: best is LoRA r=8"));

    // One OOD set: no selector.
    tab.setRuns(summaries({record({1, "lp", 1, 1200, 1600, 900, 1600})}));
    QVERIFY(!tab.oodSetBox()->isVisibleTo(&tab));
  }

  void runsTableShowsIntervalsOodNameAndPrecision() {
    Fake old{3, "lp", 1, 50, 100, 40, 100, ""};
    std::vector<RunRecord> runs = {record({1, "lp", 1, 1200, 1600, 900, 1600, "fp32"}),
                                   record({2, "lora", 1, 1400, 1600, 1100, 1600, "bf16"}), record(old)};
    pw::ui::RunsModel model;
    model.setRuns(runs);
    using C = pw::ui::RunsModel;
    QCOMPARE(model.headerData(C::Precision, Qt::Horizontal, Qt::DisplayRole).toString(), QString("Precision"));
    QCOMPARE(model.data(model.index(0, C::Precision), Qt::DisplayRole).toString(), QString("fp32"));
    QCOMPARE(model.data(model.index(1, C::Precision), Qt::DisplayRole).toString(), QString("bf16"));
    QCOMPARE(model.data(model.index(2, C::Precision), Qt::DisplayRole).toString(), QString("-"));
    const pw::Interval w = pw::wilsonInterval(1400, 1600);
    QCOMPARE(model.data(model.index(1, C::IdAccuracy), Qt::DisplayRole).toString(),
             QString("87.5 [%1, %2]").arg(100 * w.low, 0, 'f', 1).arg(100 * w.high, 0, 'f', 1));
    QCOMPARE(model.data(model.index(1, C::IdAccuracy), Qt::UserRole).toDouble(), 87.5);  // sorting and CSV: exact
    QVERIFY(model.data(model.index(1, C::OodAccuracy), Qt::ToolTipRole).toString().contains("1,600"));
    QCOMPARE(model.headerData(C::OodAccuracy, Qt::Horizontal, Qt::DisplayRole).toString(), QString("OOD: other source (%)"));
    // Runs with different first OOD sets: the generic header.
    runs[2].result["ood_name"] = "elsewhere";
    model.setRuns(runs);
    QCOMPARE(model.headerData(C::OodAccuracy, Qt::Horizontal, Qt::DisplayRole).toString(), QString("OOD acc. (%)"));
  }

  void verdictPanelSaysWithinNoiseOrARealDifference() {
    // The same 400 examples; B gets two fewer right than A: within noise. C gets 100 fewer: a real difference.
    const std::vector<RunRecord> close = {record({1, "lora", 1, 300, 400, 300, 400}), record({2, "lp", 1, 298, 400, 299, 400})};
    pw::ui::IdOodTab tab;
    tab.setRuns(summaries(close));
    QVERIFY2(tab.verdictText().contains("within noise"), qPrintable(tab.verdictText()));
    QVERIFY(!tab.verdictText().contains("a real difference"));
    QVERIFY(tab.verdictText().contains("McNemar"));
    QVERIFY(tab.verdictPanel()->toHtml().contains("within noise"));
    const std::vector<RunRecord> apart = {record({1, "lora", 1, 300, 400, 300, 400}), record({2, "lp", 1, 200, 400, 299, 400})};
    tab.setRuns(summaries(apart));
    QVERIFY2(tab.verdictText().contains("ID test: best is LoRA r=8"), qPrintable(tab.verdictText()));
    QVERIFY2(tab.verdictText().contains("LoRA r=8 vs Linear probing: +25.0 points"), qPrintable(tab.verdictText()));
    QVERIFY(tab.verdictText().contains("a real difference at 95 %"));
    // A run saved without its per-example record: no paired test, and the panel says so.
    RunRecord noBits = apart[1];
    noBits.result["id_test"].erase("correct");
    tab.setRuns(summaries({apart[0], noBits}));
    QVERIFY(tab.verdictText().contains("no test"));
  }
};

QTEST_MAIN(TestGuiIntervals)
#include "tst_gui_intervals.moc"
