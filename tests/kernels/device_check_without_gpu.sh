#!/usr/bin/env bash
# kernels/device-check.sh on a machine without a GPU (the GPU hidden with CUDA_VISIBLE_DEVICES
# where there is one): it must run to its end and exit 3, with one row per step in summary.md,
# none failed, after building the kernels-only configuration, running the smoke test, the probe, the checks
# and the benches on the SIMT emulator, merging the benches' JSON, printing the tables and building
# one task's harness (check-tasks.py --build-only); the sass step runs on a stand-in cuobjdump
# (fake_cuda_tools/). Then `bench` killed mid-run must leave a whole JSON, marked incomplete.
#
#     device_check_without_gpu.sh BUILD_FOLDER OPTILOOP_KERNELS_EMULATED
#
# BUILD_FOLDER is kept between runs (inside the CMake build tree), so a rerun's build is
# incremental.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ "$#" -ne 2 ]; then
    echo "usage: device_check_without_gpu.sh BUILD_FOLDER OPTILOOP_KERNELS_EMULATED" >&2
    exit 2
fi
build=$1
emulated=$2
work=$(mktemp -d /tmp/optiloop-device-check-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
expect() {  # expect NAME CONDITION-STATUS [DETAIL]
    if [ "$2" -ne 0 ]; then
        echo "FAILED: $1${3:+: $3}"
        failures=$((failures + 1))
    fi
}

started=$SECONDS
OUT="$work/out" OPTILOOP_KERNELS_BUILD="$build" OPTILOOP_KERNELS_EMULATED="$emulated" \
    OPTILOOP_DEVICE_CHECK_TASKS=transpose-f32 OPTILOOP_DEVICE_CHECK_LOGS="$work/logs" CUDA_VISIBLE_DEVICES="" \
    PATH="$here/fake_cuda_tools:$PATH" "$repo/kernels/device-check.sh" >"$work/run.log" 2>&1
status=$?
took=$((SECONDS - started))
summary="$work/out/summary.md"

expect "exits 3 (no usable GPU, nothing failed)" "$([ "$status" -eq 3 ]; echo $?)" "exit $status; $(tail -n 40 "$work/run.log")"
expect "writes summary.md" "$([ -s "$summary" ]; echo $?)"
expect "prints the summary table at the end" "$(tail -n 5 "$work/run.log" | grep -q '^total .* exit 3'; echo $?)"
row() { grep -E "^\| $1 \| " "$summary" 2>/dev/null; }
for step in environment build gpu smoke probe check-naive check-prefill check-decode memcheck racecheck sass \
    bench-naive bench-prefill bench-decode clocks torch table tasks; do
    expect "a row for step $step" "$(row "$step" >/dev/null; echo $?)"
done
for step in environment build smoke probe check-prefill check-decode sass bench-naive bench-prefill bench-decode table tasks; do
    expect "step $step ok" "$(row "$step" | grep -q '| ok |'; echo $?)" "$(row "$step")"
done
for step in gpu check-naive memcheck racecheck clocks torch; do
    expect "step $step skipped, saying why" "$(row "$step" | grep -q -E '\| skipped \| [0-9]+ \| .*(GPU|cuBLAS)'; echo $?)" "$(row "$step")"
done
expect "no step failed" "$(! grep -q '| failed |' "$summary"; echo $?)" "$(grep '| failed |' "$summary")"
expect "the emulated steps say so" "$(row check-prefill | grep -q 'SIMT emulator'; echo $?)"
expect "the probe step right after the smoke test, every probe ok" \
    "$(grep -A 1 -E '^\| smoke \| ' "$summary" | tail -n 1 | grep -q -E '^\| probe \| ok \| .*SIMT emulator.*probe: [0-9]+ ok, 0 failed'; echo $?)" \
    "$(row probe)"
expect "the sass step keeps the prefill functions only" "$(row sass | grep -q '1 functions'; echo $?)" "$(row sass)"
expect "the task check built its harness only" "$(row tasks | grep -q '2 of 2 solutions built'; echo $?)" "$(row tasks)"
expect "environment.txt records the tools" \
    "$(grep -q '^## nvcc' "$work/out/environment.txt" && grep -q '^## torch' "$work/out/environment.txt"; echo $?)"
expect "table.txt holds the tables and goals" "$(grep -q '^goal: decode' "$work/out/table.txt"; echo $?)"
expect "no RESULTS-section.md from emulated times" "$([ ! -e "$work/out/RESULTS-section.md" ]; echo $?)"
bundled=$(tar -tzf "$work/out/logs.tar.gz" 2>&1)
expect "the logs bundled in logs.tar.gz" \
    "$(grep -q 'bench-prefill.json' <<<"$bundled" && grep -q 'check-tasks.json' <<<"$bundled"; echo $?)" "$bundled"
expect "few enough files under OUT for a lent machine (8)" "$([ "$(find "$work/out" -type f | wc -l)" -le 8 ]; echo $?)" \
    "$(find "$work/out" -type f)"
python3 - "$work/out/kernels-bench.json" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    bench = json.load(f)
assert bench["families"] == ["naive", "prefill", "decode"], bench["families"]
assert bench["complete"] is True
assert len(bench["prefill"]) == 8 and len(bench["prefill_variants"]) == 8 and len(bench["naive"]) == 4, bench
assert len(bench["decode"]) == 1 and len(bench["decode_variants"]) == 1 and bench["copy_bandwidth_gbs"] > 0, bench
EOF
expect "kernels-bench.json: the three families merged" "$?"

# A bench killed mid-run leaves the shapes that finished, in a whole file that says so.
timeout 3 "$emulated" bench --family prefill --runs 300 --prefill 1x2x80 --json "$work/cut.json" >/dev/null 2>&1
python3 - "$work/cut.json" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    bench = json.load(f)
assert bench["complete"] is False and bench["families"] == ["prefill"], bench
EOF
expect "bench killed mid-run: a whole JSON marked incomplete" "$?"

if [ "$failures" -gt 0 ]; then
    echo "--- summary.md"
    cat "$summary" 2>/dev/null
fi
echo "$([ "$failures" -eq 0 ] && echo passed || echo FAILED): device_check_without_gpu ($failures failures, device-check.sh took $took s)"
[ "$failures" -eq 0 ]
