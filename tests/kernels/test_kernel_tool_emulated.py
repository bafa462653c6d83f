#!/usr/bin/env python3
"""Tests the optiloop-kernels tool as kernels/device-check.sh runs it on a GPU, here built on the
SIMT emulator (optiloop-kernels-emulated): its flags and their errors, `check --filter`, the
JSON that `bench` writes, and kernels/bench-table.py reading that JSON (tables and goals).

    test_kernel_tool_emulated.py TOOL
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import ROOT, expect, finish, load  # noqa: E402

tool = sys.argv[1]
bench_table = load("kernels/bench-table.py", "bench_table")


def run(*arguments, timeout=300):
    return subprocess.run([tool, *arguments], capture_output=True, text=True, timeout=timeout)


work = tempfile.mkdtemp(prefix="optiloop-kernel-tool-")
json_path = os.path.join(work, "bench.json")

# Bad flags: exit 2, one line on stderr naming the flag, and no JSON written.
for arguments, named in [(["--runs", "abc"], "--runs"), (["--runs", "0"], "--runs"), (["--prefill", "1x2"], "--prefill"),
                         (["--prefill", "1x0x64"], "--prefill"), (["--prefill", "1x2x3x"], "--prefill"),
                         (["--decode", "x5"], "--decode"), (["--decode", "1x99999999999"], "--decode"),
                         (["--json"], "--json"), (["--bogus"], "--bogus"),
                         (["--json", os.path.join(work, "missing", "b.json")], "--json")]:
    r = run("bench", "--json", json_path, *arguments)
    expect(f"bench {' '.join(arguments)} exits 2", r.returncode == 2, f"exit {r.returncode}")
    expect(f"bench {' '.join(arguments)} says one line naming {named}",
           r.stderr.count("\n") == 1 and named in r.stderr, repr(r.stderr))
    expect(f"bench {' '.join(arguments)} writes nothing", not os.path.exists(json_path))
r = run("check", "--bogus")
expect("check --bogus exits 2", r.returncode == 2 and "--bogus" in r.stderr, r.stderr)

# check --filter runs only the matching cases, each through the float64 reference.
r = run("check", "--filter", "prefill f16 d=64 B=1 H=8/2 q=17 kv=1000")
lines = [line for line in r.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
expect("check --filter passes", r.returncode == 0, r.stdout + r.stderr)
expect("check --filter runs the matching cases only",
       len(lines) >= 1 and all("q=17 kv=1000" in line and line.startswith("ok") for line in lines), r.stdout)
expect("check --filter counts them", f"check: {len(lines)} passed, 0 failed" in r.stdout, r.stdout)

# bench with shapes of its own: one line per kernel and shape, and the JSON device-check.sh reads;
# shapes far beyond the device's memory are skipped, saying so (their sizes overflow 64 bits).
huge = "999999999"
r = run("bench", "--runs", "1", "--prefill", "1x2x80", "--decode", "2x300", "--json", json_path,
        "--prefill", f"{huge}x{huge}x{huge}", "--decode", f"{huge}x{huge}")
expect("shapes that cannot fit are skipped, each saying so",
       sum("skipped" in line and "do" in line and "not fit" in line for line in r.stdout.splitlines()) == 8 + 1, r.stdout)
expect("bench exits 0", r.returncode == 0, r.stdout + r.stderr)
expect("bench leaves no partial file", not os.path.exists(json_path + ".partial"))
try:
    with open(json_path) as f:
        bench = json.load(f)
except (OSError, ValueError) as e:
    bench = None
    expect("bench writes valid JSON", False, str(e))
if bench is not None:
    prefill = bench["prefill"]
    expect("prefill: d 64/128 x causal x f16/bf16",
           sorted((p["head_dim"], p["causal"], p["dtype"]) for p in prefill) ==
           sorted((d, c, t) for d in (64, 128) for c in (False, True) for t in ("f16", "bf16")), str(prefill))
    expect("prefill: the shape asked for", all((p["batch"], p["heads"], p["seq"]) == (1, 2, 80) for p in prefill))
    expect("prefill: timed, no errors", all(p["ms"] > 0 and p["tflops"] > 0 and "error" not in p for p in prefill))
    expect("prefill: each names its default tile shape",
           all(p["tile"] == {64: "128x64/8w", 128: "64x64/4w"}[p["head_dim"]] for p in prefill), str(prefill))
    variants = bench["prefill_variants"]
    expect("variants: fp16, every other tile shape, both maskings",
           sorted((p["head_dim"], p["tile"], p["causal"]) for p in variants) ==
           sorted((d, t, c) for d, tiles in ((64, ["128x64/4w"]), (128, ["128x64/8w", "128x64/4w", "128x32/4w"]))
                  for t in tiles for c in (False, True)) and
           all(p["dtype"] == "f16" and p["ms"] > 0 and "error" not in p for p in variants),
           str(variants))
    # cuBLAS is not emulated: the baseline is reported as an error, not as a time.
    expect("naive: fp16 only, its error recorded",
           len(bench["naive"]) == 4 and all(p["dtype"] == "f16" and p["ms"] < 0 and "cuBLAS" in p["error"]
                                            for p in bench["naive"]), str(bench["naive"]))
    decode = bench["decode"]
    expect("decode: the shape asked for", [(p["batch"], p["context"], p["heads"], p["kv_heads"], p["prefetch"])
                                           for p in decode] == [(2, 300, 32, 8, False)], str(decode))
    expect("decode: the prefetching variant on the same shape",
           [(p["batch"], p["context"], p["prefetch"]) for p in bench["decode_variants"]] == [(2, 300, True)],
           str(bench["decode_variants"]))
    expect("decode: timed against the copy bandwidth",
           bench["copy_bandwidth_gbs"] > 0 and all(p["gbs"] > 0 and p["percent_of_copy"] > 0 and "error" not in p
                                                   for p in decode + bench["decode_variants"]))
    expect("one line per timing", sum(line.startswith(("prefill", "naive", "decode")) and "skipped" not in line
                                      for line in r.stdout.splitlines())
           == len(prefill) + len(variants) + len(bench["naive"]) + len(decode) + len(bench["decode_variants"]),
           r.stdout)

    # bench-table.py on this JSON, against a torch that took twice as long on every shape.
    torch_results = [dict(p, ms=2 * p["ms"], tflops=p["tflops"] / 2) for p in prefill]
    torch_path = os.path.join(work, "torch.json")
    with open(torch_path, "w") as f:
        json.dump({"prefill": torch_results}, f)
    t = subprocess.run([sys.executable, os.path.join(ROOT, "kernels", "bench-table.py"), json_path, torch_path],
                       capture_output=True, text=True)
    expect("bench-table.py exits 0", t.returncode == 0, t.stderr)
    rows = [line for line in t.stdout.splitlines() if line.startswith(("f16 d=", "bf16 d="))]
    defaults_beside_variants = len({bench_table.key(p) for p in variants})
    expect("table: every prefill, variant and decode shape, each variant's default beside it",
           len(rows) == len(prefill) + defaults_beside_variants + len(variants) + len(decode), t.stdout)
    expect("table: the default marked among the tile shapes",
           sum("64x64/4w *" in line for line in rows) == 2 and sum("128x64/8w *" in line for line in rows) == 2,
           t.stdout)
    expect("table: ours over torch", sum(" 2.00 " in line for line in rows) == len(prefill), t.stdout)
    expect("table: the goal lines (shapes not measured here)",
           t.stdout.count("goal: prefill") == 2 and "not measured" in t.stdout and "goal: decode" in t.stdout, t.stdout)
    t = subprocess.run([sys.executable, os.path.join(ROOT, "kernels", "bench-table.py"), json_path,
                        os.path.join(work, "no-torch.json")], capture_output=True, text=True)
    expect("table without torch", t.returncode == 0 and "prefill on" in t.stdout, t.stderr)

# The goals, from results of the shapes they name.
def entry(causal, tflops, **extra):
    return dict(dtype="f16", head_dim=128, batch=4, heads=32, seq=4096, causal=causal, tflops=tflops, ms=1.0, **extra)


goal_bench = {"device": "x", "copy_bandwidth_gbs": 4000.0,
              "prefill": [entry(False, 300.0), entry(True, 250.0)],
              "prefill_variants": [entry(False, 380.0, tile="128x64/4w"), entry(True, 200.0, tile="128x64/4w")],
              "decode": [dict(dtype="f16", head_dim=128, batch=1, heads=32, kv_heads=8, context=131072, ms=1.0,
                              gbs=3400.0, percent_of_copy=85.0, prefetch=False),
                         dict(dtype="f16", head_dim=128, batch=16, heads=32, kv_heads=8, context=131072, ms=1.0,
                              gbs=3000.0, percent_of_copy=75.0, prefetch=False),
                         dict(dtype="f16", head_dim=128, batch=64, heads=32, kv_heads=8, context=131072, ms=1.0,
                              gbs=2800.0, percent_of_copy=70.0, prefetch=False)],
              "decode_variants": [dict(dtype="f16", head_dim=128, batch=1, heads=32, kv_heads=8, context=131072,
                                       ms=1.1, gbs=3300.0, percent_of_copy=82.5, prefetch=True),
                                  dict(dtype="f16", head_dim=128, batch=64, heads=32, kv_heads=8, context=131072,
                                       ms=0.9, gbs=3300.0, percent_of_copy=82.5, prefetch=True)]}
goal_torch = {bench_table.key(p): dict(p, tflops=350.0) for p in goal_bench["prefill"]}
lines = bench_table.goals(goal_bench, goal_torch)
expect("goal: the better tile shape counts (380 with 128x64/4w vs torch 350: met)",
       any("full" in line and "= 1.09, tile=128x64/4w: met" in line for line in lines), "\n".join(lines))
expect("goal: causal 250 vs 350 is not met", any("causal" in line and "= 0.71: NOT met" in line for line in lines),
       "\n".join(lines))
expect("goal: decode 85% met, 75% not, the better variant per batch (prefetch's 82.5% over 70%)",
       any("B=1 85.0%: met" in line for line in lines) and any("B=16 75.0%: NOT met" in line for line in lines)
       and any("B=64 82.5%, prefetch: met" in line for line in lines), "\n".join(lines))

finish("test_kernel_tool_emulated")
