#!/usr/bin/env bash
# Re-derives the shipped default learning rates at one preset with the `tune` procedure (validation split
# only; docs/TRAINING.md): every method with a rate, body then head, 2 seeds per grid point, on the shipped
# default model and task. Runs N tunes side by side, one thread each. Prints the rate rows for each method's
# descriptor (MethodDescriptor::rates in core/methods/METHOD.cpp) and a Markdown table; keeps every tune's
# output and runs in OUT.
#
#   scripts/tune-defaults.sh quick                 # about 30 minutes on 2 cores (bf16)
#   scripts/tune-defaults.sh standard out-std/     # several hours on 2 cores
#   scripts/tune-defaults.sh standard out-std/ lora bitfit   # some methods only
#   scripts/tune-defaults.sh standard out-std/ lp-ft         # LP-FT's stage-2 factor (on FT's shipped rates:
#                                                            # run it after FT's new rows are in full_finetune.cpp)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:?usage: tune-defaults.sh quick|standard|thorough [OUT] [METHODS...]}
out=${2:-tune-defaults-$preset}
shift $(( $# >= 2 ? 2 : 1 ))
methods=("$@")
[ ${#methods[@]} -gt 0 ] || methods=(ft prompt prefix adapter lora bitfit ia3)
jobs=${PW_TUNE_JOBS:-$(nproc)}
cli=${PW_CLI:-build/bin/peft-workbench-cli}
mkdir -p "$out"

tune_one() {  # method: its text output in OUT/METHOD.txt, its runs in OUT/METHOD.sqlite
  local rates=lr,head_lr
  [ "$1" = lp-ft ] && rates=lr_factor  # FT's rates times its factor: the factor is LP-FT's own
  PW_THREADS=1 "$cli" tune --method "$1" --rate "$rates" --preset "$preset" --seeds 2 \
    --db "$out/$1.sqlite" --out "$out/$1" >"$out/$1.txt" 2>"$out/$1.log"
}
export -f tune_one
export cli out preset
# PW_TUNE_PRINT_ONLY=1: print the rows and the table of tunes already in OUT, run nothing.
[ "${PW_TUNE_PRINT_ONLY:-0}" = 1 ] || printf '%s\n' "${methods[@]}" | xargs -P "$jobs" -I{} bash -c 'tune_one {}'

date=$(date -u +%Y-%m-%d)
echo "// rate rows for each method's descriptor (m.rates in core/methods/METHOD.cpp)"
for m in "${methods[@]}"; do
  if [ "$m" = lp-ft ]; then
    factor=$(sed -n 's/^  chosen lr_factor: \([^ ]*\) .*/\1/p' "$out/$m.txt")
    echo "    $m: {\"$preset\", 0, 0, \"tune --rate lr_factor on tiny-bert + dictionary-fields, $preset preset, 2 seeds ($date)\", $factor},"
    continue
  fi
  lr=$(sed -n 's/^  chosen lr: \([^ ]*\) .*/\1/p' "$out/$m.txt")
  head=$(sed -n 's/^  chosen head_lr: \([^ ]*\) .*/\1/p' "$out/$m.txt")
  echo "    $m: {\"$preset\", $lr, $head, \"tune on tiny-bert + dictionary-fields, $preset preset, 2 seeds ($date)\"},"
done
echo
echo "| method | rate: validation % +- SE (2 seeds) | chosen | head rate: validation % +- SE | chosen |"
echo "|---|---|---|---|---|"
for m in "${methods[@]}"; do
  awk -v m="$m" '
    /^lr of /      { pass = "lr"; next }
    /^lr_factor of / { pass = "lr"; next }   # lp-ft: its factor in the rate columns
    /^head_lr of / { pass = "head"; next }
    /^  [* ] +[0-9.]+e-?[0-9]+ / {
      line = $0; star = (substr(line, 3, 1) == "*");
      sub(/^  [* ] +/, "", line); split(line, f, " ");
      cell = f[1] ": " f[2] " +- " f[4];
      if (star) cell = "**" cell "**";
      t[pass] = t[pass] (t[pass] == "" ? "" : "; ") cell
    }
    /^  chosen lr: /      { c["lr"] = $3 }
    /^  chosen lr_factor: / { c["lr"] = $3 }
    /^  chosen head_lr: / { c["head"] = $3 }
    /stopped on an edge/  { e[pass] = " (edge)" }
    END { printf "| %s | %s | %s%s | %s | %s%s |\n", m, t["lr"], c["lr"], e["lr"], t["head"], c["head"], e["head"] }
  ' "$out/$m.txt"
done
