// What a method says about itself. Each method's own .cpp fills one MethodDescriptor (its knobs, words, colour,
// parameter groups, default learning rates, PEFT mapping and training plan) and registry.cpp lists it; everything
// else (the CLI, the window, parameter accounting, adapter folders, the trainer) reads the descriptors. Adding a
// method = one file pair + one line in registry.cpp (or registerMethod() at run time, as a test does).
// Torch-free: the GUI includes it.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/config.h"

namespace pw {

class Method;

// One knob: the single source of its CLI flag (--key with '_' as '-'), its validation, the window's editor and
// its tooltip.
struct KnobSpec {
  enum class Kind { Integer, Number, Choice, Flag, List };
  std::string key;    // JSON key as createMethod takes it: "rank", "adapter_size"
  std::string label;  // "Rank r"
  std::string symbol; // in labels: "r" ("r=8"); "" writes the key
  Kind kind = Kind::Integer;
  nlohmann::json defaultValue;       // List: a comma-separated string ("query,value")
  double min = 0, max = 0;           // Integer: min <= x <= max; Number: min < x <= max
  bool logScale = false;             // natural steps are powers of two / ten
  std::vector<std::string> choices;  // Choice
  std::string help;                  // tooltip: one or two sentences
};

// Knob specs in one line each (the methods' files use them).
KnobSpec integerKnob(std::string key, std::string label, int64_t def, double min, double max, bool logScale,
                     std::string help);
KnobSpec numberKnob(std::string key, std::string label, double def, double minExclusive, double max, std::string help);
KnobSpec choiceKnob(std::string key, std::string label, std::string def, std::vector<std::string> choices,
                    std::string help);
KnobSpec flagKnob(std::string key, std::string label, bool def, std::string help);
KnobSpec listKnob(std::string key, std::string label, std::string def, std::string help);

// A group the method's trainable parameters count in (the head's group, "head", belongs to every method).
struct ParamGroupSpec {
  std::string key;         // "lora"
  std::string title;       // "LoRA matrices"
  std::string shortTitle;  // "LoRA"
};

// One stage of the training plan. FeatureProbe: the head alone is fitted on frozen features computed once
// (full-batch L-BFGS, its L2 strength chosen on validation). Gradient: AdamW on what the method makes trainable.
struct TrainingStage {
  enum class Kind { FeatureProbe, Gradient };
  Kind kind = Kind::Gradient;
  std::string label;         // in words: "linear probe", "full fine-tune", "LoRA matrices"
  std::string rateFactorKnob;  // Gradient: a knob scaling both rates in this stage ("" = x1), e.g. LP-FT's lr_factor
  std::string peftType;      // the adapter-file type after this stage when it differs from the method's ("" = same)
};

// A default learning-rate row: the `tune` procedure's choice at one preset (scripts/tune-defaults.sh prints them).
struct RateRow {
  std::string preset;
  double lr = 0, headLr = 0;
  std::string source;  // "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"
  double factor = 0;   // the tuned value of the plan's rate-factor knob at this preset (LP-FT's lr_factor); 0: none
};

struct MethodDescriptor {
  std::string name;        // registry and CLI name: "lora"
  std::string title;       // "LoRA"
  std::string shortTitle;  // chart labels: "LoRA"
  std::string summary;     // one line: "low-rank update of chosen weight matrices"
  std::string formula;     // "W' = W + (alpha/r) B A"
  std::string colour;      // "#d35f8d": its colour in every chart
  std::string help;        // one paragraph for `--help`, `params` and the window
  std::string papers;      // what its papers report, in numbers (the window's method help)
  std::string sizeKnob;    // the knob a sweep varies ("rank"); "" if none
  std::vector<KnobSpec> knobs;
  std::vector<ParamGroupSpec> groups;  // where its trainable parameters count, besides the head
  std::vector<TrainingStage> plan;     // at least one stage
  std::vector<RateRow> rates;          // default rates per preset; a preset without a row uses "quick"'s
  std::string ratesOf;                 // "": its own rows; else another method's lr / head rows (LP-FT uses
                                       // FT's); a rate-factor knob's tuned value is always in its own rows
  std::string peftType;                // adapter_config.json's peft_type: "LORA", "BITFIT", ...
  bool peftStandard = false;           // a type PEFT itself defines (our pw_* facts then stay in the metadata)
  bool peftPromptLearning = false;     // PEFT prefixes the head "base_model." (not "base_model.model.")
  // Knobs for a folder PEFT wrote (adapter_config.json without our pw_knobs); null: the default knobs.
  nlohmann::json (*knobsFromPeft)(const nlohmann::json& adapterConfig) = nullptr;
  // A correction of a figure often quoted for this method, given its trainable count on `config` ("" if none).
  std::string (*countNote)(const ModelConfig& config, int64_t trainable) = nullptr;
  // Builds the method from knobs already checked and completed by the specs above (resolveKnobs).
  std::unique_ptr<Method> (*make)(const nlohmann::json& knobs) = nullptr;

  const KnobSpec* knob(const std::string& key) const;  // null when it has no such knob
  bool hasRates() const;  // false when no stage trains by gradient (LP)
};

}  // namespace pw
