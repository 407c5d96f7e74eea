// Corpus streaming and word counting for the vocabulary trainers, plus output-folder helpers.
#include "tokenizers/train_common.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "util/error.h"
#include "util/utf8.h"

namespace pw::tok {
namespace {

constexpr size_t kChunkBytes = 4u << 20;
constexpr size_t kMaxChunkBytes = 64u << 20;  // a corpus without line breaks is cut here anyway

bool plainAscii(char c) { return c > 0x20 && c < 0x7F; }

// End of a line whose break sits between two visible ASCII characters: every pre-tokenizer (GPT-2's
// whitespace rules included) splits there exactly as it would in the whole text. Else any line end.
size_t findCut(const std::string& buf) {
  size_t fallback = std::string::npos;
  for (size_t p = buf.size(); p-- > 0;) {
    if (buf[p] != '\n') continue;
    if (fallback == std::string::npos) fallback = p + 1;
    if (p > 0 && p + 1 < buf.size() && plainAscii(buf[p - 1]) && plainAscii(buf[p + 1])) return p + 1;
    if (buf.size() - p > kChunkBytes) break;  // do not scan far back
  }
  return fallback;
}

}  // namespace

WordCounts countCorpusWords(const VocabTrainOptions& opt,
                            const std::function<void(const std::string&, std::vector<std::string>&)>& split,
                            VocabTrainResult& stats) {
  const std::string& path = opt.corpus;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw fileError(path, "corpus file not found");
  if (std::filesystem::is_directory(path, ec)) throw fileError(path, "is a folder, expected a text file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open corpus file");

  WordCounts counts;
  std::string buf;
  std::vector<char> block(kChunkBytes);
  std::vector<std::string> words;
  int64_t nextReport = 16 << 20;
  bool eof = false;
  while (!eof) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<size_t>(in.gcount());
    eof = got < block.size();
    if (const void* nul = std::memchr(block.data(), 0, got)) {
      const auto at = stats.corpusBytes + (static_cast<const char*>(nul) - block.data());
      throw fileError(path, "binary data (NUL byte at offset " + std::to_string(at) + "), expected UTF-8 text");
    }
    buf.append(block.data(), got);
    stats.corpusBytes += static_cast<int64_t>(got);
    size_t cut = eof ? buf.size() : findCut(buf);
    if (cut == std::string::npos) {
      if (buf.size() < kMaxChunkBytes) continue;
      cut = buf.size();
      while (cut > 0 && (static_cast<unsigned char>(buf[cut - 1]) & 0xC0) == 0x80) --cut;  // not inside a character
      if (cut > 0) --cut;
    }
    size_t bad = 0;
    const std::string text = replaceInvalidUtf8(buf.substr(0, cut), &bad);
    buf.erase(0, cut);
    stats.invalidUtf8 += static_cast<int64_t>(bad);
    words.clear();
    split(text, words);
    stats.totalWords += static_cast<int64_t>(words.size());
    for (std::string& w : words) ++counts[std::move(w)];
    if (stats.corpusBytes >= nextReport) {
      progressLine(opt, "read " + std::to_string(stats.corpusBytes >> 20) + " MB, " + std::to_string(counts.size()) +
                            " distinct words");
      nextReport += 16 << 20;
    }
  }
  if (in.bad()) throw fileError(path, "read error");
  if (counts.empty()) throw fileError(path, "corpus has no words");
  stats.uniqueWords = static_cast<int64_t>(counts.size());
  return counts;
}

std::vector<std::pair<std::string, int64_t>> sortedWords(WordCounts&& counts) {
  std::vector<std::pair<std::string, int64_t>> out;
  out.reserve(counts.size());
  for (auto& kv : counts) out.emplace_back(kv.first, kv.second);
  counts.clear();
  std::sort(out.begin(), out.end());
  return out;
}

void prepareOutDir(const std::string& outDir, const std::vector<std::string>& conflicting) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(outDir, ec) && !fs::is_directory(outDir, ec)) throw fileError(outDir, "exists and is not a folder");
  for (const std::string& name : conflicting) {
    if (fs::exists(fs::path(outDir) / name, ec)) {
      throw fileError(outDir, "already holds " + name + " from another kind of tokenizer; choose an empty folder");
    }
  }
  fs::create_directories(outDir, ec);
  if (ec) throw fileError(outDir, "cannot create folder: " + ec.message());
}

void writeTextFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw fileError(path, "cannot write file");
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw fileError(path, "write failed (disk full?)");
}

void progressLine(const VocabTrainOptions& opt, const std::string& message) {
  if (opt.progress) std::cerr << "vocab: " << message << std::endl;
}

}  // namespace pw::tok
