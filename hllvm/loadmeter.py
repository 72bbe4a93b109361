"""What loading a batch of modules may cost: the VM's time limit and a
budget of host memory, checked while the batch is verified and linked, and
the size of a module file that may be read for it.

Loading is work the guest's file makes the host do, so the VM's limits hold
for it as they hold for running (vm.md: every limit from the first byte
loaded): a batch whose verification and linking run past the VM's
`timeout` stops with `ResourceExhausted("time")` (exit status 4), and one
whose loading grows the process's resident memory by more than the load
budget is refused with `LoadError` (status 3).  The budget is a quarter of
the heap limit, and at least LOAD_MIN_BYTES: what the code of a batch may
occupy beside the heap.  A `.hlc` file is read whole before it is linked,
so its size is bounded before reading (`module_bytes_limit`: the budget
over what a byte costs once read), and it is read with that bound, never
trusting a size the OS reports.

The phases call `tick(units)` with the work they are about to do (an
instruction decoded, checked, lowered or linked is a unit) and the meter
looks at the clock and the resident size every CHECK_EVERY units, so the
checks cost nothing measurable.  Resident size is read from
/proc/self/statm where there is one, else from the peak in getrusage; the
memory charged is the larger of its growth and a low estimate per unit of
work (UNIT_BYTES), so that a load is refused the same way whatever memory
the process freed before it.

It owns the load budget and its checks; the run-time limits are
hllvm/limits.py's.
"""

from __future__ import annotations

import os
import time

from hlbc.errors import LoadError

from .errors import ResourceExhausted

CHECK_EVERY = 4096
LOAD_MIN_BYTES = 16 << 20
# Host bytes one byte of a `.hlc` file becomes when it is read into
# descriptors (records, ints, tuples: about 25 measured), rounded up.  A
# file is read before any of it is linked, so its size is bounded up front.
READ_FACTOR = 32
# Host bytes a unit of load work (an instruction checked, lowered or linked)
# surely costs: a low estimate (about a quarter of what is measured), charged
# when it is more than the resident growth, which can hide new objects in
# memory that earlier work freed.
UNIT_BYTES = 64
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def load_budget(max_heap: int) -> int:
    """Host bytes a batch's loading may add, for a VM of `max_heap` bytes."""
    return max(LOAD_MIN_BYTES, max_heap // 4)


def module_bytes_limit(max_heap: int) -> int:
    """The largest `.hlc` file a VM of `max_heap` bytes reads."""
    return load_budget(max_heap) // READ_FACTOR


def _statm_rss():
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return None
    try:
        fields = os.read(fd, 128).split()
    finally:
        os.close(fd)
    return int(fields[1]) * _PAGE


def _peak_rss() -> int:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if os.uname().sysname == "Darwin" else peak * 1024


def resident_bytes() -> int:
    rss = _statm_rss()
    return rss if rss is not None else _peak_rss()


class LoadMeter:
    __slots__ = ("deadline", "timeout", "budget", "base", "left", "units")

    def __init__(self, timeout: float | None, budget: int) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout is not None else None
        self.budget = budget
        self.base = resident_bytes()
        self.left = CHECK_EVERY
        self.units = 0

    def tick(self, units: int = 1) -> None:
        self.units += units
        self.left -= units
        if self.left <= 0:
            self.left = CHECK_EVERY
            self.check()

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ResourceExhausted(f"time limit of {self.timeout:g} s exceeded while loading",
                                    resource="time")
        grown = max(resident_bytes() - self.base, self.units * UNIT_BYTES)
        if grown > self.budget:
            raise LoadError(f"loading needs more than {self.budget >> 20} MiB of host memory "
                            f"(the load budget: a quarter of the heap limit, at least "
                            f"{LOAD_MIN_BYTES >> 20} MiB)")


class Unmetered:
    """The meter of a load with no limits (verification outside a VM)."""
    __slots__ = ()

    def tick(self, units: int = 1) -> None:
        pass

    def check(self) -> None:
        pass


UNMETERED = Unmetered()

__all__ = ["LoadMeter", "UNMETERED", "load_budget", "module_bytes_limit", "resident_bytes", "CHECK_EVERY", "LOAD_MIN_BYTES"]
