// Frozen feature extraction (see features.h).
#include "train/features.h"

#include <numeric>

namespace pw {

ModelInputs encodeTexts(const tok::Tokenizer& tokenizer, const std::vector<std::string>& texts, int maxLength) {
  tok::Batch b = tokenizer.encodeBatch(texts, maxLength);
  ModelInputs in;
  in.ids = torch::from_blob(b.ids.data(), {b.rows, b.cols}, torch::kLong).clone();
  in.mask = torch::from_blob(b.mask.data(), {b.rows, b.cols}, torch::kLong).clone();
  return in;
}

at::Tensor computeFeatures(TransformerModelImpl& model, const tok::Tokenizer& tokenizer,
                           const std::vector<std::string>& texts, int maxLength, int batchSize) {
  torch::NoGradGuard guard;
  const bool wasTraining = model.is_training();
  model.eval();
  std::vector<size_t> lengths(texts.size()), order(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) lengths[i] = tokenizer.encode(texts[i]).size();
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lengths[a] < lengths[b]; });
  at::Tensor out = torch::empty({int64_t(texts.size()), model.config().hidden});
  for (size_t start = 0; start < order.size(); start += batchSize) {
    size_t end = std::min(order.size(), start + size_t(batchSize));
    std::vector<std::string> batch;
    std::vector<int64_t> rows;
    for (size_t i = start; i < end; ++i) {
      batch.push_back(texts[order[i]]);
      rows.push_back(int64_t(order[i]));
    }
    at::Tensor f = model.pooledFeatures(encodeTexts(tokenizer, batch, maxLength));  // (b, d)
    out.index_copy_(0, torch::tensor(rows, torch::kLong), f);
  }
  model.train(wasTraining);
  return out;
}

}  // namespace pw
