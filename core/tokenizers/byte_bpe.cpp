// Byte-level BPE (GPT-2) tokenizer: merges applied lowest rank first with a heap, results cached per piece.
#include "tokenizers/byte_bpe.h"

#include <queue>

#include "tokenizers/gpt2_bytes.h"
#include "tokenizers/special_tokens.h"
#include "util/error.h"
#include "util/utf8.h"

namespace pw::tok {
namespace {
constexpr size_t kMaxCachedPieceBytes = 256;
}  // namespace

namespace {
ByteBpeOptions withAdded(const std::vector<std::string>& added) {
  ByteBpeOptions o;
  o.specials = added;
  return o;
}
}  // namespace

ByteBpeTokenizer::ByteBpeTokenizer(TokenVocab vocab, const std::vector<MergeRule>& merges,
                                   const std::string& mergesSource, const std::vector<std::string>& addedTokens)
    : ByteBpeTokenizer(std::move(vocab), merges, mergesSource, withAdded(addedTokens)) {}

ByteBpeTokenizer::ByteBpeTokenizer(TokenVocab vocab, const std::vector<MergeRule>& merges,
                                   const std::string& mergesSource, const ByteBpeOptions& options)
    : vocab_(std::move(vocab)), addPrefixSpace_(options.addPrefixSpace) {
  if (vocab_.tokens.size() >= (1ull << 31)) throw fileError(vocab_.source, "vocabulary too large");
  merges_.reserve(merges.size());
  for (size_t r = 0; r < merges.size(); ++r) {
    const MergeRule& m = merges[r];
    auto where = [&] { return m.line > 0 ? "line " + std::to_string(m.line) + ": " : std::string(); };
    int64_t a = vocab_.find(m.a), b = vocab_.find(m.b), ab = vocab_.find(m.a + m.b);
    for (const auto& [tok, id] : {std::pair<std::string, int64_t>{m.a, a}, {m.b, b}, {m.a + m.b, ab}}) {
      if (id < 0) {
        throw fileError(mergesSource, where() + "merge '" + m.a + " " + m.b + "' uses token '" + tok +
                                          "', which is not in the vocabulary (" + vocab_.source + ")");
      }
    }
    merges_.emplace(pairKey(a, b), Merge{static_cast<int32_t>(r), ab});  // a repeated pair keeps its first rank
  }
  const int64_t unk = vocab_.find(options.unk);
  for (int b = 0; b < 256; ++b) {
    std::string sym;
    appendUtf8(sym, byteToCodePoint(static_cast<uint8_t>(b)));
    const int64_t id = vocab_.find(sym);
    byteIds_[static_cast<size_t>(b)] = id >= 0 ? id : unk;
  }
  std::vector<std::string> specials = options.specials;
  specials.push_back("<|endoftext|>");
  for (const std::string& s : specials) {
    int64_t id = vocab_.find(s);
    if (id >= 0 && specialIds_.insert(id).second) specials_.push_back(s);
  }
  for (const std::string* t : {&options.cls, &options.sep})
    if (!t->empty() && vocab_.find(*t) < 0)
      throw fileError(vocab_.source, "the template token '" + *t + "' is not in the vocabulary");
  cls_ = options.cls.empty() ? -1 : vocab_.find(options.cls);
  sep_ = options.sep.empty() ? -1 : vocab_.find(options.sep);
  const int64_t pad = options.pad.empty() ? -1 : vocab_.find(options.pad);
  pad_ = pad >= 0 ? pad : std::max<int64_t>(0, vocab_.find("<|endoftext|>"));
}

std::string ByteBpeTokenizer::idToToken(int64_t id) const {
  if (id < 0 || id >= vocabSize()) return std::string();
  return vocab_.tokens[static_cast<size_t>(id)];
}

std::vector<int64_t> ByteBpeTokenizer::bpe(const std::string& piece) const {
  // Symbols form a linked list; the heap holds candidate pairs by (rank, position).
  std::vector<int64_t> sym;
  sym.reserve(piece.size());
  for (unsigned char c : piece)
    if (byteIds_[c] >= 0) sym.push_back(byteIds_[c]);
  const int n = static_cast<int>(sym.size());
  std::vector<int> next(static_cast<size_t>(n)), prev(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    next[static_cast<size_t>(i)] = i + 1 < n ? i + 1 : -1;
    prev[static_cast<size_t>(i)] = i - 1;
  }
  struct Cand {
    int32_t rank;
    int pos;
    int64_t left, right;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
  auto consider = [&](int pos) {
    if (pos < 0) return;
    int nx = next[static_cast<size_t>(pos)];
    if (nx < 0) return;
    auto it = merges_.find(pairKey(sym[static_cast<size_t>(pos)], sym[static_cast<size_t>(nx)]));
    if (it != merges_.end()) heap.push({it->second.rank, pos, sym[static_cast<size_t>(pos)], sym[static_cast<size_t>(nx)]});
  };
  for (int i = 0; i < n; ++i) consider(i);
  std::vector<bool> alive(static_cast<size_t>(n), true);
  while (!heap.empty()) {
    Cand c = heap.top();
    heap.pop();
    auto p = static_cast<size_t>(c.pos);
    int nx = next[p];
    if (!alive[p] || nx < 0 || sym[p] != c.left || sym[static_cast<size_t>(nx)] != c.right) continue;  // stale
    sym[p] = merges_.at(pairKey(c.left, c.right)).id;
    alive[static_cast<size_t>(nx)] = false;
    next[p] = next[static_cast<size_t>(nx)];
    if (next[p] >= 0) prev[static_cast<size_t>(next[p])] = c.pos;
    consider(prev[p]);
    consider(c.pos);
  }
  std::vector<int64_t> out;
  for (int i = 0; i >= 0 && i < n; i = next[static_cast<size_t>(i)]) out.push_back(sym[static_cast<size_t>(i)]);
  return out;
}

void ByteBpeTokenizer::encodePiece(const std::string& piece, std::vector<int64_t>& ids) const {
  const bool cacheable = piece.size() <= kMaxCachedPieceBytes;
  if (auto hit = cacheable ? cache_.get(piece) : std::nullopt) {
    ids.insert(ids.end(), hit->begin(), hit->end());
    return;
  }
  std::vector<int64_t> out = bpe(piece);
  ids.insert(ids.end(), out.begin(), out.end());
  if (cacheable) cache_.put(piece, std::move(out));
}

void ByteBpeTokenizer::encodeText(const std::string& given, std::vector<int64_t>& ids) const {
  const std::string text = addPrefixSpace_ && !given.empty() && given[0] != ' ' ? " " + given : given;
  std::vector<std::string> pieces;
  for (const TextPiece& p : splitOnSpecials(text, specials_)) {
    if (p.special) {
      ids.push_back(vocab_.find(p.text));
      continue;
    }
    pieces.clear();
    gpt2PreSplit(replaceInvalidUtf8(p.text), pieces);
    for (const std::string& piece : pieces) encodePiece(piece, ids);
  }
}

std::vector<std::string> ByteBpeTokenizer::tokenize(const std::string& text) const {
  std::vector<int64_t> ids;
  encodeText(text, ids);
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int64_t id : ids) out.push_back(idToToken(id));
  return out;
}

std::vector<int64_t> ByteBpeTokenizer::encode(const std::string& text, bool addSpecial) const {
  std::vector<int64_t> ids;
  if (addSpecial && cls_ >= 0) ids.push_back(cls_);  // GPT-2 has no template; RoBERTa: <s> A </s>
  encodeText(text, ids);
  if (addSpecial && sep_ >= 0) ids.push_back(sep_);
  return ids;
}

std::string ByteBpeTokenizer::decode(const std::vector<int64_t>& ids, bool skipSpecial) const {
  std::string bytes;
  for (int64_t id : ids) {
    if (id < 0 || id >= vocabSize()) continue;
    const std::string& t = vocab_.tokens[static_cast<size_t>(id)];
    if (isSpecial(id)) {
      if (!skipSpecial) bytes += t;
      continue;
    }
    for (size_t i = 0; i < t.size();) {
      size_t start = i;
      int b = byteFromCodePoint(nextCodePoint(t, i));
      if (b >= 0) {
        bytes += static_cast<char>(b);
      } else {
        bytes.append(t, start, i - start);  // not a byte symbol (a hand-added token): keep as text
      }
    }
  }
  return replaceInvalidUtf8(bytes);  // a slice of ids may end inside a character
}

}  // namespace pw::tok
