// Logistic-regression probe (see linear_probe.h).
#include "train/linear_probe.h"

namespace pw {
namespace {

struct Fit {
  at::Tensor w, b;
  std::vector<double> trace;
};

// Minimises mean cross-entropy + l2 * sum(w^2) / 2 on standardised features with L-BFGS.
// `evaluated` hears the number of loss evaluations so far.
Fit fit(const at::Tensor& x, const at::Tensor& y, int64_t classes, double l2, int iterations, bool withBias,
        const std::function<void(int)>& evaluated) {
  at::Tensor w = torch::zeros({classes, x.size(1)}, torch::requires_grad());
  at::Tensor b = torch::zeros({classes}, torch::requires_grad(withBias));
  std::vector<at::Tensor> params = {w};
  if (withBias) params.push_back(b);
  torch::optim::LBFGS opt(params, torch::optim::LBFGSOptions(1.0)
                                      .max_iter(iterations)
                                      .history_size(20)
                                      .tolerance_grad(1e-6)
                                      .tolerance_change(1e-9)
                                      .line_search_fn("strong_wolfe"));
  std::vector<double> trace;
  auto closure = [&] {
    opt.zero_grad();
    at::Tensor ce = torch::nn::functional::cross_entropy(torch::addmm(b, x, w.t()), y);
    trace.push_back(ce.item<double>());
    if (evaluated) evaluated(int(trace.size()));
    at::Tensor loss = ce + 0.5 * l2 * w.pow(2).sum();
    loss.backward();
    return loss;
  };
  opt.step(closure);
  return {w.detach(), b.detach(), std::move(trace)};
}

}  // namespace

double accuracy(const at::Tensor& logits, const at::Tensor& labels) {
  if (labels.numel() == 0) return 0.0;
  return logits.argmax(1).eq(labels).to(torch::kDouble).mean().item<double>();
}

double macroF1(const at::Tensor& logits, const at::Tensor& labels, int64_t classes) {
  at::Tensor pred = logits.argmax(1);
  double sum = 0;
  for (int64_t c = 0; c < classes; ++c) {
    double tp = (pred.eq(c) & labels.eq(c)).sum().item<double>();
    double fp = (pred.eq(c) & labels.ne(c)).sum().item<double>();
    double fn = (pred.ne(c) & labels.eq(c)).sum().item<double>();
    sum += tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0.0;
  }
  return classes ? sum / classes : 0.0;
}

ProbeResult trainLinearProbe(const at::Tensor& trainX, const at::Tensor& trainY, const at::Tensor& valX,
                             const at::Tensor& valY, int64_t classes, const ProbeOptions& o) {
  at::Tensor mu = o.fitBias ? trainX.mean(0) : torch::zeros({trainX.size(1)});
  // Without a bias, scale by the root mean square (the spread around zero) instead of the standard deviation.
  at::Tensor sigma = (o.fitBias ? trainX.std(0, /*unbiased=*/false) : trainX.pow(2).mean(0).sqrt()).clamp_min(1e-6);
  at::Tensor xs = (trainX - mu) / sigma, vs = (valX - mu) / sigma;
  ProbeResult best;
  best.validationAccuracy = -1;
  const int fits = int(o.l2Grid.size());
  // L-BFGS stops at max_iter * 5 / 4 evaluations (LibTorch's default max_eval), often well before.
  const double maxEvaluations = o.maxIterations * 1.25;
  for (int i = 0; i < fits; ++i) {
    const double l2 = o.l2Grid[size_t(i)];
    std::function<void(int)> evaluated;
    if (o.onProgress)
      evaluated = [&](int n) { o.onProgress((i + std::min(1.0, n / maxEvaluations)) / fits, i + 1, fits); };
    Fit f = fit(xs, trainY, classes, l2, o.maxIterations, o.fitBias, evaluated);
    torch::NoGradGuard guard;
    double acc = accuracy(torch::addmm(f.b, vs, f.w.t()), valY);
    if (acc > best.validationAccuracy) {
      best.validationAccuracy = acc;
      best.l2 = l2;
      // Fold the standardisation in: w (x - mu) / sigma + b = (w / sigma) x + (b - (w / sigma) mu).
      best.weight = f.w / sigma.unsqueeze(0);
      best.bias = f.b - best.weight.matmul(mu);
      best.trainAccuracy = accuracy(torch::addmm(f.b, xs, f.w.t()), trainY);
      best.lossTrace = f.trace;
    }
  }
  return best;
}

}  // namespace pw
