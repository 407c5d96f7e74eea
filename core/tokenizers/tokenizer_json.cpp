// Reads tokenizer.json: model.type "WordPiece" (vocab map) or "BPE" (vocab map + merges) with byte-level
// pre-tokenization, and the pipeline around the model: the normalizer, the pre-tokenizer (a Split regex only
// when it is GPT-2's), the post-processor's template and the padding token. Parts not implemented are refused
// by name; added tokens marked special stay whole.
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

// GPT-2's pre-tokenizer regex as tokenizers writes it in a Split step: the only pattern this workbench's
// byte-level BPE implements (byte_bpe.cpp splits by it by hand).
const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string stringOr(const json& obj, const char* key, const std::string& fallback) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool boolOr(const json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string typeOf(const json& step) {
  if (step.is_null()) return "null";
  return step.is_object() ? stringOr(step, "type", "(no type)") : "(not an object)";
}

// A part of the pipeline this reader does not implement: refused by name, never tokenized differently.
[[noreturn]] void unsupported(const std::string& path, const std::string& part, const std::string& what) {
  throw fileError(path, part + " " + what + " is not implemented here, so this tokenizer is refused rather than "
                                            "read as something else");
}

// The special tokens the post-processor puts around one text: first A last ("" : none).
struct Template {
  std::string first, last;
};

Template templateOf(const json& step, const std::string& path) {
  const std::string type = typeOf(step);
  if (type == "null" || type == "ByteLevel") return {};  // ByteLevel only trims offsets
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    auto token = [&](const char* key) {
      const json* pair = step.contains(key) ? &step[key] : nullptr;
      if (!pair || !pair->is_array() || pair->empty() || !(*pair)[0].is_string())
        throw fileError(path, "post_processor " + type + ": \"" + key + "\" must be [token, id]");
      return (*pair)[0].get<std::string>();
    };
    return {token("cls"), token("sep")};
  }
  if (type == "TemplateProcessing") {
    // Implemented: [special] $A [special], each special optional (BERT, RoBERTa, a BOS-only template), each
    // special one token.
    const json single = step.value("single", json());
    if (!single.is_array() || single.empty())
      throw fileError(path, "post_processor TemplateProcessing: no \"single\" template");
    std::vector<std::pair<std::string, std::string>> pieces;  // ("SpecialToken" | "Sequence", id)
    std::string shown;
    for (const json& piece : single) {
      std::string kind;
      for (const char* k : {"SpecialToken", "Sequence"})
        if (piece.is_object() && piece.contains(k) && piece[k].is_object()) kind = k;
      if (kind.empty())
        throw fileError(path, "post_processor TemplateProcessing: \"single\" must list SpecialToken and Sequence pieces");
      const std::string id = stringOr(piece[kind], "id", "");
      if (id.empty()) throw fileError(path, "post_processor TemplateProcessing: a piece without an \"id\"");
      pieces.push_back({kind, id});
      shown += (shown.empty() ? "" : " ") + (kind == "Sequence" ? "$" + id : id);
    }
    Template t;
    size_t i = 0;
    if (pieces[i].first == "SpecialToken") t.first = pieces[i++].second;
    const bool sequence = i < pieces.size() && pieces[i].first == "Sequence" && pieces[i].second == "A";
    if (sequence) ++i;
    if (sequence && i < pieces.size() && pieces[i].first == "SpecialToken") t.last = pieces[i++].second;
    if (!sequence || i != pieces.size())
      unsupported(path, "post_processor", "template \"" + shown + "\" (implemented: [special] $A [special])");
    const json specials = step.value("special_tokens", json::object());
    for (const std::string& s : {t.first, t.last}) {
      if (s.empty() || !specials.is_object() || !specials.contains(s)) continue;
      const json ids = specials[s].value("ids", json());
      if (ids.is_array() && ids.size() != 1)
        unsupported(path, "post_processor", "special '" + s + "' of " + std::to_string(ids.size()) + " tokens");
    }
    return t;
  }
  if (type == "Sequence") {
    const json processors = step.value("processors", json());
    Template t;
    int templates = 0;
    if (processors.is_array())
      for (const json& p : processors)
        if (typeOf(p) != "ByteLevel") t = templateOf(p, path), ++templates;
    if (templates > 1) unsupported(path, "post_processor", "Sequence of more than one template");
    return t;
  }
  unsupported(path, "post_processor", "'" + type + "'");
}

