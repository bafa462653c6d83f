#!/usr/bin/env python3
"""Runs kernels/torch-sdpa-bench.py (device-check.sh's torch step) against a stand-in PyTorch
(tests/kernels/fake_torch) with a clock only its attention advances: the script must time every
prefill shape of the bench JSON under the flash backend alone, leave out the warm-ups, take the
median, record a shape the backend refuses as an error, and write what bench-table.py reads,
with PyTorch 2.3's sdpa_kernel and with the older sdp_kernel switch."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from checks import ROOT, expect, finish, load  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "fake_torch"))
from torch.nn.functional import call_factor, shape_ms  # noqa: E402

bench_table = load("kernels/bench-table.py", "bench_table")
work = tempfile.mkdtemp(prefix="optiloop-torch-bench-")


def entry(dtype, head_dim, causal, tflops):
    return dict(dtype=dtype, head_dim=head_dim, batch=2, heads=4, seq=512, causal=causal, ms=1.0, tflops=tflops)


bench = {"device": "fake", "runs": 5, "copy_bandwidth_gbs": 1000.0, "decode": [],
         "prefill": [entry("f16", 64, False, 50.0), entry("f16", 128, True, 200.0), entry("bf16", 128, True, 80.0)]}
bench_path = os.path.join(work, "bench.json")
with open(bench_path, "w") as f:
    json.dump(bench, f)

for old in ("0", "1"):
    torch_path = os.path.join(work, f"torch-{old}.json")
    environment = dict(os.environ, PYTHONPATH=os.path.join(HERE, "fake_torch"), FAKE_TORCH_OLD=old,
                       PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "kernels", "torch-sdpa-bench.py"), bench_path, torch_path],
                       capture_output=True, text=True, env=environment)
    which = "older PyTorch" if old == "1" else "PyTorch 2.3+"
    expect(f"{which}: exits 0", r.returncode == 0, r.stdout + r.stderr)
    try:
        with open(torch_path) as f:
            torch_json = json.load(f)
    except (OSError, ValueError) as e:
        expect(f"{which}: writes JSON", False, str(e))
        continue
    results = torch_json["prefill"]
    expect(f"{which}: one result per prefill shape", len(results) == 3, str(results))
    for p, t in zip(bench["prefill"], results):
        name = f"{which}: {p['dtype']} d={p['head_dim']}{' causal' if p['causal'] else ''}"
        expect(f"{name}: the same shape", bench_table.key(p) == bench_table.key(t))
        if p["dtype"] == "bf16":
            expect(f"{name}: refused, first line of the error kept",
                   t["ms"] == -1.0 and t["tflops"] == 0 and t["error"] == "No available kernel. Aborting execution.", str(t))
            continue
        # Calls 4 .. 3 + runs are the timed ones; the median is the middle one of them.
        ms = shape_ms(p["batch"], p["heads"], p["seq"], p["head_dim"], p["causal"])
        expected_ms = sorted(ms * call_factor(call) for call in range(4, 4 + bench["runs"]))[bench["runs"] // 2]
        expect(f"{name}: the median of the timed runs, warm-ups left out", abs(t["ms"] - expected_ms) < 1e-9, str(t))
        expect(f"{name}: TFLOP/s from the FLOPs", abs(t["tflops"] - 100.0 * ms / expected_ms) < 1e-6 and
               t["error"] == "", str(t))
    lines = "\n".join(bench_table.tables(bench, results))
    expect(f"{which}: bench-table puts ours over torch (200 / 100 / 1.06)", " 2.12 " in lines, lines)
    expect(f"{which}: and no ratio where torch has none", lines.count(" - ") >= 1, lines)

finish("test_torch_sdpa_bench")
