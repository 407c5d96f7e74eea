// Corpus assembly: runs every installed source, drops held-out (test / OOD) texts and exact repeats,
// shuffles lines with a fixed seed and writes one document per line.
#include "data/corpus.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <unordered_set>

#include "data/dictd.h"
#include "data/gcide.h"
#include "data/rng.h"
#include "data/text.h"
#include "data/wordnet.h"
#include "util/error.h"
#include "util/utf8.h"

namespace pw::data {

namespace fs = std::filesystem;

namespace {
constexpr size_t kShingleWords = 6;

size_t codePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::vector<size_t> wordStarts(const std::string& key) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < key.size(); ++i)
    if (i == 0 || key[i - 1] == ' ') starts.push_back(i);
  return starts;
}

// Hash of the `n` words starting at word `i` (keys have single spaces between words).
uint64_t hashWords(const std::string& key, const std::vector<size_t>& starts, size_t i, size_t n) {
  size_t end = i + n < starts.size() ? starts[i + n] - 1 : key.size();
  return stableHash(key.substr(starts[i], end - starts[i]));
}
}  // namespace

HeldOutFilter::HeldOutFilter(const std::vector<std::string>& texts) {
  std::unordered_set<std::string> seen;
  for (const std::string& t : texts) {
    std::string k = matchKey(t);
    if (k.empty() || !seen.insert(k).second) continue;
    std::vector<size_t> starts = wordStarts(k);
    size_t n = std::min(starts.size(), kShingleWords);
    if (std::find(lengths_.begin(), lengths_.end(), n) == lengths_.end()) lengths_.push_back(n);
    shingles_.push_back({hashWords(k, starts, 0, n), keys_.size()});
    keys_.push_back(std::move(k));
  }
  std::sort(lengths_.begin(), lengths_.end());
  std::sort(shingles_.begin(), shingles_.end());
}

bool HeldOutFilter::holdsHeldOut(const std::string& document) const {
  if (keys_.empty()) return false;
  std::string key = matchKey(document);
  std::vector<size_t> starts = wordStarts(key);
  for (size_t n : lengths_) {
    for (size_t i = 0; i + n <= starts.size(); ++i) {
      uint64_t h = hashWords(key, starts, i, n);
      auto it = std::lower_bound(shingles_.begin(), shingles_.end(), std::make_pair(h, size_t(0)));
      for (; it != shingles_.end() && it->first == h; ++it) {
        const std::string& k = keys_[it->second];
        size_t at = starts[i];
        if (key.compare(at, k.size(), k) == 0 && (at + k.size() == key.size() || key[at + k.size()] == ' '))
          return true;
      }
    }
  }
  return false;
}

std::vector<std::string> heldOutTexts(const Task& task) {
  std::vector<std::string> out;
  for (const Example& e : task.test) out.push_back(e.text);
  for (const OodSet& set : task.oodSets())
    for (const Example& e : set.examples) out.push_back(e.text);
  return out;
}

std::vector<std::string> builtinHeldOutTexts(const TaskOptions& options) {
  std::vector<std::string> out;
  for (const std::string& name : builtinTaskNames())
    for (std::string& t : heldOutTexts(loadTask(name, options))) out.push_back(std::move(t));
  return out;
}

