"""Source text → `syntax.Module`, or located diagnostics.

Owns the one Lark LALR parser of the process (built on first use from
`grammar.lark`, then shared) and the translation of Lark's exceptions into
`file:line:col` messages with readable expected-token hints, and the
recovery from syntax errors: after an error the parser either inserts a
missing `;` or skips tokens to a synchronisation point (past the next `;`, or
before a `}`, `fn`, `class`, `interface` or `import`, braces skipped as pairs) and resumes
in the innermost enclosing statement, member or item list that accepts what
follows, so every independent syntax error of a file is reported (the `;`
insertion only when the next tokens then parse).  Errors within three tokens
of a skip are taken as its cascade and not reported.  Lexical problems (bad
escapes, literal ranges, reserved words) are all reported.

`input_status` tells the REPL whether what has been typed so far is a
complete input, lacks only its final `;`, or needs more lines.

As javac does, a `>>`, `>=` or `>>=` that the parser cannot take where a
`>` would close type arguments (`Box<Box<int>>`) is split into `>` and the
rest (`_split_closer`).

It does not check names or types.
"""

from __future__ import annotations

import re
import threading
from copy import copy
from pathlib import Path

from enum import Enum

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import CallChain, UnlessCallback
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
from lark.visitors import _vargs_inline
from lark.parsers.lalr_analysis import Shift

from . import parse_hints
from . import syntax as S
from .budget import CHECK_EVERY, Budget
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


class _Tables:
    """The parser's LALR table and contextual lexers in the form the main
    loop reads fastest, built once per parser.  `actions[state][terminal]`
    is the next state (an int) for a shift, or `(size, callback, rule name)`
    for a reduction, whose callback is None where it would return its one
    child unchanged (`?rule: other`, most of the expression levels: Lark's
    `ExpandSingleChild` alone); `lexers[state]` is `(regexes, ignored, callbacks,
    newline terminals)` of the lexer Lark uses in that state.  The loop
    does exactly what Lark's `feed_token` and `BasicLexer.next_token` do,
    without their per-token attribute and rule-object lookups (about half
    of the parse time), and leaves every error to Lark's own code."""

    def __init__(self, parser: Lark, conf) -> None:
        callbacks = conf.callbacks
        # Names as plain `str`: Lark's are `Token`s, whose `__eq__` every
        # lookup by a `str` would call.
        def reduction(rule):
            callback = callbacks[rule]
            if len(rule.expansion) == 1 and type(callback) is ExpandSingleChild:
                callback = None
            else:
                callback = _direct(callback)
            return len(rule.expansion), callback, str(rule.origin.name)
        self.actions = {
            state: {str(kind): arg if what is Shift else reduction(arg) for kind, (what, arg) in row.items()}
            for state, row in conf.states.items()}
        # Lark calls a transformer method named after a terminal on every
        # shifted token of it; the Builder has none, and the fast loop relies on that.
        if any(isinstance(k, str) for k in callbacks):
            raise RuntimeError("the builder must not transform terminals")
        self.lexers = {}
        for state, lexer in parser.parser.lexer.lexers.items():
            scanner = lexer.scanner             # builds `lexer.callback` too
            callbacks = {kind: _keywords_by_lookup(cb) for kind, cb in lexer.callback.items()}
            self.lexers[state] = (tuple(scanner._mres), lexer.ignore_types, callbacks,
                                  lexer.newline_types)
            if "WS" not in lexer.ignore_types or "WS" in lexer.callback:
                raise RuntimeError("blanks must be ignored, without a callback, in every state")
        # Blanks are skipped before the state's terminals are tried: no other
        # terminal begins with one, so Lark's lexer would match exactly this
        # `WS` there, and ignore it.
        self.blank = re.compile(parser.get_terminal("WS").pattern.to_regexp()).match
        # The text of each fixed token, for the tokens a repair reads
        # (parse_hints.py), and the anonymous kind of `->`.
        self.texts = {t.name: t.pattern.value for t in parser.terminals if t.pattern.type == "str"}
        self.arrow = next(kind for kind, text in self.texts.items() if text == "->")


