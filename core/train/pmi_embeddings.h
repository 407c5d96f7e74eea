// Word vectors from corpus statistics: positive pointwise mutual information of co-occurrences in a
// +-window, factorised by a randomised truncated SVD. Used to start a model's token embeddings: at CPU scale
// this is what lets a small pretrained model beat random weights (see MODEL_CARD.md of the shipped models).
#pragma once
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace pw {

struct PmiOptions {
  int window = 5;             // +- tokens
  double contextAlpha = 0.75; // context-distribution smoothing (Levy et al. 2015)
  int powerIterations = 3;
  int oversample = 16;
  uint64_t seed = 0;
};

// docs: token-id sequences (co-occurrences never cross a document). Returns (vocab, dim) float32 vectors,
// each row scaled so that the matrix has the given standard deviation; tokens never seen get small random rows.
at::Tensor pmiSvdEmbeddings(const std::vector<std::vector<int32_t>>& docs, int64_t vocab, int64_t dim,
                            double targetStd, const PmiOptions& options = {});

}  // namespace pw
