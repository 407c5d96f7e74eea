// Task loading (built-in name or user data), the quick subset, and split helpers.
#include "data/task.h"

#include <algorithm>
#include <filesystem>

#include "data/dataset_import.h"
#include "data/dictionary_fields.h"
#include "data/per_class.h"
#include "data/wordnet_subgroups.h"
#include "util/error.h"

namespace pw::data {

std::vector<std::string> builtinTaskNames() { return {kDictionaryFieldsName, kWordNetSubgroupsName}; }

Task loadTask(const std::string& nameOrFolder, const TaskOptions& options) {
  if (nameOrFolder == kDictionaryFieldsName) return loadDictionaryFields(options.useCache);
  if (nameOrFolder == kWordNetSubgroupsName) return loadWordNetSubgroups(options.useCache);
  std::error_code ec;
  if (!std::filesystem::exists(nameOrFolder, ec)) {
    std::string names;
    for (const auto& n : builtinTaskNames()) names += (names.empty() ? "" : ", ") + n;
    throw Error("unknown task '" + nameOrFolder + "': not a built-in task (" + names +
                ") and no such file or folder");
  }
  return importDataset(nameOrFolder, options);
}

namespace {

std::vector<Example> marked(const std::vector<Example>& split, const std::vector<bool>& take) {
  std::vector<Example> out;
  for (size_t i = 0; i < split.size(); ++i)
    if (take[i]) out.push_back(split[i]);
  return out;
}

}  // namespace

std::vector<Example> firstPerClass(const std::vector<Example>& split, int classes, int perClass) {
  if (perClass <= 0) return split;
  return marked(split, pickPerClass(split, classes, [&](size_t) { return size_t(perClass); }));
}

std::vector<Example> samplePerClass(const std::vector<Example>& split, int classes, int perClass, uint64_t seed) {
  if (perClass <= 0) return split;
  return marked(split, pickPerClass(split, classes, [&](size_t) { return size_t(perClass); },
                                    [&](int c) { return seed * 0x9E3779B97F4A7C15ull + uint64_t(c); }));
}

Task quickSubset(const Task& task, int perClass) {
  Task t = task;
  t.train = firstPerClass(task.train, task.numClasses(), std::max(perClass, 0));
  if (perClass <= 0) t.train.clear();
  return t;
}

std::vector<OodSet> Task::oodSets() const {
  std::vector<OodSet> sets;
  if (!ood.empty()) sets.push_back({oodName, ood});
  for (const OodSet& s : moreOod)
    if (!s.examples.empty()) sets.push_back(s);
  return sets;
}

std::vector<std::string> splitNames() { return {"train", "validation", "test", "ood"}; }

const std::vector<Example>& splitByName(const Task& task, const std::string& split) {
  if (split == "train") return task.train;
  if (split == "validation") return task.validation;
  if (split == "test") return task.test;
  if (split == "ood") return task.ood;
  throw Error("unknown split '" + split + "' (expected train, validation, test or ood)");
}

std::vector<int> classCounts(const Task& task, const std::vector<Example>& split) {
  std::vector<int> counts(task.classes.size(), 0);
  for (const Example& e : split)
    if (e.label >= 0 && e.label < static_cast<int>(counts.size())) ++counts[e.label];
  return counts;
}

}  // namespace pw::data
