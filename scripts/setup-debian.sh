#!/usr/bin/env bash
# Installs every Debian package PEFT Workbench needs to build, test and run. Idempotent.
# --fuzz: also clang and libFuzzer, for scripts/fuzz.sh.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # engine: LibTorch (CPU) and a fast BLAS for it (reference BLAS is ~40x slower)
  libtorch-dev libopenblas0-openmp
  # core libraries
  nlohmann-json3-dev libicu-dev libsqlite3-dev zlib1g-dev
  # Hugging Face Hub downloads: HTTP(S) and SHA-256 checks
  libcurl4-openssl-dev libssl-dev
  # the command line's argument parsing and --help
  libcli11-dev
  # GUI
  qt6-base-dev libqt6sql6-sqlite libqcustomplot-dev libgl-dev
  # headless GUI tests and screenshots
  xvfb xauth
  # data sources for the built-in task and the pretraining corpus
  dict-gcide wordnet-base
  # more English text for the pretraining corpus (~30 MB): FOLDOC, Jargon File, Devil's Dictionary,
  # fortune cookies, the World English and King James Bibles, Perl's manuals
  dict-foldoc dict-jargon dict-devil fortunes sword-text-web sword-text-kjv perl-doc
)
# scripts/fuzz.sh: clang and its libFuzzer / sanitizer runtimes
if [ "${1:-}" = "--fuzz" ]; then PACKAGES+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
