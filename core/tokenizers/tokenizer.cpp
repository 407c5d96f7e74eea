// Tokenizer::encodeBatch (template, truncation, padding) and loadTokenizer (picks the model folder's files).
#include "tokenizers/tokenizer.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tokenizers/byte_bpe.h"
#include "tokenizers/tokenizer_json.h"
#include "tokenizers/vocab_files.h"
#include "tokenizers/wordpiece.h"
#include "util/error.h"
#include "util/strict_json.h"

namespace pw::tok {

Batch Tokenizer::encodeBatch(const std::vector<std::string>& texts, int maxLength, bool padToMax) const {
  std::vector<std::vector<int64_t>> rows;
  rows.reserve(texts.size());
  const size_t suffix = static_cast<size_t>(templateSuffixLength());
  for (const std::string& t : texts) {
    std::vector<int64_t> ids = encode(t, true);
    if (maxLength > 0 && ids.size() > static_cast<size_t>(maxLength)) {
      const size_t keep = static_cast<size_t>(maxLength);
      if (suffix > 0 && keep > suffix) {  // keep the closing [SEP]
        std::copy(ids.end() - static_cast<std::ptrdiff_t>(suffix), ids.end(), ids.begin() + static_cast<std::ptrdiff_t>(keep - suffix));
      }
      ids.resize(keep);
    }
    rows.push_back(std::move(ids));
  }
  Batch b;
  b.rows = static_cast<int>(rows.size());
  for (const auto& r : rows) b.cols = std::max(b.cols, static_cast<int>(r.size()));
  if (padToMax && maxLength > 0) b.cols = maxLength;
  b.ids.assign(static_cast<size_t>(b.rows) * static_cast<size_t>(b.cols), padId());
  b.mask.assign(b.ids.size(), 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    b.lengths.push_back(static_cast<int>(rows[r].size()));
    for (size_t c = 0; c < rows[r].size(); ++c) {
      b.ids[r * static_cast<size_t>(b.cols) + c] = rows[r][c];
      b.mask[r * static_cast<size_t>(b.cols) + c] = 1;
    }
  }
  return b;
}

namespace {

// do_lower_case from tokenizer_config.json when present, else `fallback`.
bool configLowercase(const std::filesystem::path& folder, bool fallback) {
  const std::filesystem::path cfg = folder / "tokenizer_config.json";
  std::error_code ec;
  if (!std::filesystem::exists(cfg, ec)) return fallback;
  const nlohmann::json j = parseStrictJson(readTokenizerFile(cfg.string()), cfg.string());
  if (!j.is_object()) throw fileError(cfg.string(), "expected a JSON object");
  auto it = j.find("do_lower_case");
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw fileError(cfg.string(), "do_lower_case must be true or false");
  return it->get<bool>();
}

}  // namespace

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(folder);
  if (!fs::is_directory(dir, ec)) throw fileError(folder, "not a folder (expected a model folder with tokenizer files)");
  auto has = [&](const char* name) { return fs::exists(dir / name, ec); };
  if (has("vocab.txt")) {
    TokenVocab vocab = readVocabTxt((dir / "vocab.txt").string());
    return std::make_unique<WordPieceTokenizer>(std::move(vocab), configLowercase(dir, true));
  }
  if (has("vocab.json") && has("merges.txt")) {
    const std::string merges = (dir / "merges.txt").string();
    return std::make_unique<ByteBpeTokenizer>(readVocabJson((dir / "vocab.json").string()), readMerges(merges), merges);
  }
  if (has("tokenizer.json")) return loadTokenizerJson((dir / "tokenizer.json").string(), configLowercase(dir, true));
  if (has("vocab.json")) throw fileError((dir / "merges.txt").string(), "file not found (vocab.json needs merges.txt)");
  if (has("merges.txt")) throw fileError((dir / "vocab.json").string(), "file not found (merges.txt needs vocab.json)");
  throw fileError(folder, "no tokenizer files (expected vocab.txt, vocab.json + merges.txt, or tokenizer.json)");
}

}  // namespace pw::tok
