"""torch.nn.attention (PyTorch 2.3 and later); FAKE_TORCH_OLD=1 makes it missing."""
import contextlib
import enum
import os

from . import functional

if os.environ.get("FAKE_TORCH_OLD") == "1":
    raise ImportError("torch.nn.attention: not in this (fake, older) PyTorch")


class SDPBackend(enum.Enum):
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2


@contextlib.contextmanager
def sdpa_kernel(backend):
    previous = functional.flash_only[0]
    functional.flash_only[0] = backend == SDPBackend.FLASH_ATTENTION
    try:
        yield
    finally:
        functional.flash_only[0] = previous
