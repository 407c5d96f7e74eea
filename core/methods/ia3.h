// IA3 (Liu et al.): learned vectors, initialised to ones, scaling the keys, the values and the FFN's hidden
// activation of every layer: L(2d + f) parameters. Saved in PEFT's IA3 layout.
#pragma once
#include <vector>

#include "methods/method.h"

namespace pw {

class Ia3Method : public Method {
 public:
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
  std::vector<at::Tensor> keys_, values_, ffn_;  // per layer: (d), (d), (f)
};

const MethodDescriptor& ia3Descriptor();

}  // namespace pw
