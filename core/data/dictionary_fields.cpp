// Builds "dictionary-fields": GCIDE senses by subject tag (ID) and WordNet glosses by lexicographer file,
// topic domain and root hyponyms (OOD); dedupes across both, balances by down-sampling, splits with a seed.
#include "data/dictionary_fields.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "data/gcide.h"
#include "data/rng.h"
#include "data/text.h"
#include "data/wordnet.h"
#include "util/error.h"

namespace pw::data {

namespace {

struct Field {
  std::string name;
  std::vector<std::string> gcideTags;     // Webster's subject tags, without parentheses
  int nounLexfile;                        // WordNet lexicographer file holding the field, or -1
  std::vector<std::string> domains;       // WordNet topic-domain synsets (first word) pointing here
  std::vector<std::pair<std::string, int>> roots;  // (first word, lexfile) whose hyponyms belong here
  std::vector<std::pair<std::string, int>> excludedRoots;  // subtrees of the roots that do not
};

// Alphabetical, which is also the class order of the cached JSONL files read back.
const std::vector<Field>& fields() {
  static const std::vector<Field> f = {
      {"anatomy", {"Anat."}, 8, {"anatomy"}, {}, {}},
      {"botany", {"Bot."}, 20, {"botany"}, {}, {}},
      {"chemistry", {"Chem."}, -1, {"chemistry"}, {{"chemical_element", 27}, {"acid", 27}, {"alkaloid", 27}, {"hydrocarbon", 27}, {"ester", 27}, {"alcohol", 27}}, {}},
      {"law", {"Law", "Law."}, -1, {"law"}, {}, {}},
      {"medicine", {"Med."}, -1, {"medicine", "pathology"}, {{"disease", 26}, {"medicine", 6}},
       {{"plant_disease", 26}}},
      {"military", {"Mil.", "Fort.", "Gun.", "Mil. Antiq."}, -1, {"military"}, {}, {}},
      {"music", {"Mus."}, -1, {"music"}, {{"musical_instrument", 6}}, {}},
      {"zoology", {"Zool."}, 5, {"zoology"}, {}, {}},
  };
  return f;
}

constexpr uint64_t kSeed = 20240531;
constexpr size_t kMinWords = 4, kMaxWords = 150;
constexpr size_t kIdTest = 150, kIdValidation = 100, kIdMaxTrain = 1000, kIdMinTrain = 400;
constexpr size_t kOodMax = 200, kOodMin = 70;

struct Candidate {
  std::string text;
  int label;
};

bool goodLength(const std::string& t) {
  size_t n = wordCount(t);
  return n >= kMinWords && n <= kMaxWords;
}

std::vector<Candidate> gcideCandidates(const DictionaryFieldsSources& src) {
  std::map<std::string, int> tagToClass;
  for (size_t c = 0; c < fields().size(); ++c)
    for (const auto& t : fields()[c].gcideTags) tagToClass[t] = static_cast<int>(c);
  std::vector<Candidate> out;
  for (const GcideParagraph& p : readGcide(src.gcideDict, src.gcideIndex)) {
    // WordNet-derived senses are excluded: they would echo the OOD side.
    if (p.tags.empty() || p.wordnet || p.synonyms || !goodLength(p.text) || gcideLostCharacters(p.text)) continue;
    auto first = tagToClass.find(p.tags[0]);
    if (first == tagToClass.end()) continue;
    bool conflict = false;
    for (const auto& t : p.tags) {
      auto it = tagToClass.find(t);
      if (it != tagToClass.end() && it->second != first->second) conflict = true;
    }
    if (!conflict) out.push_back({p.text, first->second});
  }
  return out;
}

std::string firstWord(const Synset& s) { return s.words.empty() ? std::string() : s.words[0]; }

// Noun synsets whose first word and lexicographer file match.
std::vector<size_t> rootsOf(const WordNet& wn, const std::vector<std::pair<std::string, int>>& roots) {
  std::vector<size_t> out;
  for (size_t i = 0; i < wn.synsets.size(); ++i)
    for (const auto& [word, lexfile] : roots)
      if (wn.synsets[i].pos == 'n' && wn.synsets[i].lexfile == lexfile && firstWord(wn.synsets[i]) == word)
        out.push_back(i);
  return out;
}

// The roots and all their hyponyms (and instances).
std::set<size_t> hyponymClosure(const WordNet& wn, std::vector<size_t> frontier) {
  std::set<size_t> seen(frontier.begin(), frontier.end());
  while (!frontier.empty()) {
    size_t i = frontier.back();
    frontier.pop_back();
    for (const auto& p : wn.synsets[i].pointers) {
      if (p.symbol != "~" && p.symbol != "~i") continue;
      auto it = wn.at.find({p.pos, p.offset});
      if (it != wn.at.end() && seen.insert(it->second).second) frontier.push_back(it->second);
    }
  }
  return seen;
}

std::vector<Candidate> wordnetCandidates(const DictionaryFieldsSources& src) {
  WordNet wn = readWordNet(src.wordnetDir);
  std::vector<std::set<int>> classesOf(wn.synsets.size());
  for (size_t c = 0; c < fields().size(); ++c) {
    const Field& f = fields()[c];
    int cls = static_cast<int>(c);
    std::set<std::string> domains(f.domains.begin(), f.domains.end());
    for (size_t i = 0; i < wn.synsets.size(); ++i) {
      const Synset& s = wn.synsets[i];
      if (s.pos == 'n' && s.lexfile == f.nounLexfile) classesOf[i].insert(cls);
      for (const auto& p : s.pointers) {
        if (p.symbol != ";c") continue;
        const Synset* d = wn.find(p.pos, p.offset);
        if (d && domains.count(firstWord(*d))) classesOf[i].insert(cls);
      }
    }
    std::set<size_t> excluded = hyponymClosure(wn, rootsOf(wn, f.excludedRoots));
    for (size_t i : hyponymClosure(wn, rootsOf(wn, f.roots)))
      if (!excluded.count(i)) classesOf[i].insert(cls);
  }
  std::vector<Candidate> out;
  for (size_t i = 0; i < wn.synsets.size(); ++i) {
    if (classesOf[i].size() != 1 || !goodLength(wn.synsets[i].definition)) continue;
    out.push_back({wn.synsets[i].definition, *classesOf[i].begin()});
  }
  return out;
}

// Removes texts seen twice (anywhere, either source): same label keeps the first, different labels drop all.
void dedupe(std::vector<Candidate>& id, std::vector<Candidate>& ood) {
  std::map<std::string, int> labelOf;  // key -> label, or -1 when labels conflict
  std::map<std::string, int> count;
  for (auto* v : {&id, &ood})
    for (const auto& c : *v) {
      std::string k = matchKey(c.text);
      auto [it, inserted] = labelOf.emplace(k, c.label);
      if (!inserted && it->second != c.label) it->second = -1;
      ++count[k];
    }
  // A text in both sources goes to neither (it would make OOD partly ID); repeats within one source keep one.
  std::set<std::string> inId;
  for (const auto& c : id) inId.insert(matchKey(c.text));
  std::set<std::string> kept;
  auto filter = [&](std::vector<Candidate>& v, bool isOod) {
    std::vector<Candidate> out;
    for (auto& c : v) {
      std::string k = matchKey(c.text);
      if (labelOf[k] < 0 || (isOod && inId.count(k)) || !kept.insert(k).second) continue;
      out.push_back(std::move(c));
    }
    v.swap(out);
  };
  filter(id, false);
  filter(ood, true);
}

std::vector<std::vector<std::string>> byClass(const std::vector<Candidate>& v) {
  std::vector<std::vector<std::string>> out(fields().size());
  for (const auto& c : v) out[c.label].push_back(c.text);
  for (size_t c = 0; c < out.size(); ++c) deterministicShuffle(out[c], kSeed ^ stableHash(fields()[c].name));
  return out;
}

void append(std::vector<Example>& split, const std::vector<std::string>& texts, size_t from, size_t to, int label) {
  for (size_t i = from; i < to; ++i) split.push_back({texts[i], label});
}

}  // namespace

Task buildDictionaryFields(const DictionaryFieldsSources& sources) {
  std::vector<Candidate> id = gcideCandidates(sources);
  std::vector<Candidate> ood = wordnetCandidates(sources);
  dedupe(id, ood);
  auto idBy = byClass(id), oodBy = byClass(ood);
  size_t nId = SIZE_MAX, nOod = SIZE_MAX;
  for (size_t c = 0; c < fields().size(); ++c) {
    nId = std::min(nId, idBy[c].size());
    nOod = std::min(nOod, oodBy[c].size());
  }
  if (nId < kIdTest + kIdValidation + kIdMinTrain || nOod < kOodMin)
    throw Error("dictionary-fields: the installed dict-gcide / wordnet-base give too few definitions per field (" +
                std::to_string(nId) + " ID, " + std::to_string(nOod) + " OOD); reinstall the packages");
  nId = std::min(nId, kIdTest + kIdValidation + kIdMaxTrain);
  nOod = std::min(nOod, kOodMax);
  Task t;
  t.name = kDictionaryFieldsName;
  t.source = "built-in (dict-gcide, wordnet-base)";
  t.oodName = "other source";  // WordNet glosses, where ID is Webster's 1913
  for (const auto& f : fields()) t.classes.push_back(f.name);
  for (size_t c = 0; c < fields().size(); ++c) {
    int label = static_cast<int>(c);
    append(t.test, idBy[c], 0, kIdTest, label);
    append(t.validation, idBy[c], kIdTest, kIdTest + kIdValidation, label);
    append(t.train, idBy[c], kIdTest + kIdValidation, nId, label);
    append(t.ood, oodBy[c], 0, nOod, label);
  }
  // Interleave the classes (training reads the split in order).
  deterministicShuffle(t.train, kSeed + 1);
  deterministicShuffle(t.validation, kSeed + 2);
  deterministicShuffle(t.test, kSeed + 3);
  deterministicShuffle(t.ood, kSeed + 4);
  return t;
}

}  // namespace pw::data
