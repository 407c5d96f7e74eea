// Prompt tuning (Lester et al.): k trainable vectors of size d placed before the input embeddings; the
// attention mask grows by k and positions shift as in PEFT. k*d parameters. Init: random uniform
// [-0.5, 0.5], embeddings of sampled vocabulary tokens, or embeddings of the class-label words.
#pragma once
#include "methods/method.h"

namespace pw {

struct PromptConfig {
  int64_t length = 20;          // k
  std::string init = "vocab";   // "random" | "vocab" | "labels"
};

class PromptMethod : public Method {
 public:
  explicit PromptMethod(const nlohmann::json& knobs);  // resolved knobs (resolveKnobs)
  void validate(const ModelConfig& config) const override;
  void prepareInputs(ModelInputs& inputs) const override;
  std::string groupOf(const std::string&) const override { return ""; }
  NamedTensors ownParameters() const override { return {{"prompt_embeddings", prompt_}}; }
  std::string ownGroup() const override { return "prompt"; }
  std::map<std::string, int64_t> addedParameters(const ModelConfig& config) const override;
  nlohmann::json adapterConfig(TransformerModelImpl& model) const override;
  io::TensorMap exportTensors(TransformerModelImpl& model) const override;
  void importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) override;

  const at::Tensor& prompt() const { return prompt_; }  // (k, d)

 protected:
  void create(TransformerModelImpl& model, const InitContext& ctx) override;

 private:
  PromptConfig config_;
  at::Tensor prompt_;
};

const MethodDescriptor& promptDescriptor();

// Room check shared with prefix tuning: k virtual positions must leave space for a real input.
void checkVirtualLength(const ModelConfig& config, int64_t k, const std::string& what);

}  // namespace pw
