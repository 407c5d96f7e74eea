// Numeric precision of a run: fp32, or bf16 through CPU autocast (matmuls on the CPU's bf16 matrix units,
// master weights and optimiser state in fp32). "auto" measures once per machine which one is faster.
// Torch-free header; PrecisionScope (precision_scope.h) switches autocast on for a block of code.
#pragma once
#include <string>

namespace pw {

enum class Precision { Fp32, Bf16 };

std::string precisionName(Precision p);  // "fp32" / "bf16"
// Settings: "auto", "fp32", "bf16". Throws pw::Error on anything else.
void checkPrecisionSetting(const std::string& setting);

// What the GEMM probe measured (GFLOP/s of a square matmul at the current thread count).
struct PrecisionProbe {
  double fp32Gflops = 0, bf16Gflops = 0;
  bool bf16Supported = false;  // the CPU reports bf16 instructions (avx512_bf16 or amx_bf16)
  bool fromCache = false;      // read from the per-machine cache file
  std::string cpu;             // the CPU's model name
  int threads = 0;
  Precision best() const;      // bf16 only where it is clearly (>= 1.5x) faster
};

// Measures once per process (about 0.1 s), caching the answer per machine (CPU model and thread count) in
// $XDG_CACHE_HOME/peft-workbench/precision-v2.json; PW_PRECISION_PROBE=fresh ignores the cache file.
const PrecisionProbe& precisionProbe();

// "fp32" / "bf16" as themselves; "auto" as the probe decides.
Precision resolvePrecision(const std::string& setting);

}  // namespace pw
