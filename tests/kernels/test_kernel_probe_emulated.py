#!/usr/bin/env python3
"""`optiloop-kernels probe` on the SIMT emulator (optiloop-kernels-emulated).

    test_kernel_probe_emulated.py TOOL           every probe ok, one line each, exit 0
    test_kernel_probe_emulated.py TOOL --fault   the probe can fail: with the emulator's test-only
        fault (OPTILOOP_SIMT_SWAP_LANES: two lanes' results of every ldmatrix, or of every mma,
        exchanged) the probes that use that instruction FAIL naming the lane, exit 1; and `check`
        prints the diagnosis of its first failing case, once
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import expect, finish  # noqa: E402

tool = sys.argv[1]
fault = sys.argv[2:] == ["--fault"]

# name, values compared: 32 lanes x 4 registers x 2 halves; 2 runs of 128 D elements for A, one for
# B+C; prefill: every output element of the tile and every row's lse.
TILES = {64: ["128x64/8w", "128x64/4w"], 128: ["64x64/4w", "128x64/8w", "128x64/4w", "128x32/4w"]}
PROBES = [("ldmatrix.x4", 256), ("ldmatrix.x4.trans", 256)]
for dtype in ("f16", "bf16"):
    PROBES += [(f"mma.m16n8k16 {dtype} A", 256), (f"mma.m16n8k16 {dtype} B+C", 128)]
for d, tiles in TILES.items():
    for tile in tiles:
        rows = int(tile.split("x")[0])
        PROBES += [(f"prefill {dtype} d={d} {tile}", rows * d + rows) for dtype in ("f16", "bf16")]


def run(*arguments, swap=None):
    env = dict(os.environ)
    env.pop("OPTILOOP_SIMT_SWAP_LANES", None)
    if swap is not None:
        env["OPTILOOP_SIMT_SWAP_LANES"] = swap
    return subprocess.run([tool, *arguments], capture_output=True, text=True, timeout=300, env=env)


def probe_lines(stdout):
    """{name: (status, rest of the line)} of the probe lines ("%-4s %-30s %s"), in order."""
    return {line[5:35].strip(): (line[:4].strip(), line[36:]) for line in stdout.splitlines()
            if line.startswith(("ok ", "FAIL "))}


if not fault:
    r = run("probe")
    expect("probe exits 0", r.returncode == 0, r.stdout + r.stderr)
    lines = probe_lines(r.stdout)
    expect("one line per probe, in order", list(lines) == [name for name, _ in PROBES], r.stdout)
    for name, values in PROBES:
        status, rest = lines.get(name, ("missing", ""))
        expect(f"{name}: ok, {values} values", status == "ok" and rest == f"{values} values", f"{status} {rest}")
    expect("the summary line", f"probe: {len(PROBES)} ok, 0 failed" in r.stdout, r.stdout)
    r = run("probe", "--bogus")
    expect("probe --bogus: exit 2, one line naming it",
           r.returncode == 2 and r.stderr.count("\n") == 1 and "--bogus" in r.stderr, r.stderr)
    finish("kernels_probe_emulated")

# ldmatrix's lanes 3 and 17 exchanged: the ldmatrix probes name lane 3 (its first mismatch), the mma
# probes, which take their registers from memory, stay ok; every prefill probe, which loads Q, K and
# V with ldmatrix, fails.
r = run("probe", swap="ldmatrix:3,17")
lines = probe_lines(r.stdout)
expect("ldmatrix fault: exit 1", r.returncode == 1, r.stdout + r.stderr)
expect("ldmatrix fault: still one line per probe", list(lines) == [name for name, _ in PROBES], r.stdout)
for name, _ in PROBES:
    status, rest = lines.get(name, ("missing", ""))
    if name.startswith("ldmatrix"):
        expect(f"ldmatrix fault: {name} FAILs naming lane 3 and its register",
               status == "FAIL" and re.search(r"16 of 256 values .*: lane 3 r\[0\]\.lo: expected \(\d+,\d+\), got \(\d+,\d+\)", rest),
               f"{status} {rest}")
    elif name.startswith("mma"):
        expect(f"ldmatrix fault: {name} ok", status == "ok", f"{status} {rest}")
    else:
        expect(f"ldmatrix fault: {name} FAILs naming a lane, key and dim",
               status == "FAIL" and re.search(r"row \d+ dim \d+ \(warp \d+ lane \d+ d\[\d\]\): expected key \d+ dim \d+, got key", rest),
               f"{status} {rest}")
expect("ldmatrix fault: the summary line", "probe: 4 ok, 14 failed" in r.stdout, r.stdout)
expect("ldmatrix fault: said on stderr", "swaps lanes 3 and 17 of every ldmatrix" in r.stderr, r.stderr)

# mma's lanes 5 and 6 exchanged: the mma probes name lane 5 and what reached it instead.
r = run("probe", swap="mma:5,6")
lines = probe_lines(r.stdout)
expect("mma fault: exit 1", r.returncode == 1, r.stdout + r.stderr)
for name, _ in PROBES:
    status, rest = lines.get(name, ("missing", ""))
    if name.startswith("ldmatrix"):
        expect(f"mma fault: {name} ok", status == "ok", f"{status} {rest}")
    elif name.endswith(" A"):
        expect(f"mma fault: {name} FAILs naming lane 5",
               status == "FAIL" and ": lane 5 d[0] (k = n): expected A(1,2), got A(1,4)" in rest, f"{status} {rest}")
    elif name.endswith("B+C"):
        expect(f"mma fault: {name} FAILs naming lane 5",
               status == "FAIL" and ": lane 5 d[0]: expected B(1,2)+C(1,2), got B(1,4)+C(1,4)" in rest, f"{status} {rest}")
    else:
        expect(f"mma fault: {name} FAILs", status == "FAIL", f"{status} {rest}")

r = run("probe", swap="shuffle:1,2")
expect("a bad OPTILOOP_SIMT_SWAP_LANES: exit 2, one line naming it",
       r.returncode == 2 and r.stderr.count("\n") == 1 and "OPTILOOP_SIMT_SWAP_LANES" in r.stderr, r.stderr)

# check under the ldmatrix fault: every case fails; the first one, only, is followed by its diagnosis.
r = run("check", "--family", "prefill", "--filter", "q=127 kv=127 causal", swap="ldmatrix:3,17")
failed = [line for line in r.stdout.splitlines() if line.startswith("FAIL")]
expect("check under the fault: exit 1, every case FAILs", r.returncode == 1 and len(failed) >= 2, r.stdout + r.stderr)
lines = r.stdout.splitlines()
first = lines.index(failed[0]) if failed else 0
expect("the diagnosis right after the first failing case, once",
       r.stdout.count("diagnosis of") == 1 and
       lines[first + 1:first + 2] == [f"  diagnosis of {failed[0].split(' rel_l2=')[0][5:].strip()} "
                                      "(sampled rows; printed for the first failing case only)"],
       r.stdout)
worst = [line for line in lines if re.match(r"^    b=\d+ h=\d+ q=\d+: max \|error\| \S+ at dim \d+ \(got \S+, expected \S+\), "
                                            r"row rel_l2 \S+, lse error \S+$", line)]
expect("the diagnosis: the five worst rows", len(worst) == 5, r.stdout)
for title, buckets in (("by query row mod 16", 16), ("by dim mod 8", 8), ("by key tile", 2)):
    at = next((i for i, line in enumerate(lines) if line.startswith(f"  {title}")), None)
    entries = []
    if at is not None:
        for line in lines[at + 1:]:
            if not line.startswith("     "):
                break
            entries += re.findall(r"(\d+): +([\d.]+)% (\S+)", line)
    expect(f"the diagnosis: {title}, {buckets} buckets whose shares add up to 100%",
           len(entries) == buckets and abs(sum(float(share) for _, share, _ in entries) - 100) < 0.5, r.stdout)
expect("no diagnosis line starts with ok or FAIL", all(not line.startswith(("ok", "FAIL")) for line in lines[first + 1:first + 10]))
finish("kernels_probe_emulated_fault")
