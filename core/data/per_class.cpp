// Per-class selection (see per_class.h).
#include "data/per_class.h"

#include <algorithm>

#include "data/rng.h"

namespace pw::data {

std::vector<bool> pickPerClass(const std::vector<Example>& split, int classes,
                               const std::function<size_t(size_t classSize)>& count,
                               const std::function<uint64_t(int label)>& seedOf) {
  std::vector<std::vector<size_t>> byClass(static_cast<size_t>(std::max(classes, 0)));
  for (size_t i = 0; i < split.size(); ++i)
    if (split[i].label >= 0 && split[i].label < classes) byClass[static_cast<size_t>(split[i].label)].push_back(i);
  std::vector<bool> take(split.size(), false);
  for (size_t c = 0; c < byClass.size(); ++c) {
    std::vector<size_t>& idx = byClass[c];
    if (seedOf) deterministicShuffle(idx, seedOf(static_cast<int>(c)));
    const size_t n = std::min(count(idx.size()), idx.size());
    for (size_t k = 0; k < n; ++k) take[idx[k]] = true;
  }
  return take;
}

}  // namespace pw::data
