// Prefix tuning (Li & Liang): k trainable keys and values per layer prepended to attention (queries
// unchanged): 2kLd parameters. With reparameterisation (--reparam H): P' (k, d) -> Linear(d, H) -> tanh ->
// Linear(H, 2Ld); finishTraining() keeps only the produced prefix (the MLP is dropped).
#pragma once
#include <torch/nn/module.h>

#include <memory>

#include "methods/method.h"

namespace pw {

struct PrefixConfig {
  int64_t length = 10;  // k
  int64_t reparam = 0;  // MLP hidden size H; 0 = the prefix is trained directly
};

class PrefixMethod : public Method {
 public:
  explicit PrefixMethod(const nlohmann::json& knobs);  // resolved knobs (resolveKnobs)
  nlohmann::json knobs() const override;  // + baked_from_reparam once finishTraining dropped the MLP
  nlohmann::json savedKnobs() const override;  // files hold the produced prefix: reparam 0
  void validate(const ModelConfig& config) const override;
  void prepareInputs(ModelInputs& inputs) const override;
  std::string groupOf(const std::string&) const override { return ""; }
  NamedTensors ownParameters() const override;
  std::string ownGroup() const override { return "prefix"; }
  std::map<std::string, int64_t> addedParameters(const ModelConfig& config) const override;
  void finishTraining() override;
  nlohmann::json adapterConfig(TransformerModelImpl& model) const override;
  io::TensorMap exportTensors(TransformerModelImpl& model) const override;
  void importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) override;

  // The prefix (k, 2Ld), laid out as PEFT's: for layer i, columns [2i d, (2i+1) d) are the keys and
  // [(2i+1) d, (2i+2) d) the values, each (k, H, hd) head-major.
  at::Tensor prefix() const;

 protected:
  void create(TransformerModelImpl& model, const InitContext& ctx) override;

 private:
  PrefixConfig config_;
  int64_t bakedFrom_ = 0;  // H of the MLP that produced a baked prefix (for reports)
  int64_t layers_ = 0, heads_ = 0, hidden_ = 0;
  std::shared_ptr<torch::nn::Module> encoder_;  // parameters "embedding" and, reparameterised, "mlp*"
};

const MethodDescriptor& prefixDescriptor();

}  // namespace pw
