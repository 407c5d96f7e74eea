// Builds "wordnet-subgroups": WordNet noun classes split into subgroups (sub-trees), ID vs OOD subgroups by
// a seeded walk, WordNet definitions as texts, plus a Webster's 1913 set for the OOD subgroups' headwords.
#include "data/wordnet_subgroups.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>

#include "data/gcide.h"
#include "data/rng.h"
#include "data/task_cache.h"
#include "data/text.h"
#include "data/wordnet.h"
#include "util/error.h"

namespace pw::data {

namespace {

struct ClassRoot {
  const char* name;
  uint32_t offset;   // WordNet 3.0 noun synset id
  const char* word;  // its first word, checked
  const char* tag = nullptr;  // Webster's subject tag of the class, if it has one
};

// Alphabetical: the class order.
const std::vector<ClassRoot>& classRoots() {
  static const std::vector<ClassRoot> r = {
      {"bird", 1503061, "bird", "Zool."},         {"body part", 5220461, "body_part", "Anat."},
      {"clothing", 3051540, "clothing"},          {"disease", 14070360, "disease", "Med."},
      {"fish", 2512053, "fish", "Zool."},         {"flower", 11669921, "flower", "Bot."},
      {"food", 7555863, "food"},                  {"insect", 2159955, "insect", "Zool."},
      {"mammal", 1861778, "mammal", "Zool."},     {"tree", 13104059, "tree", "Bot."},
      {"vehicle", 4524313, "vehicle"},            {"worker", 9632518, "worker"},
  };
  return r;
}

constexpr uint64_t kSeed = 20240617;
constexpr double kMaxSubgroupShare = 0.25;  // a larger sub-tree is replaced by its children
constexpr size_t kMinSubgroupSynsets = 3;   // smaller sub-trees are pooled (ID side)
constexpr double kOodTarget = 0.40, kOodMaxShare = 0.50;
constexpr size_t kMinWords = 4, kMaxWords = 150;
constexpr size_t kMaxIdPerClass = 600, kMinIdPerClass = 150;
constexpr size_t kMaxOodPerClass = 400, kMinOodPerClass = 100;

struct Item {
  std::string text;
  int label;
  int group;
};

bool goodLength(const std::string& t) {
  size_t n = wordCount(t);
  return n >= kMinWords && n <= kMaxWords;
}

// Noun hyponyms and instances of synset `i`, as synset indexes.
std::vector<size_t> children(const WordNet& wn, size_t i) {
  std::vector<size_t> out;
  for (const auto& p : wn.synsets[i].pointers) {
    if ((p.symbol != "~" && p.symbol != "~i") || p.pos != 'n') continue;
    auto it = wn.at.find({'n', p.offset});
    if (it != wn.at.end()) out.push_back(it->second);
  }
  return out;
}

// `root` and everything below it, sorted.
std::vector<size_t> subtree(const WordNet& wn, size_t root) {
  std::set<size_t> seen = {root};
  std::vector<size_t> frontier = {root};
  while (!frontier.empty()) {
    size_t i = frontier.back();
    frontier.pop_back();
    for (size_t c : children(wn, i))
      if (seen.insert(c).second) frontier.push_back(c);
  }
  return {seen.begin(), seen.end()};
}

std::string firstWord(const Synset& s) { return s.words.empty() ? std::string() : s.words[0]; }

// Class of every synset: -1 none, -2 under two class roots (dropped).
std::vector<int> classMembership(const WordNet& wn) {
  std::vector<int> classOf(wn.synsets.size(), -1);
  for (size_t c = 0; c < classRoots().size(); ++c) {
    const ClassRoot& r = classRoots()[c];
    auto it = wn.at.find({'n', r.offset});
    if (it == wn.at.end() || firstWord(wn.synsets[it->second]) != r.word)
      throw Error(std::string("wordnet-subgroups: WordNet noun synset ") + std::to_string(r.offset) + " is not '" +
                  r.word + "'; the task expects WordNet 3.0 (Debian package wordnet-base)");
    for (size_t i : subtree(wn, it->second)) classOf[i] = classOf[i] == -1 ? static_cast<int>(c) : -2;
    classOf[it->second] = -2;  // the root itself belongs to no subgroup
  }
  return classOf;
}

struct Tree {
  size_t top;
  std::vector<size_t> members;  // synsets of the class in the sub-tree
};

// The subgroups of every class (see the header): fills `subgroups`, returns each synset's subgroup (-1 none).
std::vector<int> assignSubgroups(const WordNet& wn, const std::vector<int>& classOf,
                                 std::vector<Subgroup>& subgroups) {
  std::vector<int> groupOf(wn.synsets.size(), -1);
  std::vector<std::set<int>> groupsOf(wn.synsets.size());
  for (size_t c = 0; c < classRoots().size(); ++c) {
    int label = static_cast<int>(c);
    auto tree = [&](size_t top) {
      Tree t{top, {}};
      for (size_t i : subtree(wn, top))
        if (classOf[i] == label) t.members.push_back(i);
      return t;
    };
    size_t total = std::count(classOf.begin(), classOf.end(), label);
    std::vector<Tree> trees;
    for (size_t ch : children(wn, wn.at.at({'n', classRoots()[c].offset}))) trees.push_back(tree(ch));
    for (;;) {
      auto big = std::max_element(trees.begin(), trees.end(),
                                  [](const Tree& a, const Tree& b) { return a.members.size() < b.members.size(); });
      if (big == trees.end() || big->members.size() <= kMaxSubgroupShare * total) break;
      std::vector<size_t> below = children(wn, big->top);
      if (below.empty()) break;
      trees.erase(big);
      for (size_t ch : below)
        if (std::none_of(trees.begin(), trees.end(), [&](const Tree& t) { return t.top == ch; }))
          trees.push_back(tree(ch));
    }
    std::sort(trees.begin(), trees.end(), [&](const Tree& a, const Tree& b) {
      return wn.synsets[a.top].offset < wn.synsets[b.top].offset;
    });
    int pool = -1;
    for (const Tree& t : trees) {
      int g;
      if (t.members.size() >= kMinSubgroupSynsets) {
        g = static_cast<int>(subgroups.size());
        std::string name = classRoots()[c].name + std::string("/") + firstWord(wn.synsets[t.top]);
        if (std::any_of(subgroups.begin(), subgroups.end(), [&](const Subgroup& s) { return s.name == name; }))
          name += " (" + std::to_string(wn.synsets[t.top].offset) + ")";  // "fish/mullet" names two sub-trees
        subgroups.push_back({name, label, false, false, 0});
      } else {
        if (pool < 0) {
          pool = static_cast<int>(subgroups.size());
          subgroups.push_back({classRoots()[c].name + std::string("/(small sub-trees)"), label, true, false, 0});
        }
        g = pool;
      }
      for (size_t i : t.members) groupsOf[i].insert(g);
    }
  }
  for (size_t i = 0; i < groupsOf.size(); ++i)
    if (groupsOf[i].size() == 1) groupOf[i] = *groupsOf[i].begin();
  return groupOf;
}

// Drops every text whose key occurs under two subgroups; repeats within one subgroup keep the first.
void dedupe(std::vector<Item>& items) {
  std::map<std::string, int> groupOfKey;  // -1: more than one subgroup
  for (const Item& it : items) {
    auto [pos, inserted] = groupOfKey.emplace(matchKey(it.text), it.group);
    if (!inserted && pos->second != it.group) pos->second = -1;
  }
  std::set<std::string> kept;
  std::vector<Item> out;
  for (Item& it : items) {
    std::string k = matchKey(it.text);
    if (groupOfKey[k] >= 0 && kept.insert(k).second) out.push_back(std::move(it));
  }
  items.swap(out);
}

// The seeded walk over each class's subgroups that marks the OOD ones (the pool stays ID).
void splitSubgroups(std::vector<Subgroup>& subgroups) {
  for (size_t c = 0; c < classRoots().size(); ++c) {
    std::vector<size_t> order;
    size_t total = 0;
    for (size_t g = 0; g < subgroups.size(); ++g) {
      if (subgroups[g].label != static_cast<int>(c)) continue;
      total += subgroups[g].texts;
      if (!subgroups[g].pool && subgroups[g].texts > 0) order.push_back(g);
    }
    deterministicShuffle(order, kSeed ^ stableHash(classRoots()[c].name));
    size_t ood = 0;
    for (size_t g : order) {
      if (ood >= kOodTarget * total) break;
      if (ood + subgroups[g].texts > kOodMaxShare * total) continue;
      subgroups[g].ood = true;
      ood += subgroups[g].texts;
    }
  }
}

std::string lemmaKey(std::string w) {
  if (size_t paren = w.find('('); paren != std::string::npos) w.resize(paren);  // "(a)" adjective markers
  std::replace(w.begin(), w.end(), '_', ' ');
  return matchKey(w);
}

// Webster's 1913 texts for the OOD subgroups (rule in the header), deduplicated against `taken` and each other.
std::vector<Item> websterItems(const WordNetSubgroupsOptions& options, const WordNet& wn,
                               const std::vector<int>& groupOf, const std::vector<Subgroup>& subgroups,
                               const std::set<std::string>& taken) {
  std::map<std::string, int> groupOfLemma;  // -1: names a synset outside the OOD subgroups, or two subgroups
  for (size_t i = 0; i < wn.synsets.size(); ++i) {
    int g = groupOf[i] >= 0 && subgroups[groupOf[i]].ood ? groupOf[i] : -1;
    for (const std::string& w : wn.synsets[i].words) {
      auto [pos, inserted] = groupOfLemma.emplace(lemmaKey(w), g);
      if (!inserted && pos->second != g) pos->second = -1;
    }
  }
  std::vector<GcideParagraph> paragraphs = readGcide(options.gcideDict, options.gcideIndex);
  auto nounHeader = [](const GcideParagraph& p) {
    return p.opensBlock && (p.partOfSpeech == "n." || p.partOfSpeech.empty());
  };
  std::map<std::string, int> nounBlocks;  // headword -> noun blocks ("Lugger" the boat and the falcon: 2)
  for (const GcideParagraph& p : paragraphs)
    if (nounHeader(p)) ++nounBlocks[matchKey(p.headword)];
  std::vector<Item> items;
  bool inNounBlock = false;
  for (GcideParagraph& p : paragraphs) {
    if (p.opensBlock) inNounBlock = nounHeader(p);
    if (!inNounBlock || p.headword.empty() || p.wordnet || p.synonyms || !goodLength(p.text) ||
        gcideLostCharacters(p.text))
      continue;
    std::string head = matchKey(p.headword);
    auto it = groupOfLemma.find(head);
    if (it == groupOfLemma.end() || it->second < 0 || nounBlocks[head] != 1) continue;
    const char* tag = classRoots()[subgroups[it->second].label].tag;
    bool tagged = tag && std::find(p.tags.begin(), p.tags.end(), tag) != p.tags.end();
    if (!p.opensBlock && !tagged) continue;
    if (p.text.rfind("See ", 0) == 0 || p.text.rfind("Same as ", 0) == 0) continue;  // a cross-reference
    std::string key = " " + matchKey(p.text) + " ";
    if (key.find(" " + head + " ") != std::string::npos) continue;  // it names the word
    items.push_back({std::move(p.text), subgroups[it->second].label, it->second});
  }
  std::vector<Item> out;
  dedupe(items);
  for (Item& it : items)
    if (!taken.count(matchKey(it.text))) out.push_back(std::move(it));
  return out;
}

std::vector<std::vector<Item>> byClass(std::vector<Item> items, uint64_t seed) {
  std::vector<std::vector<Item>> out(classRoots().size());
  for (Item& it : items) out[it.label].push_back(std::move(it));
  for (size_t c = 0; c < out.size(); ++c) deterministicShuffle(out[c], seed ^ stableHash(classRoots()[c].name));
  return out;
}

size_t smallest(const std::vector<std::vector<Item>>& v) {
  size_t n = SIZE_MAX;
  for (const auto& c : v) n = std::min(n, c.size());
  return n;
}

// Interleaves the classes (training reads a split in order) and parts the items into examples and groups.
void emit(std::vector<Item> items, uint64_t seed, std::vector<Example>& split, std::vector<int>& groups) {
  deterministicShuffle(items, seed);
  for (Item& it : items) {
    split.push_back({std::move(it.text), it.label});
    groups.push_back(it.group);
  }
}

void take(const std::vector<Item>& from, size_t begin, size_t end, std::vector<Item>& to) {
  to.insert(to.end(), from.begin() + begin, from.begin() + end);
}

}  // namespace

WordNetSubgroupsBuild buildWordNetSubgroupsWithGroups(const WordNetSubgroupsOptions& options) {
  WordNet wn = readWordNet(options.wordnetDir);
  WordNetSubgroupsBuild b;
  std::vector<int> groupOf = assignSubgroups(wn, classMembership(wn), b.subgroups);
  std::vector<Item> items;
  std::set<std::string> taken;  // every WordNet definition considered, for deduplicating Webster's
  for (size_t i = 0; i < wn.synsets.size(); ++i) {
    if (groupOf[i] < 0 || !goodLength(wn.synsets[i].definition)) continue;
    items.push_back({wn.synsets[i].definition, b.subgroups[groupOf[i]].label, groupOf[i]});
    taken.insert(matchKey(wn.synsets[i].definition));
  }
  dedupe(items);
  for (const Item& it : items) ++b.subgroups[it.group].texts;
  splitSubgroups(b.subgroups);

  std::vector<Item> idItems, oodItems;
  for (Item& it : items) (b.subgroups[it.group].ood ? oodItems : idItems).push_back(std::move(it));
  auto idBy = byClass(std::move(idItems), kSeed + 1), oodBy = byClass(std::move(oodItems), kSeed + 2);
  size_t nId = smallest(idBy), nOod = smallest(oodBy);
  if (nId < kMinIdPerClass || nOod < kMinOodPerClass)
    throw Error("wordnet-subgroups: the installed wordnet-base gives too few definitions per class (" +
                std::to_string(nId) + " ID, " + std::to_string(nOod) + " OOD); reinstall the package");
  nId = std::min(nId, kMaxIdPerClass);
  nOod = std::min(nOod, kMaxOodPerClass);
  size_t nTest = nId / 5, nValidation = nId / 10;
  std::vector<Item> train, validation, test, ood;
  for (size_t c = 0; c < classRoots().size(); ++c) {
    take(idBy[c], 0, nTest, test);
    take(idBy[c], nTest, nTest + nValidation, validation);
    take(idBy[c], nTest + nValidation, nId, train);
    take(oodBy[c], 0, nOod, ood);
  }

  Task& t = b.task;
  t.name = kWordNetSubgroupsName;
  t.source = "built-in (wordnet-base, dict-gcide)";
  for (const auto& r : classRoots()) t.classes.push_back(r.name);
  emit(std::move(train), kSeed + 3, t.train, b.trainGroups);
  emit(std::move(validation), kSeed + 4, t.validation, b.validationGroups);
  emit(std::move(test), kSeed + 5, t.test, b.testGroups);
  emit(std::move(ood), kSeed + 6, t.ood, b.oodGroups);
  t.oodName = kOtherSubgroupsName;
  size_t idSubgroups = 0, oodSubgroups = 0;
  for (const Subgroup& s : b.subgroups) (s.ood ? oodSubgroups : idSubgroups) += s.texts > 0;
  t.notes.push_back("subpopulation shift: " + std::to_string(t.classes.size()) + " WordNet noun classes, " +
                    std::to_string(idSubgroups) + " ID and " + std::to_string(oodSubgroups) +
                    " OOD subgroups (sub-trees); train, validation and test come from the ID subgroups only");
  t.notes.push_back("pretraining overlap: the shipped base models were pretrained on a corpus holding every WordNet "
                    "gloss (with its head word), so this task's test and OOD texts were seen there as unlabelled "
                    "text; a corpus written now ('corpus') holds them out");

  auto webBy = byClass(websterItems(options, wn, groupOf, b.subgroups, taken), kSeed + 7);
  size_t nWeb = std::min(smallest(webBy), nOod);
  if (nWeb >= options.minWebsterPerClass) {
    std::vector<Item> web;
    for (size_t c = 0; c < classRoots().size(); ++c) take(webBy[c], 0, nWeb, web);
    OodSet set{kOtherSubgroupsWebsterName, {}};
    emit(std::move(web), kSeed + 8, set.examples, b.websterGroups);
    t.moreOod.push_back(std::move(set));
    t.notes.push_back(std::string("'") + kOtherSubgroupsWebsterName + "': Webster's 1913 definitions of the OOD "
                      "subgroups' words, a second shift (other subgroups and another dictionary's wording)");
  } else {
    t.notes.push_back(std::string("no '") + kOtherSubgroupsWebsterName + "' set: Webster's 1913 gives only " +
                      std::to_string(smallest(webBy)) + " texts for the smallest class (needs " +
                      std::to_string(options.minWebsterPerClass) + ")");
  }
  return b;
}

Task buildWordNetSubgroups(const WordNetSubgroupsOptions& options) {
  return buildWordNetSubgroupsWithGroups(options).task;
}

Task loadWordNetSubgroups(bool useCache) {
  WordNetSubgroupsOptions s;
  if (!useCache) return buildWordNetSubgroups(s);
  std::vector<std::string> files = {s.wordnetDir + "/data.noun", s.wordnetDir + "/data.verb",
                                    s.wordnetDir + "/data.adj",  s.wordnetDir + "/data.adv",
                                    s.gcideDict,                 s.gcideIndex};
  std::string dir = builtinTaskCacheDir(kWordNetSubgroupsName);
  Task t;
  if (readTaskCache(dir, kWordNetSubgroupsName, kWordNetSubgroupsVersion, files, t)) return t;
  t = buildWordNetSubgroups(s);
  writeTaskCache(dir, kWordNetSubgroupsVersion, files, t);
  return t;
}

}  // namespace pw::data
