// The one way knobs are written in labels, tables and help: "r=8", "k=20 init=labels". Each knob is written
// as its spec's symbol (KnobSpec::symbol: r, k, m) or its key. Torch-free.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace pw {

enum class KnobLabel {
  SizeOnly,  // the size knob alone: "r=8" ("" for a method without one)
  Changed,   // the size knob and every knob not at its default: "r=8 alpha=16"
  All,       // every knob: "r=8 alpha=8 targets=query,value"
};

// Knobs missing from `knobs` count at their defaults; an unknown method gives "".
std::string knobLabel(const std::string& method, const nlohmann::json& knobs, KnobLabel which);
// A knob value as text: strings as they are, lists comma-joined, numbers shortest, booleans true/false.
std::string knobValueText(const nlohmann::json& value);

}  // namespace pw
