// Method knobs on the command line, shared by `params` and `bench-infer`: every knob of every method's
// descriptor (--length, --init, --reparam, --adapter-size, --adapter-kind, --train-layernorm, --rank, ...).
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "command.h"
#include "util/number_text.h"

namespace pw::cli {

// Every registered method's knobs as option names ("adapter-size"), value-taking or (flags) not, each once.
// Read when a command line is parsed, so a method registered at run time gets its flags too.
std::vector<std::string> methodKnobNames(bool flags);
// `base` plus kMethodKnobs (command.h): the command takes every method's knobs.
std::vector<std::string> withKnobOptions(std::vector<std::string> base);

// The knobs given, as the JSON object createMethod takes ("adapter-size" -> "adapter_size").
nlohmann::json methodKnobsFromArgs(const Args& args);

using ::pw::groupDigits;  // util/number_text.h

}  // namespace pw::cli