// Added tokens may carry ids beyond the model's vocabulary. Special ones stay whole; a non-special added token
// would have to be matched whole before the model as well, which is not implemented.
std::vector<std::string> readAddedTokens(const json& j, TokenVocab& vocab, const std::string& path) {
  std::vector<std::string> specials;
  if (!j.contains("added_tokens") || !j["added_tokens"].is_array()) return specials;
  for (const json& t : j["added_tokens"]) {
    if (!t.is_object() || !t.contains("content") || !t["content"].is_string() || !t.contains("id") ||
        !t["id"].is_number_integer())
      throw fileError(path, "added_tokens: each entry needs a string \"content\" and an integer \"id\"");
    std::string content = t["content"].get<std::string>();
    int64_t id = t["id"].get<int64_t>();
    if (id < 0 || id > static_cast<int64_t>(vocab.tokens.size()) + 65536)
      throw fileError(path, "added token '" + content + "' has out-of-range id " + std::to_string(id));
    const bool special = boolOr(t, "special", false);
    if (!special && vocab.find(content) != id)
      unsupported(path, "added_tokens", "non-special added token '" + content + "' (it is matched whole before "
                                        "the model in Hugging Face tokenizers)");
    if (static_cast<size_t>(id) >= vocab.tokens.size()) vocab.tokens.resize(static_cast<size_t>(id) + 1);
    if (vocab.tokens[static_cast<size_t>(id)].empty()) vocab.tokens[static_cast<size_t>(id)] = content;
    vocab.ids.emplace(content, id);
    if (special) specials.push_back(content);
  }
  return specials;
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

// A step the file leaves out is the model's usual one (BertNormalizer, BertPreTokenizer, [CLS] $A [SEP] for
// WordPiece; nothing but ByteLevel for BPE); a step given as null is honoured as none.
std::unique_ptr<Tokenizer> wordPieceFromJson(const json& j, TokenVocab vocab, const std::vector<std::string>& specials,
                                             const std::string& path, bool lowercaseFallback) {
  const json& model = j["model"];
  WordPieceOptions o;
  o.text = BertTextOptions{lowercaseFallback, lowercaseFallback, true};
  if (j.contains("normalizer")) {
    const json& n = j["normalizer"];
    const std::string type = typeOf(n);
    if (type == "BertNormalizer") {
      o.text.lowercase = boolOr(n, "lowercase", lowercaseFallback);
      o.text.stripAccents = boolOr(n, "strip_accents", o.text.lowercase);  // null: as lowercase
      o.text.chineseChars = boolOr(n, "handle_chinese_chars", true);
    } else if (type == "null") {
      o.text = BertTextOptions{false, false, false};
    } else {
      unsupported(path, "normalizer", "'" + type + "' (implemented: BertNormalizer)");
    }
  }
  if (j.contains("pre_tokenizer") && typeOf(j["pre_tokenizer"]) != "BertPreTokenizer")
    unsupported(path, "pre_tokenizer", "'" + typeOf(j["pre_tokenizer"]) + "' for WordPiece (implemented: BertPreTokenizer)");
  o.unk = stringOr(model, "unk_token", "[UNK]");
  if (vocab.find(o.unk) < 0) throw fileError(path, "vocabulary has no unknown token '" + o.unk + "'");
  if (j.contains("post_processor")) {  // else [CLS] $A [SEP], as far as the vocabulary has them
    const Template t = templateOf(j["post_processor"], path);
    for (const std::string& s : {t.first, t.last})
      if (!s.empty() && vocab.find(s) < 0)
        throw fileError(path, "the post_processor's token '" + s + "' is not in the vocabulary");
    o.cls = t.first, o.sep = t.last;
  }
  o.prefix = stringOr(model, "continuing_subword_prefix", "##");
  if (model.contains("max_input_chars_per_word") && model["max_input_chars_per_word"].is_number_integer())
    o.maxWordChars = model["max_input_chars_per_word"].get<int>();
  if (j.contains("padding") && j["padding"].is_object()) o.pad = stringOr(j["padding"], "pad_token", o.pad);
  o.extraSpecials = specials;
  return std::make_unique<WordPieceTokenizer>(std::move(vocab), o);
}

std::unique_ptr<Tokenizer> byteBpeFromJson(const json& j, TokenVocab vocab, const std::vector<std::string>& specials,
                                           const std::string& path) {
  const json& model = j["model"];
  if (boolOr(model, "byte_fallback", false)) unsupported(path, "model", "BPE with byte_fallback (SentencePiece style)");
  if (boolOr(model, "ignore_merges", false)) unsupported(path, "model", "BPE with ignore_merges");
  if (model.contains("dropout") && !model["dropout"].is_null()) unsupported(path, "model", "BPE dropout");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (!stringOr(model, key, "").empty()) unsupported(path, "model", std::string("BPE with a ") + key);
  if (j.contains("normalizer") && !j["normalizer"].is_null())
    unsupported(path, "normalizer", "'" + typeOf(j["normalizer"]) + "' for byte-level BPE (implemented: none)");

  ByteBpeOptions o;
  const json pre = j.value("pre_tokenizer", json());
  const json* byteLevel = nullptr;
  if (typeOf(pre) == "ByteLevel") {
    if (!boolOr(pre, "use_regex", true))
      unsupported(path, "pre_tokenizer", "ByteLevel without its regex (use_regex false) and no Split before it");
    byteLevel = &pre;
  } else if (typeOf(pre) == "Sequence" && pre.value("pretokenizers", json()).is_array() &&
             pre["pretokenizers"].size() == 2 && typeOf(pre["pretokenizers"][0]) == "Split" &&
             typeOf(pre["pretokenizers"][1]) == "ByteLevel") {
    // [Split on a regex, ByteLevel without its own]: implemented only when the regex is GPT-2's.
    const json& split = pre["pretokenizers"][0];
    const json pattern = split.value("pattern", json());
    const std::string regex = pattern.is_object() ? stringOr(pattern, "Regex", stringOr(pattern, "String", "")) : "";
    if (regex != kGpt2Pattern || stringOr(split, "behavior", "Isolated") != "Isolated" || boolOr(split, "invert", false))
      unsupported(path, "pre_tokenizer", "Split on '" + regex + "' (behavior " + stringOr(split, "behavior", "?") +
                                             "; implemented: GPT-2's pattern, isolated)");
    byteLevel = &pre["pretokenizers"][1];
  } else if (pre.is_null()) {
    throw fileError(path, "BPE model without a ByteLevel pre_tokenizer: only byte-level BPE (GPT-2 style) is supported");
  } else {
    unsupported(path, "pre_tokenizer", "'" + typeOf(pre) + "' for BPE (implemented: ByteLevel, or GPT-2's Split "
                                       "then ByteLevel)");
  }
  o.addPrefixSpace = boolOr(*byteLevel, "add_prefix_space", true);  // tokenizers' ByteLevel default
  const Template t = j.contains("post_processor") ? templateOf(j["post_processor"], path) : Template{};
  o.cls = t.first, o.sep = t.last;
  o.specials = specials;
  o.unk = stringOr(model, "unk_token", o.unk);
  if (j.contains("padding") && j["padding"].is_object()) o.pad = stringOr(j["padding"], "pad_token", "");
  std::vector<MergeRule> merges = model.contains("merges") ? mergesFromJson(model["merges"], path) : std::vector<MergeRule>{};
  return std::make_unique<ByteBpeTokenizer>(std::move(vocab), merges, path, o);
}

std::unique_ptr<Tokenizer> fromJson(const json& j, const std::string& path, bool lowercaseFallback) {
  if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
    throw fileError(path, "no \"model\" object (is this a tokenizers tokenizer.json?)");
  const json& model = j["model"];
  const std::string type = stringOr(model, "type", "");
  if (type != "WordPiece" && type != "BPE" && !(type.empty() && model.contains("merges")))
    throw fileError(path, "unsupported tokenizer model type '" + type + "' (supported: WordPiece, BPE)");
  if (!model.contains("vocab")) throw fileError(path, "model has no \"vocab\"");
  TokenVocab vocab = vocabFromJson(model["vocab"], path, "model.vocab");
  const std::vector<std::string> specials = readAddedTokens(j, vocab, path);
  if (type == "WordPiece") return wordPieceFromJson(j, std::move(vocab), specials, path, lowercaseFallback);
  return byteBpeFromJson(j, std::move(vocab), specials, path);
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
