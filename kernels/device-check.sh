#!/usr/bin/env bash
# One run on a GPU machine (nvcc, CMake, ninja; optionally Python with PyTorch, compute-sanitizer
# and cuobjdump; no network), as a sequence of steps, each in processes of its own under its own
# time limit, each ending in one row of a summary table (ok, failed or skipped, seconds, a note):
#
#   environment   nvidia-smi -q, driver, nvcc, cmake, ninja, gcc, python, torch and its CUDA
#   build         the kernels-only configuration (optiloop-kernels)
#   gpu           `optiloop-kernels info`: is there a usable GPU
#   smoke         one tiny `check` case, 20 seconds
#   probe         `optiloop-kernels probe`: ldmatrix and mma.sync lane by lane against the PTX ISA's
#                 fragment formulas, and one-tile prefills that say which key and dim each output used
#   check-*       `check --family naive|prefill|decode`, one process per family: a kernel that
#                 faults leaves a sticky CUDA error that would fail everything after it
#   bench-*       `bench --family ...`, one process per family, each rewriting its JSON after every
#                 shape, so that a timeout keeps the shapes that finished
#   clocks        SM/memory clocks, temperature and power sampled during the benches
#   torch         PyTorch's flash SDPA on the bench's prefill shapes (torch-sdpa-bench.py)
#   table         bench-table.py: ours, torch, cuBLAS side by side, and the goals of issue #9
#   memcheck, racecheck   compute-sanitizer on two small check cases (a prefill, a decode)
#   sass          cuobjdump -sass of the prefill kernels, for this GPU's architecture
#   tasks         check-tasks.py: the cuda-kernel tasks of datasets/kernels, built and run
#
# A failed step never stops the ones after it, and 150 seconds are kept for the task check
# whatever came before; the whole run stays under 7.5 minutes (OPTILOOP_DEVICE_CHECK_BUDGET
# seconds), a step that the budget leaves no time for failing unrun.
#
#     OUT=DIR kernels/device-check.sh
#
# Under $OUT (a temporary folder when unset), few files, so that all of them come back from a
# machine that returns only a handful: summary.md (the table, rewritten after every step),
# environment.txt, kernels-bench.json (the families merged), torch-bench.json, table.txt,
# RESULTS-section.md (for kernels/RESULTS.md) and logs.tar.gz (every step's log, the per-family
# bench JSON, clocks.csv, the SASS, check-tasks.json; refreshed after every step).
#
# Exit 0 when every step that could run passed, 1 when one failed, 3 when there is no usable GPU
# (and nothing failed): without one, everything that needs none still runs (environment, build,
# the task harnesses built with --build-only, the tables) and, when OPTILOOP_KERNELS_EMULATED
# names the normal build's kernels/optiloop-kernels-emulated, the smoke test, the probe, checks and
# benches run on the SIMT emulator on small shapes, so that every path of this script runs on any machine
# (tests/kernels/device_check_without_gpu.sh, in `make test`).
#
# Environment: OPTILOOP_KERNELS_BUILD (a build folder to reuse; default a temporary one),
# OPTILOOP_KERNELS_EMULATED (above), OPTILOOP_DEVICE_CHECK_LOGS (also keep the logs there as
# plain files), OPTILOOP_DEVICE_CHECK_TASKS (task folders or names under datasets/kernels for the
# task check; default all), OPTILOOP_DEVICE_CHECK_BUDGET (seconds, default 450).
#
# No `set -e`: every command whose failure matters is a step whose status is recorded; an
# unguarded failure (such as a query nvidia-smi does not know) must not end the run.
set -u -o pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$(mktemp -d /tmp/optiloop-device-check.XXXXXX)}
mkdir -p "$out" || exit 3
out=$(cd "$out" && pwd)
if [ -n "${OPTILOOP_DEVICE_CHECK_LOGS:-}" ]; then
    logs=$OPTILOOP_DEVICE_CHECK_LOGS
    mkdir -p "$logs" || exit 3
else
    logs=$(mktemp -d /tmp/optiloop-device-check-logs.XXXXXX)
