// What the vocabulary trainers share: options, the result summary, and streaming a corpus into word counts.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pw::tok {

struct VocabTrainOptions {
  std::string corpus;          // UTF-8 text file (invalid bytes are replaced and counted)
  std::string outDir;          // created when missing
  int64_t vocabSize = 16000;   // including the special tokens
  int limitAlphabet = 1000;    // WordPiece: keep at most this many distinct characters (most frequent first)
  bool progress = false;       // progress lines on stderr
};

struct VocabTrainResult {
  std::string kind;            // "wordpiece" or "bpe"
  std::string outDir;
  int64_t vocabSize = 0;       // entries written (less than asked when the corpus runs out of pairs)
  int64_t merges = 0;
  int64_t alphabet = 0;        // initial symbols (characters or bytes)
  int64_t uniqueWords = 0, totalWords = 0, skippedWords = 0;
  int64_t corpusBytes = 0, invalidUtf8 = 0;
  std::vector<std::string> files;
  double countSeconds = 0, mergeSeconds = 0;
};

using WordCounts = std::unordered_map<std::string, int64_t>;

// Streams the corpus in chunks cut at line ends (so `split` never sees a piece cut in half), splits each
// chunk into words with `split` and counts them. Throws pw::Error naming the file when it is missing,
// binary or has no words. Fills corpusBytes, invalidUtf8, uniqueWords and totalWords of `stats`.
WordCounts countCorpusWords(const VocabTrainOptions& opt,
                            const std::function<void(const std::string&, std::vector<std::string>&)>& split,
                            VocabTrainResult& stats);

// The words of a count table sorted by string, for deterministic training.
std::vector<std::pair<std::string, int64_t>> sortedWords(WordCounts&& counts);

// Creates opt.outDir; refuses when it holds the other kind's vocabulary files (loadTokenizer would pick them).
void prepareOutDir(const std::string& outDir, const std::vector<std::string>& conflicting);
void writeTextFile(const std::string& path, const std::string& content);

// "vocab: ..." on stderr when opt.progress.
void progressLine(const VocabTrainOptions& opt, const std::string& message);

}  // namespace pw::tok
