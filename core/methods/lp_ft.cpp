// LP-FT (see lp_ft.h).
#include "methods/lp_ft.h"

#include "methods/full_finetune.h"

namespace pw {

std::string LpFtMethod::groupOf(const std::string& parameterName) const {
  if (stage() == 1) return "";  // the probe: the head alone
  return parameterName.rfind("classifier.", 0) == 0 ? "head" : "backbone";
}

const MethodDescriptor& lpFtDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "lp-ft";
    m.title = "LP-FT";
    m.shortTitle = "LP-FT";
    m.summary = "linear probe first, then full fine-tuning from that head";
    m.formula = "stage 1: head only; stage 2: all of W at FT's rates x factor";
    m.colour = "#f28e2b";
    m.help = "LP-FT (Kumar et al.): stage 1 trains the head alone, stage 2 fine-tunes everything from that head "
             "at FT's learning rates times --lr-factor (Kumar et al. use about 0.1; the default is tuned on "
             "validation per preset: 1 at quick, 0.3 at standard), so the pretrained features are distorted less.";
    m.papers = "Kumar et al. (ICLR 2022): about 1% better ID and about 10% better OOD than fine-tuning, over ten "
               "distribution-shift datasets. A good head first means fine-tuning needs to change the features less. "
               "Lecture example (news, ID vs other publishers): LP-FT 85.7 / 68.9 against FT 85.1 / 59.3 and "
               "LP 82.9 / 66.2 (ID / OOD accuracy).";
    // The knob's own default is the quick preset's tuned factor; a run takes its preset's (the rates rows below).
    m.knobs = {numberKnob("lr_factor", "Stage-2 LR factor", 1.0, 0.0, 1.0,
                          "Stage 2 (full fine-tuning) uses FT's learning rates (body and head) times this factor. "
                          "Kumar et al. (2022) use about 0.1 so the probed head and the pretrained features move "
                          "gently; here the default is tuned on validation per preset (1 at quick, 0.3 at standard).")};
    m.groups = {backboneGroup()};
    // Stage 1's saved folder holds the head alone, as for "lp"; stage 2's is a whole model, as for "ft".
    m.plan = {{TrainingStage::Kind::FeatureProbe, "linear probe", "", "LINEAR_PROBE"},
              {TrainingStage::Kind::Gradient, "full fine-tune", "lr_factor", ""}};
    m.ratesOf = "ft";  // FT's rates x lr_factor: LP-FT differs from FT only in the head it starts from and that factor
    // lr_factor per preset: `tune --method lp-ft --rate lr_factor` (docs/TRAINING.md), validation split only.
    m.rates = {{"quick", 0, 0, "tune --rate lr_factor on tiny-bert + dictionary-fields, quick preset, 2 seeds, bf16 (2026-12-02)", 1.0},
               {"standard", 0, 0, "tune --rate lr_factor on tiny-bert + dictionary-fields, standard preset, 2 seeds, bf16 (2026-12-02)", 0.3}};
    m.peftType = "FULL";
    m.make = [](const nlohmann::json&) -> std::unique_ptr<Method> { return std::make_unique<LpFtMethod>(); };
    return m;
  }();
  return d;
}

}  // namespace pw
