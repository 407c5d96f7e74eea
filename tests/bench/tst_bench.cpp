// The `bench` command on a small random model: one JSON object with a row per method, positive timings,
// the ratio to full fine-tuning, the linear probe against one fine-tuning epoch, the FLOP count of the
// full fine-tuning step, per-process peak memory; and one clear error for an unknown method or model.
// (links all of core: benchTargetReport lives in train/bench)
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "train/bench.h"

#include <cmath>

#include "models/model_folder.h"

namespace {

struct Result {
  int code;
  QString out, err;
};

Result runCli(const QStringList& args) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("PW_THREADS", "1");
  p.setProcessEnvironment(env);
  p.start(PW_CLI_PATH, args);
  if (!p.waitForFinished(60000)) return {-1, "", "timeout"};
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject methodRow(const QJsonObject& j, const QString& name) {
  for (const auto& v : j["methods"].toArray())
    if (v.toObject()["method"].toString() == name) return v.toObject();
  return {};
}

// The ten columns of the text table's row for `method` ("bitfit  1234  5.0 ..."), or nothing.
QStringList tableRow(const QString& out, const QString& method) {
  for (const QString& line : out.split('\n')) {
    const QStringList words = line.split(' ', Qt::SkipEmptyParts);
    if (words.size() == 10 && words[0] == method && line.startsWith(method + " ")) return words;
  }
  return {};
}

}  // namespace

