// What a user interface needs to know about each method, without touching tensors: its title, its knobs
// (type, default, range, tooltip), its size knob for sweeps and its one-line formula (its default learning
// rates, per preset: methods/default_rates.h). Torch-free so the GUI can include it. The knob defaults here
// are the ones the method classes use (a test checks them against createMethod(name)->knobs()).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "methods/param_breakdown.h"
#include "models/config.h"

namespace pw {

struct KnobSpec {
  enum class Kind { Integer, Number, Choice, Flag, List };
  std::string key;    // JSON key as createMethod takes it: "rank", "adapter_size"
  std::string label;  // "Rank r"
  Kind kind = Kind::Integer;
  nlohmann::json defaultValue;
  double min = 0, max = 0;           // Integer / Number
  bool logScale = false;             // natural steps are powers of two / ten
  std::vector<std::string> choices;  // Choice
  std::string help;                  // tooltip: one or two sentences
};

struct MethodInfo {
  std::string name;     // registry name: "lora"
  std::string title;    // "LoRA"
  std::string summary;  // one line: "low-rank update of W_q and W_v"
  std::string formula;  // "W' = W + (alpha/r) B A"
  std::string sizeKnob; // the knob a sweep varies ("rank", "length", "adapter_size"); "" if none
  std::vector<KnobSpec> knobs;
};

// Every method in registry order (lp, ft, lp-ft, prompt, prefix, adapter, lora, bitfit, ia3).
const std::vector<MethodInfo>& methodCatalog();
const MethodInfo& methodInfo(const std::string& name);  // throws pw::Error for an unknown name

// Trainable parameters of `method` with `knobs` on a model of this config with `classes` classes, from the
// config alone (no weights). LP-FT reports its stage 2 (everything). Throws pw::Error for bad knobs.
ParamBreakdown parameterBudget(const ModelConfig& config, const std::string& method, const nlohmann::json& knobs,
                               int64_t classes);

}  // namespace pw
