// Reading and validating tokenizer files: vocab.txt, vocab.json, merges.txt (errors name the file and line).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pw::tok {

// id -> token and token -> id, plus the file they came from (for error messages).
struct TokenVocab {
  std::vector<std::string> tokens;  // index = id; holes (unused ids) are empty strings
  std::unordered_map<std::string, int64_t> ids;
  std::string source;

  int64_t find(const std::string& token) const {
    auto it = ids.find(token);
    return it == ids.end() ? -1 : it->second;
  }
};

struct MergeRule {
  std::string a, b;
  int line = 0;  // 1-based line in the merges file (0 when not from a file)
};

// Whole file as UTF-8 text. Throws pw::Error naming the file when it is missing, empty, binary
// (NUL bytes), not UTF-8, or unreasonably large. A leading byte-order mark is dropped.
std::string readTokenizerFile(const std::string& path);

// vocab.txt: one token per line, id = line number (a later duplicate wins the token -> id lookup).
TokenVocab readVocabTxt(const std::string& path);
// vocab.json: {"token": id, ...}.
TokenVocab readVocabJson(const std::string& path);
// A token -> id JSON object (vocab.json or tokenizer.json's model.vocab); `what` prefixes errors.
TokenVocab vocabFromJson(const nlohmann::json& j, const std::string& source, const std::string& what);
// merges.txt: "a b" per line in rank order; a "#version" line and blank lines are skipped.
std::vector<MergeRule> readMerges(const std::string& path);

}  // namespace pw::tok
