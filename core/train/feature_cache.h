// Frozen features kept between runs in one process: linear probing, LP-FT's stage 1 and repeated probes
// (other seeds) of the same model on the same texts compute the encoder's features once. Keyed by everything
// the features depend on: the model's files (path, size, modification time) or its random-init seed, the
// pooling, the maximum length and the token ids themselves. Thread-safe; keeps the 8 most recent entries.
#pragma once
#include <ATen/ATen.h>

#include <functional>
#include <string>

#include "train/batches.h"

namespace pw {

// A key for the features of `split` under a model: `modelKey` says which weights (see modelFeatureKey).
std::string featureKey(const std::string& modelKey, const EncodedSplit& split);
// "path|size|mtime|pooling" of the model folder's weights, or "random|seed|config" for a random-init model.
std::string modelFeatureKey(const std::string& folder, bool randomInit, uint64_t seed, const std::string& pooling,
                            int maxLength);

// The cached tensor for `key`, or compute() stored under it. An undefined result (cancelled) is not stored.
at::Tensor cachedFeatures(const std::string& key, const std::function<at::Tensor()>& compute);
void clearFeatureCache();
int featureCacheHits();  // since the process started (for tests)

}  // namespace pw