namespace {

struct Source {
  std::string name, package, path;
  std::function<void(const Emit&)> run;
};

std::vector<Source> allSources() {
  const std::string sword = "/usr/share/sword/modules/texts/ztext/engWEB2015eb";
  const std::string kjv = "/usr/share/sword/modules/texts/ztext/engKJV2006eb";
  std::string podDir;
  std::error_code ec;
  if (fs::is_directory("/usr/share/perl", ec))
    for (const auto& e : fs::directory_iterator("/usr/share/perl", ec))
      if (fs::is_directory(e.path() / "pod") && (podDir.empty() || e.path().string() > podDir))
        podDir = (e.path() / "pod").string();
  std::vector<Source> sources = {
      {"gcide", "dict-gcide", kGcideDict, [](const Emit& e) { corpusFromGcide(e); }},
      {"wordnet", "wordnet-base", std::string(kWordNetDir) + "/data.noun", [](const Emit& e) { corpusFromWordNet(e); }},
      {"foldoc", "dict-foldoc", "/usr/share/dictd/foldoc.dict.dz", [](const Emit& e) { corpusFromDictd("foldoc", e); }},
      {"jargon", "dict-jargon", "/usr/share/dictd/jargon.dict.dz", [](const Emit& e) { corpusFromDictd("jargon", e); }},
      {"devil", "dict-devil", "/usr/share/dictd/devil.dict.dz", [](const Emit& e) { corpusFromDictd("devil", e); }},
      {"fortunes", "fortunes", "/usr/share/games/fortunes/cookie",
       [](const Emit& e) { corpusFromFortunes("/usr/share/games/fortunes", e); }},
      {"world-english-bible", "sword-text-web", sword + "/ot.bzz", [sword](const Emit& e) { corpusFromSword(sword, e); }},
      {"king-james-bible", "sword-text-kjv", kjv + "/ot.bzz", [kjv](const Emit& e) { corpusFromSword(kjv, e); }},
      {"perl-manuals", "perl-doc", podDir.empty() ? "/usr/share/perl/pod" : podDir + "/perlfaq4.pod",
       [podDir](const Emit& e) { corpusFromPod(podDir, e); }},
  };
  return sources;
}

}  // namespace

std::vector<std::string> corpusSourceNames() {
  std::vector<std::string> names;
  for (const Source& s : allSources()) names.push_back(s.name);
  return names;
}

CorpusStats writeCorpus(const std::string& outPath, const std::vector<std::string>& heldOut,
                        const CorpusOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  requirePackageFile(kGcideDict, "dict-gcide");
  requirePackageFile(std::string(kWordNetDir) + "/data.noun", "wordnet-base");
  std::vector<Source> sources;
  for (const Source& s : allSources())
    if (options.sources.empty() ||
        std::find(options.sources.begin(), options.sources.end(), s.name) != options.sources.end())
      sources.push_back(s);
  for (const std::string& name : options.sources) {
    std::vector<std::string> known = corpusSourceNames();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw Error("unknown corpus source '" + name + "' (known: " + list + ")");
    }
  }
  HeldOutFilter filter(heldOut);
  std::error_code ec;

  CorpusStats stats;
  std::vector<std::string> lines;
  std::unordered_set<uint64_t> seen;
  for (const Source& src : sources) {
    CorpusSourceStats s;
    s.name = src.name;
    s.package = src.package;
    s.available = fs::exists(src.path, ec);
    if (s.available) {
      src.run([&](const std::string& raw) {
        std::string doc = collapseWhitespace(dropInvalidUtf8(raw));
        size_t words = wordCount(doc);
        if (words < 3) return;
        if (!seen.insert(stableHash(matchKey(doc))).second) {
          ++s.duplicates;
          return;
        }
        if (filter.holdsHeldOut(doc)) {
          ++s.excluded;
          return;
        }
        ++s.documents;
        s.words += words;
        s.chars += codePoints(doc);
        lines.push_back(std::move(doc));
      });
    }
    if (options.progress)
      options.progress(s.name + ": " + (s.available ? std::to_string(s.words) + " words, " +
                                                          std::to_string(s.documents) + " documents"
                                                    : "skipped (apt-get install " + s.package + ")"));
    stats.documents += s.documents;
    stats.words += s.words;
    stats.chars += s.chars;
    stats.excluded += s.excluded;
    stats.duplicates += s.duplicates;
    stats.sources.push_back(s);
  }
  if (options.shuffle) deterministicShuffle(lines, options.seed);

  std::string tmp = outPath + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw fileError(outPath, "cannot write the corpus here");
    for (const std::string& l : lines) out << l << '\n';
    out.close();
    if (!out) throw fileError(outPath, "writing the corpus failed (disk full?)");
  }
  fs::rename(tmp, outPath, ec);
  if (ec) throw fileError(outPath, "cannot move the finished corpus into place: " + ec.message());
  stats.chars += stats.documents;  // the newlines
  stats.bytes = fs::file_size(outPath, ec);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return stats;
}

}  // namespace pw::data
