// Incremental BPE merge learning: pair counts and pair -> words index, a lazy max-heap of pairs.
#include "tokenizers/pair_merger.h"

#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace pw::tok {
namespace {

using Pair = uint64_t;
Pair makePair(int32_t a, int32_t b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }
int32_t leftOf(Pair p) { return static_cast<int32_t>(p >> 32); }
int32_t rightOf(Pair p) { return static_cast<int32_t>(p & 0xFFFFFFFFu); }

struct Entry {
  int64_t count;
  Pair pair;
};

}  // namespace

std::vector<MergeStep> learnMerges(MergeProblem& p, int64_t newSymbols,
                                   const std::function<void(int64_t, int64_t)>& progress) {
  std::unordered_map<std::string, int32_t> symbolIds;
  for (size_t i = 0; i < p.symbols.size(); ++i) symbolIds.emplace(p.symbols[i], static_cast<int32_t>(i));

  std::unordered_map<Pair, int64_t> pairCount;
  std::unordered_map<Pair, std::vector<int32_t>> pairWords;  // may hold stale or repeated entries
  for (size_t w = 0; w < p.words.size(); ++w) {
    const auto& s = p.words[w];
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      Pair pr = makePair(s[i], s[i + 1]);
      pairCount[pr] += p.counts[w];
      auto& list = pairWords[pr];
      if (list.empty() || list.back() != static_cast<int32_t>(w)) list.push_back(static_cast<int32_t>(w));
    }
  }

  // Max-heap on count, then smallest strings first. Entries go stale as counts change; checked on pop.
  auto worse = [&](const Entry& x, const Entry& y) {
    if (x.count != y.count) return x.count < y.count;
    const std::string &xa = p.symbols[static_cast<size_t>(leftOf(x.pair))], &ya = p.symbols[static_cast<size_t>(leftOf(y.pair))];
    if (xa != ya) return xa > ya;
    return p.symbols[static_cast<size_t>(rightOf(x.pair))] > p.symbols[static_cast<size_t>(rightOf(y.pair))];
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  for (const auto& [pr, c] : pairCount) heap.push({c, pr});

  std::vector<MergeStep> steps;
  int64_t added = 0;
  std::vector<std::pair<Pair, int>> deltas;
  std::unordered_set<Pair> grown;
  while (added < newSymbols && !heap.empty()) {
    Entry top = heap.top();
    heap.pop();
    auto it = pairCount.find(top.pair);
    int64_t current = it == pairCount.end() ? 0 : it->second;
    if (current != top.count) {  // stale: requeue with the true count
      if (current > 0 && current < top.count) heap.push({current, top.pair});
      continue;
    }
    if (current <= 0) continue;
    const int32_t a = leftOf(top.pair), b = rightOf(top.pair);
    MergeStep step{a, b, 0, false};
    std::string joined = p.join(p.symbols[static_cast<size_t>(a)], p.symbols[static_cast<size_t>(b)]);
    auto found = symbolIds.find(joined);
    if (found == symbolIds.end()) {
      step.merged = static_cast<int32_t>(p.symbols.size());
      step.newSymbol = true;
      symbolIds.emplace(joined, step.merged);
      p.symbols.push_back(std::move(joined));
      ++added;
    } else {
      step.merged = found->second;
    }
    steps.push_back(step);

    std::vector<int32_t> affected = std::move(pairWords[top.pair]);
    pairWords.erase(top.pair);
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    grown.clear();
    for (int32_t w : affected) {
      auto& s = p.words[static_cast<size_t>(w)];
      deltas.clear();
      bool hit = false;
      for (size_t i = 0; i + 1 < s.size(); ++i) hit = hit || (s[i] == a && s[i + 1] == b);
      if (!hit) continue;  // stale index entry
      for (size_t i = 0; i + 1 < s.size(); ++i) deltas.push_back({makePair(s[i], s[i + 1]), -1});
      size_t out = 0;
      for (size_t i = 0; i < s.size(); ++out) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          s[out] = step.merged;
          i += 2;
        } else {
          s[out] = s[i++];
        }
      }
      s.resize(out);
      for (size_t i = 0; i + 1 < s.size(); ++i) deltas.push_back({makePair(s[i], s[i + 1]), +1});
      std::sort(deltas.begin(), deltas.end());
      const int64_t c = p.counts[static_cast<size_t>(w)];
      for (size_t i = 0; i < deltas.size();) {
        size_t j = i;
        int net = 0;
        while (j < deltas.size() && deltas[j].first == deltas[i].first) net += deltas[j++].second;
        if (net != 0) {
          Pair pr = deltas[i].first;
          int64_t& count = pairCount[pr];
          count += net * c;
          if (count == 0) {  // no word holds the pair any more
            pairCount.erase(pr);
            pairWords.erase(pr);
          } else if (net > 0) {
            pairWords[pr].push_back(w);
            grown.insert(pr);
          }
        }
        i = j;
      }
    }
    pairCount.erase(top.pair);
    for (Pair pr : grown) {
      int64_t c = pairCount[pr];
      if (c > 0) heap.push({c, pr});
    }
    if (progress && steps.size() % 1000 == 0) progress(added, newSymbols);
  }
  if (progress) progress(added, newSymbols);
  return steps;
}

}  // namespace pw::tok
