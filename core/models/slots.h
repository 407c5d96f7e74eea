// Extension points ("slots") the fine-tuning methods plug into, so no method ever replaces a module.
// A method attaches a module to a slot; the model calls it if present. Detaching restores the base model.
#pragma once
#include <torch/nn/module.h>

#include <memory>

namespace pw {

// Added to a linear layer's output: y = W x + b + delta(x). LoRA uses this; merge() folds it into W.
class LinearDelta : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& x) = 0;  // (..., in) -> (..., out)
  // The dense weight this delta equals, (out, in), for merging; undefined if it cannot be merged.
  virtual at::Tensor denseWeight() const { return at::Tensor(); }
};

// A module mapping hidden states to hidden states of the same shape (bottleneck adapters).
class HiddenTransform : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& h) = 0;  // (B, T, d) -> (B, T, d)
};

}  // namespace pw
