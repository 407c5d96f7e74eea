// Pretraining tests on a tiny corpus: the loss goes down for both objectives, a resumed run matches an
// uninterrupted one exactly, the checkpoint is a loadable Hugging Face folder, and PPMI-SVD vectors put
// words that share contexts close together.
// pw-test-libs: pw_train pw_models pw_io pw_tokenizers pw_data pw_util
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/model_folder.h"
#include "train/pmi_embeddings.h"
#include "train/pretrain.h"

using namespace pw;

namespace {

const std::vector<std::string> kWords = {"the", "cat", "dog", "sat", "ran", "on", "mat", "rug", "a", "big",
                                         "small", "red", "blue", "bird", "fish", "swam", "flew", "sky", "sea", "."};

// Sentences with structure a model can learn: animals go with their verbs and places.
void writeCorpus(const std::string& path) {
  std::ofstream out(path);
  const char* rows[][3] = {{"cat", "sat", "mat"}, {"dog", "ran", "rug"}, {"bird", "flew", "sky"}, {"fish", "swam", "sea"}};
  for (int i = 0; i < 400; ++i) {
    auto& r = rows[i % 4];
    out << "the " << (i % 3 ? "big " : "small ") << (i % 5 ? "red " : "blue ") << r[0] << " " << r[1] << " on the "
        << r[2] << " .\n";
  }
}

void writeBertVocab(const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream v(dir + "/vocab.txt");
  for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) v << s << "\n";
  for (const auto& w : kWords) v << w << "\n";
}

void writeGptVocab(const std::string& dir) {
  std::filesystem::create_directories(dir);
  // Byte-level symbols for every byte the corpus uses, whole words as merges would produce them is overkill:
  // single bytes are a valid (if long-winded) GPT-2 vocabulary.
  nlohmann::json vocab;
  int id = 0;
  for (int c = 33; c < 127; ++c) vocab[std::string(1, char(c))] = id++;
  vocab["\xC4\xA0"] = id++;  // U+0120, the byte-level space
  vocab["<|endoftext|>"] = id++;
  std::ofstream(dir + "/vocab.json") << vocab.dump();
  std::ofstream(dir + "/merges.txt") << "#version: 0.2\n";
}

PretrainOptions tinyOptions(const QTemporaryDir& dir, const std::string& arch) {
  PretrainOptions o;
  o.arch = arch;
  o.corpus = dir.path().toStdString() + "/corpus.txt";
  o.vocab = dir.path().toStdString() + "/vocab-" + arch;
  o.out = dir.path().toStdString() + "/out-" + arch;
  o.layers = 1;
  o.hidden = 32;
  o.heads = 2;
  o.seq = 16;
  o.batch = 8;
  o.maxPositions = 32;
  o.lr = 3e-3;
  o.evalEvery = 0;
  o.checkpointMinutes = 1000;
  return o;
}

std::vector<double> windowLosses(const PretrainOptions& o) {
  std::vector<double> losses;
  runPretraining(o, [&](const PretrainProgress& p) {
    if (p.message.empty()) losses.push_back(p.loss);
  });
  return losses;
}

}  // namespace

