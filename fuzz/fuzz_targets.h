// Fuzz targets: one function per reader of untrusted files (issue #13). Each takes the bytes of one fuzz
// input, turns them into the file(s) the reader expects, reads them, and checks what a hostile file must
// never cause. The same targets run under libFuzzer (scripts/fuzz.sh, fuzz/libfuzzer_entry.cpp) and, over
// their seeds, the saved regressions and a few thousand fixed mutations, in the test suite
// (tests/fuzz_smoke).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pw::fuzz {

// What a target reports when a hostile input got further than a clean error: an exception that is not a
// pw::Error (library text such as "[json.exception...]" or a LibTorch message would reach the user), an
// error message in library words, or a broken invariant (a value read back differently). Crashes,
// hangs and sanitizer reports are findings too; those need no code here.
struct Finding : std::logic_error {
  using std::logic_error::logic_error;
};

struct Target {
  std::string name;
  std::string reads;  // what it feeds, for the report
  void (*run)(const std::string& input);
  std::vector<std::string> (*seeds)();  // a small starting corpus, built from tests/data and the code
};

const std::vector<Target>& targets();
// Runs `t` on `input` (remembered for checkMessage: an error may quote the input back, words and all).
void runTarget(const Target& t, const std::string& input);
const Target* findTarget(const std::string& name);  // null when unknown

// Several files travel in one input, separated by this line; a mutation may move or delete it.
extern const std::string kFileSeparator;
std::vector<std::string> splitFiles(const std::string& input);
std::string joinFiles(const std::vector<std::string>& files);

// A folder of this process's own, emptied on each call.
std::string freshScratchDir();
void writeFile(const std::string& path, const std::string& bytes);
std::string readFile(const std::string& path);
std::string testData(const std::string& relative);  // the bytes of tests/data/<relative>

// Runs `read`; a pw::Error whose message names one of `files` and is in our words is the clean outcome,
// anything else thrown becomes a Finding.
void expectCleanError(const std::vector<std::string>& files, void (*read)(void*), void* context);
template <class F>
void guarded(const std::vector<std::string>& files, F&& read) {
  expectCleanError(files, [](void* c) { (*static_cast<F*>(c))(); }, &read);
}
// The clean error of the last guarded read ("" when it succeeded): the smoke checks seeds load and counts
// how many mutations still did.
const std::string& lastCleanError();
void setLastCleanError(const std::string& message);
// Throws a Finding when `message` is library text (words from libraries that the input does not hold
// itself), names none of `files`, or names one twice over ("a.json: a.json: ...").
void checkMessage(const std::string& message, const std::vector<std::string>& files);

// One deterministic mutation of `input` (byte flips, inserts, deletions, copies, splices with `other`,
// interesting tokens such as 4294967297, "1e999", deep brackets); used by the suite's smoke.
std::string mutate(const std::string& input, const std::string& other, uint64_t& rng);

}  // namespace pw::fuzz
