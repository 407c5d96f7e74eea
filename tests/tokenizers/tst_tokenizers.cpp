// Tests for core/tokenizers: WordPiece, byte-level BPE, tokenizer.json, batching and bad input files.
// pw-test-libs: pw_tokenizers pw_util
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

#include "tokenizers/bert_pretokenizer.h"
#include "tokenizers/byte_bpe.h"
#include "tokenizers/gpt2_bytes.h"
#include "tokenizers/tokenizer.h"
#include "util/error.h"
#include "util/utf8.h"

using namespace pw::tok;
using pw::appendUtf8;
using pw::findInvalidUtf8;
using pw::kValidUtf8;
using Strings = std::vector<std::string>;

namespace {

const std::string kData = std::string(PW_TEST_DATA) + "/tokenizers";

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

// Expects loadTokenizer(folder) to throw pw::Error whose message contains every fragment.
void expectError(const std::function<void()>& f, const Strings& fragments) {
  try {
    f();
  } catch (const pw::Error& e) {
    const std::string msg = e.what();
    for (const std::string& frag : fragments) {
      if (msg.find(frag) == std::string::npos) QFAIL(("message lacks '" + frag + "': " + msg).c_str());
    }
    return;
  }
  QFAIL("no pw::Error thrown");
}

// A byte-level vocabulary of all 256 byte symbols in GPT-2 order plus a few merges.
std::string makeByteVocab(const std::string& dir) {
  nlohmann::json vocab = nlohmann::json::object();
  for (size_t i = 0; i < byteOrder().size(); ++i) vocab[bytesToSymbols(std::string(1, char(byteOrder()[i])))] = i;
  const Strings merges = {"Ġ t", "h e", "Ġt he", "Ġ a", "i n", "Ġ Ġ", "ĠĠ ĠĠ", "ä ¸"};
  std::string mergesText = "#version: 0.2\n";
  for (const std::string& m : merges) {
    const size_t sp = m.find(' ');
    const std::string joined = m.substr(0, sp) + m.substr(sp + 1);
    if (!vocab.contains(joined)) vocab[joined] = vocab.size();
    mergesText += m + "\n";
  }
  vocab["<|endoftext|>"] = vocab.size();
  writeFile(dir + "/vocab.json", vocab.dump());
  writeFile(dir + "/merges.txt", mergesText);
  return dir;
}

std::string randomText(std::mt19937& rng) {
  static const std::vector<int32_t> pool = {
      'a', 'b', 'Z', ' ', ' ', ' ', '\n', '\t', '\r', '\'', 's', '1', '9', '.', ',', '!', 0xE9, 0xFC, 0x301, 0x308,
      0x4E2D, 0x56FD, 0x3042, 0x1F600, 0x1F44D, 0x1F3FD, 0x200D, 0xA0, 0x3000, 0x0B, 0x85, 0x2028, 0x5D0, 0x627,
      0xFEFF, 0x1, 0x7F, 0x10FFFF, 0xFFFD};
  std::uniform_int_distribution<size_t> len(0, 40), pick(0, pool.size() - 1);
  std::uniform_int_distribution<int32_t> any(1, 0x10FFFF);
  std::string s;
  for (size_t i = 0, n = len(rng); i < n; ++i) {
    int32_t cp = (rng() % 4 == 0) ? any(rng) : pool[pick(rng)];
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
    appendUtf8(s, cp);
  }
  return s;
}

}  // namespace

