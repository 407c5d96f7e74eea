// Strict JSON parsing for untrusted files: UTF-8 checked, duplicate object keys rejected (nlohmann::json
// alone silently keeps one of them), nesting and size bounded, nothing after the value. Every JSON file the
// project reads goes through here (config.json, tokenizer files, adapter configs and metadata, sessions,
// caches), so a hostile file fails with its name instead of crashing a reader.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace pw {

// Parses `text` as JSON. Throws pw::Error naming `name` when it is not UTF-8, not JSON, or when any
// object holds the same key twice, or nesting is deeper than `maxDepth` (bounds memory on hostile input).
nlohmann::json parseStrictJson(const std::string& text, const std::string& name, int maxDepth = 64);

// Reads the file at `path` and parses it as above. Throws pw::Error naming the path when it cannot be opened,
// is not a regular file (a FIFO would block forever), or is larger than `maxBytes`.
constexpr size_t kMaxJsonFileBytes = size_t(256) << 20;  // tokenizer.json files run to tens of MB
nlohmann::json readStrictJsonFile(const std::string& path, size_t maxBytes = kMaxJsonFileBytes, int maxDepth = 64);

}  // namespace pw
