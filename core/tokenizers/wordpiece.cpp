// WordPiece (BERT) tokenizer: basic tokenizer + greedy longest-match-first, with [CLS] A [SEP].
#include "tokenizers/wordpiece.h"

#include "tokenizers/bert_pretokenizer.h"
#include "tokenizers/special_tokens.h"
#include "tokenizers/unicode_text.h"
#include "util/error.h"

namespace pw::tok {

namespace {

WordPieceOptions optionsOf(bool lowercase, const std::string& unkToken, const std::string& prefix, int maxWordChars) {
  WordPieceOptions o;
  o.text = BertTextOptions{lowercase, lowercase, true};
  o.unk = unkToken, o.prefix = prefix, o.maxWordChars = maxWordChars;
  return o;
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(TokenVocab vocab, bool lowercase, const std::string& unkToken,
                                       const std::string& prefix, int maxWordChars)
    : WordPieceTokenizer(std::move(vocab), optionsOf(lowercase, unkToken, prefix, maxWordChars)) {}

WordPieceTokenizer::WordPieceTokenizer(TokenVocab vocab, const WordPieceOptions& o)
    : vocab_(std::move(vocab)), text_(o.text), prefix_(o.prefix), maxWordChars_(o.maxWordChars) {
  unk_ = vocab_.find(o.unk);
  if (unk_ < 0) throw fileError(vocab_.source, "vocabulary has no unknown token '" + o.unk + "'");
  cls_ = vocab_.find(o.cls);
  sep_ = vocab_.find(o.sep);
  pad_ = std::max<int64_t>(0, vocab_.find(o.pad));
  for (const std::string& s : {o.pad, o.unk, o.cls, o.sep, o.mask}) {
    int64_t id = vocab_.find(s);
    if (id >= 0 && specialIds_.insert(id).second) specials_.push_back(s);
  }
  for (const std::string& s : o.extraSpecials) {
    const int64_t id = vocab_.find(s);
    if (id < 0)
      throw fileError(vocab_.source, "the special token '" + s + "' (tokenizer_config.json) is not in the vocabulary; "
                                     "tokens added beyond the vocabulary file are not supported");
    if (specialIds_.insert(id).second) specials_.push_back(s);
  }
  for (const std::string& t : vocab_.tokens) maxTokenBytes_ = std::max(maxTokenBytes_, t.size());
}

std::string WordPieceTokenizer::idToToken(int64_t id) const {
  if (id < 0 || id >= vocabSize()) return std::string();
  return vocab_.tokens[static_cast<size_t>(id)];
}

void WordPieceTokenizer::encodeWord(const std::string& word, std::vector<int64_t>& ids) const {
  std::vector<size_t> starts;  // byte offset of each code point, plus the end
  for (size_t i = 0; i < word.size(); ++i)
    if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (static_cast<int>(starts.size()) > maxWordChars_) {
    ids.push_back(unk_);
    return;
  }
  starts.push_back(word.size());
  const size_t n = starts.size() - 1;
  const size_t firstOut = ids.size();
  std::string piece;
  for (size_t start = 0; start < n;) {
    int64_t found = -1;
    size_t end = n;
    for (; end > start; --end) {
      size_t bytes = starts[end] - starts[start];
      if (bytes + (start > 0 ? prefix_.size() : 0) > maxTokenBytes_) continue;
      piece.assign(start > 0 ? prefix_ : std::string());
      piece.append(word, starts[start], bytes);
      found = vocab_.find(piece);
      if (found >= 0) break;
    }
    if (found < 0) {  // no piece fits: the whole word is unknown
      ids.resize(firstOut);
      ids.push_back(unk_);
      return;
    }
    ids.push_back(found);
    start = end;
  }
}

void WordPieceTokenizer::encodeText(const std::string& text, std::vector<int64_t>& ids) const {
  std::vector<std::string> words;
  for (const TextPiece& p : splitOnSpecials(text, specials_)) {
    if (p.special) {
      ids.push_back(vocab_.find(p.text));
      continue;
    }
    words.clear();
    bertPreTokenize(p.text, text_, words);
    for (const std::string& w : words) encodeWord(w, ids);
  }
}

std::vector<std::string> WordPieceTokenizer::tokenize(const std::string& text) const {
  std::vector<int64_t> ids;
  encodeText(text, ids);
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int64_t id : ids) out.push_back(idToToken(id));
  return out;
}

std::vector<int64_t> WordPieceTokenizer::encode(const std::string& text, bool addSpecial) const {
  std::vector<int64_t> ids;
  if (addSpecial && cls_ >= 0) ids.push_back(cls_);
  encodeText(text, ids);
  if (addSpecial && sep_ >= 0) ids.push_back(sep_);
  return ids;
}

std::string WordPieceTokenizer::decode(const std::vector<int64_t>& ids, bool skipSpecial) const {
  // Like transformers: join with spaces, glue "##" pieces, then tidy spaces before punctuation.
  std::string text;
  for (int64_t id : ids) {
    if (id < 0 || id >= vocabSize() || (skipSpecial && isSpecial(id))) continue;
    const std::string& t = vocab_.tokens[static_cast<size_t>(id)];
    if (!prefix_.empty() && t.rfind(prefix_, 0) == 0 && !text.empty()) {
      text.append(t, prefix_.size(), std::string::npos);
    } else {
      if (!text.empty()) text += ' ';
      text += t;
    }
  }
  static const std::pair<const char*, const char*> kCleanups[] = {
      {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kCleanups) {
    std::string f(from), t(to), out;
    size_t pos = 0;
    for (size_t at; (at = text.find(f, pos)) != std::string::npos; pos = at + f.size()) {
      out.append(text, pos, at - pos);
      out += t;
    }
    out.append(text, pos, std::string::npos);
    text.swap(out);
  }
  return text;
}

}  // namespace pw::tok
