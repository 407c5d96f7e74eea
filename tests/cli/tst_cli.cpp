// CLI tests: `info` and `encode` on a model folder made here (text and --json), bad input giving one
// clear error on stderr naming the file, with exit code 1, and `COMMAND --help` (CLI11) listing every option with
// what it means, the method knobs from their descriptors.
// pw-test-libs: pw_models pw_io pw_tokenizers pw_util pw_test_fake_hub
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "models/model_folder.h"
#include "../common/fake_hub.h"

namespace {

struct Result {
  int code;
  QString out, err;
};

Result runCli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.start(PW_CLI_PATH, args);
  if (!p.waitForFinished(60000)) return {-1, "", "timeout"};
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

void writeVocab(const std::string& folder) {
  std::ofstream v(folder + "/vocab.txt");
  for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "heart", "pump", "##s", "blood", "."})
    v << t << "\n";
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString model_;

 private Q_SLOTS:
  void initTestCase() {
    model_ = dir_.path() + "/model";
    pw::TransformerModel m(pw::makeConfig(pw::Family::Bert, 11, 2, 16, 4, 64));
    pw::saveModel(*m, model_.toStdString());
    writeVocab(model_.toStdString());
  }

  // `download` against a fake Hub on 127.0.0.1 (nothing reaches the internet), then the model loads by name
  // from the cache with HF_HUB_OFFLINE set; a missing repository is one clear error.
  void downloadThenLoadByNameOffline() {
    pwtest::FakeHub hub;
    std::vector<pwtest::FakeHub::File> files;
    for (const QString name : {"config.json", "model.safetensors", "vocab.txt"}) {
      QFile f(model_ + "/" + name);
      QVERIFY(f.open(QIODevice::ReadOnly));
      files.push_back({name.toStdString(), f.readAll().toStdString(), name.endsWith(".safetensors")});
    }
    hub.serveRepo("org/tiny", "89abcdef0123456789abcdef0123456789abcdef", files);
    QTemporaryDir cache;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HF_ENDPOINT", QString::fromStdString(hub.url()));
    env.insert("HF_HUB_CACHE", cache.path());
    env.remove("HF_HUB_OFFLINE");
    Result r = runCli({"download", "org/tiny", "--json"}, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["repo"].toString(), QString("org/tiny"));
    QCOMPARE(j["commit"].toString(), QString("89abcdef0123456789abcdef0123456789abcdef"));
    QVERIFY(j["snapshot"].toString().startsWith(cache.path() + "/models--org--tiny/snapshots/"));
    QCOMPARE(j["files"].toArray().size(), 3);

    env.insert("HF_HUB_OFFLINE", "1");
    env.insert("HF_ENDPOINT", "http://127.0.0.1:9");  // nothing listens: a request would fail
    r = runCli({"info", "org/tiny", "--json"}, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["layers"].toInt(), 2);

    env.remove("HF_HUB_OFFLINE");
    env.insert("HF_ENDPOINT", QString::fromStdString(hub.url()));
    r = runCli({"download", "org/missing"}, env);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("org/missing") && r.err.contains("404"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
  }

  void infoJson() {
    Result r = runCli({"info", model_, "--json"});
    QCOMPARE(r.code, 0);
    QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["family"].toString(), QString("bert"));
    QCOMPARE(j["layers"].toInt(), 2);
    QCOMPARE(j["hidden_size"].toInt(), 16);
    QCOMPARE(j["heads"].toInt(), 4);
    QCOMPARE(j["vocab_size"].toInt(), 11);
    QCOMPARE(j["max_positions"].toInt(), 64);
    // METHODS.md: (V + P + T)d + 2d + L(4d^2 + 2df + f + 9d) + d^2 + d, with f = 4d.
    const qint64 d = 16, f = 64, L = 2;
    QCOMPARE(qint64(j["parameters"].toDouble()),
             (11 + 64 + 2) * d + 2 * d + L * (4 * d * d + 2 * d * f + f + 9 * d) + d * d + d);
    QCOMPARE(r.out.count('\n'), 1);  // exactly one JSON object
  }

  void infoText() {
    Result r = runCli({"info", model_});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("family:"));
    QVERIFY(r.out.contains("parameters:"));
  }

  void encodeJson() {
    Result r = runCli({"encode", model_, "The heart pumps blood.", "--json"});
    QCOMPARE(r.code, 0);
    QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QStringList tokens;
    for (auto t : j["tokens"].toArray()) tokens << t.toString();
    QCOMPARE(tokens, (QStringList{"[CLS]", "the", "heart", "pump", "##s", "blood", ".", "[SEP]"}));
    QCOMPARE(j["ids"].toArray().at(1).toInt(), 5);
  }

  // `probe-curve` probes each step-N folder `pretrain --keep-every` keeps, in step order, with the tokens from the
  // checkpoint's trainer_state.json, and draws the chart.
  void probeCurveAlongSteps() {
    const QString out = dir_.path() + "/pre", steps = out + ".steps";
    for (const char* step : {"step-000020", "step-000010"}) {
      QVERIFY(QDir().mkpath(steps + "/" + step));
      for (const char* f : {"config.json", "model.safetensors", "vocab.txt"})
        QVERIFY(QFile::copy(model_ + "/" + f, steps + "/" + step + "/" + f));
    }
    QVERIFY(QDir().mkpath(out));
    std::ofstream(out.toStdString() + "/trainer_state.json") << R"({"batch": 4, "seq": 8, "step": 20})";
    // A small task: the whole suite also runs under the sanitizers, where dictionary-fields takes minutes.
    const QString task = QString(PW_TEST_DATA) + "/tasks/csv_folder";
    Result r = runCli({"probe-curve", steps, "--task", task, "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray rows = QJsonDocument::fromJson(r.out.toUtf8()).object()["steps"].toArray();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].toObject()["step"].toInt(), 10);
    QCOMPARE(rows[1].toObject()["tokens"].toInt(), 20 * 4 * 8);
    QVERIFY(rows[0].toObject()["ood_sets"].toArray().size() >= 1);
    // The chart: written by a build with the GUI libraries, refused in words by one without (the sanitizer build).
    Result chart = runCli({"probe-curve", steps, "--task", task, "--out", dir_.path() + "/curve.png"});
    if (chart.code == 0) QVERIFY(QFileInfo(dir_.path() + "/curve.png").size() > 1000);
    else QVERIFY2(chart.err.contains("this build has no charts"), qPrintable(chart.err));
    Result none = runCli({"probe-curve", model_});
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains("no step-N model folders"), qPrintable(none.err));
  }

  void commandHelp() {
    // Every command answers --help on stdout, exit 0, with its usage line and an "Options:" list.
    for (const char* command : {"info", "encode", "train", "compare", "sweep", "tune", "params", "bench",
                                "bench-infer", "pretrain", "vocab", "corpus", "convert", "runs", "task-info",
                                "predict", "probe", "probe-curve"}) {
      Result r = runCli({command, "--help"});
      QVERIFY2(r.code == 0, command);
      QVERIFY2(r.out.startsWith(QString("usage: peft-workbench-cli ") + command), qPrintable(r.out));
      QVERIFY2(r.out.contains("Options:"), command);
      QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
      // No option without its meaning: each option line has words after the name column.
      for (const QString& line : r.out.split('\n')) {
        if (!line.startsWith("  --")) continue;
        QVERIFY2(line.simplified().count(' ') >= 2 || line.contains("--json"), qPrintable(QString(command) + ": " + line));
      }
    }
    // The knobs come from the descriptors: label, range, default and tooltip, for each method that has one.
    Result r = runCli({"help", "train"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("--rank N"), qPrintable(r.out));
    QVERIFY(r.out.contains("lora: Rank r (1 to 4096), default 8."));
    QVERIFY(r.out.contains("prompt: Prompt length k"));
    QVERIFY(r.out.contains("prefix: Prefix length k"));
    QVERIFY(r.out.contains("--train-layernorm"));
    // A command's own meaning wins over the shared one.
    r = runCli({"vocab", "--help"});
    QVERIFY(r.out.contains("vocabulary size (default 16000)"));
    QVERIFY(!r.out.contains("results CSVs"));
    // Parsing: --name=value, the last of a repeated option, a negative number as a value, a missing value.
    r = runCli({"encode", model_, "the heart", "--no-special", "--json"});
    QCOMPARE(r.code, 0);
    r = runCli({"params", "--config", model_ + "/config.json", "--method", "lora", "--rank=2", "--rank", "4", "--json"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("\"rank\":4"), qPrintable(r.out));
    r = runCli({"params", "--config", model_ + "/config.json", "--method", "lora", "--rank", "-1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("rank"), qPrintable(r.err));  // refused by the knob's range, not as an unknown option
    r = runCli({"params", "--config", model_ + "/config.json", "--method"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("--method") && r.err.contains("usage: params"), qPrintable(r.err));
    r = runCli({"info"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("wrong number of arguments"), qPrintable(r.err));
  }

  void badInput() {
    const QString root = dir_.path();
    // A folder whose pytorch_model.bin is not a torch.save file.
    QDir().mkpath(root + "/pickle");
    QFile::copy(model_ + "/config.json", root + "/pickle/config.json");
    std::ofstream((root + "/pickle/pytorch_model.bin").toStdString()) << "not a pickle";
    Result r = runCli({"info", root + "/pickle"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("pytorch_model.bin: not a torch.save file"), qPrintable(r.err));
    // A hostile safetensors file: header length far past the end of the file.
    QDir().mkpath(root + "/hostile");
    QFile::copy(model_ + "/config.json", root + "/hostile/config.json");
    {
      std::ofstream f((root + "/hostile/model.safetensors").toStdString(), std::ios::binary);
      uint64_t n = 99999999;
      f.write(reinterpret_cast<const char*>(&n), 8);
      f << "{}";
    }
    r = runCli({"info", root + "/hostile"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("model.safetensors"), qPrintable(r.err));
    // An empty vocabulary.
    QDir().mkpath(root + "/emptyvocab");
    QFile::copy(model_ + "/config.json", root + "/emptyvocab/config.json");
    QFile::copy(model_ + "/model.safetensors", root + "/emptyvocab/model.safetensors");
    std::ofstream((root + "/emptyvocab/vocab.txt").toStdString());
    r = runCli({"encode", root + "/emptyvocab", "hello"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("vocab.txt"), qPrintable(r.err));
    // Unknown model, unknown command, unknown option.
    QCOMPARE(runCli({"info", "no-such-model"}).code, 1);
    QCOMPARE(runCli({"frobnicate"}).code, 1);
    r = runCli({"info", model_, "--bogus"});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("--bogus"));
    QVERIFY(r.out.isEmpty());
  }
};

QTEST_MAIN(TestCli)
#include "tst_cli.moc"
