// The trainer's AdamW grouping (see optimiser.h).
#include "train/optimiser.h"

#include "util/error.h"

namespace pw {
namespace {

bool isHead(const std::string& name) { return name.rfind("classifier.", 0) == 0; }

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

}  // namespace pw
