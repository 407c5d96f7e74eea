// Reading what a Hub server answers, apart from the transfer (no libcurl here), so the parsers can be fuzzed
// (fuzz/target_formats.cpp: hub_answers): the model-info JSON of `/api/models/REPO/revision/REV`, response
// header lines, and a `resolve` HEAD answer's blob name (ETag) and size. A hostile or broken answer is a
// pw::Error naming where it came from; nothing it says can name a path outside the cache.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace pw::hub {

bool isHexDigits(const std::string& s, size_t n);  // exactly n hex digits
std::string lowerAscii(std::string s);
std::string trimSpace(std::string s);

// One response's status and headers (names lower-cased). A redirect chain starts a new set at each status
// line, so what is left describes the last response.
struct ResponseHead {
  long status = 0;
  std::map<std::string, std::string> headers;
  std::string get(const std::string& name) const;
  void addLine(const std::string& line);  // "HTTP/1.1 302 Found" or "Name: value" (CR LF allowed)
};

// An error answer in words: the status, the server's reason (X-Error-Message or a JSON {"error": ...} body)
// and, for 401/403/404, what to do.
std::string httpProblem(long status, const ResponseHead& head, const std::string& body);

struct ModelInfoAnswer {
  std::string commit;              // 40 hex digits
  std::vector<std::string> files;  // rfilename of each sibling; none absolute, none with ".."
};
// `where`: the URL asked, for the error message.
ModelInfoAnswer parseModelInfo(const std::string& body, const std::string& where);

struct BlobInfo {
  std::string etag;     // the blob's name in the cache: no quotes, no "W/", no '/', no ".."
  long long size = -1;  // -1: the server did not say
};
// The blob of `file` from its resolve answer: X-Linked-Etag / X-Linked-Size (an LFS file behind a redirect),
// else ETag / Content-Length.
BlobInfo blobOf(const ResponseHead& head, const std::string& file);

}  // namespace pw::hub
