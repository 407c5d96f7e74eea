// IA3 (Liu et al.): learned vectors, initialised to ones, scaling the keys, the values and the FFN's hidden
// activation of every layer: L(2d + f) parameters. Saved in PEFT's IA3 layout.
#pragma once
#include <vector>

#include "methods/method.h"

namespace pw {

class Ia3Method : public Method {
 public:
  explicit Ia3Method(const nlohmann::json& knobs);
  std::string name() const override { return "ia3"; }
  nlohmann::json knobs() const override { return nlohmann::json::object(); }
  std::string groupOf(const std::string& parameterName) const override;
  std::map<std::string, int64_t> addedParameters(const ModelConfig& config) const override;
  std::string peftType() const override { return "IA3"; }
  nlohmann::json adapterConfig(TransformerModelImpl& model) const override;
  io::TensorMap exportTensors(TransformerModelImpl& model) const override;
  void importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) override;

 protected:
  void create(TransformerModelImpl& model, const InitContext& ctx) override;
  void plug(TransformerModelImpl& model) override;
  void unplug(TransformerModelImpl& model) override;

 private:
  std::vector<at::Tensor> keys_, values_, ffn_;  // per layer: (d), (d), (f)
};

}  // namespace pw
