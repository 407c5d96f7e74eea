// Shared pieces of the fuzz targets: input splitting, scratch files, the clean-error rule, the smoke mutator.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <typeinfo>

#include "fuzz_targets.h"
#include "util/error.h"

namespace pw::fuzz {

const std::string kFileSeparator = "\n--8<-- next file --8<--\n";

std::vector<std::string> splitFiles(const std::string& input) {
  std::vector<std::string> files;
  size_t start = 0;
  while (true) {
    const size_t at = input.find(kFileSeparator, start);
    if (at == std::string::npos) break;
    files.push_back(input.substr(start, at - start));
    start = at + kFileSeparator.size();
  }
  files.push_back(input.substr(start));
  return files;
}

std::string joinFiles(const std::vector<std::string>& files) {
  std::string out;
  for (size_t i = 0; i < files.size(); ++i) out += (i ? kFileSeparator : "") + files[i];
  return out;
}

std::string freshScratchDir() {
  namespace fs = std::filesystem;
  // /dev/shm keeps millions of small writes off the disk.
  const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  const fs::path dir = base / ("pw-fuzz-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir.string();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("fuzz: cannot write " + path);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("fuzz: cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string testData(const std::string& relative) { return readFile(std::string(PW_TEST_DATA) + "/" + relative); }

namespace {
thread_local const std::string* currentInput = nullptr;
}  // namespace

void runTarget(const Target& t, const std::string& input) {
  currentInput = &input;
  try {
    t.run(input);
  } catch (...) {
    currentInput = nullptr;
    throw;
  }
  currentInput = nullptr;
}

void checkMessage(const std::string& message, const std::vector<std::string>& files) {
  // Words only libraries use: a user must never see these.
  static const char* const libraryText[] = {"json.exception", "stoi", "stol", "stod", "stoul", "basic_string",
                                            "vector::", "bad_alloc", "Exception raised from", "c10::",
                                            "INTERNAL ASSERT", "std::", "future_error"};
  for (const char* word : libraryText)
    if (message.find(word) != std::string::npos && !(currentInput && currentInput->find(word) != std::string::npos))
      throw Finding("library text in an error: " + message);
  if (message.empty()) throw Finding("an empty error message");
  const size_t colon = message.find(": ");
  if (colon != std::string::npos && colon > 0 && message.compare(colon + 2, colon + 2, message.substr(0, colon) + ": ") == 0)
    throw Finding("an error that names its file twice: " + message);
  if (files.empty()) return;
  for (const auto& f : files)
    if (message.find(f) != std::string::npos) return;
  throw Finding("an error that names none of the files read: " + message);
}

namespace {
thread_local std::string lastError;
}  // namespace

const std::string& lastCleanError() { return lastError; }
void setLastCleanError(const std::string& message) { lastError = message; }

void expectCleanError(const std::vector<std::string>& files, void (*read)(void*), void* context) {
  lastError.clear();
  try {
    read(context);
  } catch (const Finding&) {
    throw;
  } catch (const pw::Error& e) {
    lastError = e.what();
    checkMessage(e.what(), files);
  } catch (const std::exception& e) {
    throw Finding(std::string("not a pw::Error (") + typeid(e).name() + "): " + e.what());
  }
}

namespace {
uint64_t next(uint64_t& s) {  // splitmix64: deterministic and good enough to pick mutations
  uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

std::string mutate(const std::string& input, const std::string& other, uint64_t& rng) {
  static const char* const tokens[] = {"4294967297", "-1", "1e999", "-0", "NaN", "\"\"", "null", "[", "{",
                                       "]]]]", "\"a\":1,\"a\":2", "\xff", "\xc3", "\0", "\n", "\"", ",",
                                       "18446744073709551616", "9223372036854775807", "2147483648", "1e-400"};
  std::string s = input;
  const int edits = 1 + int(next(rng) % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t n = s.size();
    const size_t at = n ? next(rng) % (n + 1) : 0;
    switch (next(rng) % 7) {
      case 0:  // flip a bit
        if (n) s[at % n] = char(s[at % n] ^ (1 << (next(rng) % 8)));
        break;
      case 1:  // a random byte
        s.insert(at, 1, char(next(rng) % 256));
        break;
      case 2: {  // delete a run
        const size_t len = std::min(n - std::min(at, n), size_t(1 + next(rng) % 16));
        s.erase(std::min(at, n), len);
        break;
      }
      case 3: {  // copy a run elsewhere
        if (!n) break;
        const size_t from = next(rng) % n, len = std::min(n - from, size_t(1 + next(rng) % 64));
        s.insert(at, s.substr(from, len));
        break;
      }
      case 4: {  // an interesting token
        const char* t = tokens[next(rng) % (sizeof tokens / sizeof *tokens)];
        s.insert(at, t[0] ? std::string(t) : std::string(1, '\0'));
        break;
      }
      case 5: {  // splice with another input
        if (other.empty()) break;
        const size_t from = next(rng) % other.size();
        s = s.substr(0, at) + other.substr(from, 1 + next(rng) % 256);
        break;
      }
      case 6: {  // replace a digit run with a huge number
        const size_t d = s.find_first_of("0123456789", at);
        if (d == std::string::npos) break;
        const size_t end = s.find_first_not_of("0123456789", d);
        s.replace(d, (end == std::string::npos ? s.size() : end) - d, tokens[next(rng) % 3]);
        break;
      }
    }
  }
  return s;
}

}  // namespace pw::fuzz
