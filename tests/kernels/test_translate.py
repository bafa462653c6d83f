#!/usr/bin/env python3
"""Tests kernels/simt/translate.py, which rewrites CUDA sources for the SIMT emulator: launches,
extern __shared__ arrays, and the poisoning call after each static __shared__ declaration in a
function body (not at file scope, in a comment or in a string)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import expect, finish, load  # noqa: E402

translate = load("kernels/simt/translate.py", "translate")


def poison(name):
    return f"::optiloop::simt::detail::static_shared(&{name}, sizeof {name});"


source = """namespace a { namespace {
__shared__ float file_scope[4];
struct S { int x; };
template <int N>
__global__ void k(float* out) {
    __shared__ float warp_m[N], warp_l[N];  // a { in a comment
    __shared__ __align__(16) float tile[2][N][N + 1];
    const char* s = "{ __shared__ float in_string[3]; }";
    /* __shared__ float in_comment[2]; */
    if (out) { __shared__ int flag; flag = 1; }
    out[0] = warp_m[0] + s[0];
}
}}
"""
marked = translate.mark_static_shared(source)
lines = marked.splitlines()
expect("each variable of a declaration is poisoned, on its own line",
       poison("warp_m") in lines[5] and poison("warp_l") in lines[5], lines[5])
expect("multi-dimensional, aligned arrays", poison("tile") in lines[6], lines[6])
expect("a scalar in a nested block", poison("flag") in lines[9], lines[9])
for name in ("file_scope", "in_string", "in_comment"):
    expect(f"{name} is left alone", poison(name) not in marked, marked)
expect("no line is added (the #line numbers hold)", len(lines) == len(source.splitlines()))

launched = translate.rewrite_launches("k<8><<<grid, 32, bytes>>>(out);", "x.cu")
expect("a launch becomes a launcher call with the missing stream",
       launched == "::optiloop::simt::launcher(k<8>, grid, 32, bytes, nullptr)(out);", launched)
split = "x = 1;\n    kernel<T, 4>\n        <<<grid,\n           128, 0, stream>>>(p);\n"
launched = translate.rewrite_launches(split, "x.cu")
expect("a launch over several lines: the kernel name before a line break, the line count kept",
       launched == "x = 1;\n    ::optiloop::simt::launcher(kernel<T, 4>, grid, 128, 0, stream)\n\n(p);\n"
       and launched.count("\n") == split.count("\n"), launched)
extern = translate.EXTERN_SHARED.sub("X", "extern __shared__ __align__(16) unsigned char smem[];")
expect("extern __shared__ arrays are recognised", extern == "X", extern)

finish("test_translate")
