"""Source text → `syntax.Module`, or located diagnostics.

Owns the one Lark LALR parser of the process (built on first use from
`grammar.lark`, then shared) and the translation of Lark's exceptions into
`file:line:col` messages with readable expected-token hints.  Parsing stops
at the first syntax error; lexical problems found before it (bad escapes,
literal ranges, reserved words) are all reported.

`input_status` tells the REPL whether what has been typed so far is a
complete input, lacks only its final `;`, or needs more lines.

It does not check names or types.
"""

from __future__ import annotations

import threading
from pathlib import Path

from enum import Enum

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import syntax as S
from .builder import Builder, check_name_token, collecting
from .diagnostics import Reporter

_GRAMMAR = Path(__file__).with_name("grammar.lark")
_lock = threading.Lock()
_parser: Lark | None = None

# How terminals are named in "expected ..." hints (string terminals are shown
# as their text).
_TERMINAL_NAMES = {
    "NAME": "a name", "INT": "an integer", "FLOAT": "a float", "STRING": "a string",
    "$END": "end of file", "ASSIGN_OP": "an assignment operator",
}
_MAX_HINTS = 8


def get_parser() -> Lark:
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                _parser = Lark(
                    _GRAMMAR.read_text(encoding="utf-8"),
                    parser="lalr", lexer="contextual", maybe_placeholders=True,
                    start=["start", "repl"],
                    transformer=Builder(), lexer_callbacks={"NAME": check_name_token},
                    cache=False,
                )
    return _parser


def parse(text: str, reporter: Reporter, script: bool = False) -> S.Module | None:
    """Parse one module's text.  Problems go to `reporter`; the result is None
    after a syntax error, else the module (whose faulty literals were replaced
    by zero values, so that checking can go on).  `script` parses REPL input
    (rule `repl`: statements allowed at the top level, `$1` names)."""
    parser = get_parser()
    with collecting(script) as problems:
        try:
            module = parser.parse(text, start="repl" if script else "start")
        except UnexpectedInput as e:
            module = None
            for line, col, msg in problems:
                if (line, col) < (e.line, e.column):
                    reporter.error(line, col, msg)
            problems.clear()
            line, col, msg = _describe(e, text, parser)
            reporter.error(line, col, msg)
        except LarkError as e:          # e.g. a callback failure: a compiler bug
            raise RuntimeError(f"parser failure: {e}") from e
        for line, col, msg in problems:
            reporter.error(line, col, msg)
    return module


class InputStatus(Enum):
    COMPLETE = "complete"           # parses as it is
    NEEDS_SEMICOLON = "semicolon"   # complete once a `;` is added at the end
    INCOMPLETE = "incomplete"       # the text ends inside a construct: read more
    ERROR = "error"                 # a syntax error before the end: compile it to report it


def input_status(text: str) -> tuple[InputStatus, int]:
    """Classify REPL input (rule `repl`) and give the offset just after its
    last token (where a missing `;` belongs).

    The decision uses the LALR parser itself: the text is fed token by token,
    and at its end the parser says which terminals it would accept.  End of
    input acceptable → complete.  Else, a `;` acceptable and no `{` (so not
    `fn f()`, which may still get a body), and the end acceptable after that
    `;` (so not inside an open block) → only the `;` is missing.  Otherwise
    → incomplete (open brackets, a trailing operator, `if c`
    without its block).  An unterminated block comment is incomplete too;
    any other error is an error, whatever follows."""
    if _in_block_comment(text):
        return InputStatus.INCOMPLETE, len(text)
    parser = get_parser()
    end = 0
    with collecting(True):
        ip = parser.parse_interactive(text, start="repl")
        try:
            for tok in ip.iter_parse():
                end = tok.end_pos
        except UnexpectedInput:
            return InputStatus.ERROR, end
        accepts = ip.accepts()
        if "$END" in accepts:
            return InputStatus.COMPLETE, end
        if "SEMI" in accepts and "LBRACE" not in accepts:
            closed = ip.copy()
            closed.feed_token(Token("SEMI", ";"))
            if "$END" in closed.accepts():
                return InputStatus.NEEDS_SEMICOLON, end
    return InputStatus.INCOMPLETE, end


def _in_block_comment(text: str) -> bool:
    """Does `text` end inside a `/* ...` comment (string literals and line
    comments skipped as the lexer would)?"""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] not in '"\n':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return True
            i = j + 2
        else:
            i += 1
    return False


def _describe(e: UnexpectedInput, text: str, parser: Lark) -> tuple[int, int, str]:
    if isinstance(e, UnexpectedCharacters):
        ch = text[e.pos_in_stream] if e.pos_in_stream < len(text) else ""
        if ch == '"':
            return e.line, e.column, "unterminated string literal"
        if text.startswith("/*", e.pos_in_stream):
            return e.line, e.column, "unterminated block comment"
        if ch == "\\":
            return e.line, e.column, "unexpected '\\' outside a string literal"
        shown = repr(ch)[1:-1] if ch.isprintable() else f"\\u{{{ord(ch):x}}}"
        return e.line, e.column, f"unexpected character '{shown}'"
    if isinstance(e, UnexpectedToken):
        tok: Token = e.token
        expected = _hints(e.expected, parser)
        if tok.type == "$END":
            line, col = _end_position(text)
            return line, col, f"unexpected end of file{expected}"
        if text.startswith("/*", tok.start_pos or 0):
            return tok.line, tok.column, "unterminated block comment"
        what = _token_text(tok)
        return tok.line, tok.column, f"unexpected {what}{expected}"
    if isinstance(e, UnexpectedEOF):
        line, col = _end_position(text)
        return line, col, "unexpected end of file"
    return getattr(e, "line", 1) or 1, getattr(e, "column", 1) or 1, "syntax error"


def _token_text(tok: Token) -> str:
    if tok.type == "NAME":
        return f"name '{tok.value}'"
    if tok.type in ("INT", "FLOAT"):
        return f"number '{tok.value}'"
    if tok.type == "STRING":
        return "string literal"
    return f"'{tok.value}'"


def _hints(expected, parser: Lark) -> str:
    names = []
    for t in sorted(expected):
        if t in _TERMINAL_NAMES:
            names.append(_TERMINAL_NAMES[t])
            continue
        try:
            term = parser.get_terminal(t)
        except KeyError:
            continue
        pattern = term.pattern
        if pattern.type == "str":
            names.append(f"'{pattern.value}'")
    if {"NAME", "INT", "STRING"} <= set(expected) and "LBRACE" not in expected:
        return ", expected an expression"
    if len(names) > _MAX_HINTS and "SEMI" in expected:
        # After a complete expression: the many operators that could continue
        # it are noise; the missing ';' is the likely mistake.
        return ", expected ';'"
    if not names or len(names) > _MAX_HINTS:
        return ""
    names = sorted(set(names))
    if len(names) == 1:
        return f", expected {names[0]}"
    return ", expected one of " + ", ".join(names)


def _end_position(text: str) -> tuple[int, int]:
    """Position just after the last non-blank character."""
    stripped = text.rstrip()
    line = stripped.count("\n") + 1
    col = len(stripped) - (stripped.rfind("\n") + 1) + 1
    return line, col
