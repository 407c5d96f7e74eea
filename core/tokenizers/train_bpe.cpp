// Byte-level BPE trainer: GPT-2 pre-split, byte symbols, frequency merges, GPT-2 file layout.
#include "tokenizers/train_bpe.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "tokenizers/gpt2_bytes.h"
#include "tokenizers/pair_merger.h"
#include "util/error.h"

namespace pw::tok {
namespace {

const char* const kEndOfText = "<|endoftext|>";

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

VocabTrainResult trainByteBpe(const VocabTrainOptions& opt) {
  if (opt.vocabSize < 257) {
    throw Error("byte-level BPE vocabulary size must be at least 257 (256 bytes + <|endoftext|>), got " +
                std::to_string(opt.vocabSize));
  }
  VocabTrainResult r;
  r.kind = "bpe";
  r.outDir = opt.outDir;
  prepareOutDir(opt.outDir, {"vocab.txt"});
  auto t0 = std::chrono::steady_clock::now();
  auto words = sortedWords(countCorpusWords(
      opt, [](const std::string& text, std::vector<std::string>& out) { gpt2PreSplit(text, out); }, r));
  r.countSeconds = secondsSince(t0);
  progressLine(opt, std::to_string(r.uniqueWords) + " distinct pieces, " + std::to_string(r.totalWords) + " in all");

  MergeProblem p;
  std::array<int32_t, 256> byteId{};
  for (size_t i = 0; i < byteOrder().size(); ++i) {
    byteId[byteOrder()[i]] = static_cast<int32_t>(i);
    p.symbols.push_back(bytesToSymbols(std::string(1, static_cast<char>(byteOrder()[i]))));
  }
  r.alphabet = 256;
  p.words.reserve(words.size());
  p.counts.reserve(words.size());
  for (auto& [w, c] : words) {
    std::vector<int32_t> syms;
    syms.reserve(w.size());
    for (unsigned char b : w) syms.push_back(byteId[b]);
    p.words.push_back(std::move(syms));
    p.counts.push_back(c);
  }
  words.clear();
  p.join = [](const std::string& a, const std::string& b) { return a + b; };

  t0 = std::chrono::steady_clock::now();
  auto steps = learnMerges(p, opt.vocabSize - 257, [&](int64_t done, int64_t want) {
    progressLine(opt, "merges: " + std::to_string(done) + " / " + std::to_string(want) + " new tokens");
  });
  r.mergeSeconds = secondsSince(t0);
  r.merges = static_cast<int64_t>(steps.size());

  nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
  for (size_t i = 0; i < p.symbols.size(); ++i) vocab[p.symbols[i]] = i;
  vocab[kEndOfText] = p.symbols.size();
  r.vocabSize = static_cast<int64_t>(p.symbols.size()) + 1;
  std::string merges = "#version: 0.2\n";
  for (const MergeStep& s : steps) {
    merges += p.symbols[static_cast<size_t>(s.left)] + " " + p.symbols[static_cast<size_t>(s.right)] + "\n";
  }
  const std::string vocabPath = opt.outDir + "/vocab.json", mergesPath = opt.outDir + "/merges.txt",
                    configPath = opt.outDir + "/tokenizer_config.json";
  writeTextFile(vocabPath, vocab.dump() + "\n");
  writeTextFile(mergesPath, merges);
  nlohmann::ordered_json cfg = {{"tokenizer_class", "GPT2Tokenizer"}, {"add_prefix_space", false},
                                {"bos_token", kEndOfText},            {"eos_token", kEndOfText},
                                {"unk_token", kEndOfText},            {"model_max_length", 1024}};
  writeTextFile(configPath, cfg.dump(2) + "\n");
  r.files = {vocabPath, mergesPath, configPath};
  return r;
}

}  // namespace pw::tok
