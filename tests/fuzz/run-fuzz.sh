#!/usr/bin/env bash
# Builds the parse_answer fuzzer with libFuzzer, ASan and UBSan, and runs it for a while on a
# copy of the seed corpus (the seeds in the tree stay as they are).
# Usage: run-fuzz.sh SOURCE_DIR SECONDS
# Exit: 0 no crash, 1 a crash (its input is left in the printed work directory), 2 usage,
# 77 clang++-19 or its fuzzer runtime (Debian libclang-rt-19-dev) is missing: ctest's SKIP code.
set -euo pipefail

if [[ $# -ne 2 || ! -d "$1" || ! "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SOURCE_DIR SECONDS" >&2
    exit 2
fi
source_dir=$(cd "$1" && pwd)
seconds=$2

if ! command -v clang++-19 >/dev/null 2>&1; then
    echo "run-fuzz.sh: clang++-19 is not installed; skipping (apt-get install clang-19 libclang-rt-19-dev)"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/optiloop-fuzz.XXXXXX")
# The runtime ships apart from the compiler (libclang-rt-19-dev): linking an empty fuzzer tells.
probe='extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }'
if ! echo "$probe" | clang++-19 -x c++ -fsanitize=fuzzer,address,undefined - -o "$work/probe" >/dev/null 2>&1; then
    rm -rf "$work"
    echo "run-fuzz.sh: the libFuzzer runtime of clang 19 is missing; skipping (apt-get install libclang-rt-19-dev)"
    exit 77
fi
echo "run-fuzz.sh: working in $work"
clang++-19 -std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I "$source_dir/core/include" -I "$source_dir/llm/include" \
    "$source_dir/llm/src/parse.cpp" "$source_dir/llm/src/edit.cpp" "$source_dir/tests/fuzz/fuzz_parse.cpp" \
    -o "$work/fuzz_parse"
mkdir -p "$work/corpus"
cp "$source_dir"/tests/fuzz/corpus/* "$work/corpus/"

# -max_len covers the larger seeds; crashes, leaks and timeouts land in $work as crash-*/leak-*/timeout-*.
cd "$work"
status=0
./fuzz_parse -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus || status=$?
if [[ $status -ne 0 ]]; then
    echo "run-fuzz.sh: the fuzzer found a failure (exit $status); the input is in $work"
    exit 1
fi
rm -rf "$work"
echo "run-fuzz.sh: no failure in $seconds seconds"
