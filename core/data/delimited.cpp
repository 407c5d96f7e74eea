// RFC 4180 CSV and lenient TSV record parsing with line tracking.
#include "data/delimited.h"

#include "util/error.h"

namespace pw::data {

namespace {

class Parser {
 public:
  Parser(const std::string& path, const std::string& s, char sep) : path_(path), s_(s), sep_(sep) {}

  // Reads one record into `fields`; returns false at the end of input. Skips empty lines.
  bool record(std::vector<std::string>& fields, size_t& startLine) {
    fields.clear();
    while (pos_ < s_.size() && (s_[pos_] == '\n' || s_[pos_] == '\r')) newline();
    if (pos_ >= s_.size()) return false;
    startLine = line_;
    for (;;) {
      fields.push_back(field());
      if (pos_ >= s_.size()) return true;
      if (s_[pos_] == sep_) {
        ++pos_;
        continue;
      }
      newline();  // at '\n' or '\r'
      return true;
    }
  }

 private:
  void newline() {
    if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  bool atFieldEnd(size_t p) const { return p >= s_.size() || s_[p] == sep_ || s_[p] == '\n' || s_[p] == '\r'; }

  std::string field() {
    if (pos_ < s_.size() && s_[pos_] == '"') {
      if (sep_ == ',') return quoted(true);
      // TSV: a quoted field only if it is well formed; otherwise the quote is literal text.
      size_t savePos = pos_, saveLine = line_;
      try {
        return quoted(false);
      } catch (const Error&) {
        pos_ = savePos;
        line_ = saveLine;
      }
    }
    size_t start = pos_;
    while (!atFieldEnd(pos_)) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  std::string quoted(bool strict) {
    size_t openLine = line_;
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size())
        throw fileError(path_ + ":" + std::to_string(openLine),
                        "unterminated quoted field (a '\"' opened here is never closed)");
      char c = s_[pos_];
      if (c == '"') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
          out.push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        if (!atFieldEnd(pos_))
          throw fileError(path_ + ":" + std::to_string(line_),
                          strict ? "unexpected text after a closing quote (write a quote inside a quoted field as \"\")"
                                 : "not a quoted field");
        return out;
      }
      if (c == '\n') ++line_;
      if (!strict && c == '\n') throw Error("not a quoted field");  // TSV: no multi-line fields
      out.push_back(c);
      ++pos_;
    }
  }

  const std::string& path_;
  const std::string& s_;
  char sep_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace

DelimitedTable parseDelimited(const std::string& path, const std::string& content, char sep) {
  DelimitedTable t;
  Parser p(path, content, sep);
  size_t line = 0;
  if (!p.record(t.header, line)) throw fileError(path, "the file is empty");
  for (std::string& h : t.header) {
    // Trim header names: "text " is still the text column.
    size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
    h = b == std::string::npos ? "" : h.substr(b, e - b + 1);
  }
  std::vector<std::string> fields;
  while (p.record(fields, line)) {
    if (fields.size() != t.header.size())
      throw fileError(path + ":" + std::to_string(line),
                      "this row has " + std::to_string(fields.size()) + " fields but the header has " +
                          std::to_string(t.header.size()) + (sep == ',' ? " (a comma inside a field needs quotes)" : ""));
    t.rows.push_back(fields);
    t.rowLines.push_back(line);
  }
  return t;
}

}  // namespace pw::data
