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

nlohmann::json readConfigObject(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nlohmann::json::object();
  nlohmann::json j = parseStrictJson(readTokenizerFile(path.string()), path.string());
  if (!j.is_object()) throw fileError(path.string(), "expected a JSON object");
  return j;
}

// A special token as transformers writes it: "[CLS]" or {"content": "[CLS]", ...}; null or absent: keep `token`.
void readToken(const nlohmann::json& j, const char* key, const std::string& file, std::string& token) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if (it->is_string()) token = it->get<std::string>();
  else if (it->is_object() && it->contains("content") && it->at("content").is_string())
    token = it->at("content").get<std::string>();
  else throw fileError(file, std::string(key) + " must be a token string or {\"content\": string}");
  if (token.empty()) throw fileError(file, std::string(key) + " is empty");
}

bool readFlag(const nlohmann::json& j, const char* key, const std::string& file, bool fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw fileError(file, std::string(key) + " must be true or false");
  return it->get<bool>();
}

// A BERT folder's tokenizer settings: tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars,
// the special tokens, added_tokens_decoder's special entries), then special_tokens_map.json's tokens over them (as
// transformers reads them). Every added token must sit in vocab.txt at the id it claims.
WordPieceOptions readWordPieceOptions(const std::filesystem::path& dir, const TokenVocab& vocab) {
  WordPieceOptions o;
  const std::string cfgPath = (dir / "tokenizer_config.json").string(), mapPath = (dir / "special_tokens_map.json").string();
  const nlohmann::json cfg = readConfigObject(cfgPath), map = readConfigObject(mapPath);
  o.text.lowercase = readFlag(cfg, "do_lower_case", cfgPath, true);
  o.text.stripAccents = readFlag(cfg, "strip_accents", cfgPath, o.text.lowercase);
  o.text.chineseChars = readFlag(cfg, "tokenize_chinese_chars", cfgPath, true);
  for (const auto& [j, file] : {std::pair<const nlohmann::json&, const std::string&>{cfg, cfgPath}, {map, mapPath}}) {
    readToken(j, "unk_token", file, o.unk);
    readToken(j, "cls_token", file, o.cls);
    readToken(j, "sep_token", file, o.sep);
    readToken(j, "pad_token", file, o.pad);
    readToken(j, "mask_token", file, o.mask);
  }
  if (auto it = cfg.find("added_tokens_decoder"); it != cfg.end() && !it->is_null()) {
    if (!it->is_object()) throw fileError(cfgPath, "added_tokens_decoder must be an object of id: token");
    for (const auto& [key, entry] : it->items()) {
      std::string content;
      readToken(nlohmann::json{{"t", entry}}, "t", cfgPath, content);
      int64_t id = -1;
      if (key.empty() || key.size() > 12 || key.find_first_not_of("0123456789") != std::string::npos)
        throw fileError(cfgPath, "added_tokens_decoder key \"" + key + "\" is not a token id");
      id = std::stoll(key);
      if (vocab.find(content) != id)
        throw fileError(cfgPath, "added_tokens_decoder says id " + key + " is '" + content + "', but " + vocab.source +
                                     (vocab.find(content) < 0 ? " does not have it"
                                                              : " has it at id " + std::to_string(vocab.find(content))));
      if (entry.is_object() && entry.value("special", false)) o.extraSpecials.push_back(content);
    }
  }
  return o;
}

// A GPT-2 folder's settings: its named special tokens (bos, eos, unk, pad; added_tokens_decoder's specials),
// add_prefix_space; special_tokens_map.json's tokens over tokenizer_config.json's.
ByteBpeOptions readByteBpeOptions(const std::filesystem::path& dir) {
  ByteBpeOptions o;
  const std::string cfgPath = (dir / "tokenizer_config.json").string(), mapPath = (dir / "special_tokens_map.json").string();
  const nlohmann::json cfg = readConfigObject(cfgPath), map = readConfigObject(mapPath);
  o.addPrefixSpace = readFlag(cfg, "add_prefix_space", cfgPath, false);
  // RoBERTa (config.json's model_type, or the tokenizer class): <s> A </s>, <pad>, <unk>, <mask> by default.
  const nlohmann::json model = readConfigObject(dir / "config.json");
  const nlohmann::json cls = cfg.value("tokenizer_class", nlohmann::json(""));
  const bool roberta = model.value("model_type", nlohmann::json("")) == "roberta" ||
                       (cls.is_string() && cls.get<std::string>().rfind("Roberta", 0) == 0);
  std::string bos, eos, unk, pad, mask;
  if (roberta) bos = "<s>", eos = "</s>", unk = "<unk>", pad = "<pad>", mask = "<mask>";
  for (const auto& [j, file] : {std::pair<const nlohmann::json&, const std::string&>{cfg, cfgPath}, {map, mapPath}}) {
    readToken(j, "bos_token", file, bos);
    readToken(j, "eos_token", file, eos);
    readToken(j, "unk_token", file, unk);
    readToken(j, "pad_token", file, pad);
    readToken(j, "mask_token", file, mask);
  }
  if (roberta) o.cls = bos, o.sep = eos;
  for (const std::string* t : {&bos, &eos, &unk, &pad, &mask})
    if (!t->empty()) o.specials.push_back(*t);
  if (!unk.empty()) o.unk = unk;
  o.pad = pad.empty() ? eos : pad;
  if (auto it = cfg.find("added_tokens_decoder"); it != cfg.end() && it->is_object())
    for (const auto& [key, entry] : it->items()) {
      std::string content;
      readToken(nlohmann::json{{"t", entry}}, "t", cfgPath, content);
      if (entry.is_object() && entry.value("special", false)) o.specials.push_back(content);
    }
  return o;
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
    const WordPieceOptions options = readWordPieceOptions(dir, vocab);
    return std::make_unique<WordPieceTokenizer>(std::move(vocab), options);
  }
  if (has("vocab.json") && has("merges.txt")) {
    const std::string merges = (dir / "merges.txt").string();
    return std::make_unique<ByteBpeTokenizer>(readVocabJson((dir / "vocab.json").string()), readMerges(merges), merges,
                                              readByteBpeOptions(dir));
  }
  if (has("tokenizer.json")) return loadTokenizerJson((dir / "tokenizer.json").string(), configLowercase(dir, true));
  if (has("vocab.json")) throw fileError((dir / "merges.txt").string(), "file not found (vocab.json needs merges.txt)");
  if (has("merges.txt")) throw fileError((dir / "vocab.json").string(), "file not found (merges.txt needs vocab.json)");
  throw fileError(folder, "no tokenizer files (expected vocab.txt, vocab.json + merges.txt, or tokenizer.json)");
}

}  // namespace pw::tok
