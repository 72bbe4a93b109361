"""What compiling one program may cost: host memory and time, as its caller
allows.

The caller gives plain numbers (the compiler knows nothing of the VM whose
limits they come from: hl/program.py `compile_budget` derives the memory
from the heap limit, and `hll run` / `hl.VM.load_source` pass them), and
`Budget` turns them into deterministic refusals:

- Memory.  Compiling holds a program's syntax trees, then its bytecode; its
  peak is measured at about SOURCE_FACTOR bytes of host memory per
  character of source for ordinary code (docs/limits.md gives the
  measurements).  A program whose source files together have more than
  `memory // SOURCE_FACTOR` characters is refused before the file that
  goes past it is parsed, at its line 1, column 1.  Dense code (one or two
  characters per token) costs more per character, so the parser also
  charges TOKEN_BYTES per token it reads, beside SOURCE_FACTOR // 4 per
  character (the text itself and its lines, kept for diagnostics), and
  refuses at the token where the charge goes past the budget.  Both depend
  only on the program, never on what the process did before, so a program
  is refused the same way every time.
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

import time

# Host bytes per character of source at the peak of compiling ordinary code
# (bench/scaling.py's generated programs and the standard library; measured
# at 29 to 37, rounded up: docs/limits.md).
SOURCE_FACTOR = 40
# Host bytes per token at the peak of compiling the densest code measured
# (`1+1+...`, `f(a,b,...)`, nested `[...]`: docs/limits.md), rounded up.
TOKEN_BYTES = 120
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
                f"its source files have {self.chars:,} characters, and at about {SOURCE_FACTOR} "
                f"bytes each the budget allows {limit:,}"))

    def charge_tokens(self, n: int, line: int, col: int) -> None:
        """`n` more tokens were parsed, the last at (line, col): OverBudget
        there if the program's tokens go past the budget; CompileTimeout
        past the deadline."""
        self.tokens += n
        self.check_time()
        if self.memory is not None:
            need = self.tokens * TOKEN_BYTES + self.chars * (SOURCE_FACTOR // 4)
            if need > self.memory:
                raise OverBudget(line, col, self._too_large(
                    f"its {self.tokens:,} tokens so far need about {_mib(need)} at {TOKEN_BYTES} "
                    f"bytes each"))

    def step(self) -> None:
        """A statement or a function is about to be checked or generated."""
        self.left -= 1
        if self.left <= 0:
            self.left = CHECK_EVERY
            self.check_time()

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise CompileTimeout(self.timeout)


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB"


__all__ = ["Budget", "CompileTimeout", "OverBudget", "SOURCE_FACTOR", "TOKEN_BYTES", "CHECK_EVERY"]
