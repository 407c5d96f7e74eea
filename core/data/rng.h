// A tiny deterministic RNG (SplitMix64) and shuffle: the same splits on every machine and compiler,
// unlike std::shuffle whose use of the engine is implementation-defined.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pw::data {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n > 0 (rejection sampling: no modulo bias).
  uint64_t below(uint64_t n) {
    uint64_t limit = ~0ull - (~0ull % n);
    uint64_t v;
    do v = next(); while (v >= limit);
    return v % n;
  }

 private:
  uint64_t state_;
};

// Fisher-Yates with SplitMix64.
template <class T>
void deterministicShuffle(std::vector<T>& v, uint64_t seed) {
  SplitMix64 rng(seed);
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

// FNV-1a: a stable string hash for seeds derived from names.
inline uint64_t stableHash(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace pw::data
