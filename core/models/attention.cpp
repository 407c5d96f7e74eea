// Multi-head self-attention (see attention.h).
#include "models/attention.h"

#include <cmath>

namespace pw {

SelfAttentionImpl::SelfAttentionImpl(int64_t hidden, int64_t heads, double dropout, std::shared_ptr<DropoutRng> rng)
    : heads_(heads), headDim_(hidden / heads) {
  query = register_module("query", AdaptableLinear(hidden, hidden));
  key = register_module("key", AdaptableLinear(hidden, hidden));
  value = register_module("value", AdaptableLinear(hidden, hidden));
  output = register_module("output", AdaptableLinear(hidden, hidden));
  attnDropout_ = register_module("attn_dropout", SeededDropout(dropout, std::move(rng)));
}

at::Tensor SelfAttentionImpl::forward(const at::Tensor& x, const at::Tensor& keyMask, bool causal,
                                      const at::Tensor& prefixKey, const at::Tensor& prefixValue) {
  const int64_t B = x.size(0), T = x.size(1);
  auto split = [&](const at::Tensor& t) { return t.view({B, T, heads_, headDim_}).transpose(1, 2); };
  at::Tensor q = split(query(x));  // (B, H, T, hd)
  at::Tensor k = split(key(x));
  at::Tensor v = split(value(x));
  at::Tensor mask = keyMask.to(torch::kBool);  // (B, T)
  int64_t prefixLen = 0;
  if (prefixKey.defined()) {
    prefixLen = prefixKey.size(2);
    k = torch::cat({prefixKey.expand({B, heads_, prefixLen, headDim_}), k}, 2);  // (B, H, k+T, hd)
    v = torch::cat({prefixValue.expand({B, heads_, prefixLen, headDim_}), v}, 2);
    mask = torch::cat({torch::ones({B, prefixLen}, mask.options()), mask}, 1);
  }
  at::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(headDim_));  // (B, H, T, S)
  at::Tensor allowed = mask.view({B, 1, 1, prefixLen + T});
  if (causal) {
    // Query t sees every prefix position and real positions <= t.
    at::Tensor tri = torch::ones({T, T}, mask.options()).tril();
    at::Tensor full = torch::cat({torch::ones({T, prefixLen}, mask.options()), tri}, 1);  // (T, S)
    allowed = allowed.logical_and(full.view({1, 1, T, prefixLen + T}));
  }
  scores = scores.masked_fill(allowed.logical_not(), -1e9);
  at::Tensor probs = attnDropout_(torch::softmax(scores, -1));
  at::Tensor ctx = torch::matmul(probs, v).transpose(1, 2).reshape({B, T, heads_ * headDim_});  // (B, T, d)
  return output(ctx);
}

}  // namespace pw
