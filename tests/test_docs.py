"""Every complete HL program shown in the README and docs/ runs.

A fenced block tagged `hl` that defines `fn main` is compiled and run; when
the block is followed by a block tagged `output`, the output must match.
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
_BLOCK = re.compile(r"```hl\n(.*?)```(?:\s*```output\n(.*?)```)?", re.S)


def _programs():
    for doc in DOCS:
        for n, m in enumerate(_BLOCK.finditer(doc.read_text(encoding="utf-8"))):
            if "fn main" in m.group(1):
                yield pytest.param(m.group(1), m.group(2), id=f"{doc.name}#{n}")


@pytest.mark.parametrize("source, expected", list(_programs()))
def test_documented_program_runs(source: str, expected: str | None) -> None:
    prog = compiler.compile_source(source, name="doc", filename="doc.hl")
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err)
    vm.load(prog.modules)
    status = vm.run_main(prog.entry, [])
    assert status == 0, err.getvalue()
    if expected is not None:
        assert out.getvalue() == expected
