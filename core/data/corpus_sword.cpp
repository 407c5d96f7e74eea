// Corpus source: a SWORD zText Bible module (Debian's sword-text-web, the public-domain World English
// Bible). Blocks in *.bzz are zlib-compressed; *.bzs indexes blocks, *.bzv indexes verses; text is OSIS XML.
#include <zlib.h>

#include <fstream>
#include <iterator>

#include "data/corpus.h"
#include "data/text.h"
#include "util/error.h"

namespace pw::data {

namespace {

std::string readBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open for reading");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

uint32_t le32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

// OSIS verse text -> plain text; paragraph and chapter ends call `flush`.
void osisToText(const std::string& s, std::string& para, const std::function<void()>& flush) {
  int skipDepth = 0;  // inside <note> or <title>, whose text is not running prose
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '<') {
      if (skipDepth == 0) para.push_back(s[i]);
      ++i;
      continue;
    }
    size_t close = s.find('>', i);
    if (close == std::string::npos) break;
    std::string tag = s.substr(i + 1, close - i - 1);
    i = close + 1;
    bool selfClosing = !tag.empty() && tag.back() == '/';
    bool endTag = !tag.empty() && tag[0] == '/';
    std::string name = tag.substr(endTag ? 1 : 0, tag.find_first_of(" /", endTag ? 1 : 0) - (endTag ? 1 : 0));
    if (name == "note" || name == "title") {
      if (endTag) skipDepth = skipDepth > 0 ? skipDepth - 1 : 0;
      else if (!selfClosing) ++skipDepth;
      continue;
    }
    if ((name == "div" && tag.find("eID=") != std::string::npos) || name == "chapter") {
      flush();
      continue;
    }
    if (name == "lb" || name == "l") para.push_back(' ');
  }
}

}  // namespace

void corpusFromSword(const std::string& moduleDir, const Emit& emit) {
  for (const char* testament : {"ot", "nt"}) {
    std::string base = moduleDir + "/" + testament;
    std::string bzs = readBinary(base + ".bzs"), bzv = readBinary(base + ".bzv"), bzz = readBinary(base + ".bzz");
    std::vector<std::string> blocks;
    for (size_t at = 0; at + 12 <= bzs.size(); at += 12) {
      uint32_t off = le32(bzs, at), size = le32(bzs, at + 4), usize = le32(bzs, at + 8);
      std::string out;
      if (off <= bzz.size() && size <= bzz.size() - off && usize < (1u << 28)) {
        out.resize(usize);
        uLongf len = usize;
        if (uncompress(reinterpret_cast<Bytef*>(out.data()), &len,
                       reinterpret_cast<const Bytef*>(bzz.data() + off), size) == Z_OK)
          out.resize(len);
        else
          out.clear();
      }
      blocks.push_back(std::move(out));
    }
    std::string para;
    auto flush = [&] {
      std::string p = collapseWhitespace(para);
      para.clear();
      if (!p.empty()) emit(p);
    };
    for (size_t at = 0; at + 10 <= bzv.size(); at += 10) {
      uint32_t block = le32(bzv, at), off = le32(bzv, at + 4);
      uint32_t size = static_cast<unsigned char>(bzv[at + 8]) | static_cast<unsigned char>(bzv[at + 9]) << 8;
      if (size == 0 || block >= blocks.size() || off > blocks[block].size() || size > blocks[block].size() - off)
        continue;
      osisToText(blocks[block].substr(off, size), para, flush);
      para.push_back(' ');
      if (wordCount(para) > 300) flush();  // long poetic runs: keep lines a readable size
    }
    flush();
  }
}

}  // namespace pw::data
