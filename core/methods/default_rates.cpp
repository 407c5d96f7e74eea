// Default learning rates (see default_rates.h): each method's descriptor holds its rows.
#include "methods/default_rates.h"

#include "methods/catalog.h"
#include "util/error.h"

namespace pw {

DefaultRates defaultRates(const std::string& method, const std::string& preset) {
  const MethodDescriptor& d = methodDescriptor(method);  // an unknown method fails here, with the list
  if (!d.hasRates()) return {0, 0, preset, "none: the head is fitted by L-BFGS, its L2 strength chosen on validation"};
  const MethodDescriptor& owner = d.ratesOf.empty() ? d : methodDescriptor(d.ratesOf);
  const RateRow* row = nullptr;
  for (const auto& r : owner.rates)
    if (r.preset == preset) row = &r;
  for (const auto& r : owner.rates)
    if (!row && r.preset == "quick") row = &r;
  if (!row) throw Error("no default learning rate for method '" + method + "'");
  return {row->lr, row->headLr, row->preset, row->source};
}

}  // namespace pw
