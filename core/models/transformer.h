// TransformerModel: a BERT-style encoder or GPT-2-style decoder built from a ModelConfig, with its heads:
// sequence classification (BERT: pooled [CLS] or mean; GPT-2: last real token or mean), BERT's MLM head and
// GPT-2's tied LM head. Input-side slots: virtual tokens before the input (prompt tuning) and per-layer prefix
// keys/values (prefix tuning).
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "models/block.h"
#include "models/config.h"

namespace pw {

// What a forward pass takes. ids and mask are (B, T) int64; right padding.
struct ModelInputs {
  at::Tensor ids;
  at::Tensor mask;
  at::Tensor tokenTypes;     // (B, T) or undefined (zeros)
  at::Tensor virtualTokens;  // (k, d) or (B, k, d): prepended to the input embeddings (prompt tuning)
  std::vector<at::Tensor> prefixKeys, prefixValues;  // per layer (B or 1, H, k, hd) (prefix tuning);
                                                     // real tokens then take positions k, k+1, ... (as in PEFT)
};

// Hidden states after the last layer, with the mask they were computed under (grown by virtual tokens).
struct EncoderOutput {
  at::Tensor hidden;  // (B, k + T, d)
  at::Tensor mask;    // (B, k + T)
  int64_t virtualCount = 0;
};

class TransformerModelImpl : public torch::nn::Module {
 public:
  explicit TransformerModelImpl(const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  bool isBert() const { return config_.family == Family::Bert; }

  EncoderOutput encode(const ModelInputs& in);
  // The feature vector the classifier sees, (B, d): [CLS] through the pooler, last real token, or the mean
  // of the real tokens' outputs (no pooler).
  at::Tensor pooledFeatures(const ModelInputs& in);
  // Classification logits (B, C); needs a head (setClassifier).
  at::Tensor classify(const ModelInputs& in);
  // Language-model logits over the vocabulary (B, T, V): BERT's MLM head or GPT-2's tied LM head.
  at::Tensor lmLogits(const ModelInputs& in);
  at::Tensor lmLogitsFromHidden(const at::Tensor& hidden);

  // Creates (or replaces) the classification head for these class names: normal 0.02, zero bias, drawn from
  // its own generator seeded with `seed` (not LibTorch's global one, which runs side by side would share).
  void setClassifier(const std::vector<std::string>& labels, uint64_t seed = 0);
  bool hasClassifier() const { return !classifier.is_empty(); }
  int64_t numClasses() const { return config_.labels.size(); }
  // Turns on BERT's MLM head (GPT-2's LM head is the tied embedding and always present).
  void enableMlmHead();
  bool hasMlmHead() const { return !mlm_transform.is_empty(); }

  void setPooling(const std::string& pooling);  // "cls"/"last" or "mean"

  // Restarts the generator every dropout of this model draws from (its own, not LibTorch's global one).
  void seedDropout(uint64_t seed);

  // Parameters of the base model alone (embeddings, layers, final norm, pooler), without any head.
  int64_t baseParameterCount() const;

  // Modules (public, as in LibTorch idiom). Names are the internal qualified names; hf_names maps them.
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  torch::nn::LayerNorm embeddings_norm{nullptr};  // BERT: after embeddings
  torch::nn::ModuleList layers{nullptr};
  std::vector<TransformerBlock> blocks;
  torch::nn::LayerNorm final_norm{nullptr};       // GPT-2: ln_f
  torch::nn::Linear pooler{nullptr};              // BERT: tanh(dense([CLS])); DistilBERT: relu(pre_classifier)
  torch::nn::Linear classifier{nullptr};          // BERT: with bias; GPT-2 "score": no bias
  torch::nn::Linear mlm_transform{nullptr};       // BERT MLM head: dense + gelu + LayerNorm, decoder tied
  torch::nn::LayerNorm mlm_norm{nullptr};
  at::Tensor mlm_bias;

 private:
  at::Tensor pool(const EncoderOutput& out);
  ModelConfig config_;
  std::shared_ptr<DropoutRng> dropoutRng_;
  SeededDropout dropout_{nullptr};
};
TORCH_MODULE(TransformerModel);

// Standard initialisation (normal 0.02, zero biases, unit LayerNorms; GPT-2's residual projections scaled
// by 1/sqrt(2L)), seeded, for random-weight controls and pretraining from scratch.
void initialiseWeights(TransformerModelImpl& model, uint64_t seed);

}  // namespace pw
