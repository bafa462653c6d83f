#!/usr/bin/env python3
"""Times PyTorch's flash SDPA (torch.nn.functional.scaled_dot_product_attention restricted to the
flash backend) on the prefill shapes of an `optiloop-kernels bench --json` file, the same way the
tool times its own kernels: CUDA events, 3 warm-ups, the median of the same number of runs, L2
flushed (a fill of twice its size) before each, all enqueued before one wait. Used by
kernels/device-check.sh.

    kernels/torch-sdpa-bench.py BENCH_JSON TORCH_JSON

Writes {"torch": version, "prefill": [shape + ms, tflops, error]} to TORCH_JSON; a shape the
flash backend refuses (or that runs out of memory) gets ms -1 and the first line of the error.
"""
import json
import sys

import torch
import torch.nn.functional as F

try:  # PyTorch 2.3 and later
    from torch.nn.attention import SDPBackend, sdpa_kernel

    def flash_only():
        return sdpa_kernel(SDPBackend.FLASH_ATTENTION)
except ImportError:  # older: the same choice through the backends switch
    def flash_only():
        return torch.backends.cuda.sdp_kernel(enable_flash=True, enable_math=False, enable_mem_efficient=False)


def time_shape(p, runs, flush):
    """Median milliseconds of flash SDPA on the shape of bench entry p, and the error ("" if none).
    Every flush, event pair and call is enqueued first and the host waits once, at the end, as
    `optiloop-kernels bench` (and Triton's do_bench) time: no host round trip between runs."""
    dtype = torch.float16 if p["dtype"] == "f16" else torch.bfloat16
    shape = (p["batch"], p["heads"], p["seq"], p["head_dim"])
    total = 3 + runs
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(total)]
    stops = [torch.cuda.Event(enable_timing=True) for _ in range(total)]
    try:
        q, k, v = (torch.rand(shape, dtype=dtype, device="cuda") * 2 - 1 for _ in range(3))
        with flash_only():
            for i in range(total):
                flush.fill_(i & 0xFF)
                starts[i].record()
                F.scaled_dot_product_attention(q, k, v, is_causal=p["causal"])
                stops[i].record()
        stops[-1].synchronize()  # one stream: the last event done means all are
        times = sorted(start.elapsed_time(stop) for start, stop in zip(starts[3:], stops[3:]))
        return times[len(times) // 2], ""
    except RuntimeError as e:  # no flash kernel for this shape or build; out of memory
        return -1.0, (str(e).splitlines() or [type(e).__name__])[0]


def main(argv):
    if len(argv) != 3:
        print("usage: torch-sdpa-bench.py BENCH_JSON TORCH_JSON", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        bench = json.load(f)
    runs = int(bench.get("runs", 20))
    l2_bytes = torch.cuda.get_device_properties(0).L2_cache_size
    flush = torch.empty(int(2 * l2_bytes) + (1 << 20), dtype=torch.uint8, device="cuda")
    results = []
    for p in bench["prefill"]:
        ms, error = time_shape(p, runs, flush)
        flops = 4.0 * p["batch"] * p["heads"] * p["seq"] * p["seq"] * p["head_dim"] * (0.5 if p["causal"] else 1.0)
        entry = dict(p, ms=ms, tflops=flops / (ms * 1e9) if ms > 0 else 0.0, error=error)
        results.append(entry)
        print(f"torch {p['dtype']} d={p['head_dim']} B={p['batch']} H={p['heads']} N={p['seq']} "
              f"{'causal' if p['causal'] else 'noncausal'}: {ms:.3f} ms {entry['tflops']:.1f} TFLOP/s {error}",
              flush=True)
    with open(argv[2], "w") as f:
        json.dump({"torch": torch.__version__, "prefill": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
