"""The Python blocks of docs/embedding.md run, in order, as one script, and
print what their comments say (`# value` after a `print(...)` line)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "embedding.md"
_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
_PRINT = re.compile(r"^\s*print\(.*\)\s+# (.*)$")


def _expected_lines(code: str) -> list[str]:
    """The comments of print lines: what each prints, in order (a trailing
    `...` means "starts with")."""
    return [m.group(1).strip() for line in code.splitlines() if (m := _PRINT.match(line))]


def test_every_python_block_of_the_embedding_guide_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = _BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    namespace: dict = {"__name__": "embedding_doc"}
    for n, code in enumerate(blocks):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"{DOC.name} block {n}", "exec"), namespace)
        printed = out.getvalue().splitlines()
        for want in _expected_lines(code):
            got = printed.pop(0) if printed else None
            assert got is not None, f"block {n}: nothing printed for {want!r}"
            if want.endswith("..."):
                assert got.startswith(want[:-3].rstrip()), (n, got, want)
            else:
                assert got == want, (n, got, want)
