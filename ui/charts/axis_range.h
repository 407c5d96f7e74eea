// The one rule every linear chart axis follows (loss, accuracy, sweep, scatter): the data's range with an
// 8 % margin, never narrower than a minimum span (a single point or a flat curve must not zoom in to noise:
// issue #20 saw ticks at 77.4995 / 77.5 / 77.5005 %), shifted to stay inside the quantity's limits.
#pragma once
#include <limits>

#include "qcp.h"

namespace pw::ui {

constexpr double kAccuracyMinSpan = 10;  // percentage points: small differences look small
constexpr double kLossMinSpan = 0.1;     // nats

// `lo` > `hi` means no data: the whole [floor, ceiling] when both are finite, else [floor, floor + minSpan].
QCPRange fittedRange(double lo, double hi, double minSpan, double floor = -std::numeric_limits<double>::infinity(),
                     double ceiling = std::numeric_limits<double>::infinity());

inline QCPRange accuracyRange(double lo, double hi) { return fittedRange(lo, hi, kAccuracyMinSpan, 0, 100); }

}  // namespace pw::ui
