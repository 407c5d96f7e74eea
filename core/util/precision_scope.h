// Turns CPU autocast to bf16 on (or off, for fp32) for the lifetime of the object, restoring the previous
// state after: matmuls and linear layers run in bf16, weights and gradients stay fp32.
#pragma once
#include <ATen/autocast_mode.h>

#include "util/precision.h"

namespace pw {

class PrecisionScope {
 public:
  explicit PrecisionScope(Precision p)
      : wasEnabled_(at::autocast::is_cpu_enabled()), wasDtype_(at::autocast::get_autocast_cpu_dtype()) {
    at::autocast::set_cpu_enabled(p == Precision::Bf16);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  }
  ~PrecisionScope() {
    at::autocast::set_cpu_enabled(wasEnabled_);
    at::autocast::set_autocast_cpu_dtype(wasDtype_);
    if (!wasEnabled_) at::autocast::clear_cache();  // casts of weights kept while autocast was on
  }
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

 private:
  bool wasEnabled_;
  at::ScalarType wasDtype_;
};

}  // namespace pw
