// Byte-level BPE (GPT-2): bytes -> printable symbols, GPT-2 regex pre-split, ranked merges.
#pragma once
#include <array>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tokenizers/tokenizer.h"
#include "tokenizers/vocab_files.h"
#include "util/lru_cache.h"

namespace pw::tok {

// What a GPT-2 folder's tokenizer_config.json / special_tokens_map.json say (GPT-2's own by default).
struct ByteBpeOptions {
  std::vector<std::string> specials;  // every named special token (bos, eos, unk, pad, added specials), kept whole
  std::string unk = "<|endoftext|>";  // what a byte the vocabulary cannot spell becomes (as transformers does)
  std::string pad;                    // "" : the end-of-text token
  bool addPrefixSpace = false;        // add_prefix_space: a space before the text, so its first word reads as
                                      // a word inside a sentence
  std::string cls, sep;               // a template, cls A sep (RoBERTa: <s> A </s>); "": none (GPT-2)
};

class ByteBpeTokenizer : public Tokenizer {
 public:
  ByteBpeTokenizer(TokenVocab vocab, const std::vector<MergeRule>& merges, const std::string& mergesSource,
                   const ByteBpeOptions& options);
  // Merge rank = position in `merges`. Throws pw::Error naming `mergesSource` and the line when a merge
  // uses a token (or makes one) that the vocabulary lacks. `addedTokens` (e.g. from tokenizer.json) are
  // kept whole like "<|endoftext|>", which is always special when present.
  ByteBpeTokenizer(TokenVocab vocab, const std::vector<MergeRule>& merges, const std::string& mergesSource,
                   const std::vector<std::string>& addedTokens = {});

  std::vector<std::string> tokenize(const std::string& text) const override;
  std::vector<int64_t> encode(const std::string& text, bool addSpecial = true) const override;
  std::string decode(const std::vector<int64_t>& ids, bool skipSpecial = true) const override;

  int64_t vocabSize() const override { return static_cast<int64_t>(vocab_.tokens.size()); }
  int64_t tokenToId(const std::string& token) const override { return vocab_.find(token); }
  std::string idToToken(int64_t id) const override;
  int64_t padId() const override { return pad_; }
  std::string kind() const override { return "bpe"; }
  bool isSpecial(int64_t id) const override { return specialIds_.count(id) > 0; }

 protected:
  int templateSuffixLength() const override { return sep_ >= 0 ? 1 : 0; }

 private:
  struct Merge {
    int32_t rank;
    int64_t id;
  };
  static uint64_t pairKey(int64_t a, int64_t b) { return (static_cast<uint64_t>(a) << 32) | static_cast<uint64_t>(b); }
  void encodeText(const std::string& text, std::vector<int64_t>& ids) const;
  void encodePiece(const std::string& piece, std::vector<int64_t>& ids) const;  // cached
  std::vector<int64_t> bpe(const std::string& piece) const;

  TokenVocab vocab_;
  std::unordered_map<uint64_t, Merge> merges_;
  std::array<int64_t, 256> byteIds_{};  // a byte the vocabulary lacks: the unknown token (-1: none, dropped)
  bool addPrefixSpace_ = false;
  int64_t cls_ = -1, sep_ = -1;  // the template's tokens (RoBERTa); -1: none
  std::vector<std::string> specials_;
  std::set<int64_t> specialIds_;
  int64_t pad_ = 0;
  mutable LruCache<std::string, std::vector<int64_t>> cache_{100000};  // ids of short pieces (<= 256 bytes)
};

}  // namespace pw::tok
