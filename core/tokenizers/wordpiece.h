// WordPiece (BERT): basic tokenizer, then greedy longest-match-first with "##" continuation pieces.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "tokenizers/bert_pretokenizer.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/vocab_files.h"

namespace pw::tok {

// What a BERT folder's tokenizer_config.json / special_tokens_map.json say (BERT's names by default).
struct WordPieceOptions {
  BertTextOptions text;
  std::string unk = "[UNK]", cls = "[CLS]", sep = "[SEP]", pad = "[PAD]", mask = "[MASK]";
  std::vector<std::string> extraSpecials;  // further special tokens (added_tokens_decoder), kept whole
  std::string prefix = "##";
  int maxWordChars = 100;
};

class WordPieceTokenizer : public Tokenizer {
 public:
  // Throws pw::Error naming vocab.source when the vocabulary lacks `unkToken`.
  WordPieceTokenizer(TokenVocab vocab, bool lowercase, const std::string& unkToken = "[UNK]",
                     const std::string& prefix = "##", int maxWordChars = 100);
  // Throws pw::Error naming vocab.source when the vocabulary lacks the unknown token or an extra special.
  WordPieceTokenizer(TokenVocab vocab, const WordPieceOptions& options);

  std::vector<std::string> tokenize(const std::string& text) const override;
  std::vector<int64_t> encode(const std::string& text, bool addSpecial = true) const override;
  std::string decode(const std::vector<int64_t>& ids, bool skipSpecial = true) const override;

  int64_t vocabSize() const override { return static_cast<int64_t>(vocab_.tokens.size()); }
  int64_t tokenToId(const std::string& token) const override { return vocab_.find(token); }
  std::string idToToken(int64_t id) const override;
  int64_t padId() const override { return pad_; }
  std::string kind() const override { return "wordpiece"; }
  bool isSpecial(int64_t id) const override { return specialIds_.count(id) > 0; }
  bool lowercase() const { return text_.lowercase; }
  const BertTextOptions& textOptions() const { return text_; }

 protected:
  int templateSuffixLength() const override { return sep_ >= 0 ? 1 : 0; }

 private:
  void encodeText(const std::string& text, std::vector<int64_t>& ids) const;  // no template
  void encodeWord(const std::string& word, std::vector<int64_t>& ids) const;

  TokenVocab vocab_;
  BertTextOptions text_;
  std::string prefix_;
  int maxWordChars_;
  size_t maxTokenBytes_ = 0;  // longest vocabulary entry: bounds the greedy search
  int64_t unk_ = -1, cls_ = -1, sep_ = -1, pad_ = 0;
  std::vector<std::string> specials_;  // special tokens present in the vocabulary
  std::set<int64_t> specialIds_;
};

}  // namespace pw::tok
