"""Helpers for the collector's tests: run HL source in a fresh VM, and the
`evacuator` fixture (each test once per implementation of the trace)."""

import io

import pytest

from hl import VM


class Result:
    def __init__(self, status, out, err, vm):
        self.status, self.out, self.err, self.vm = status, out, err, vm


def run_hl(source: str, args=(), **opts) -> Result:
    """Compile `source` as module `prog`, run its main in a new VM with `opts`."""
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err, **opts)
    vm.load_source(source, name="prog")
    status = vm.run_main("prog", list(args))
    return Result(status, out.getvalue(), err.getvalue(), vm)


@pytest.fixture(params=["python", "native"])
def evacuator(request, monkeypatch):
    """Run the test once with each implementation of the trace (import this
    fixture into a test module to use it)."""
    if request.param == "native":
        from hllvm.collector import native
        if native.evacuator() is None:
            pytest.skip(f"no native evacuator here: {native.why_unavailable()}")
    monkeypatch.setenv("HLLVM_GC_EVACUATOR", request.param)
    return request.param
