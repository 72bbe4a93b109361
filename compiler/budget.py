"""What compiling one program may cost: host memory and time, as its caller
allows.

The caller gives plain numbers (the compiler knows nothing of the VM whose
limits they come from: hl/program.py `compile_budget` derives the memory
from the heap limit, and `hll run` / `hl.VM.load_source` pass them), and
`Budget` turns them into refusals:

- Memory.  Compiling holds a program's syntax trees, then its bytecode; its
  peak is at least SOURCE_FACTOR bytes of host memory per character of
  source (the least measured, on many small functions; other code takes
  up to 4.5 times more: docs/limits.md).  A program whose source files
  together have more than `memory // SOURCE_FACTOR` characters is refused
  before the file that goes past it is parsed, at its line 1, column 1.
  While the program is parsed, checked and generated, the memory charged
  is the larger of the process's resident growth since the compilation
  began and a low estimate, TOKEN_BYTES per token parsed (the least
  measured is 100), as hllvm/loadmeter.py charges a load: the estimate
  refuses a program the same way whatever memory the process freed before,
  the growth catches code that costs more.  It is looked at every
  CHECK_EVERY tokens, statements or functions, and a program past the
  budget is refused at the token, statement or function reached.
- Time.  With a time limit the parser (every CHECK_EVERY tokens), the
  checker and the code generator (every CHECK_EVERY statements and
  functions) look at the clock, and `CompileTimeout` ends the compilation
  past the deadline.  Assembling one function's finished code is not
  interrupted (it is linear in that function's size).

A refusal for memory is a `CompileError` (the program is too large); a
timeout is not about the program, so it is `CompileTimeout`, which the
caller reports as its own time limit's end (`hl.VM.load_source`:
ResourceExhausted).  Without limits (`Budget()`, the default) nothing is
refused.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

from .diagnostics import CompileError, Reporter

# Host bytes per character of source at the peak of compiling, the least
# measured (38 on bench/scaling.py's `src_functions`), rounded down.
SOURCE_FACTOR = 32
# Host bytes per token charged while parsing, the least measured (100 on the
# same program), rounded down.
TOKEN_BYTES = 64
# Tokens, or statements, between two looks at the budget.
CHECK_EVERY = 4096


class CompileTimeout(Exception):
    """The time limit the caller gave ran out while compiling."""

    def __init__(self, timeout: float):
        super().__init__(f"time limit of {timeout:g} s exceeded while compiling")
        self.timeout = timeout


class OverBudget(Exception):
    """The program needs more memory than the budget: at (line, col) of the
    module being parsed."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


class Budget:
    """The limits of one compilation.  `memory`: bytes of host memory the
    compilation may take (None: no limit); `timeout`: seconds from now
    (None: no limit); `hint`: what the user can do about the memory limit,
    added to its message (e.g. "raise --max-heap")."""

    def __init__(self, memory: int | None = None, timeout: float | None = None, hint: str = ""):
        self.memory = memory
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout is not None else None
        self.hint = hint
        self.chars = 0          # characters of the source files taken so far
        self.tokens = 0         # tokens parsed so far
        self.left = CHECK_EVERY
        self.base: int | None = None    # resident bytes when the compilation began

    @property
    def max_chars(self) -> int | None:
        """The most characters of source the memory budget allows."""
        return None if self.memory is None else self.memory // SOURCE_FACTOR

    def _too_large(self, what: str) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return (f"the program is too large to compile within the memory limit: {what} "
                f"(the compile budget is {_mib(self.memory)}){hint}")

    def source(self, chars: int) -> None:
        """A source file of `chars` characters is about to be parsed:
        OverBudget at its start if the program's files together go past
        what the budget allows."""
        self.chars += chars
        limit = self.max_chars
        if limit is not None and self.chars > limit:
            raise OverBudget(1, 1, self._too_large(
                f"its source files have {self.chars:,} characters, and at least {SOURCE_FACTOR} "
                f"bytes each the budget allows {limit:,}"))

    def begin(self) -> None:
        """The compilation begins: resident growth is measured from here."""
        self.base = _resident()

    def charge_tokens(self, n: int, line: int, col: int) -> None:
        """`n` more tokens were parsed, the last at (line, col): OverBudget
        there if the memory charged goes past the budget; CompileTimeout
        past the deadline."""
        self.tokens += n
        self.check_time()
        self._check_memory(line, col)

    def step(self, line: int, col: int) -> None:
        """A statement or a function, at (line, col), is about to be
        checked or generated."""
        self.left -= 1
        if self.left <= 0:
            self.left = CHECK_EVERY
            self.check_time()
            self._check_memory(line, col)

    def _check_memory(self, line: int, col: int) -> None:
        if self.memory is None:
            return
        estimate = self.tokens * TOKEN_BYTES
        now = _resident() if self.base is not None else None
        grown = now - self.base if now is not None else 0
        if max(estimate, grown) > self.memory:
            what = (f"its {self.tokens:,} tokens need at least {_mib(estimate)}" if estimate >= grown
                    else f"compiling it has taken {_mib(grown)} so far")
            raise OverBudget(line, col, self._too_large(what))

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise CompileTimeout(self.timeout)


@contextmanager
def over_budget(rep: Reporter):
    """Around the parsing, checking or generation of one module: a program
    past its memory budget becomes a CompileError at the point reached, in
    that module's file (`rep`), with what else was found there so far."""
    try:
        yield
    except OverBudget as e:
        rep.error(e.line, e.col, e.message)
        raise CompileError(rep.sorted()) from None


def _resident() -> int | None:
    """The process's resident bytes, where the OS tells them cheaply (Linux:
    /proc/self/statm); None elsewhere, where the estimate alone is charged."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB"


__all__ = ["Budget", "CompileTimeout", "OverBudget", "over_budget", "SOURCE_FACTOR", "TOKEN_BYTES", "CHECK_EVERY"]