class TestTokenizers : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void wordpieceExamples() {
    auto tok = loadTokenizer(kData + "/bert_tiny");
    QCOMPARE(tok->kind(), std::string("wordpiece"));
    QCOMPARE(tok->vocabSize(), int64_t(26));
    QCOMPARE(tok->tokenize("unaffable"), (Strings{"un", "##aff", "##able"}));
    QCOMPARE(tok->encode("unaffable"), (std::vector<int64_t>{2, 5, 6, 7, 3}));
    QCOMPARE(tok->encode("unaffable", false), (std::vector<int64_t>{5, 6, 7}));
    QCOMPARE(tok->padId(), int64_t(0));
    QCOMPARE(tok->tokenToId("[MASK]"), int64_t(4));
    QCOMPARE(tok->tokenToId("nope"), int64_t(-1));
    QCOMPARE(tok->idToToken(8), std::string("hello"));
    QVERIFY(tok->isSpecial(2) && tok->isSpecial(1) && !tok->isSpecial(8));
  }

  void wordpieceNormalization() {
    auto tok = loadTokenizer(kData + "/bert_tiny");
    QCOMPARE(tok->tokenize("Héllo"), (Strings{"hello"}));
    QCOMPARE(tok->tokenize("HELLO, World!"), (Strings{"hello", ",", "world", "!"}));
    QCOMPARE(tok->tokenize("Cafe\xCC\x81 CAFÉ"), (Strings{"cafe", "cafe"}));  // combining and precomposed
    QCOMPARE(tok->tokenize("hel\x01lo\x7f \xEF\xBF\xBDworld"), (Strings{"hello", "world"}));  // controls vanish
    QCOMPARE(tok->tokenize("hello\u00A0world\u3000the\tthe\r\na"), (Strings{"hello", "world", "the", "the", "a"}));
    QCOMPARE(tok->tokenize("  "), Strings{});
    QCOMPARE(tok->tokenize(""), Strings{});
  }

  void wordpiecePunctuation() {
    auto tok = loadTokenizer(kData + "/bert_tiny");
    QCOMPARE(tok->tokenize("hello—world"), (Strings{"hello", "—", "world"}));  // Pd
    QCOMPARE(tok->tokenize("$hello?!"), (Strings{"$", "hello", "?", "!"}));     // '$' is Sc but ASCII punct for BERT
    QCOMPARE(tok->tokenize("the world's"), (Strings{"the", "world", "'", "[UNK]"}));
    QCOMPARE(bertPreTokenize("a¿b«c»d_e", true), (Strings{"a", "¿", "b", "«", "c", "»", "d", "_", "e"}));
    QCOMPARE(bertPreTokenize("x+y", true), (Strings{"x", "+", "y"}));  // ASCII 43 counts as punctuation
    QCOMPARE(bertPreTokenize("a€b", true), (Strings{"a€b"}));          // Sc outside ASCII does not split
  }

  void wordpieceCjkAndUnknowns() {
    auto tok = loadTokenizer(kData + "/bert_tiny");
    QCOMPARE(tok->tokenize("hello中国world"), (Strings{"hello", "中", "国", "world"}));
    QCOMPARE(bertPreTokenize("日本語abc", true), (Strings{"日", "本", "語", "abc"}));
    QCOMPARE(bertPreTokenize("カタカナ", true), (Strings{"カタカナ"}));  // kana are not CJK ideographs
    QCOMPARE(tok->tokenize("playing plays playx"), (Strings{"play", "##ing", "play", "##s", "[UNK]"}));
    const std::string longWord = "un" + std::string(99, 's');  // 101 chars, each piece exists
    QCOMPARE(tok->tokenize(longWord), (Strings{"[UNK]"}));
    const std::string okWord = "un" + std::string(98, 's');   // 100 chars is still fine
    QCOMPARE(tok->tokenize(okWord).size(), size_t(99));
    QCOMPARE(tok->tokenize("the [MASK] world"), (Strings{"the", "[MASK]", "world"}));
  }

  void wordpieceDecode() {
    auto tok = loadTokenizer(kData + "/bert_tiny");
    QCOMPARE(tok->decode(tok->encode("Hello, world! Unaffable.")), std::string("hello, world! unaffable."));
    QCOMPARE(tok->decode(tok->encode("hello"), false), std::string("[CLS] hello [SEP]"));
  }

  void wordpieceCased() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeFile(d + "/vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nHello\nhello\nHé\n##llo\n");
    writeFile(d + "/tokenizer_config.json", R"({"do_lower_case": false})");
    auto tok = loadTokenizer(d);
    QCOMPARE(tok->tokenize("Hello hello HELLO Héllo"), (Strings{"Hello", "hello", "[UNK]", "Hé", "##llo"}));
    writeFile(d + "/tokenizer_config.json", R"({"do_lower_case": true})");
    QCOMPARE(loadTokenizer(d)->tokenize("HELLO Héllo"), (Strings{"hello", "hello"}));
  }

  void byteMapping() {
    QCOMPARE(byteToCodePoint(' '), 0x120);
    QCOMPARE(byteToCodePoint('!'), int32_t('!'));
    QCOMPARE(byteToCodePoint(0), 0x100);
    QCOMPARE(byteToCodePoint(127), 0x121);
    QCOMPARE(byteToCodePoint(173), 0x143);
    QCOMPARE(byteToCodePoint(0xE9), 0xE9);
    for (int b = 0; b < 256; ++b) QCOMPARE(byteFromCodePoint(byteToCodePoint(uint8_t(b))), b);
    QCOMPARE(byteFromCodePoint(0x144), -1);
    QCOMPARE(byteFromCodePoint('A'), int('A'));
    QCOMPARE(byteOrder().size(), size_t(256));
    QCOMPARE(int(byteOrder()[11]), int(','));  // GPT-2's id of "," is 11
    QCOMPARE(bytesToSymbols(" world\n"), std::string("Ġworld\u010A"));
  }

  void gpt2Pattern() {
    QCOMPARE(gpt2PreSplit("Hello, world"), (Strings{"Hello", ",", " world"}));
    QCOMPARE(gpt2PreSplit("I'm here's 3.14  x\n\n"),
             (Strings{"I", "'m", " here", "'s", " 3", ".", "14", " ", " x", "\n\n"}));
    QCOMPARE(gpt2PreSplit("they'll we'd you're I've it't"),
             (Strings{"they", "'ll", " we", "'d", " you", "'re", " I", "'ve", " it", "'t"}));
    QCOMPARE(gpt2PreSplit(" héllo 世界 😀😀!"), (Strings{" héllo", " 世界", " 😀😀!"}));
    QCOMPARE(gpt2PreSplit("a\u00A0\u00A0b\u3000c"), (Strings{"a", "\u00A0", "\u00A0", "b", "\u3000", "c"}));
    QCOMPARE(gpt2PreSplit("x\x0By"), (Strings{"x", "\x0B", "y"}));  // \v is whitespace (White_Space)
    QCOMPARE(gpt2PreSplit("abc123def"), (Strings{"abc", "123", "def"}));
    QCOMPARE(gpt2PreSplit(""), Strings{});
  }

  void bpeFixture() {
    auto tok = loadTokenizer(kData + "/gpt2_tiny");
    QCOMPARE(tok->kind(), std::string("bpe"));
    QCOMPARE(tok->tokenize("Hello, world"), (Strings{"Hello", ",", "Ġworld"}));
    QCOMPARE(tok->encode("Hello, world"), (std::vector<int64_t>{12, 4, 17}));
    QCOMPARE(tok->encode("Hello, world", true), tok->encode("Hello, world", false));  // no template
    QCOMPARE(tok->decode({12, 4, 17}), std::string("Hello, world"));
    QCOMPARE(tok->padId(), int64_t(18));
    QVERIFY(tok->isSpecial(18));
    QCOMPARE(tok->encode("Hello<|endoftext|>Hello"), (std::vector<int64_t>{12, 18, 12}));
    QCOMPARE(tok->decode({12, 18, 12}), std::string("HelloHello"));
    QCOMPARE(tok->decode({12, 18, 12}, false), std::string("Hello<|endoftext|>Hello"));
    QCOMPARE(tok->tokenize("Hell"), (Strings{"Hell"}));
    QCOMPARE(tok->tokenize("Hellow"), (Strings{"Hello", "w"}));
    // 'x' has no symbol in this vocabulary: the unknown token (GPT-2's is <|endoftext|>), as transformers does.
    QCOMPARE(tok->tokenize("Hex"), (Strings{"He", "<|endoftext|>"}));
  }

  // A RoBERTa folder (config.json's model_type): byte-level BPE with the <s> A </s> template and <pad>.
  void robertaTemplate() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    QVERIFY(QFile::copy(QString::fromStdString(kData + "/gpt2_tiny/merges.txt"), QString::fromStdString(d + "/merges.txt")));
    nlohmann::json vocab = nlohmann::json::parse(std::ifstream(kData + "/gpt2_tiny/vocab.json"));
    for (const char* t : {"<s>", "<pad>", "</s>", "<unk>", "<mask>"}) vocab[t] = vocab.size();
    writeFile(d + "/vocab.json", vocab.dump());
    writeFile(d + "/config.json", R"({"model_type": "roberta"})");
    auto tok = loadTokenizer(d);
    const int64_t s = vocab["<s>"], e = vocab["</s>"], pad = vocab["<pad>"];
    QCOMPARE(tok->encode("Hello, world"), (std::vector<int64_t>{s, 12, 4, 17, e}));
    QCOMPARE(tok->encode("Hello, world", false), (std::vector<int64_t>{12, 4, 17}));
    QCOMPARE(tok->padId(), pad);
    QVERIFY(tok->isSpecial(s) && tok->isSpecial(e) && tok->isSpecial(vocab["<mask>"].get<int64_t>()));
    const auto batch = tok->encodeBatch({"Hello, world"}, 3);  // truncated, the closing </s> kept
    QCOMPARE(batch.ids[0], s);
    QCOMPARE(batch.ids[2], e);
  }

  // A GPT-2 folder's tokenizer_config.json: add_prefix_space, and its named tokens (pad, unk) used and kept whole.
  void bpeSettingsFromTheConfigFiles() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    for (const char* f : {"vocab.json", "merges.txt"})
      QVERIFY(QFile::copy(QString::fromStdString(kData + "/gpt2_tiny/" + f), QString::fromStdString(d + "/" + f)));
    auto plain = loadTokenizer(d);
    writeFile(d + "/tokenizer_config.json", R"({"add_prefix_space": true, "unk_token": {"content": "Hello"}})");
    writeFile(d + "/special_tokens_map.json", R"({"pad_token": ",", "eos_token": "<|endoftext|>"})");
    auto tok = loadTokenizer(d);
    QCOMPARE(tok->tokenize("world"), (Strings{"Ġworld"}));   // as inside a sentence
    QCOMPARE(plain->tokenize("world") == tok->tokenize("world"), false);
    QCOMPARE(tok->padId(), int64_t(4));                       // ","
    QVERIFY(tok->isSpecial(4) && tok->isSpecial(12));         // pad and unk are special tokens now
    QCOMPARE(tok->tokenize("Hex").back(), std::string("Hello"));  // the folder's unknown token
  }

  void byteRoundTrip() {
    QTemporaryDir dir;
    auto tok = loadTokenizer(makeByteVocab(dir.path().toStdString()));
    QCOMPARE(tok->tokenize(" the"), (Strings{"Ġthe"}));
    QCOMPARE(tok->tokenize("      "), (Strings{"ĠĠĠĠ", "ĠĠ"}));
    std::mt19937 rng(1234);
    for (int i = 0; i < 2000; ++i) {
      const std::string s = randomText(rng);
      QVERIFY(findInvalidUtf8(s) == kValidUtf8);
      std::string joined;
      for (const std::string& p : gpt2PreSplit(s)) joined += p;
      QCOMPARE(joined, s);
      const auto ids = tok->encode(s);
      if (tok->decode(ids) != s) QFAIL(("round trip failed for: " + s).c_str());
    }
    // A slice ending inside a character decodes to U+FFFD instead of invalid UTF-8.
    auto ids = tok->encode("中");
    QCOMPARE(ids.size(), size_t(2));
    QCOMPARE(tok->decode({ids[0]}), std::string("\xEF\xBF\xBD"));
  }

  void batchWordPiece() {
    auto tok = loadTokenizer(kData + "/bert_tiny");
    Batch b = tok->encodeBatch({"hello world", "unaffable the world", ""}, 0);
    QCOMPARE(b.rows, 3);
    QCOMPARE(b.cols, 7);
    QCOMPARE(b.lengths, (std::vector<int>{4, 7, 2}));
    QCOMPARE(b.ids, (std::vector<int64_t>{2, 8, 9, 3, 0, 0, 0, 2, 5, 6, 7, 10, 9, 3, 2, 3, 0, 0, 0, 0, 0}));
    QCOMPARE(b.mask, (std::vector<int64_t>{1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}));
    Batch t = tok->encodeBatch({"hello world", "unaffable the world"}, 4);  // truncation keeps [SEP]
    QCOMPARE(t.cols, 4);
    QCOMPARE(t.ids, (std::vector<int64_t>{2, 8, 9, 3, 2, 5, 6, 3}));
    QCOMPARE(t.lengths, (std::vector<int>{4, 4}));
    Batch p = tok->encodeBatch({"hello"}, 5, true);
    QCOMPARE(p.cols, 5);
    QCOMPARE(p.ids, (std::vector<int64_t>{2, 8, 3, 0, 0}));
    QCOMPARE(p.mask, (std::vector<int64_t>{1, 1, 1, 0, 0}));
    Batch e = tok->encodeBatch({}, 8);
    QCOMPARE(e.rows, 0);
    QVERIFY(e.ids.empty());
  }

  void batchBpe() {
    auto tok = loadTokenizer(kData + "/gpt2_tiny");
    Batch b = tok->encodeBatch({"Hello, world", "Hello"}, 2);
    QCOMPARE(b.cols, 2);
    QCOMPARE(b.ids, (std::vector<int64_t>{12, 4, 12, 18}));
    QCOMPARE(b.mask, (std::vector<int64_t>{1, 1, 1, 0}));
    QCOMPARE(b.lengths, (std::vector<int>{2, 1}));
  }

  void tokenizerJson() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    // WordPiece from the same vocabulary as bert_tiny.
    nlohmann::json vocab = nlohmann::json::object();
    std::ifstream in(kData + "/bert_tiny/vocab.txt");
    std::string line;
    for (int id = 0; std::getline(in, line); ++id) vocab[line] = id;
    nlohmann::json wp = {{"model", {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"vocab", vocab}}},
                         {"normalizer", {{"type", "BertNormalizer"}, {"lowercase", true}}}};
    writeFile(d + "/tokenizer.json", wp.dump());
    auto w = loadTokenizer(d);
    QCOMPARE(w->kind(), std::string("wordpiece"));
    QCOMPARE(w->encode("Unaffable, world!"), loadTokenizer(kData + "/bert_tiny")->encode("Unaffable, world!"));
    // Byte-level BPE with merges as "a b" strings, then as [a, b] pairs.
    nlohmann::json bv = nlohmann::json::parse(std::ifstream(kData + "/gpt2_tiny/vocab.json"));
    nlohmann::json merges = {"H e", "l l", "He ll", "Hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d"};
    nlohmann::json bpe = {{"model", {{"type", "BPE"}, {"vocab", bv}, {"merges", merges}}},
                          {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
                          {"added_tokens", {{{"id", 18}, {"content", "<|endoftext|>"}, {"special", true}}}}};
    writeFile(d + "/tokenizer.json", bpe.dump());
    QCOMPARE(loadTokenizer(d)->encode("Hello, world<|endoftext|>"), (std::vector<int64_t>{12, 4, 17, 18}));
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& m : merges) {
      const std::string s = m.get<std::string>();
      pairs.push_back({s.substr(0, s.find(' ')), s.substr(s.find(' ') + 1)});
    }
    bpe["model"]["merges"] = pairs;
    writeFile(d + "/tokenizer.json", bpe.dump());
    QCOMPARE(loadTokenizer(d)->encode("Hello, world"), (std::vector<int64_t>{12, 4, 17}));
    // vocab.txt wins over tokenizer.json (which is now garbage and must not be read).
    writeFile(d + "/tokenizer.json", "{not json");
    writeFile(d + "/vocab.txt", "[UNK]\nhello\n");
    QCOMPARE(loadTokenizer(d)->kind(), std::string("wordpiece"));
  }

  // tokenizer.json's pipeline around the model is read, not assumed: the normalizer, the pre-tokenizer, the
  // post-processor's template, the padding token. What is not implemented is refused by name.
  void tokenizerJsonPipeline() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    auto bert = loadTokenizer(kData + "/bert_tiny");
    nlohmann::json vocab = nlohmann::json::object();
    std::ifstream in(kData + "/bert_tiny/vocab.txt");
    std::string line;
    for (int id = 0; std::getline(in, line); ++id) vocab[line] = id;
    auto special = [&](const std::string& t) { return nlohmann::json{{"SpecialToken", {{"id", t}, {"type_id", 0}}}}; };
    const nlohmann::json sequenceA = {{"Sequence", {{"id", "A"}, {"type_id", 0}}}};
    // As transformers saves a BERT tokenizer (every step named).
    nlohmann::json wp = {
        {"model", {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"continuing_subword_prefix", "##"}, {"vocab", vocab}}},
        {"normalizer", {{"type", "BertNormalizer"}, {"clean_text", true}, {"handle_chinese_chars", true},
                        {"strip_accents", nullptr}, {"lowercase", true}}},
        {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
        {"post_processor", {{"type", "TemplateProcessing"}, {"single", {special("[CLS]"), sequenceA, special("[SEP]")}},
                            {"special_tokens", {{"[CLS]", {{"id", "[CLS]"}, {"ids", {vocab["[CLS]"]}}}}}}}}};
    const std::string text = "Unaffable, WORLD!";
    auto load = [&](const nlohmann::json& j) {
      writeFile(d + "/tokenizer.json", j.dump());
      return loadTokenizer(d);
    };
    const std::vector<int64_t> expected = bert->encode(text);
    QCOMPARE(load(wp)->encode(text), expected);
    wp["post_processor"] = {{"type", "BertProcessing"}, {"sep", {"[SEP]", vocab["[SEP]"]}}, {"cls", {"[CLS]", vocab["[CLS]"]}}};
    QCOMPARE(load(wp)->encode(text), expected);
    wp["post_processor"] = nullptr;  // no template: the text's tokens alone
    QCOMPARE(load(wp)->encode(text), std::vector<int64_t>(expected.begin() + 1, expected.end() - 1));
    wp["normalizer"]["lowercase"] = false;  // "WORLD" is then not in the lower-case vocabulary
    QVERIFY(load(wp)->encode("WORLD") != load(wp)->encode("world"));
    wp["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{{"type", "NFD"}}, {{"type", "Lowercase"}}}}};
    expectError([&] { load(wp); }, {"tokenizer.json", "normalizer 'Sequence'", "not implemented"});
    wp["normalizer"] = nullptr;
    wp["pre_tokenizer"] = {{"type", "Whitespace"}};
    expectError([&] { load(wp); }, {"pre_tokenizer 'Whitespace'", "BertPreTokenizer"});
    wp["pre_tokenizer"] = {{"type", "BertPreTokenizer"}};
    wp["post_processor"] = {{"type", "TemplateProcessing"}, {"single", {sequenceA, special("[SEP]"), special("[CLS]")}}};
    expectError([&] { load(wp); }, {"template \"$A [SEP] [CLS]\"", "not implemented"});
    wp["post_processor"] = {{"type", "TemplateProcessing"}, {"single", {special("[BOS]"), sequenceA}}};
    expectError([&] { load(wp); }, {"'[BOS]'", "not in the vocabulary"});

    // Byte-level BPE: GPT-2's Split + ByteLevel equals ByteLevel alone; other regexes are refused, never
    // replaced by GPT-2's.
    nlohmann::json bv = nlohmann::json::parse(std::ifstream(kData + "/gpt2_tiny/vocab.json"));
    nlohmann::json merges = {"H e", "l l", "He ll", "Hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d"};
    const std::string gpt2Regex = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
    auto split = [&](const std::string& regex) {
      return nlohmann::json{{"type", "Sequence"},
                            {"pretokenizers", {{{"type", "Split"}, {"pattern", {{"Regex", regex}}}, {"behavior", "Isolated"},
                                                {"invert", false}},
                                               {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}};
    };
    nlohmann::json bpe = {{"model", {{"type", "BPE"}, {"vocab", bv}, {"merges", merges}, {"dropout", nullptr}}},
                          {"normalizer", nullptr},
                          {"pre_tokenizer", split(gpt2Regex)},
                          {"post_processor", {{"type", "ByteLevel"}, {"trim_offsets", false}}},
                          {"added_tokens", {{{"id", 18}, {"content", "<|endoftext|>"}, {"special", true}}}}};
    const std::vector<int64_t> hello = {12, 4, 17};
    QCOMPARE(load(bpe)->encode("Hello, world"), hello);
    bpe["post_processor"] = {{"type", "TemplateProcessing"}, {"single", {special("<|endoftext|>"), sequenceA}}};
    QCOMPARE(load(bpe)->encode("Hello, world"), (std::vector<int64_t>{18, 12, 4, 17}));
    bpe["post_processor"] = {{"type", "RobertaProcessing"}, {"sep", {"<|endoftext|>", 18}}, {"cls", {"<|endoftext|>", 18}}};
    QCOMPARE(load(bpe)->encode("Hello, world"), (std::vector<int64_t>{18, 12, 4, 17, 18}));
    bpe["post_processor"] = nullptr;
    const std::string llama3 = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
    bpe["pre_tokenizer"] = split(llama3);
    expectError([&] { load(bpe); }, {"pre_tokenizer Split on '(?i:'s", "not implemented"});
    bpe["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "▁"}};
    expectError([&] { load(bpe); }, {"pre_tokenizer 'Metaspace'"});
    bpe["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}};
    QCOMPARE(load(bpe)->encode("world"), std::vector<int64_t>{17});  // " world": add_prefix_space honoured
    bpe["normalizer"] = {{"type", "NFC"}};
    expectError([&] { load(bpe); }, {"normalizer 'NFC'", "not implemented"});
    bpe["normalizer"] = nullptr;
    bpe["model"]["byte_fallback"] = true;
    expectError([&] { load(bpe); }, {"byte_fallback"});
    bpe["model"]["byte_fallback"] = false;
    bpe["added_tokens"].push_back({{"id", 40}, {"content", "<extra>"}, {"special", false}});
    expectError([&] { load(bpe); }, {"non-special added token '<extra>'"});
  }

  // A BERT folder's tokenizer_config.json / special_tokens_map.json decide the special tokens and the basic
  // tokenizer's switches, as in transformers; nothing about them is hard-coded.
  void wordPieceSettingsFromTheConfigFiles() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeFile(d + "/vocab.txt", "<pad>\n<unk>\n<s>\n</s>\n<mask>\ncafe\ncafé\n中\n国\n中国\n<extra>\nhello\n");
    writeFile(d + "/tokenizer_config.json",
              R"({"do_lower_case": true, "strip_accents": false, "tokenize_chinese_chars": false,
                  "unk_token": "<unk>", "cls_token": {"content": "<s>", "lstrip": false}, "sep_token": "</s>",
                  "pad_token": "<pad>", "mask_token": "[MASK]",
                  "added_tokens_decoder": {"10": {"content": "<extra>", "special": true}}})");
    writeFile(d + "/special_tokens_map.json", R"({"mask_token": "<mask>"})");  // over tokenizer_config's
    auto tok = loadTokenizer(d);
    QCOMPARE(tok->encode("Café 中国"), (std::vector<int64_t>{2, 6, 9, 3}));  // accents kept; CJK not split
    QCOMPARE(tok->padId(), int64_t(0));
    QCOMPARE(tok->encode("hello <extra> <mask>", false), (std::vector<int64_t>{11, 10, 4}));  // specials whole
    QVERIFY(tok->isSpecial(10) && tok->isSpecial(4) && !tok->isSpecial(11));
    // Defaults (no strip_accents: it follows do_lower_case; CJK split), BERT's names otherwise.
    writeFile(d + "/tokenizer_config.json", R"({"unk_token": "<unk>", "cls_token": "<s>", "sep_token": "</s>"})");
    QCOMPARE(loadTokenizer(d)->encode("Café 中国"), (std::vector<int64_t>{2, 5, 7, 8, 3}));
    // An added token that is not where it says: refused naming the file.
    writeFile(d + "/tokenizer_config.json",
              R"({"unk_token": "<unk>", "added_tokens_decoder": {"3": {"content": "<extra>", "special": true}}})");
    std::string e;
    try {
      loadTokenizer(d);
    } catch (const pw::Error& err) {
      e = err.what();
    }
    QVERIFY2(e.find("tokenizer_config.json: added_tokens_decoder says id 3 is '<extra>'") != std::string::npos, e.c_str());
    writeFile(d + "/tokenizer_config.json", R"({"unk_token": "<unk>", "strip_accents": "yes"})");
    e.clear();
    try {
      loadTokenizer(d);
    } catch (const pw::Error& err) {
      e = err.what();
    }
    QVERIFY2(e.find("strip_accents must be true or false") != std::string::npos, e.c_str());
  }

  void badInputs() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    expectError([&] { loadTokenizer(d + "/missing"); }, {"missing", "not a folder"});
    expectError([&] { loadTokenizer(d); }, {d, "no tokenizer files"});
    writeFile(d + "/vocab.txt", "");
    expectError([&] { loadTokenizer(d); }, {"vocab.txt", "empty"});
    writeFile(d + "/vocab.txt", std::string("[UNK]\nab\0cd\n", 12));
    expectError([&] { loadTokenizer(d); }, {"vocab.txt", "NUL byte"});
    writeFile(d + "/vocab.txt", "[UNK]\nok\nbad\xFF\xFE\n");
    expectError([&] { loadTokenizer(d); }, {"vocab.txt", "line 3", "UTF-8"});
    writeFile(d + "/vocab.txt", "[PAD]\nhello\n");
    expectError([&] { loadTokenizer(d); }, {"vocab.txt", "[UNK]"});
    writeFile(d + "/vocab.txt", "[UNK]\n");
    writeFile(d + "/tokenizer_config.json", "{\"do_lower_case\": ");
    expectError([&] { loadTokenizer(d); }, {"tokenizer_config.json", "not valid JSON"});
    std::remove((d + "/vocab.txt").c_str());
    std::remove((d + "/tokenizer_config.json").c_str());

    writeFile(d + "/vocab.json", R"({"a": 0, "b": 1, "ab": 2})");
    expectError([&] { loadTokenizer(d); }, {"merges.txt", "not found"});
    writeFile(d + "/merges.txt", "#version: 0.2\na b\n");
    QCOMPARE(loadTokenizer(d)->tokenize("ab"), (Strings{"ab"}));
    writeFile(d + "/vocab.json", R"({"a": 0, "b": )");
    expectError([&] { loadTokenizer(d); }, {"vocab.json", "not valid JSON"});
    writeFile(d + "/vocab.json", R"(["a", "b"])");
    expectError([&] { loadTokenizer(d); }, {"vocab.json", "JSON object"});
    writeFile(d + "/vocab.json", R"({"a": "zero"})");
    expectError([&] { loadTokenizer(d); }, {"vocab.json", "'a'", "not an integer"});
    writeFile(d + "/vocab.json", R"({"a": 0, "b": 99999999999})");
    expectError([&] { loadTokenizer(d); }, {"vocab.json", "out of range"});
    writeFile(d + "/vocab.json", "");
    expectError([&] { loadTokenizer(d); }, {"vocab.json", "empty"});
    writeFile(d + "/vocab.json", std::string("{\"a\": 0}\0\0\0", 11));
    expectError([&] { loadTokenizer(d); }, {"vocab.json", "NUL"});
    writeFile(d + "/vocab.json", R"({"a": 0, "b": 1, "ab": 2})");
    writeFile(d + "/merges.txt", "#version: 0.2\na b c\n");
    expectError([&] { loadTokenizer(d); }, {"merges.txt", "line 2", "two tokens"});
    writeFile(d + "/merges.txt", "#version: 0.2\na b\na\n");
    expectError([&] { loadTokenizer(d); }, {"merges.txt", "line 3"});
    writeFile(d + "/merges.txt", "a b\nb x\n");
    expectError([&] { loadTokenizer(d); }, {"merges.txt", "line 2", "'x'", "not in the vocabulary"});
    writeFile(d + "/merges.txt", "b a\n");
    expectError([&] { loadTokenizer(d); }, {"merges.txt", "line 1", "'ba'", "not in the vocabulary"});
    std::remove((d + "/vocab.json").c_str());
    std::remove((d + "/merges.txt").c_str());

    writeFile(d + "/tokenizer.json", "[1, 2");
    expectError([&] { loadTokenizer(d); }, {"tokenizer.json", "not valid JSON"});
    writeFile(d + "/tokenizer.json", R"({"model": {"type": "Unigram", "vocab": {"a": 0}}})");
    expectError([&] { loadTokenizer(d); }, {"tokenizer.json", "Unigram"});
    writeFile(d + "/tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})");
    expectError([&] { loadTokenizer(d); }, {"tokenizer.json", "ByteLevel"});
    writeFile(d + "/tokenizer.json",
              R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [3]}, "pre_tokenizer": {"type": "ByteLevel"}})");
    expectError([&] { loadTokenizer(d); }, {"tokenizer.json", "model.merges[0]"});
    writeFile(d + "/tokenizer.json", R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})");
    expectError([&] { loadTokenizer(d); }, {"tokenizer.json", "[UNK]"});
  }
};

QTEST_MAIN(TestTokenizers)
#include "tst_tokenizers.moc"
