#!/usr/bin/env bash
# Installs the Debian packages (if missing), configures and builds PEFT Workbench into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build --parallel "$(nproc)"
