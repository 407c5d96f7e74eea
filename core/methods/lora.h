// LoRA (Hu et al.): y = W0 x + (alpha / r) B(A x) on the targeted linears (default query and value),
// A (r, in) Kaiming-uniform as PEFT does, B (out, r) zero, so training starts exactly at the base model.
// merge() folds (alpha / r) BA into W0 (no inference cost), unmerge() restores W0.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "methods/method.h"
#include "methods/model_layout.h"
#include "models/slots.h"

namespace pw {

struct LoraConfig {
  int64_t rank = 8;
  double alpha = 8.0;  // scale alpha / r; alpha stays fixed as r varies
  std::vector<std::string> targets = {"query", "value"};
};

// The delta plugged into an AdaptableLinear's slot: parameters "lora_A" (r, in) and "lora_B" (out, r).
class LoraDelta : public LinearDelta {
 public:
  LoraDelta(int64_t in, int64_t out, int64_t rank, double scale);
  at::Tensor forward(const at::Tensor& x) override;
  at::Tensor denseWeight() const override;  // scale * B A, (out, in)
  at::Tensor A, B;
  double scale;
};

class LoraMethod : public Method {
 public:
  explicit LoraMethod(const nlohmann::json& knobs);  // resolved knobs (resolveKnobs)
  void validate(const ModelConfig& config) const override;
  std::string groupOf(const std::string& parameterName) const override;
  std::map<std::string, int64_t> addedParameters(const ModelConfig& config) const override;
  bool canMerge() const override { return true; }
  void merge(TransformerModelImpl& model) override;
  void unmerge(TransformerModelImpl& model) override;
  nlohmann::json adapterConfig(TransformerModelImpl& model) const override;
  io::TensorMap exportTensors(TransformerModelImpl& model) const override;
  void importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) override;

  const LoraConfig& config() const { return config_; }

 protected:
  void create(TransformerModelImpl& model, const InitContext& ctx) override;
  void plug(TransformerModelImpl& model) override;
  void unplug(TransformerModelImpl& model) override;

 private:
  LoraConfig config_;
  std::vector<LinearSite> sites_;
  std::vector<std::shared_ptr<LoraDelta>> deltas_;
};

const MethodDescriptor& loraDescriptor();

// PEFT's LoRA adapter_config.json as our knobs (rank, alpha, targets); throws pw::Error naming a field that
// would change the forward and has no equivalent here (use_dora, layers_to_transform, per-module ranks).
nlohmann::json loraKnobsFromPeft(const nlohmann::json& peft);

}  // namespace pw
