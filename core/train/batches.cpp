// Length-bucketed batches (see batches.h).
#include "train/batches.h"

#include <algorithm>
#include <numeric>

namespace pw {

at::Tensor EncodedSplit::labelTensor() const { return torch::tensor(labels, torch::kLong); }

EncodedSplit encodeSplit(const tok::Tokenizer& tokenizer, const std::vector<data::Example>& examples,
                         int maxLength, const RowsDone& progress) {
  EncodedSplit s;
  s.padId = tokenizer.padId();
  s.ids.reserve(examples.size());
  for (const auto& e : examples) {
    // One-row batches reuse the tokenizer's own truncation (it keeps the closing [SEP]).
    tok::Batch b = tokenizer.encodeBatch({e.text}, maxLength);
    s.ids.emplace_back(b.ids.begin(), b.ids.begin() + b.lengths[0]);
    s.labels.push_back(e.label);
    if (progress && s.ids.size() % 256 == 0) progress(s.ids.size());
  }
  if (progress) progress(s.ids.size());
  return s;
}

size_t textlessRows(const tok::Tokenizer& tokenizer, const EncodedSplit& split) {
  size_t n = 0;
  for (const auto& row : split.ids)
    n += std::all_of(row.begin(), row.end(), [&](int64_t id) { return tokenizer.isSpecial(id); });
  return n;
}

ModelInputs batchInputs(const EncodedSplit& split, const std::vector<size_t>& rows, int64_t* realTokens) {
  size_t cols = 1;
  for (size_t r : rows) cols = std::max(cols, split.ids[r].size());
  const int64_t B = int64_t(rows.size()), T = int64_t(cols);
  at::Tensor ids = torch::full({B, T}, split.padId, torch::kLong);
  at::Tensor mask = torch::zeros({B, T}, torch::kLong);
  auto idA = ids.accessor<int64_t, 2>();
  auto maskA = mask.accessor<int64_t, 2>();
  int64_t real = 0;
  for (int64_t i = 0; i < B; ++i) {
    const auto& row = split.ids[rows[i]];
    for (size_t t = 0; t < row.size(); ++t) {
      idA[i][t] = row[t];
      maskA[i][t] = 1;
    }
    real += int64_t(row.size());
  }
  if (realTokens) *realTokens = real;
  ModelInputs in;
  in.ids = ids;
  in.mask = mask;
  return in;
}

at::Tensor batchLabels(const EncodedSplit& split, const std::vector<size_t>& rows) {
  std::vector<int64_t> l;
  l.reserve(rows.size());
  for (size_t r : rows) l.push_back(split.labels[r]);
  return torch::tensor(l, torch::kLong);
}

namespace {

std::vector<std::vector<size_t>> cut(const std::vector<size_t>& order, int batchSize) {
  std::vector<std::vector<size_t>> batches;
  for (size_t i = 0; i < order.size(); i += size_t(batchSize))
    batches.emplace_back(order.begin() + i, order.begin() + std::min(order.size(), i + size_t(batchSize)));
  return batches;
}

}  // namespace

std::vector<std::vector<size_t>> trainingBatches(const EncodedSplit& split, int batchSize, std::mt19937_64& rng) {
  std::vector<size_t> order(split.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t pool = size_t(batchSize) * 50;
  for (size_t i = 0; i < order.size(); i += pool) {
    auto end = order.begin() + std::min(order.size(), i + pool);
    std::stable_sort(order.begin() + i, end,
                     [&](size_t a, size_t b) { return split.ids[a].size() < split.ids[b].size(); });
  }
  auto batches = cut(order, batchSize);
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

std::vector<std::vector<size_t>> evaluationBatches(const EncodedSplit& split, int batchSize) {
  std::vector<size_t> order(split.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return split.ids[a].size() < split.ids[b].size(); });
  return cut(order, batchSize);
}

}  // namespace pw
