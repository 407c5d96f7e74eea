// Fuzz target for what a Hub server answers (core/hub/hub_answers.h): the model-info JSON, the header lines
// of a resolve answer with the blob name and size taken from them, and an error answer put into words.
// Input: model-info body, then header lines, then an error body (kFileSeparator between them).
#include <algorithm>

#include "fuzz_targets.h"
#include "hub/hub_answers.h"

namespace pw::fuzz {

void runHubAnswers(const std::string& input) {
  const std::vector<std::string> files = splitFiles(input);
  const std::string body = files.empty() ? std::string() : files[0];
  const std::string headerLines = files.size() > 1 ? files[1] : std::string();
  const std::string errorBody = files.size() > 2 ? files[2] : std::string();

  guarded({"api/models"}, [&] {
    const hub::ModelInfoAnswer a = hub::parseModelInfo(body, "api/models");
    if (!hub::isHexDigits(a.commit, 40)) throw Finding("accepted a commit that is not 40 hex digits: " + a.commit);
    for (const auto& f : a.files)
      if (f.empty() || f.front() == '/' || f.find("..") != std::string::npos)
        throw Finding("accepted a file name that leaves the snapshot: " + f);
  });
  const bool infoOk = lastCleanError().empty();

  hub::ResponseHead head;
  size_t start = 0;
  while (start <= headerLines.size()) {
    const size_t end = headerLines.find('\n', start);
    head.addLine(headerLines.substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (head.status != 0 && (head.status < 100 || head.status > 599))
    throw Finding("an HTTP status out of range: " + std::to_string(head.status));
  try {
    const std::string words = hub::httpProblem(head.status, head, errorBody);
    if (words.rfind("HTTP ", 0) != 0 || words.find('\n') != std::string::npos)
      throw Finding("an error answer put into odd words: " + words.substr(0, 300));
  } catch (const Finding&) {
    throw;
  } catch (const std::exception& e) {
    throw Finding(std::string("httpProblem threw: ") + e.what());
  }
  guarded({"model.safetensors"}, [&] {
    const hub::BlobInfo b = hub::blobOf(head, "model.safetensors");
    if (b.etag.empty() || b.etag.find('/') != std::string::npos || b.etag.find("..") != std::string::npos ||
        b.etag.find('\0') != std::string::npos)
      throw Finding("accepted a blob name that leaves the cache: " + b.etag);
    if (b.size < -1) throw Finding("a negative size: " + std::to_string(b.size));
  });
  // The smoke's "seeds load" check reads the last clean error: keep the first one when only that failed.
  if (!infoOk && lastCleanError().empty()) setLastCleanError("api/models: not accepted");
}

std::vector<std::string> hubAnswerSeeds() {
  const std::string info =
      R"({"_id": "x", "id": "org/tiny", "sha": "0123456789abcdef0123456789abcdef01234567", "private": false, )"
      R"("siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "config.json"}, {"rfilename": "model.safetensors"},)"
      R"( {"rfilename": "onnx/model.onnx"}, {"rfilename": "vocab.txt"}]})";
  const std::string lfsHead =
      "HTTP/1.1 302 Found\r\nLocation: https://cdn-lfs.example/abc\r\n"
      "X-Linked-Etag: \"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\"\r\n"
      "X-Linked-Size: 17563\r\nETag: W/\"1a2b\"\r\nContent-Length: 1130\r\n\r\n";
  const std::string plainHead = "HTTP/2 200\r\netag: \"7f0c2d1e5a\"\r\ncontent-length: 612\r\n\r\n";
  const std::string error = R"({"error": "Repository not found"})";
  return {joinFiles({info, lfsHead, error}), joinFiles({info, plainHead, ""}),
          joinFiles({info, "HTTP/1.1 301 Moved\r\nLocation: /org/renamed\r\nHTTP/1.1 200 OK\r\nETag: \"ab\"\r\n", "{}"})};
}

}  // namespace pw::fuzz
