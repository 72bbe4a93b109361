"""Fixtures of the embedding tests: VMs made the way a host makes them, in
every execution tier the VM has (the `tier` parameter: off, auto, eager,
and the first under GC stress).  Test modules import them by name (a
`conftest.py` here would shadow the `conftest` other test folders import)."""

from __future__ import annotations

import inspect
import io

import pytest

from hl import VM
from hllvm import VM as BytecodeVM


_OPTIONS = inspect.signature(BytecodeVM.__init__).parameters      # (hl.VM passes them on)


def _tiers() -> list[str]:
    tiers = ["off", "auto", "eager"] if "jit" in _OPTIONS else ["interpreter"]
    if "gc_stress" in _OPTIONS:          # and once collecting at every allocation
        tiers.append(tiers[0] + "+gc_stress")
    return tiers


@pytest.fixture(params=_tiers())
def tier(request) -> str:
    return request.param


@pytest.fixture
def make_vm(tier):
    """make_vm(**options) → a VM whose output is captured (`vm.test_out`,
    `vm.test_err` are the StringIOs) and whose stdin is empty."""
    def make(**opts) -> VM:
        mode, _, stress = tier.partition("+")
        if mode != "interpreter":
            opts.setdefault("jit", mode)
        if stress:
            opts.setdefault("gc_stress", True)
        out, err = io.StringIO(), io.StringIO()
        opts.setdefault("stdout", out)
        opts.setdefault("stderr", err)
        opts.setdefault("stdin", "")
        vm = VM(**opts)
        vm.test_out, vm.test_err = out, err
        return vm
    return make
