// The pretraining data: a tokenized corpus cut into fixed-length sequences, a held-out slice for
// validation, a deterministic order per epoch, and BERT's MLM masking.
#pragma once
#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tokenizers/tokenizer.h"

namespace pw {

struct PretrainCorpus {
  std::vector<std::vector<int32_t>> docs;  // token ids per corpus line, no specials
  at::Tensor train;                        // (N, seq) int64 sequences
  at::Tensor validation;                   // (M, seq)
  int64_t tokens = 0;                      // tokens in all docs
};

// Reads and tokenizes the corpus (one document per line) and cuts it into sequences of `seq` tokens:
// BERT: [CLS] chunk [SEP] with [SEP] between documents; GPT-2: chunks of the stream with <|endoftext|>
// between documents. Every 100th sequence is held out for validation.
PretrainCorpus buildPretrainCorpus(const std::string& corpusFile, const tok::Tokenizer& tokenizer, bool bert,
                                   int seq, int64_t maxDocuments);

// The (B, T) batch for a step: sample g = step * B + i, in the order of a seeded permutation per epoch.
class EpochSampler {
 public:
  EpochSampler(int64_t size, uint64_t seed) : size_(size), seed_(seed) {}
  at::Tensor batchIndices(int64_t step, int64_t batch);

 private:
  int64_t size_;
  uint64_t seed_;
  int64_t epoch_ = -1;
  at::Tensor order_;
};

struct MaskedBatch {
  at::Tensor ids;        // (B, T) inputs after masking
  at::Tensor positions;  // (K) flat indices of the selected positions into B*T
  at::Tensor targets;    // (K) original tokens there
};

// Selects 15% of the non-special tokens; of those 80% become [MASK], 10% a random token, 10% stay.
MaskedBatch maskForMlm(const at::Tensor& ids, const tok::Tokenizer& tokenizer, at::Generator& gen);

}  // namespace pw