def _direct(callback):
    """A rule's callback that does what Lark's does, in one call instead of
    four: Lark wraps the builder's method (`v_args(inline=True)`) in a
    visit wrapper, maybe in `ExpandSingleChild` (a `?rule` with one child
    gives that child), maybe in a child filter (anonymous tokens dropped,
    None for each missing `[optional]`).  Any other shape (a child to
    expand, no builder method: a parse-tree node) keeps Lark's callback."""
    f, template = callback, None
    if type(f) in (ChildFilterLALR, ChildFilterLALR_NoPlaceholders):
        template = []
        for entry in f.to_include:
            i, to_expand, add_none = entry if len(entry) == 3 else (*entry, 0)
            if to_expand:
                return callback
            template += [None] * add_none + [i]
        template += [None] * getattr(f, "append_none", 0)
        f = f.node_builder
    expand1 = type(f) is ExpandSingleChild
    if expand1:
        f = f.node_builder
    if getattr(f, "visit_wrapper", None) is not _vargs_inline:
        return callback
    build = f.base_func

    def direct(children):
        if template is not None:
            children = [None if i is None else children[i] for i in template]
        if expand1 and len(children) == 1:
            return children[0]
        return build(*children)
    return direct


def _keywords_by_lookup(callback):
    """A lexer callback that does what `callback` does, with Lark's keyword
    check (`UnlessCallback`: a NAME whose text is a keyword of the state
    takes the keyword's type; a regular expression of all the keywords,
    matched against every name) made a dict lookup.  Any other callback is
    kept as it is."""
    unless, then = callback, None
    if isinstance(callback, CallChain):
        # Lark chains a user callback after the check, for a token whose
        # type the check left as it was.
        unless, then = callback.callback1, callback.callback2
    if not isinstance(unless, UnlessCallback) or unless.scanner.g_regex_flags or any(
            t.pattern.type != "str" or t.pattern.flags for t in unless.scanner.terminals):
        return callback
    keywords = {t.pattern.value: t.name for t in unless.scanner.terminals}

    def check(tok: Token) -> Token:
        kind = keywords.get(tok.value)
        if kind is not None:
            tok.type = kind
            return tok
        return then(tok) if then is not None else tok
    return check


_tables: _Tables | None = None


def _tables_of(parser: Lark, conf) -> _Tables:
    global _tables
    if _tables is None:
        with _lock:
            if _tables is None:
                _tables = _Tables(parser, conf)
    return _tables


def parse(text: str, reporter: Reporter, script: bool = False,
          budget: Budget | None = None) -> S.Module | None:
    """Parse one module's text.  Problems go to `reporter`; the result is None
    after a syntax error (every syntax error of the text is reported), else
    the module (whose faulty literals were replaced by zero values, so that
    checking can go on).  `script` parses REPL input (rule `repl`:
    statements allowed at the top level, `$1` names).  `budget` is charged
    for the tokens read (budget.py): OverBudget, CompileTimeout."""
    parser = get_parser()
    with collecting(script) as problems:
        try:
            module, errors = _Recovering(parser, text, script, budget).run()
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


# What a `;` ends, by the grammar rule it completes ("expected ';' after ...").
_ENDINGS = {"import_decl": "the import", "field_decl": "the field", "no_body": "the method's signature"}
# Tokens before which the parser resynchronises after a syntax error.
_SYNC_BEFORE = frozenset({"RBRACE", "FN", "CLASS", "INTERFACE", "IMPORT"})
# After an error, this many tokens must be accepted before another error is
# reported (a closer one is usually a consequence of the first), unless the
# first was repaired by inserting a `;`.
_QUIET_TOKENS = 3


