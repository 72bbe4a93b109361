"""Every complete HL program shown in the README and docs/ runs as shown.

Fenced blocks, in any of these files:

- ```` ```hl ```` with `fn main`: compiled as `example.hl` and run with no
  arguments and an empty standard input. The tag
  may carry the expected exit status (```` ```hl exit=1 ````, default 0); a
  block tagged `output` right after it is the expected standard output, and
  one tagged `stderr` after that the expected standard error.
- ```` ```hl compile-error ````: must fail to compile; the `stderr` block
  right after it is exactly what `hll run` prints (the diagnostics).
- ```` ```hl file=PATH ````: a module the programs of the same file may
  import (written to PATH under a folder on their search path).

docs/language.md is the language reference: every `hl` block in it must be
one of these, so none of its examples goes unchecked.
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
REFERENCE = ROOT / "docs" / "language.md"

_FENCE = re.compile(r"^```hl\b([^\n]*)\n(.*?)^```", re.S | re.M)
_PROGRAM = re.compile(
    r"```hl(?: (?:exit=(\d+)|(compile-error)))?\n(.*?)```"
    r"(?:\s*```output\n(.*?)```)?(?:\s*```stderr\n(.*?)```)?", re.S)
_MODULE = re.compile(r"```hl file=(\S+)\n(.*?)```", re.S)
_HEADING = re.compile(r"^##? (.*)$", re.M)


def _section(text: str, pos: int) -> str:
    """The section (level 1 or 2 heading) a block stands under, shortened
    for a test id ("A4. Declarations and statements" -> "A4")."""
    title = ""
    for h in _HEADING.finditer(text, 0, pos):
        title = h.group(1)
    return title.split(".")[0].split(" ")[0] or "top"


def _programs():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for n, m in enumerate(_PROGRAM.finditer(text)):
            status, compile_error, source, out, err = m.groups()
            if compile_error or "fn main" in source:
                yield pytest.param(doc, source, int(status or 0), bool(compile_error), out, err,
                                   id=f"{doc.name}#{n}-{_section(text, m.start())}")


@pytest.fixture(scope="module")
def module_dirs(tmp_path_factory):
    """One search folder per document, holding its `hl file=` modules."""
    dirs = {}
    for doc in DOCS:
        root = tmp_path_factory.mktemp(doc.stem)
        for name, source in _MODULE.findall(doc.read_text(encoding="utf-8")):
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source, encoding="utf-8")
        dirs[doc] = root
    return dirs


@pytest.mark.parametrize("doc, source, status, compile_error, expected_out, expected_err",
                         list(_programs()))
def test_documented_program_runs(module_dirs, doc, source, status, compile_error,
                                 expected_out, expected_err) -> None:
    search = (module_dirs[doc],)
    if compile_error:
        with pytest.raises(compiler.CompileError) as failure:
            compiler.compile_source(source, name="example", filename="example.hl", search_dirs=search)
        assert expected_err is not None, "a compile-error example needs its stderr block"
        assert failure.value.format() + "\n" == expected_err
        return
    prog = compiler.compile_source(source, name="example", filename="example.hl", search_dirs=search)
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err, stdin=io.StringIO(""))     # no input: input() is null
    vm.load(prog.modules)
    got = vm.run_main(prog.entry, [])
    assert got == status, err.getvalue()
    if expected_out is not None:
        assert out.getvalue() == expected_out
    if expected_err is not None:
        assert err.getvalue() == expected_err


def test_every_example_of_the_reference_is_checked() -> None:
    """In the language reference, an `hl` block is a program, a compile-error
    example or an importable module; a program states its output."""
    text = REFERENCE.read_text(encoding="utf-8")
    unchecked = []
    for m in _FENCE.finditer(text):
        tag, source = m.group(1).strip(), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        rest = text[m.end():].lstrip()
        if tag.startswith("file="):
            continue
        if tag == "compile-error":
            if not rest.startswith("```stderr\n"):
                unchecked.append(f"line {line}: compile-error without a stderr block")
        elif tag in ("",) or re.fullmatch(r"exit=\d+", tag):
            if "fn main" not in source:
                unchecked.append(f"line {line}: a program without fn main")
            elif not rest.startswith(("```output\n", "```stderr\n")):
                unchecked.append(f"line {line}: a program without its output")
        else:
            unchecked.append(f"line {line}: unknown tag {tag!r}")
    assert not unchecked, "\n".join(unchecked)