fi
if [ -n "${OPTILOOP_KERNELS_BUILD:-}" ]; then
    build=$OPTILOOP_KERNELS_BUILD
    mkdir -p "$build" || exit 3
else
    build=$(mktemp -d /tmp/optiloop-kbuild.XXXXXX)
fi
emulated_tool=${OPTILOOP_KERNELS_EMULATED:-}
budget=${OPTILOOP_DEVICE_CHECK_BUDGET:-450}
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 4)}
# The toolkit's usual place after the PATH's own: nvcc (where CMake and check-tasks.py look too),
# compute-sanitizer and cuobjdump.
for folder in /usr/local/cuda/bin /usr/local/cuda/compute-sanitizer; do
    if [ -d "$folder" ] && [[ ":$PATH:" != *":$folder:"* ]]; then PATH=$PATH:$folder; fi
done
has() { command -v "$1" >/dev/null 2>&1; }

bench_json="$out/kernels-bench.json"
torch_json="$out/torch-bench.json"
# Nothing of an earlier run into the same folder may pass for this one's.
rm -f "$out/summary.md" "$out/environment.txt" "$bench_json" "$torch_json" "$out/table.txt" "$out/RESULTS-section.md" \
    "$out/logs.tar.gz"
families=(naive prefill decode)
# The small cases: the smoke test, the sanitizers (a prefill with two query and key tiles, causal;
# a decode, default and prefetching), and on the emulator one handful per family.
smoke_case="prefill f16 d=64 B=2 H=4/4 q=17 kv=17"
sanitizer_cases=("prefill f16 d=128 B=2 H=4/4 q=127 kv=127 causal" "decode f16 d=128 B=1 H=8/2 q=1 kv=1000")
declare -A emulated_filter=([prefill]="q=17 kv=17" [decode]="q=1 kv=1000")
emulated_shapes=(--runs 2 --prefill 1x2x80 --decode 1x300)

started=$SECONDS
steps=() statuses=() durations=() notes=()
any_failed=0
gpu=0          # 1 once `optiloop-kernels info` has found a usable GPU
gpu_why="not probed"
tool=""        # the optiloop-kernels the check and bench steps run: the GPU build, or the emulated one
arch=sm_90     # the GPU's architecture (SASS, the task builds); sm_90 without one
clocks_pid=""

# ---- the summary ----

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
write_summary() {
    local i total=$((SECONDS - started))
    {
        echo "# device-check, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit"
        echo
        echo "| step | status | seconds | note |"
        echo "|---|---|---|---|"
        for i in "${!steps[@]}"; do
            echo "| ${steps[$i]} | ${statuses[$i]} | ${durations[$i]} | ${notes[$i]//|//} |"
        done
        echo
        echo "total $total s of a $budget s budget; results in $out${1:+; $1}"
    } >"$out/summary.md.partial" && mv "$out/summary.md.partial" "$out/summary.md"
    # Everything else, in one file; a run killed from outside keeps what the last step left.
    tar -czf "$out/logs.tar.gz.partial" -C "$logs" . 2>/dev/null && mv "$out/logs.tar.gz.partial" "$out/logs.tar.gz"
}

