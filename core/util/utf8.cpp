// UTF-8 decoding per Unicode Table 3-7, and validation / cleaning built on it (see utf8.h).
#include "util/utf8.h"

namespace pw {

int32_t nextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i++);
  if (c < 0x80) return c;
  int more;
  int32_t cp;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the next byte (narrower after E0, ED, F0, F4)
  if (c >= 0xC2 && c <= 0xDF) {
    more = 1, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    more = 2, cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;  // no overlong 3-byte forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    more = 3, cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;  // no overlong 4-byte forms
    if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return -1;  // a continuation byte, C0/C1 (always overlong) or F5..FF
  }
  for (int k = 0; k < more; ++k, lo = 0x80, hi = 0xBF) {
    if (i >= s.size() || byte(i) < lo || byte(i) > hi) return -1;  // the maximal subpart ends before s[i]
    cp = (cp << 6) | (byte(i++) & 0x3F);
  }
  return cp;
}

void appendUtf8(std::string& out, int32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t findInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII fast path: most text, and multi-MB JSON files
      ++i;
      continue;
    }
    const size_t start = i;
    if (nextCodePoint(s, i) < 0) return start;
  }
  return kValidUtf8;
}

namespace {

// Copies `s`, passing each ill-formed sequence to onBad(out) instead.
template <class OnBad>
std::string cleaned(std::string_view s, OnBad onBad) {
  const size_t bad = findInvalidUtf8(s);
  if (bad == kValidUtf8) return std::string(s);
  std::string out(s.substr(0, bad));
  for (size_t i = bad; i < s.size();) {
    const size_t start = i;
    if (nextCodePoint(s, i) < 0) onBad(out);
    else out.append(s, start, i - start);
  }
  return out;
}

}  // namespace

std::string replaceInvalidUtf8(std::string_view s, size_t* replaced) {
  size_t n = 0;
  std::string out = cleaned(s, [&](std::string& o) {
    o += "\xEF\xBF\xBD";  // U+FFFD
    ++n;
  });
  if (replaced) *replaced = n;
  return out;
}

std::string dropInvalidUtf8(std::string_view s) {
  return cleaned(s, [](std::string&) {});
}

}  // namespace pw
