#!/usr/bin/env bash
# Set up, build, and start the workbench on the shipped default model. Extra arguments go to the GUI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec build/bin/peft-workbench "$@"
