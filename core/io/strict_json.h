// Strict JSON parsing for untrusted files: UTF-8 checked, duplicate object keys rejected
// (nlohmann::json alone silently keeps one of them).
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace pw::io {

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool isValidUtf8(const std::string& bytes);

// Parses `text` as JSON. Throws pw::Error naming `name` when it is not UTF-8, not JSON, or when any
// object holds the same key twice, or nesting is deeper than `maxDepth` (bounds memory on hostile input).
nlohmann::json parseStrictJson(const std::string& text, const std::string& name, int maxDepth = 64);

}  // namespace pw::io
