// BERT's basic tokenizer (transformers' BasicTokenizer), with an ASCII fast path for corpus training.
#include "tokenizers/bert_pretokenizer.h"

#include "tokenizers/unicode_text.h"
#include "util/utf8.h"

namespace pw::tok {
namespace {

bool isAsciiPunct(unsigned char c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

// One whitespace-delimited word: lowercase and / or strip accents, then split off punctuation.
void finishWord(std::string& word, const BertTextOptions& o, std::vector<std::string>& out) {
  const bool lowercase = o.lowercase;
  if (word.empty()) return;
  if (isAscii(word)) {
    std::string part;
    for (char ch : word) {
      auto c = static_cast<unsigned char>(ch);
      if (isAsciiPunct(c)) {
        if (!part.empty()) out.push_back(std::move(part));
        part.clear();
        out.emplace_back(1, ch);
      } else {
        part += (lowercase && c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch;
      }
    }
    if (!part.empty()) out.push_back(std::move(part));
  } else {
    const std::string lowered = lowercase ? toLowerUtf8(word) : word;
    const std::string w = o.stripAccents ? stripAccents(lowered) : lowered;
    std::string part;
    for (size_t i = 0; i < w.size();) {
      size_t start = i;
      int32_t cp = nextCodePoint(w, i);
      if (cp < 0) continue;
      if (isBertPunctuation(cp)) {
        if (!part.empty()) out.push_back(std::move(part));
        part.clear();
        out.push_back(w.substr(start, i - start));
      } else {
        part.append(w, start, i - start);
      }
    }
    if (!part.empty()) out.push_back(std::move(part));
  }
  word.clear();
}

}  // namespace

void bertPreTokenize(const std::string& text, bool lowercase, std::vector<std::string>& out) {
  bertPreTokenize(text, BertTextOptions{lowercase, lowercase, true}, out);
}

void bertPreTokenize(const std::string& text, const BertTextOptions& o, std::vector<std::string>& out) {
  std::string word;
  for (size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {  // ASCII: whitespace splits, other controls vanish, the rest joins the word
      ++i;
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        finishWord(word, o, out);
      } else if (b >= 32 && b != 127) {
        word += static_cast<char>(b);
      }
      continue;
    }
    size_t start = i;
    int32_t cp = nextCodePoint(text, i);
    if (cp < 0 || cp == 0xFFFD || isBertControl(cp)) continue;
    if (isBertWhitespace(cp)) {
      finishWord(word, o, out);
    } else if (o.chineseChars && isCjkIdeograph(cp)) {
      finishWord(word, o, out);
      word.append(text, start, i - start);
      finishWord(word, o, out);
    } else {
      word.append(text, start, i - start);
    }
  }
  finishWord(word, o, out);
}

std::vector<std::string> bertPreTokenize(const std::string& text, bool lowercase) {
  std::vector<std::string> out;
  bertPreTokenize(text, lowercase, out);
  return out;
}

}  // namespace pw::tok
