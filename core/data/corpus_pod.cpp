// Corpus source: Perl's manuals in POD (Debian's perl-doc): prose paragraphs with formatting codes
// (B<..>, C<< .. >>, L<text|link>, E<lt>) reduced to their text; code and directives left out.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "data/corpus.h"
#include "data/text.h"

namespace pw::data {

namespace fs = std::filesystem;

namespace {

// Expands POD formatting codes: X<...> or X<< ... >> with nesting.
std::string podText(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i + 1 < s.size() && std::isupper(static_cast<unsigned char>(s[i])) && s[i + 1] == '<') {
      char code = s[i];
      size_t open = i + 1, n = 0;
      while (open + n < s.size() && s[open + n] == '<') ++n;
      std::string closer = n > 1 ? " " + std::string(n, '>') : ">";
      size_t start = open + n, end;
      if (n == 1) {  // nested single-bracket codes: balance < and >
        int depth = 1;
        for (end = start; end < s.size() && depth > 0; ++end) {
          if (s[end] == '<' && end > 0 && std::isupper(static_cast<unsigned char>(s[end - 1]))) ++depth;
          else if (s[end] == '>') --depth;
        }
        if (depth != 0) end = s.size() + 1;
        else --end;
      } else {
        end = s.find(closer, start);
      }
      if (end == std::string::npos || end > s.size()) {
        out.push_back(s[i]);
        continue;
      }
      std::string inner = podText(collapseWhitespace(s.substr(start, end - start)));
      if (code == 'L') {
        size_t bar = inner.find('|');
        if (bar != std::string::npos) inner = inner.substr(0, bar);
        std::replace(inner.begin(), inner.end(), '/', ' ');
        inner.erase(std::remove(inner.begin(), inner.end(), '"'), inner.end());
      } else if (code == 'E') {
        inner = inner == "lt" ? "<" : inner == "gt" ? ">" : inner == "verbar" ? "|" : inner == "sol" ? "/" : "";
      } else if (code == 'X' || code == 'Z') {
        inner.clear();
      }
      out += inner;
      i = end + closer.size() - 1;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

void corpusFromPod(const std::string& podDir, const Emit& emit) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(podDir, ec))
    // Release notes (perl5xxxdelta.pod) are mostly "X was upgraded from 1.2 to 1.3": left out.
    if (e.path().extension() == ".pod" && e.path().stem().string().find("delta") == std::string::npos)
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::string data = readMaybeGzip(f.string());
    bool inBegin = false;
    size_t pos = 0;
    while (pos < data.size()) {
      size_t end = data.find("\n\n", pos);
      std::string para = data.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? data.size() : end + 2;
      if (para.empty() || para[0] == '\n') continue;
      if (para.rfind("=begin", 0) == 0) inBegin = true;
      if (para.rfind("=end", 0) == 0) {
        inBegin = false;
        continue;
      }
      // Directives, verbatim (indented) code and =begin blocks are not prose.
      if (inBegin || para[0] == '=' || para[0] == ' ' || para[0] == '\t') continue;
      std::string text = collapseWhitespace(podText(para));
      if (wordCount(text) >= 5) emit(text);
    }
  }
}

}  // namespace pw::data
