// Code point counts, case mapping and the Unicode character classes the tokenizers need (backed by ICU, no
// hand tables).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace pw::tok {

// Decoding, validation and cleaning of UTF-8 itself: util/utf8.h.
size_t countCodePoints(const std::string& s);
inline bool isAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// BERT's character classes (transformers' BasicTokenizer).
bool isBertWhitespace(int32_t cp);   // \t \n \r space, Zs (and Zl/Zp, which Python's split() also splits on)
bool isBertControl(int32_t cp);      // any C* category except \t \n \r
bool isBertPunctuation(int32_t cp);  // ASCII 33-47, 58-64, 91-96, 123-126, and every P* category
bool isCjkIdeograph(int32_t cp);     // the CJK blocks BERT surrounds with spaces

// Full Unicode lowercase (like Python's str.lower()).
std::string toLowerUtf8(const std::string& s);
// NFD, then drops nonspacing marks (Mn): "Héllo" -> "Hello".
std::string stripAccents(const std::string& s);

}  // namespace pw::tok
