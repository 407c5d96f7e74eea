// AdaptableLinear (see adaptable_linear.h).
#include "models/adaptable_linear.h"

#include "util/error.h"

namespace pw {

AdaptableLinearImpl::AdaptableLinearImpl(int64_t in, int64_t out, bool withBias) : in_(in), out_(out) {
  weight = register_parameter("weight", torch::empty({out, in}));
  torch::nn::init::normal_(weight, 0.0, 0.02);
  if (withBias) bias = register_parameter("bias", torch::zeros({out}));
}

at::Tensor AdaptableLinearImpl::forward(const at::Tensor& x) {
  at::Tensor y = torch::nn::functional::linear(x, weight, bias);
  if (delta_ && !merged_) y = y + delta_->forward(x);
  if (outputScale_.defined()) y = y * outputScale_;
  return y;
}

void AdaptableLinearImpl::setDelta(std::shared_ptr<LinearDelta> delta) {
  if (merged_) throw Error("cannot attach a delta to a merged layer; unmerge first");
  clearDelta();
  delta_ = register_module("delta", std::move(delta));
}

void AdaptableLinearImpl::clearDelta() {
  if (!delta_) return;
  if (merged_) unmerge();
  unregister_module("delta");
  delta_.reset();
}

void AdaptableLinearImpl::setOutputScale(const at::Tensor& scale) {
  clearOutputScale();
  outputScale_ = register_parameter("output_scale", scale);
}

void AdaptableLinearImpl::clearOutputScale() {
  if (!outputScale_.defined()) return;
  parameters_.erase("output_scale");
  outputScale_ = at::Tensor();
}

void AdaptableLinearImpl::merge() {
  if (merged_ || !delta_) return;
  at::Tensor dw = delta_->denseWeight();
  if (!dw.defined()) throw Error("this delta cannot be merged into the weight");
  torch::NoGradGuard guard;
  unmergedWeight_ = weight.detach().clone();  // kept so unmerge restores W0 bit for bit
  weight.add_(dw);
  merged_ = true;
}

void AdaptableLinearImpl::unmerge() {
  if (!merged_) return;
  torch::NoGradGuard guard;
  weight.copy_(unmergedWeight_);
  unmergedWeight_ = at::Tensor();
  merged_ = false;
}

}  // namespace pw
