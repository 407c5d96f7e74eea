#!/usr/bin/env bash
# Set up, build, and run the whole test suite (Qt Test suites through CTest; GUI tests offscreen).
#
#   scripts/test.sh              # the suite CI runs (build/)
#   scripts/test.sh --sanitize   # core, the CLI and every non-GUI suite built with AddressSanitizer and
#                                # UndefinedBehaviorSanitizer (build-sanitize/); any report fails the run
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
if [ "${1:-}" = "--sanitize" ]; then
  bash scripts/setup-debian.sh
  # LibTorch itself is not instrumented; its one-time allocations at exit are not ours: leaks are not checked.
  flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_GUI=OFF \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
  cmake --build build-sanitize --parallel "$(nproc)"
  built=$(date +%s)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build-sanitize --output-on-failure --timeout 1800 -j1
else
  bash scripts/build.sh
  built=$(date +%s)
  export QT_QPA_PLATFORM=offscreen
  ctest --test-dir build --output-on-failure --timeout 900 -j1
fi
echo "set-up + build: $((built - start)) s, tests: $(( $(date +%s) - built )) s"
