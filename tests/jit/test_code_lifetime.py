"""A VM's machine code lives as long as the VM: a host that makes and
drops many VMs does not keep the code of those it dropped
(hllvm/engine.py `native_function(..., keep=)`, hllvm/jit/tier.py)."""

from __future__ import annotations

import gc
import sys

import pytest

from hl import VM

SRC = """
fn fib(n: int) -> int { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }
fn total(n: int) -> int { var s = 0; for i in 0..n { s = s + fib(i % 12); } return s; }
"""


def _executable_bytes() -> int:
    """Bytes of this process's anonymous executable mappings (where mapped
    machine code lives: shared anonymous memory shows as `/dev/zero`;
    counted in bytes, since the kernel may merge neighbouring mappings)."""
    total = 0
    with open("/proc/self/maps") as maps:
        for line in maps:
            f = line.split()
            if f[1].startswith("r-x") and (len(f) == 5 or f[5] == "/dev/zero"):
                start, end = (int(x, 16) for x in f[0].split("-"))
                total += end - start
    return total


def _run_one() -> int:
    vm = VM(jit="eager")
    try:
        return vm.load_source(SRC, name="prog").call("total", 200)
    finally:
        del vm


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_dropped_vms_give_their_machine_code_back():
    expected = _run_one()                   # llvmlite, the caches and the collector's code, once
    gc.collect()
    before = _executable_bytes()
    for _ in range(20):
        assert _run_one() == expected
        gc.collect()
    after = _executable_bytes()
    # Each VM maps a page or more per function: kept for ever, the 20 VMs
    # would add some 200 KiB.
    assert after - before < 32 << 10, (before, after)
