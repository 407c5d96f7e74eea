// The shared axis rule (see axis_range.h).
#include "axis_range.h"

#include <algorithm>
#include <cmath>

namespace pw::ui {

QCPRange fittedRange(double lo, double hi, double minSpan, double floor, double ceiling) {
  if (!(hi >= lo)) {
    if (std::isfinite(floor) && std::isfinite(ceiling)) return QCPRange(floor, ceiling);
    lo = hi = std::isfinite(floor) ? floor + minSpan / 2 : 0;
  }
  const double pad = 0.08 * (hi - lo);
  lo -= pad, hi += pad;
  if (hi - lo < minSpan) {
    const double mid = (lo + hi) / 2;
    lo = mid - minSpan / 2, hi = mid + minSpan / 2;
  }
  // Keep the width, move the window inside the limits (an accuracy of 99 % shows 90-100, not 94-104).
  if (lo < floor) hi = std::min(ceiling, hi + (floor - lo)), lo = floor;
  if (hi > ceiling) lo = std::max(floor, lo - (hi - ceiling)), hi = ceiling;
  return QCPRange(lo, hi);
}

}  // namespace pw::ui
