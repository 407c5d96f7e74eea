// Statistics tests: Wilson and Student-t intervals, the t distribution, exact McNemar, the paired t-test with
// its degenerate cases, Newcombe's paired interval and the verdict sentences. References: published tables
// and numbers computed independently in Python (stdlib NormalDist, the closed-form t CDF of Abramowitz &
// Stegun 26.7.3-4 for integer df, exact binomial sums with math.comb); see each case.
// pw-test-libs: pw_util
#include <cmath>
#include <limits>

#include "util/error.h"
#include "util/stats.h"
#include "util/verdict.h"

#include <QtTest>

using namespace pw;

namespace {
// Tolerances: 1e-4 for four-decimal published values, 1e-9 for Python's double-precision references.
constexpr double kTable = 1e-4, kTight = 1e-9;
}  // namespace

class TestStats : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void meanStdUnchanged() {
    const MeanStd m = meanStd({0.8, 0.82, 0.78});
    QCOMPARE(m.n, 3);
    QVERIFY(std::fabs(m.mean - 0.8) < 1e-12);
    QVERIFY(std::fabs(m.std - 0.02) < 1e-12);
    QCOMPARE(meanStd({}).n, 0);
    QCOMPARE(meanStd({0.5}).std, 0.0);
  }

  void incompleteBetaClosedForms() {
    // I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b, I_1/2(a, a) = 1/2, I_x(a, b) = 1 - I_(1-x)(b, a).
    for (double x : {0.01, 0.3, 0.5, 0.77, 0.999}) {
      QVERIFY(std::fabs(regularizedIncompleteBeta(3.5, 1, x) - std::pow(x, 3.5)) < 1e-13);
      QVERIFY(std::fabs(regularizedIncompleteBeta(1, 7, x) - (1 - std::pow(1 - x, 7))) < 1e-13);
      QVERIFY(std::fabs(regularizedIncompleteBeta(2.5, 40, x) + regularizedIncompleteBeta(40, 2.5, 1 - x) - 1) <
              1e-13);
    }
    QVERIFY(std::fabs(regularizedIncompleteBeta(12.5, 12.5, 0.5) - 0.5) < 1e-13);
    QCOMPARE(regularizedIncompleteBeta(2, 3, 0), 0.0);
    QCOMPARE(regularizedIncompleteBeta(2, 3, 1), 1.0);
    QVERIFY_THROWS_EXCEPTION(Error, regularizedIncompleteBeta(0, 1, 0.5));
  }

  void normalQuantile() {
    QVERIFY(std::fabs(pw::normalQuantile(0.975) - 1.959963984540054) < 1e-12);
    QVERIFY(std::fabs(pw::normalQuantile(0.025) + 1.959963984540054) < 1e-12);
    QVERIFY(std::fabs(normalCdf(pw::normalQuantile(0.999)) - 0.999) < 1e-14);
  }

  void studentT() {
    // Published table values (4 decimals), then Python's closed form (12 decimals).
    QVERIFY(std::fabs(studentTQuantile(0.975, 2) - 4.3027) < kTable);
    QVERIFY(std::fabs(studentTQuantile(0.975, 9) - 2.2622) < kTable);
    QVERIFY(std::fabs(studentTQuantile(0.975, 29) - 2.0452) < kTable);
    const struct { double df, q; } py[] = {{1, 12.706204736175}, {2, 4.302652729749}, {3, 3.182446305284},
                                           {5, 2.570581835636},  {9, 2.262157162798}, {29, 2.045229642133},
                                           {30, 2.042272456301}, {60, 2.000297822014}};
    for (const auto& r : py) QVERIFY2(std::fabs(studentTQuantile(0.975, r.df) - r.q) < kTight, qPrintable(QString::number(r.df)));
    QVERIFY(std::fabs(studentTQuantile(0.995, 4) - 4.604094871350) < kTight);
    QVERIFY(std::fabs(studentTQuantile(0.025, 9) + 2.262157162798) < kTight);
    QCOMPARE(studentTQuantile(0.5, 7), 0.0);
    // Large df tends to the normal quantile.
    QVERIFY(std::fabs(studentTQuantile(0.975, 1e7) - 1.959963984540054) < 1e-6);
    QVERIFY(std::fabs(studentTCdf(2, 3) - 0.930337015721) < kTight);
    QVERIFY(std::fabs(studentTCdf(1, 1) - 0.75) < 1e-14);
    QVERIFY(std::fabs(studentTCdf(0.7, 10) - 0.750056214914) < kTight);
    QVERIFY(std::fabs(studentTCdf(-2, 3) - (1 - 0.930337015721)) < kTight);
    // df = 2 closed form: F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
    QVERIFY(std::fabs(studentTCdf(std::sqrt(2.0), 2) - (0.5 + std::sqrt(2.0) / 4)) < 1e-14);
    QVERIFY(std::fabs(studentTTwoSided(2.262157162798, 9) - 0.05) < 1e-10);
    QCOMPARE(studentTTwoSided(std::numeric_limits<double>::infinity(), 4), 0.0);
  }

  void wilson() {
    Interval w = wilsonInterval(8, 10);
    QVERIFY(w.valid);
    QVERIFY(std::fabs(w.low - 0.4902) < kTable && std::fabs(w.high - 0.9433) < kTable);
    QVERIFY(std::fabs(w.low - 0.490162471537) < kTight && std::fabs(w.high - 0.943317848546) < kTight);
    w = wilsonInterval(0, 10);
    QCOMPARE(w.low, 0.0);
    QVERIFY(std::fabs(w.high - 0.2775) < kTable && std::fabs(w.high - 0.277532799863) < kTight);
    w = wilsonInterval(10, 10);
    QCOMPARE(w.high, 1.0);
    QVERIFY(std::fabs(w.low - 0.722467200137) < kTight);
    const struct { int64_t k, n; double lo, hi; } py[] = {{50, 100, 0.403831530366, 0.596168469634},
                                                         {412, 500, 0.788185828711, 0.854873598670},
                                                         {1, 1000, 0.000176546371, 0.005642558598}};
    for (const auto& r : py) {
      w = wilsonInterval(r.k, r.n);
      QVERIFY(std::fabs(w.low - r.lo) < kTight && std::fabs(w.high - r.hi) < kTight);
    }
    w = wilsonInterval(8, 10, 0.90);
    QVERIFY(std::fabs(w.low - 0.540792805687) < kTight && std::fabs(w.high - 0.931442012262) < kTight);
    QVERIFY(!wilsonInterval(0, 0).valid);
    QVERIFY_THROWS_EXCEPTION(Error, wilsonInterval(11, 10));
  }

  void tInterval() {
    const Interval t = tIntervalOfMean({0.80, 0.82, 0.78});
    QVERIFY(t.valid);
    QVERIFY(std::fabs(t.low - 0.750317245765) < kTight && std::fabs(t.high - 0.849682754235) < kTight);
    QVERIFY(std::fabs(t.halfWidth() - 0.049682754235) < kTight);
    QVERIFY(!tIntervalOfMean({0.8}).valid);
    QVERIFY(!tIntervalOfMean({}).valid);
    const Interval flat = tIntervalOfMean({0.7, 0.7, 0.7});
    QVERIFY(flat.valid && std::fabs(flat.low - 0.7) < 1e-15 && std::fabs(flat.high - 0.7) < 1e-15);
  }

  void mcnemar() {
    QVERIFY(std::fabs(mcnemarExactP(1, 9) - 0.021484375) < 1e-12);  // 2 * 11 / 1024
    QVERIFY(std::fabs(mcnemarExactP(9, 1) - 0.021484375) < 1e-12);
    QCOMPARE(mcnemarExactP(5, 5), 1.0);
    QCOMPARE(mcnemarExactP(0, 0), 1.0);
    QCOMPARE(mcnemarExactP(0, 1), 1.0);
    // Python, exact integer sums.
    const struct { int64_t b, c; double p; } py[] = {{6, 16, 0.0524787902832031}, {0, 5, 0.0625},
                                                     {0, 6, 0.03125},             {3, 0, 0.25},
                                                     {10, 25, 0.0166738478001207}, {480, 520, 0.217448293204141},
                                                     {900, 1100, 8.45708953550393e-06}};
    for (const auto& r : py)
      QVERIFY2(std::fabs(mcnemarExactP(r.b, r.c) / r.p - 1) < 1e-9, qPrintable(QString::number(r.b)));
    // b + c = 1e6 (Python: the exact top term from math.comb, the tail by term ratios): relative 1e-7.
    QVERIFY(std::fabs(mcnemarExactP(499000, 501000) / 0.0456082998681 - 1) < 1e-7);
    QVERIFY(std::fabs(mcnemarExactP(501500, 498500) / 0.00270865530623 - 1) < 1e-7);
    const double tiny = mcnemarExactP(0, 1000000);  // 2^-999999: underflows to 0, never NaN
    QVERIFY(tiny >= 0 && tiny < 1e-300);
    QVERIFY_THROWS_EXCEPTION(Error, mcnemarExactP(-1, 3));
  }

  void pairedTTest() {
    // Python: t = 2.777460299318, p = 0.069136869264, 95 % CI [-0.004374348819, 0.064374348819].
    PairedT t = pairedT({0.81, 0.83, 0.80, 0.85}, {0.78, 0.79, 0.80, 0.80});
    QCOMPARE(t.n, 4);
    QVERIFY(std::fabs(t.t - 2.777460299318) < kTight);
    QVERIFY(std::fabs(t.p - 0.069136869264) < kTight);
    QVERIFY(std::fabs(t.interval.low + 0.004374348819) < kTight);
    QVERIFY(std::fabs(t.interval.high - 0.064374348819) < kTight);
    QVERIFY(t.note.empty());
    QVERIFY(std::fabs(pairedTP({0.70, 0.74, 0.69, 0.73, 0.71}, {0.68, 0.70, 0.69, 0.70, 0.69}) - 0.029471316279) <
            kTight);
    // The sign follows a - b; the p-value does not.
    const PairedT r = pairedT({0.78, 0.79, 0.80, 0.80}, {0.81, 0.83, 0.80, 0.85});
    QVERIFY(std::fabs(r.t + 2.777460299318) < kTight && std::fabs(r.p - t.p) < 1e-14);
  }

  void pairedTDegenerate() {
    PairedT same = pairedT({0.8, 0.7, 0.9}, {0.8, 0.7, 0.9});  // identical runs
    QCOMPARE(same.p, 1.0);
    QVERIFY(same.interval.valid && same.interval.low == 0 && same.interval.high == 0);
    QVERIFY(!same.note.empty());
    PairedT constant = pairedT({0.85, 0.75, 0.95}, {0.80, 0.70, 0.90});  // always 5 points (up to rounding)
    QCOMPARE(constant.p, 0.0);
    QVERIFY(std::isinf(constant.t) && constant.t > 0);
    QVERIFY(std::fabs(constant.meanDiff - 0.05) < 1e-12);
    QVERIFY(std::fabs(constant.interval.low - 0.05) < 1e-12 && std::fabs(constant.interval.high - 0.05) < 1e-12);
    QVERIFY(constant.note.find("zero spread") != std::string::npos);
    PairedT one = pairedT({0.8}, {0.7});
    QVERIFY(std::isnan(one.p) && !one.interval.valid && !one.note.empty());
    QVERIFY_THROWS_EXCEPTION(Error, pairedT({0.8, 0.7}, {0.7}));
  }

  void newcombePaired() {
    // Cavo et al. (2012) in Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency Tables", ch. 8:
    // 59 / 6 / 16 / 80 -> -0.0621 (95 % CI -0.1186 to -0.0046); its exact McNemar P = 0.0525 (Python above).
    const Interval n = pairedProportionDifference(59, 6, 16, 80);
    QVERIFY(n.valid);
    QVERIFY(std::fabs(n.low + 0.1186) < kTable && std::fabs(n.high + 0.0046) < kTable);
    // No correlation (a zero margin) reduces it to the unpaired square-and-add of the two Wilson intervals.
    const Interval z = pairedProportionDifference(0, 10, 0, 0);  // A always right, B always wrong
    QVERIFY(std::fabs(z.high - 1.0) < 1e-12 && std::fabs(z.low - (1 - std::hypot(1 - 0.722467200137, 0.277532799863))) < kTight);
    QVERIFY(!pairedProportionDifference(0, 0, 0, 0).valid);
  }

  void verdictOneSeed() {
    // 100 examples: 70 both right, 10 only A, 2 only B, 18 neither -> +8 points, McNemar b = 10, c = 2.
    std::vector<uint8_t> a, b;
    auto add = [&](int count, uint8_t ra, uint8_t rb) {
      for (int i = 0; i < count; ++i) a.push_back(ra), b.push_back(rb);
    };
    add(70, 1, 1), add(10, 1, 0), add(2, 0, 1), add(18, 0, 0);
    const Verdict v = verdictFromCorrectness(a, b, {"LoRA", "LP", "OOD"});
    QVERIFY(v.valid);
    QCOMPARE(v.aOnly, int64_t(10));
    QCOMPARE(v.bOnly, int64_t(2));
    QVERIFY(std::fabs(v.difference - 0.08) < 1e-12);
    QVERIFY(std::fabs(v.p - mcnemarExactP(10, 2)) < 1e-15);
    QVERIFY(std::fabs(v.p - 0.0385742187500000) < 1e-12);  // 2 * (1 + 12 + 66) / 4096
    QVERIFY(v.significant);
    QVERIFY(v.interval.valid && v.interval.low < 0.08 && v.interval.high > 0.08 && v.interval.low > 0);
    QCOMPARE(QString::fromStdString(v.test), QString("McNemar exact, n=100"));
    QVERIFY2(v.sentence.rfind("LoRA vs LP on OOD: +8.0 points [+", 0) == 0, v.sentence.c_str());
    QVERIFY2(v.sentence.find("p = 0.039 (McNemar exact): a real difference at 95 %") != std::string::npos,
             v.sentence.c_str());
    const Verdict same = verdictFromCorrectness(a, a, {"LoRA", "LoRA", "ID"});
    QCOMPARE(same.p, 1.0);
    QVERIFY(!same.significant && same.sentence.find("within noise") != std::string::npos);
    QVERIFY(!verdictFromCorrectness(a, std::vector<uint8_t>(99, 1), {"A", "B", "ID"}).valid);
    QVERIFY(!verdictFromCorrectness({}, {}, {"A", "B", "ID"}).valid);
  }

  void verdictSeeds() {
    const Verdict v = verdictFromSeeds({0.81, 0.83, 0.80, 0.85}, {0.78, 0.79, 0.80, 0.80}, {"FT", "LP", "ID"});
    QVERIFY(v.valid && !v.significant);
    QCOMPARE(QString::fromStdString(v.test), QString("paired t over 4 seeds"));
    QCOMPARE(QString::fromStdString(v.sentence),
             QString("FT vs LP on ID: +3.0 points [-0.4, +6.4], p = 0.069 (paired t, 4 seeds): within noise"));
    const Verdict c = verdictFromSeeds({0.85, 0.75}, {0.80, 0.70}, {"FT", "LP", "ID"});
    QVERIFY(c.valid && c.significant && c.p == 0 && !c.note.empty());
    QVERIFY(!verdictFromSeeds({0.8}, {0.7}, {"FT", "LP", "ID"}).valid);
  }

  void formatting() {
    QCOMPARE(QString::fromStdString(formatP(0.0031)), QString("p = 0.003"));
    QCOMPARE(QString::fromStdString(formatP(0.41)), QString("p = 0.41"));
    QCOMPARE(QString::fromStdString(formatP(0.0004)), QString("p < 0.001"));
    QCOMPARE(QString::fromStdString(formatP(1.0)), QString("p = 1"));
    QCOMPARE(QString::fromStdString(formatP(0.04996)), QString("p = 0.04996"));  // not "0.050"
    QCOMPARE(QString::fromStdString(formatPoints(0.041)), QString("+4.1"));
    QCOMPARE(QString::fromStdString(formatPoints(-0.0031)), QString("-0.3"));
    QCOMPARE(QString::fromStdString(formatPoints(-0.0001)), QString("0.0"));
  }

  void summariesAndPairing() {
    SeedAccuracy one{1, 0.8, 10, {}};
    AccuracySummary s = summarizeAccuracy({one});
    QCOMPARE(s.method, std::string("wilson"));
    QVERIFY(std::fabs(s.interval.low - 0.490162471537) < kTight);
    s = summarizeAccuracy({{1, 0.80, 100, {}}, {2, 0.82, 100, {}}, {3, 0.78, 100, {}}});
    QCOMPARE(s.method, std::string("t"));
    QVERIFY(std::fabs(s.interval.high - 0.849682754235) < kTight);
    QCOMPARE(summarizeAccuracy({}).mean, -1.0);
    // Paired by seed, whatever the order; an unmatched seed is left out.
    const std::vector<SeedAccuracy> a = {{3, 0.80, 100, {}}, {1, 0.81, 100, {}}, {2, 0.83, 100, {}},
                                         {4, 0.85, 100, {}}, {9, 0.99, 100, {}}};
    const std::vector<SeedAccuracy> b = {{1, 0.78, 100, {}}, {2, 0.79, 100, {}}, {3, 0.80, 100, {}},
                                         {4, 0.80, 100, {}}};
    const Verdict v = compareRuns(a, b, {"A", "B", "ID"});
    QCOMPARE(v.pairs, 4);
    QVERIFY(std::fabs(v.p - 0.069136869264) < kTight);
    // One seed on each side: McNemar on the per-example results.
    const Verdict m = compareRuns({{1, 0.9, 10, {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}}},
                                  {{1, 0.1, 10, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}}, {"A", "B", "ID"});
    QVERIFY(m.valid && m.test == "McNemar exact, n=10");
    QVERIFY(std::fabs(m.p - 0.021484375) < 1e-12);  // 9 only-A, 1 only-B
    QVERIFY(!compareRuns({{1, 0.9, 10, {}}}, {{2, 0.8, 10, {}}}, {"A", "B", "ID"}).valid);
  }
};

QTEST_APPLESS_MAIN(TestStats)
#include "tst_stats.moc"
