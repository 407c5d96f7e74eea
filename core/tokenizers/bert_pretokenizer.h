// BERT's basic tokenizer: the words WordPiece then splits (shared by the tokenizer and its trainer).
#pragma once
#include <string>
#include <vector>

namespace pw::tok {

// Cleans text (drops NUL, U+FFFD and control characters, whitespace -> space), puts spaces around CJK
// ideographs, splits on whitespace, lowercases + strips accents when `lowercase`, and splits every
// punctuation character into its own word. Appends the words to `out`. Text must be valid UTF-8
// (invalid bytes are dropped).
void bertPreTokenize(const std::string& text, bool lowercase, std::vector<std::string>& out);
std::vector<std::string> bertPreTokenize(const std::string& text, bool lowercase);

// The switches of transformers' BasicTokenizer, as tokenizer_config.json gives them.
struct BertTextOptions {
  bool lowercase = true;     // do_lower_case
  bool stripAccents = true;  // strip_accents; null there means "as do_lower_case"
  bool chineseChars = true;  // tokenize_chinese_chars: each CJK ideograph its own word
};
void bertPreTokenize(const std::string& text, const BertTextOptions& options, std::vector<std::string>& out);

}  // namespace pw::tok
