// Experiment expansion (see experiment.h).
#include "train/experiment.h"

#include "methods/catalog.h"
#include "methods/knob_label.h"
#include "methods/knobs.h"
#include "util/error.h"

namespace pw {
namespace {

// A swept value as its knob's type ("8" -> 8 for an integer knob), so runs record the knob as a number; text
// that does not parse stays text, for the method's knob check to refuse in its own words.
nlohmann::json typedValue(const std::string& method, const std::string& key, const std::string& v) {
  const KnobSpec* spec = methodDescriptor(method).knob(key);
  try {
    size_t used = 0;
    if (spec && spec->kind == KnobSpec::Kind::Integer) {
      const long long x = std::stoll(v, &used);
      if (used == v.size()) return x;
    }
    if (spec && spec->kind == KnobSpec::Kind::Number) {
      const double x = std::stod(v, &used);
      if (used == v.size()) return x;
    }
  } catch (const std::exception&) {
  }
  return v;
}

}  // namespace

std::vector<TrainConfig> methodConfigurations(const TrainConfig& base, const std::vector<std::string>& methods) {
  if (methods.empty()) throw Error("an experiment needs at least one method");
  std::vector<TrainConfig> out;
  for (const auto& m : methods) {
    TrainConfig c = base;
    c.method = m;
    // Knobs given once apply to the methods that have them.
    nlohmann::json own = nlohmann::json::object();
    for (const auto& k : methodDescriptor(m).knobs)
      if (base.knobs.is_object() && base.knobs.contains(k.key)) own[k.key] = base.knobs.at(k.key);
    c.knobs = own;
    out.push_back(c);
  }
  return out;
}

std::vector<TrainConfig> sweepConfigurations(const TrainConfig& base, const std::string& knob,
                                             const std::vector<std::string>& values) {
  const std::string key = knobKey(knob);
  if (key.empty()) throw Error("method '" + base.method + "' has no size knob to sweep; give --knob");
  if (values.empty()) throw Error("a sweep needs at least one value");
  std::vector<TrainConfig> out;
  for (const auto& v : values) {
    TrainConfig c = base;
    c.knobs[key] = typedValue(base.method, key, v);
    out.push_back(c);
  }
  return out;
}

std::vector<ExperimentArm> expandArms(const std::vector<TrainConfig>& configurations, int seeds,
                                      const std::string& knob) {
  if (seeds < 1 || seeds > 20) throw Error("--seeds must be between 1 and 20");
  const std::string key = knobKey(knob);
  std::vector<ExperimentArm> arms;
  for (const TrainConfig& c : configurations) {
    ExperimentArm arm;
    const std::string knobs = knobLabel(c.method, c.knobs, KnobLabel::Changed);
    arm.label = knobs.empty() ? c.method : c.method + " " + knobs;
    arm.method = c.method;
    if (!key.empty() && c.knobs.contains(key)) arm.knobValue = knobValueText(c.knobs.at(key));
    for (int s = 0; s < seeds; ++s) {
      TrainConfig run = c;
      run.seed = c.seed + uint64_t(s);
      arm.runs.push_back(run);
    }
    arms.push_back(std::move(arm));
  }
  return arms;
}

std::vector<TrainConfig> allRuns(const std::vector<ExperimentArm>& arms) {
  std::vector<TrainConfig> out;
  for (const auto& a : arms) out.insert(out.end(), a.runs.begin(), a.runs.end());
  return out;
}

}  // namespace pw
