// The one "N of each class" selection, under the quick preset's subsets (the first N per class, or N drawn
// with a seed) and the validation / test splits the importer carves from train.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "data/task.h"

namespace pw::data {

// Marks (a flag per example of `split`), for each class c in [0, classes), the first count(n_c) of its n_c
// examples: in the split's order, or in an order shuffled with seedOf(c) when seedOf is given. Examples
// with a label outside [0, classes) are never marked.
std::vector<bool> pickPerClass(const std::vector<Example>& split, int classes,
                               const std::function<size_t(size_t classSize)>& count,
                               const std::function<uint64_t(int label)>& seedOf = nullptr);

}  // namespace pw::data
