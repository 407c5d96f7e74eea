// Dropout from a model's own generator (see seeded_dropout.h).
#include "models/seeded_dropout.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

namespace pw {

DropoutRng::DropoutRng(uint64_t seed) : gen(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

void DropoutRng::reseed(uint64_t seed) {
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed);
}

at::Tensor SeededDropoutImpl::forward(const at::Tensor& x) {
  if (!is_training() || p_ <= 0) return x;
  at::Tensor keep = at::empty_like(x).bernoulli_(1.0 - p_, rng_->gen);  // 1 = kept
  return x * keep.div_(1.0 - p_);
}

}  // namespace pw
