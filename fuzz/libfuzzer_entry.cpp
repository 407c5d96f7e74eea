// The libFuzzer entry of one target, chosen at compile time (PW_FUZZ_TARGET, see fuzz/CMakeLists.txt).
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size) {
  static const pw::fuzz::Target* target = pw::fuzz::findTarget(PW_FUZZ_TARGET);
  if (!target) {
    std::fprintf(stderr, "unknown fuzz target %s\n", PW_FUZZ_TARGET);
    std::abort();
  }
  try {
    pw::fuzz::runTarget(*target, std::string(reinterpret_cast<const char*>(data), size));
  } catch (const pw::fuzz::Finding& f) {
    std::fprintf(stderr, "\nFINDING in %s: %s\n", PW_FUZZ_TARGET, f.what());
    std::abort();  // libFuzzer saves the input as crash-*
  }
  return 0;
}
