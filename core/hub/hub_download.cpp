// Hub downloads with libcurl (see hub_download.h).
#include "hub/hub_download.h"
#include "hub/hub_answers.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "hub/hub_cache.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace pw::hub {
namespace {

using Clock = std::chrono::steady_clock;

void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t onHeaderLine(char* data, size_t size, size_t count, void* user) {
  static_cast<ResponseHead*>(user)->addLine(std::string(data, size * count));
  return size * count;
}

struct CurlHandle {
  CURL* h = nullptr;
  curl_slist* headers = nullptr;
  CurlHandle() {
    initCurlOnce();
    h = curl_easy_init();
    if (!h) throw Error("could not start libcurl");
  }
  ~CurlHandle() {
    if (headers) curl_slist_free_all(headers);
    curl_easy_cleanup(h);
  }
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
};

// The options every request shares: user agent, token, timeouts (a stalled transfer ends after 60 s below
// 1 byte/s), no compression (sizes are compared byte for byte).
void commonOptions(CurlHandle& c, const std::string& url, const std::string& token, ResponseHead* head) {
  curl_easy_setopt(c.h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.h, CURLOPT_USERAGENT, "peft-workbench/0.1; libcurl");
  curl_easy_setopt(c.h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.h, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c.h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c.h, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c.h, CURLOPT_HEADERFUNCTION, onHeaderLine);
  curl_easy_setopt(c.h, CURLOPT_HEADERDATA, head);
  c.headers = curl_slist_append(c.headers, "Accept-Encoding: identity");
  // curl sends a header set this way to the first host only, not to a CDN it is redirected to.
  if (!token.empty()) c.headers = curl_slist_append(c.headers, ("Authorization: Bearer " + token).c_str());
}

size_t appendToString(char* data, size_t size, size_t count, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->size() > (64u << 20)) return 0;  // an API answer is small; anything this large is not one
  s->append(data, size * count);
  return size * count;
}

std::string escapePath(CurlHandle& c, const std::string& path) {
  std::string out;
  size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    char* e = curl_easy_escape(c.h, part.c_str(), int(part.size()));
    out += e;
    curl_free(e);
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

struct Small {
  ResponseHead head;
  std::string body;
};

// A GET (or HEAD) whose answer fits in memory. `follow`: follow redirects (the API); HEAD requests follow
// only relative ones by hand, as huggingface_hub does (a renamed repository), and stop at a CDN's.
Small fetchSmall(const std::string& url, const std::string& token, bool headOnly, bool follow) {
  CurlHandle c;
  Small r;
  commonOptions(c, url, token, &r.head);
  curl_easy_setopt(c.h, CURLOPT_HTTPHEADER, c.headers);
  curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, appendToString);
  curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &r.body);
  if (headOnly) curl_easy_setopt(c.h, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(c.h, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
  curl_easy_setopt(c.h, CURLOPT_MAXREDIRS, 10L);
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c.h, CURLOPT_ERRORBUFFER, err);
  const CURLcode rc = curl_easy_perform(c.h);
  if (rc != CURLE_OK)
    throw Error(url + ": could not reach the Hub: " + (err[0] ? std::string(err) : curl_easy_strerror(rc)) +
                " (no network? a model already in the cache loads by name without one)");
  return r;
}

