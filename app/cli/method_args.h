// Method knobs on the command line, shared by `params` and `bench-infer`: --length, --init, --reparam,
// --adapter-size, --adapter-kind, --train-layernorm, --rank, --alpha, --targets, --lr-factor.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "command.h"

namespace pw::cli {

// Functions, not globals: the commands' static registrars use them during static initialisation.
const std::vector<std::string>& methodKnobOptions();  // taking a value
const std::vector<std::string>& methodKnobFlags();    // without a value
// `base` followed by the knob options.
std::vector<std::string> withKnobOptions(std::vector<std::string> base);

// The knobs given, as the JSON object createMethod takes ("adapter-size" -> "adapter_size").
nlohmann::json methodKnobsFromArgs(const Args& args);

// "1,234,567"
std::string groupDigits(long long n);

}  // namespace pw::cli
