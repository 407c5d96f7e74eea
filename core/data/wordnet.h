// WordNet 3.0 database files (Debian package wordnet-base): synsets with lexicographer file, pointers and
// glosses split into the definition and its quoted examples.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pw::data {

inline const char* kWordNetDir = "/usr/share/wordnet";

struct WordNetPointer {
  std::string symbol;  // "@" hypernym, "~" hyponym, ";c" topic domain, "-c" domain member, ...
  uint32_t offset = 0;
  char pos = 'n';      // n v a r (satellite adjectives "s" are stored as 'a')
};

struct Synset {
  uint32_t offset = 0;
  char pos = 'n';
  int lexfile = 0;  // 05 noun.animal, 08 noun.body, 20 noun.plant, ...
  std::vector<std::string> words;
  std::vector<WordNetPointer> pointers;
  std::string definition;             // gloss without examples, leading "(law)"-style labels removed
  std::vector<std::string> examples;  // the quoted usage examples
};

struct WordNet {
  std::vector<Synset> synsets;                     // noun, verb, adj, adv files in that order
  std::map<std::pair<char, uint32_t>, size_t> at;  // (pos, offset) -> index into synsets

  const Synset* find(char pos, uint32_t offset) const;
};

// Reads data.noun/verb/adj/adv from `dir`. Throws pw::Error (naming wordnet-base) if missing.
WordNet readWordNet(const std::string& dir = kWordNetDir);

// Gloss helpers, exposed for tests: splits "def; \"example\"" and strips a leading "(law)" label.
void splitGloss(const std::string& gloss, std::string& definition, std::vector<std::string>& examples);

}  // namespace pw::data
