// One transformer layer. BERT: post-LayerNorm (h = LN(x + attn(x)); LN(h + ffn(h))).
// GPT-2: pre-LayerNorm (h = x + attn(LN x); h + ffn(LN h)), causal. Adapter slots after attention and FFN.
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <string>

#include "models/attention.h"
#include "models/seeded_dropout.h"
#include "models/slots.h"

namespace pw {

struct BlockOptions {
  int64_t hidden = 256, heads = 4, intermediate = 1024;
  double layerNormEps = 1e-12, dropout = 0.1, attentionDropout = 0.1;
  std::string activation = "gelu";
  bool preNorm = false;  // GPT-2
  std::shared_ptr<DropoutRng> dropoutRng;  // the model's: every dropout of the layer draws from it
};

class TransformerBlockImpl : public torch::nn::Module {
 public:
  explicit TransformerBlockImpl(const BlockOptions& o);

  at::Tensor forward(const at::Tensor& x, const at::Tensor& mask, bool causal,
                     const at::Tensor& prefixKey = {}, const at::Tensor& prefixValue = {});

  // Adapter slots: applied to the attention output (after its projection) and to the FFN output,
  // before the residual sum and LayerNorm (Houlsby); Pfeiffer uses only the second.
  void setAdapter(int where, std::shared_ptr<HiddenTransform> adapter);  // where: 0 attention, 1 FFN
  void clearAdapter(int where);
  // IA3's slot: a learned (f) vector scaling the FFN's hidden activation.
  void setActivationScale(const at::Tensor& scale);
  void clearActivationScale();

  SelfAttention attention{nullptr};
  torch::nn::LayerNorm attn_norm{nullptr};
  AdaptableLinear intermediate{nullptr};  // d -> f
  AdaptableLinear output{nullptr};        // f -> d
  torch::nn::LayerNorm ffn_norm{nullptr};

 private:
  at::Tensor ffn(const at::Tensor& x);
  BlockOptions o_;
  SeededDropout dropout_{nullptr};
  std::shared_ptr<HiddenTransform> adapters_[2];
  at::Tensor activationScale_;
};
TORCH_MODULE(TransformerBlock);

// Activation by Hugging Face name: "gelu" (exact erf), "gelu_new"/"gelu_pytorch_tanh" (tanh), "relu".
at::Tensor activate(const at::Tensor& x, const std::string& name);

}  // namespace pw
