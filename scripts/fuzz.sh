#!/usr/bin/env bash
# Long fuzzing runs (issue #13): every reader of untrusted files under libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer (targets in fuzz/; the suite runs a short smoke of each, tests/fuzz_smoke).
#
#   scripts/fuzz.sh                                  # every target: 10 million executions or 30 minutes each
#   scripts/fuzz.sh json config                      # only these targets
#   FUZZ_RUNS=200000 FUZZ_SECONDS=60 scripts/fuzz.sh # shorter
#
# The corpus grows in build-fuzz/corpus/<target>/ and is kept between runs. A finding (crash, sanitizer
# report, hang over 10 s, more than 2 GB, or a target's own check) is saved as build-fuzz/findings/<target>/;
# once fixed, copy the input into fuzz/regressions/<target>/ so the suite keeps it fixed.
# The table of executions and findings is written to build-fuzz/fuzz-report.txt (or $FUZZ_REPORT).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh --fuzz || exit 1
runs=${FUZZ_RUNS:-10000000}
seconds=${FUZZ_SECONDS:-1800}
# LibTorch is not instrumented; its allocations at exit are not ours: leaks are not checked.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
mkdir -p build-fuzz
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPW_FUZZ=ON \
  -DBUILD_GUI=OFF -DBUILD_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" > build-fuzz/configure.log 2>&1 || { cat build-fuzz/configure.log; exit 1; }
cmake --build build-fuzz --target fuzz_all --parallel "$(nproc)" || exit 1
./build-fuzz/bin/fuzz_seeds build-fuzz/seeds > /dev/null || exit 1
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # Every fuzz_<target> binary fuzz/CMakeLists.txt builds (its list is the one source).
  mapfile -t targets < <(ls build-fuzz/bin | sed -n 's/^fuzz_\(.*\)$/\1/p' | grep -v '^seeds$')
fi
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
report=${FUZZ_REPORT:-build-fuzz/fuzz-report.txt}  # FUZZ_REPORT: another file, for two runs at once
printf "%-15s %12s %8s %9s %7s %s\n" target executions seconds "exec/s" corpus findings > "$report"
failed=0
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/findings/$t"
  rm -f build-fuzz/findings/"$t"/{crash,timeout,oom,leak}-*  # an unfixed finding is found again
  log="build-fuzz/findings/$t/fuzz.log"
  start=$(date +%s)
  # The first finding stops a target (fix it, then run again: the corpus is kept).
  "./build-fuzz/bin/fuzz_$t" -runs="$runs" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$t/" \
    "build-fuzz/corpus/$t" "build-fuzz/seeds/$t" $( [ -d "fuzz/regressions/$t" ] && echo "fuzz/regressions/$t" ) > "$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  execs=$(grep -a "stat::number_of_executed_units" "$log" | tail -1 | awk '{print $2}')
  found=$(find "build-fuzz/findings/$t" -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' | wc -l)
  [ "$rc" -ne 0 ] && [ "$found" -eq 0 ] && found="exit $rc"
  corpus=$(ls "build-fuzz/corpus/$t" | wc -l)
  printf "%-15s %12s %8s %9s %7s %s\n" "$t" "${execs:-?}" "$took" "$(( ${execs:-0} / (took > 0 ? took : 1) ))" \
    "$corpus" "$found" | tee -a "$report"
  [ "$found" != "0" ] && failed=1
done
echo "report: $report"
exit $failed