class TestPretrain : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private Q_SLOTS:
  void initTestCase() {
    writeCorpus(dir_.path().toStdString() + "/corpus.txt");
    writeBertVocab(dir_.path().toStdString() + "/vocab-bert");
    writeGptVocab(dir_.path().toStdString() + "/vocab-gpt2");
  }

  void lossGoesDown_data() {
    QTest::addColumn<QString>("arch");
    QTest::newRow("bert") << "bert";
    QTest::newRow("gpt2") << "gpt2";
  }
  void lossGoesDown() {
    QFETCH(QString, arch);
    PretrainOptions o = tinyOptions(dir_, arch.toStdString());
    o.steps = 200;
    o.lr = 1e-2;
    std::vector<double> losses = windowLosses(o);
    QCOMPARE(losses.size(), size_t(20));
    QVERIFY2(losses.back() < 0.85 * losses.front(),
             qPrintable(QString("loss %1 -> %2").arg(losses.front()).arg(losses.back())));
    // The checkpoint is a complete Hugging Face folder the model loader reads.
    LoadedModel m = loadModel(o.out);
    QCOMPARE(m.model->config().layers, int64_t(1));
    QVERIFY(m.tokenizer != nullptr);
    QVERIFY(std::filesystem::exists(o.out + "/optimizer.pt"));
    QVERIFY(std::filesystem::exists(o.out + "/trainer_state.json"));
  }

  void resumeIsExact_data() {
    QTest::addColumn<QString>("precision");
    QTest::newRow("fp32") << "fp32";
    QTest::newRow("bf16") << "bf16";
  }

  void resumeIsExact() {
    QFETCH(QString, precision);
    PretrainOptions full = tinyOptions(dir_, "bert");
    full.precision = precision.toStdString();
    full.out += "-full-" + full.precision;
    full.steps = 40;
    std::vector<double> uninterrupted = windowLosses(full);

    PretrainOptions part = tinyOptions(dir_, "bert");
    part.precision = full.precision;
    part.out += "-part-" + part.precision;
    part.steps = 40;
    part.stopAfterSteps = 20;
    std::vector<double> first = windowLosses(part);
    QCOMPARE(first.size(), size_t(2));
    part.resume = true;
    std::vector<double> second = windowLosses(part);
    QCOMPARE(second.size(), size_t(2));
    QCOMPARE(first[1], uninterrupted[1]);
    QCOMPARE(second[0], uninterrupted[2]);  // bit-identical: same data, masks, dropout and optimiser state
    QCOMPARE(second[1], uninterrupted[3]);
  }

  // Ctrl+C's flag stops the run after the step in progress, with the checkpoint written as at the end: resuming
  // it goes on bit-identically. The progress reports an ETA that reaches 0 at the schedule's end, and the rate
  // anneals to zero (the floor is recorded so a resume keeps it).
  void aStopRequestKeepsTheRunExact() {
    PretrainOptions full = tinyOptions(dir_, "bert");
    full.precision = "fp32";
    full.out += "-stop-full";
    full.steps = 40;
    full.keepEvery = 20;
    std::vector<double> losses, etas, rates;
    runPretraining(full, [&](const PretrainProgress& p) {
      if (!p.message.empty()) return;
      losses.push_back(p.loss);
      etas.push_back(p.etaSeconds);
      rates.push_back(p.lr);
    });
    QCOMPARE(losses.size(), size_t(4));
    QVERIFY(etas[0] > 0);
    QCOMPARE(etas[3], 0.0);
    QVERIFY2(rates[3] < 0.05 * full.lr, qPrintable(QString::number(rates[3])));  // step 39 of 40: near zero
    // --keep-every: F16 model folders along the way, loadable as models.
    QCOMPARE(loadModel(full.out + ".steps/step-000020").model->config().layers, int64_t(1));
    QVERIFY(std::filesystem::exists(full.out + ".steps/step-000040/model.safetensors"));

    std::atomic<bool> stop{false};
    PretrainOptions part = tinyOptions(dir_, "bert");
    part.precision = "fp32";
    part.out += "-stop-part";
    part.steps = 40;
    part.stopRequested = &stop;
    std::vector<double> first;
    PretrainResult r = runPretraining(part, [&](const PretrainProgress& p) {
      if (!p.message.empty()) return;
      first.push_back(p.loss);
      if (p.step == 20) stop = true;  // as if Ctrl+C came during step 21's predecessor
    });
    QVERIFY(r.stopped);
    QCOMPARE(r.steps, int64_t(20));
    const nlohmann::json st = nlohmann::json::parse(std::ifstream(part.out + "/trainer_state.json"));
    QCOMPARE(st.at("step").get<int64_t>(), int64_t(20));
    QCOMPARE(st.at("lr_floor_fraction").get<double>(), 0.0);
    stop = false;
    part.resume = true;
    part.floorFraction = 0.5;  // ignored on resume: the checkpoint's floor is kept
    std::vector<double> second = windowLosses(part);
    QCOMPARE(first, std::vector<double>(losses.begin(), losses.begin() + 2));
    QCOMPARE(second, std::vector<double>(losses.begin() + 2, losses.end()));
  }

  void pmiVectorsGroupWordsByContext() {
    // "cat" and "dog" share every context; "sea" never appears near them.
    std::vector<std::vector<int32_t>> docs;
    for (int i = 0; i < 200; ++i) {
      docs.push_back({0, int32_t(1 + i % 2), 3, 4, 5});  // the {cat|dog} sat on mat
      docs.push_back({6, 7, 8, 9, 10});                  // unrelated words
    }
    at::Tensor v = pmiSvdEmbeddings(docs, 12, 4, 0.05);
    QCOMPARE(v.sizes().vec(), (std::vector<int64_t>{12, 4}));
    auto cosine = [&](int a, int b) {
      return (v[a] * v[b]).sum().item<double>() / (v[a].norm().item<double>() * v[b].norm().item<double>());
    };
    QVERIFY2(cosine(1, 2) > 0.9, qPrintable(QString::number(cosine(1, 2))));
    QVERIFY(cosine(1, 8) < cosine(1, 2));
  }
};

QTEST_MAIN(TestPretrain)
#include "tst_pretrain.moc"
