// WordNet data file parser: "offset lexfile pos w_cnt word lex_id ... p_cnt ptr... | gloss".
#include "data/wordnet.h"

#include <fstream>
#include <sstream>

#include "data/dictd.h"
#include "data/text.h"
#include "util/error.h"
#include "util/utf8.h"

namespace pw::data {

const Synset* WordNet::find(char pos, uint32_t offset) const {
  auto it = at.find({pos == 's' ? 'a' : pos, offset});
  return it == at.end() ? nullptr : &synsets[it->second];
}

void splitGloss(const std::string& gloss, std::string& definition, std::vector<std::string>& examples) {
  definition.clear();
  examples.clear();
  // Examples are double-quoted after "; "; the definition is everything before them.
  size_t q = gloss.rfind('"', 0) == 0 ? 0 : gloss.find("; \"");
  std::string def = gloss.substr(0, q);
  if (q != std::string::npos) q = gloss.find('"', q);
  while (q != std::string::npos) {
    size_t e = gloss.find('"', q + 1);
    if (e == std::string::npos) break;
    std::string ex = collapseWhitespace(gloss.substr(q + 1, e - q - 1));
    if (!ex.empty()) examples.push_back(ex);
    q = gloss.find('"', e + 1);
  }
  def = collapseWhitespace(def);
  // Leading usage/domain labels: "(law) ...", "(usually plural) ...".
  while (!def.empty() && def[0] == '(') {
    size_t close = def.find(')');
    if (close == std::string::npos || wordCount(def.substr(1, close - 1)) > 4) break;
    def = collapseWhitespace(def.substr(close + 1));
  }
  while (!def.empty() && (def.back() == ';' || def.back() == ',' || def.back() == ':' || def.back() == ' '))
    def.pop_back();
  definition = def;
}

namespace {

void readDataFile(const std::string& path, WordNet& wn) {
  requirePackageFile(path, "wordnet-base");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open for reading");
  std::string line;
  size_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line[0] == ' ') continue;  // license header lines start with two spaces
    size_t bar = line.find(" | ");
    std::istringstream ss(line.substr(0, bar));
    Synset s;
    std::string pos;
    int wordCountHex = 0, ptrCount = 0;
    ss >> s.offset >> s.lexfile >> pos >> std::hex >> wordCountHex >> std::dec;
    if (!ss || pos.empty() || wordCountHex <= 0)
      throw fileError(path + ":" + std::to_string(lineNo), "malformed WordNet synset line");
    s.pos = pos[0] == 's' ? 'a' : pos[0];
    for (int i = 0; i < wordCountHex; ++i) {
      std::string w, lexId;
      ss >> w >> lexId;
      s.words.push_back(w);
    }
    ss >> ptrCount;
    for (int i = 0; i < ptrCount && ss; ++i) {
      WordNetPointer p;
      std::string ptrPos, sourceTarget;
      ss >> p.symbol >> p.offset >> ptrPos >> sourceTarget;
      p.pos = ptrPos.empty() || ptrPos[0] == 's' ? 'a' : ptrPos[0];
      s.pointers.push_back(p);
    }
    if (!ss) throw fileError(path + ":" + std::to_string(lineNo), "malformed WordNet pointer list");
    if (bar != std::string::npos) splitGloss(dropInvalidUtf8(line.substr(bar + 3)), s.definition, s.examples);
    wn.at[{s.pos, s.offset}] = wn.synsets.size();
    wn.synsets.push_back(std::move(s));
  }
}

}  // namespace

WordNet readWordNet(const std::string& dir) {
  WordNet wn;
  for (const char* f : {"data.noun", "data.verb", "data.adj", "data.adv"}) readDataFile(dir + "/" + f, wn);
  return wn;
}

}  // namespace pw::data
