// Statistics every accuracy carries: mean / std over seeds, Wilson and Student-t intervals, the exact
// McNemar test and the paired t-test (the Student t distribution is computed here, no library). No torch.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace pw {

struct MeanStd {
  int n = 0;
  double mean = 0, std = 0;  // std: sample standard deviation (n - 1), 0 for a single value
};

inline MeanStd meanStd(const std::vector<double>& values) {
  MeanStd m;
  m.n = int(values.size());
  if (m.n == 0) return m;
  for (double x : values) m.mean += x;
  m.mean /= m.n;
  if (m.n > 1) {
    double q = 0;
    for (double x : values) q += (x - m.mean) * (x - m.mean);
    m.std = std::sqrt(q / (m.n - 1));
  }
  return m;
}

// A confidence interval [low, high]; valid is false when there is none (no data, a single seed, ...).
struct Interval {
  double low = 0, high = 0;
  bool valid = false;
  double halfWidth() const { return valid ? (high - low) / 2 : 0; }
};

// --- distributions ----------------------------------------------------------------------------------------

// Regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1] (continued fraction, modified Lentz).
double regularizedIncompleteBeta(double a, double b, double x);
// Standard normal CDF and its inverse (p in (0, 1); bisection on erfc, exact to ~1e-15).
double normalCdf(double z);
double normalQuantile(double p);
// Student t with df > 0 degrees of freedom: CDF, and its inverse by bisection (p in (0, 1)).
double studentTCdf(double t, double df);
double studentTQuantile(double p, double df);
// Two-sided tail P(|T| >= |t|) for T ~ t(df), computed without cancellation for small p.
double studentTTwoSided(double t, double df);

// --- intervals --------------------------------------------------------------------------------------------

// Wilson score interval for the proportion correct / n, inside [0, 1]; invalid when n == 0.
Interval wilsonInterval(int64_t correct, int64_t n, double confidence = 0.95);
// Student-t interval on the mean: mean +- t(1 - alpha/2, n - 1) * s / sqrt(n); invalid when n < 2.
// Zero spread gives the zero-width interval [mean, mean].
Interval tIntervalOfMean(const std::vector<double>& values, double confidence = 0.95);

// --- tests ------------------------------------------------------------------------------------------------

// Two-sided exact McNemar p-value: b = pairs where A is right and B wrong, c = A wrong and B right;
// p = min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2), summed in log space (b + c up to 1e6 and beyond).
// b + c == 0 (the two never disagree) gives 1.
double mcnemarExactP(int64_t b, int64_t c);

// The paired t-test over seeds: a[i] and b[i] come from the same seed. Differences d = a - b.
struct PairedT {
  int n = 0;               // pairs
  double meanDiff = 0;     // mean of a - b
  double sdDiff = 0;       // sample standard deviation of the differences
  double t = 0;            // meanDiff / (sdDiff / sqrt(n)); 0 or +-inf in the degenerate cases
  double p = 1;            // two-sided; NaN when n < 2 (no test)
  Interval interval;       // t-interval on the mean difference (invalid when n < 2)
  std::string note;        // set for the degenerate cases, empty otherwise
};
// Degenerate cases: n < 2 -> p = NaN, no interval, note says so. Zero spread (every seed gives the same
// difference): identical results -> p = 1, interval [0, 0]; a constant nonzero difference -> p = 0 (formally
// infinitely significant: with zero spread the test has nothing to weigh it against), interval
// [d, d], and the note says so. Throws pw::Error when the sizes differ.
PairedT pairedT(const std::vector<double>& a, const std::vector<double>& b, double confidence = 0.95);
// Its p-value alone.
double pairedTP(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace pw
