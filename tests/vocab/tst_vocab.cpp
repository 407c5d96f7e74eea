// Tests for the vocabulary trainers (WordPiece, byte-level BPE), their merge loop and the `vocab` command.
// pw-test-libs: pw_tokenizers pw_util
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "tokenizers/bert_pretokenizer.h"
#include "tokenizers/gpt2_bytes.h"
#include "tokenizers/pair_merger.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/train_bpe.h"
#include "tokenizers/train_wordpiece.h"
#include "util/error.h"

using namespace pw::tok;
using Strings = std::vector<std::string>;

namespace {

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small deterministic corpus: English-ish sentences plus accents, CJK, emoji, odd spacing.
std::string makeCorpus() {
  const Strings words = {"the", "a", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "unaffable",
                         "tokenizer", "tokenizers", "token", "playing", "played", "player", "Héllo", "naïve",
                         "café", "Zürich", "中文", "测试", "😀", "it's", "don't", "3.14", "2024", "e-mail"};
  std::mt19937 rng(42);
  std::string text;
  for (int line = 0; line < 300; ++line) {
    const int n = 3 + static_cast<int>(rng() % 10);
    for (int i = 0; i < n; ++i) {
      if (i > 0) text += (rng() % 17 == 0) ? "  " : (rng() % 23 == 0 ? "\t" : " ");
      text += words[rng() % words.size()];
      if (rng() % 9 == 0) text += ",";
    }
    text += (line % 5 == 0) ? "!\n" : ".\n";
    if (line % 50 == 0) text += "\n";
  }
  return text;
}

Strings lines(const std::string& text) {
  Strings out;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

void expectError(const std::function<void()>& f, const Strings& fragments) {
  try {
    f();
  } catch (const pw::Error& e) {
    const std::string msg = e.what();
    for (const std::string& frag : fragments)
      if (msg.find(frag) == std::string::npos) QFAIL(("message lacks '" + frag + "': " + msg).c_str());
    return;
  }
  QFAIL("no pw::Error thrown");
}

}  // namespace

class TestVocab : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::string corpus_;

  VocabTrainOptions options(const std::string& out, int64_t size) const {
    VocabTrainOptions o;
    o.corpus = corpus_;
    o.outDir = tmp_.path().toStdString() + "/" + out;
    o.vocabSize = size;
    return o;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    corpus_ = tmp_.path().toStdString() + "/corpus.txt";
    writeFile(corpus_, makeCorpus());
  }

  void mergeLoop() {
    MergeProblem p;
    p.symbols = {"a", "b", "c", "d"};
    p.words = {{0, 1}, {2, 3}, {0, 1, 0, 1}};  // "ab", "cd", "abab"
    p.counts = {1, 3, 1};
    p.join = [](const std::string& x, const std::string& y) { return x + y; };
    auto steps = learnMerges(p, 10);
    QCOMPARE(steps.size(), size_t(3));
    // "a b" and "c d" both occur 3 times: the tie goes to the smaller strings.
    QCOMPARE(p.symbols[size_t(steps[0].merged)], std::string("ab"));
    QCOMPARE(p.symbols[size_t(steps[1].merged)], std::string("cd"));
    QCOMPARE(p.symbols[size_t(steps[2].merged)], std::string("abab"));
    QCOMPARE(p.words[2], (std::vector<int32_t>{steps[2].merged}));
  }

  void wordpieceTrains() {
    auto r = trainWordPiece(options("wp", 120));
    QCOMPARE(r.kind, std::string("wordpiece"));
    QCOMPARE(r.vocabSize, int64_t(120));
    const Strings vocab = lines(readFile(r.outDir + "/vocab.txt"));
    QCOMPARE(vocab.size(), size_t(120));
    QCOMPARE(Strings(vocab.begin(), vocab.begin() + 5), (Strings{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}));
    QVERIFY(std::find(vocab.begin(), vocab.end(), "##e") != vocab.end());
    QVERIFY(std::find(vocab.begin(), vocab.end(), "中") != vocab.end());
    auto cfg = nlohmann::json::parse(readFile(r.outDir + "/tokenizer_config.json"));
    QCOMPARE(cfg["do_lower_case"].get<bool>(), true);
    QCOMPARE(cfg["tokenizer_class"].get<std::string>(), std::string("BertTokenizer"));

    auto tok = loadTokenizer(r.outDir);
    QCOMPARE(tok->kind(), std::string("wordpiece"));
    QCOMPARE(tok->padId(), int64_t(0));
    const int64_t unk = tok->tokenToId("[UNK]");
    for (const std::string& line : lines(readFile(corpus_))) {
      for (int64_t id : tok->encode(line, false)) QVERIFY2(id != unk, line.c_str());
      // Uncased, accent-stripped, re-spaced: decoding gives back the pre-tokenized words.
      std::string joined;
      for (const std::string& w : bertPreTokenize(line, true)) joined += w;
      std::string decoded = tok->decode(tok->encode(line));
      decoded.erase(std::remove(decoded.begin(), decoded.end(), ' '), decoded.end());
      QCOMPARE(decoded, joined);
    }
    // Deterministic: a second run writes identical files.
    auto again = trainWordPiece(options("wp2", 120));
    QCOMPARE(readFile(again.outDir + "/vocab.txt"), readFile(r.outDir + "/vocab.txt"));
  }

