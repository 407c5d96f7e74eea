// WordPiece trainer: BERT pre-tokenization (uncased), characters + "##" characters, then frequency merges.
#include "tokenizers/train_wordpiece.h"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "tokenizers/bert_pretokenizer.h"
#include "tokenizers/pair_merger.h"
#include "util/error.h"
#include "util/utf8.h"

namespace pw::tok {
namespace {

const std::vector<std::string> kSpecials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
constexpr size_t kMaxWordChars = 100;  // longer words are [UNK] at tokenization time anyway

std::vector<std::string> splitChars(const std::string& w) {
  std::vector<std::string> out;
  for (size_t i = 0; i < w.size();) {
    size_t start = i;
    nextCodePoint(w, i);
    out.push_back(w.substr(start, i - start));
  }
  return out;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

VocabTrainResult trainWordPiece(const VocabTrainOptions& opt) {
  const auto nSpecial = static_cast<int64_t>(kSpecials.size());
  if (opt.vocabSize < nSpecial + 2) {
    throw Error("WordPiece vocabulary size must be at least " + std::to_string(nSpecial + 2) + ", got " +
                std::to_string(opt.vocabSize));
  }
  VocabTrainResult r;
  r.kind = "wordpiece";
  r.outDir = opt.outDir;
  prepareOutDir(opt.outDir, {"vocab.json", "merges.txt"});
  auto t0 = std::chrono::steady_clock::now();
  auto words = sortedWords(countCorpusWords(
      opt, [](const std::string& text, std::vector<std::string>& out) { bertPreTokenize(text, true, out); }, r));
  r.countSeconds = secondsSince(t0);
  progressLine(opt, std::to_string(r.uniqueWords) + " distinct words, " + std::to_string(r.totalWords) + " in all");

  // Alphabet: the most frequent characters (ties by string), as many as the limit and the size allow.
  std::map<std::string, int64_t> charFreq;
  std::vector<std::vector<std::string>> wordChars(words.size());
  for (size_t w = 0; w < words.size(); ++w) {
    wordChars[w] = splitChars(words[w].first);
    if (wordChars[w].size() > kMaxWordChars) continue;
    for (const std::string& c : wordChars[w]) charFreq[c] += words[w].second;
  }
  std::vector<std::pair<std::string, int64_t>> chars(charFreq.begin(), charFreq.end());
  std::stable_sort(chars.begin(), chars.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  const auto maxChars = static_cast<size_t>(
      std::min<int64_t>(opt.limitAlphabet > 0 ? opt.limitAlphabet : INT64_MAX, (opt.vocabSize - nSpecial) / 2));
  if (chars.size() > maxChars) chars.resize(maxChars);
  std::sort(chars.begin(), chars.end());

  MergeProblem p;
  std::map<std::string, int32_t> ids;
  for (const auto& kv : chars) ids[kv.first] = static_cast<int32_t>(p.symbols.size()), p.symbols.push_back(kv.first);
  for (const auto& kv : chars) ids["##" + kv.first] = static_cast<int32_t>(p.symbols.size()), p.symbols.push_back("##" + kv.first);
  r.alphabet = static_cast<int64_t>(chars.size());
  for (size_t w = 0; w < words.size(); ++w) {
    const auto& cs = wordChars[w];
    std::vector<int32_t> syms;
    bool ok = cs.size() <= kMaxWordChars;
    for (size_t i = 0; ok && i < cs.size(); ++i) {
      auto it = ids.find(i == 0 ? cs[i] : "##" + cs[i]);
      ok = it != ids.end();
      if (ok) syms.push_back(it->second);
    }
    if (!ok) {  // too long, or uses a character outside the alphabet: it will be [UNK]
      ++r.skippedWords;
      continue;
    }
    p.words.push_back(std::move(syms));
    p.counts.push_back(words[w].second);
  }
  wordChars.clear();
  words.clear();
  p.join = [](const std::string& a, const std::string& b) { return b.rfind("##", 0) == 0 ? a + b.substr(2) : a + b; };

  t0 = std::chrono::steady_clock::now();
  const int64_t wanted = opt.vocabSize - nSpecial - static_cast<int64_t>(p.symbols.size());
  auto steps = learnMerges(p, wanted, [&](int64_t done, int64_t want) {
    progressLine(opt, "merges: " + std::to_string(done) + " / " + std::to_string(want) + " new pieces");
  });
  r.mergeSeconds = secondsSince(t0);
  r.merges = static_cast<int64_t>(steps.size());

  std::string vocab;
  for (const std::string& s : kSpecials) vocab += s + "\n";
  for (const std::string& s : p.symbols) vocab += s + "\n";
  r.vocabSize = nSpecial + static_cast<int64_t>(p.symbols.size());
  const std::string vocabPath = opt.outDir + "/vocab.txt", configPath = opt.outDir + "/tokenizer_config.json";
  writeTextFile(vocabPath, vocab);
  nlohmann::ordered_json cfg = {{"tokenizer_class", "BertTokenizer"}, {"do_lower_case", true},
                                {"tokenize_chinese_chars", true},      {"strip_accents", nullptr},
                                {"unk_token", "[UNK]"},                {"sep_token", "[SEP]"},
                                {"pad_token", "[PAD]"},                {"cls_token", "[CLS]"},
                                {"mask_token", "[MASK]"},              {"model_max_length", 512}};
  writeTextFile(configPath, cfg.dump(2) + "\n");
  r.files = {vocabPath, configPath};
  return r;
}

}  // namespace pw::tok
