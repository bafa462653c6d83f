#!/usr/bin/env bash
# Waits for the next unanswered prompt that --provider paste wrote into DIR and claims it, so that
# several people (or agents) answering one folder never take the same prompt. Prints
#   PROMPT <path> <answers wanted> <answer path for J=1> ... <answer path for J=N>
# or DONE once the run wrote DIR/DONE and nothing is left, or WAIT after SECONDS (default 500)
# without a prompt (call again).
#
#   bench/search/live/next-prompt.sh DIR [SECONDS]
set -euo pipefail
dir="$1"
limit="${2:-500}"
mkdir -p "$dir/.claims"
start=$(date +%s)
while :; do
  for prompt in $(ls -tr "$dir"/*-prompt.md 2>/dev/null); do
    stem="$(basename "$prompt" -prompt.md)"
    # The header says how many answers are wanted: "N answer(s) wanted".
    wanted=$(head -1 "$prompt" | sed -n 's/.*; \([0-9][0-9]*\) answers\{0,1\} wanted.*/\1/p')
    [ -n "$wanted" ] || continue
    [ -e "$dir/$stem-answer-1.md" ] && continue
    mkdir "$dir/.claims/$stem" 2>/dev/null || continue
    paths=""
    for j in $(seq 1 "$wanted"); do paths="$paths $dir/$stem-answer-$j.md"; done
    echo "PROMPT $prompt $wanted$paths"
    exit 0
  done
  if [ -e "$dir/DONE" ]; then echo DONE; exit 0; fi
  if [ $(( $(date +%s) - start )) -ge "$limit" ]; then echo WAIT; exit 0; fi
  sleep 2
done
