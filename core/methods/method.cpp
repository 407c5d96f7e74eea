// Method base behaviour, computed trainability and parameter accounting (see method.h).
#include "methods/method.h"

#include "methods/model_layout.h"
#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

bool isHeadName(const std::string& name) { return name.rfind("classifier.", 0) == 0; }

}  // namespace

void Method::attach(TransformerModelImpl& model, const InitContext& ctx) {
  if (attached_) throw Error("method '" + name() + "' is already attached to a model");
  validate(model.config());
  create(model, ctx);
  attached_ = true;
  enabled_ = true;
  plug(model);
}

void Method::setEnabled(TransformerModelImpl& model, bool on) {
  if (!attached_ || on == enabled_) return;
  if (on) plug(model);
  else unplug(model);
  enabled_ = on;
}

void Method::selectStage(int s) {
  if (s < 1 || s > stageCount())
    throw Error("method '" + name() + "' has " + std::to_string(stageCount()) + " stage(s), not " + std::to_string(s));
  stage_ = s;
}

void Method::setStage(TransformerModelImpl& model, int s) {
  selectStage(s);
  applyTrainability(model, *this);
}

void applyTrainability(TransformerModelImpl& model, const Method& method) {
  for (auto& item : model.named_parameters()) {
    const std::string& n = item.key();
    bool train = isHeadName(n) || (n.rfind("mlm_", 0) != 0 && !isUnusedForClassification(model.config(), n) &&
                                    !method.groupOf(n).empty());
    item.value().set_requires_grad(train);
  }
  for (auto& [n, t] : method.ownParameters()) t.set_requires_grad(true);
}

void applyMethod(TransformerModelImpl& model, Method& method, const InitContext& ctx) {
  method.attach(model, ctx);
  applyTrainability(model, method);
}

NamedTensors trainableParameters(TransformerModelImpl& model, const Method& method) {
  NamedTensors out;
  for (auto& item : model.named_parameters())
    if (item.value().requires_grad()) out.emplace_back(item.key(), item.value());
  for (auto& [n, t] : method.ownParameters())
    if (t.requires_grad()) out.emplace_back("own." + n, t);
  return out;
}

at::Tensor classifyWith(TransformerModelImpl& model, const Method& method, ModelInputs inputs) {
  method.prepareInputs(inputs);
  return model.classify(inputs);
}

int64_t headParameterCount(const ModelConfig& config, int64_t classes) {
  if (classes <= 0) return 0;
  return config.hidden * classes + (config.family == Family::Bert ? classes : 0);
}

ParamBreakdown countParameters(TransformerModelImpl& model, const Method& method) {
  ParamBreakdown b;
  const ModelConfig& config = model.config();
  for (const auto& item : model.named_parameters()) {
    const std::string& n = item.key();
    const at::Tensor& t = item.value();
    if (n.rfind("mlm_", 0) == 0) continue;  // pretraining head: not part of classification
    const bool base = isBaseTensorName(config, n);
    if (base || isHeadName(n)) b.total += t.numel();
    if (!t.requires_grad()) continue;
    std::string group = isHeadName(n) ? "head" : method.groupOf(n);
    b.add(group.empty() ? "backbone" : group, t.numel());
  }
  for (const auto& [n, t] : method.ownParameters())
    if (t.requires_grad()) b.add(method.ownGroup(), t.numel());
  b.finish();
  return b;
}

ParamBreakdown countParameters(const ModelConfig& config, const Method& method, int64_t classes) {
  method.validate(config);
  ParamBreakdown b;
  for (const auto& t : baseTensors(config)) {
    b.total += t.numel();
    if (isUnusedForClassification(config, t.name)) continue;
    std::string group = method.groupOf(t.name);
    if (!group.empty()) b.add(group, t.numel());
  }
  const int64_t head = headParameterCount(config, classes);
  b.total += head;
  b.head = head;
  for (const auto& [group, n] : method.addedParameters(config)) b.add(group, n);
  b.finish();
  return b;
}

}  // namespace pw
