// Shipped-model lookup (see model_paths.h).
#include "models/model_paths.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "hub/hub_cache.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace pw {
namespace {

std::string exeDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  buf[n] = 0;
  return fs::path(buf).parent_path().string();
}

}  // namespace

std::vector<std::string> modelSearchPath() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("PW_MODELS_DIR")) dirs.push_back(env);
  std::string exe = exeDir();
  if (!exe.empty()) {
    dirs.push_back(exe + "/../share/peft-workbench/models");
    dirs.push_back(exe + "/../../resources/models");
  }
  dirs.push_back(std::string(PW_RESOURCE_DIR) + "/models");
  return dirs;
}

std::vector<std::string> shippedModelNames() {
  std::vector<std::string> names;
  for (const auto& dir : modelSearchPath()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (!fs::exists(entry.path() / "config.json")) continue;
      std::string n = entry.path().filename().string();
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string resolveModelFolder(const std::string& nameOrPath) {
  std::error_code ec;
  if (fs::is_directory(nameOrPath, ec)) return nameOrPath;
  if (nameOrPath.find('/') == std::string::npos) {
    for (const auto& dir : modelSearchPath()) {
      fs::path p = fs::path(dir) / nameOrPath;
      if (fs::is_directory(p, ec) && fs::exists(p / "config.json", ec)) return fs::weakly_canonical(p).string();
    }
  }
  // ORG/NAME (or a bare NAME) already in the Hugging Face cache: loads offline, as transformers would.
  if (hub::isRepoId(nameOrPath))
    if (auto snapshot = hub::cachedSnapshot(nameOrPath)) return *snapshot;
  std::string known;
  for (const auto& n : shippedModelNames()) known += (known.empty() ? "" : ", ") + n;
  throw Error("no model folder or shipped model named \"" + nameOrPath + "\"" +
              (known.empty() ? std::string() : " (shipped models: " + known + ")") +
              (hub::isRepoId(nameOrPath) && nameOrPath.find('/') != std::string::npos
                   ? "; not in the Hugging Face cache " + hub::cacheDir() + " either: `peft-workbench-cli download " +
                         nameOrPath + "` fetches it"
                   : std::string()));
}

}  // namespace pw
