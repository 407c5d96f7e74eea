// The method registry, torch-free so the GUI can include it: every method's descriptor (methods/descriptor.h)
// in registry order, the knob checking all methods share, the parameter groups, and counting from a config.
// The built-in methods are listed in registry.cpp; registerMethod adds one at run time (a test's extra method).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "methods/descriptor.h"
#include "methods/param_breakdown.h"
#include "models/config.h"

namespace pw {

// Every method in registry order (lp, ft, lp-ft, prompt, prefix, adapter, lora, bitfit, ia3, then any registered
// later). References stay valid when a method is registered.
const std::deque<MethodDescriptor>& methodCatalog();
const MethodDescriptor& methodDescriptor(const std::string& name);  // throws pw::Error listing the names
std::vector<std::string> methodNames();
std::string methodHelp(const std::string& name);  // the descriptor's help paragraph
// Adds a method (before any run starts: the registry is not locked). Throws pw::Error for a taken name, a
// missing factory or plan, or a knob default its own spec refuses.
void registerMethod(MethodDescriptor descriptor);

// The knobs a method runs with: `knobs` (JSON values or their strings, as the CLI gives them) checked against
// the descriptor's specs, defaults filled in, lists as arrays. Unknown knob, wrong type or out of range: pw::Error.
nlohmann::json resolveKnobs(const MethodDescriptor& method, const nlohmann::json& knobs);
nlohmann::json defaultKnobs(const MethodDescriptor& method);  // every knob at its default

// Every parameter group: "head" first, then each method's groups in registry order (each key once).
std::vector<ParamGroupSpec> parameterGroups();
const ParamGroupSpec* parameterGroup(const std::string& key);  // null when no method declares it
std::string groupOwner(const std::string& key);  // the first method declaring the group ("" for the head)

// Trainable parameters of `method` with `knobs` on a model of this config with `classes` classes, from the
// config alone (no weights). A multi-stage method reports its last stage. Throws pw::Error for bad knobs.
ParamBreakdown parameterBudget(const ModelConfig& config, const std::string& method, const nlohmann::json& knobs,
                               int64_t classes);

}  // namespace pw
