// Mean and sample standard deviation over seeds: shared by the CLI's comparison tables and the GUI's seed
// groups and sweep bands. Header-only, no torch.
#pragma once
#include <cmath>
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

}  // namespace pw
