"""Every example program prints what its `.out` file says."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import compiler
from hllvm import VM

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROGRAMS = sorted(p for p in EXAMPLES.rglob("*.hl") if p.with_suffix(".out").is_file())


def test_there_are_examples():
    assert len(PROGRAMS) >= 7
    assert (EXAMPLES / "hello.hl") in PROGRAMS


@pytest.mark.parametrize("jit", ["off", "auto", "eager"])
@pytest.mark.parametrize("path", PROGRAMS, ids=[str(p.relative_to(EXAMPLES)) for p in PROGRAMS])
def test_example_output(path: Path, jit: str) -> None:
    """The same bytes in every tier (docs/jit.md)."""
    prog = compiler.compile_program(path)
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err, jit=jit)
    vm.load(prog.modules)
    status = vm.run_main(prog.entry, [])
    assert (status, err.getvalue()) == (0, "")
    assert out.getvalue() == path.with_suffix(".out").read_text(encoding="utf-8")
