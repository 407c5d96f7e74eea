// Prefix tuning (see prefix.h). File layout as PEFT: one tensor "prompt_embeddings" (k, 2Ld) holding the
// produced prefix, with prefix_projection false (the MLP is never saved).
#include "methods/prefix.h"

#include <torch/nn/modules/linear.h>

#include <cmath>

#include "methods/adapter_folder.h"
#include "methods/prompt.h"
#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

// P' and the optional MLP, as PEFT's PrefixEncoder.
struct PrefixEncoder : torch::nn::Module {
  PrefixEncoder(int64_t k, int64_t width, int64_t hidden, int64_t out) {
    embedding = register_parameter("embedding", torch::zeros({k, width}));
    if (hidden > 0) {
      mlp1 = register_module("mlp1", torch::nn::Linear(width, hidden));
      mlp2 = register_module("mlp2", torch::nn::Linear(hidden, out));
    }
  }
  at::Tensor forward() {
    if (mlp1.is_empty()) return embedding;
    return mlp2(torch::tanh(mlp1(embedding)));
  }
  at::Tensor embedding;
  torch::nn::Linear mlp1{nullptr}, mlp2{nullptr};
};

}  // namespace

PrefixMethod::PrefixMethod(const nlohmann::json& knobs) {
  config_.length = knobs.at("length").get<int64_t>();
  config_.reparam = knobs.at("reparam").get<int64_t>();
}

nlohmann::json PrefixMethod::knobs() const {
  nlohmann::json j = Method::knobs();
  if (bakedFrom_ > 0) j["baked_from_reparam"] = bakedFrom_;
  return j;
}

nlohmann::json PrefixMethod::savedKnobs() const { return {{"length", config_.length}, {"reparam", 0}}; }

void PrefixMethod::validate(const ModelConfig& config) const { checkVirtualLength(config, config_.length, "a prefix"); }

std::map<std::string, int64_t> PrefixMethod::addedParameters(const ModelConfig& c) const {
  const int64_t k = config_.length, d = c.hidden, h = config_.reparam, out = 2 * c.layers * d;
  if (h == 0) return {{"prefix", k * out}};
  return {{"prefix", k * d + (d * h + h) + (h * out + out)}};
}

void PrefixMethod::create(TransformerModelImpl& model, const InitContext& ctx) {
  const auto& c = model.config();
  layers_ = c.layers;
  heads_ = c.heads;
  hidden_ = c.hidden;
  const int64_t out = 2 * layers_ * hidden_;
  auto enc = std::make_shared<PrefixEncoder>(config_.length, config_.reparam > 0 ? hidden_ : out, config_.reparam, out);
  {
    torch::NoGradGuard guard;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed + 0x9f1);
    enc->embedding.normal_(0.0, 1.0, gen);  // nn.Embedding's default, as PEFT
    // nn.Linear's default (Kaiming-uniform, a = sqrt(5)): U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
    for (auto* lin : {&enc->mlp1, &enc->mlp2}) {
      if (lin->is_empty()) continue;
      const double bound = 1.0 / std::sqrt(double((*lin)->weight.size(1)));
      (*lin)->weight.uniform_(-bound, bound, gen);
      (*lin)->bias.uniform_(-bound, bound, gen);
    }
  }
  encoder_ = enc;
  for (auto& p : encoder_->parameters()) p.set_requires_grad(true);
}

NamedTensors PrefixMethod::ownParameters() const {
  NamedTensors out;
  if (!encoder_) return out;
  for (const auto& item : encoder_->named_parameters()) out.emplace_back(item.key(), item.value());
  return out;
}

at::Tensor PrefixMethod::prefix() const { return static_cast<PrefixEncoder&>(*encoder_).forward(); }

void PrefixMethod::prepareInputs(ModelInputs& inputs) const {
  if (!enabled() || !encoder_) return;
  const int64_t B = inputs.ids.size(0), k = config_.length, hd = hidden_ / heads_;
  at::Tensor kv = prefix().view({k, 2 * layers_, heads_, hd}).permute({1, 2, 0, 3});  // (2L, H, k, hd)
  inputs.prefixKeys.clear();
  inputs.prefixValues.clear();
  for (int64_t i = 0; i < layers_; ++i) {
    inputs.prefixKeys.push_back(kv[2 * i].unsqueeze(0).expand({B, heads_, k, hd}));
    inputs.prefixValues.push_back(kv[2 * i + 1].unsqueeze(0).expand({B, heads_, k, hd}));
  }
}

