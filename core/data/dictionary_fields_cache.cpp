// Cache of the built "dictionary-fields" splits: one JSON Lines file per split plus meta.json holding the
// builder version and the source files' sizes and times; anything stale or unreadable is rebuilt.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "data/dictionary_fields.h"
#include "util/error.h"

namespace pw::data {

namespace fs = std::filesystem;

namespace {

nlohmann::json sourceStamps(const DictionaryFieldsSources& s) {
  nlohmann::json j = nlohmann::json::object();
  for (const std::string& p : {s.gcideDict, s.gcideIndex, s.wordnetDir + "/data.noun", s.wordnetDir + "/data.verb",
                               s.wordnetDir + "/data.adj", s.wordnetDir + "/data.adv"}) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec) continue;
    auto time = fs::last_write_time(p, ec).time_since_epoch().count();
    j[p] = {{"size", size}, {"mtime", static_cast<long long>(time)}};
  }
  return j;
}

std::vector<Example>* splitOf(Task& t, const std::string& name) {
  if (name == "train") return &t.train;
  if (name == "validation") return &t.validation;
  if (name == "test") return &t.test;
  return &t.ood;
}

const char* kSplits[] = {"train", "validation", "test", "ood"};

// Reads the cache; returns false (and the caller rebuilds) on any mismatch.
bool readCache(const fs::path& dir, const nlohmann::json& stamps, Task& out) {
  try {
    std::ifstream metaIn(dir / "meta.json");
    if (!metaIn) return false;
    nlohmann::json meta = nlohmann::json::parse(metaIn);
    if (meta.value("version", -1) != kDictionaryFieldsVersion || meta.value("sources", nlohmann::json()) != stamps)
      return false;
    Task t;
    t.name = kDictionaryFieldsName;
    t.source = "built-in (dict-gcide, wordnet-base), cached in " + dir.string();
    t.classes = meta.at("classes").get<std::vector<std::string>>();
    std::map<std::string, int> index;
    for (size_t i = 0; i < t.classes.size(); ++i) index[t.classes[i]] = static_cast<int>(i);
    for (const char* split : kSplits) {
      std::ifstream in(dir / (std::string(split) + ".jsonl"));
      if (!in) return false;
      std::vector<Example>* v = splitOf(t, split);
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        nlohmann::json j = nlohmann::json::parse(line);
        auto it = index.find(j.at("label").get<std::string>());
        if (it == index.end()) return false;
        v->push_back({j.at("text").get<std::string>(), it->second});
      }
      if (static_cast<long long>(v->size()) != meta.at("counts").at(split).get<long long>()) return false;
    }
    out = std::move(t);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Writes each file under a temporary name and renames it; meta.json goes last, so a cache
// interrupted half-way has no matching meta.json and is rebuilt.
void writeCache(const fs::path& dir, const nlohmann::json& stamps, const Task& t) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;  // a read-only home is fine: the task just is not cached
  std::string tmpSuffix = ".tmp" + std::to_string(::getpid());
  fs::remove(dir / "meta.json", ec);
  nlohmann::json counts;
  for (const char* split : kSplits) {
    fs::path tmp = dir / (std::string(split) + ".jsonl" + tmpSuffix);
    std::ofstream out(tmp, std::ios::binary);
    const std::vector<Example>* v = &splitByName(t, split);
    for (const Example& e : *v)
      out << nlohmann::json{{"text", e.text}, {"label", t.classes[e.label]}}.dump() << "\n";
    out.close();
    if (!out) return;
    fs::rename(tmp, dir / (std::string(split) + ".jsonl"), ec);
    if (ec) return;
    counts[split] = v->size();
  }
  nlohmann::json meta = {{"task", kDictionaryFieldsName}, {"version", kDictionaryFieldsVersion},
                         {"classes", t.classes},         {"sources", stamps},
                         {"counts", counts}};
  fs::path tmp = dir / ("meta.json" + tmpSuffix);
  {
    std::ofstream out(tmp);
    out << meta.dump(2) << "\n";
  }
  fs::rename(tmp, dir / "meta.json", ec);
}

}  // namespace

std::string dictionaryFieldsCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".cache";
  return (base / "peft-workbench" / "tasks" / kDictionaryFieldsName).string();
}

Task loadDictionaryFields(bool useCache) {
  DictionaryFieldsSources sources;
  Task t;
  fs::path dir = dictionaryFieldsCacheDir();
  nlohmann::json stamps = sourceStamps(sources);
  if (!useCache || !readCache(dir, stamps, t)) {
    t = buildDictionaryFields(sources);
    if (useCache) writeCache(dir, stamps, t);
  }
  t.oodName = "other source";  // WordNet glosses, where ID is Webster's 1913
  return t;
}

}  // namespace pw::data
