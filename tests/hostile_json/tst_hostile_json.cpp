// Hostile JSON files against every reader (issue #13): nested 200,000 levels deep, a key given twice, something
// after the value, a FIFO where the file should be, too large. Each must fail fast with an error naming the
// file and the problem: no crash (the recursive copies of a deep value overflowed the stack), no hang (a FIFO
// blocks a plain read forever: config.json, model.safetensors, vocabulary files), no "the later key wins".
// Also weights holding NaN or infinities (refused with the file and the tensor's name), a vocabulary larger
// than the embedding, and a vocabulary that cannot spell the texts (the run fails instead of "finishing" at
// chance).
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <string>

#include "data/raw_table.h"
#include "io/safetensors.h"
#include "models/config.h"
#include "tokenizers/tokenizer_json.h"
#include "tokenizers/vocab_files.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/error_text.h"
#include "util/strict_json.h"
#include "../common/tiny_fixtures.h"

namespace {

std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

const std::string kDeep = std::string(200000, '[') + std::string(200000, ']');

}  // namespace

class TestHostileJson : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string at(const std::string& name) const { return dir_.filePath(QString::fromStdString(name)).toStdString(); }

  // The reader's error names the file and says `problem`.
  void expectRefused(const std::function<void(const std::string&)>& reader, const std::string& name,
                     const std::string& content, const std::string& problem) {
    const std::string path = at(name);
    write(path, content);
    const std::string e = errorOf([&] { reader(path); });
    QVERIFY2(e.find(path) != std::string::npos, (name + ": " + e).c_str());
    QVERIFY2(e.find(problem) != std::string::npos, (name + ": " + e).c_str());
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void deepNestingFailsWithTheFileName() {
    const std::string deepObject = "{\"normalizer\": " + kDeep + "}";
    expectRefused([](const std::string& p) { pw::readConfigFile(p); }, "config.json", "{\"x\": " + kDeep + "}",
                  "nested more than");
    expectRefused([](const std::string& p) { pw::tok::loadTokenizerJson(p, false); }, "tokenizer.json", deepObject,
                  "nested more than");
    expectRefused([](const std::string& p) { pw::tok::readVocabJson(p); }, "vocab.json", kDeep, "nested more than");
    expectRefused([](const std::string& p) { pw::readStrictJsonFile(p); }, "session.pwb", deepObject, "nested more than");
    expectRefused([](const std::string& p) { pw::data::readRawTable(p); }, "data.jsonl",
                  "{\"text\": \"a\", \"label\": " + kDeep + "}\n", "nested more than");
  }

  void duplicateKeysAndTrailingGarbage() {
    const std::string config = R"({"model_type": "bert", "num_hidden_layers": 2, "num_hidden_layers": 4})";
    expectRefused([](const std::string& p) { pw::readConfigFile(p); }, "dup-config.json", config,
                  "duplicate key \"num_hidden_layers\"");
    expectRefused([](const std::string& p) { pw::readConfigFile(p); }, "trail-config.json",
                  R"({"model_type": "bert"} {"more": 1})", "not valid JSON");
    expectRefused([](const std::string& p) { pw::tok::readVocabJson(p); }, "dup-vocab.json",
                  R"({"a": 0, "a": 1})", "duplicate key \"a\"");
  }

  void hugeSizesAreRefusedBeforeAllocating() {
    const std::string base = R"({"model_type": "bert", "vocab_size": 1000, "hidden_size": 64, "num_attention_heads": 2,
                                 "intermediate_size": 128, "max_position_embeddings": 64, )";
    expectRefused([](const std::string& p) { pw::readConfigFile(p); }, "layers-config.json",
                  base + R"("num_hidden_layers": 1000000000})", "number of layers 1000000000 is beyond");
    const std::string wide = R"({"model_type": "bert", "vocab_size": 30000, "hidden_size": 65536, "num_attention_heads": 64,
                                 "intermediate_size": 262144, "max_position_embeddings": 512, "num_hidden_layers": 24})";
    expectRefused([](const std::string& p) { pw::readConfigFile(p); }, "wide-config.json", wide, "billion parameters");
  }

  void notARegularFileNeverBlocks() {
    const std::string fifo = at("fifo-config.json");
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string e = errorOf([&] { pw::readConfigFile(fifo); });  // a plain read would wait for a writer
    QVERIFY2(e.find(fifo) != std::string::npos && e.find("not a regular file") != std::string::npos, e.c_str());
    // The same for the other files a model folder holds (info hung on a FIFO model.safetensors).
    const std::string weights = at("model.safetensors"), vocab = at("vocab.txt");
    QCOMPARE(::mkfifo(weights.c_str(), 0600), 0);
    QCOMPARE(::mkfifo(vocab.c_str(), 0600), 0);
    QVERIFY(errorOf([&] { pw::io::readSafetensors(weights); }).find("not a regular file") != std::string::npos);
    QVERIFY(errorOf([&] { pw::io::readSafetensorsHeader(weights); }).find("not a regular file") != std::string::npos);
    QVERIFY(errorOf([&] { pw::tok::readVocabTxt(vocab); }).find("not a regular file") != std::string::npos);
    const std::string folder = at("a-folder.json");
    QVERIFY(QDir().mkpath(QString::fromStdString(folder)));
    QVERIFY(errorOf([&] { pw::readStrictJsonFile(folder); }).find("not a regular file") != std::string::npos);
  }

  void nonFiniteWeightsAreRefusedByName() {
    const std::string folder = at("nan-model");
    pwtest::writeTinyModel(folder, pw::Family::Bert);
    QVERIFY(pw::loadModel(folder).model);  // finite: loads
    const std::string file = folder + "/model.safetensors";
    pw::io::TensorMap w = pw::io::readSafetensors(file);
    std::string victim;
    for (auto& [name, t] : w)
      if (name.find("word_embeddings") != std::string::npos) victim = name, t[0][0] = std::nan("");
    QVERIFY(!victim.empty());
    pw::io::writeSafetensors(file, w);
    const std::string e = errorOf([&] { pw::loadModel(folder); });
    QVERIFY2(e.find(file) != std::string::npos && e.find("\"" + victim + "\" holds NaN") != std::string::npos, e.c_str());
  }

  void tokenizerMustFitTheModel() {
    const std::string bert = at("big-vocab");
    pwtest::writeTinyModel(bert, pw::Family::Bert);
    {
      std::ofstream vocab(bert + "/vocab.txt", std::ios::app);
      for (int i = 0; i < 10; ++i) vocab << "extra" << i << "\n";
    }
    const std::string e = errorOf([&] { pw::loadModel(bert); });
    QVERIFY2(e.find(bert) != std::string::npos && e.find("tokens but the embedding") != std::string::npos, e.c_str());

    // A byte-level vocabulary without the byte symbols spells nothing: the run fails and says why.
    const std::string gpt = at("no-bytes"), task = at("task");
    pwtest::writeTinyModel(gpt, pw::Family::Gpt2);
    write(gpt + "/vocab.json", R"({"zz": 0, "<|endoftext|>": 1})");
    write(gpt + "/merges.txt", "#version: 0.2\n");
    std::remove((gpt + "/tokenizer.json").c_str());
    QVERIFY(QDir().mkpath(QString::fromStdString(task)));
    pwtest::writeTinyTask(task, false);
    pw::TrainConfig c;
    c.model = gpt, c.task = task, c.method = "bitfit", c.epochs = 1;
    const pw::RunResult r = pw::Trainer(c).run();
    QCOMPARE(QString(pw::statusName(r.status)), QString("failed"));
    QVERIFY2(r.error.find("encode to no tokens") != std::string::npos, r.error.c_str());
  }

  // What the window shows for a LibTorch error: its message, never the C++ backtrace.
  void libtorchErrorsLoseTheirBacktrace() {
    try {
      at::ones({2}).view({3});
      QFAIL("no error");
    } catch (const std::exception& e) {
      const std::string text = pw::errorText(e);
      QVERIFY2(!text.empty() && text.find("frame #") == std::string::npos, text.c_str());
      QVERIFY(text.find("shape") != std::string::npos);
    }
    const pw::Error plain("plain words");
    QCOMPARE(pw::errorText(plain), std::string("plain words"));
  }

  void tooLargeIsRefusedBeforeReading() {
    const std::string path = at("big.json");
    write(path, "[" + std::string(5000, ' ') + "]");
    const std::string e = errorOf([&] { pw::readStrictJsonFile(path, 1000); });
    QVERIFY2(e.find(path) != std::string::npos && e.find("too large") != std::string::npos, e.c_str());
    QVERIFY(pw::readStrictJsonFile(path).is_array());  // under the default limit it reads
  }
};

QTEST_MAIN(TestHostileJson)
#include "tst_hostile_json.moc"
