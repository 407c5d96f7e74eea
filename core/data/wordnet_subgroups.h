// The built-in task "wordnet-subgroups": a BREEDS-style subpopulation shift. Each class is a WordNet noun
// sub-tree; its sub-trees (subgroups) are split into ID subgroups (train / validation / ID test) and OOD ones.
//
// Classes (fixed; WordNet 3.0 synset ids): bird 01503061-n, body part 05220461-n, clothing 03051540-n,
// disease 14070360-n, fish 02512053-n, flower 11669921-n ("a plant cultivated for its blooms"), food
// 07555863-n (solid food), insect 02159955-n, mammal 01861778-n, tree 13104059-n, vehicle 04524313-n,
// worker 09632518-n ("a person who works at a specific occupation"): twelve familiar, disjoint noun
// categories (the BREEDS / ImageNet kind: animals, plants, artifacts, people) with 450+ hyponyms each.
// A class holds its root's hyponym closure (hyponyms and instances); a synset under two roots is dropped.
//
// Subgroups: the root's direct hyponym sub-trees; while the largest holds more than a quarter of the
// class's synsets it is replaced by its own direct hyponym sub-trees (its top synset dropped). Sub-trees
// of fewer than three synsets are pooled into one "(small sub-trees)" subgroup that always stays ID. A
// synset in two subgroups of its class is dropped.
// Split: per class, the subgroups (by synset id) are shuffled with SplitMix64 (fixed seed ^ class name);
// walking that order, a subgroup goes OOD when the OOD side stays within half of the class's texts,
// until the OOD side holds 40 % or more; the rest are ID.
// Texts: WordNet definitions (no head word, no usage examples), 4-150 words, deduplicated (matchKey; a
// text under two classes or subgroups is dropped). Classes are balanced by down-sampling to the smallest
// class (seeded); the ID pool splits 70/10/20 into train / validation / ID test.
// OOD sets: "other subgroups" (WordNet definitions of the OOD subgroups) and, when Webster's 1913 gives at
// least `minWebsterPerClass` texts for every class, "other subgroups, Webster's": GCIDE paragraphs (WordNet-
// derived ones excluded) of headwords that name only synsets of one OOD subgroup (every part of speech
// counted) and have one noun block in GCIDE; the block's first-sense paragraph, or a later one carrying the
// class's subject tag (Zool., Bot., Anat., Med.); no cross-references, none naming the headword;
// deduplicated against every WordNet definition. With the installed packages the flower class gives too few
// (about 23), so the set is left out by default and a note says so.
#pragma once
#include <string>
#include <vector>

#include "data/task.h"

namespace pw::data {

inline const char* kWordNetSubgroupsName = "wordnet-subgroups";
// Bump when the builder changes: cached splits with another version are rebuilt.
inline const int kWordNetSubgroupsVersion = 1;
inline const char* kOtherSubgroupsName = "other subgroups";
inline const char* kOtherSubgroupsWebsterName = "other subgroups, Webster's";

struct WordNetSubgroupsOptions {
  std::string wordnetDir = "/usr/share/wordnet";
  std::string gcideDict = "/usr/share/dictd/gcide.dict.dz";
  std::string gcideIndex = "/usr/share/dictd/gcide.index";
  size_t minWebsterPerClass = 30;  // fewer for any class: no Webster's set (a note says why)
};

struct Subgroup {
  std::string name;  // "bird/wading_bird", "flower/(small sub-trees)"
  int label = 0;      // its class
  bool pool = false;  // the class's pooled small sub-trees (always ID)
  bool ood = false;   // an OOD subgroup
  size_t texts = 0;  // usable definitions before balancing
};

// The task and, for checks, where every example came from: the subgroup index of each example,
// parallel to the splits (websterGroups to moreOod[0] when that set exists).
struct WordNetSubgroupsBuild {
  Task task;
  std::vector<Subgroup> subgroups;
  std::vector<int> trainGroups, validationGroups, testGroups, oodGroups, websterGroups;
};

// Builds from the installed packages (no cache; the built-in task uses the default options).
// Deterministic. Throws pw::Error naming the package.
WordNetSubgroupsBuild buildWordNetSubgroupsWithGroups(const WordNetSubgroupsOptions& sources = {});
Task buildWordNetSubgroups(const WordNetSubgroupsOptions& sources = {});

// The cached task (built and cached on first use; rebuilt when the cache is stale or unreadable).
// Cached under builtinTaskCacheDir("wordnet-subgroups").
Task loadWordNetSubgroups(bool useCache = true);

}  // namespace pw::data
