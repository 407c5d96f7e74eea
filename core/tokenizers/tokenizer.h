// The tokenizer interface shared by WordPiece (BERT) and byte-level BPE (GPT-2). No torch, no Qt.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pw::tok {

// A padded batch, row-major (rows x cols).
struct Batch {
  int rows = 0;
  int cols = 0;
  std::vector<int64_t> ids;   // rows * cols, padded with padId()
  std::vector<int64_t> mask;  // rows * cols, 1 = real token, 0 = padding
  std::vector<int> lengths;   // real tokens per row
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Pieces as strings (no special tokens), e.g. "unaffable" -> un ##aff ##able.
  virtual std::vector<std::string> tokenize(const std::string& text) const = 0;
  // Ids, with the model's template when addSpecial ([CLS] A [SEP] for BERT; nothing for GPT-2).
  virtual std::vector<int64_t> encode(const std::string& text, bool addSpecial = true) const = 0;
  virtual std::string decode(const std::vector<int64_t>& ids, bool skipSpecial = true) const = 0;

  virtual int64_t vocabSize() const = 0;
  virtual int64_t tokenToId(const std::string& token) const = 0;  // -1 when absent
  virtual std::string idToToken(int64_t id) const = 0;
  virtual int64_t padId() const = 0;
  virtual std::string kind() const = 0;  // "wordpiece" or "bpe"
  // True for the model's special tokens ([CLS], [SEP], [PAD], [MASK], [UNK]; <|endoftext|>).
  virtual bool isSpecial(int64_t id) const = 0;

  // Encodes texts with the template, truncates each to maxLength (keeping the closing special token),
  // pads to the batch's longest row (or to maxLength when padToMax).
  // maxLength <= 0 means no truncation.
  Batch encodeBatch(const std::vector<std::string>& texts, int maxLength, bool padToMax = false) const;

 protected:
  // How many special tokens the template appends (kept when truncating): 1 for [SEP], 0 for GPT-2.
  virtual int templateSuffixLength() const { return 0; }
};

// Loads the tokenizer of a Hugging Face model folder: vocab.txt (WordPiece), vocab.json + merges.txt
// (byte-level BPE), or tokenizer.json. `lowercase` applies to WordPiece (from tokenizer_config.json's
// do_lower_case when present, else true). Throws pw::Error naming the file on bad input.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& folder);

}  // namespace pw::tok
