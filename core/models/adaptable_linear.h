// AdaptableLinear: y = x W^T + b, with a delta slot (LoRA) and an output-scale slot (IA3).
// Weights are stored (out, in) like torch::nn::Linear; GPT-2's Conv1D weights are transposed on load/save.
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>

#include "models/slots.h"

namespace pw {

class AdaptableLinearImpl : public torch::nn::Module {
 public:
  AdaptableLinearImpl(int64_t in, int64_t out, bool bias = true);

  at::Tensor forward(const at::Tensor& x);  // (..., in) -> (..., out)

  int64_t inFeatures() const { return in_; }
  int64_t outFeatures() const { return out_; }
  bool hasBias() const { return bias.defined(); }

  // Slots. Attaching registers the module/tensor as a child, so it shows in parameters().
  void setDelta(std::shared_ptr<LinearDelta> delta);
  void clearDelta();
  std::shared_ptr<LinearDelta> delta() const { return delta_; }
  void setOutputScale(const at::Tensor& scale);  // (out), registered as parameter "output_scale"
  void clearOutputScale();
  at::Tensor outputScale() const { return outputScale_; }

  // Folds the delta into the weight (W += delta.denseWeight()) so forward costs what the base layer costs;
  // unmerge restores the exact original weight (kept aside while merged).
  void merge();
  void unmerge();
  bool merged() const { return merged_; }

  at::Tensor weight;  // (out, in)
  at::Tensor bias;    // (out) or undefined

 private:
  int64_t in_, out_;
  std::shared_ptr<LinearDelta> delta_;
  at::Tensor outputScale_;
  at::Tensor unmergedWeight_;
  bool merged_ = false;
};
TORCH_MODULE(AdaptableLinear);

}  // namespace pw
