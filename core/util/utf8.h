// The one UTF-8 decoder and what is built on it: validation, and the two ways of cleaning text that is not
// valid UTF-8 (replace each bad sequence with U+FFFD, or drop it). Well-formed means Unicode's Table 3-7:
// no overlong forms, no surrogates, nothing past U+10FFFF. No ICU, no torch.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pw {

// What findInvalidUtf8 returns for valid text.
constexpr size_t kValidUtf8 = std::string_view::npos;

// Decodes the code point at s[i] (i < s.size()) and advances i. On an ill-formed sequence returns -1 and
// skips its maximal subpart (Unicode's recommended practice, as ICU's U8_NEXT and Python's "replace" do).
int32_t nextCodePoint(std::string_view s, size_t& i);
// Appends `cp` (a Unicode scalar value) encoded as UTF-8.
void appendUtf8(std::string& out, int32_t cp);

// Byte offset of the first ill-formed sequence, or kValidUtf8.
size_t findInvalidUtf8(std::string_view s);
inline bool isValidUtf8(std::string_view s) { return findInvalidUtf8(s) == kValidUtf8; }

// Each ill-formed sequence replaced by U+FFFD (user-facing text, decoded token bytes); the number of
// replacements in *replaced when given.
std::string replaceInvalidUtf8(std::string_view s, size_t* replaced = nullptr);
// Ill-formed sequences removed (trusted but old package text, where a U+FFFD would only add noise).
std::string dropInvalidUtf8(std::string_view s);

}  // namespace pw