# record NAME STATUS SECONDS NOTE
record() {
    steps+=("$1") statuses+=("$2") durations+=("$3") notes+=("$4")
    if [ "$2" = failed ]; then any_failed=1; fi
    echo "-- $1: $2${4:+ ($4)}"
    write_summary
}
skip() { record "$1" skipped 0 "$2"; }
# Appends to the note of the last step recorded, unless that step was not run for lack of time.
amend_note() {
    if [ "$rc" -eq 125 ] || [ -z "$1" ]; then return; fi
    local last=$((${#notes[@]} - 1))
    notes[last]="${notes[last]:+${notes[last]}; }$1"
    write_summary
}

# The seconds a step may take: its cap, cut to what the budget leaves after the time kept for the
# task check, which runs whatever happened before it. A step left less than 5 seconds fails, not
# run: the budget is part of what is checked.
reserve=150
rc=0
step_limit() {
    local left=$((budget - (SECONDS - started) - reserve))
    if [ "$left" -lt "$1" ]; then echo "$left"; else echo "$1"; fi
}

# run_step NAME CAP COMMAND...: COMMAND under `timeout` (whose process group holds everything the
# command starts), its output on stdout and in $logs/NAME.log; records ok, or failed with the
# exit status or the timeout, or failed unrun when the budget is spent. $note (set by the caller, e.g.
# `note=... run_step ...`) starts the row's note; exit status $skip_code, when set, means skipped
# (the first line of the output saying why). Sets rc.
run_step() {
    local name=$1 cap=$2 limit step_started
    shift 2
    limit=$(step_limit "$cap")
    if [ "$limit" -lt 5 ]; then
        rc=125
        record "$name" failed 0 "not run: out of time ($((budget - (SECONDS - started))) s of the $budget s budget left)"
        return
    fi
    echo "== $name (at most $limit s): $*"
    step_started=$SECONDS
    timeout --kill-after=10 "$limit" "$@" 2>&1 | tee "$logs/$name.log"
    rc=${PIPESTATUS[0]}
    local took=$((SECONDS - step_started)) text=${note:-}
    if [ -n "${skip_code:-}" ] && [ "$rc" -eq "$skip_code" ]; then
        record "$name" skipped "$took" "${text:+$text; }$(head -n 1 "$logs/$name.log" 2>/dev/null)"
        return
    fi
    case $rc in
        0) record "$name" ok "$took" "$text" ;;
        124 | 137) record "$name" failed "$took" "${text:+$text; }timed out after $limit s" ;;
        *) record "$name" failed "$took" "${text:+$text; }exit $rc" ;;
    esac
}

# The line of a step's log that matches PATTERN (the last one), for its note.
log_line() { grep -E "$2" "$logs/$1.log" 2>/dev/null | tail -n 1; }

stop_clocks() {
    if [ -n "$clocks_pid" ]; then
        kill "$clocks_pid" 2>/dev/null
        wait "$clocks_pid" 2>/dev/null
        clocks_pid=""
    fi
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    stop_clocks
    if [ -z "${OPTILOOP_DEVICE_CHECK_LOGS:-}" ]; then rm -rf "$logs"; fi
    if [ -z "${OPTILOOP_KERNELS_BUILD:-}" ]; then rm -rf "$build"; fi
}
trap cleanup EXIT
trap 'echo "device-check: interrupted"; write_summary "interrupted"; exit 130' INT TERM

echo "device-check: results in $out (summary.md, logs.tar.gz), build in $build"

# ---- environment ----

