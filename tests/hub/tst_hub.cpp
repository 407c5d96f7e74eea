// The Hub client against a fake Hub on 127.0.0.1 (fake_hub.h): the cache layout huggingface_hub uses, blobs
// reused, an interrupted file resumed with a Range request, a 404, a corrupt file refused, HF_HUB_OFFLINE, and
// a downloaded model loading by name with no server. Nothing reaches the internet.
// pw-test-libs: pw_hub pw_util pw_test_fake_hub
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../common/fake_hub.h"
#include "hub/hub_answers.h"
#include "hub/hub_cache.h"
#include "hub/hub_download.h"
#include "../common/error_of.h"

using namespace pw;
using pwtest::errorOf;
using pwtest::FakeHub;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<FakeHub::File> repoFiles() {
  std::string weights(300000, '\0');
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = char((i * 7919) % 251);
  return {{"config.json", "{\"model_type\": \"bert\"}", false},
          {"vocab.txt", "[PAD]\n[UNK]\n", false},
          {"model.safetensors", weights, true},
          {"tf_model.h5", "not needed", true},
          {"onnx/model.onnx", "not needed", true}};
}

}  // namespace

class TestHub : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { unsetenv("HF_HUB_OFFLINE"); }

  void namesAndCacheFolders() {
    QVERIFY(hub::isRepoId("google-bert/bert-base-uncased"));
    QVERIFY(hub::isRepoId("gpt2"));
    QVERIFY(!hub::isRepoId("../etc"));
    QVERIFY(!hub::isRepoId("a/b/c"));
    QVERIFY(!hub::isRepoId("a--b/c"));
    QVERIFY(!hub::isRepoId(""));
    QCOMPARE(hub::repoFolderName("org/name"), std::string("models--org--name"));
    setenv("HF_HOME", "/tmp/hfhome", 1);
    unsetenv("HF_HUB_CACHE");
    QCOMPARE(hub::cacheDir(), std::string("/tmp/hfhome/hub"));
    setenv("HF_HUB_CACHE", "/tmp/hfcache", 1);
    QCOMPARE(hub::cacheDir(), std::string("/tmp/hfcache"));
    unsetenv("HF_HUB_CACHE");
    unsetenv("HF_HOME");
  }

  void picksOneSetOfWeights() {
    std::vector<std::string> skipped;
    auto keep = hub::selectFiles({"config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5",
                                  "onnx/model.onnx", "vocab.txt", ".gitattributes"},
                                 &skipped);
    QCOMPARE(keep, (std::vector<std::string>{"config.json", "model.safetensors", "vocab.txt"}));
    QCOMPARE(int(skipped.size()), 4);
    keep = hub::selectFiles({"config.json", "pytorch_model-00001-of-00002.bin", "pytorch_model.bin.index.json"}, nullptr);
    QCOMPARE(int(keep.size()), 3);
  }

  void downloadsIntoTheCacheLayout() {
    QTemporaryDir dir;
    FakeHub server;
    const auto files = repoFiles();
    const auto blobs = server.serveRepo("org/tiny", kCommit, files);
    hub::DownloadOptions o;
    o.endpoint = server.url();
    o.cache = dir.path().toStdString();
    o.token = "hf_test";
    int reports = 0;
    o.progress = [&](const hub::DownloadProgress& p) {
      ++reports;
      return p.totalDone <= p.totalSize;
    };
    const auto r = hub::downloadRepo("org/tiny", o);
    QCOMPARE(r.commit, kCommit);
    QCOMPARE(r.files, (std::vector<std::string>{"config.json", "vocab.txt", "model.safetensors"}));
    QCOMPARE(int(r.skipped.size()), 2);
    QVERIFY(reports >= 3);
    const fs::path repo = fs::path(o.cache) / "models--org--tiny";
    QCOMPARE(readFile((repo / "refs/main").string()), kCommit);
    for (const auto& f : files) {
      if (f.name == "tf_model.h5" || f.name == "onnx/model.onnx") continue;
      const fs::path link = repo / "snapshots" / kCommit / f.name;
      QVERIFY(fs::is_symlink(link));
      QCOMPARE(fs::read_symlink(link).string(), "../../blobs/" + blobs.at(f.name));
      QCOMPARE(readFile(link.string()), f.content);
    }
    for (const auto& q : server.requests()) QCOMPARE(q.authorization, std::string("Bearer hf_test"));
    // again: every blob is reused, only metadata is asked for
    server.clearRequests();
    const auto again = hub::downloadRepo("org/tiny", o);
    QCOMPARE(again.bytesFetched, 0LL);
    for (const auto& q : server.requests()) QVERIFY(q.method == "HEAD" || q.path.rfind("/api/", 0) == 0);
    // offline, by name, with no server: the cache answers
    QCOMPARE(*hub::cachedSnapshot("org/tiny", "main", o.cache), (repo / "snapshots" / kCommit).string());
    QCOMPARE(hub::cachedRepos(o.cache), std::vector<std::string>{"org/tiny"});
    setenv("HF_HUB_OFFLINE", "1", 1);
    o.endpoint = "http://127.0.0.1:1";
    QCOMPARE(hub::downloadRepo("org/tiny", o).snapshot, (repo / "snapshots" / kCommit).string());
    QVERIFY(errorOf([&] { hub::downloadRepo("org/other", o); }).find("HF_HUB_OFFLINE") != std::string::npos);
  }

  void resumesAnInterruptedFile() {
    QTemporaryDir dir;
    FakeHub server;
    const auto files = repoFiles();
    const auto blobs = server.serveRepo("org/tiny", kCommit, files);
    FakeHub::Route cdn;
    cdn.body = files[2].content;
    cdn.dropAfter = 100000;
    server.route(server.contentPath("org/tiny", kCommit, files[2]), cdn);
    hub::DownloadOptions o;
    o.endpoint = server.url();
    o.cache = dir.path().toStdString();
    o.attempts = 1;
    const std::string e = errorOf([&] { hub::downloadRepo("org/tiny", o); });
    QVERIFY2(e.find("interrupted") != std::string::npos, e.c_str());
    const fs::path partial = fs::path(o.cache) / "models--org--tiny/blobs" / (blobs.at("model.safetensors") + ".incomplete");
    QCOMPARE(qint64(fs::file_size(partial)), qint64(100000));
    server.clearRequests();
    const auto r = hub::downloadRepo("org/tiny", o);
    bool ranged = false;
    for (const auto& q : server.requests()) ranged = ranged || q.range == "bytes=100000-";
    QVERIFY(ranged);
    QCOMPARE(r.bytesFetched, 200000LL);
    QCOMPARE(readFile(r.snapshot + "/model.safetensors"), files[2].content);
    QVERIFY(!fs::exists(partial));
  }

  // What a server answers is read strictly: a blob name that could leave the cache, a size that is not a byte
  // count, or a model-info answer without a commit is an error naming the file; a long reason is cut to a line.
  void readsServerAnswersStrictly() {
    hub::ResponseHead h;
    for (const char* line : {"HTTP/1.1 302 Found\r\n", "X-Linked-Etag: \"abc\"\r\n", "HTTP/2 200\r\n",
                             "ETag: W/\"7f0c\"\r\n", "Content-Length: 612\r\n", "\r\n"})
      h.addLine(line);
    QCOMPARE(h.status, 200L);  // the last response of a redirect chain
    QCOMPARE(h.get("x-linked-etag"), std::string());
    const hub::BlobInfo b = hub::blobOf(h, "config.json");
    QCOMPARE(b.etag, std::string("7f0c"));
    QCOMPARE(b.size, 612LL);
    for (const char* etag : {"\"../../x\"", "\"a/b\"", "\"\"", "\".hidden\""}) {
      hub::ResponseHead bad;
      bad.addLine(std::string("ETag: ") + etag);
      const std::string e = errorOf([&] { hub::blobOf(bad, "vocab.txt"); });
      QVERIFY2(e.find("vocab.txt: the server names no usable ETag") == 0, e.c_str());
    }
    for (const char* size : {"12abc", "-5", "99999999999999999999999"}) {
      hub::ResponseHead bad;
      bad.addLine("ETag: \"ab\"");
      bad.addLine(std::string("Content-Length: ") + size);
      const std::string e = errorOf([&] { hub::blobOf(bad, "vocab.txt"); });
      QVERIFY2(e.find("not a byte count") != std::string::npos, e.c_str());
    }
    hub::ResponseHead odd;
    odd.addLine("HTTP/1.1 2x0 Huh");
    QCOMPARE(odd.status, 0L);
    for (const char* line : {"HTTP/1.1 032 Zero", "HTTP/1.1 999 Nine", "HTTP/1.1 20"}) {  // no such classes
      odd.addLine(line);
      QCOMPARE(odd.status, 0L);
    }
    const std::string words = hub::httpProblem(404, odd, "{\"error\": \"" + std::string(5000, 'x') + "\\nmore\"}");
    QVERIFY(words.size() < 400 && words.find('\n') == std::string::npos);
    QVERIFY(errorOf([] { hub::parseModelInfo("{\"sha\": \"abc\", \"siblings\": []}", "api/x"); })
                .find("api/x: the commit \"abc\" is not a 40-digit hash") == 0);
    const auto info = hub::parseModelInfo(
        "{\"sha\": \"" + kCommit + "\", \"siblings\": [{\"rfilename\": \"../up\"}, {\"rfilename\": \"/abs\"}, "
        "{\"rfilename\": 3}, {\"rfilename\": \"config.json\"}]}", "api/x");
    QCOMPARE(info.files, std::vector<std::string>{"config.json"});
  }

  void refusesA404AndACorruptFile() {
    QTemporaryDir dir;
    FakeHub server;
    auto files = repoFiles();
    server.serveRepo("org/tiny", kCommit, files);
    hub::DownloadOptions o;
    o.endpoint = server.url();
    o.cache = dir.path().toStdString();
    std::string e = errorOf([&] { hub::downloadRepo("org/missing", o); });
    QVERIFY2(e.find("HTTP 404") != std::string::npos && e.find("org/missing") != std::string::npos, e.c_str());
    FakeHub::Route bad;
    bad.body = files[2].content;
    bad.body[12345] ^= 1;
    server.route(server.contentPath("org/tiny", kCommit, files[2]), bad);
    e = errorOf([&] { hub::downloadRepo("org/tiny", o); });
    QVERIFY2(e.find("corrupt") != std::string::npos && e.find("SHA-256") != std::string::npos, e.c_str());
    QVERIFY(!fs::exists(fs::path(o.cache) / "models--org--tiny/snapshots" / kCommit / "model.safetensors"));
  }
};

QTEST_MAIN(TestHub)
#include "tst_hub.moc"
