// Strict JSON parsing: UTF-8 validation plus duplicate-key detection through nlohmann's parse callback.
#include "util/strict_json.h"

#include "util/error.h"
#include "util/utf8.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace pw {

nlohmann::json parseStrictJson(const std::string& text, const std::string& name, int maxDepth) {
  using json = nlohmann::json;
  if (!isValidUtf8(text)) throw fileError(name, "JSON is not valid UTF-8");
  // nlohmann stops at a NUL byte as if the input ended there, which would hide what follows.
  if (text.find('\0') != std::string::npos) throw fileError(name, "not valid JSON: contains a NUL byte");

  // One key set per open object; the innermost open object is on top.
  std::vector<std::set<std::string>> openKeys;
  std::string duplicate;
  bool haveDuplicate = false;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > maxDepth)
      throw fileError(name, "JSON is nested more than " + std::to_string(maxDepth) + " levels deep");
    switch (event) {
      case json::parse_event_t::object_start:
        openKeys.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!openKeys.empty()) openKeys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!openKeys.empty() && parsed.is_string() &&
            !openKeys.back().insert(parsed.get<std::string>()).second && !haveDuplicate) {
          haveDuplicate = true;
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };

  json result;
  try {
    result = json::parse(text, callback);
  } catch (const json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, ...": keep the words, drop the library's tag.
    std::string why = e.what();
    if (why.rfind("[json.", 0) == 0 && why.find("] ") != std::string::npos) why = why.substr(why.find("] ") + 2);
    throw fileError(name, "not valid JSON: " + why);
  }
  if (haveDuplicate) throw fileError(name, "duplicate key \"" + duplicate + "\" in JSON");
  return result;
}

nlohmann::json readStrictJsonFile(const std::string& path, size_t maxBytes, int maxDepth) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw fileError(path, "cannot open: no such file");
  if (!fs::is_regular_file(st)) throw fileError(path, "not a regular file (a directory, FIFO or device)");
  const auto size = fs::file_size(path, ec);
  if (ec) throw fileError(path, "cannot read its size");
  if (size > maxBytes)
    throw fileError(path, "too large for a JSON file here (" + std::to_string(size) + " bytes, at most " +
                              std::to_string(maxBytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw fileError(path, "read failed");
  return parseStrictJson(text.str(), path, maxDepth);
}

}  // namespace pw