# One section of environment.txt: the command and what it printed, or why it did not run.
env_section() {
    echo "## $1"
    shift
    echo "\$ $*"
    if ! has "$1"; then
        echo "(not found: $1)"
    else
        timeout 30 "$@" 2>&1 || echo "(exit $?)"
    fi
    echo
}
record_environment() {
    echo "# device-check environment, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $commit"
    echo
    env_section "host" uname -a
    env_section "CPUs" nproc
    env_section "memory" free -g
    env_section "GPUs" nvidia-smi -L
    env_section "GPU summary" nvidia-smi
    env_section "GPU, every field" nvidia-smi -q
    echo "## driver"
    cat /proc/driver/nvidia/version 2>/dev/null || echo "(no /proc/driver/nvidia/version)"
    echo
    env_section "nvcc" nvcc --version
    env_section "cmake" cmake --version
    env_section "ninja" ninja --version
    env_section "gcc" gcc --version
    env_section "g++" g++ --version
    env_section "compute-sanitizer" compute-sanitizer --version
    env_section "cuobjdump" cuobjdump --version
    env_section "python" python3 --version
    env_section "torch" python3 -c "import torch
print('torch', torch.__version__, 'built for CUDA', torch.version.cuda)
print('cuda available:', torch.cuda.is_available())
print('device:', torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)"
}
step_started=$SECONDS
record_environment >"$out/environment.txt" 2>&1
gpu_name=$(timeout 30 nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -n 1)
nvcc_version=$(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p')
torch_version=$(timeout 60 python3 -c 'import torch; print(torch.__version__ + " (CUDA " + str(torch.version.cuda) + ")")' 2>/dev/null)
record environment ok $((SECONDS - step_started)) \
    "GPU: ${gpu_name:-none (no nvidia-smi or no GPU)}; nvcc ${nvcc_version:-not found}; torch ${torch_version:-not installed}; environment.txt"

# ---- build ----

# shellcheck disable=SC2016 # $1..$3 expand inside the child bash
note="" run_step build 240 bash -c 'cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPTILOOP_KERNELS_ONLY=ON \
    -DCMAKE_CUDA_FLAGS=--resource-usage && cmake --build "$2" -j "$3"' _ "$repo" "$build" "$jobs"
if [ "$rc" -eq 0 ]; then
    amend_note "kernels-only, -j $jobs, in $build"
else
    amend_note "$(grep -m 1 -E 'error|Error' "$logs/build.log" | cut -c1-160)"
fi
grep -E 'Compiling entry|registers|spill' "$logs/build.log" >"$logs/resource-usage.txt" 2>/dev/null

# ---- is there a GPU ----

if [ -x "$build/kernels/optiloop-kernels" ]; then
    # Exit 3, no usable GPU, is not a failure of this step: it is the reason for exit 3 at the end.
    note="" skip_code=3 run_step gpu 30 "$build/kernels/optiloop-kernels" info
    if [ "$rc" -eq 0 ]; then
        gpu=1
        tool="$build/kernels/optiloop-kernels"
        gpu_why=""
        amend_note "$(head -n 1 "$logs/gpu.log")"
        capability=$(sed -n 's/.*compute capability \([0-9]*\)\.\([0-9]*\).*/\1\2/p' "$logs/gpu.log" | head -n 1)
        if [ -n "$capability" ]; then arch="sm_$capability"; fi
    else
        gpu_why=$(head -n 1 "$logs/gpu.log" 2>/dev/null)
    fi
else
    gpu_why="no optiloop-kernels (build failed)"
    skip gpu "$gpu_why"
fi
if [ "$gpu" -eq 0 ] && [ -n "$emulated_tool" ]; then
    if [ -x "$emulated_tool" ]; then
        tool=$emulated_tool
    else
        echo "device-check: OPTILOOP_KERNELS_EMULATED=$emulated_tool is not an executable; no emulated steps"
    fi
fi
emulated=0
if [ "$gpu" -eq 0 ] && [ -n "$tool" ]; then emulated=1; fi
# Why a GPU step cannot run, or "" when it can.
no_gpu_reason() {
    if [ "$gpu" -eq 1 ]; then echo ""; else echo "no usable GPU (see gpu)"; fi
}
# Why a check/bench step cannot run, or "": the GPU, else the emulator.
no_tool_reason() {
    if [ -n "$tool" ]; then echo ""; else echo "$(no_gpu_reason); no emulator (set OPTILOOP_KERNELS_EMULATED)"; fi
}
emulated_note() { if [ "$emulated" -eq 1 ]; then echo "on the SIMT emulator (CPU), small shapes"; fi; }

# ---- correctness: smoke test, then each family in its own process ----

if [ -n "$(no_tool_reason)" ]; then
    skip smoke "$(no_tool_reason)"
else
    note=$(emulated_note) run_step smoke 20 "$tool" check --family prefill --filter "$smoke_case"
    amend_note "$(log_line smoke '^check:')"
fi
# The fragment layouts, lane by lane: when a check fails, this says whether ldmatrix or mma.sync
# hand a lane other elements than the kernels assume, and which key and dim a prefill output took.
if [ -n "$(no_tool_reason)" ]; then
    skip probe "$(no_tool_reason)"
else
    note=$(if [ "$emulated" -eq 1 ]; then echo "on the SIMT emulator (CPU)"; fi) run_step probe 30 "$tool" probe
    amend_note "$(log_line probe '^probe:')"
    if grep -q '^FAIL' "$logs/probe.log" 2>/dev/null; then
        amend_note "first: $(grep -m 1 '^FAIL' "$logs/probe.log" | tr -s ' ' | cut -c1-200)"
    fi
fi
for family in "${families[@]}"; do
    if [ -n "$(no_tool_reason)" ]; then
        skip "check-$family" "$(no_tool_reason)"
    elif [ "$emulated" -eq 1 ] && [ "$family" = naive ]; then
        skip "check-$family" "no usable GPU, and cuBLAS does not run on the emulator"
    elif [ "$emulated" -eq 1 ]; then
        note=$(emulated_note) run_step "check-$family" 60 "$tool" check --family "$family" --filter "${emulated_filter[$family]}"
        amend_note "$(log_line "check-$family" '^check:')"
    else
        cap=120
        if [ "$family" != prefill ]; then cap=60; fi
        note="" run_step "check-$family" "$cap" "$tool" check --family "$family"
        amend_note "$(log_line "check-$family" '^check:')"
        failures=$(grep -c '^FAIL' "$logs/check-$family.log" 2>/dev/null)
        if [ "${failures:-0}" -gt 0 ]; then amend_note "first: $(grep -m 1 '^FAIL' "$logs/check-$family.log" | tr -s ' ' | cut -c1-160)"; fi
    fi
done

# ---- benchmarks: each family in its own process, the clocks sampled meanwhile ----

# The per-family JSON files merged into $bench_json (what torch-sdpa-bench.py and bench-table.py
# read); "complete" only when every family finished.
merge_bench() {
    python3 - "$bench_json" "$@" <<'EOF'
import json, os, sys
merged = None
for path in sys.argv[2:]:
    try:
        with open(path) as f:
            part = json.load(f)
    except (OSError, ValueError):
        continue
    if merged is None:
        merged = {key: part.get(key) for key in ("device", "sm_count", "runs")}
        merged.update(families=[], complete=True, copy_bandwidth_gbs=0.0, prefill=[], naive=[],
                      prefill_variants=[], decode=[], decode_variants=[])
    merged["families"] += part.get("families", [])
    merged["complete"] = merged["complete"] and part.get("complete", False)
    merged["copy_bandwidth_gbs"] = max(merged["copy_bandwidth_gbs"], part.get("copy_bandwidth_gbs", 0.0))
    for key in ("prefill", "naive", "prefill_variants", "decode", "decode_variants"):
        merged[key] += part.get(key, [])
if merged is not None:
    with open(sys.argv[1] + ".partial", "w") as f:
        json.dump(merged, f, indent=1)
    os.replace(sys.argv[1] + ".partial", sys.argv[1])
EOF
}
# "N results, M errors, incomplete" of a family's JSON (and the first error unless $2 is "expected").
bench_note() {
    python3 - "$@" <<'EOF' 2>/dev/null || echo "no JSON written"
import json, sys
with open(sys.argv[1]) as f:
    b = json.load(f)
entries = [e for key in ("prefill", "naive", "prefill_variants", "decode", "decode_variants") for e in b.get(key, [])]
errors = [e for e in entries if "error" in e]
text = f"{len(entries)} results, {len(errors)} errors" + ("" if b.get("complete") else ", incomplete (cut short)")
if errors and sys.argv[2:] != ["expected"]:
    text += f"; first error: {errors[0]['error'][:100]}"
print(text)
EOF
}

if [ "$gpu" -eq 1 ] && has nvidia-smi; then
    fields=timestamp,clocks.sm,clocks.mem,clocks.max.sm,temperature.gpu,power.draw,utilization.gpu,clocks_throttle_reasons.active
    if ! timeout 20 nvidia-smi --query-gpu="$fields" --format=csv >/dev/null 2>&1; then
        fields=timestamp,clocks.sm,clocks.mem,temperature.gpu,power.draw,utilization.gpu  # an older or newer nvidia-smi
    fi
    nvidia-smi --query-gpu="$fields" --format=csv -lms 500 >"$logs/clocks.csv" 2>&1 &
    clocks_pid=$!
fi
clocks_started=$SECONDS
bench_files=()
for family in "${families[@]}"; do
    family_json="$logs/bench-$family.json"
    rm -f "$family_json"
    if [ -n "$(no_tool_reason)" ]; then
        skip "bench-$family" "$(no_tool_reason)"
        continue
    fi
    if [ "$emulated" -eq 1 ]; then
        note=$(emulated_note) run_step "bench-$family" 60 "$tool" bench --family "$family" "${emulated_shapes[@]}" --json "$family_json"
        if [ "$family" = naive ]; then amend_note "errors expected: cuBLAS does not run on the emulator"; fi
    else
        cap=150
        if [ "$family" != prefill ]; then cap=75; fi
        note="" run_step "bench-$family" "$cap" "$tool" bench --family "$family" --json "$family_json"
    fi
    amend_note "$(bench_note "$family_json" "$(if [ "$emulated$family" = 1naive ]; then echo expected; fi)")"
    bench_files+=("$family_json")
    if [ -s "$family_json" ]; then merge_bench "${bench_files[@]}"; fi
done

if [ -n "$clocks_pid" ]; then
    stop_clocks
    samples=$(($(wc -l <"$logs/clocks.csv") - 1))
    sm_range=$(awk -F', ' 'NR > 1 && $2 ~ /MHz/ {v = $2 + 0; if (min == "" || v < min) min = v; if (v > max) max = v}
        END {if (min != "") printf "SM clock %d-%d MHz", min, max}' "$logs/clocks.csv")
    record clocks ok $((SECONDS - clocks_started)) "$samples samples every 0.5 s in clocks.csv${sm_range:+; $sm_range}"
elif [ -n "$(no_gpu_reason)" ]; then
    skip clocks "$(no_gpu_reason)"
else
    skip clocks "nvidia-smi not found"
fi

# ---- PyTorch's flash SDPA on the same prefill shapes, and the tables ----

if [ -n "$(no_gpu_reason)" ]; then
    skip torch "$(no_gpu_reason)"
elif ! python3 -c "import torch; assert torch.cuda.is_available()" >/dev/null 2>&1; then
    skip torch "no PyTorch with CUDA"
elif [ ! -s "$bench_json" ]; then
    skip torch "no bench results to take the shapes from"
else
    note="${torch_version:-}" run_step torch 90 python3 "$repo/kernels/torch-sdpa-bench.py" "$bench_json" "$torch_json"
fi

if ! has python3; then
    skip table "python3 not found"
elif [ ! -s "$bench_json" ]; then
    skip table "no bench results"
else
    note="" run_step table 30 python3 "$repo/kernels/bench-table.py" "$bench_json" "$torch_json"
    if [ "$rc" -eq 0 ]; then
        cp "$logs/table.log" "$out/table.txt"
        amend_note "goals: $(grep -c '^goal.*: met$' "$out/table.txt") met, $(grep -c '^goal.*: NOT met$' "$out/table.txt") NOT met, $(grep -c '^goal.*: not measured' "$out/table.txt") not measured; table.txt"
    fi
    if [ "$rc" -eq 0 ] && [ "$gpu" -eq 1 ]; then
        # A section ready for kernels/RESULTS.md: when, where, what, and the tables as printed.
        {
            echo "## $(date -u +%Y-%m-%d): ${gpu_name:-GPU unknown}"
            echo
            echo "\`OUT=DIR kernels/device-check.sh\` at commit $commit (CUDA ${nvcc_version:-unknown}," \
                "PyTorch $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["torch"])' "$torch_json" 2>/dev/null || echo 'not run'))."
            echo
            echo '```'
            cat "$out/table.txt"
            echo '```'
        } >"$out/RESULTS-section.md"
    elif [ "$gpu" -eq 0 ]; then
        amend_note "no RESULTS-section.md: the times are not a GPU's"
    fi
fi

# ---- compute-sanitizer on two small cases; the prefill kernels' SASS ----

for sanitizer in memcheck racecheck; do
    if [ -n "$(no_gpu_reason)" ]; then
        skip "$sanitizer" "$(no_gpu_reason)"
    elif ! has compute-sanitizer; then
        skip "$sanitizer" "compute-sanitizer not found"
    else
        extra=()
        if [ "$sanitizer" = racecheck ]; then extra=(--racecheck-report hazard); fi
        # shellcheck disable=SC2016 # expanded by the child bash
        note="${sanitizer_cases[0]}; ${sanitizer_cases[1]}" run_step "$sanitizer" 90 bash -c '
            tool=$1 sanitizer=$2 cases=$3; shift 3; status=0
            while IFS= read -r case; do
                echo "-- $sanitizer: $case"
                compute-sanitizer --tool "$sanitizer" --error-exitcode 1 --print-limit 20 "$@" \
                    "$tool" check --filter "$case" || status=1
            done <<<"$cases"
            exit $status' _ "$tool" "$sanitizer" "$(printf '%s\n' "${sanitizer_cases[@]}")" "${extra[@]}"
        amend_note "$(log_line "$sanitizer" 'ERROR SUMMARY' | cut -c1-120)"
    fi
done

if ! has cuobjdump; then
    skip sass "cuobjdump not found"
elif [ ! -x "$build/kernels/optiloop-kernels" ]; then
    skip sass "no optiloop-kernels (build failed)"
else
    # Only the prefill kernels' functions, for this GPU's architecture (sm_90 without a GPU, or
    # for one the build has no code of: the kernels are built for sm_80 and sm_90).
    sass_arch=$arch
    case $arch in sm_80 | sm_90) ;; *) sass_arch=sm_90 ;; esac
    sass="prefill-sass-$sass_arch.txt"
    # shellcheck disable=SC2016 # expanded by the child bash
    note="$sass_arch" run_step sass 60 bash -c 'cuobjdump -sass -arch "$2" "$1" |
        awk "/Function : /{keep = (\$0 ~ /prefill/)} keep" >"$3" && test -s "$3"' \
        _ "$build/kernels/optiloop-kernels" "$sass_arch" "$logs/$sass"
    amend_note "$(grep -c 'Function : ' "$logs/$sass" 2>/dev/null) functions in $sass"
