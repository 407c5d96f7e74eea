// The fuzz targets (fuzz/) as a short smoke in the suite: every target over its seeds, every saved
// regression input (fuzz/regressions/<target>/: inputs libFuzzer once crashed on), and a fixed set of
// mutations. The long runs are scripts/fuzz.sh. pw-test-libs: pw_fuzz_targets
#include <QtTest>

#include <chrono>
#include <filesystem>

#include "fuzz_targets.h"

namespace fs = std::filesystem;
using pw::fuzz::Finding;

class TestFuzzSmoke : public QObject {
  Q_OBJECT

 private:
  // Runs one input; a Finding fails the test with the target, what it found, and where the input went.
  static void runOne(const pw::fuzz::Target& t, const std::string& input, const std::string& where) {
    try {
      pw::fuzz::runTarget(t, input);
    } catch (const Finding& f) {
      const std::string saved = (fs::temp_directory_path() / ("pw-fuzz-smoke-" + t.name)).string();
      pw::fuzz::writeFile(saved, input);
      QFAIL((t.name + " (" + where + "): " + f.what() + "; the input is in " + saved).c_str());
    }
  }

 private Q_SLOTS:
  void everyTargetHasSeeds() {
    QCOMPARE(int(pw::fuzz::targets().size()), 12);
    for (const auto& t : pw::fuzz::targets()) QVERIFY2(!t.seeds().empty(), t.name.c_str());
  }

  // Seeds are valid files: fuzzing starts from inputs that get all the way through.
  void seedsLoad() {
    for (const auto& t : pw::fuzz::targets()) {
      const std::vector<std::string> seeds = t.seeds();
      for (size_t i = 0; i < seeds.size(); ++i) {
        runOne(t, seeds[i], "seed " + std::to_string(i));
        QVERIFY2(pw::fuzz::lastCleanError().empty(),
                 (t.name + " seed " + std::to_string(i) + ": " + pw::fuzz::lastCleanError()).c_str());
      }
    }
  }

  void splitAndJoinAreInverse() {
    const std::vector<std::string> files = {"a", "", "b\nc"};
    QVERIFY(pw::fuzz::splitFiles(pw::fuzz::joinFiles(files)) == files);
  }

  void savedRegressionsStayFixed() {
    const fs::path root = fs::path(PW_TEST_DATA) / ".." / ".." / "fuzz" / "regressions";
    int n = 0;
    for (const auto& t : pw::fuzz::targets()) {
      if (!fs::is_directory(root / t.name)) continue;
      for (const auto& entry : fs::directory_iterator(root / t.name)) {
        runOne(t, pw::fuzz::readFile(entry.path().string()), entry.path().filename().string());
        ++n;
      }
    }
    qInfo("%d saved regression inputs", n);
  }

  // A few hundred fixed mutations of each target's seeds: the same inputs every run, so a failure repeats.
  void fixedMutationsFindNothing() {
    for (const auto& t : pw::fuzz::targets()) {
      const std::vector<std::string> seeds = t.seeds();
      uint64_t rng = 20261201;
      const int count = t.name == "model_folder" || t.name == "adapter_folder" ? 500 : 2000;
      const auto start = std::chrono::steady_clock::now();
      int accepted = 0;
      for (int i = 0; i < count; ++i) {
        const std::string& a = seeds[size_t(i) % seeds.size()];
        const std::string& b = seeds[size_t(i / 2 + 1) % seeds.size()];
        runOne(t, pw::fuzz::mutate(a, b, rng), "mutation " + std::to_string(i));
        accepted += pw::fuzz::lastCleanError().empty();
      }
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      qInfo("%-15s %d mutations in %.2f s, %d read without an error", t.name.c_str(), count, s, accepted);
    }
  }
};

QTEST_MAIN(TestFuzzSmoke)
#include "tst_fuzz_smoke.moc"
