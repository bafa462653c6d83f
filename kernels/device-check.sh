#!/usr/bin/env bash
# One run on a GPU machine (nvcc, CMake, ninja; optionally Python with PyTorch; no network):
# build the kernels-only configuration, run `optiloop-kernels check` and `bench`, time PyTorch's
# flash SDPA on the same prefill shapes in the same run, and print one comparison table; then
# build and run the cuda-kernel tasks of datasets/kernels (kernels/check-tasks.py).
# Everything is written under $OUT when it is set (else under a temporary folder).
# Budget: under 8 minutes on an H200; every step has its own timeout.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$(mktemp -d /tmp/optiloop-device-check.XXXXXX)}
mkdir -p "$out"
build=$(mktemp -d /tmp/optiloop-kbuild.XXXXXX)
trap 'rm -rf "$build"' EXIT  # everything worth keeping is under $out
jobs=$(nproc 2>/dev/null || echo 4)
bench_json="$out/kernels-bench.json"
torch_json="$out/torch-bench.json"
echo "device-check: results in $out, build in $build" | tee "$out/summary.txt"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$out/gpu.txt" 2>&1 || true

started=$SECONDS
status=0
# Each step gets its own cap, cut to what is left of the 7.5 minutes as a whole.
budget=450
step_limit() {
    local left=$((budget - (SECONDS - started)))
    if [ "$left" -lt "$1" ]; then echo $((left > 10 ? left : 10)); else echo "$1"; fi
}

echo "== build (kernels only)"
# shellcheck disable=SC2016 # $1..$3 expand inside the child bash
if ! timeout "$(step_limit 240)" bash -c 'cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPTILOOP_KERNELS_ONLY=ON \
    -DCMAKE_CUDA_FLAGS=--resource-usage &&
    cmake --build "$2" -j "$3"' _ "$repo" "$build" "$jobs" >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log"
    echo "device-check: build failed (log: $out/build.log)" | tee -a "$out/summary.txt"
    exit 3
fi
grep -E 'Compiling entry|registers|spill' "$out/build.log" >"$out/resource-usage.txt" || true
tool="$build/kernels/optiloop-kernels"
echo "build: $((SECONDS - started)) s" | tee -a "$out/summary.txt"
"$tool" info | tee -a "$out/summary.txt" || true

echo "== check"
check_status=0
timeout "$(step_limit 150)" "$tool" check 2>&1 | tee "$out/check.txt" || check_status=${PIPESTATUS[0]}
echo "check: exit $check_status, $((SECONDS - started)) s" | tee -a "$out/summary.txt"
if [ "$check_status" -eq 3 ]; then
    echo "device-check: no usable GPU; nothing more to do" | tee -a "$out/summary.txt"
    exit 3
fi
if [ "$check_status" -ne 0 ]; then status=1; fi

echo "== bench"
bench_status=0
timeout "$(step_limit 120)" "$tool" bench --json "$bench_json" 2>&1 | tee "$out/bench.txt" || bench_status=${PIPESTATUS[0]}
echo "bench: exit $bench_status, $((SECONDS - started)) s" | tee -a "$out/summary.txt"
if [ "$bench_status" -ne 0 ]; then status=1; fi

if [ -s "$bench_json" ] && python3 -c "import torch; assert torch.cuda.is_available()" >/dev/null 2>&1; then
    echo "== torch flash SDPA on the same prefill shapes"
    timeout "$(step_limit 90)" python3 "$repo/kernels/torch-sdpa-bench.py" "$bench_json" "$torch_json" 2>&1 |
        tee "$out/torch.txt" || true
else
    echo "== torch: not available (no PyTorch with CUDA); comparison skipped" | tee -a "$out/summary.txt"
fi

if [ -s "$bench_json" ] && command -v python3 >/dev/null 2>&1; then
    echo
    python3 "$repo/kernels/bench-table.py" "$bench_json" "$torch_json" | tee "$out/table.txt" || true
    # A section ready for kernels/RESULTS.md: when, where, what, and the tables as printed.
    {
        echo "## $(date -u +%Y-%m-%d): $(head -n 1 "$out/gpu.txt" 2>/dev/null || echo 'GPU unknown')"
        echo
        echo "\`OUT=DIR kernels/device-check.sh\` at commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
            "(CUDA $(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p' || true)," \
            "PyTorch $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["torch"])' "$torch_json" 2>/dev/null || echo 'not run'))."
        echo
        echo '```'
        cat "$out/table.txt"
        echo '```'
    } >"$out/RESULTS-section.md"
fi

# The cuda-kernel tasks (optiloop's own kernels among them) built and run as `optiloop optimize`
# would, without optiloop: their harness, tests, expected outputs and tolerances on a real GPU.
if command -v python3 >/dev/null 2>&1; then
    echo "== kernel tasks (datasets/kernels)"
    arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d ' .')
    tasks_status=0
    timeout "$(step_limit 150)" python3 "$repo/kernels/check-tasks.py" --arch "sm_${arch:-90}" --out "$out" 2>&1 |
        tee "$out/tasks.txt" || tasks_status=${PIPESTATUS[0]}
    echo "tasks: exit $tasks_status, $((SECONDS - started)) s" | tee -a "$out/summary.txt"
    if [ "$tasks_status" -ne 0 ]; then status=1; fi
fi

echo "device-check: total $((SECONDS - started)) s, exit $status" | tee -a "$out/summary.txt"
rm -rf "$build"
exit "$status"
