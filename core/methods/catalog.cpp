// Knob checking, parameter groups and config-only counting for every method (see catalog.h). The registry
// itself (the built-in list and registerMethod) is in registry.cpp.
#include "methods/catalog.h"

#include "methods/knobs.h"
#include "methods/method.h"
#include "util/error.h"
#include "util/split.h"

namespace pw {

const KnobSpec* MethodDescriptor::knob(const std::string& key) const {
  for (const auto& k : knobs)
    if (k.key == key) return &k;
  return nullptr;
}

bool MethodDescriptor::hasRates() const {
  for (const auto& s : plan)
    if (s.kind == TrainingStage::Kind::Gradient) return true;
  return false;
}

KnobSpec integerKnob(std::string key, std::string label, int64_t def, double min, double max, bool logScale,
                     std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = KnobSpec::Kind::Integer, k.defaultValue = def;
  k.min = min, k.max = max, k.logScale = logScale, k.help = std::move(help);
  return k;
}

KnobSpec numberKnob(std::string key, std::string label, double def, double minExclusive, double max, std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = KnobSpec::Kind::Number, k.defaultValue = def;
  k.min = minExclusive, k.max = max, k.help = std::move(help);
  return k;
}

KnobSpec choiceKnob(std::string key, std::string label, std::string def, std::vector<std::string> choices,
                    std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = KnobSpec::Kind::Choice, k.defaultValue = def;
  k.choices = std::move(choices), k.help = std::move(help);
  return k;
}

KnobSpec flagKnob(std::string key, std::string label, bool def, std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = KnobSpec::Kind::Flag, k.defaultValue = def;
  k.help = std::move(help);
  return k;
}

KnobSpec listKnob(std::string key, std::string label, std::string def, std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = KnobSpec::Kind::List, k.defaultValue = def;
  k.help = std::move(help);
  return k;
}

nlohmann::json resolveKnobs(const MethodDescriptor& m, const nlohmann::json& knobs) {
  using K = KnobSpec::Kind;
  KnobReader r(knobs, m.name);
  nlohmann::json out = nlohmann::json::object();
  for (const KnobSpec& k : m.knobs) {
    switch (k.kind) {
      case K::Integer:
        out[k.key] = r.integer(k.key, k.defaultValue.get<int64_t>(), int64_t(k.min), int64_t(k.max));
        break;
      case K::Number: out[k.key] = r.number(k.key, k.defaultValue.get<double>(), k.min, k.max); break;
      case K::Choice: out[k.key] = r.choice(k.key, k.defaultValue.get<std::string>(), k.choices); break;
      case K::Flag: out[k.key] = r.flag(k.key, k.defaultValue.get<bool>()); break;
      case K::List: out[k.key] = r.list(k.key, splitList(k.defaultValue.get<std::string>())); break;
    }
  }
  r.finish();
  return out;
}

nlohmann::json defaultKnobs(const MethodDescriptor& m) { return resolveKnobs(m, nlohmann::json::object()); }

std::vector<ParamGroupSpec> parameterGroups() {
  std::vector<ParamGroupSpec> groups = {{"head", "classification head", "head"}};
  for (const auto& m : methodCatalog())
    for (const auto& g : m.groups) {
      bool seen = false;
      for (const auto& have : groups) seen = seen || have.key == g.key;
      if (!seen) groups.push_back(g);
    }
  return groups;
}

const ParamGroupSpec* parameterGroup(const std::string& key) {
  static const ParamGroupSpec head{"head", "classification head", "head"};
  if (key == "head") return &head;
  for (const auto& m : methodCatalog())
    for (const auto& g : m.groups)
      if (g.key == key) return &g;
  return nullptr;
}

std::string groupOwner(const std::string& key) {
  for (const auto& m : methodCatalog())
    for (const auto& g : m.groups)
      if (g.key == key) return m.name;
  return "";
}

ParamBreakdown parameterBudget(const ModelConfig& config, const std::string& method, const nlohmann::json& knobs,
                               int64_t classes) {
  auto m = createMethod(method, knobs);
  m->selectStage(m->stageCount());
  m->validate(config);
  return countParameters(config, *m, classes);
}

}  // namespace pw
