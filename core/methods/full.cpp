// Linear probing, full fine-tuning and LP-FT (see full.h).
#include "methods/full.h"

#include "methods/knobs.h"
#include "methods/model_layout.h"

namespace pw {

LinearProbeMethod::LinearProbeMethod(const nlohmann::json& knobs) { KnobReader(knobs, "lp").finish(); }

FullFineTuneMethod::FullFineTuneMethod(const nlohmann::json& knobs, bool lpFirst) : lpFirst_(lpFirst) {
  KnobReader r(knobs, name());
  if (lpFirst_) config_.lrFactor = r.number("lr_factor", 0.1, 0.0, 1.0);
  r.finish();
}

nlohmann::json FullFineTuneMethod::knobs() const {
  if (!lpFirst_) return nlohmann::json::object();
  return {{"lr_factor", config_.lrFactor}};
}

std::string FullFineTuneMethod::groupOf(const std::string& parameterName) const {
  if (lpFirst_ && stage() == 1) return "";
  return parameterName.rfind("classifier.", 0) == 0 ? "head" : "backbone";
}

}  // namespace pw
