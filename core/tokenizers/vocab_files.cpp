// Reading and validating vocab.txt, vocab.json and merges.txt.
#include "tokenizers/vocab_files.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/error.h"
#include "util/strict_json.h"
#include "util/utf8.h"

namespace pw::tok {
namespace {

constexpr uintmax_t kMaxFileBytes = 1ull << 30;  // tokenizer files are MBs; refuse anything absurd
constexpr int64_t kMaxIdHoles = 1 << 16;          // ids may skip a few numbers, not millions

int lineOf(const std::string& s, size_t offset) {
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string readTokenizerFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw fileError(path, "file not found");
  if (std::filesystem::is_directory(path, ec)) throw fileError(path, "is a folder, expected a file");
  if (!std::filesystem::is_regular_file(path, ec)) throw fileError(path, "not a regular file (a FIFO or device?)");
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw fileError(path, "cannot read file size: " + ec.message());
  if (size > kMaxFileBytes) throw fileError(path, "file too large for a tokenizer file (" + std::to_string(size) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open file");
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uintmax_t>(in.gcount()) != size) throw fileError(path, "cannot read file");
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw fileError(path, "file is empty");
  if (size_t nul = text.find('\0'); nul != std::string::npos) {
    throw fileError(path, "binary data (NUL byte at offset " + std::to_string(nul) + "), expected UTF-8 text");
  }
  if (size_t bad = findInvalidUtf8(text); bad != kValidUtf8) {
    throw fileError(path, "line " + std::to_string(lineOf(text, bad)) + ": not valid UTF-8 (byte offset " +
                              std::to_string(bad) + ")");
  }
  return text;
}

TokenVocab readVocabTxt(const std::string& path) {
  TokenVocab v;
  v.source = path;
  v.tokens = splitLines(readTokenizerFile(path));
  v.ids.reserve(v.tokens.size());
  for (size_t i = 0; i < v.tokens.size(); ++i) v.ids[v.tokens[i]] = static_cast<int64_t>(i);
  return v;
}

TokenVocab vocabFromJson(const nlohmann::json& j, const std::string& source, const std::string& what) {
  if (!j.is_object()) throw fileError(source, what + " must be a JSON object mapping tokens to ids");
  if (j.empty()) throw fileError(source, what + " has no tokens");
  TokenVocab v;
  v.source = source;
  const int64_t limit = static_cast<int64_t>(j.size()) + kMaxIdHoles;
  int64_t maxId = -1;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_number_integer()) {
      throw fileError(source, what + ": the id of token '" + it.key() + "' is not an integer");
    }
    int64_t id = it.value().get<int64_t>();
    if (id < 0 || id >= limit) {
      throw fileError(source, what + ": token '" + it.key() + "' has id " + std::to_string(id) +
                                  ", out of range for " + std::to_string(j.size()) + " tokens");
    }
    maxId = std::max(maxId, id);
  }
  v.tokens.assign(static_cast<size_t>(maxId + 1), std::string());
  v.ids.reserve(j.size());
  for (auto it = j.begin(); it != j.end(); ++it) {
    int64_t id = it.value().get<int64_t>();
    v.ids[it.key()] = id;
    if (v.tokens[static_cast<size_t>(id)].empty()) v.tokens[static_cast<size_t>(id)] = it.key();
  }
  return v;
}

TokenVocab readVocabJson(const std::string& path) {
  std::string text = readTokenizerFile(path);
  return vocabFromJson(parseStrictJson(text, path), path, "vocab");
}

std::vector<MergeRule> readMerges(const std::string& path) {
  std::vector<std::string> lines = splitLines(readTokenizerFile(path));
  std::vector<MergeRule> merges;
  merges.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty() || line.rfind("#version", 0) == 0) continue;
    size_t sp = line.find(' ');
    if (sp == 0 || sp == std::string::npos || sp + 1 == line.size() || line.find(' ', sp + 1) != std::string::npos) {
      throw fileError(path, "line " + std::to_string(i + 1) + ": expected two tokens separated by one space, got '" +
                                line + "'");
    }
    merges.push_back({line.substr(0, sp), line.substr(sp + 1), static_cast<int>(i + 1)});
  }
  return merges;
}

}  // namespace pw::tok
