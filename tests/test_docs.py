"""Every complete HL program shown in the README and docs/ runs.

A fenced block tagged `hl` that defines `fn main` is compiled and run.  The
tag may carry the expected exit status (```` ```hl exit=1 ````, default 0);
a block tagged `output` right after it is the expected standard output, and
one tagged `stderr` after that the expected standard error.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import compiler
from hllvm import VM

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"```hl(?: exit=(\d+))?\n(.*?)```(?:\s*```output\n(.*?)```)?(?:\s*```stderr\n(.*?)```)?", re.S)


def _programs():
    for doc in DOCS:
        for n, m in enumerate(_BLOCK.finditer(doc.read_text(encoding="utf-8"))):
            status, source, out, err = m.groups()
            if "fn main" in source:
                yield pytest.param(source, int(status or 0), out, err, id=f"{doc.name}#{n}")


@pytest.mark.parametrize("source, status, expected_out, expected_err", list(_programs()))
def test_documented_program_runs(source, status, expected_out, expected_err) -> None:
    prog = compiler.compile_source(source, name="example", filename="example.hl")
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err)
    vm.load(prog.modules)
    got = vm.run_main(prog.entry, [])
    assert got == status, err.getvalue()
    if expected_out is not None:
        assert out.getvalue() == expected_out
    if expected_err is not None:
        assert err.getvalue() == expected_err
