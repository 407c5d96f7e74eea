// Precision settings and the GEMM probe behind "auto" (see precision.h).
#include "util/precision.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <tuple>
#include <utility>
#include <sstream>

#include <unistd.h>

#include "util/error.h"
#include "util/strict_json.h"
#include "util/precision_scope.h"

namespace pw {
namespace {

namespace fs = std::filesystem;

// The CPU's model name and whether it lists bf16 instructions, from /proc/cpuinfo.
void readCpu(std::string& model, bool& bf16) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (model.empty() && line.rfind("model name", 0) == 0) model = line.substr(line.find(':') + 2);
    if (line.rfind("flags", 0) == 0) {
      std::istringstream words(line.substr(line.find(':') + 1));
      std::string w;
      while (words >> w)
        if (w == "avx512_bf16" || w == "amx_bf16") bf16 = true;
      break;
    }
  }
  if (model.empty()) model = "unknown CPU";
}

// Seconds of one n x n matmul at precision p (after the caller's warm-up).
double gemmSeconds(Precision p, const at::Tensor& a, const at::Tensor& b) {
  PrecisionScope scope(p);
  auto t0 = std::chrono::steady_clock::now();
  at::Tensor c = at::matmul(a, b);
  (void)c.sum().item<double>();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// GFLOP/s of an n x n matmul in fp32 and (if measured) bf16: the best of 4 rounds that alternate the two, so a
// burst of load on a shared machine hits both alike.
std::pair<double, double> gemmGflops(int64_t n, bool withBf16) {
  at::NoGradGuard guard;
  at::Tensor a = at::randn({n, n}), b = at::randn({n, n});
  gemmSeconds(Precision::Fp32, a, b);
  if (withBf16) gemmSeconds(Precision::Bf16, a, b);
  double best32 = 1e30, best16 = 1e30;
  for (int round = 0; round < 4; ++round) {
    best32 = std::min(best32, gemmSeconds(Precision::Fp32, a, b));
    if (withBf16) best16 = std::min(best16, gemmSeconds(Precision::Bf16, a, b));
  }
  const double flop = 2.0 * double(n) * double(n) * double(n);
  return {flop / best32 / 1e9, withBf16 ? flop / best16 / 1e9 : 0.0};
}

std::string cacheFile() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string base = xdg && *xdg ? xdg : std::string(home ? home : "/tmp") + "/.cache";
  return base + "/peft-workbench/precision-v2.json";  // v2: alternating measurement
}

// The cached probe for this CPU and thread count, if there is one.
bool readCached(PrecisionProbe& p) {
  try {
    const nlohmann::json j = readStrictJsonFile(cacheFile(), 1 << 20);
    std::string key = p.cpu + "|" + std::to_string(p.threads) + "|" + std::to_string(p.bf16Supported);
    if (!j.contains(key)) return false;
    p.fp32Gflops = j[key].at("fp32_gflops").get<double>();
    p.bf16Gflops = j[key].at("bf16_gflops").get<double>();
    p.fromCache = true;
    return true;
  } catch (...) {
    return false;  // an unreadable cache is measured again and rewritten
  }
}

void writeCached(const PrecisionProbe& p) {
  try {
    nlohmann::json j = nlohmann::json::object();
    {
      try {
        j = readStrictJsonFile(cacheFile(), 1 << 20);
      } catch (const std::exception&) {
        // none yet, or damaged: start a new one
      }
      if (!j.is_object()) j = nlohmann::json::object();
    }
    std::string key = p.cpu + "|" + std::to_string(p.threads) + "|" + std::to_string(p.bf16Supported);
    j[key] = {{"fp32_gflops", p.fp32Gflops}, {"bf16_gflops", p.bf16Gflops}};
    std::error_code ec;
    fs::create_directories(fs::path(cacheFile()).parent_path(), ec);
    std::string tmp = cacheFile() + ".tmp" + std::to_string(::getpid());
    std::ofstream(tmp) << j.dump(2) << '\n';
    fs::rename(tmp, cacheFile(), ec);
  } catch (...) {
    // A read-only home only costs a re-measurement next time.
  }
}

}  // namespace

std::string precisionName(Precision p) { return p == Precision::Bf16 ? "bf16" : "fp32"; }

void checkPrecisionSetting(const std::string& s) {
  if (s != "auto" && s != "fp32" && s != "bf16")
    throw Error("unknown precision '" + s + "' (expected auto, fp32 or bf16)");
}

Precision PrecisionProbe::best() const {
  return bf16Supported && bf16Gflops >= 1.5 * fp32Gflops ? Precision::Bf16 : Precision::Fp32;
}

const PrecisionProbe& precisionProbe() {
  static std::mutex mutex;
  static PrecisionProbe probe;
  static bool done = false;
  std::lock_guard<std::mutex> lock(mutex);
  if (done) return probe;
  readCpu(probe.cpu, probe.bf16Supported);
  probe.threads = at::get_num_threads();
  const char* fresh = std::getenv("PW_PRECISION_PROBE");
  bool ignoreCache = fresh && std::string(fresh) == "fresh";
  if (ignoreCache || !readCached(probe)) {
    // Without bf16 instructions autocast emulates bf16 (slower than fp32): not worth measuring.
    std::tie(probe.fp32Gflops, probe.bf16Gflops) = gemmGflops(512, probe.bf16Supported);
    writeCached(probe);
  }
  done = true;
  return probe;
}

Precision resolvePrecision(const std::string& setting) {
  checkPrecisionSetting(setting);
  if (setting == "fp32") return Precision::Fp32;
  if (setting == "bf16") return Precision::Bf16;
  return precisionProbe().best();
}

}  // namespace pw
