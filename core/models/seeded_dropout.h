// Dropout that draws from its model's own random generator instead of LibTorch's global one. Runs side by side
// in one process (compare/sweep/tune --parallel, the window's queue) each train their own model: with
// torch::nn::Dropout they would all reseed and share the global generator, so a run's masks depended on what ran
// beside it and the same seed gave different numbers. One DropoutRng per model, reseeded by the trainer.
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <memory>

namespace pw {

// The generator every dropout of one model draws from.
struct DropoutRng {
  explicit DropoutRng(uint64_t seed);
  void reseed(uint64_t seed);
  at::Generator gen;
};

class SeededDropoutImpl : public torch::nn::Module {
 public:
  SeededDropoutImpl(double p, std::shared_ptr<DropoutRng> rng) : p_(p), rng_(std::move(rng)) {}
  // Training: each element zeroed with probability p, the rest scaled by 1 / (1 - p); evaluation: x itself.
  at::Tensor forward(const at::Tensor& x);

 private:
  double p_;
  std::shared_ptr<DropoutRng> rng_;
};
TORCH_MODULE(SeededDropout);

}  // namespace pw
