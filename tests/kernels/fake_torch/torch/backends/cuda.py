"""torch.backends.cuda.sdp_kernel: the switch older PyTorch versions have."""
import contextlib

from ..nn import functional


@contextlib.contextmanager
def sdp_kernel(enable_flash=True, enable_math=True, enable_mem_efficient=True):
    previous = functional.flash_only[0]
    functional.flash_only[0] = enable_flash and not enable_math and not enable_mem_efficient
    try:
        yield
    finally:
        functional.flash_only[0] = previous
