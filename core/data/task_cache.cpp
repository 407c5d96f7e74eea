// Built-in task cache: train/validation/test/ood.jsonl, ood_1.jsonl ... for the further OOD sets, and
// meta.json (version, source stamps, classes, set names, counts, notes) written last.
#include "data/task_cache.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>
#include <unistd.h>

#include "util/strict_json.h"

namespace pw::data {

namespace fs = std::filesystem;

namespace {

nlohmann::json sourceStamps(const std::vector<std::string>& files) {
  nlohmann::json j = nlohmann::json::object();
  for (const std::string& p : files) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec) continue;
    auto time = fs::last_write_time(p, ec).time_since_epoch().count();
    j[p] = {{"size", size}, {"mtime", static_cast<long long>(time)}};
  }
  return j;
}

// (file stem, split) pairs in the order written: the four splits, then one file per further OOD set.
std::vector<std::pair<std::string, std::vector<Example>*>> files(Task& t) {
  std::vector<std::pair<std::string, std::vector<Example>*>> out = {
      {"train", &t.train}, {"validation", &t.validation}, {"test", &t.test}, {"ood", &t.ood}};
  for (size_t i = 0; i < t.moreOod.size(); ++i) out.push_back({"ood_" + std::to_string(i + 1), &t.moreOod[i].examples});
  return out;
}

}  // namespace

std::string builtinTaskCacheDir(const std::string& task) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".cache";
  return (base / "peft-workbench" / "tasks" / task).string();
}

bool readTaskCache(const std::string& dirName, const std::string& name, int version,
                   const std::vector<std::string>& sourceFiles, Task& out) {
  fs::path dir = dirName;
  try {
    std::error_code ec;
    if (!fs::exists(dir / "meta.json", ec)) return false;
    const nlohmann::json meta = readStrictJsonFile((dir / "meta.json").string());
    if (meta.value("task", std::string()) != name || meta.value("version", -1) != version ||
        meta.value("sources", nlohmann::json()) != sourceStamps(sourceFiles))
      return false;
    Task t;
    t.name = name;
    t.source = meta.at("source").get<std::string>() + ", cached in " + dir.string();
    t.classes = meta.at("classes").get<std::vector<std::string>>();
    t.oodName = meta.at("ood_name").get<std::string>();
    for (const auto& n : meta.at("more_ood")) t.moreOod.push_back({n.get<std::string>(), {}});
    t.notes = meta.at("notes").get<std::vector<std::string>>();
    std::map<std::string, int> index;
    for (size_t i = 0; i < t.classes.size(); ++i) index[t.classes[i]] = static_cast<int>(i);
    for (auto& [stem, split] : files(t)) {
      std::ifstream in(dir / (stem + ".jsonl"));
      if (!in) return false;
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        const nlohmann::json j = parseStrictJson(line, (dir / (stem + ".jsonl")).string());
        auto it = index.find(j.at("label").get<std::string>());
        if (it == index.end()) return false;
        split->push_back({j.at("text").get<std::string>(), it->second});
      }
      if (static_cast<long long>(split->size()) != meta.at("counts").at(stem).get<long long>()) return false;
    }
    out = std::move(t);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void writeTaskCache(const std::string& dirName, int version, const std::vector<std::string>& sourceFiles,
                    const Task& task) {
  fs::path dir = dirName;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;  // a read-only home is fine: the task just is not cached
  // Unique per process and thread: runs side by side may build the same cache at once.
  std::string tmpSuffix = ".tmp" + std::to_string(::getpid()) + "-" +
                          std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  fs::remove(dir / "meta.json", ec);
  Task copy = task;
  nlohmann::json counts = nlohmann::json::object();
  nlohmann::json moreOod = nlohmann::json::array();
  for (const OodSet& s : task.moreOod) moreOod.push_back(s.name);
  for (auto& [stem, split] : files(copy)) {
    fs::path tmp = dir / (stem + ".jsonl" + tmpSuffix);
    std::ofstream out(tmp, std::ios::binary);
    for (const Example& e : *split)
      out << nlohmann::json{{"text", e.text}, {"label", task.classes[e.label]}}.dump() << "\n";
    out.close();
    if (!out) return;
    fs::rename(tmp, dir / (stem + ".jsonl"), ec);
    if (ec) return;
    counts[stem] = split->size();
  }
  nlohmann::json meta = {{"task", task.name},       {"version", version},      {"source", task.source},
                         {"classes", task.classes}, {"ood_name", task.oodName}, {"more_ood", moreOod},
                         {"notes", task.notes},     {"sources", sourceStamps(sourceFiles)}, {"counts", counts}};
  fs::path tmp = dir / ("meta.json" + tmpSuffix);
  {
    std::ofstream out(tmp);
    out << meta.dump(2) << "\n";
    if (!out) return;
  }
  fs::rename(tmp, dir / "meta.json", ec);
}

}  // namespace pw::data
