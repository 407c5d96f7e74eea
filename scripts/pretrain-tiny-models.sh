#!/usr/bin/env bash
# Reproduces the shipped base models from Debian's text packages: corpus -> vocabulary -> pretraining ->
# F16 model folder. Resumable: run it again and each model continues from its last checkpoint.
# Usage: scripts/pretrain-tiny-models.sh bert|gpt2 MINUTES   (work files go to $PW_PRETRAIN_DIR, default ./pretrain-work)
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?usage: pretrain-tiny-models.sh bert|gpt2 MINUTES}
minutes=${2:?usage: pretrain-tiny-models.sh bert|gpt2 MINUTES}
cli=build/bin/peft-workbench-cli
work=${PW_PRETRAIN_DIR:-pretrain-work}
mkdir -p "$work"
[ -s "$work/corpus.txt" ] || $cli corpus --out "$work/corpus.txt"
if [ "$arch" = bert ]; then kind=wordpiece; name=tiny-bert; else kind=bpe; name=tiny-gpt2; fi
[ -d "$work/vocab-$arch" ] || $cli vocab --kind $kind --corpus "$work/corpus.txt" --size 12000 --out "$work/vocab-$arch"
# The resumable checkpoint (F32 weights + optimiser state) lives in pretraining/<name>/ so it can be committed.
ckpt=pretraining/$name
resume=""
vocab="$work/vocab-$arch"
if [ -f "$ckpt/trainer_state.json" ]; then resume="--resume"; vocab="$ckpt"; fi  # the checkpoint's own vocabulary
$cli pretrain --arch "$arch" --corpus "$work/corpus.txt" --vocab "$vocab" --out "$ckpt" \
  --layers 4 --hidden 256 --heads 4 --seq 128 --batch 32 --steps 12000 --lr 5e-4 --seed 1 \
  --minutes "$minutes" $resume
$cli convert "$ckpt" --out "resources/models/$name" --dtype f16
