// The one CSV writer (RFC 4180): every CSV the project writes quotes its fields here, so the CLI's
// compare files, the results export, the window's table export and imported task folders agree.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pw {

enum class CsvQuote {
  AsNeeded,  // only fields that need it (see csvField)
  Always,    // every field (imported task folders: text columns read the same in any spreadsheet)
};

// `text` as one CSV field: quoted (inner quotes doubled) when it holds a comma, a quote, \r or \n, or starts
// or ends with a space or tab (which some readers trim), or always with CsvQuote::Always.
std::string csvField(std::string_view text, CsvQuote quote = CsvQuote::AsNeeded);

// The fields quoted as above and joined by commas, without a line end.
std::string csvRow(const std::vector<std::string>& fields, CsvQuote quote = CsvQuote::AsNeeded);

}  // namespace pw
