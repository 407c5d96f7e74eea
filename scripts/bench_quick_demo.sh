#!/usr/bin/env bash
# The eight-method quick comparison end to end (tiny-bert, dictionary-fields, one seed, whole test splits),
# --parallel 1 against --parallel 2, alternating, N pairs (default 3); prints each wall time and the median
# ratio. Results go to a temporary folder. docs/BENCHMARKS.md has the numbers.
#
#   scripts/bench_quick_demo.sh [PAIRS] [PRECISION]      # about 3 minutes a pair on 2 cores (bf16)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
precision=${2:-auto}
cli=${PW_CLI:-build/bin/peft-workbench-cli}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ratios=()
for i in $(seq 1 "$pairs"); do
  declare -A wall
  for p in 1 2; do
    t0=$(date +%s.%N)
    "$cli" compare --model tiny-bert --task dictionary-fields --preset quick --seeds 1 \
      --methods lp,ft,lp-ft,prompt,prefix,adapter,lora,bitfit --parallel "$p" --precision "$precision" \
      --db "$tmp/runs.sqlite" --out "$tmp/out" >/dev/null 2>&1
    t1=$(date +%s.%N)
    wall[$p]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    echo "pair $i: --parallel $p ${wall[$p]} s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  ratios+=("$(awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { printf "%.3f", a / b }')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median ratio (--parallel 1 time / --parallel 2 time): $median"
