// Core facts behind a torch-free header (see core_facts.h). Core headers before Qt's.
#include "methods/catalog.h"
#include "models/model_paths.h"

#include "core_facts.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace pw::ui {

QString methodHelpParagraph(const QString& method) { return QString::fromStdString(methodHelp(method.toStdString())); }

ModelConfig modelConfigOf(const QString& source) {
  const std::string path = resolveModelFolder(source.toStdString()) + "/config.json";
  std::error_code ec;
  const auto modified = std::filesystem::last_write_time(path, ec);
  // Read once per file version: the budget asks on every knob change, the architecture view on every redraw.
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::filesystem::file_time_type, ModelConfig>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(path);
    if (!ec && it != cache.end() && it->second.first == modified) return it->second.second;
  }
  ModelConfig config = readConfigFile(path);
  if (!ec) {
    std::lock_guard<std::mutex> lock(mutex);
    cache[path] = {modified, config};
  }
  return config;
}

}  // namespace pw::ui
