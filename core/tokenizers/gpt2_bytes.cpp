// GPT-2's byte <-> code point map and regex pre-split (ICU RegexMatcher over UTF-8 text).
#include "tokenizers/gpt2_bytes.h"

#include <unicode/regex.h>
#include <unicode/utext.h>

#include <array>
#include <memory>
#include <stdexcept>

#include "util/utf8.h"

namespace pw::tok {
namespace {

bool printableByte(int b) { return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255); }

struct ByteTables {
  std::array<int32_t, 256> toCp{};
  std::array<int, 512> fromCp{};  // every image lies below U+0200
  std::vector<uint8_t> order;
  std::array<std::string, 256> utf8;
  ByteTables() {
    fromCp.fill(-1);
    int next = 0;
    for (int b = 0; b < 256; ++b) toCp[b] = printableByte(b) ? b : 256 + next++;
    for (int b = 0; b < 256; ++b) {
      fromCp[toCp[b]] = b;
      appendUtf8(utf8[b], toCp[b]);
      if (printableByte(b)) order.push_back(static_cast<uint8_t>(b));
    }
    for (int b = 0; b < 256; ++b)
      if (!printableByte(b)) order.push_back(static_cast<uint8_t>(b));
  }
};

const ByteTables& tables() {
  static const ByteTables t;
  return t;
}

// \s in Python's regex module is Unicode White_Space; ICU's \s lacks \v and U+0085, so spell it out.
const char16_t kPattern[] =
    u"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\p{White_Space}\\p{L}\\p{N}]+"
    u"|\\p{White_Space}+(?![^\\p{White_Space}])|\\p{White_Space}+";

const icu::RegexPattern& pattern() {
  static const std::unique_ptr<icu::RegexPattern> p = [] {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;
    std::unique_ptr<icu::RegexPattern> r(icu::RegexPattern::compile(icu::UnicodeString(kPattern), 0, pe, status));
    if (U_FAILURE(status)) throw std::runtime_error(std::string("GPT-2 pattern: ") + u_errorName(status));
    return r;
  }();
  return *p;
}

}  // namespace

int32_t byteToCodePoint(uint8_t b) { return tables().toCp[b]; }

int byteFromCodePoint(int32_t cp) { return cp >= 0 && cp < 512 ? tables().fromCp[static_cast<size_t>(cp)] : -1; }

const std::vector<uint8_t>& byteOrder() { return tables().order; }

std::string bytesToSymbols(const std::string& bytes) {
  const ByteTables& t = tables();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) out += t.utf8[b];
  return out;
}

void gpt2PreSplit(const std::string& text, std::vector<std::string>& out) {
  if (text.empty()) return;
  // One matcher per thread (matchers are not thread-safe; compiled patterns are).
  thread_local std::unique_ptr<icu::RegexMatcher> matcher;
  UErrorCode status = U_ZERO_ERROR;
  if (!matcher) {
    matcher.reset(pattern().matcher(status));
    if (U_FAILURE(status)) throw std::runtime_error(std::string("GPT-2 pattern: ") + u_errorName(status));
  }
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  matcher->reset(ut);
  int64_t last = 0;
  while (U_SUCCESS(status) && matcher->find(status)) {
    int64_t b = matcher->start64(status), e = matcher->end64(status);
    if (U_FAILURE(status) || e <= b) break;
    if (b > last) out.push_back(text.substr(static_cast<size_t>(last), static_cast<size_t>(b - last)));
    out.push_back(text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
    last = e;
  }
  static const icu::UnicodeString kEmpty;
  matcher->reset(kEmpty);  // drop the matcher's reference to `text`
  utext_close(ut);
  // The pattern covers every character of valid UTF-8; keep any remainder so no byte is ever lost.
  if (last < static_cast<int64_t>(text.size())) out.push_back(text.substr(static_cast<size_t>(last)));
}

std::vector<std::string> gpt2PreSplit(const std::string& text) {
  std::vector<std::string> out;
  gpt2PreSplit(text, out);
  return out;
}

}  // namespace pw::tok
