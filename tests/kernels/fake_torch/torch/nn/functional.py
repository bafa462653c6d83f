"""torch.nn.functional.scaled_dot_product_attention: checks it runs with only the flash backend
enabled and with matching q, k, v; advances the clock; refuses bf16 head_dim 128 causal the way
PyTorch refuses a shape it has no kernel for (a RuntimeError)."""

from .. import cuda

flash_only = [False]
calls = {}


def shape_ms(batch, heads, seq, head_dim, causal):
    """What the fake kernel takes: 100 TFLOP/s on the FLOPs of the shape."""
    return 4.0 * batch * heads * seq * seq * head_dim * (0.5 if causal else 1.0) / 100e9


def call_factor(call):
    """The n-th call on a shape (from 1) takes this many times shape_ms: the three warm-ups a
    thousand, the timed runs a little more each, so that any other choice of runs moves the median."""
    return 1000.0 if call <= 3 else 1 + 0.01 * call


def scaled_dot_product_attention(q, k, v, is_causal=False):
    assert flash_only[0], "attention run without restricting it to the flash backend"
    assert q.shape == k.shape == v.shape and q.dtype == k.dtype == v.dtype
    batch, heads, seq, head_dim = q.shape
    if q.dtype == "bfloat16" and head_dim == 128 and is_causal:
        raise RuntimeError("No available kernel. Aborting execution.\nsecond line")
    key = (q.shape, q.dtype, is_causal)
    calls[key] = calls.get(key, 0) + 1
    ms = shape_ms(batch, heads, seq, head_dim, is_causal)
    cuda.clock[0] += ms * call_factor(calls[key])
    return q
