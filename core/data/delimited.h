// CSV (RFC 4180: quoted fields, "" escapes, newlines inside quotes) and TSV parsing with the line
// number where each record starts, for error messages that point at the right place.
#pragma once
#include <string>
#include <vector>

namespace pw::data {

struct DelimitedTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> rowLines;  // 1-based line where each row starts
};

// Parses `content` (already checked as UTF-8, BOM removed). `sep` is ',' (strict RFC 4180 quoting)
// or '\t' (quotes honoured only around a whole well-formed field, otherwise literal).
// Throws pw::Error "<path>:<line>: ..." on an unterminated quote, stray text after a closing quote,
// or a row with a different number of fields than the header.
DelimitedTable parseDelimited(const std::string& path, const std::string& content, char sep);

}  // namespace pw::data
