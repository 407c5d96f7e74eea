// Full fine-tuning (see full_finetune.h).
#include "methods/full_finetune.h"

namespace pw {

std::string FullFineTuneMethod::groupOf(const std::string& parameterName) const {
  return parameterName.rfind("classifier.", 0) == 0 ? "head" : "backbone";
}

ParamGroupSpec backboneGroup() { return {"backbone", "backbone (all weights)", "backbone"}; }

const MethodDescriptor& fullFineTuneDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "ft";
    m.title = "Full fine-tuning";
    m.shortTitle = "FT";
    m.summary = "every parameter trains";
    m.formula = "all of W trains";
    m.colour = "#e15759";
    m.help = "Full fine-tuning: every parameter trains. Saved as a whole model folder, not an adapter.";
    m.papers = "The reference every other method is measured against. Kumar et al. (ICLR 2022): about 2% better "
               "than linear probing ID but about 7% worse OOD, since the randomly initialised head is learned while "
               "the lower layers change and distort the pretrained features. Hu et al. (LoRA) report GLUE averages "
               "of 86.4 for RoBERTa-base (125M trainable) and 88.9 for RoBERTa-large.";
    m.groups = {backboneGroup()};
    m.plan = {{TrainingStage::Kind::Gradient, "full fine-tune", "", ""}};
    // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
    m.rates = {
        {"quick", 3e-4, 1e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
        // scripts/tune-defaults.sh standard OUT ft (2026-12-01, bf16, one run at a time on 1 core, 2 h 3 min)
        {"standard", 1e-4, 1e-3, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"}};
    m.peftType = "FULL";
    m.make = [](const nlohmann::json&) -> std::unique_ptr<Method> { return std::make_unique<FullFineTuneMethod>(); };
    return m;
  }();
  return d;
}

}  // namespace pw
