// Linear probe of frozen features (see frozen_probe.h).
#include "train/frozen_probe.h"

#include <algorithm>
#include <chrono>

#include "train/batches.h"
#include "train/evaluate.h"
#include "train/linear_probe.h"

namespace pw {

FrozenProbeScores probeFrozenFeatures(TransformerModelImpl& model, const tok::Tokenizer& tokenizer,
                                      const data::Task& task, int maxLength) {
  const auto start = std::chrono::steady_clock::now();
  // No longer than the model's positions allow (a small model may have fewer than the usual 128).
  maxLength = int(std::min<int64_t>(maxLength, model.config().maxPositions - model.config().positionOffset));
  auto features = [&](const EncodedSplit& split) { return pooledFeatures(model, split, 64); };
  const EncodedSplit tr = encodeSplit(tokenizer, task.train, maxLength),
                     va = encodeSplit(tokenizer, task.validation, maxLength),
                     te = encodeSplit(tokenizer, task.test, maxLength);
  const at::Tensor trX = features(tr), vaX = features(va), teX = features(te);
  FrozenProbeScores s;
  const int64_t C = task.numClasses();
  const ProbeResult p = trainLinearProbe(trX, tr.labelTensor(), vaX, va.labelTensor(), C);
  s.l2 = p.l2, s.trainAccuracy = p.trainAccuracy, s.validationAccuracy = p.validationAccuracy;
  torch::NoGradGuard guard;
  auto score = [&](const std::string& name, const EncodedSplit& split, const at::Tensor& x) {
    const at::Tensor logits = torch::addmm(p.bias, x, p.weight.t());
    return ProbeSplitScore{name, accuracy(logits, split.labelTensor()), macroF1(logits, split.labelTensor(), C),
                           int64_t(split.size())};
  };
  s.id = score("ID test", te, teX);
  for (const data::OodSet& set : task.oodSets()) {
    const EncodedSplit oo = encodeSplit(tokenizer, set.examples, maxLength);
    s.ood.push_back(score(set.name, oo, features(oo)));
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace pw
