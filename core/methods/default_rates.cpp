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

// Every default is the `tune` procedure's choice on the validation split of the shipped default model and task
// (tiny-bert + dictionary-fields), body rate first, then the head's at that body rate; the tables are in
// docs/TRAINING.md. A preset without rows here uses the quick preset's (and the window says so).
const Row kRows[] = {
    // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
    {"ft", "quick", 3e-4, 1e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    {"prompt", "quick", 3e-3, 1e-2, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    {"prefix", "quick", 1e-1, 3e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    {"adapter", "quick", 1e-2, 1e-2, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    {"lora", "quick", 1e-2, 1e-2, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    {"bitfit", "quick", 1e-3, 3e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    {"ia3", "quick", 3e-1, 1e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
    // scripts/tune-defaults.sh standard OUT lora bitfit (2026-12-01, bf16, side by side on 2 cores, 58 minutes);
    // the other methods' standard rows are not tuned yet (several hours of 2 cores): they use the quick rows
    {"lora", "standard", 3e-3, 1e-3, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"},
    {"bitfit", "standard", 3e-3, 1e-2, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"},
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
