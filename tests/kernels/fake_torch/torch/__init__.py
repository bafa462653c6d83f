"""A stand-in for the parts of PyTorch that kernels/torch-sdpa-bench.py calls, so the script runs
on a machine without a GPU or PyTorch (tests/kernels/test_torch_sdpa_bench.py). Time is a clock
that only the fake attention advances, by shape_ms(...) times call_factor(n) for the n-th call
on a shape (nn/functional.py)."""
from . import backends, cuda, nn  # noqa: F401

__version__ = "0.0+fake"
float16, bfloat16, uint8 = "float16", "bfloat16", "uint8"


class Tensor:
    def __init__(self, shape, dtype, device):
        assert device == "cuda", f"tensor on {device}, not cuda"
        self.shape, self.dtype = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,), dtype
        self.fills = 0

    def __mul__(self, other):
        return self

    def __sub__(self, other):
        return self

    def fill_(self, value):
        self.fills += 1
        return self


def empty(shape, dtype, device):
    return Tensor(shape, dtype, device)


def rand(shape, dtype, device):
    return Tensor(shape, dtype, device)
