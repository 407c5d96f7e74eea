// Webster's 1913 via GCIDE: entry -> sense paragraphs -> (subject tags, clean text, source).
#include "data/gcide.h"

#include <cctype>

#include "data/dictd.h"
#include "data/text.h"
#include "util/utf8.h"

namespace pw::data {

namespace {

// Paragraphs of an entry: blocks separated by blank lines or source-marker lines, each joined into one line.
std::vector<std::string> paragraphs(const std::string& entry) {
  std::vector<std::string> out;
  std::string cur;
  size_t pos = 0;
  while (pos <= entry.size()) {
    size_t nl = entry.find('\n', pos);
    std::string line = entry.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    std::string trimmed = collapseWhitespace(line);
    if (trimmed.empty()) {
      if (!cur.empty()) out.push_back(collapseWhitespace(cur));
      cur.clear();
    } else {
      cur += line;
      cur += ' ';
      // A line holding only a source marker ("[1913 Webster]") closes a sense even without a blank line.
      if (trimmed.front() == '[' && trimmed.back() == ']' && trimmed.find(']') == trimmed.size() - 1) {
        out.push_back(collapseWhitespace(cur));
        cur.clear();
      }
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  if (!collapseWhitespace(cur).empty()) out.push_back(collapseWhitespace(cur));
  return out;
}

// Removes "\Ab*do"men\" pronunciation groups; returns where the last one ended (0 if none).
std::string removePronunciations(const std::string& s, size_t& headerEnd) {
  std::string out;
  out.reserve(s.size());
  headerEnd = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      size_t j = s.find('\\', i + 1);
      if (j != std::string::npos && j - i < 100) {
        i = j;
        headerEnd = out.size();
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Text outside [...] groups, trimmed.
std::string outsideBrackets(const std::string& s) {
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '[') ++depth;
    else if (c == ']') depth = depth > 0 ? depth - 1 : 0;
    else if (depth == 0) out.push_back(c);
  }
  return collapseWhitespace(out);
}

// A subject tag opens a definition when what precedes it is a header (ending in a part of speech or a
// pronunciation), a sense number, an "(a)" enumeration, a "{phrase}", or nothing.
bool opensDefinition(const std::string& before) {
  std::string b = outsideBrackets(before);
  if (b.empty()) return true;
  char last = b.back();
  if (last == '}' || last == ')') return true;
  size_t sp = b.rfind(' ');
  std::string tok = b.substr(sp == std::string::npos ? 0 : sp + 1);
  if (tok.size() >= 2 && tok.back() == '.') {
    std::string core = tok.substr(0, tok.size() - 1);
    bool digits = !core.empty(), lower = !core.empty();
    for (char c : core) {
      digits = digits && std::isdigit(static_cast<unsigned char>(c));
      lower = lower && (std::islower(static_cast<unsigned char>(c)) || c == '.');
    }
    if (digits) return true;
    if (lower && core.size() <= 5) return true;  // n. a. v. t. i. adv. pl. prep.
  }
  return false;
}

// "n. pl. A dish ..." -> "A dish ...": drops leading lowercase abbreviations.
std::string stripPartOfSpeech(const std::string& s) {
  size_t b = 0;
  for (;;) {
    while (b < s.size() && (s[b] == ' ' || s[b] == '&' || s[b] == ';' || s[b] == ',')) ++b;
    size_t e = s.find(' ', b);
    if (e == std::string::npos) break;
    std::string tok = s.substr(b, e - b);
    while (!tok.empty() && (tok.back() == ',' || tok.back() == ';')) tok.pop_back();
    bool pos = tok.size() >= 2 && tok.size() <= 6 && tok.back() == '.';
    bool lower = pos, digits = pos;
    for (char c : tok) {
      lower = lower && (std::islower(static_cast<unsigned char>(c)) || c == '.');
      digits = digits && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
    }
    pos = lower || digits;  // "n.", "v. t.", and a sense number "1."
    if (!pos) break;
    b = e;
  }
  return s.substr(b);
}

bool startsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

GcideParagraph parseParagraph(const std::string& raw, bool first) {
  GcideParagraph p;
  std::string s = gcideConvertEntities(raw);
  // A stray next headword after the closing source marker ("[1913 Webster] Lacunae").
  if (size_t lb = s.rfind(']'); lb != std::string::npos) {
    std::string tail = s.substr(lb + 1);
    size_t n = wordCount(tail);
    if (n >= 1 && n <= 3 && tail.find_first_of(".,;:") == std::string::npos) s.resize(lb + 1);
  }
  // Source markers: "[1913 Webster]", "[Webster 1913 Suppl.]", "[WordNet 1.5]", "[Century Dict.]".
  for (size_t i = s.find('['); i != std::string::npos; i = s.find('[', i + 1)) {
    size_t j = s.find(']', i);
    if (j == std::string::npos) break;
    std::string c = s.substr(i, j - i);
    if (c.find("Webster") != std::string::npos || c.find("Century") != std::string::npos) p.webster = true;
    if (c.find("WordNet") != std::string::npos) p.wordnet = true;
  }
  if (startsWith(s, "Syn:") || startsWith(s, "Syn.")) {
    p.synonyms = true;
    p.text = gcideCleanBody(s.substr(4));
    return p;
  }
  size_t headerEnd = 0;
  std::string t = removePronunciations(s, headerEnd);
  if (!first) headerEnd = 0;
  size_t bodyStart = std::string::npos;
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '[') ++depth;
    if (t[i] == ']' && depth > 0) --depth;
    if (t[i] != '(' || depth > 0) continue;
    size_t j = t.find(')', i);
    if (j == std::string::npos || j - i > 40) continue;
    std::string content = collapseWhitespace(t.substr(i + 1, j - i - 1));
    if (!isSubjectTag(content) || !opensDefinition(t.substr(0, i))) continue;
    p.tags.push_back(content);
    if (bodyStart == std::string::npos) bodyStart = j + 1;
    i = j;
  }
  if (bodyStart != std::string::npos) {
    p.text = stripPartOfSpeech(gcideCleanBody(t.substr(bodyStart)));  // "(Mil.) pl. The collar ..."
  } else if (headerEnd > 0) {
    // Untagged first paragraph: drop the headword and pronunciation; the part of speech stays.
    std::string rest = t.substr(headerEnd);
    size_t k = rest.find_first_not_of(" ,");
    if (k != std::string::npos && rest[k] == '(') {
      size_t close = rest.find(')', k);
      if (close != std::string::npos && close - k < 60) rest = rest.substr(close + 1);
    }
    p.text = stripPartOfSpeech(gcideCleanBody(rest));
  } else {
    p.text = gcideCleanBody(t);
  }
  return p;
}

}  // namespace

GcideHeader gcideHeader(const std::string& raw) {
  std::string s = gcideConvertEntities(raw.substr(0, 200));
  size_t slash = s.find(" \\");
  if (slash == std::string::npos || slash == 0 || slash > 60) return {};
  GcideHeader h;
  h.word = collapseWhitespace(s.substr(0, slash));
  if (h.word.find_first_of(".,;:()[]{}\\\"") != std::string::npos || wordCount(h.word) > 4) return {};
  size_t pos = slash + 1;
  for (;;) {  // past the "\pron\" group and any ", Variant \pron\" alternatives
    size_t close = s[pos] == '\\' ? s.find('\\', pos + 1) : std::string::npos;
    if (close == std::string::npos) break;
    pos = s.find_first_not_of(" ,", close + 1);
    if (pos != std::string::npos && s[pos] == '(') {  // a respelling "([a^]f"t[~e]r*p[=e]s`)"
      size_t paren = s.find(')', pos);
      pos = paren == std::string::npos ? paren : s.find_first_not_of(" ,", paren + 1);
    }
    if (pos == std::string::npos) return h;
    size_t next = s.find(" \\", pos);
    bool variant = next != std::string::npos && next - pos <= 40 &&
                   s.substr(pos, next - pos).find_first_of(".[(") == std::string::npos;
    if (!variant) break;
    pos = next + 1;
  }
  size_t end = s.find_first_of(" ;,", pos);
  std::string tok = s.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  if (tok.size() >= 2 && tok.size() <= 5 && tok.back() == '.' && std::islower(static_cast<unsigned char>(tok[0])))
    h.partOfSpeech = tok;
  return h;
}

std::vector<GcideParagraph> readGcide(const std::string& dictPath, const std::string& indexPath) {
  std::vector<DictdEntry> entries = readDictd(dictPath, indexPath, "dict-gcide");
  std::vector<GcideParagraph> out;
  out.reserve(entries.size() * 2);
  for (const DictdEntry& e : entries) {
    std::vector<std::string> paras = paragraphs(dropInvalidUtf8(e.text));
    std::string headword;  // one dictd entry can hold several headword blocks ("Bass \Bass\ ...")
    for (size_t i = 0; i < paras.size(); ++i) {
      GcideParagraph p = parseParagraph(paras[i], i == 0);
      GcideHeader h = gcideHeader(paras[i]);
      if (!h.word.empty() || i == 0) headword = h.word;
      p.headword = headword;
      p.opensBlock = !h.word.empty();
      p.partOfSpeech = h.partOfSpeech;
      if (!p.text.empty()) out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace pw::data
