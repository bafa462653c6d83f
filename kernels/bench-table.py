#!/usr/bin/env python3
"""Prints the comparison tables of kernels/device-check.sh from `optiloop-kernels bench --json`
and (when there is one) the torch flash SDPA timings of the same shapes, then the issue's two
goals, each met or not by the numbers of this one run:

    kernels/bench-table.py BENCH_JSON [TORCH_JSON]

- prefill, fp16, head_dim 128, N = 4096: ours / torch flash >= 1.0 (causal and not);
- decode at a 128k context: K/V read at >= 80% of the device-to-device copy bandwidth
  measured in the same run.
Exit 0 when the tables were printed (whatever the goals say), 2 when an input is unreadable.
"""
import json
import os
import sys

PREFILL_RATIO_GOAL = 1.0
DECODE_PERCENT_GOAL = 80.0


def key(p):
    return (p["dtype"], p["head_dim"], p["batch"], p["heads"], p["seq"], p["causal"])


def shape_name(p):
    return (f"{p['dtype']} d={p['head_dim']} B={p['batch']} H={p['heads']} N={p['seq']} "
            f"{'causal' if p['causal'] else 'full'}")


def number(value):
    return f"{value:>8.1f}" if value > 0 else f"{'-':>8}"


def ratio(ours, torch):
    """ours / torch, or '-' when either was not measured."""
    return f"{ours / torch:.2f}" if ours > 0 and torch > 0 else "-"


def tables(bench, torch_results):
    """The report as a list of lines."""
    torch_by_key = {key(p): p for p in torch_results}
    naive_by_key = {key(p): p for p in bench.get("naive", [])}
    ours_by_key = {key(p): p for p in bench.get("prefill", [])}
    lines = [f"prefill on {bench['device']} (TFLOP/s; FLOPs = 4*B*H*N*N*d, halved when causal)",
             f"{'shape':<44} {'ours':>8} {'torch':>8} {'ratio':>7} {'cuBLAS':>8}"]
    for p in bench.get("prefill", []):
        t = torch_by_key.get(key(p), {}).get("tflops", 0.0)
        n = naive_by_key.get(key(p), {}).get("tflops", 0.0)
        lines.append(f"{shape_name(p):<44} {number(p['tflops'])} {number(t)} {ratio(p['tflops'], t):>7} {number(n)}")
    variants = bench.get("prefill_variants", [])
    if variants:
        lines += ["", "prefill tile shapes (TFLOP/s; query rows x key rows / warps; * the default)",
                  f"{'shape':<44} {'tile':<11} {'ours':>8} {'torch':>8} {'ratio':>7}"]
        for shape in dict.fromkeys(key(p) for p in variants):  # in the bench's order
            default = ours_by_key.get(shape)
            group = [dict(default, tile=f"{default.get('tile', 'default')} *")] if default else []
            group += [p for p in variants if key(p) == shape]
            t = torch_by_key.get(shape, {}).get("tflops", 0.0)
            for p in group:
                lines.append(f"{shape_name(p):<44} {p.get('tile', '?'):<11} {number(p['tflops'])} {number(t)} "
                             f"{ratio(p['tflops'], t):>7}")
    lines += ["", f"decode (GB/s of K+V read; device-to-device copy: {bench['copy_bandwidth_gbs']:.0f} GB/s read+write; "
                  "prefetch: the variant with a register double buffer)",
              f"{'shape':<44} {'ms':>8} {'GB/s':>8} {'% copy':>7} {'prefetch':>8} {'% copy':>7}"]
    prefetching = {decode_key(p): p for p in bench.get("decode_variants", [])}
    for p in bench.get("decode", []):
        name = f"{p['dtype']} d={p['head_dim']} B={p['batch']} H={p['heads']}/{p['kv_heads']} ctx={p['context']}"
        v = prefetching.get(decode_key(p), {})
        lines.append(f"{name:<44} {p['ms']:>8.3f} {p['gbs']:>8.0f} {p['percent_of_copy']:>6.1f}% "
                     f"{number(v.get('gbs', 0.0))} {percent(v.get('percent_of_copy', 0.0)):>7}")
    return lines + [""] + goals(bench, torch_by_key)


def decode_key(p):
    return (p["batch"], p["context"])


def percent(value):
    return f"{value:.1f}%" if value > 0 else "-"


def goals(bench, torch_by_key):
    """One line per goal: what was measured, and met / NOT met / not measured."""
    lines = []
    for causal in (False, True):
        what = f"goal: prefill f16 d=128 N=4096 {'causal' if causal else 'full'}, ours/torch >= {PREFILL_RATIO_GOAL:.1f}"
        # The best tile shape of ours counts: the default or another.
        ours = [p for p in bench.get("prefill", []) + bench.get("prefill_variants", [])
                if p["dtype"] == "f16" and p["head_dim"] == 128 and p["seq"] == 4096 and p["causal"] == causal
                and p["tflops"] > 0]
        best = max(ours, key=lambda p: p["tflops"], default=None)
        torch = torch_by_key.get(key(best), {}).get("tflops", 0.0) if best else 0.0
        if best is None or torch <= 0:
            lines.append(f"{what}: not measured ({'no torch timing' if best else 'no such shape of ours'})")
            continue
        tile = f", tile={best['tile']}" if "tile" in best else ""
        lines.append(f"{what}: {best['tflops']:.1f} / {torch:.1f} TFLOP/s = {ratio(best['tflops'], torch)}{tile}: "
                     f"{'met' if best['tflops'] / torch >= PREFILL_RATIO_GOAL else 'NOT met'}")
    what = f"goal: decode ctx=131072, >= {DECODE_PERCENT_GOAL:.0f}% of copy bandwidth"
    # Per batch size, the better of the default and the prefetching variant counts.
    best = {}
    for p in bench.get("decode", []) + bench.get("decode_variants", []):
        if p["context"] == 131072 and p["gbs"] > 0 and p["gbs"] > best.get(p["batch"], {}).get("gbs", 0.0):
            best[p["batch"]] = p
    if not best or bench.get("copy_bandwidth_gbs", 0) <= 0:
        lines.append(f"{what}: not measured")
    for batch, p in sorted(best.items()):
        variant = ", prefetch" if p.get("prefetch") else ""
        lines.append(f"{what}: B={batch} {p['percent_of_copy']:.1f}%{variant}: "
                     f"{'met' if p['percent_of_copy'] >= DECODE_PERCENT_GOAL else 'NOT met'}")
    return lines


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: bench-table.py BENCH_JSON [TORCH_JSON]", file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            bench = json.load(f)
        torch_results = []
        if len(argv) == 3 and os.path.exists(argv[2]):
            with open(argv[2]) as f:
                torch_results = json.load(f)["prefill"]
        print("\n".join(tables(bench, torch_results)))
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"bench-table.py: cannot read the results: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
