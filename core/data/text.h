// Small text helpers for datasets and the corpus: whitespace, normalised match keys, gzip-or-plain files.
// (UTF-8 checks and cleaning: util/utf8.h.)
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pw::data {

// Collapses every run of whitespace to one space and trims both ends.
std::string collapseWhitespace(std::string_view s);

// Key for "same text" checks: ASCII-lowercased, every non-alphanumeric byte a separator,
// words joined by single spaces. Non-ASCII bytes count as letters.
std::string matchKey(std::string_view s);

// Number of whitespace-separated words.
size_t wordCount(std::string_view s);

// Splits on whitespace.
std::vector<std::string> splitWords(std::string_view s);

// Reads a whole file (plain or gzip, detected by zlib). Throws pw::Error naming the file.
std::string readMaybeGzip(const std::string& path);

}  // namespace pw::data
