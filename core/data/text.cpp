// Text helpers: whitespace, match keys and gzip-or-plain file reading.
#include "data/text.h"

#include <zlib.h>

#include <cctype>

#include "util/error.h"

namespace pw::data {

namespace {
bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string collapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pendingSpace = false;
  for (unsigned char c : s) {
    if (isSpace(c)) {
      pendingSpace = !out.empty();
    } else {
      if (pendingSpace) out.push_back(' ');
      pendingSpace = false;
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string matchKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pendingSpace = false;
  for (unsigned char c : s) {
    bool word = c >= 0x80 || std::isalnum(c);
    if (!word) {
      pendingSpace = !out.empty();
    } else {
      if (pendingSpace) out.push_back(' ');
      pendingSpace = false;
      out.push_back(static_cast<char>(c < 0x80 ? std::tolower(c) : c));
    }
  }
  return out;
}

size_t wordCount(std::string_view s) {
  size_t n = 0;
  bool inWord = false;
  for (unsigned char c : s) {
    if (isSpace(c)) {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      ++n;
    }
  }
  return n;
}

std::vector<std::string> splitWords(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isSpace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !isSpace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) words.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

std::string readMaybeGzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw fileError(path, "cannot open for reading");
  std::string out;
  char buf[1 << 16];
  for (;;) {
    int n = gzread(f, buf, sizeof buf);
    if (n < 0) {
      int err = 0;
      std::string msg = gzerror(f, &err);
      gzclose(f);
      throw fileError(path, "read failed (" + msg + ")");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  gzclose(f);
  return out;
}

}  // namespace pw::data