std::string originOf(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

struct FileMeta {
  std::string name, url, downloadUrl, etag;
  long long size = -1;
};

FileMeta fileMeta(const std::string& name, const std::string& url, const std::string& token) {
  FileMeta m;
  m.name = name;
  m.url = url;
  std::string at = url;
  for (int hop = 0;; ++hop) {
    Small r = fetchSmall(at, token, /*headOnly=*/true, /*follow=*/false);
    const std::string location = r.head.get("location");
    if (r.head.status >= 300 && r.head.status < 400 && !location.empty() && location[0] == '/' && hop < 5) {
      at = originOf(at) + location;  // relative: the Hub itself (a renamed repository); follow it
      continue;
    }
    if (r.head.status >= 400) throw Error(name + ": " + httpProblem(r.head.status, r.head, r.body));
    const BlobInfo blob = blobOf(r.head, name);
    m.etag = blob.etag;
    m.size = blob.size;
    m.downloadUrl = (r.head.status >= 300 && r.head.status < 400 && !location.empty()) ? location : at;
    return m;
  }
}

// State of one file's transfer, shared with libcurl's callbacks.
struct Transfer {
  FILE* out = nullptr;
  ResponseHead head;
  long long startOffset = 0;  // bytes already on disk when this request began
  long long written = 0;      // bytes written by this request
  bool restarted = false;     // the server ignored the range: the file was emptied
  long long keptFromBefore = 0;  // bytes of an earlier session's partial file still in use (0 once discarded)
  std::string errorBody;
  const DownloadOptions* options = nullptr;
  DownloadProgress progress;
  long long totalBefore = 0;     // totalDone when this file began
  long long sessionBytes = 0;    // bytes fetched by this call before this request
  Clock::time_point began, lastReport;
  bool cancelled = false;
};

size_t writeToFile(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->head.status < 200 || t->head.status >= 300) {  // an error page: keep a little of it for the message
    if (t->errorBody.size() < 4096) t->errorBody.append(data, std::min<size_t>(n, 4096));
    return n;
  }
  if (t->head.status == 200 && t->startOffset > 0 && !t->restarted) {
    // asked for the rest, got the whole file: start the file again
    if (ftruncate(fileno(t->out), 0) != 0) return 0;
    std::fseek(t->out, 0, SEEK_SET);
    t->startOffset = 0;
    t->restarted = true;
    t->keptFromBefore = 0;
  }
  if (std::fwrite(data, 1, n, t->out) != n) return 0;
  t->written += static_cast<long long>(n);
  return n;
}

void report(Transfer& t, bool force) {
  if (!t.options->progress) return;
  const auto now = Clock::now();
  if (!force && now - t.lastReport < std::chrono::milliseconds(100)) return;
  t.lastReport = now;
  t.progress.fileDone = t.startOffset + t.written;
  t.progress.totalDone = t.totalBefore + t.progress.fileDone;
  const double secs = std::chrono::duration<double>(now - t.began).count();
  t.progress.bytesPerSecond = secs > 0 ? double(t.sessionBytes + t.written) / secs : 0;
  if (!t.options->progress(t.progress)) t.cancelled = true;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  report(*t, false);
  return t->cancelled ? 1 : 0;
}

long long fileSizeOr0(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : static_cast<long long>(n);
}

bool transient(CURLcode rc) {
  return rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
         rc == CURLE_GOT_NOTHING || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
         rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM;
}

std::string megabytes(long long bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f MB", double(bytes) / 1e6);
  return buf;
}

// Fetches one file into `partial` (appending to what is there), resuming up to options.attempts times.
void fetchInto(const FileMeta& m, const fs::path& partial, const std::string& token, Transfer& t) {
  const DownloadOptions& o = *t.options;
  for (int attempt = 1;; ++attempt) {
    long long have = fileSizeOr0(partial);
    if (m.size >= 0 && have > m.size) {  // longer than the file: not a prefix of it
      fs::remove(partial);
      have = 0;
      t.keptFromBefore = 0;
    }
    if (m.size >= 0 && have == m.size) return;
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(partial.c_str(), "ab"), std::fclose);
    if (!out) throw fileError(partial.string(), "cannot write here (is the cache folder writable?)");
    CurlHandle c;
    t.out = out.get();
    t.head = ResponseHead{};
    t.startOffset = have;
    t.written = 0;
    t.restarted = false;
    t.errorBody.clear();
    commonOptions(c, m.downloadUrl, token, &t.head);
    if (have > 0) c.headers = curl_slist_append(c.headers, ("Range: bytes=" + std::to_string(have) + "-").c_str());
    curl_easy_setopt(c.h, CURLOPT_HTTPHEADER, c.headers);
    curl_easy_setopt(c.h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c.h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, writeToFile);
    curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c.h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c.h, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(c.h, CURLOPT_XFERINFODATA, &t);
    char err[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c.h, CURLOPT_ERRORBUFFER, err);
    const CURLcode rc = curl_easy_perform(c.h);
    out.reset();
    t.sessionBytes += t.written;
    if (t.cancelled)
      throw Error(m.name + ": stopped after " + megabytes(fileSizeOr0(partial)) +
                  "; the part is kept and the next download resumes it");
    if (rc == CURLE_OK && t.head.status == 416 && have > 0) {  // nothing after `have`: start over
      fs::remove(partial);
      t.keptFromBefore = 0;
      if (attempt < o.attempts) continue;
    }
    if (rc == CURLE_OK && t.head.status >= 400)
      throw Error(m.name + ": " + httpProblem(t.head.status, t.head, t.errorBody));
    if (rc == CURLE_OK && (m.size < 0 || fileSizeOr0(partial) == m.size)) return;
    const bool retry = (rc != CURLE_OK && transient(rc)) || rc == CURLE_OK || t.head.status >= 500;
    if (!retry || attempt >= o.attempts) {
      const std::string why = rc != CURLE_OK ? (err[0] ? std::string(err) : curl_easy_strerror(rc))
                                             : "the server sent " + std::to_string(fileSizeOr0(partial)) +
                                                   " bytes, it said " + std::to_string(m.size);
      throw Error(m.name + ": download interrupted at " + megabytes(fileSizeOr0(partial)) + " of " +
                  megabytes(m.size) + " (" + why + "); the part is kept: run the download again to resume");
    }
  }
}

