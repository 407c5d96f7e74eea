// The Hub cache layout (see hub_cache.h).
#include "hub/hub_cache.h"
#include "hub/hub_answers.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace pw::hub {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string hfHome() {
  if (std::string h = env("HF_HOME"); !h.empty()) return h;
  if (std::string x = env("XDG_CACHE_HOME"); !x.empty()) return x + "/huggingface";
  return env("HOME") + "/.cache/huggingface";
}

bool isNamePart(const std::string& s) {
  if (s.empty() || s.size() > 96) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  if (s.find("..") != std::string::npos || s.find("--") != std::string::npos) return false;
  return s.front() != '-' && s.front() != '.' && s.back() != '-' && s.back() != '.';
}

bool isModelFolder(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p / "config.json", ec) || fs::is_regular_file(p / "adapter_config.json", ec);
}

}  // namespace

bool isRepoId(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return isNamePart(s);
  return s.find('/', slash + 1) == std::string::npos && isNamePart(s.substr(0, slash)) &&
         isNamePart(s.substr(slash + 1));
}

std::string cacheDir() {
  if (std::string c = env("HF_HUB_CACHE"); !c.empty()) return c;
  return hfHome() + "/hub";
}

std::string endpoint() {
  std::string e = env("HF_ENDPOINT");
  if (e.empty()) e = "https://huggingface.co";
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

std::string token() {
  if (std::string t = env("HF_TOKEN"); !t.empty()) return t;
  std::string path = env("HF_TOKEN_PATH");
  if (path.empty()) path = hfHome() + "/token";
  std::ifstream in(path);
  std::string line;
  if (in && std::getline(in, line)) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    return line;
  }
  return "";
}

bool offline() {
  const std::string v = lowerAscii(env("HF_HUB_OFFLINE"));
  return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::string repoFolderName(const std::string& repoId) {
  std::string name = "models--" + repoId;
  const auto slash = name.find('/');
  if (slash != std::string::npos) name.replace(slash, 1, "--");
  return name;
}

std::optional<std::string> cachedSnapshot(const std::string& repoId, const std::string& revision,
                                          const std::string& cache) {
  if (!isRepoId(repoId) || revision.empty() || revision.find("..") != std::string::npos) return std::nullopt;
  const fs::path repo = fs::path(cache) / repoFolderName(repoId);
  std::string commit = revision;
  if (!isHexDigits(revision, 40)) {
    std::ifstream ref(repo / "refs" / revision);
    if (!ref || !std::getline(ref, commit)) return std::nullopt;
    while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
    if (!isHexDigits(commit, 40)) return std::nullopt;
  }
  const fs::path snapshot = repo / "snapshots" / commit;
  if (!isModelFolder(snapshot)) return std::nullopt;
  return snapshot.string();
}

std::vector<std::string> cachedRepos(const std::string& cache) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("models--", 0) != 0) continue;
    std::string id = name.substr(8);
    const auto sep = id.find("--");
    if (sep != std::string::npos) id.replace(sep, 2, "/");
    if (cachedSnapshot(id, "main", cache)) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace pw::hub
