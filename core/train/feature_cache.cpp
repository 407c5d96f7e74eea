// The in-process feature cache (see feature_cache.h).
#include "train/feature_cache.h"

#include <atomic>
#include <filesystem>

#include "util/lru_cache.h"

namespace pw {
namespace {

LruCache<std::string, at::Tensor> cache(8);  // a few models x splits; each entry is (N, hidden) floats
std::atomic<int> hits{0};

// FNV-1a over the token ids: two splits with the same key hold the same texts in the same order.
uint64_t hashIds(const EncodedSplit& split) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](uint64_t v) {
    h ^= v;
    h *= 1099511628211ULL;
  };
  for (const auto& row : split.ids) {
    mix(row.size());
    for (int64_t id : row) mix(uint64_t(id));
  }
  return h;
}

}  // namespace

std::string featureKey(const std::string& modelKey, const EncodedSplit& split) {
  return modelKey + "|n=" + std::to_string(split.size()) + "|ids=" + std::to_string(hashIds(split));
}

std::string modelFeatureKey(const std::string& folder, bool randomInit, uint64_t seed, const std::string& pooling,
                            int maxLength) {
  namespace fs = std::filesystem;
  std::string key = fs::absolute(folder).lexically_normal().string() + "|" + pooling + "|" + std::to_string(maxLength);
  if (randomInit) return key + "|random|" + std::to_string(seed);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".safetensors") == std::string::npos && name != "config.json") continue;
    key += "|" + name + ":" + std::to_string(entry.file_size(ec)) + ":" +
           std::to_string(entry.last_write_time(ec).time_since_epoch().count());
  }
  return key;
}

at::Tensor cachedFeatures(const std::string& key, const std::function<at::Tensor()>& compute) {
  if (std::optional<at::Tensor> hit = cache.get(key)) {
    ++hits;
    return *hit;
  }
  at::Tensor t = compute();  // outside any lock: a feature pass takes seconds
  if (t.defined()) cache.put(key, t);
  return t;
}

void clearFeatureCache() { cache.clear(); }

int featureCacheHits() { return hits; }

}  // namespace pw
