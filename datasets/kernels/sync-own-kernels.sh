#!/usr/bin/env bash
# Copies optiloop's own CUDA attention kernels (kernels/) into the cuda-kernel tasks built on
# them: each kernel source becomes the task's baseline/kernel.cu and the headers it needs go to
# the task's harness/, with `#include <optiloop/kernels/NAME.hpp>` rewritten to `#include
# "NAME.hpp"` (the build puts every task file in one folder) and nothing else changed.
#
#   datasets/kernels/sync-own-kernels.sh           rewrite the copies that differ
#   datasets/kernels/sync-own-kernels.sh --check   change nothing; exit 1, naming each copy that
#                                                  differs from kernels/, when one does (a ctest)
set -euo pipefail
export LC_ALL=C

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
headers="kernels/include/optiloop/kernels"

# task file <- kernels/ file, one pair a line.
copies="
attention-prefill-fp16/baseline/kernel.cu            kernels/src/attention_prefill.cu
attention-prefill-fp16/harness/attention_cuda.hpp      $headers/attention_cuda.hpp
attention-prefill-fp16/harness/attention_reference.hpp $headers/attention_reference.hpp
attention-prefill-fp16/harness/cuda_common.cuh         kernels/src/cuda_common.cuh
attention-decode-fp16/baseline/kernel.cu             kernels/src/attention_decode.cu
attention-decode-fp16/harness/attention_cuda.hpp       $headers/attention_cuda.hpp
attention-decode-fp16/harness/attention_reference.hpp  $headers/attention_reference.hpp
attention-decode-fp16/harness/cuda_common.cuh          kernels/src/cuda_common.cuh
"

rewrite() {
    sed -e 's|^#include <optiloop/kernels/\([A-Za-z0-9_]*\.hpp\)>|#include "\1"|' "$1"
}

generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
differ=0
while read -r copy source; do
    [ -n "$copy" ] || continue
    destination="$root/datasets/kernels/$copy"
    if [ ! -f "$root/$source" ]; then
        echo "sync-own-kernels: $source: missing" >&2
        exit 2
    fi
    rewrite "$root/$source" >"$generated"
    if cmp -s "$generated" "$destination"; then continue; fi
    if [ "$check" = 1 ]; then
        if [ -f "$destination" ]; then
            echo "datasets/kernels/$copy differs from $source"
        else
            echo "datasets/kernels/$copy is missing (a copy of $source)"
        fi
        differ=1
    else
        mkdir -p "$(dirname "$destination")"
        cat "$generated" >"$destination"
        echo "updated datasets/kernels/$copy from $source"
    fi
done <<<"$copies"

if [ "$differ" = 1 ]; then
    echo "the kernel tasks are out of date: run datasets/kernels/sync-own-kernels.sh" >&2
    exit 1
fi
