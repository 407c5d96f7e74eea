// Multi-head self-attention with separate query/key/value/output projections (AdaptableLinear), an
// additive mask, an optional causal mask and optional prefix keys/values (prefix tuning).
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/adaptable_linear.h"
#include "models/seeded_dropout.h"

namespace pw {

class SelfAttentionImpl : public torch::nn::Module {
 public:
  SelfAttentionImpl(int64_t hidden, int64_t heads, double dropout, std::shared_ptr<DropoutRng> rng);

  // x: (B, T, d). keyMask: (B, T) 1 = attend, 0 = padding. prefixKey/Value: (B, H, k, hd) or undefined.
  at::Tensor forward(const at::Tensor& x, const at::Tensor& keyMask, bool causal,
                     const at::Tensor& prefixKey = {}, const at::Tensor& prefixValue = {});

  AdaptableLinear query{nullptr}, key{nullptr}, value{nullptr}, output{nullptr};

 private:
  int64_t heads_, headDim_;
  SeededDropout attnDropout_{nullptr};
};
TORCH_MODULE(SelfAttention);

}  // namespace pw
