// Bottleneck adapters (see bottleneck.h). File names (our own BOTTLENECK_ADAPTER type):
// "base_model.model.<HF layer>.adapter_attention.{down,up}.{weight,bias}" and ".adapter_ffn..." where <HF layer>
// is "bert.encoder.layer.N" or "transformer.h.N"; trained LayerNorms are saved under their Hugging Face names.
#include "methods/bottleneck.h"

#include "methods/adapter_folder.h"
#include "methods/knobs.h"
#include "models/transformer.h"

namespace pw {
namespace {

const char* kSlotNames[] = {"adapter_attention", "adapter_ffn"};

std::string layerPath(const ModelConfig& c, size_t i) {
  return c.family == Family::Bert ? "base_model.model.bert.encoder.layer." + std::to_string(i) + "."
                                  : "base_model.model.transformer.h." + std::to_string(i) + ".";
}

bool isLayerNorm(const std::string& n) {
  return n.find("_norm.") != std::string::npos && n.find("adapter_") == std::string::npos;
}

}  // namespace

BottleneckAdapter::BottleneckAdapter(int64_t d, int64_t m) {
  down = register_module("down", torch::nn::Linear(d, m));
  up = register_module("up", torch::nn::Linear(m, d));
}

at::Tensor BottleneckAdapter::forward(const at::Tensor& h) {
  return h + up(torch::gelu(down(h)));
}

AdapterMethod::AdapterMethod(const nlohmann::json& knobs) {
  KnobReader r(knobs, "adapter");
  config_.size = r.integer("adapter_size", 64, 1, 1 << 16);
  config_.kind = r.choice("adapter_kind", "houlsby", {"houlsby", "pfeiffer"});
  config_.trainLayerNorm = r.flag("train_layernorm", false);
  r.finish();
}

nlohmann::json AdapterMethod::knobs() const {
  return {{"adapter_size", config_.size}, {"adapter_kind", config_.kind}, {"train_layernorm", config_.trainLayerNorm}};
}

std::string AdapterMethod::groupOf(const std::string& n) const {
  if (n.find(".adapter_attention.") != std::string::npos || n.find(".adapter_ffn.") != std::string::npos)
    return "adapter";
  if (config_.trainLayerNorm && isLayerNorm(n)) return "layernorm";
  return "";
}

std::map<std::string, int64_t> AdapterMethod::addedParameters(const ModelConfig& c) const {
  const int64_t d = c.hidden, m = config_.size;
  return {{"adapter", c.layers * slotCount() * (2 * d * m + m + d)}};
}

void AdapterMethod::create(TransformerModelImpl& model, const InitContext& ctx) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed + 0xada);
  torch::NoGradGuard guard;
  for (size_t i = 0; i < model.blocks.size(); ++i) {
    for (int j = 0; j < slotCount(); ++j) {
      auto a = std::make_shared<BottleneckAdapter>(model.config().hidden, config_.size);
      a->down->weight.normal_(0.0, 1e-3, gen);
      a->down->bias.zero_();
      a->up->weight.normal_(0.0, 1e-3, gen);
      a->up->bias.zero_();
      adapters_.push_back(a);
    }
  }
}

void AdapterMethod::plug(TransformerModelImpl& model) {
  for (size_t i = 0; i < model.blocks.size(); ++i)
    for (int j = 0; j < slotCount(); ++j) model.blocks[i]->setAdapter(slotOf(j), adapters_[i * slotCount() + j]);
}

void AdapterMethod::unplug(TransformerModelImpl& model) {
  for (auto& b : model.blocks)
    for (int j = 0; j < slotCount(); ++j) b->clearAdapter(slotOf(j));
}

nlohmann::json AdapterMethod::adapterConfig(TransformerModelImpl& model) const {
  return {{"adapter_size", config_.size}, {"adapter_kind", config_.kind}, {"activation", "gelu"},
          {"train_layernorm", config_.trainLayerNorm}, {"hidden_size", model.config().hidden},
          {"num_layers", model.config().layers}};
}

io::TensorMap AdapterMethod::exportTensors(TransformerModelImpl& model) const {
  io::TensorMap out;
  for (size_t i = 0; i < model.blocks.size(); ++i) {
    for (int j = 0; j < slotCount(); ++j) {
      const auto& a = adapters_[i * slotCount() + j];
      const std::string p = layerPath(model.config(), i) + kSlotNames[slotOf(j)] + ".";
      out[p + "down.weight"] = a->down->weight.detach().clone();
      out[p + "down.bias"] = a->down->bias.detach().clone();
      out[p + "up.weight"] = a->up->weight.detach().clone();
      out[p + "up.bias"] = a->up->bias.detach().clone();
    }
  }
  return out;
}

void AdapterMethod::importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) {
  torch::NoGradGuard guard;
  const int64_t d = model.config().hidden, m = config_.size;
  for (size_t i = 0; i < model.blocks.size(); ++i) {
    for (int j = 0; j < slotCount(); ++j) {
      const auto& a = adapters_[i * slotCount() + j];
      const std::string p = layerPath(model.config(), i) + kSlotNames[slotOf(j)] + ".";
      a->down->weight.copy_(takeTensor(file, p + "down.weight", {m, d}, fileName));
      a->down->bias.copy_(takeTensor(file, p + "down.bias", {m}, fileName));
      a->up->weight.copy_(takeTensor(file, p + "up.weight", {d, m}, fileName));
      a->up->bias.copy_(takeTensor(file, p + "up.bias", {d}, fileName));
    }
  }
}

}  // namespace pw
