// Reading user data files: size and UTF-8 checks, CSV / TSV via parseDelimited, JSON Lines via nlohmann.
#include "data/raw_table.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "data/text.h"
#include "util/error.h"
#include "util/strict_json.h"
#include "util/utf8.h"

namespace pw::data {

namespace fs = std::filesystem;

RawTable::RawTable() = default;
RawTable::~RawTable() = default;
RawTable::RawTable(RawTable&&) noexcept = default;

namespace {

constexpr uintmax_t kMaxFileBytes = uintmax_t(2) << 30;  // 2 GiB: beyond this, not a classroom dataset

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string columnList(const std::vector<std::string>& cols) {
  std::string out;
  for (const auto& c : cols) out += (out.empty() ? "'" : ", '") + c + "'";
  return out.empty() ? "none" : out;
}

size_t lineOfOffset(const std::string& s, size_t offset) {
  return 1 + static_cast<size_t>(std::count(s.begin(), s.begin() + static_cast<long>(offset), '\n'));
}

}  // namespace

std::string RawTable::findColumn(const std::string& name) const {
  for (const auto& c : columns)
    if (lower(c) == lower(name)) return c;
  return "";
}

std::string RawTable::resolveColumn(const std::string& requested, const std::vector<std::string>& candidates,
                                    const std::string& role, const std::string& option) const {
  // Column problems point at the header line (CSV / TSV) or the first object (JSON Lines).
  std::string where = path + ":" + std::to_string(objects_ ? lines_.front() : 1);
  std::vector<std::string> found;
  if (!requested.empty()) {
    for (const auto& c : columns)
      if (c == requested) found.push_back(c);
    if (found.empty())
      for (const auto& c : columns)
        if (lower(c) == lower(requested)) found.push_back(c);
    if (found.empty())
      throw fileError(where, "no column named '" + requested + "' (columns: " + columnList(columns) + ")");
  } else {
    for (const auto& c : columns)
      if (std::find(candidates.begin(), candidates.end(), lower(c)) != candidates.end()) found.push_back(c);
    std::string expected;
    for (const auto& c : candidates) expected += (expected.empty() ? "'" : " or '") + c + "'";
    if (found.empty())
      throw fileError(where, "no " + role + " column (expected " + expected + "; columns: " + columnList(columns) +
                                "); name it with " + option);
  }
  if (found.size() > 1)
    throw fileError(where, "ambiguous " + role + " column: " + columnList(found) + " all match; choose one with " +
                              option + (found[0] == found[1] ? " or rename the duplicate column" : ""));
  return found[0];
}

std::string RawTable::cell(size_t row, const std::string& column) const {
  if (!objects_) {
    size_t c = std::find(columns.begin(), columns.end(), column) - columns.begin();
    return table_.rows[row][c];
  }
  const nlohmann::json& o = (*objects_)[row];
  std::string where = path + ":" + std::to_string(lines_[row]);
  auto it = o.find(column);
  if (it == o.end()) throw fileError(where, "this object has no \"" + column + "\" field");
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_number_float()) {
    // A whole number written as a float (1.0) is that integer; the range is checked before converting (1e104
    // cast to long long is undefined behaviour, found by the fuzzer).
    const double v = it->get<double>();
    if (std::isfinite(v) && std::fabs(v) < 9.0e15 && v == std::trunc(v)) return std::to_string(static_cast<long long>(v));
  }
  if (it->is_null()) return "";
  throw fileError(where, "field \"" + column + "\" must be a string or an integer, not " +
                             std::string(it->type_name()));
}

RawTable readRawTable(const std::string& path) {
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  if (ec) throw fileError(path, "cannot read (" + ec.message() + ")");
  if (size > kMaxFileBytes) throw fileError(path, "file too large (over 2 GiB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open for reading");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  if (content.rfind("\xEF\xBB\xBF", 0) == 0) content.erase(0, 3);  // UTF-8 byte-order mark
  if (collapseWhitespace(content).empty()) throw fileError(path, "the file is empty");
  if (size_t bad = findInvalidUtf8(content); bad != std::string::npos) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(content[bad]));
    throw fileError(path + ":" + std::to_string(lineOfOffset(content, bad)),
                    std::string("invalid UTF-8 (byte ") + hex + "); save the file as UTF-8");
  }
  // One rule for every text file the project reads (vocab.txt too): a NUL byte means binary data.
  if (size_t nul = content.find('\0'); nul != std::string::npos)
    throw fileError(path + ":" + std::to_string(lineOfOffset(content, nul)),
                    "binary data (NUL byte at offset " + std::to_string(nul) + "), expected UTF-8 text");
  RawTable t;
  t.path = path;
  std::string ext = lower(fs::path(path).extension().string());
  if (ext == ".csv" || ext == ".tsv") {
    t.table_ = parseDelimited(path, content, ext == ".csv" ? ',' : '\t');
    t.columns = t.table_.header;
    t.lines_ = t.table_.rowLines;
    if (t.lines_.empty()) throw fileError(path, "only a header line, no data rows");
    return t;
  }
  // JSON Lines: one object per line; the columns are every key seen (sorted, as nlohmann::json keeps them).
  t.objects_ = std::make_unique<std::vector<nlohmann::json>>();
  size_t pos = 0, lineNo = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    std::string line = content.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? content.size() : nl + 1;
    ++lineNo;
    if (collapseWhitespace(line).empty()) continue;
    std::string where = path + ":" + std::to_string(lineNo);
    const bool array = lineNo == 1 && collapseWhitespace(line)[0] == '[';
    nlohmann::json j;
    try {
      j = parseStrictJson(line, where);  // its message names the line and the problem
    } catch (const Error& e) {
      if (!array) throw;
      throw Error(std::string(e.what()) + " (a JSON array? write one object per line)");
    }
    if (j.is_array()) throw fileError(where, "a JSON array; write one object per line (JSON Lines)");
    if (!j.is_object()) throw fileError(where, "expected a JSON object like {\"text\": ..., \"label\": ...}");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::find(t.columns.begin(), t.columns.end(), it.key()) == t.columns.end()) t.columns.push_back(it.key());
    t.objects_->push_back(std::move(j));
    t.lines_.push_back(lineNo);
  }
  return t;
}

}  // namespace pw::data