  void wordpieceWholeWords() {
    auto r = trainWordPiece(options("wpbig", 5000));
    QVERIFY(r.vocabSize < 5000);  // the corpus runs out of pairs first
    auto tok = loadTokenizer(r.outDir);
    for (const std::string& w : bertPreTokenize(readFile(corpus_), true)) QCOMPARE(tok->tokenize(w), Strings{w});
    QCOMPARE(tok->tokenize("Unaffable tokenizers"), (Strings{"unaffable", "tokenizers"}));
  }

  void bpeTrains() {
    auto r = trainByteBpe(options("bpe", 300));
    QCOMPARE(r.kind, std::string("bpe"));
    QCOMPARE(r.vocabSize, int64_t(300));
    auto vocab = nlohmann::json::parse(readFile(r.outDir + "/vocab.json"));
    QCOMPARE(vocab.size(), size_t(300));
    QCOMPARE(vocab[","].get<int>(), 11);    // GPT-2's byte order
    QCOMPARE(vocab["Ġ"].get<int>(), 220);  // as in GPT-2
    QCOMPARE(vocab["<|endoftext|>"].get<int>(), 299);
    const std::string merges = readFile(r.outDir + "/merges.txt");
    QVERIFY(merges.rfind("#version: 0.2\n", 0) == 0);
    QCOMPARE(int64_t(lines(merges).size() - 1), r.merges);
    auto cfg = nlohmann::json::parse(readFile(r.outDir + "/tokenizer_config.json"));
    QCOMPARE(cfg["tokenizer_class"].get<std::string>(), std::string("GPT2Tokenizer"));

    auto tok = loadTokenizer(r.outDir);
    QCOMPARE(tok->kind(), std::string("bpe"));
    QCOMPARE(tok->padId(), int64_t(299));
    const std::string text = readFile(corpus_);
    QCOMPARE(tok->decode(tok->encode(text)), text);
    for (const std::string& s : {std::string("Grüße, 世界! 🙂\n\n  x"), std::string("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"),
                                 std::string("e\xCC\x81\te\r\n")})
      QCOMPARE(tok->decode(tok->encode(s)), s);
    QVERIFY(tok->encode(text).size() < text.size() * 3 / 4);  // merges actually compress the corpus

    auto again = trainByteBpe(options("bpe2", 300));
    QCOMPARE(readFile(again.outDir + "/vocab.json"), readFile(r.outDir + "/vocab.json"));
    QCOMPARE(readFile(again.outDir + "/merges.txt"), merges);
  }

  void bpeWholePieces() {
    auto r = trainByteBpe(options("bpebig", 5000));
    QVERIFY(r.vocabSize < 5000);
    auto tok = loadTokenizer(r.outDir);
    for (const std::string& piece : gpt2PreSplit(readFile(corpus_)))
      QCOMPARE(tok->tokenize(piece), Strings{bytesToSymbols(piece)});
  }

  void invalidUtf8IsReplaced() {
    VocabTrainOptions o = options("bad_utf8", 270);
    o.corpus = tmp_.path().toStdString() + "/latin1.txt";
    writeFile(o.corpus, "caf\xE9 na\xEFve caf\xE9\nplain words here\n");
    auto r = trainByteBpe(o);
    QCOMPARE(r.invalidUtf8, int64_t(3));
    QVERIFY(loadTokenizer(r.outDir)->vocabSize() > 256);
  }

  void badInputs() {
    const std::string dir = tmp_.path().toStdString();
    VocabTrainOptions o = options("err", 100);
    o.corpus = dir + "/nope.txt";
    expectError([&] { trainWordPiece(o); }, {"nope.txt", "not found"});
    o.corpus = dir + "/empty.txt";
    writeFile(o.corpus, "");
    o.vocabSize = 300;
    expectError([&] { trainByteBpe(o); }, {"empty.txt", "no words"});
    writeFile(o.corpus, " \n\t\n");
    expectError([&] { trainWordPiece(o); }, {"empty.txt", "no words"});
    o.corpus = dir + "/binary.bin";
    writeFile(o.corpus, std::string("abc\0\x01\x02", 6));
    expectError([&] { trainWordPiece(o); }, {"binary.bin", "NUL"});
    o = options("err", 3);
    expectError([&] { trainWordPiece(o); }, {"at least"});
    o = options("err", 256);
    expectError([&] { trainByteBpe(o); }, {"at least 257"});
    o = options("corpus.txt", 300);  // the output folder is a file
    expectError([&] { trainByteBpe(o); }, {"corpus.txt", "not a folder"});
    trainWordPiece(options("mixed", 100));
    expectError([&] { trainByteBpe(options("mixed", 300)); }, {"mixed", "vocab.txt"});
  }

  void cliCommand() {
    if (!std::filesystem::exists(PW_CLI_PATH)) QSKIP("peft-workbench-cli is not built");
    const QString out = tmp_.path() + "/cli";
    QProcess p;
    p.start(PW_CLI_PATH, {"vocab", "--kind", "bpe", "--corpus", QString::fromStdString(corpus_), "--size", "280",
                          "--out", out, "--json"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
    QCOMPARE(j["kind"].get<std::string>(), std::string("bpe"));
    QCOMPARE(j["size"].get<int>(), 280);
    QCOMPARE(j["out"].get<std::string>(), out.toStdString());
    QVERIFY(j["files"].size() == 3);
    QCOMPARE(loadTokenizer(out.toStdString())->vocabSize(), int64_t(280));
    p.start(PW_CLI_PATH, {"vocab", "--kind", "sentencepiece", "--corpus", "x", "--size", "9", "--out", out});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("--kind must be wordpiece or bpe"));
  }
};

QTEST_MAIN(TestVocab)
#include "tst_vocab.moc"