void linkIntoSnapshot(const fs::path& blob, const fs::path& link) {
  fs::create_directories(link.parent_path());
  std::error_code ec;
  fs::remove(link, ec);
  fs::create_symlink(fs::relative(blob, link.parent_path()), link, ec);
  if (ec) fs::copy_file(blob, link, fs::copy_options::overwrite_existing);  // no symlinks here: a copy
}

DownloadResult fromCache(const std::string& repoId, const std::string& snapshot) {
  DownloadResult r;
  r.repo = repoId;
  r.snapshot = snapshot;
  r.commit = fs::path(snapshot).filename().string();
  for (const auto& e : fs::directory_iterator(snapshot)) r.files.push_back(e.path().filename().string());
  std::sort(r.files.begin(), r.files.end());
  return r;
}

}  // namespace

std::vector<std::string> selectFiles(const std::vector<std::string>& repoFiles, std::vector<std::string>* skipped) {
  static const char* kExact[] = {"config.json",        "generation_config.json", "tokenizer.json",
                                 "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
                                 "vocab.txt",          "vocab.json",             "merges.txt",
                                 "adapter_config.json", "README.md"};
  auto endsWith = [](const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
  };
  bool haveSafetensors = false;
  for (const auto& f : repoFiles)
    if (f.find('/') == std::string::npos && endsWith(f, ".safetensors")) haveSafetensors = true;
  std::vector<std::string> keep;
  for (const auto& f : repoFiles) {
    bool take = false;
    if (f.find('/') == std::string::npos) {
      for (const char* e : kExact) take = take || f == e;
      if (haveSafetensors) take = take || endsWith(f, ".safetensors") || endsWith(f, ".safetensors.index.json");
      else
        take = take || f == "adapter_model.bin" || f == "pytorch_model.bin.index.json" ||
               (f.rfind("pytorch_model", 0) == 0 && endsWith(f, ".bin"));
    }
    if (take) keep.push_back(f);
    else if (skipped) skipped->push_back(f);
  }
  return keep;
}

std::string sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot be read");
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw Error("OpenSSL: SHA-256 unavailable");
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), size_t(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &n);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

