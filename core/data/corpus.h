// The pretraining corpus: unlabeled English text, one document per line, from Debian packages
// (dictionaries, WordNet, FOLDOC, Jargon File, fortunes, two public-domain Bibles, Perl's manuals),
// excluding every ID-test and OOD-test text of the built-in task.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/task.h"

namespace pw::data {

struct CorpusSourceStats {
  std::string name;
  std::string package;     // Debian package it comes from
  bool available = false;  // false: package not installed, source skipped
  size_t documents = 0, words = 0, chars = 0;  // chars: Unicode characters
  size_t excluded = 0;     // lines dropped because they hold a test text
  size_t duplicates = 0;   // lines dropped as exact repeats
};

struct CorpusStats {
  std::vector<CorpusSourceStats> sources;
  size_t documents = 0, words = 0, excluded = 0, duplicates = 0;
  size_t chars = 0;  // Unicode characters, newlines included
  size_t bytes = 0;  // file size (UTF-8)
  double seconds = 0;
};

// Drops documents equal to, or containing, any held-out text (compared by matchKey, whole words).
class HeldOutFilter {
 public:
  explicit HeldOutFilter(const std::vector<std::string>& texts);
  bool holdsHeldOut(const std::string& document) const;
  size_t size() const { return keys_.size(); }

 private:
  std::vector<std::string> keys_;
  std::vector<size_t> lengths_;  // distinct word counts of the shingles used
  std::vector<std::pair<uint64_t, size_t>> shingles_;  // sorted (hash of first words, key index)
};

// Every test and OOD text of `task`.
std::vector<std::string> heldOutTexts(const Task& task);

// Every test and OOD text of every built-in task (builtinTaskNames()): what the corpus must not hold.
std::vector<std::string> builtinHeldOutTexts(const TaskOptions& options = {});

struct CorpusOptions {
  bool shuffle = true;   // deterministic line shuffle (seeded); false keeps source order
  uint64_t seed = 7;
  std::vector<std::string> sources;  // source names to include (see corpusSourceNames()); empty = all
  std::function<void(const std::string&)> progress;  // one line per source, may be empty
};

// Names of the corpus sources in output order: gcide, wordnet, foldoc, jargon, devil, fortunes, ...
std::vector<std::string> corpusSourceNames();

// Writes the corpus to `outPath` (via a temporary file). Throws pw::Error if it cannot be written
// or if the two required packages (dict-gcide, wordnet-base) are missing.
CorpusStats writeCorpus(const std::string& outPath, const std::vector<std::string>& heldOut,
                        const CorpusOptions& options = {});

// Corpus sources: each calls `emit` once per document. Exposed for tests.
using Emit = std::function<void(const std::string&)>;
void corpusFromGcide(const Emit& emit);
void corpusFromWordNet(const Emit& emit);
void corpusFromDictd(const std::string& name, const Emit& emit);  // "foldoc", "jargon", "devil"
void corpusFromFortunes(const std::string& dir, const Emit& emit);
void corpusFromSword(const std::string& moduleDir, const Emit& emit);
void corpusFromPod(const std::string& podDir, const Emit& emit);

}  // namespace pw::data
