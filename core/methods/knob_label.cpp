// Knob labels (see knob_label.h).
#include "methods/knob_label.h"

#include <sstream>

#include "methods/catalog.h"

namespace pw {

std::string knobValueText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + knobValueText(x);
    return s;
  }
  if (v.is_number_float()) {
    std::ostringstream o;
    o << v.get<double>();
    return o.str();
  }
  return v.dump();
}

std::string knobLabel(const std::string& method, const nlohmann::json& knobs, KnobLabel which) {
  const MethodDescriptor* m = nullptr;
  for (const auto& d : methodCatalog())
    if (d.name == method) m = &d;
  if (!m) return "";
  nlohmann::json filled = knobs.is_object() ? knobs : nlohmann::json::object();
  // Comparing with defaults needs values in their types ("16.0" is 16); the size knob alone does not, and the
  // window asks for it on every paint of the runs table.
  if (which != KnobLabel::SizeOnly) {
    try {
      filled = resolveKnobs(*m, filled);
    } catch (const std::exception&) {
      // Knobs this method refuses (an old record): write them as given.
    }
  }
  std::string s;
  for (const KnobSpec& k : m->knobs) {
    const bool size = k.key == m->sizeKnob;
    nlohmann::json v = filled.contains(k.key) ? filled.at(k.key) : k.defaultValue;
    const bool atDefault = knobValueText(v) == knobValueText(k.defaultValue);
    const bool show = which == KnobLabel::All || size || (which == KnobLabel::Changed && !atDefault);
    if (!show) continue;
    s += (s.empty() ? "" : " ") + (k.symbol.empty() ? k.key : k.symbol) + "=" + knobValueText(v);
  }
  return s;
}

}  // namespace pw