class _Recovering:
    """One parse with error recovery.  `run` returns the result (meaningless
    once an error was found) and the errors as `(line, col, message)`; a
    suppressed cascade error has the message ""."""

    def __init__(self, parser: Lark, text: str, script: bool, budget: Budget | None = None):
        self.parser, self.text, self.script = parser, text, script
        self.budget = budget
        self.ip = parser.parse_interactive(text, start="repl" if script else "start")
        self.state = self.ip.parser_state
        self.lexer_state = self.ip.lexer_thread.state
        self.root_lexer = parser.parser.lexer.root_lexer
        self.table = self.state.parse_conf.states
        self.end_state = self.state.parse_conf.end_state
        self.fast = _tables_of(parser, self.state.parse_conf)
        self.errors: list[tuple[int, int, str]] = []
        self.quiet = 0
        self.tokens = None              # the contextual lexer's token stream
        self.recent: list[Token] = []   # the last tokens read, the newest last (parse_hints)
        self.pending: list[Token] = []  # the rest of a split `>>` (see _split_closer)

    # --- the main loop -------------------------------------------------------

    def run(self):
        actions = self.fast.actions
        state_stack, value_stack = self.state.state_stack, self.state.value_stack
        budget = self.budget
        left = CHECK_EVERY
        while True:
            if self.pending:
                tok = self.pending.pop()
                self._saw(tok)
            else:
                tok = self._next(contextual=True)
            if tok is None:             # an unrecoverable lexical error
                return None, self.errors
            if tok.type in _CLOSERS:
                tok = self._split(tok)
            left -= 1
            if not left and budget is not None:
                left = CHECK_EVERY
                budget.charge_tokens(CHECK_EVERY, tok.line, tok.column)
            kind = tok.type
            if kind == "$END":
                try:
                    return self.state.feed_token(tok, True), self.errors
                except UnexpectedToken as e:
                    if self.errors:     # an unclosed block is usually the recovery's doing
                        self.quiet = _QUIET_TOKENS
                    self._error(e)
                    return None, self.errors
            # Lark's `feed_token(tok)`: reduce while the table says so, then shift.
            while True:
                act = actions[state_stack[-1]].get(kind)
                if act is None:
                    break
                if act.__class__ is int:
                    state_stack.append(act)
                    value_stack.append(tok)
                    break
                size, callback, origin = act
                if callback is None:    # the one child is the value
                    state_stack[-1] = actions[state_stack[-2]][origin]
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                value_stack.append(callback(children))
                state_stack.append(actions[state_stack[-1]][origin])
            if act is None:
                if not self._reject(tok):
                    return None, self.errors
                continue
            if self.quiet:
                self.quiet = max(self.quiet - 1, 0)

    def _split(self, tok: Token) -> Token:
        parts = _split_closer(tok, lambda kind: self._accepts(self.state.state_stack, kind))
        if parts is None:
            return tok
        self.pending.append(parts[1])
        if self.recent and self.recent[-1] is tok:
            self.recent[-1] = parts[0]
        return parts[0]

    def _rejected(self, tok: Token) -> UnexpectedToken:
        """The exception Lark's `feed_token` raises for a token the current
        state has no action for."""
        expected = {s for s in self.table[self.state.state_stack[-1]] if s.isupper()}
        return UnexpectedToken(tok, expected, state=self.state, interactive_parser=None)

    def _lex(self):
        """The tokens of Lark's contextual lexer (`ContextualLexer.lex` with
        `BasicLexer.next_token` inlined: the lexer of the parser's current
        state, ignored terminals skipped, lexer callbacks applied, lines and
        columns counted as Lark's `LineCounter` does).  Where no terminal of
        the state matches, Lark's own lexer is asked again, and raises what
        it raises there."""
        lexers = self.fast.lexers
        lexer_state = self.lexer_state
        line_ctr = lexer_state.line_ctr
        text, end = lexer_state.text.text, lexer_state.text.end
        stack = self.state.state_stack
        new_token = Token._future_new
        blank = self.fast.blank
        while True:
            mres, ignored, callbacks, newline_types = lexers[stack[-1]]
            while True:
                pos = line_ctr.char_pos
                m = blank(text, pos, end)
                if m:
                    value = m.group(0)
                    newlines = value.count("\n")
                    if newlines:
                        line_ctr.line += newlines
                        line_ctr.line_start_pos = pos + value.rindex("\n") + 1
                    pos = line_ctr.char_pos = m.end()
                    line_ctr.column = pos - line_ctr.line_start_pos + 1
                if pos >= end:
                    return
                for mre in mres:
                    m = mre.match(text, pos, end)
                    if m:
                        break
                else:
                    next(self.ip.lexer_thread.lexer.lex(lexer_state, self.state))
                    raise RuntimeError(f"the lexers disagree at offset {pos}")
                value, kind = m.group(0), m.lastgroup
                skip = kind in ignored
                tok = None
                if not skip or kind in callbacks:
                    tok = new_token(kind, value, pos, line_ctr.line, line_ctr.column)
                if kind in newline_types:
                    newlines = value.count("\n")
                    if newlines:
                        line_ctr.line += newlines
                        line_ctr.line_start_pos = pos + value.rindex("\n") + 1
                line_ctr.char_pos = pos + len(value)
                line_ctr.column = line_ctr.char_pos - line_ctr.line_start_pos + 1
                if tok is not None:
                    tok.end_line, tok.end_column, tok.end_pos = line_ctr.line, line_ctr.column, line_ctr.char_pos
                    if kind in callbacks:
                        tok = callbacks[kind](tok)
                    if not skip:
                        lexer_state.last_token = tok
                        break
            yield tok

    def _next(self, contextual: bool) -> Token | None:
        """The next token; lexical errors are reported and skipped (an
        unterminated string becomes an empty one).  None: stop parsing."""
        while True:
            try:
                if contextual:
                    if self.tokens is None:
                        self.tokens = self._lex()
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
                    tok = Token("STRING", '""', pos, line, col, line, col + eol - pos, eol)
                    self._saw(tok)
                    return tok
                self.lexer_state.line_ctr.feed(self.text[pos:pos + 1])
                continue
            if tok.type == "SLASH" and self.text.startswith("/*", tok.start_pos or 0):
                # The end of the parse, so never a cascade: always reported.
                self.quiet = 0
                self._report(tok.line, tok.column, "unterminated block comment")
                return None
            self._saw(tok)
            return tok

    def _saw(self, tok: Token) -> None:
        recent = self.recent
        recent.append(tok)
        if len(recent) > 64:            # trimmed now and then: the hints look back 4 tokens
            del recent[:-4]

    # --- errors and recovery ---------------------------------------------------

    def _error(self, e: UnexpectedToken) -> None:
        line, col, msg = _describe(e, self.text, self.parser)
        self._report(line, col, msg)

    def _report(self, line: int, col: int, msg: str) -> None:
        self.errors.append((line, col, "" if self.quiet else msg))
        self.quiet = _QUIET_TOKENS

    def _reject(self, tok: Token) -> bool:
        """Report why the parser cannot take `tok`, and make it accept what
        follows: a hint's repair (parse_hints.py), else a missing `;`
        inserted, else tokens skipped to a synchronisation point.  False:
        the end of the text was reached."""
        stack = self.state.state_stack
        found = parse_hints.hint(parse_hints.View(
            tok, self.recent[-2::-1][:3], self.text, lambda kind: self._accepts(stack, kind),
            self.state.value_stack, self._peek_tokens, self.fast.arrow))
        if found is not None:
            self._report(found.line, found.col, found.message)
            # The hint is the evidence: only the next token must fit (the
            # one after may hold the next mistake).
            if found.replace is not None and self._repair(tok, found.replace, found.keep, found.replace_prev,
                                                          lookahead=1):
                return True
            if found.through_parens:
                return self._through_parens()
            return self._skip(tok)
        last = self.recent[-2] if len(self.recent) > 1 else None
        if tok.type != "$END" and last is not None and self._accepts(stack, "SEMI"):
            end_line, end_col = parse_hints.end_of(last)
            # On the next line, the `;` is surely what is missing, whatever
            # the rest of that line holds (it gets its own errors); on the
            # same line, only when what follows then parses.
            newline = tok.line > end_line
            if newline or tok.type == "RBRACE" or self._parses(["SEMI", tok.type, *self._peek(2)]):
                # Reported where it is missing: just after the statement.
                self._report(end_line, end_col, f"expected ';' after {self._ending(tok)}")
                if self._repair(tok, ("SEMI",), keep=True, lookahead=0 if newline else 2):
                    return True
                return self._skip(tok)
        self._error(self._rejected(tok))
        return self._skip(tok)

    def _repair(self, tok: Token, replace: tuple, keep: bool, prev: bool = False, lookahead: int = 2) -> bool:
        """Read `replace` (token kinds, or tokens) in place of `tok` (with
        `prev`, in place of the token before it, which the parser has just
        shifted), then `tok` itself with `keep` — when they and the next
        `lookahead` tokens then parse; what follows is parsed as written."""
        seq = [t if isinstance(t, Token) else Token.new_borrow_pos(t, self.fast.texts.get(t, ""), tok)
               for t in replace] + ([tok] if keep else [])
        stack = list(self.state.state_stack)
        if prev:
            before = self.recent[-2] if len(self.recent) > 1 else None
            if before is None or not self.state.value_stack or self.state.value_stack[-1] is not before:
                return False
            stack.pop()
        if not all(self._simulate(stack, k) for k in [t.type for t in seq] + self._peek(lookahead)):
            return False
        if prev:
            self.state.state_stack.pop()
            self.state.value_stack.pop()
        for t in seq:
            self.state.feed_token(t)
        self.recent[-2 if prev else -1:] = seq
        self.quiet = 0
        return True

    def _parses(self, kinds: list[str]) -> bool:
        """Would the parser take these token kinds, one after the other?"""
        after = list(self.state.state_stack)
        return all(self._simulate(after, kind) for kind in kinds)

    def _ending(self, tok: Token) -> str:
        """What a `;` inserted before `tok` would end: the grammar rule it
        completes, as words ("the statement", "the import")."""
        rule = self._completed(["SEMI", tok.type])
        if rule == "var_decl" and not any(isinstance(v, Token) and v.type == "LBRACE"
                                          for v in self.state.value_stack):
            return "the declaration"
        return _ENDINGS.get(rule, "the statement")

    def _completed(self, kinds: list[str]) -> str | None:
        """The first rule that reading `kinds` would reduce and that ends
        with the first of them, by its name (or alias)."""
        stack = list(self.state.state_stack)
        first = kinds[0]
        for kind in kinds:
            while True:
                action = self.table[stack[-1]].get(kind)
                if action is None:
                    return None
                what, arg = action
                if what is Shift:
                    stack.append(arg)
                    break
                if arg.expansion and arg.expansion[-1].name == first:
                    return str(arg.alias or arg.origin.name)
                size = len(arg.expansion)
                if size:
                    del stack[-size:]
                stack.append(self.table[stack[-1]][arg.origin.name][1])
        return None

    def _through_parens(self) -> bool:
        """Skip past the `)` closing the `(` just rejected, then resume at
        the statement level with the token after it."""
        depth = 1
        while depth:
            tok = self._next(contextual=False)
            if tok is None or tok.type == "$END":
                return False
            depth += {"LPAR": 1, "RPAR": -1}.get(tok.type, 0)
        tok = self._next(contextual=False)
        if tok is None or tok.type == "$END":
            return False
        return self._resume(tok) or self._skip(tok)

    def _skip(self, tok: Token) -> bool:
        """Skip tokens from `tok` to a synchronisation point and resume
        there: before a `}`, `fn name`, `class`, `interface` or `import`, or
        at the token after a `;` or after the `}` closing a skipped block.
        A statement that starts a new line there is a fresh start, whose
        errors are no cascade of this one."""
        depth = 0
        while True:
            kind = tok.type
            if kind == "$END":
                return False
            if depth == 0 and kind in _SYNC_BEFORE and self._sync_point(tok) and self._resume(tok):
                return True
            closed = False                  # the `}` of a skipped block
            if kind == "LBRACE":
                depth += 1
            elif kind == "RBRACE" and depth:
                depth -= 1
                closed = depth == 0
            if kind == "SEMI" and depth == 0 or closed:
                fresh = self._ends_line(tok)
                quiet, errors = self.quiet, len(self.errors)
                if fresh:
                    self.quiet = 0          # a lexical error on the next line is its own
                tok = self._next(contextual=False)
                if tok is None:
                    return False
                if tok.type in _SYNC_BEFORE or tok.type == "$END":
                    continue                # a fresh start too, if it begins the line
                if self._resume(tok):
                    if fresh and len(self.errors) == errors:
                        self.quiet = 0
                    return True
                if len(self.errors) == errors:
                    self.quiet = quiet      # still skipping: still the same mistake
                continue
            tok = self._next(contextual=False)
            if tok is None:
                return False

    def _sync_point(self, tok: Token) -> bool:
        """`fn` starts a declaration only when a name follows: `fn(` is a
        function literal in the middle of what is being skipped."""
        return tok.type != "FN" or self._peek(1) == ["NAME"]

    def _ends_line(self, tok: Token) -> bool:
        """Is `tok` the last token of its line (a comment may follow)?"""
        end = tok.end_pos if tok.end_pos is not None else (tok.start_pos or 0) + len(tok.value)
        eol = self.text.find("\n", end)
        rest = self.text[end:eol if eol >= 0 else len(self.text)].strip()
        return not rest or rest.startswith("//")

    def _peek(self, n: int) -> list[str]:
        """The types of the next `n` tokens (fewer at the end or at a lexical
        error), lexed without consuming them."""
        return [t.type for t in self._peek_tokens(n)]

    def _peek_tokens(self, n: int) -> list[Token]:
        state = copy(self.lexer_state)
        toks = []
        with collecting(self.script):       # problems of these tokens are found when they are read
            try:
                while len(toks) < n:
                    toks.append(self.root_lexer.next_token(state, self.state))
            except EOFError:
                toks.append(Token("$END", ""))
            except UnexpectedCharacters:
                pass
        return toks

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
                self.quiet = max(self.quiet - 1, 0)
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


