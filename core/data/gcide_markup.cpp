// GCIDE markup: character entities ("[ae]", "['e]"), subject tags ("(Zool.)"), citations ("--Milton."),
// etymology and source brackets, cross-reference braces. Turns a raw sense into plain English.
#include <cctype>
#include <map>

#include "data/gcide.h"
#include "data/text.h"

namespace pw::data {

namespace {

const std::map<std::string, std::string>& entityTable() {
  static const std::map<std::string, std::string> table = {
      {"ae", "ae"}, {"AE", "AE"}, {"oe", "oe"}, {"OE", "OE"}, {"=ae", "ae"}, {"imac", "i"}, {"aum", "a"},
      {"add", "a"}, {"asl", "a"}, {"udd", "u"}, {"eth", "th"}, {"thorn", "th"}, {"yogh", "y"},
      {"ng", "ng"}, {"th", "th"}, {"=oo", "oo"}, {"oo^", "oo"}, {".oo", "oo"}, {"dsdot", "d"},
      {"zdot", "z"}, {"tsdo", "t"}, {"lsdot", "l"}, {"mdot", "m"}, {"deg", "°"}, {"sect", "§"},
      {"times", "×"}, {"divby", "÷"}, {"div", "÷"}, {"sharp", "♯"}, {"flat", "♭"}, {"nbsp", " "},
      {"ldqo", "\""}, {"rdqo", "\""}, {"lsquo", "'"}, {"rsquo", "'"}, {"para", "¶"}, {"dag", "†"},
      {"schwa", "ə"}, {"break", " "}, {"min", "′"}, {"sec", "″"},
      {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"}, {"zeta", "ζ"},
      {"eta", "η"}, {"theta", "θ"}, {"iota", "ι"}, {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"},
      {"nu", "ν"}, {"xi", "ξ"}, {"pi", "π"}, {"rho", "ρ"}, {"sigma", "σ"}, {"tau", "τ"},
      {"upsilon", "υ"}, {"phi", "φ"}, {"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"},
      {"Delta", "Δ"}, {"Theta", "Θ"}, {"Pi", "Π"}, {"Sigma", "Σ"}, {"Phi", "Φ"}, {"Omega", "Ω"}};
  return table;
}

// "[=a]", "['e]", "[a^]", "[,c]": one letter with accent marks -> the letter.
bool accentedLetter(const std::string& c, char& letter) {
  static const std::string marks = "=^.~-\"'`,*";
  int letters = 0;
  for (char ch : c) {
    if (std::isalpha(static_cast<unsigned char>(ch))) {
      ++letters;
      letter = ch;
    } else if (marks.find(ch) == std::string::npos) {
      return false;
    }
  }
  // "[R.]", "[F.]" are abbreviations (rare, French), not accented letters.
  return letters == 1 && c.size() >= 2 && c.size() <= 4 && c.back() != '.';
}

bool isAsciiAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Removes [...] groups (nested); an unmatched '[' is dropped alone.
std::string removeBrackets(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') {
      int depth = 0;
      size_t j = i;
      for (; j < s.size(); ++j) {
        if (s[j] == '[') ++depth;
        if (s[j] == ']' && --depth == 0) break;
      }
      if (j < s.size()) {
        i = j;
        out.push_back(' ');
      }
      continue;
    }
    if (s[i] == ']') continue;
    out.push_back(s[i]);
  }
  return out;
}

bool isRomanOrNumber(const std::string& t) {
  bool any = false;
  for (char c : t) {
    if (std::isdigit(static_cast<unsigned char>(c)) || std::string("ivxlcdm").find(c) != std::string::npos) {
      any = true;
    } else if (std::string(".,;:").find(c) == std::string::npos) {
      return false;
    }
  }
  return any;
}

// "--Milton.", "--Sir K. Digby.", "--Shak., Julius Caesar, iii." at `i` (the dashes): end of the citation.
size_t citationEnd(const std::string& s, size_t i) {
  size_t j = i + 2;
  auto tokenEnd = [&](size_t from) {
    size_t k = from;
    while (k < s.size() && s[k] != ' ') ++k;
    return k;
  };
  size_t end = tokenEnd(j);
  std::string prev = s.substr(j, end - j);
  for (int n = 0; n < 10 && end < s.size(); ++n) {
    size_t start = end + 1;
    size_t e = tokenEnd(start);
    std::string tok = s.substr(start, e - start);
    if (tok.empty()) break;
    bool abbrev = tok.back() == '.' || tok.back() == ',';
    bool cont = isUpper(tok[0]) || isRomanOrNumber(tok) || tok == "&" || tok == "of" || tok == "de" ||
                (tok[0] == '(' && tok.size() > 1 && isUpper(tok[1]));
    // "--Dryden. Used also ...": a full name with a period, then an ordinary capitalised word.
    if (cont && isUpper(tok[0]) && !abbrev && prev.size() > 3 && prev.back() == '.') cont = false;
    if (!cont) break;
    end = e;
    prev = tok;
  }
  return end;
}

std::string removeCitations(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-' && i + 2 < s.size() && s[i + 1] == '-' && isUpper(s[i + 2]) && (i == 0 || s[i - 1] != '-')) {
      i = citationEnd(s, i) - 1;
      out.push_back(' ');
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// Parenthesised groups that are markup: subject tags, "(a)" enumerations, empty ones.
std::string removeMarkupParens(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') {
      size_t j = s.find(')', i);
      if (j != std::string::npos && j - i < 40) {
        std::string c = collapseWhitespace(s.substr(i + 1, j - i - 1));
        bool enumeration = (c.size() == 1 && std::islower(static_cast<unsigned char>(c[0]))) ||
                           (!c.empty() && c.size() <= 2 && std::isdigit(static_cast<unsigned char>(c[0])));
        if (c.empty() || enumeration || isSubjectTag(c)) {
          i = j;
          out.push_back(' ');
          continue;
        }
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Run-in derived words ("-- {Ab*dom"i*nal*ly}, adv.") end a definition.
size_t runInStart(const std::string& s) {
  for (size_t i = s.find("--"); i != std::string::npos; i = s.find("--", i + 2)) {
    size_t k = i + 2;
    while (k < s.size() && s[k] == ' ') ++k;
    if (k < s.size() && s[k] == '{') {
      size_t close = s.find('}', k);
      std::string inner = s.substr(k, close == std::string::npos ? std::string::npos : close - k);
      if (inner.find_first_of("*`\"") != std::string::npos) return i;
    }
    if (s.compare(k, 3, "n. ") == 0 || s.compare(k, 3, "a. ") == 0 || s.compare(k, 4, "adv.") == 0 ||
        s.compare(k, 3, "v. ") == 0)
      return i;
  }
  return std::string::npos;
}

std::string tidyPunctuation(const std::string& s) {
  std::string t = collapseWhitespace(s);
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == ' ' && i + 1 < t.size() && std::string(",.;:)?!").find(t[i + 1]) != std::string::npos) continue;
    if (c == ' ' && !out.empty() && out.back() == '(') continue;
    out.push_back(c);
  }
  // Leading enumerations and punctuation left by removed markup.
  size_t b = 0;
  for (;;) {
    while (b < out.size() && std::string(" ,;:.-").find(out[b]) != std::string::npos) ++b;
    size_t k = b;
    while (k < out.size() && std::isdigit(static_cast<unsigned char>(out[k]))) ++k;
    if (k > b && k < out.size() && out[k] == '.') {
      b = k + 1;
      continue;
    }
    if (out.compare(b, 5, "Note:") == 0) {
      b += 5;
      continue;
    }
    if (out.compare(b, 4, "Syn.") == 0) {
      b += 4;
      continue;
    }
    break;
  }
  out = out.substr(b);
  if (out.rfind("\xE2\x80\x94 ", 0) == 0) out = out.substr(4);  // leading em dash
  while (!out.empty() && (out.back() == ' ' || out.back() == ';' || out.back() == ',' || out.back() == ':'))
    out.pop_back();
  if (out.size() >= 4 && out.compare(out.size() - 4, 4, " \xE2\x80\x94") == 0) out.resize(out.size() - 4);
  return out;
}

}  // namespace

std::string gcideConvertEntities(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') {
      size_t j = s.find_first_of("[]", i + 1);
      if (j != std::string::npos && s[j] == ']' && j - i - 1 <= 8) {
        std::string c = s.substr(i + 1, j - i - 1);
        auto it = entityTable().find(c);
        char letter;
        if (it != entityTable().end()) {
          out += it->second;
          i = j;
          continue;
        }
        if (accentedLetter(c, letter)) {
          out.push_back(letter);
          i = j;
          continue;
        }
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool isSubjectTag(const std::string& content) {
  static const std::vector<std::string> bare = {
      "Law", "Physics", "Mining", "Computers", "Cookery", "Baseball", "Logic", "Music", "Electricity",
      "Chemistry", "Zoology", "Botany", "Anatomy", "Medicine", "Surgery", "Optics", "Football", "Golf",
      "Cricket", "Heraldry", "Commerce", "Shipbuilding", "Mythology", "Architecture", "Biology", "Geology",
      "Astronomy", "Philately", "Poetry", "Brewing", "Tennis", "Chess", "Military", "Pathology"};
  std::vector<std::string> words = splitWords(content);
  if (words.empty() || words.size() > 4) return false;
  bool period = false;
  for (const std::string& w : words) {
    if (w == "&" || w == "and") continue;
    std::string core = w;
    while (!core.empty() && (core.back() == ',' || core.back() == '.')) {
      if (core.back() == '.') period = true;
      core.pop_back();
    }
    if (core.empty() || !isUpper(core[0])) return false;
    for (char c : core)
      if (!isAsciiAlpha(c) && c != '-') return false;
  }
  if (period) return true;
  for (const std::string& b : bare)
    if (content == b) return true;
  return false;
}

std::string gcideCleanBody(const std::string& raw) {
  std::string s = raw;
  if (size_t cut = runInStart(s); cut != std::string::npos) s.resize(cut);
  s = removeBrackets(s);
  s = removeMarkupParens(s);
  s = removeCitations(s);
  std::string t;
  t.reserve(s.size());
  bool inBrace = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '{') { inBrace = true; continue; }
    if (c == '}') { inBrace = false; continue; }
    if (c == '\\') continue;
    if (inBrace && (c == '*' || c == '`' || c == '"')) continue;
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      t += " \xE2\x80\x94 ";  // "--" is a dash in GCIDE
      while (i + 1 < s.size() && s[i + 1] == '-') ++i;
      continue;
    }
    t.push_back(c);
  }
  return tidyPunctuation(t);
}

bool gcideLostCharacters(const std::string& t) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '?') continue;
    char next = i + 1 < t.size() ? t[i + 1] : ' ';
    char prev = i > 0 ? t[i - 1] : ' ';
    if (prev == ' ' || prev == '(' || (next != ' ' && next != '"' && next != '\'' && next != ')')) return true;
  }
  return false;
}

}  // namespace pw::data
