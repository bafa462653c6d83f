#!/usr/bin/env bash
# One search variant over the tasks of bench/search (the 12 of answers.jsonl) with --provider
# paste: the prompts go to OUT/SEARCH/prompts, to be answered live (next-prompt.sh claims them one
# at a time); the results go to OUT/SEARCH.db. OUT/SEARCH/prompts/DONE marks the end.
#
#   bench/search/live/run.sh SEARCH OUT [OPTILOOP_BINARY] [extra eval options...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
search="$1"
out="$2"
optiloop="${3:-$root/build/bin/optiloop}"
shift 3 || shift $#
source "$here/common.sh"
mkdir -p "$out/$search/prompts"
live_dataset "$root" "$out"
# Exit 1 means some task had nothing verified: a result, not a failure of the run.
"$optiloop" eval "$out/dataset" --provider paste --paste-dir "$out/$search/prompts" --llm-timeout 3600 \
  "${live_options[@]}" --search "$search" -j 3 \
  --db "$out/$search.db" "$@" > "$out/$search/eval.out" 2> "$out/$search/eval.log" || [ $? -eq 1 ]
touch "$out/$search/prompts/DONE"