void PrefixMethod::finishTraining() {
  if (config_.reparam == 0 || !encoder_) return;
  at::Tensor produced;
  {
    torch::NoGradGuard guard;
    produced = prefix().detach().clone();
  }
  auto enc = std::make_shared<PrefixEncoder>(config_.length, produced.size(1), 0, produced.size(1));
  {
    torch::NoGradGuard guard;
    enc->embedding.copy_(produced);
  }
  enc->embedding.set_requires_grad(true);
  bakedFrom_ = config_.reparam;
  config_.reparam = 0;
  encoder_ = enc;
}

nlohmann::json PrefixMethod::adapterConfig(TransformerModelImpl& model) const {
  const auto& c = model.config();
  return {{"num_virtual_tokens", config_.length}, {"token_dim", c.hidden}, {"num_transformer_submodules", 1},
          {"num_attention_heads", c.heads}, {"num_layers", c.layers}, {"prefix_projection", false},
          {"encoder_hidden_size", config_.reparam > 0 ? config_.reparam : c.hidden}};
}

io::TensorMap PrefixMethod::exportTensors(TransformerModelImpl&) const {
  torch::NoGradGuard guard;
  return {{"prompt_embeddings", prefix().detach().clone()}};
}

void PrefixMethod::importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) {
  torch::NoGradGuard guard;
  const auto& c = model.config();
  at::Tensor t = takeTensor(file, "prompt_embeddings", {config_.length, 2 * c.layers * c.hidden}, fileName);
  static_cast<PrefixEncoder&>(*encoder_).embedding.copy_(t);
}

const MethodDescriptor& prefixDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "prefix";
    m.title = "Prefix tuning";
    m.shortTitle = "Prefix";
    m.summary = "k trainable keys and values in every layer's attention";
    m.formula = "K' = [P_k; K], V' = [P_v; V]";
    m.colour = "#59a14f";
    m.help = "Prefix tuning (Li & Liang): --length k keys and values per layer before attention; 2kLd parameters. "
             "--reparam H trains them through an MLP P'(k x d) -> Linear(d, H) -> tanh -> Linear(H, 2Ld), dropped "
             "after training (only the produced prefix is kept).";
    m.papers = "Li & Liang: on WebNLG's unseen categories (BLEU) fine-tuning scores 27.7, adapters with 3% of the "
               "parameters 48.3 and prefix tuning with 0.1% 45.6: the frozen model generalises better. Optimising "
               "the prefix directly is unstable, so they train it through an MLP (hidden 512 or 800) and keep only "
               "the produced prefix.";
    m.sizeKnob = "length";
    m.knobs = {integerKnob("length", "Prefix length k", 10, 1, 4096, true,
                           "Keys and values prepended in every layer; 2 k L d parameters."),
               integerKnob("reparam", "Reparameterisation MLP width", 0, 0, 4096, false,
                           "0: train the prefix directly. H > 0: train it through an MLP of width H (Li & Liang), "
                           "dropped after training.")};
    m.knobs.front().symbol = "k";  // the size knob, as the papers write it
    m.groups = {{"prefix", "prefix keys/values", "prefix"}};
    m.plan = {{TrainingStage::Kind::Gradient, "prefix keys and values", "", ""}};
    // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
    m.rates = {
        {"quick", 1e-1, 3e-3, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
        // tune --preset standard --seeds 2 --parallel 2 (2026-12-01, bf16, 20 runs, 21 minutes): the same
        // rates again, both inside the grid (lr 3e-2 / 1e-1 / 3e-1: 86.8 / 87.0 / 86.9 %)
        {"standard", 1e-1, 3e-3, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"}};
    m.peftType = "PREFIX_TUNING";
    m.peftStandard = true;
    m.peftPromptLearning = true;
    // prefix_projection true: PEFT trains the prefix through an MLP but saves what the MLP produced (its
    // prompt_embeddings are the (k, 2 L d) keys and values, as without it), so the folder loads the same way;
    // a file holding something else fails the shape check with the tensor's name.
    m.knobsFromPeft = [](const nlohmann::json& c) {
      nlohmann::json k = nlohmann::json::object();
      if (c.contains("num_virtual_tokens")) k["length"] = c["num_virtual_tokens"];
      return k;
    };
    m.make = [](const nlohmann::json& k) -> std::unique_ptr<Method> { return std::make_unique<PrefixMethod>(k); };
    return m;
  }();
  return d;
}

}  // namespace pw
