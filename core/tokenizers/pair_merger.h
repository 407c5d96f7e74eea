// The merge loop shared by the BPE and WordPiece trainers: repeatedly joins the most frequent adjacent
// symbol pair of a word-frequency table, with incremental pair counts (no rescans of the table).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pw::tok {

struct MergeStep {
  int32_t left = 0, right = 0, merged = 0;  // symbol ids
  bool newSymbol = true;                    // false when the joined string already was a symbol
};

struct MergeProblem {
  std::vector<std::string> symbols;          // symbol id -> string; merged symbols are appended
  std::vector<std::vector<int32_t>> words;   // each distinct word as symbol ids (rewritten in place)
  std::vector<int64_t> counts;               // frequency of each word
  // Joined string of two symbols (BPE: a + b; WordPiece drops b's "##").
  std::function<std::string(const std::string&, const std::string&)> join;
};

// Merges until `newSymbols` new symbols exist or no pair is left. The most frequent pair wins; ties go to
// the lexicographically smallest (left, right) strings, so the result is deterministic.
// `progress(done, wanted)` is called every 1000 merges when given.
std::vector<MergeStep> learnMerges(MergeProblem& p, int64_t newSymbols,
                                   const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace pw::tok
