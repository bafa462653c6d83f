#!/usr/bin/env bash
# Compares the greedy loop with the population search on the same recorded model answers
# (bench/search/answers.jsonl: 12 built-in tasks, 3 rounds of 2 answers each, written by hand as a
# fallible model would answer: most first attempts fail with a compile error or a wrong answer,
# the second round fixes them, the third refines). Both searches replay the same answers, round by
# round, with the same k and rounds: the table shows what each makes of them.
#
#   bench/search/compare.sh [OPTILOOP_BINARY] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
optiloop="${1:-$root/build/bin/optiloop}"
out="${2:-$(mktemp -d)}"
answers="$here/answers.jsonl"
tasks=$(python3 -c 'import json,sys; print(" ".join(dict.fromkeys(json.loads(l)["task"] for l in open(sys.argv[1]) if l.strip())))' "$answers")
mkdir -p "$out"
for search in greedy population; do
  for task in $tasks; do
    # Exit 1 means nothing was verified: a result, not a failure of the run.
    "$optiloop" optimize "$root/datasets/builtin/$task" --provider replay --replay "$answers" -k 2 --rounds 3 \
      --search "$search" --counter cachegrind --repeat 1 --json > "$out/$search-$task.json" 2> "$out/$search-$task.log" || [ $? -eq 1 ]
  done
done
python3 - "$out" $tasks <<'PY'
import json, math, sys
out, tasks = sys.argv[1], sys.argv[2:]
print(f"| task | greedy: speedup (answers, rounds) | population: speedup (answers, rounds) |")
print("|---|---|---|")
totals = {}
rows = {}
for search in ("greedy", "population"):
    solved, logs, answers = 0, [], 0
    for t in tasks:
        j = json.load(open(f"{out}/{search}-{t}.json"))
        s = j["speedup"] if j["verified"] else 1.0
        solved += j["verified"]
        logs.append(math.log(s))
        answers += j["answers"]
        rows.setdefault(t, {})[search] = f'{s:.2f}x ({j["answers"]}, {j["rounds"]})' + ("" if j["verified"] else " none")
    totals[search] = (solved, math.exp(sum(logs) / len(logs)), answers)
for t in tasks:
    print(f'| {t} | {rows[t]["greedy"]} | {rows[t]["population"]} |')
for search, (solved, geo, answers) in totals.items():
    print(f"{search}: {solved}/{len(tasks)} tasks with a verified speedup, geomean speedup {geo:.2f}x (1.00x where none), {answers} model answers used")
PY
