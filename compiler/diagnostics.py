"""Compile-time diagnostics: the one exception of the compiler, and its format.

`Reporter` collects the errors of one source file (up to `MAX_ERRORS`) while
a phase keeps going; `CompileError` carries every `Diagnostic` of a failed
compilation and renders them as language.md A11 prescribes:

    file.hl:LINE:COL: error: message
        <the source line>
        <a caret under the column>

This module does not decide what is an error; the phases do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

MAX_ERRORS = 50     # per file; later errors are usually cascades anyway


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    message: str
    source_line: str = ""

    def format(self) -> str:
        head = f"{self.file}:{self.line}:{self.col}: error: {self.message}"
        if not self.source_line:
            return head
        # Keep tabs in the caret's indentation so the caret lines up with the
        # column whatever the terminal's tab width is.
        prefix = "".join(c if c == "\t" else " " for c in self.source_line[:max(self.col - 1, 0)])
        return f"{head}\n    {self.source_line}\n    {prefix}^"


class CompileError(Exception):
    """A program that does not compile: every diagnostic found, in order."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class Reporter:
    """Collects the diagnostics of one source file."""

    def __init__(self, file: str, text: str = ""):
        self.file = file
        # Lines as the lexer counts them: split on "\n" only.
        self.lines = [ln.rstrip("\r") for ln in text.split("\n")] if text else []
        self.diagnostics: list[Diagnostic] = []
        self.truncated = False
        self._at: set[tuple[int, int]] = set()     # positions already reported

    def error(self, line: int, col: int, message: str, hint: Callable[[], str] | None = None) -> None:
        """Report `message` at a position; `hint()`, called only when the
        message is kept, gives its tail (a "did you mean", which searches
        the names in scope: not worth it past the limit)."""
        if (line, col) in self._at:
            # A second complaint about the same token is a consequence of
            # the first (a reserved word the parser took as a name, then
            # found unknown): one mistake, one message.
            return
        self._at.add((line, col))
        if len(self.diagnostics) >= MAX_ERRORS:
            self.truncated = True
            return
        if hint is not None:
            message += hint()
        src = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.diagnostics.append(Diagnostic(self.file, line, col, message, src))

    def at(self, node, message: str, hint: Callable[[], str] | None = None) -> None:
        self.error(node.line, node.col, message, hint)

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        out = sorted(self.diagnostics, key=lambda d: (d.line, d.col))
        if self.truncated:
            last = out[-1]
            out.append(Diagnostic(self.file, last.line, last.col,
                                  f"too many errors; stopped after {MAX_ERRORS}", last.source_line))
        return out
