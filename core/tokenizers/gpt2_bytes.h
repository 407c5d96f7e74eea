// GPT-2's byte-level pieces: the byte <-> printable code point map and the regex pre-split.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pw::tok {

// Bytes 33-126, 161-172 and 174-255 map to themselves; the other 68 to U+0100 upward in byte order.
int32_t byteToCodePoint(uint8_t b);
// The inverse; -1 for code points that are not a byte's image.
int byteFromCodePoint(int32_t cp);
// The bytes in GPT-2's vocabulary order (printable ones first), so id i of a byte vocabulary is byteOrder()[i].
const std::vector<uint8_t>& byteOrder();
// Each byte of `bytes` as its code point, UTF-8 encoded: " world" -> "Ġworld".
std::string bytesToSymbols(const std::string& bytes);

// GPT-2's pattern  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (\s = Unicode White_Space), run with ICU. Appends the pieces of valid UTF-8 `text` to out.
void gpt2PreSplit(const std::string& text, std::vector<std::string>& out);
std::vector<std::string> gpt2PreSplit(const std::string& text);

}  // namespace pw::tok
