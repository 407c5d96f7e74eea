// A classification task: named classes and labelled texts in train / validation / ID test / OOD test.
// Loaded from a built-in name ("dictionary-fields") or from a user's CSV / TSV / JSON Lines data.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pw::data {

struct Example {
  std::string text;
  int label = 0;  // index into Task::classes
};

// One named out-of-distribution test set ("other source", "other subgroups", ...).
struct OodSet {
  std::string name;
  std::vector<Example> examples;
};

struct Task {
  std::string name;
  std::string source;  // where it came from: a folder, a file, or "built-in"
  std::vector<std::string> classes;
  std::vector<Example> train, validation, test /* ID test */, ood /* the first OOD test set, may be empty */;
  std::string oodName = "OOD";      // what the first OOD set is called in tables and charts
  std::vector<OodSet> moreOod;      // further named OOD sets (shown beside the first)
  std::vector<std::string> notes;   // what the loader did for the user, e.g. "validation carved from train"

  bool hasOod() const { return !ood.empty(); }
  // Every OOD set, the first one (name oodName) first; empty sets left out.
  std::vector<OodSet> oodSets() const;
  int numClasses() const { return static_cast<int>(classes.size()); }
};

struct TaskOptions {
  std::string textColumn;   // empty: auto-detect (text / sentence)
  std::string labelColumn;  // empty: auto-detect (label / target)
  uint64_t seed = 1234;     // for carving a validation split from train when none is given
  bool useCache = true;     // built-in tasks: read/write the cached splits
};

// Names of the built-in tasks.
std::vector<std::string> builtinTaskNames();

// A built-in name or a folder / file of user data. Throws pw::Error on anything wrong; nothing half-loaded.
Task loadTask(const std::string& nameOrFolder, const TaskOptions& options = {});

// The first `perClass` examples of each class of `split`, in order (perClass <= 0: the whole split).
std::vector<Example> firstPerClass(const std::vector<Example>& split, int classes, int perClass);

// `perClass` examples of each class drawn at random with `seed` (SplitMix64), kept in the split's order
// (perClass <= 0, or a class with fewer: all of it).
std::vector<Example> samplePerClass(const std::vector<Example>& split, int classes, int perClass, uint64_t seed);

// The same task with a fixed smaller training split: the first `perClass` training examples of each
// class, in the training split's order. Other splits unchanged.
Task quickSubset(const Task& task, int perClass);

// Split accessors by name: "train", "validation", "test", "ood".
const std::vector<Example>& splitByName(const Task& task, const std::string& split);
std::vector<std::string> splitNames();

// Per-class counts of one split.
std::vector<int> classCounts(const Task& task, const std::vector<Example>& split);

}  // namespace pw::data
