// Intervals and tests (see stats.h): the incomplete beta function by continued fraction (as in Numerical
// Recipes' betacf), quantiles by bisection on the upper tail, the binomial tail summed in log space.
#include "util/stats.h"

#include <algorithm>
#include <limits>

#include "util/error.h"

namespace pw {
namespace {

constexpr double kEps = 4 * std::numeric_limits<double>::epsilon();  // the continued fraction's accuracy
constexpr double kTiny = 1e-300;   // Lentz's guard against a zero denominator
constexpr int kMaxIterations = 100000;

// The continued fraction of I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2)).
double betaContinuedFraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));  // even step
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));  // odd step
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

// P(T > t) for t >= 0, T ~ t(df): half of I_{df / (df + t^2)}(df / 2, 1 / 2), no cancellation.
double upperTailT(double t, double df) {
  if (std::isinf(t)) return 0;
  const double x = df / (df + t * t);
  return 0.5 * regularizedIncompleteBeta(df / 2, 0.5, x);
}

double upperTailNormal(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// The t >= 0 with tail(t) == q (tail decreasing from 1/2 at 0), by bisection to full double precision.
template <typename Tail>
double invertUpperTail(double q, Tail tail) {
  double lo = 0, hi = 1;
  while (tail(hi) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return std::numeric_limits<double>::infinity();
  }
  for (int i = 0; i < 2000 && hi - lo > 4 * std::numeric_limits<double>::epsilon() * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (tail(mid) > q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

void checkProbability(double p, const char* what) {
  if (!(p > 0 && p < 1)) throw Error(std::string(what) + " must lie strictly between 0 and 1, not " + std::to_string(p));
}

}  // namespace

double regularizedIncompleteBeta(double a, double b, double x) {
  if (!(a > 0 && b > 0)) throw Error("incomplete beta: a and b must be positive");
  if (std::isnan(x)) return x;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // x^a (1 - x)^b / B(a, b), in logs.
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
  return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normalQuantile(double p) {
  checkProbability(p, "a normal quantile's probability");
  if (p == 0.5) return 0;
  if (p < 0.5) return -normalQuantile(1 - p);
  return invertUpperTail(1 - p, upperTailNormal);
}

double studentTCdf(double t, double df) {
  if (!(df > 0)) throw Error("Student t: degrees of freedom must be positive");
  if (std::isnan(t)) return t;
  const double tail = upperTailT(std::fabs(t), df);
  return t > 0 ? 1 - tail : tail;
}

double studentTQuantile(double p, double df) {
  checkProbability(p, "a t quantile's probability");
  if (!(df > 0)) throw Error("Student t: degrees of freedom must be positive");
  if (p == 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  return invertUpperTail(1 - p, [df](double t) { return upperTailT(t, df); });
}

double studentTTwoSided(double t, double df) {
  if (!(df > 0)) throw Error("Student t: degrees of freedom must be positive");
  if (std::isnan(t)) return t;
  return std::min(1.0, 2 * upperTailT(std::fabs(t), df));
}

Interval wilsonInterval(int64_t correct, int64_t n, double confidence) {
  checkProbability(confidence, "the confidence level");
  Interval r;
  if (n <= 0) return r;
  if (correct < 0 || correct > n)
    throw Error("Wilson interval: " + std::to_string(correct) + " correct out of " + std::to_string(n));
  const double z = normalQuantile(1 - (1 - confidence) / 2), z2 = z * z, nn = double(n);
  const double p = double(correct) / nn, denom = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  r.low = correct == 0 ? 0.0 : std::max(0.0, centre - half);
  r.high = correct == n ? 1.0 : std::min(1.0, centre + half);
  r.valid = true;
  return r;
}

Interval tIntervalOfMean(const std::vector<double>& values, double confidence) {
  checkProbability(confidence, "the confidence level");
  Interval r;
  const MeanStd m = meanStd(values);
  if (m.n < 2) return r;
  const double half = studentTQuantile(1 - (1 - confidence) / 2, m.n - 1) * m.std / std::sqrt(double(m.n));
  r.low = m.mean - half;
  r.high = m.mean + half;
  r.valid = true;
  return r;
}

double mcnemarExactP(int64_t b, int64_t c) {
  if (b < 0 || c < 0) throw Error("McNemar: discordant counts cannot be negative");
  const int64_t n = b + c, k = std::min(b, c);
  if (n == 0) return 1;
  if (2 * k >= n) return 1;  // b == c: P(X <= n/2) >= 1/2
  // P(X <= k) = sum_{i <= k} C(n, i) / 2^n. Terms fall going down from i = k (k < n/2): sum the ratios to
  // the largest term, then scale by it in logs.
  const double logTop = std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) - std::lgamma(double(n - k) + 1) -
                        double(n) * std::log(2.0);
  double sum = 1, ratio = 1;
  for (int64_t i = k; i >= 1; --i) {
    ratio *= double(i) / double(n - i + 1);  // C(n, i - 1) / C(n, i)
    sum += ratio;
    if (ratio < 1e-18 * sum) break;
  }
  return std::min(1.0, 2 * std::exp(logTop + std::log(sum)));
}

PairedT pairedT(const std::vector<double>& a, const std::vector<double>& b, double confidence) {
  if (a.size() != b.size())
    throw Error("paired t-test: " + std::to_string(a.size()) + " values against " + std::to_string(b.size()) +
                "; pair them by seed (the same seeds on both sides)");
  PairedT r;
  r.n = int(a.size());
  std::vector<double> d(a.size());
  double scale = 1;
  for (size_t i = 0; i < a.size(); ++i) {
    d[i] = a[i] - b[i];
    scale = std::max({scale, std::fabs(a[i]), std::fabs(b[i])});
  }
  const MeanStd m = meanStd(d);
  r.meanDiff = m.mean;
  r.sdDiff = m.std;
  if (r.n < 2) {
    r.p = std::numeric_limits<double>::quiet_NaN();
    r.note = r.n == 0 ? "no pairs: no test" : "a single pair: no test (it needs two seeds or more)";
    return r;
  }
  const double tol = 1e-12 * scale;  // below this the differences are rounding noise
  if (r.sdDiff <= tol) {
    r.interval = {r.meanDiff, r.meanDiff, true};
    if (std::fabs(r.meanDiff) <= tol) {
      r.meanDiff = 0, r.t = 0, r.p = 1;
      r.interval = {0, 0, true};
      r.note = "identical on every seed: nothing to test (p = 1)";
    } else {
      r.t = r.meanDiff > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
      r.p = 0;
      r.note = "the same difference on every seed (zero spread): the t-test degenerates, p = 0 is formal";
    }
    return r;
  }
  const double se = r.sdDiff / std::sqrt(double(r.n));
  r.t = r.meanDiff / se;
  r.p = studentTTwoSided(r.t, r.n - 1);
  const double half = studentTQuantile(1 - (1 - confidence) / 2, r.n - 1) * se;
  r.interval = {r.meanDiff - half, r.meanDiff + half, true};
  return r;
}

double pairedTP(const std::vector<double>& a, const std::vector<double>& b) { return pairedT(a, b).p; }

}  // namespace pw
