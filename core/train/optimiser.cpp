// The trainer's AdamW grouping (see optimiser.h).
#include "train/optimiser.h"

#include <ATen/autocast_mode.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>

#include <chrono>
#include <cmath>

#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

bool isHead(const std::string& name) { return name.rfind("classifier.", 0) == 0; }

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

void TrainingOptimiser::setLrFactor(double factor) {
  for (size_t i = 0; i < adam->param_groups().size(); ++i)
    static_cast<torch::optim::AdamWOptions&>(adam->param_groups()[i].options()).lr(baseLr[i] * factor);
}

TrainingOptimiser makeTrainingOptimiser(const NamedTensors& trainable, double bodyLr, double headLr,
                                        double weightDecay) {
  std::vector<at::Tensor> groups[4];  // body decay, body no-decay, head decay, head no-decay
  TrainingOptimiser o;
  for (const auto& [name, t] : trainable) {
    const int g = (isHead(name) ? 2 : 0) + (t.dim() >= 2 ? 0 : 1);
    groups[g].push_back(t);
    o.params.push_back(t);
  }
  std::vector<torch::optim::OptimizerParamGroup> pg;
  const double lrs[4] = {bodyLr, bodyLr, headLr, headLr};
  for (int g = 0; g < 4; ++g) {
    if (groups[g].empty()) continue;
    auto opts = std::make_unique<torch::optim::AdamWOptions>(lrs[g]);
    opts->weight_decay(g % 2 == 0 ? weightDecay : 0.0);
    pg.emplace_back(groups[g], std::move(opts));
    o.baseLr.push_back(lrs[g]);
  }
  if (pg.empty()) throw Error("the method leaves nothing to train");
  o.adam = std::make_unique<torch::optim::AdamW>(pg, torch::optim::AdamWOptions(bodyLr));
  return o;
}

StepResult trainingStep(TransformerModelImpl& model, const Method& method, TrainingOptimiser& opt,
                        const EncodedSplit& split, const std::vector<size_t>& batch, double clipNorm) {
  StepResult r;
  const Clock::time_point t0 = Clock::now();
  model.train();
  ModelInputs in = batchInputs(split, batch, &r.tokens);
  at::Tensor logits = classifyWith(model, method, in);  // (B, C)
  at::Tensor loss = torch::nn::functional::cross_entropy(logits.to(torch::kFloat), batchLabels(split, batch));
  r.loss = loss.item<double>();
  r.forwardMs = msSince(t0);
  if (!std::isfinite(r.loss)) {
    r.finite = false;
    return r;
  }
  const Clock::time_point t1 = Clock::now();
  opt.adam->zero_grad();
  loss.backward();
  r.backwardMs = msSince(t1);
  const Clock::time_point t2 = Clock::now();
  if (clipNorm > 0) torch::nn::utils::clip_grad_norm_(opt.params, clipNorm);
  opt.adam->step();
  at::autocast::clear_cache();
  r.optimiserMs = msSince(t2);
  return r;
}

}  // namespace pw
