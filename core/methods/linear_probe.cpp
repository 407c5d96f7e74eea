// Linear probing (see linear_probe.h).
#include "methods/linear_probe.h"

namespace pw {

const MethodDescriptor& linearProbeDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "lp";
    m.title = "Linear probing";
    m.shortTitle = "LP";
    m.summary = "only the classification head trains; features computed once";
    m.formula = "y = softmax(W h + b), h frozen";
    m.colour = "#4e79a7";
    m.help = "Linear probing: only the classification head trains; the encoder is frozen, so its features can be "
             "computed once. Trainable: the head (dC + C for BERT, dC for GPT-2).";
    m.papers = "Kumar et al. (ICLR 2022), over ten distribution-shift datasets: linear probing is on average about 2% "
               "worse than full fine-tuning in distribution (ID) but about 7% better out of distribution (OOD), "
               "because the frozen pretrained features are not distorted. A lecture example (news classification, "
               "ID vs other publishers): LP 82.9 / 66.2 against FT 85.1 / 59.3 (ID / OOD accuracy).";
    m.plan = {{TrainingStage::Kind::FeatureProbe, "linear probe", "", ""}};
    m.peftType = "LINEAR_PROBE";
    m.make = [](const nlohmann::json&) -> std::unique_ptr<Method> { return std::make_unique<LinearProbeMethod>(); };
    return m;
  }();
  return d;
}

}  // namespace pw
