// A stand-in for the Hugging Face Hub on 127.0.0.1 (a free port), speaking just enough HTTP/1.1 for the
// download client: the model-info API, `resolve` URLs with ETag / X-Linked-* headers and redirects to a "CDN"
// path, byte ranges, a connection dropped part-way through a file, and every request recorded. Nothing here
// leaves the machine.
#pragma once
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pwtest {

class FakeHub {
 public:
  struct Route {
    int status = 200;
    std::map<std::string, std::string> headers;  // sent as they are (Content-Length is added)
    std::string body;
    long long dropAfter = -1;  // the next GET sends this many bytes of the body, then closes (once)
  };
  struct Request {
    std::string method, path, range, authorization;
  };
  // One file of a served repository: "lfs" files answer HEAD with a 302 to /cdn/<sha256> and X-Linked-*.
  struct File {
    std::string name, content;
    bool lfs = false;
  };

  FakeHub();
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void route(const std::string& path, Route r);
  // Serves a repository at `commit` as the Hub does (API answer for "main" and the commit, resolve URLs).
  // Returns each file's blob name (the ETag a client caches it under).
  std::map<std::string, std::string> serveRepo(const std::string& repo, const std::string& commit,
                                               const std::vector<File>& files);
  // Route of a file's bytes (the CDN path for LFS files, the resolve path otherwise).
  std::string contentPath(const std::string& repo, const std::string& commit, const File& f) const;
  std::vector<Request> requests();
  void clearRequests();
  // Every answer waits this long first: a slow network, so a test can act while a download runs.
  void setDelayMs(int ms) { delayMs_ = ms; }

 private:
  void serve();
  void handle(int fd);

  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> delayMs_{0};
  std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::vector<Request> seen_;
  std::thread thread_;
};

}  // namespace pwtest
