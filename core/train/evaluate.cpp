// Evaluation (see evaluate.h).
#include "train/evaluate.h"

#include "train/linear_probe.h"

#include <mutex>

namespace pw {
namespace {

// One evaluation batch at a time in this process. Runs side by side (--parallel) that evaluate in step (two seeds
// of one method: the same validation batches at the same moment) build the same bf16 primitives at once; that
// is where the oneDNN failures of util/onednn_guard.h were first seen. The guard now serialises every
// primitive creation; this lock stays as a second line. It is taken per batch, not per pass, so a long pass
// (a linear probe's features over the whole training split) does not hold back the first validation point of
// a run beside it.
std::mutex evaluationMutex;

// Runs `f` on each evaluation batch with the model in eval mode and no gradients, writing the rows of the
// (N, width) output in the split's order.
template <typename F>
at::Tensor perBatch(TransformerModelImpl& model, const EncodedSplit& split, int64_t batchSize, int64_t width,
                    const std::atomic<bool>* cancel, const RowsDone& progress, F f) {
  torch::NoGradGuard guard;
  const bool wasTraining = model.is_training();
  model.eval();
  at::Tensor out = torch::zeros({int64_t(split.size()), width});
  size_t done = 0;
  for (const auto& rows : evaluationBatches(split, int(batchSize))) {
    if (cancel && *cancel) break;
    at::Tensor y;
    {
      std::lock_guard<std::mutex> oneAtATime(evaluationMutex);
      y = f(batchInputs(split, rows)).to(torch::kFloat);  // bf16 under autocast
    }
    std::vector<int64_t> r(rows.begin(), rows.end());
    out.index_copy_(0, torch::tensor(r, torch::kLong), y);
    done += rows.size();
    if (progress) progress(done);
  }
  model.train(wasTraining);
  return out;
}

}  // namespace

at::Tensor splitLogits(TransformerModelImpl& model, const Method& method, const EncodedSplit& split,
                       int64_t batchSize, const std::atomic<bool>* cancel, const RowsDone& progress) {
  const int64_t classes = model.classifier->weight.size(0);
  return perBatch(model, split, batchSize, classes, cancel, progress,
                  [&](ModelInputs in) { return classifyWith(model, method, std::move(in)); });
}

at::Tensor pooledFeatures(TransformerModelImpl& model, const EncodedSplit& split, int64_t batchSize,
                          const std::atomic<bool>* cancel, const RowsDone& progress) {
  return perBatch(model, split, batchSize, model.config().hidden, cancel, progress,
                  [&](const ModelInputs& in) { return model.pooledFeatures(in); });
}

SplitMetrics evaluateSplit(TransformerModelImpl& model, const Method& method, const EncodedSplit& split,
                           int64_t batchSize, const std::atomic<bool>* cancel, const RowsDone& progress) {
  SplitMetrics m;
  m.examples = int64_t(split.size());
  if (split.size() == 0) return m;
  at::Tensor logits = splitLogits(model, method, split, batchSize, cancel, progress);
  at::Tensor labels = split.labelTensor();
  const int64_t C = logits.size(1);
  m.loss = torch::nn::functional::cross_entropy(logits, labels).item<double>();
  m.accuracy = accuracy(logits, labels);
  m.macroF1 = macroF1(logits, labels, C);
  m.confusion.assign(size_t(C), std::vector<int64_t>(size_t(C), 0));
  at::Tensor pred = logits.argmax(1);
  auto p = pred.accessor<int64_t, 1>();
  auto l = labels.accessor<int64_t, 1>();
  m.correct.resize(size_t(labels.size(0)));
  for (int64_t i = 0; i < labels.size(0); ++i) {
    ++m.confusion[size_t(l[i])][size_t(p[i])];
    m.correct[size_t(i)] = p[i] == l[i] ? 1 : 0;
  }
  return m;
}

std::vector<std::vector<double>> classProbabilities(TransformerModelImpl& model, const Method& method,
                                                    const EncodedSplit& split) {
  at::Tensor probs = torch::softmax(splitLogits(model, method, split, 64), 1).to(torch::kDouble);
  std::vector<std::vector<double>> out(split.size());
  auto a = probs.accessor<double, 2>();
  for (int64_t i = 0; i < probs.size(0); ++i)
    for (int64_t c = 0; c < probs.size(1); ++c) out[size_t(i)].push_back(a[i][c]);
  return out;
}

}  // namespace pw
