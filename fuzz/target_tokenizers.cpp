// Fuzz targets for the tokenizer files: vocab.txt (WordPiece), vocab.json + merges.txt (byte-level BPE),
// tokenizer.json. What loads must encode sample texts into ids inside its vocabulary and decode them.
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fuzz_targets.h"
#include "tokenizers/tokenizer.h"

namespace pw::fuzz {
namespace {

// The files of one folder, named in order; a missing part is left out, extra parts are dropped.
void loadFolder(const std::vector<std::string>& names, const std::string& input) {
  const std::string dir = freshScratchDir();
  const std::vector<std::string> parts = splitFiles(input);
  for (size_t i = 0; i < names.size() && i < parts.size(); ++i) writeFile(dir + "/" + names[i], parts[i]);
  guarded(names, [&] {
    const std::unique_ptr<tok::Tokenizer> t = tok::loadTokenizer(dir);
    if (!t) throw Finding("loadTokenizer returned nothing");
    for (const std::string text : {"The quick brown fox, unaffable!", "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe4\xb8\xad",
                                   "  [CLS] <|endoftext|> ##ing\t\n", ""}) {
      const std::vector<int64_t> ids = t->encode(text);
      for (int64_t id : ids)
        if (id < 0 || id >= t->vocabSize())
          throw Finding("id " + std::to_string(id) + " outside a vocabulary of " + std::to_string(t->vocabSize()));
      t->decode(ids);
      t->encodeBatch({text, "a"}, 8);
    }
  });
}

std::string bertConfig() { return R"({"do_lower_case": true})"; }

}  // namespace

void runVocabTxt(const std::string& input) { loadFolder({"vocab.txt", "tokenizer_config.json"}, input); }
void runBpeFiles(const std::string& input) { loadFolder({"vocab.json", "merges.txt"}, input); }
void runTokenizerJson(const std::string& input) { loadFolder({"tokenizer.json"}, input); }

std::vector<std::string> vocabTxtSeeds() {
  return {joinFiles({testData("tokenizers/bert_tiny/vocab.txt"), bertConfig()}),
          testData("tokenizers/bert_tiny/vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\n##b\n"};
}

std::vector<std::string> bpeSeeds() {
  return {joinFiles({testData("tokenizers/gpt2_tiny/vocab.json"), testData("tokenizers/gpt2_tiny/merges.txt")})};
}

std::vector<std::string> tokenizerJsonSeeds() {
  // Small tokenizer.json files of both models, as Hugging Face tokenizers writes them.
  const std::string wordpiece = R"({"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
    "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                   "strip_accents": null, "lowercase": true},
    "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": null, "decoder": null,
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100,
              "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "the": 5, "quick": 6,
                        "fox": 7, "un": 8, "##aff": 9, "##able": 10, "a": 11, ",": 12, "!": 13}}})";
  // The BPE one from the tiny GPT-2 files (a byte-level vocabulary needs all 256 byte symbols).
  nlohmann::json bpe = {{"version", "1.0"}, {"added_tokens", nlohmann::json::array()},
                        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}}};
  bpe["model"] = {{"type", "BPE"}, {"vocab", nlohmann::json::parse(testData("tokenizers/gpt2_tiny/vocab.json"))},
                  {"merges", nlohmann::json::array()}};
  std::istringstream merges(testData("tokenizers/gpt2_tiny/merges.txt"));
  for (std::string line; std::getline(merges, line);)
    if (!line.empty() && line[0] != '#') bpe["model"]["merges"].push_back(line);
  return {wordpiece, bpe.dump(1)};
}

}  // namespace pw::fuzz
