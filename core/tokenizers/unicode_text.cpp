// Code point helpers and BERT's character classes, using ICU for categories, case mapping and NFD.
#include "tokenizers/unicode_text.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <stdexcept>

#include "util/utf8.h"

namespace pw::tok {

size_t countCodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool isBertWhitespace(int32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') return true;
  int8_t t = u_charType(cp);
  return t == U_SPACE_SEPARATOR || t == U_LINE_SEPARATOR || t == U_PARAGRAPH_SEPARATOR;
}

bool isBertControl(int32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  return (U_GET_GC_MASK(cp) & U_GC_C_MASK) != 0;
}

bool isBertPunctuation(int32_t cp) {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
    return true;
  return (U_GET_GC_MASK(cp) & U_GC_P_MASK) != 0;
}

bool isCjkIdeograph(int32_t cp) {
  // BERT's own list of blocks (not every Unified_Ideograph), so real BERT vocabularies match.
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) ||
         (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

std::string toLowerUtf8(const std::string& s) {
  if (isAscii(s)) {
    std::string out = s;
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  u.toLower(icu::Locale::getRoot());
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string stripAccents(const std::string& s) {
  if (isAscii(s)) return s;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normalizer unavailable");
  icu::UnicodeString u = nfd->normalize(icu::UnicodeString::fromUTF8(s), status);
  if (U_FAILURE(status)) return s;
  std::string out;
  out.reserve(s.size());
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) != U_NON_SPACING_MARK) appendUtf8(out, c);
  }
  return out;
}

}  // namespace pw::tok
