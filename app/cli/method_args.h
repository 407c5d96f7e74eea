// Method knobs on the command line, shared by `params` and `bench-infer`: every knob of every method's
// descriptor (--length, --init, --reparam, --adapter-size, --adapter-kind, --train-layernorm, --rank, ...).
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "command.h"
#include "util/number_text.h"

namespace pw::cli {

// Functions, not globals: the commands' static registrars use them during static initialisation.
const std::vector<std::string>& methodKnobOptions();  // taking a value
const std::vector<std::string>& methodKnobFlags();    // without a value
// `base` followed by the knob options.
std::vector<std::string> withKnobOptions(std::vector<std::string> base);

// The knobs given, as the JSON object createMethod takes ("adapter-size" -> "adapter_size").
nlohmann::json methodKnobsFromArgs(const Args& args);

using ::pw::groupDigits;  // util/number_text.h

}  // namespace pw::cli
