"""The session shown in docs/repl.md is replayed input by input through the
REPL's evaluator, and must print exactly what the page shows (so the page
stays true as the REPL changes).  The page's `shapes.hl` is written to a
temporary directory for its `:load`; the input the page interrupts with
Ctrl-C is interrupted by a timer here."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from repl_support import interrupting

from hll.repl.engine import Engine, QuitRepl
from hllvm import VM

DOC = Path(__file__).resolve().parents[2] / "docs" / "repl.md"


def _session_and_file(text: str) -> tuple[list[tuple[str, str]], str]:
    blocks = re.findall(r"```(?:hl)?\n(.*?)```", text.split("## A session", 1)[1], re.S)
    transcript, shapes = blocks[0], blocks[1]
    steps: list[tuple[str, str]] = []
    for line in transcript.splitlines()[1:]:            # after the banner
        if line.startswith("hl> "):
            steps.append((line[4:], ""))
        elif line.startswith("...> "):
            typed, out = steps[-1]
            steps[-1] = (typed + "\n" + line[5:], out)
        else:
            typed, out = steps[-1]
            steps[-1] = (typed, out + line + "\n")
    return steps, shapes


def test_the_documented_session_is_what_the_repl_prints(tmp_path):
    steps, shapes = _session_and_file(DOC.read_text(encoding="utf-8"))
    (tmp_path / "shapes.hl").write_text(shapes, encoding="utf-8")
    stream = io.StringIO()
    engine = Engine(lambda stdout=None: VM(stdout=stdout, stderr=stream), interactive=True,
                    out=stream, err=stream, search_dirs=[tmp_path])
    assert len(steps) > 20
    for typed, expected in steps:
        typed = typed.replace(":load shapes.hl", f":load {tmp_path / 'shapes.hl'}")
        start = stream.tell()
        if typed == ":quit":
            with pytest.raises(QuitRepl):
                engine.handle(typed)
            break
        if expected.startswith("^C"):                    # the page's Ctrl-C
            expected = expected[2:]
            with interrupting(engine.vm):
                engine.handle(typed)
        else:
            engine.handle(typed)
        assert stream.getvalue()[start:] == expected, typed
