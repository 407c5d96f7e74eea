// Evaluation of a classifier under a method: loss, accuracy, macro-F1 and the confusion matrix of a split;
// frozen pooled features; class probabilities. Model in eval mode, no gradients, length-bucketed batches.
#pragma once
#include <ATen/ATen.h>

#include <atomic>
#include <vector>

#include "methods/method.h"
#include "train/batches.h"
#include "train/trainer.h"

namespace pw {

// Stops early (returning what it has) when `cancel` becomes true; `progress` hears the rows done after each batch.
SplitMetrics evaluateSplit(TransformerModelImpl& model, const Method& method, const EncodedSplit& split,
                           int64_t batchSize, const std::atomic<bool>* cancel = nullptr,
                           const RowsDone& progress = {});

// (N, C) logits in the split's order.
at::Tensor splitLogits(TransformerModelImpl& model, const Method& method, const EncodedSplit& split,
                       int64_t batchSize, const std::atomic<bool>* cancel = nullptr, const RowsDone& progress = {});

// (N, d) features the head sees (no method inputs: for linear probing), in the split's order.
at::Tensor pooledFeatures(TransformerModelImpl& model, const EncodedSplit& split, int64_t batchSize,
                          const std::atomic<bool>* cancel = nullptr, const RowsDone& progress = {});

// Softmax of the logits, one row per text.
std::vector<std::vector<double>> classProbabilities(TransformerModelImpl& model, const Method& method,
                                                    const EncodedSplit& split);

}  // namespace pw