# Tokens that begin with the `>` closing type arguments (`Box<Box<int>>`):
# the text of each and the token its rest is.
_CLOSERS = {"SHR": "GT", "GE": "EQ", "ASSIGN_OP": "GE"}


def _split_closer(tok: Token, accepts) -> tuple[Token, Token] | None:
    """`tok` as `>` and the rest, when the parser (`accepts(kind)`) cannot
    take `tok` but can take a `>`; else None."""
    if tok.type == "ASSIGN_OP" and tok.value != ">>=":
        return None
    if accepts(tok.type) or not accepts("GT"):
        return None
    rest_kind = _CLOSERS[tok.type]
    first = Token("GT", ">", tok.start_pos, tok.line, tok.column, tok.line, tok.column + 1,
                  (tok.start_pos or 0) + 1)
    rest = Token(rest_kind, tok.value[1:], (tok.start_pos or 0) + 1, tok.line, tok.column + 1,
                 tok.end_line, tok.end_column, tok.end_pos)
    return first, rest


def _accepts_in(states, stack: list, kind: str) -> bool:
    """Would the LALR automaton (`states`, Lark's parse table) take one token
    of type `kind` with `stack` as its state stack (which is not changed)?"""
    stack = list(stack)
    while True:
        action = states[stack[-1]].get(kind)
        if action is None:
            return False
        what, arg = action
        if what is Shift:
            return True
        size = len(arg.expansion)
        if size:
            del stack[-size:]
        stack.append(states[stack[-1]][arg.origin.name][1])


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
        state = ip.parser_state
        states = state.parse_conf.states
        try:
            for tok in ip.lexer_thread.lex(state):
                end = tok.end_pos
                parts = None
                if tok.type in _CLOSERS:
                    parts = _split_closer(tok, lambda kind: _accepts_in(states, state.state_stack, kind))
                for part in parts or (tok,):
                    state.feed_token(part)
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
        quoted = f'"{shown}"' if ch == "'" else f"'{shown}'"
        return e.line, e.column, f"unexpected character {quoted}{parse_hints.character(ch)}"
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
