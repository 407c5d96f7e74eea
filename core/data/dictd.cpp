// dictd databases: the index lists "headword TAB offset TAB length" (base64 numbers) into the
// dictzip (= gzip) data file; entries are the distinct (offset, length) ranges.
#include "data/dictd.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "data/text.h"
#include "util/error.h"

namespace pw::data {

void requirePackageFile(const std::string& path, const std::string& package) {
  if (std::filesystem::exists(path)) return;
  if (package.empty()) throw fileError(path, "not found");
  throw fileError(path, "not found; it comes from the Debian package '" + package +
                            "' (install it with: sudo apt-get install " + package + ")");
}

namespace {

// dictd's base64 number encoding; returns false on a bad digit.
bool decodeB64(const std::string& s, uint64_t& out) {
  static const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out = 0;
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    size_t d = digits.find(c);
    if (d == std::string::npos) return false;
    out = out * 64 + d;
  }
  return true;
}

}  // namespace

std::vector<DictdEntry> readDictd(const std::string& dictPath, const std::string& indexPath,
                                  const std::string& package) {
  requirePackageFile(indexPath, package);
  requirePackageFile(dictPath, package);
  std::string data = readMaybeGzip(dictPath);
  std::ifstream in(indexPath, std::ios::binary);
  if (!in) throw fileError(indexPath, "cannot open for reading");
  std::map<std::pair<uint64_t, uint64_t>, std::string> ranges;  // (offset, length) -> headword
  std::string line;
  size_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    size_t t3 = line.find('\t', t2 + 1);
    std::string head = line.substr(0, t1);
    uint64_t off, len;
    if (!decodeB64(line.substr(t1 + 1, t2 - t1 - 1), off) ||
        !decodeB64(line.substr(t2 + 1, t3 == std::string::npos ? std::string::npos : t3 - t2 - 1), len))
      throw fileError(indexPath + ":" + std::to_string(lineNo), "malformed dictd index line");
    if (head.rfind("00-database", 0) == 0 || head.rfind("00database", 0) == 0) continue;
    if (off > data.size() || len > data.size() - off) continue;  // stale index: skip, never read past
    ranges.emplace(std::make_pair(off, len), head);
  }
  std::vector<DictdEntry> entries;
  entries.reserve(ranges.size());
  for (const auto& [range, head] : ranges)
    entries.push_back({head, data.substr(range.first, range.second)});
  return entries;
}

}  // namespace pw::data
