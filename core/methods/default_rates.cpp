// Default learning rates (see default_rates.h): each method's descriptor holds its rows.
#include "methods/default_rates.h"

#include "methods/catalog.h"
#include "util/error.h"

namespace pw {

DefaultRates defaultRates(const std::string& method, const std::string& preset) {
  const MethodDescriptor& d = methodDescriptor(method);  // an unknown method fails here, with the list
  if (!d.hasRates()) {
    DefaultRates none;
    none.tunedAt = preset;
    none.source = "none: the head is fitted by L-BFGS, its L2 strength chosen on validation";
    return none;
  }
  const MethodDescriptor& owner = d.ratesOf.empty() ? d : methodDescriptor(d.ratesOf);
  const RateRow* row = nullptr;
  for (const auto& r : owner.rates)
    if (r.preset == preset) row = &r;
  for (const auto& r : owner.rates)
    if (!row && r.preset == "quick") row = &r;
  if (!row) throw Error("no default learning rate for method '" + method + "'");
  DefaultRates out;
  out.lr = row->lr, out.headLr = row->headLr, out.tunedAt = row->preset, out.source = row->source;
  const RateRow* own = nullptr;  // the factor: the method's own rows, the asked preset's else quick's
  for (const auto& r : d.rates)
    if (r.factor > 0 && r.preset == preset) own = &r;
  for (const auto& r : d.rates)
    if (!own && r.factor > 0 && r.preset == "quick") own = &r;
  if (own) out.factor = own->factor, out.factorTunedAt = own->preset, out.factorSource = own->source;
  return out;
}

nlohmann::json withPresetFactors(const std::string& method, const std::string& preset, nlohmann::json knobs) {
  if (knobs.is_null()) knobs = nlohmann::json::object();
  if (!knobs.is_object()) return knobs;  // createMethod reports the bad value
  const MethodDescriptor& d = methodDescriptor(method);
  for (const TrainingStage& stage : d.plan) {
    if (stage.rateFactorKnob.empty() || knobs.contains(stage.rateFactorKnob)) continue;
    const double factor = defaultRates(method, preset).factor;
    if (factor > 0) knobs[stage.rateFactorKnob] = factor;
  }
  return knobs;
}

}  // namespace pw
