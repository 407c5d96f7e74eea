#!/usr/bin/env bash
# Set up, build, and run the whole test suite (Qt Test suites through CTest; GUI tests offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/build.sh
built=$(date +%s)
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --timeout 900 -j1
echo "set-up + build: $((built - start)) s, tests: $(( $(date +%s) - built )) s"
