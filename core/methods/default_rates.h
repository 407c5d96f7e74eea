// The shipped default learning rates, per method and preset, and where each one came from. Torch-free (the
// GUI includes it). The rows live in each method's descriptor (MethodDescriptor::rates); the numbers are the
// output of `scripts/tune-defaults.sh PRESET` (the `tune` command on the shipped default model and task,
// validation split only); docs/TRAINING.md prints the tables.
//
//   DefaultRates r = defaultRates("lora", "standard");   // r.lr, r.headLr, r.tunedAt ("quick" until standard is tuned)
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace pw {

struct DefaultRates {
  double lr = 0;        // the body's rate (the method's own tensors); 0 for lp, which fits by L-BFGS
  double headLr = 0;    // the classification head's rate; 0 for lp
  std::string tunedAt;  // the preset whose tune produced them: the asked preset, or "quick" as the fallback
  std::string source;   // one line: how they were chosen ("tune, quick preset, 2 seeds, 2026-12-01")
  double factor = 0;    // the plan's rate-factor knob as tuned at the preset (LP-FT's lr_factor); 0: none
  std::string factorTunedAt;  // the preset whose tune chose `factor` (the asked one, or "quick")
  std::string factorSource;
  bool fromAskedPreset(const std::string& preset) const { return tunedAt == preset; }
};

// Throws pw::Error for an unknown method. LP-FT has FT's rates (its stage 2 scales both by lr_factor). A
// preset with no tuned row falls back to the quick preset's row, and says so in tunedAt.
DefaultRates defaultRates(const std::string& method, const std::string& preset);

// `knobs` with every rate-factor knob of the method's plan that it does not set filled in with its tuned value
// at `preset` (LP-FT: lr_factor 1 at quick, 0.3 at standard); a knob set by the user is kept. Everything that
// turns knobs into a method for a run (the trainer, the run record, the window's knob box) goes through it, so a
// run trains at what the window shows and records it.
nlohmann::json withPresetFactors(const std::string& method, const std::string& preset, nlohmann::json knobs);

}  // namespace pw
