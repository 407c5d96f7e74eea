// The default-rate table (see default_rates.h). Edit it only from a tune's output: scripts/tune-defaults.sh
// prints these rows.
#include "methods/default_rates.h"

#include "methods/catalog.h"
#include "util/error.h"

namespace pw {
namespace {

struct Row {
  const char* method;
  const char* preset;
  double lr, headLr;
  const char* source;
};

// PLACEHOLDER: replaced by the tune's rows below.
const Row kRows[] = {
    {"ft", "quick", 3e-4, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
    {"prompt", "quick", 3e-2, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
    {"prefix", "quick", 3e-2, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
    {"adapter", "quick", 3e-3, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
    {"lora", "quick", 1e-2, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
    {"bitfit", "quick", 3e-3, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
    {"ia3", "quick", 1e-2, 1e-2, "2-3-point grid, quick preset, seed 1 (2026-11-23)"},
};

const Row* find(const std::string& method, const std::string& preset) {
  for (const Row& r : kRows)
    if (method == r.method && preset == r.preset) return &r;
  return nullptr;
}

}  // namespace

DefaultRates defaultRates(const std::string& method, const std::string& preset) {
  methodInfo(method);  // an unknown method fails here, with the list
  if (method == "lp") return {0, 0, preset, "none: the head is fitted by L-BFGS, its L2 strength chosen on validation"};
  const std::string rowMethod = method == "lp-ft" ? "ft" : method;  // LP-FT runs at FT's rates x lr_factor
  const Row* r = find(rowMethod, preset);
  if (!r) r = find(rowMethod, "quick");
  if (!r) throw Error("no default learning rate for method '" + method + "'");
  return {r->lr, r->headLr, r->preset, r->source};
}

}  // namespace pw
