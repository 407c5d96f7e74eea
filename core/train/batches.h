// Token batches for classification training and evaluation: texts encoded once, then grouped by length so
// each batch is padded only to its own longest text.
#pragma once
#include <ATen/ATen.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "data/task.h"
#include "models/transformer.h"
#include "tokenizers/tokenizer.h"

namespace pw {

// One split, tokenized with the model's template and truncated to maxLength tokens.
struct EncodedSplit {
  std::vector<std::vector<int64_t>> ids;
  std::vector<int64_t> labels;
  int64_t padId = 0;
  size_t size() const { return ids.size(); }
  at::Tensor labelTensor() const;  // (N) int64
};

// Told how many rows of a split are done so far (progress displays); called every few rows and at the end.
using RowsDone = std::function<void(size_t rowsDone)>;

EncodedSplit encodeSplit(const tok::Tokenizer& tokenizer, const std::vector<data::Example>& examples,
                         int maxLength, const RowsDone& progress = {});

// How many rows of `split` hold nothing but special tokens ([CLS] [SEP], <|endoftext|>): a vocabulary that
// cannot spell the texts (a byte-level BPE without its byte symbols, say) encodes them to nothing.
size_t textlessRows(const tok::Tokenizer& tokenizer, const EncodedSplit& split);

// Right-padded inputs (ids, mask) for the rows `rows` of `split`; `realTokens` gets the non-pad count.
ModelInputs batchInputs(const EncodedSplit& split, const std::vector<size_t>& rows, int64_t* realTokens = nullptr);
at::Tensor batchLabels(const EncodedSplit& split, const std::vector<size_t>& rows);

// Training order: shuffled, then sorted by length within pools of 50 batches, cut into batches whose order
// is shuffled again (length-bucketed without always seeing the same neighbours).
std::vector<std::vector<size_t>> trainingBatches(const EncodedSplit& split, int batchSize, std::mt19937_64& rng);
// Evaluation order: sorted by length, cut into batches.
std::vector<std::vector<size_t>> evaluationBatches(const EncodedSplit& split, int batchSize);

}  // namespace pw