class TestBench : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString model_;
  const qint64 d_ = 32, f_ = 128, layers_ = 2;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    model_ = dir_.path() + "/model";
    const std::string shipped = pw::resolveModelFolder("tiny-bert");
    pw::ModelConfig c = pw::makeConfig(pw::Family::Bert, pw::readConfigFile(shipped + "/config.json").vocabSize,
                                       layers_, d_, 2, 64);
    QCOMPARE(c.intermediate, f_);
    pw::TransformerModel m(c);
    pw::saveModel(*m, model_.toStdString(), pw::io::StoreDtype::F32, shipped);
  }

  void gradientMethodsJson() {
    Result r = runCli({"bench", "--model", model_, "--methods", "ft,lora", "--steps", "2", "--warmup", "1", "--seq",
                       "16", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.out.count('\n'), 1);
    QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["batch"].toInt(), 16);
    QCOMPARE(j["seq"].toInt(), 16);
    QCOMPARE(j["threads"].toInt(), 1);
    QCOMPARE(j["methods"].toArray().size(), 2);
    const QJsonObject ft = methodRow(j, "ft"), lora = methodRow(j, "lora");
    for (const QJsonObject& row : {ft, lora}) {
      QCOMPARE(row["steps"].toInt(), 2);
      QCOMPARE(row["tokens_per_step"].toInt(), 16 * 16);
      QVERIFY(row["step_ms"].toDouble() > 0);
      QVERIFY(row["forward_ms"].toDouble() > 0 && row["backward_ms"].toDouble() > 0);
      QVERIFY(row["optimiser_ms"].toDouble() > 0);
      QVERIFY(row["forward_ms"].toDouble() < row["step_ms"].toDouble());
      QVERIFY(std::abs(row["tokens_per_second"].toDouble() - 256.0 / (row["step_ms"].toDouble() / 1000.0)) < 1e-6 *
                                                                             row["tokens_per_second"].toDouble());
      QVERIFY(row["peak_rss_mb"].toDouble() > 10);
    }
    QCOMPARE(ft["vs_ft"].toDouble(), 1.0);
    QVERIFY(lora["vs_ft"].toDouble() > 0);
    QCOMPARE(ft["trainable"].toDouble(), ft["total"].toDouble());
    QVERIFY(lora["trainable"].toDouble() < ft["trainable"].toDouble() / 10);
    // Matrix multiplies of one step: 6 B T L (4 d^2 + 2 d f) + 12 B T^2 d L + 6 B (d^2 + d C).
    const double B = 16, T = 16, d = double(d_), f = double(f_), L = double(layers_), C = 8;
    const double flops = 6 * B * T * L * (4 * d * d + 2 * d * f) + 12 * B * T * T * d * L + 6 * B * (d * d + d * C);
    QVERIFY(std::abs(j["ft_step_gflop"].toDouble() - flops / 1e9) < 1e-9);
    QVERIFY(j["peak_gflops"].toDouble() > 0);
    QVERIFY(std::abs(j["ft_gflops"].toDouble() - flops / 1e9 / (ft["step_ms"].toDouble() / 1000.0)) < 1e-6);
    QVERIFY(j["ft_share_of_peak"].toDouble() > 0);
  }

  void linearProbeAgainstAnEpoch() {
    Result r = runCli({"bench", "--model", model_, "--methods", "lp,ft", "--steps", "2", "--warmup", "0", "--seq",
                       "8", "--probe-examples", "40", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonObject lp = methodRow(j, "lp"), ft = methodRow(j, "ft");
    QCOMPARE(lp["probe_examples"].toInt(), 40);
    QVERIFY(lp["feature_seconds"].toDouble() > 0 && lp["probe_seconds"].toDouble() > 0);
    QCOMPARE(lp["trainable"].toInt(), int(d_ * 8 + 8));  // the head alone
    // One epoch of 40 examples in batches of 16: 3 steps.
    QVERIFY(std::abs(lp["ft_epoch_seconds"].toDouble() - 3 * ft["step_ms"].toDouble() / 1000.0) < 1e-9);
    QVERIFY(std::abs(lp["speedup_vs_ft_epoch"].toDouble() -
                     lp["ft_epoch_seconds"].toDouble() / lp["lp_seconds"].toDouble()) < 1e-9);
  }

  // Each target line's number is the table's, and its verdict is what the number says (met or MISSED).
  void textReportsTargets() {
    Result r = runCli({"bench", "--model", model_, "--methods", "ft,bitfit", "--steps", "1", "--warmup", "0",
                       "--seq", "8"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("bitfit step <= 0.8x ft step"));
    QVERIFY(r.out.contains("ft peak memory < 2048 MB"));
    const QStringList bitfitRow = tableRow(r.out, "bitfit"), ftRow = tableRow(r.out, "ft");
    QVERIFY2(!bitfitRow.isEmpty() && !ftRow.isEmpty(), qPrintable(r.out));

    const QRegularExpressionMatch step =
        QRegularExpression(R"(\n  bitfit step <= 0\.8x ft step: ([0-9.]+) \(CPU time [0-9.]+\)  (met|MISSED)\n)")
            .match(r.out);
    QVERIFY2(step.hasMatch(), qPrintable(r.out));
    const double ratio = step.captured(1).toDouble();
    QCOMPARE(step.captured(1), bitfitRow[8]);  // the "x ft" column
    if (std::abs(ratio - 0.8) > 0.005)         // printed to 2 decimals: at 0.80 either verdict is right
      QCOMPARE(step.captured(2), QString(ratio <= 0.8 ? "met" : "MISSED"));

    const QRegularExpressionMatch memory =
        QRegularExpression(R"(\n  ft peak memory < 2048 MB: ([0-9.]+) MB  (met|MISSED)\n)").match(r.out);
    QVERIFY2(memory.hasMatch(), qPrintable(r.out));
    const double mb = memory.captured(1).toDouble();
    QCOMPARE(memory.captured(1), ftRow[9]);  // the "peak MB" column
    if (std::abs(mb - 2048) > 0.05) QCOMPARE(memory.captured(2), QString(mb < 2048 ? "met" : "MISSED"));
  }

  // The report's verdicts follow the numbers, both ways: fed a met and a missed case of each target.
  void targetReportSaysMetAndMissed() {
    std::map<std::string, pw::MethodTiming> t;
    t["ft"].stepMs = 100, t["ft"].stepCpuMs = 200, t["ft"].peakRssMb = 3000;
    t["bitfit"].stepMs = 70, t["bitfit"].stepCpuMs = 140;
    t["lora"].stepMs = 90, t["lora"].stepCpuMs = 180;
    t["lp"].featureSeconds = 0.1, t["lp"].probeSeconds = 0.02;
    const QString report = QString::fromStdString(pw::benchTargetReport(t, 10));  // one ft epoch: 1 s
    QVERIFY2(report.contains("bitfit step <= 0.8x ft step: 0.70 (CPU time 0.70)  met"), qPrintable(report));
    QVERIFY2(report.contains("lora step <= 0.8x ft step: 0.90 (CPU time 0.90)  MISSED"), qPrintable(report));
    QVERIFY2(report.contains("lp >= 10x faster than one ft epoch: 8.3x with its feature pass  MISSED, 50.0x on "
                             "cached features  met"), qPrintable(report));
    QVERIFY2(report.contains("ft peak memory < 2048 MB: 3000.0 MB  MISSED"), qPrintable(report));
    QVERIFY(!report.contains("prompt"));
    t["ft"].peakRssMb = 500;
    QVERIFY(QString::fromStdString(pw::benchTargetReport(t, 10)).contains("500.0 MB  met"));
    t.erase("ft");
    QCOMPARE(pw::benchTargetReport(t, 10), std::string());
  }

  void badInputIsOneError() {
    Result r = runCli({"bench", "--model", model_, "--methods", "ft,nope"});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("unknown method 'nope'"));
    QVERIFY(r.out.isEmpty());
    r = runCli({"bench", "--model", dir_.path() + "/no-such-model", "--methods", "ft"});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.startsWith("error: "));
    QCOMPARE(r.err.count('\n'), 1);
  }
};

QTEST_MAIN(TestBench)
#include "tst_bench.moc"