fi

# "N of M solutions passed every test" (or "built", with --build-only) from check-tasks.json.
tasks_note() {
    python3 - "$1" <<'EOF' 2>/dev/null || echo "no check-tasks.json"
import json, sys
with open(sys.argv[1]) as f:
    report = json.load(f)
good = [t for t in report["tasks"] if not t["problem"] and (report.get("build_only") or 0 < t["passed"] == t["total"])]
print(f"{len(good)} of {len(report['tasks'])} solutions {'built' if report.get('build_only') else 'passed every test'}")
EOF
}

# ---- the cuda-kernel tasks (optiloop's own kernels among them), built and run without optiloop ----

reserve=0
if ! has python3; then
    skip tasks "python3 not found"
else
    tasks=()
    for task in ${OPTILOOP_DEVICE_CHECK_TASKS:-}; do
        if [ -d "$task" ]; then tasks+=("$task"); else tasks+=("$repo/datasets/kernels/$task"); fi
    done
    mode=()
    if [ "$gpu" -eq 0 ]; then mode=(--build-only); fi
    rm -f "$logs/check-tasks.json"
    note="$arch${mode[*]:+, built only (no usable GPU)}" run_step tasks 150 \
        python3 "$repo/kernels/check-tasks.py" --arch "$arch" --out "$logs" "${mode[@]}" "${tasks[@]}"
    amend_note "$(tasks_note "$logs/check-tasks.json")"
fi

# ---- the end ----

if [ "$any_failed" -eq 1 ]; then
    status=1 meaning="a step failed"
elif [ "$gpu" -eq 0 ]; then
    status=3 meaning="no usable GPU; everything that runs without one passed"
else
    status=0 meaning="every step that could run passed"
fi
write_summary "exit $status ($meaning)"
echo
cat "$out/summary.md"
exit "$status"
