// Reads tokenizer.json: model.type "WordPiece" (vocab map) or "BPE" (vocab map + merges) with byte-level
// pre-tokenization; added tokens marked special stay whole.
#include "tokenizers/tokenizer_json.h"

#include <nlohmann/json.hpp>

#include "tokenizers/byte_bpe.h"
#include "tokenizers/vocab_files.h"
#include "tokenizers/wordpiece.h"
#include "util/error.h"
#include "util/strict_json.h"

namespace pw::tok {
namespace {

using nlohmann::json;

// Depth-first search for an object with "type": type (normalizers and pre-tokenizers nest in Sequences).
const json* findType(const json& j, const std::string& type) {
  if (j.is_object()) {
    auto t = j.find("type");
    if (t != j.end() && t->is_string() && t->get<std::string>() == type) return &j;
  }
  if (j.is_object() || j.is_array()) {
    for (const auto& child : j) {
      if (const json* f = findType(child, type)) return f;
    }
  }
  return nullptr;
}

std::string stringOr(const json& obj, const char* key, const std::string& fallback) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool boolOr(const json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::vector<MergeRule> mergesFromJson(const json& merges, const std::string& path) {
  if (!merges.is_array()) throw fileError(path, "model.merges must be an array");
  std::vector<MergeRule> out;
  out.reserve(merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    const json& m = merges[i];
    std::string where = "model.merges[" + std::to_string(i) + "]";
    if (m.is_string()) {
      const std::string s = m.get<std::string>();
      size_t sp = s.find(' ');
      if (sp == 0 || sp == std::string::npos || sp + 1 == s.size() || s.find(' ', sp + 1) != std::string::npos)
        throw fileError(path, where + ": expected \"a b\", got '" + s + "'");
      out.push_back({s.substr(0, sp), s.substr(sp + 1), 0});
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      out.push_back({m[0].get<std::string>(), m[1].get<std::string>(), 0});
    } else {
      throw fileError(path, where + ": expected \"a b\" or [\"a\", \"b\"]");
    }
  }
  return out;
}

std::unique_ptr<Tokenizer> fromJson(const json& j, const std::string& path, bool lowercaseFallback) {
  if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
    throw fileError(path, "no \"model\" object (is this a tokenizers tokenizer.json?)");
  const json& model = j["model"];
  const std::string type = stringOr(model, "type", "");
  if (!model.contains("vocab")) throw fileError(path, "model has no \"vocab\"");
  TokenVocab vocab = vocabFromJson(model["vocab"], path, "model.vocab");

  // Added tokens may carry ids beyond the model's vocabulary.
  std::vector<std::string> specials;
  if (j.contains("added_tokens") && j["added_tokens"].is_array()) {
    for (const json& t : j["added_tokens"]) {
      if (!t.is_object() || !t.contains("content") || !t["content"].is_string() || !t.contains("id") ||
          !t["id"].is_number_integer())
        throw fileError(path, "added_tokens: each entry needs a string \"content\" and an integer \"id\"");
      std::string content = t["content"].get<std::string>();
      int64_t id = t["id"].get<int64_t>();
      if (id < 0 || id > static_cast<int64_t>(vocab.tokens.size()) + 65536)
        throw fileError(path, "added token '" + content + "' has out-of-range id " + std::to_string(id));
      if (static_cast<size_t>(id) >= vocab.tokens.size()) vocab.tokens.resize(static_cast<size_t>(id) + 1);
      if (vocab.tokens[static_cast<size_t>(id)].empty()) vocab.tokens[static_cast<size_t>(id)] = content;
      vocab.ids.emplace(content, id);
      if (boolOr(t, "special", false)) specials.push_back(content);
    }
  }

  if (type == "WordPiece") {
    bool lowercase = lowercaseFallback;
    // findType points into its argument: keep the normalizer alive (a temporary here was read after its end,
    // found by the sanitizer build).
    const json normalizer = j.value("normalizer", json());
    if (const json* n = findType(normalizer, "BertNormalizer")) {
      lowercase = boolOr(*n, "lowercase", lowercase);
    }
    int maxChars = 100;
    if (model.contains("max_input_chars_per_word") && model["max_input_chars_per_word"].is_number_integer())
      maxChars = model["max_input_chars_per_word"].get<int>();
    return std::make_unique<WordPieceTokenizer>(std::move(vocab), lowercase, stringOr(model, "unk_token", "[UNK]"),
                                                stringOr(model, "continuing_subword_prefix", "##"), maxChars);
  }
  if (type == "BPE" || (type.empty() && model.contains("merges"))) {
    const json preTokenizer = j.value("pre_tokenizer", json());
    if (!findType(preTokenizer, "ByteLevel"))
      throw fileError(path, "BPE model without a ByteLevel pre_tokenizer: only byte-level BPE (GPT-2 style) is supported");
    std::vector<MergeRule> merges = model.contains("merges") ? mergesFromJson(model["merges"], path) : std::vector<MergeRule>{};
    return std::make_unique<ByteBpeTokenizer>(std::move(vocab), merges, path, specials);
  }
  throw fileError(path, "unsupported tokenizer model type '" + type + "' (supported: WordPiece, BPE)");
}

}  // namespace

std::unique_ptr<Tokenizer> loadTokenizerJson(const std::string& path, bool lowercaseFallback) {
  const json j = parseStrictJson(readTokenizerFile(path), path);
  try {
    return fromJson(j, path, lowercaseFallback);
  } catch (const json::exception& e) {  // a field of an unexpected type
    throw fileError(path, std::string("unexpected content: ") + e.what());
  }
}

}  // namespace pw::tok
