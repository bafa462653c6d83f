#!/usr/bin/env bash
# Replays the answers recorded in the live comparison (answers/SEARCH-N.jsonl.gz: each run's
# answers in the places its search asked for them, from collect.py) through the same search with
# the same options as run.sh, and prints the table (table.py). Instruction counts are exact, so
# the table is the same on any machine with the same compiler and valgrind.
#
#   bench/search/live/replay.sh [OPTILOOP_BINARY] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
optiloop="${1:-$root/build/bin/optiloop}"
out="${2:-$(mktemp -d)}"
source "$here/common.sh"
live_dataset "$root" "$out"
args=()
for search in population islands elites; do
  dbs=""
  for recorded in "$here"/answers/"$search"-*.jsonl.gz; do
    run="$(basename "$recorded" .jsonl.gz)"
    gzip -dc "$recorded" > "$out/$run.jsonl"
    rm -f "$out/$run.db"*
    # Exit 1 means some task had nothing verified: a result, not a failure of the run.
    "$optiloop" eval "$out/dataset" --provider replay --replay "$out/$run.jsonl" "${live_options[@]}" --search "$search" \
      --db "$out/$run.db" > "$out/$run.out" 2> "$out/$run.log" || [ $? -eq 1 ]
    dbs="$dbs${dbs:+,}$out/$run.db"
  done
  args+=("$search=$dbs")
done
python3 "$here/table.py" "${args[@]}"
