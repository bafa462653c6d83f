# Sourced by run.sh and replay.sh: what a live run and its replay must share for the replay to
# ask the same questions (the tasks, and the search's options).
#   live_dataset ROOT OUT: OUT/dataset holds links to the built-in tasks of bench/search/answers.jsonl
#   live_options: the eval options of every run
live_dataset() {
  local root="$1" out="$2" task
  mkdir -p "$out/dataset"
  for task in $(python3 -c 'import json,sys; print(" ".join(dict.fromkeys(json.loads(l)["task"] for l in open(sys.argv[1]) if l.strip())))' "$root/bench/search/answers.jsonl"); do
    ln -sfnT "$root/datasets/builtin/$task" "$out/dataset/$task"  # -T: never a link inside an existing one
  done
}
live_options=(-k 2 --rounds 3 --counter cachegrind --repeat 1 --no-reference)
