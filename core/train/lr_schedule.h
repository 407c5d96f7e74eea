// Learning-rate schedule: linear warmup, then linear or cosine decay to a floor. Keyed on the step, so a
// resumed run follows exactly the same curve.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace pw {

struct LrSchedule {
  double peak = 1e-3;
  int64_t warmupSteps = 0;
  int64_t totalSteps = 1;
  double floorFraction = 0.0;  // the rate at the end, as a fraction of the peak
  bool cosine = false;

  double at(int64_t step) const {
    if (warmupSteps > 0 && step < warmupSteps) return peak * double(step + 1) / double(warmupSteps);
    double span = double(std::max<int64_t>(1, totalSteps - warmupSteps));
    double progress = std::clamp(double(step - warmupSteps) / span, 0.0, 1.0);
    double shape = cosine ? 0.5 * (1.0 + std::cos(M_PI * progress)) : 1.0 - progress;
    return peak * (floorFraction + (1.0 - floorFraction) * shape);
  }
};

}  // namespace pw
