// Linear probing done properly: multinomial logistic regression on standardised frozen features, trained to
// convergence (full-batch L-BFGS), its L2 strength chosen on the validation split (as in Kumar et al.'s LP-FT).
// The standardisation is folded back into the weights, so the head applies to raw features directly.
#pragma once
#include <ATen/ATen.h>

#include <functional>
#include <vector>

namespace pw {

struct ProbeOptions {
  std::vector<double> l2Grid = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0};  // penalty * mean(w^2), per grid point
  int maxIterations = 200;
  // false: a bias-free head (GPT-2's `score`): features are scaled but not centred, and no bias is fitted.
  bool fitBias = true;
  // Progress: after each L-BFGS evaluation, the share of the whole grid done and the fit under way (1-based).
  std::function<void(double fraction, int fit, int fits)> onProgress;
};

struct ProbeResult {
  at::Tensor weight;  // (C, d), on raw features
  at::Tensor bias;    // (C); zeros when fitBias is false
  double l2 = 0;      // the chosen penalty
  double validationAccuracy = 0;
  double trainAccuracy = 0;
  std::vector<double> lossTrace;  // training cross-entropy at each L-BFGS evaluation of the chosen fit
};

// x: (N, d) float features, y: (N) int64 labels in [0, classes).
ProbeResult trainLinearProbe(const at::Tensor& trainX, const at::Tensor& trainY, const at::Tensor& valX,
                             const at::Tensor& valY, int64_t classes, const ProbeOptions& options = {});

double accuracy(const at::Tensor& logits, const at::Tensor& labels);
double macroF1(const at::Tensor& logits, const at::Tensor& labels, int64_t classes);

}  // namespace pw
