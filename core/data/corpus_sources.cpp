// Corpus sources read from plain files: GCIDE paragraphs, WordNet glosses, other dictd databases
// (FOLDOC, Jargon File, Devil's Dictionary) and fortune cookies.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "data/corpus.h"
#include "data/dictd.h"
#include "data/gcide.h"
#include "data/text.h"
#include "data/wordnet.h"

namespace pw::data {

namespace fs = std::filesystem;

void corpusFromGcide(const Emit& emit) {
  for (const GcideParagraph& p : readGcide()) {
    // WordNet 1.5 text inside GCIDE would echo the OOD glosses; WordNet 3.0 comes in on its own.
    if (p.synonyms || (p.wordnet && !p.webster)) continue;
    emit(p.text);
  }
}

void corpusFromWordNet(const Emit& emit) {
  WordNet wn = readWordNet();
  for (const Synset& s : wn.synsets) {
    if (s.definition.empty()) continue;
    std::string head = s.words.empty() ? "" : s.words[0];
    std::replace(head.begin(), head.end(), '_', ' ');
    // Adjective markers such as "(a)" / "(p)" on lemmas.
    if (size_t paren = head.find('('); paren != std::string::npos) head.resize(paren);
    std::string line = head.empty() ? s.definition : head + ": " + s.definition;
    for (const std::string& ex : s.examples) line += "; \"" + ex + "\"";
    emit(line);
  }
}

namespace {

// One dictd entry as prose: paragraphs joined, braces and leading "<category>" labels dropped,
// headword lines, dates and bare references (a paragraph under three words) left out.
std::string dictdEntryText(const std::string& raw) {
  std::string out, para;
  auto flush = [&] {
    std::string p = collapseWhitespace(para);
    para.clear();
    if (wordCount(p) < 3) return;
    while (!p.empty() && p[0] == '<') {
      size_t close = p.find('>');
      if (close == std::string::npos || close > 60) break;
      p = collapseWhitespace(p.substr(close + 1));
    }
    if (!out.empty()) out += ' ';
    out += p;
  };
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t nl = raw.find('\n', pos);
    std::string line = raw.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? raw.size() : nl + 1;
    if (collapseWhitespace(line).empty()) flush();
    else para += line + ' ';
  }
  flush();
  out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return c == '{' || c == '}'; }), out.end());
  return out;
}

bool mostlyLetters(const std::string& s) {
  size_t letters = 0, other = 0;
  for (unsigned char c : s) {
    if (std::isalpha(c) || c >= 0x80) ++letters;
    else if (!std::isspace(c)) ++other;
  }
  return letters >= 3 * other;
}

}  // namespace

void corpusFromDictd(const std::string& name, const Emit& emit) {
  std::string base = "/usr/share/dictd/" + name;
  for (const DictdEntry& e : readDictd(base + ".dict.dz", base + ".index", "dict-" + name)) {
    std::string text = dictdEntryText(e.text);
    if (mostlyLetters(text)) emit(text);
  }
}

void corpusFromFortunes(const std::string& dir, const Emit& emit) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string n = e.path().filename().string();
    if (e.is_symlink() || !e.is_regular_file() || e.path().has_extension() || n == "ascii-art") continue;
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::string data = readMaybeGzip(f.string());
    std::string cookie;
    size_t pos = 0;
    while (pos <= data.size()) {
      size_t nl = data.find('\n', pos);
      std::string line = data.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      bool end = nl == std::string::npos;
      pos = end ? data.size() + 1 : nl + 1;
      if (line == "%" || end) {
        if (end) cookie += line;
        std::string text = collapseWhitespace(cookie);
        if (mostlyLetters(text)) emit(text);
        cookie.clear();
      } else {
        cookie += line + '\n';
      }
    }
  }
}

}  // namespace pw::data
