"""Fixtures of the embedding tests: VMs made the way a host makes them, in
every execution tier the VM has (the `tier` parameter; the interpreter only,
until the VM takes a `jit` option)."""

from __future__ import annotations

import inspect
import io

import pytest

from hllvm import VM


def _tiers() -> list[str]:
    if "jit" in inspect.signature(VM.__init__).parameters:
        return ["off", "auto", "eager"]
    return ["interpreter"]


@pytest.fixture(params=_tiers())
def tier(request) -> str:
    return request.param


@pytest.fixture
def make_vm(tier):
    """make_vm(**options) → a VM whose output is captured (`vm.test_out`,
    `vm.test_err` are the StringIOs) and whose stdin is empty."""
    def make(**opts) -> VM:
        if tier != "interpreter":
            opts.setdefault("jit", tier)
        out, err = io.StringIO(), io.StringIO()
        opts.setdefault("stdout", out)
        opts.setdefault("stderr", err)
        opts.setdefault("stdin", "")
        vm = VM(**opts)
        vm.test_out, vm.test_err = out, err
        return vm
    return make
