// The built-in task "dictionary-fields": which subject field is a definition from? ID = Webster's 1913
// (GCIDE) labelled by its subject tags; OOD = WordNet 3.0 glosses labelled by WordNet's own structure.
#pragma once
#include <string>

#include "data/task.h"

namespace pw::data {

inline const char* kDictionaryFieldsName = "dictionary-fields";
// Bump when the builder changes: cached splits with another version are rebuilt.
inline const int kDictionaryFieldsVersion = 4;  // 4: the shared task cache, the OOD set named

struct DictionaryFieldsSources {
  std::string gcideDict = "/usr/share/dictd/gcide.dict.dz";
  std::string gcideIndex = "/usr/share/dictd/gcide.index";
  std::string wordnetDir = "/usr/share/wordnet";
};

// Builds the task from the installed packages (no cache). Deterministic.
Task buildDictionaryFields(const DictionaryFieldsSources& sources = {});

// The cached task (built and cached on first use; rebuilt when the cache is stale or unreadable).
Task loadDictionaryFields(bool useCache = true);

// Where the cached splits live: $XDG_CACHE_HOME or ~/.cache, then peft-workbench/tasks/dictionary-fields.
std::string dictionaryFieldsCacheDir();

}  // namespace pw::data
