"""Source text → `syntax.Module`, or located diagnostics.

Owns the one Lark LALR parser of the process (built on first use from
`grammar.lark`, then shared) and the translation of Lark's exceptions into
`file:line:col` messages with readable expected-token hints, and the
recovery from syntax errors: after an error the parser either inserts a
missing `;` or skips tokens to a synchronisation point (past the next `;`, or
before a `}`, `fn`, `class` or `import`, braces skipped as pairs) and resumes
in the innermost enclosing statement, member or item list that accepts what
follows, so every independent syntax error of a file is reported (the `;`
insertion only when the next tokens then parse).  Errors within three tokens
of a skip are taken as its cascade and not reported.  Lexical problems (bad
escapes, literal ranges, reserved words) are all reported.

`input_status` tells the REPL whether what has been typed so far is a
complete input, lacks only its final `;`, or needs more lines.

It does not check names or types.
"""

from __future__ import annotations

import threading
from copy import copy
from pathlib import Path

from enum import Enum

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift

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
    after a syntax error (every syntax error of the text is reported), else
    the module (whose faulty literals were replaced by zero values, so that
    checking can go on).  `script` parses REPL input (rule `repl`:
    statements allowed at the top level, `$1` names)."""
    parser = get_parser()
    with collecting(script) as problems:
        try:
            module, errors = _Recovering(parser, text, script).run()
        except UnexpectedInput as e:    # not expected: recovery handles every syntax error
            module, errors = None, [_describe(e, text, parser)]
        except LarkError as e:          # e.g. a callback failure: a compiler bug
            raise RuntimeError(f"parser failure: {e}") from e
        at_errors = {(line, col) for line, col, _ in errors}
        for line, col, msg in problems:
            if (line, col) not in at_errors:
                reporter.error(line, col, msg)
        for line, col, msg in errors:
            if msg:
                reporter.error(line, col, msg)
    return module if not errors else None


# Tokens before which the parser resynchronises after a syntax error.
_SYNC_BEFORE = frozenset({"RBRACE", "FN", "CLASS", "IMPORT"})
# After an error, this many tokens must be accepted before another error is
# reported (a closer one is usually a consequence of the first), unless the
# first was repaired by inserting a `;`.
_QUIET_TOKENS = 3


class _Recovering:
    """One parse with error recovery.  `run` returns the result (meaningless
    once an error was found) and the errors as `(line, col, message)`; a
    suppressed cascade error has the message ""."""

    def __init__(self, parser: Lark, text: str, script: bool):
        self.parser, self.text, self.script = parser, text, script
        self.ip = parser.parse_interactive(text, start="repl" if script else "start")
        self.state = self.ip.parser_state
        self.lexer_state = self.ip.lexer_thread.state
        self.root_lexer = parser.parser.lexer.root_lexer
        self.table = self.state.parse_conf.states
        self.end_state = self.state.parse_conf.end_state
        self.errors: list[tuple[int, int, str]] = []
        self.quiet = 0
        self.tokens = None              # the contextual lexer's token stream
        self.last: Token | None = None

    # --- the main loop -------------------------------------------------------

    def run(self):
        while True:
            tok = self._next(contextual=True)
            if tok is None:             # an unrecoverable lexical error
                return None, self.errors
            if tok.type == "$END":
                try:
                    return self.state.feed_token(tok, True), self.errors
                except UnexpectedToken as e:
                    if self.errors:     # an unclosed block is usually the recovery's doing
                        self.quiet = _QUIET_TOKENS
                    self._error(e)
                    return None, self.errors
            try:
                self.state.feed_token(tok)
            except UnexpectedToken as e:
                self._error(e)
                if not self._recover(tok):
                    return None, self.errors
                continue
            self.quiet = max(self.quiet - 1, 0)

    def _next(self, contextual: bool) -> Token | None:
        """The next token; lexical errors are reported and skipped (an
        unterminated string becomes an empty one).  None: stop parsing."""
        while True:
            try:
                if contextual:
                    if self.tokens is None:
                        self.tokens = self.ip.lexer_thread.lex(self.state)
                    tok = next(self.tokens)
                else:
                    self.tokens = None
                    tok = self.root_lexer.next_token(self.lexer_state, self.state)
            except (StopIteration, EOFError):
                self.tokens = None
                line, col = _end_position(self.text)
                return Token("$END", "", len(self.text), line, col)
            except UnexpectedToken as e:        # a token this context does not accept
                self.tokens = None
                tok = e.token
            except UnexpectedCharacters as e:
                self.tokens = None
                pos = self.lexer_state.line_ctr.char_pos
                line, col, msg = _describe(e, self.text, self.parser)
                self._report(line, col, msg)
                if self.text.startswith("/*", pos):
                    return None
                if self.text[pos] == '"':       # unterminated string: up to the line's end
                    eol = self.text.find("\n", pos)
                    eol = len(self.text) if eol < 0 else eol
                    self.lexer_state.line_ctr.feed(self.text[pos:eol])
                    return Token("STRING", '""', pos, line, col)
                self.lexer_state.line_ctr.feed(self.text[pos:pos + 1])
                continue
            if tok.type == "SLASH" and self.text.startswith("/*", tok.start_pos or 0):
                # The end of the parse, so never a cascade: always reported.
                self.quiet = 0
                self._report(tok.line, tok.column, "unterminated block comment")
                return None
            self.last = tok
            return tok

    # --- errors and recovery ---------------------------------------------------

    def _error(self, e: UnexpectedToken) -> None:
        line, col, msg = _describe(e, self.text, self.parser)
        self._report(line, col, msg)

    def _report(self, line: int, col: int, msg: str) -> None:
        self.errors.append((line, col, "" if self.quiet else msg))
        self.quiet = _QUIET_TOKENS

    def _recover(self, tok: Token) -> bool:
        """Make the parser accept what follows `tok`, which it rejected.
        False: the end of the text was reached."""
        stack = self.state.state_stack
        if tok.type != "$END" and self._accepts(stack, "SEMI"):
            after = list(stack)
            if all(self._simulate(after, kind) for kind in ("SEMI", tok.type, *self._peek(2))):
                # only a ';' is missing
                self.state.feed_token(Token.new_borrow_pos("SEMI", ";", tok))
                self.state.feed_token(tok)
                self.quiet = 0          # a sure repair: what follows is parsed as written
                return True
        depth = 0
        while True:
            kind = tok.type
            if kind == "$END":
                return False
            if depth == 0 and kind in _SYNC_BEFORE and self._resume(tok):
                return True
            if kind == "LBRACE":
                depth += 1
            elif kind == "RBRACE" and depth:
                depth -= 1
            elif kind == "SEMI" and depth == 0:
                tok = self._next(contextual=False)
                if tok is None:
                    return False
                if tok.type not in _SYNC_BEFORE and tok.type != "$END" and self._resume(tok):
                    return True
                continue
            tok = self._next(contextual=False)
            if tok is None:
                return False

    def _peek(self, n: int) -> list[str]:
        """The types of the next `n` tokens (fewer at the end or at a lexical
        error), lexed without consuming them."""
        state = copy(self.lexer_state)
        kinds = []
        with collecting(self.script):       # problems of these tokens are found when they are read
            try:
                while len(kinds) < n:
                    kinds.append(self.root_lexer.next_token(state, self.state).type)
            except EOFError:
                kinds.append("$END")
            except UnexpectedCharacters:
                pass
        return kinds

    def _resume(self, tok: Token) -> bool:
        """Pop the parser's stack to the innermost statement, member or item
        list that accepts `tok`, and feed it there."""
        stack = self.state.state_stack
        for k in range(len(stack), 0, -1):
            part = stack[:k]
            if (self._accepts(part, "RBRACE") or self._accepts(part, "$END")) \
                    and self._accepts(part, tok.type):
                del stack[k:]
                del self.state.value_stack[k - 1:]
                self.state.feed_token(tok)
                self.quiet -= 1
                return True
        return False

    def _accepts(self, stack: list, kind: str) -> bool:
        return self._simulate(list(stack), kind)

    def _simulate(self, stack: list, kind: str) -> bool:
        """Run the LALR automaton on `stack` (modified) for one token of type
        `kind`, without building anything: is it accepted?"""
        while True:
            action = self.table[stack[-1]].get(kind)
            if action is None:
                return False
            what, arg = action
            if what is Shift:
                stack.append(arg)
                return True
            size = len(arg.expansion)
            if size:
                del stack[-size:]
            stack.append(self.table[stack[-1]][arg.origin.name][1])
            if kind == "$END" and stack[-1] == self.end_state:
                return True


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
