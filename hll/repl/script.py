"""Scripted use of the REPL: input that is not a terminal.

Reads standard input line by line and hands each complete input to the
engine, with the same rules as at the prompt (an input ends at the end of a
line where it is complete; the final `;` is optional; a line starting with
`:` is a command), but with no prompts and no feedback on declarations: only
the values of expressions (`$1: int = 42`), the program's own output and the
errors.  Errors do not stop the script; the exit status is that of the first
failure (language.md A11: 2 compile error, 1 uncaught HL error, 4 fuel
exhausted; 130 interrupted), or 0.  It does not edit lines (terminal.py).
"""

from __future__ import annotations

from compiler.parser import InputStatus, input_status

from .engine import QuitRepl


def run_script(engine, stream) -> int:
    pending = ""
    try:
        while True:
            # readline, not iteration: HL's input() reads the same stream and
            # must get the line after the input that calls it.
            line = stream.readline()
            if not line:
                break
            if not pending and line.lstrip().startswith(":"):
                engine.handle(line)
                continue
            pending += line
            if input_status(pending)[0] is not InputStatus.INCOMPLETE:
                text, pending = pending, ""
                engine.handle(text)
        if pending.strip():
            engine.handle(pending)      # incomplete at the end: its error is reported
    except QuitRepl as q:
        return engine.status if q.status is None else q.status
    except KeyboardInterrupt:
        return 130
    return engine.status
