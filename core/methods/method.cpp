// Method base behaviour, computed trainability and parameter accounting (see method.h).
#include "methods/method.h"

#include "methods/model_layout.h"
#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

bool isHeadName(const std::string& name) { return name.rfind("classifier.", 0) == 0; }

// A method may count parameters only in the head or the groups its descriptor declares.
void addToGroup(ParamBreakdown& b, const Method& method, const std::string& group, int64_t n) {
  bool declared = group == "head";
  for (const auto& g : method.descriptor().groups) declared = declared || g.key == group;
  if (!declared)
    throw Error("internal: method '" + method.name() + "' counts parameters in group \"" + group +
                "\", which its descriptor does not declare");
  b.add(group, n);
}

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

double Method::learningRateFactor() const {
  const std::string& knob = currentStage().rateFactorKnob;
  return knob.empty() ? 1.0 : knobs_.at(knob).get<double>();
}

std::string Method::peftType() const {
  const std::string& own = currentStage().peftType;
  return own.empty() ? descriptor_->peftType : own;
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
    if (group.empty()) throw Error("internal: " + n + " trains but method '" + method.name() + "' gives it no group");
    addToGroup(b, method, group, t.numel());
  }
  for (const auto& [n, t] : method.ownParameters())
    if (t.requires_grad()) addToGroup(b, method, method.ownGroup(), t.numel());
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
    if (!group.empty()) addToGroup(b, method, group, t.numel());
  }
  const int64_t head = headParameterCount(config, classes);
  b.total += head;
  b.add("head", head);
  for (const auto& [group, n] : method.addedParameters(config)) addToGroup(b, method, group, n);
  b.finish();
  return b;
}

}  // namespace pw
