// Parsers of the Hub's answers (see hub_answers.h).
#include "hub/hub_answers.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace pw::hub {

bool isHexDigits(const std::string& s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string lowerAscii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::string trimSpace(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string ResponseHead::get(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

void ResponseHead::addLine(const std::string& line) {
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
    status = 0;
    const auto sp = line.find(' ');
    if (sp == std::string::npos) return;
    // Three digits, the first a class 1 to 5 (RFC 9110: 100..599), or the status stays 0 (no answer understood):
    // "032" is not a status 32 (found by the fuzzer).
    const std::string code = line.substr(sp + 1, 3);
    if (code.size() == 3 && code[0] >= '1' && code[0] <= '5' &&
        std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
      status = std::stol(code);
  } else if (const auto colon = line.find(':'); colon != std::string::npos) {
    headers[lowerAscii(trimSpace(line.substr(0, colon)))] = trimSpace(line.substr(colon + 1));
  }
}

ModelInfoAnswer parseModelInfo(const std::string& body, const std::string& where) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("sha") || !j["sha"].is_string() || !j.contains("siblings") ||
      !j["siblings"].is_array())
    throw Error(where + ": not a Hub model-info answer (no sha / siblings)");
  ModelInfoAnswer a;
  a.commit = j["sha"].get<std::string>();
  if (!isHexDigits(a.commit, 40))
    throw Error(where + ": the commit \"" + a.commit.substr(0, 80) + "\" is not a 40-digit hash");
  for (const auto& s : j["siblings"])
    if (s.is_object() && s.contains("rfilename") && s["rfilename"].is_string()) {
      const std::string n = s["rfilename"].get<std::string>();
      // Never outside the snapshot, never a name the file system cannot hold.
      if (n.empty() || n.front() == '/' || n.find("..") != std::string::npos || n.find('\0') != std::string::npos)
        continue;
      a.files.push_back(n);
    }
  return a;
}

std::string httpProblem(long status, const ResponseHead& head, const std::string& body) {
  std::string reason;
  if (std::string m = head.get("x-error-message"); !m.empty()) reason = m;
  else {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_string()) reason = j["error"].get<std::string>();
  }
  if (reason.size() > 200) reason = reason.substr(0, 200) + "...";  // a server's words, kept to one line's worth
  std::replace_if(reason.begin(), reason.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  std::string what = "HTTP " + std::to_string(status);
  if (!reason.empty()) what += " (" + reason + ")";
  if (status == 401 || status == 403)
    what += ": the repository is private or gated, or the token cannot read it; set HF_TOKEN to a token that can";
  else if (status == 404)
    what += ": no such repository, revision or file there (check the name, e.g. google-bert/bert-base-uncased)";
  return what;
}

BlobInfo blobOf(const ResponseHead& head, const std::string& file) {
  BlobInfo b;
  std::string etag = head.get("x-linked-etag");
  if (etag.empty()) etag = head.get("etag");
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
  const bool safe = !etag.empty() && etag.size() <= 128 &&
                    std::all_of(etag.begin(), etag.end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
                    }) &&
                    etag.find("..") == std::string::npos && etag.front() != '.';
  if (!safe) throw Error(file + ": the server names no usable ETag for it, so it cannot be cached safely");
  b.etag = etag;
  std::string size = head.get("x-linked-size");
  if (size.empty()) size = head.get("content-length");
  if (!size.empty()) {
    errno = 0;
    char* end = nullptr;
    const long long n = std::strtoll(size.c_str(), &end, 10);
    if (errno != 0 || end == size.c_str() || *end != '\0' || n < 0)
      throw Error(file + ": the server gives its size as \"" + size.substr(0, 40) + "\", not a byte count");
    b.size = n;
  }
  return b;
}

}  // namespace pw::hub
