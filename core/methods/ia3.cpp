// IA3 (see ia3.h). File layout as PEFT writes it: key/value scales as "<module>.ia3_l" of shape (out, 1) and
// the FFN scale on the second FFN linear's input, (1, f). GPT-2's fused c_attn gets one (3d, 1) vector whose
// query part is ones.
#include "methods/ia3.h"

#include "methods/adapter_folder.h"
#include "methods/model_layout.h"
#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string layerPath(const ModelConfig& c, size_t i) { return "base_model.model." + hfLayerPrefix(c, int64_t(i)); }

// An encoder's scaled linears as PEFT names them: key, value and the feed-forward's second linear.
std::string scaledName(const ModelConfig& c, size_t i, const char* module) {
  return "base_model.model." + hfLinearName(c, int64_t(i), module) + ".ia3_l";
}

}  // namespace

std::string Ia3Method::groupOf(const std::string& n) const {
  return endsWith(n, ".output_scale") || endsWith(n, ".activation_scale") ? "ia3" : "";
}

std::map<std::string, int64_t> Ia3Method::addedParameters(const ModelConfig& c) const {
  return {{"ia3", c.layers * (2 * c.hidden + c.intermediate)}};
}

void Ia3Method::create(TransformerModelImpl& model, const InitContext&) {
  const auto& c = model.config();
  for (int64_t i = 0; i < c.layers; ++i) {
    keys_.push_back(torch::ones({c.hidden}));
    values_.push_back(torch::ones({c.hidden}));
    ffn_.push_back(torch::ones({c.intermediate}));
  }
}

void Ia3Method::plug(TransformerModelImpl& model) {
  for (size_t i = 0; i < model.blocks.size(); ++i) {
    auto& b = model.blocks[i];
    b->attention->key->setOutputScale(keys_[i]);
    b->attention->value->setOutputScale(values_[i]);
    b->setActivationScale(ffn_[i]);
  }
}

void Ia3Method::unplug(TransformerModelImpl& model) {
  for (auto& b : model.blocks) {
    b->attention->key->clearOutputScale();
    b->attention->value->clearOutputScale();
    b->clearActivationScale();
  }
}

nlohmann::json Ia3Method::adapterConfig(TransformerModelImpl& model) const {
  const bool bert = model.isBert();
  // Regexes (PEFT full-matches a string target) so that BERT's attention.output.dense is not caught.
  if (model.config().distilbert)
    return {{"target_modules", R"(.*transformer\.layer\.\d+\.(attention\.(k_lin|v_lin)|ffn\.lin2))"},
            {"feedforward_modules", R"(.*transformer\.layer\.\d+\.ffn\.lin2)"},
            {"fan_in_fan_out", false},
            {"init_ia3_weights", true}};
  return {{"target_modules", bert ? R"(.*encoder\.layer\.\d+\.(attention\.self\.(key|value)|output\.dense))"
                                  : R"(.*h\.\d+\.(attn\.c_attn|mlp\.c_proj))"},
          {"feedforward_modules", bert ? R"(.*encoder\.layer\.\d+\.output\.dense)" : R"(.*h\.\d+\.mlp\.c_proj)"},
          {"fan_in_fan_out", !bert},
          {"init_ia3_weights", true}};
}

io::TensorMap Ia3Method::exportTensors(TransformerModelImpl& model) const {
  torch::NoGradGuard guard;
  io::TensorMap out;
  const auto& c = model.config();
  for (size_t i = 0; i < keys_.size(); ++i) {
    const std::string l = layerPath(c, i);
    if (model.isBert()) {
      out[scaledName(c, i, "attention.key")] = keys_[i].detach().reshape({-1, 1}).clone();
      out[scaledName(c, i, "attention.value")] = values_[i].detach().reshape({-1, 1}).clone();
      out[scaledName(c, i, "output")] = ffn_[i].detach().reshape({1, -1}).clone();
    } else {
      at::Tensor fused = torch::cat({torch::ones({c.hidden}), keys_[i].detach(), values_[i].detach()});
      out[l + "attn.c_attn.ia3_l"] = fused.reshape({-1, 1});
      out[l + "mlp.c_proj.ia3_l"] = ffn_[i].detach().reshape({1, -1}).clone();
    }
  }
  return out;
}

void Ia3Method::importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) {
  torch::NoGradGuard guard;
  const auto& c = model.config();
  const int64_t d = c.hidden, f = c.intermediate;
  for (size_t i = 0; i < keys_.size(); ++i) {
    const std::string l = layerPath(c, i);
    if (model.isBert()) {
      keys_[i].copy_(takeTensor(file, scaledName(c, i, "attention.key"), {d, 1}, fileName).view({d}));
      values_[i].copy_(takeTensor(file, scaledName(c, i, "attention.value"), {d, 1}, fileName).view({d}));
      ffn_[i].copy_(takeTensor(file, scaledName(c, i, "output"), {1, f}, fileName).view({f}));
    } else {
      at::Tensor fused = takeTensor(file, l + "attn.c_attn.ia3_l", {3 * d, 1}, fileName).view({3 * d});
      if (!fused.narrow(0, 0, d).eq(1.0).all().item<bool>())
        throw fileError(fileName, "IA3 scales the query part of " + l + "attn.c_attn; only keys and values can be");
      keys_[i].copy_(fused.narrow(0, d, d));
      values_[i].copy_(fused.narrow(0, 2 * d, d));
      ffn_[i].copy_(takeTensor(file, l + "mlp.c_proj.ia3_l", {1, f}, fileName).view({f}));
    }
  }
}

const MethodDescriptor& ia3Descriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "ia3";
    m.title = "IA3";
    m.shortTitle = "IA3";
    m.summary = "learned scales on keys, values and the feed-forward activation";
    m.formula = "k' = l_k * k, v' = l_v * v, f' = l_ff * f";
    m.colour = "#c9a227";
    m.help = "IA3 (Liu et al.): learned vectors, initialised to ones, scaling keys, values and the FFN activation: "
             "L(2d + f) parameters.";
    m.papers = "Liu et al. (2022) introduced IA3 for few-shot fine-tuning: three learned vectors per layer rescale "
               "the keys, the values and the feed-forward activation. It trains fewer parameters than any other "
               "weight-side method here, and, like LoRA, the scales can be folded into the weights after training.";
    m.groups = {{"ia3", "IA3 scales", "IA3"}};
    m.plan = {{TrainingStage::Kind::Gradient, "IA3 scales", "", ""}};
    // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
    m.rates = {
        {"quick", 3e-1, 1e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
        // tune --preset standard --seeds 2 --parallel 2 (2026-12-01, bf16, 20 runs, 22 minutes)
        {"standard", 1e-1, 3e-3, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"}};
    m.peftType = "IA3";
    m.peftStandard = true;
    m.make = [](const nlohmann::json&) -> std::unique_ptr<Method> { return std::make_unique<Ia3Method>(); };
    return m;
  }();
  return d;
}

}  // namespace pw
