// One transformer layer (see block.h).
#include "models/block.h"

namespace pw {

at::Tensor activate(const at::Tensor& x, const std::string& name) {
  if (name == "gelu") return torch::gelu(x);  // exact: 0.5 x (1 + erf(x / sqrt 2))
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return torch::gelu(x, "tanh");
  return torch::relu(x);
}

TransformerBlockImpl::TransformerBlockImpl(const BlockOptions& o) : o_(o) {
  attention = register_module("attention", SelfAttention(o.hidden, o.heads, o.attentionDropout, o.dropoutRng));
  auto ln = torch::nn::LayerNormOptions({o.hidden}).eps(o.layerNormEps);
  attn_norm = register_module("attn_norm", torch::nn::LayerNorm(ln));
  intermediate = register_module("intermediate", AdaptableLinear(o.hidden, o.intermediate));
  output = register_module("output", AdaptableLinear(o.intermediate, o.hidden));
  ffn_norm = register_module("ffn_norm", torch::nn::LayerNorm(ln));
  dropout_ = register_module("dropout", SeededDropout(o.dropout, o.dropoutRng));
}

at::Tensor TransformerBlockImpl::ffn(const at::Tensor& x) {
  at::Tensor h = activate(intermediate(x), o_.activation);  // (B, T, f)
  if (activationScale_.defined()) h = h * activationScale_;
  return output(h);
}

at::Tensor TransformerBlockImpl::forward(const at::Tensor& x, const at::Tensor& mask, bool causal,
                                         const at::Tensor& prefixKey, const at::Tensor& prefixValue) {
  auto adapt = [&](int where, at::Tensor h) { return adapters_[where] ? adapters_[where]->forward(h) : h; };
  if (o_.preNorm) {
    at::Tensor h = x + adapt(0, dropout_(attention(attn_norm(x), mask, causal, prefixKey, prefixValue)));
    return h + adapt(1, dropout_(ffn(ffn_norm(h))));
  }
  at::Tensor h = attn_norm(x + adapt(0, dropout_(attention(x, mask, causal, prefixKey, prefixValue))));
  return ffn_norm(h + adapt(1, dropout_(ffn(h))));
}

void TransformerBlockImpl::setAdapter(int where, std::shared_ptr<HiddenTransform> adapter) {
  clearAdapter(where);
  adapters_[where] = register_module(where == 0 ? "adapter_attention" : "adapter_ffn", std::move(adapter));
}

void TransformerBlockImpl::clearAdapter(int where) {
  if (!adapters_[where]) return;
  unregister_module(where == 0 ? "adapter_attention" : "adapter_ffn");
  adapters_[where].reset();
}

void TransformerBlockImpl::setActivationScale(const at::Tensor& scale) {
  clearActivationScale();
  activationScale_ = register_parameter("activation_scale", scale);
}

void TransformerBlockImpl::clearActivationScale() {
  if (!activationScale_.defined()) return;
  parameters_.erase("activation_scale");
  activationScale_ = at::Tensor();
}

}  // namespace pw
