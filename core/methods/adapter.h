// Bottleneck adapters: x + W_up(GELU(W_down x + b_d)) + b_u with a bottleneck of m, near-identity at start
// (weights normal std 1e-3, zero biases). Houlsby: after attention and after the FFN of every layer
// (2L(2dm + m + d)); Pfeiffer: after the FFN only (L(2dm + m + d)). Optionally every LayerNorm trains too.
#pragma once
#include <memory>
#include <vector>

#include "methods/method.h"
#include <torch/nn/modules/linear.h>

#include "models/slots.h"

namespace pw {

struct AdapterConfig {
  int64_t size = 64;           // m
  std::string kind = "houlsby";  // "houlsby" | "pfeiffer"
  bool trainLayerNorm = false;
};

class BottleneckAdapter : public HiddenTransform {
 public:
  BottleneckAdapter(int64_t hidden, int64_t size);
  at::Tensor forward(const at::Tensor& h) override;  // (B, T, d) -> (B, T, d)
  torch::nn::Linear down{nullptr}, up{nullptr};       // d -> m, m -> d
};

class AdapterMethod : public Method {
 public:
  explicit AdapterMethod(const nlohmann::json& knobs);  // resolved knobs (resolveKnobs)
  std::string groupOf(const std::string& parameterName) const override;
  std::map<std::string, int64_t> addedParameters(const ModelConfig& config) const override;
  nlohmann::json adapterConfig(TransformerModelImpl& model) const override;
  io::TensorMap exportTensors(TransformerModelImpl& model) const override;
  void importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) override;

 protected:
  void create(TransformerModelImpl& model, const InitContext& ctx) override;
  void plug(TransformerModelImpl& model) override;
  void unplug(TransformerModelImpl& model) override;

 private:
  int slotCount() const { return config_.kind == "houlsby" ? 2 : 1; }
  int slotOf(int j) const { return config_.kind == "houlsby" ? j : 1; }  // slot 0 attention, 1 FFN
  AdapterConfig config_;
  std::vector<std::shared_ptr<BottleneckAdapter>> adapters_;  // layer-major, slotCount() per layer
};

const MethodDescriptor& adapterDescriptor();

}  // namespace pw
