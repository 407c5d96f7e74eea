// Frozen features: the pooled vector the classifier sees, computed once for a list of texts (linear probing
// trains on this cache instead of running the encoder every step).
#pragma once
#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "models/transformer.h"
#include "tokenizers/tokenizer.h"

namespace pw {

// (N, d) features in the texts' order. Batches are length-bucketed (texts sorted by token count, each batch
// padded to its own longest) and truncated to maxLength tokens.
at::Tensor computeFeatures(TransformerModelImpl& model, const tok::Tokenizer& tokenizer,
                           const std::vector<std::string>& texts, int maxLength = 128, int batchSize = 64);

// Builds the model inputs for a batch of texts (right padding, the tokenizer's template).
ModelInputs encodeTexts(const tok::Tokenizer& tokenizer, const std::vector<std::string>& texts, int maxLength);

}  // namespace pw