DownloadResult downloadRepo(const std::string& repoId, const DownloadOptions& o) {
  if (!isRepoId(repoId))
    throw Error("\"" + repoId + "\" is not a Hub repository name (ORG/NAME, e.g. google-bert/bert-base-uncased)");
  const std::string cache = o.cache.empty() ? cacheDir() : o.cache;
  const std::string revision = o.revision.empty() ? "main" : o.revision;
  if (offline()) {
    if (auto snap = cachedSnapshot(repoId, revision, cache)) return fromCache(repoId, *snap);
    throw Error("HF_HUB_OFFLINE is set and " + repoId + " (" + revision + ") is not in the cache " + cache +
                ": unset it to download");
  }
  const std::string base = o.endpoint.empty() ? endpoint() : o.endpoint;
  const std::string token = o.token.empty() ? hub::token() : o.token;
  CurlHandle esc;  // for escaping only
  const std::string repoPath = escapePath(esc, repoId);
  char* revEscaped = curl_easy_escape(esc.h, revision.c_str(), int(revision.size()));
  const std::string apiUrl = base + "/api/models/" + repoPath + "/revision/" + revEscaped;
  curl_free(revEscaped);

  Small info = fetchSmall(apiUrl, token, /*headOnly=*/false, /*follow=*/true);
  if (info.head.status >= 400) throw Error(repoId + " at " + base + ": " + httpProblem(info.head.status, info.head, info.body));
  const ModelInfoAnswer answer = parseModelInfo(info.body, apiUrl);
  DownloadResult r;
  r.repo = repoId;
  r.commit = answer.commit;
  const std::vector<std::string>& names = answer.files;
  const std::vector<std::string> wanted = selectFiles(names, &r.skipped);
  if (std::find(wanted.begin(), wanted.end(), "config.json") == wanted.end() &&
      std::find(wanted.begin(), wanted.end(), "adapter_config.json") == wanted.end())
    throw Error(repoId + ": the repository has no config.json or adapter_config.json, so it is not a model "
                "or adapter this workbench can load");

  // Sizes and blob names first, so the progress can count the whole download.
  std::vector<FileMeta> metas;
  long long total = 0;
  for (const auto& name : wanted) {
    metas.push_back(fileMeta(name, base + "/" + repoPath + "/resolve/" + r.commit + "/" + escapePath(esc, name), token));
    total += std::max(0LL, metas.back().size);
  }
  const fs::path repoDir = fs::path(cache) / repoFolderName(repoId);
  fs::create_directories(repoDir / "blobs");
  const fs::path snapshot = repoDir / "snapshots" / r.commit;
  Transfer t;
  t.options = &o;
  t.began = t.lastReport = Clock::now();
  t.progress.fileCount = int(metas.size());
  t.progress.totalSize = total;
  long long doneBefore = 0;
  for (size_t i = 0; i < metas.size(); ++i) {
    const FileMeta& m = metas[i];
    const fs::path blob = repoDir / "blobs" / m.etag;
    t.progress.file = m.name;
    t.progress.fileIndex = int(i) + 1;
    t.progress.fileSize = m.size;
    t.totalBefore = doneBefore;
    t.startOffset = fileSizeOr0(blob.string() + ".incomplete");
    t.written = 0;
    report(t, true);  // each file's start is reported, so a stop request is seen before its transfer begins
    if (t.cancelled) throw Error("stopped before " + m.name + "; the next download resumes from here");
    if (fs::exists(blob) && (m.size < 0 || fileSizeOr0(blob) == m.size)) {
      r.bytesReused += fileSizeOr0(blob);
    } else {
      const fs::path partial = blob.string() + ".incomplete";
      t.keptFromBefore = fileSizeOr0(partial);
      fetchInto(m, partial, token, t);
      const long long got = fileSizeOr0(partial);
      if (m.size >= 0 && got != m.size) {
        fs::remove(partial);
        throw Error(m.name + ": " + std::to_string(got) + " bytes arrived, the Hub said " + std::to_string(m.size) +
                    "; the file was deleted");
      }
      if (isHexDigits(m.etag, 64)) {  // a large (LFS) file: its ETag is its SHA-256
        const std::string sum = sha256OfFile(partial.string());
        if (sum != lowerAscii(m.etag)) {
          fs::remove(partial);
          throw Error(m.name + ": corrupt download: its SHA-256 is " + sum + ", the Hub says " + m.etag +
                      "; the file was deleted, run the download again");
        }
      }
      fs::rename(partial, blob);
      r.bytesFetched += got - t.keptFromBefore;
      r.bytesReused += t.keptFromBefore;
    }
    doneBefore += std::max(0LL, m.size);
    t.startOffset = std::max(0LL, m.size);
    t.written = 0;
    t.totalBefore = doneBefore - t.startOffset;
    report(t, true);
    r.files.push_back(m.name);
  }
  for (const auto& m : metas) linkIntoSnapshot(repoDir / "blobs" / m.etag, snapshot / m.name);
  if (revision != r.commit) {
    const fs::path ref = repoDir / "refs" / revision;
    fs::create_directories(ref.parent_path());
    std::ofstream(ref, std::ios::trunc) << r.commit;
  }
  r.snapshot = snapshot.string();
  return r;
}

}  // namespace pw::hub
