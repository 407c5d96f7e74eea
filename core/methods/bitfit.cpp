// BitFit (see bitfit.h). The biases are base tensors: adapter_folder saves them under Hugging Face names.
#include "methods/bitfit.h"

#include "util/number_text.h"

namespace pw {

std::string BitFitMethod::groupOf(const std::string& n) const {
  const std::string tail = ".bias";
  bool bias = n.size() > tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0;
  return bias && n.rfind("classifier.", 0) != 0 ? "bias" : "";
}

namespace {

std::string popularFigure(const ModelConfig& config, int64_t trainable) {
  const int64_t norms = 2 * config.layers + 1;  // two per layer and the embeddings'
  return "A popular slide says 0.32M: that also counts the " + std::to_string(norms) + " LayerNorm gains (" +
         std::to_string(norms) + " x " + std::to_string(config.hidden) + " = " + groupDigits(norms * config.hidden) +
         "), which BitFit leaves frozen; the biases alone are " + groupDigits(trainable) + ".";
}

}  // namespace

const MethodDescriptor& bitFitDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "bitfit";
    m.title = "BitFit";
    m.shortTitle = "BitFit";
    m.summary = "only the bias terms train";
    m.formula = "biases only";
    m.colour = "#9c755f";
    m.help = "BitFit (Ben Zaken et al.): every bias trains (q, k, v, attention output, both FFN linears, LayerNorm "
             "biases, BERT's pooler when [CLS] pooling uses it); LayerNorm gains stay frozen. BERT: L(7d + f) + 2d "
             "(about 272K for 24 layers at d = 1024; RoBERTa-large, whose pooler is off the path, 271K; the "
             "\"0.32M\" often quoted also counts the LayerNorm gains).";
    m.papers = "Ben Zaken et al.: training only the biases, 0.08% of BERT-large's parameters, is competitive with "
               "full fine-tuning on small-data GLUE tasks. Hu et al. report a GLUE average of 85.2 for BitFit (0.1M) "
               "on RoBERTa-base against 86.4 for full fine-tuning.";
    m.groups = {{"bias", "biases (BitFit)", "biases"}};
    m.plan = {{TrainingStage::Kind::Gradient, "biases", "", ""}};
    m.rates = {
        // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
        {"quick", 1e-3, 3e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
        // scripts/tune-defaults.sh standard OUT lora bitfit (2026-12-01, bf16, side by side on 2 cores, 58 minutes)
        {"standard", 3e-3, 1e-2, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"}};
    m.peftType = "BITFIT";
    m.countNote = popularFigure;
    m.make = [](const nlohmann::json&) -> std::unique_ptr<Method> { return std::make_unique<BitFitMethod>(); };
    return m;
  }();
  return d;
}

}  // namespace pw
