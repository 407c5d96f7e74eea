// The "dictionary-fields" task through the built-in tasks' shared cache (data/task_cache.h): rebuilt when the
// builder version or a source file changed.
#include "data/dictionary_fields.h"
#include "data/task_cache.h"

namespace pw::data {

namespace {

std::vector<std::string> sourceFiles(const DictionaryFieldsSources& s) {
  return {s.gcideDict,          s.gcideIndex,        s.wordnetDir + "/data.noun",
          s.wordnetDir + "/data.verb", s.wordnetDir + "/data.adj", s.wordnetDir + "/data.adv"};
}

}  // namespace

std::string dictionaryFieldsCacheDir() { return builtinTaskCacheDir(kDictionaryFieldsName); }

Task loadDictionaryFields(bool useCache) {
  DictionaryFieldsSources sources;
  if (!useCache) return buildDictionaryFields(sources);
  const std::string dir = dictionaryFieldsCacheDir();
  Task t;
  if (readTaskCache(dir, kDictionaryFieldsName, kDictionaryFieldsVersion, sourceFiles(sources), t)) return t;
  t = buildDictionaryFields(sources);
  writeTaskCache(dir, kDictionaryFieldsVersion, sourceFiles(sources), t);
  return t;
}

}  // namespace pw::data
