// Small text helpers for datasets and the corpus: whitespace, UTF-8 checks, normalised match keys.
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

// Byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
size_t findInvalidUtf8(std::string_view s);

// Drops invalid UTF-8 bytes (for trusted-but-old package text, never for user data).
std::string sanitizeUtf8(std::string_view s);

// Reads a whole file (plain or gzip, detected by zlib). Throws pw::Error naming the file.
std::string readMaybeGzip(const std::string& path);

}  // namespace pw::data
