// The fake Hub's socket server (see fake_hub.h).
#include "fake_hub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <stdexcept>
#include <chrono>

#include "hub/hub_download.h"

namespace pwtest {
namespace {

void sendAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t k = ::send(fd, data, n, MSG_NOSIGNAL);
    if (k <= 0) return;
    data += k;
    n -= size_t(k);
  }
}

std::string statusText(int s) {
  switch (s) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    default: return "Status";
  }
}

// A name that looks like a git blob id (40 hex digits) for a small file.
std::string fakeGitId(const std::string& content) {
  std::hash<std::string> h;
  std::ostringstream s;
  s << std::hex << h(content) << h(content + "1") << h(content + "2");
  std::string id = s.str();
  while (id.size() < 40) id += '0';
  return id.substr(0, 40);
}

std::string sha256Of(const std::string& content) {
  char tmpl[] = "/tmp/pw-fakehub-XXXXXX";
  const int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error("mkstemp");
  if (::write(fd, content.data(), content.size()) != ssize_t(content.size())) throw std::runtime_error("write");
  ::close(fd);
  std::string sum = pw::hub::sha256OfFile(tmpl);
  ::unlink(tmpl);
  return sum;
}

}  // namespace

FakeHub::FakeHub() {
  listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listenFd_, 16) != 0)
    throw std::runtime_error("fake hub: cannot listen on 127.0.0.1");
  socklen_t len = sizeof(addr);
  ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeHub::~FakeHub() {
  stop_ = true;
  thread_.join();
  ::close(listenFd_);
}

void FakeHub::route(const std::string& path, Route r) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(r);
}

std::vector<FakeHub::Request> FakeHub::requests() {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_;
}

void FakeHub::clearRequests() {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_.clear();
}

std::string FakeHub::contentPath(const std::string& repo, const std::string& commit, const File& f) const {
  return f.lfs ? "/cdn/" + sha256Of(f.content) : "/" + repo + "/resolve/" + commit + "/" + f.name;
}

std::map<std::string, std::string> FakeHub::serveRepo(const std::string& repo, const std::string& commit,
                                                      const std::vector<File>& files) {
  std::string siblings;
  std::map<std::string, std::string> blobs;
  for (const auto& f : files) {
    siblings += std::string(siblings.empty() ? "" : ",") + "{\"rfilename\":\"" + f.name + "\"}";
    const std::string resolve = "/" + repo + "/resolve/" + commit + "/" + f.name;
    Route r;
    if (f.lfs) {
      const std::string sum = sha256Of(f.content);
      r.status = 302;
      r.headers = {{"Location", url() + "/cdn/" + sum},
                   {"X-Linked-Etag", "\"" + sum + "\""},
                   {"X-Linked-Size", std::to_string(f.content.size())},
                   {"X-Repo-Commit", commit}};
      Route cdn;
      cdn.body = f.content;
      cdn.headers = {{"ETag", "\"" + sum + "\""}, {"Accept-Ranges", "bytes"}};
      route("/cdn/" + sum, cdn);
      blobs[f.name] = sum;
    } else {
      const std::string id = fakeGitId(f.content);
      r.body = f.content;
      r.headers = {{"ETag", "W/\"" + id + "\""}, {"X-Repo-Commit", commit}, {"Accept-Ranges", "bytes"}};
      blobs[f.name] = id;
    }
    route(resolve, r);
  }
  Route api;
  api.headers = {{"Content-Type", "application/json"}};
  api.body = "{\"id\":\"" + repo + "\",\"sha\":\"" + commit + "\",\"siblings\":[" + siblings + "]}";
  route("/api/models/" + repo + "/revision/main", api);
  route("/api/models/" + repo + "/revision/" + commit, api);
  return blobs;
}

void FakeHub::serve() {
  while (!stop_) {
    pollfd p{listenFd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listenFd_, nullptr, nullptr);
    if (fd < 0) continue;
    handle(fd);
    ::close(fd);
  }
}

void FakeHub::handle(int fd) {
  std::string in;
  char buf[4096];
  while (in.find("\r\n\r\n") == std::string::npos && in.size() < 65536) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 2000) <= 0) return;
    const ssize_t k = ::recv(fd, buf, sizeof(buf), 0);
    if (k <= 0) return;
    in.append(buf, size_t(k));
  }
  std::istringstream lines(in);
  Request req;
  std::string version, line;
  lines >> req.method >> req.path >> version;
  std::getline(lines, line);
  while (std::getline(lines, line) && line != "\r") {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon), value = line.substr(colon + 1);
    for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (name == "range") req.range = value;
    if (name == "authorization") req.authorization = value;
  }
  Route r;
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back(req);
    auto it = routes_.find(req.path);
    if (it != routes_.end()) {
      found = true;
      r = it->second;
      if (req.method == "GET") it->second.dropAfter = -1;  // a drop happens once
    }
  }
  if (delayMs_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs_.load()));
  if (!found) {
    r.status = 404;
    r.headers = {{"Content-Type", "application/json"}, {"X-Error-Message", "Repository not found"}};
    r.body = "{\"error\":\"Repository not found\"}";
  }
  std::string body = r.body;
  int status = r.status;
  std::string extra;
  if (status == 200 && req.range.rfind("bytes=", 0) == 0) {
    const long long from = std::atoll(req.range.c_str() + 6);
    if (from >= (long long)body.size()) {
      status = 416;
      body.clear();
    } else {
      extra = "Content-Range: bytes " + std::to_string(from) + "-" + std::to_string(body.size() - 1) + "/" +
              std::to_string(r.body.size()) + "\r\n";
      body = body.substr(size_t(from));
      status = 206;
    }
  }
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + statusText(status) + "\r\n";
  for (const auto& [k, v] : r.headers) head += k + ": " + v + "\r\n";
  head += extra + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  sendAll(fd, head.data(), head.size());
  if (req.method == "HEAD") return;
  const size_t n = r.dropAfter >= 0 ? std::min(body.size(), size_t(r.dropAfter)) : body.size();
  sendAll(fd, body.data(), n);
}

}  // namespace pwtest
