// RFC 4180 field quoting and row joining (see csv_write.h).
#include "util/csv_write.h"

namespace pw {

namespace {

bool isEdgeSpace(char c) { return c == ' ' || c == '\t'; }

bool needsQuotes(std::string_view text) {
  if (text.find_first_of(",\"\r\n") != std::string_view::npos) return true;
  return !text.empty() && (isEdgeSpace(text.front()) || isEdgeSpace(text.back()));
}

}  // namespace

std::string csvField(std::string_view text, CsvQuote quote) {
  if (quote == CsvQuote::AsNeeded && !needsQuotes(text)) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csvRow(const std::vector<std::string>& fields, CsvQuote quote) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) row += ',';
    row += csvField(fields[i], quote);
  }
  return row;
}

}  // namespace pw
