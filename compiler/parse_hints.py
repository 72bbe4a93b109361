"""What a syntax error most likely meant, for the mistakes people bring from
other languages (Java, JavaScript, C, Python, Go).

The parser (`parser.py`) calls `hint` with the token it rejected, the
tokens just before it and a few questions about its state; each rule of
`_RULES` looks at that neighbourhood and either passes or says what to
write instead (`x++`, `and`, `elif`, `:=`, `function`, `int x = 1`, a
method without `fn`, a keyword typo...).  A hint may carry a repair (the
tokens to read in place of the rejected one, or of the one before it),
which the parser applies only when the next token then parses, so that
the rest of the file is read as written and its own mistakes are found.
Rules are tried in order; the first that speaks wins.

It decides nothing about recovery otherwise, and nothing about names or
types (`hints.py` is the checker's counterpart).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from lark import Token

from . import syntax as S
from .builder import KEYWORDS
from .suggest import nearest
from .typesys import PRIMITIVE_NAMES


@dataclass(frozen=True)
class Hint:
    line: int
    col: int
    message: str
    # Token kinds (or tokens) the parser reads instead of the rejected
    # token (() drops it); with `keep`, the rejected token is read after
    # them; with `replace_prev`, they stand for the token before it instead.
    replace: tuple | None = None
    keep: bool = False
    replace_prev: bool = False
    # Skip to the `)` that closes the rejected `(`, then resume (C's `for (...)`).
    through_parens: bool = False


@dataclass
class View:
    """The neighbourhood of a rejected token, as the rules see it."""
    tok: Token
    before: list            # the tokens before it, nearest first (at most 3)
    text: str
    accepts: Callable[[str], bool]      # would the parser take this kind here?
    stack: list             # the parser's value stack (tokens and nodes)
    peek: Callable[[int], list]         # the next n tokens after `tok`
    arrow: str              # the kind of the `->` token

    def p(self, i: int):
        """The i-th token before the rejected one (1: just before)."""
        return self.before[i - 1] if len(self.before) >= i else None

    def top(self, i: int):
        return self.stack[-i] if len(self.stack) >= i else None


# Keywords by where they start something.
_STATEMENT_KEYWORDS = ("return", "if", "else", "while", "for", "let", "var", "break", "continue",
                       "throw", "try", "catch", "finally", "import", "new", "self", "super")
_TOP_KEYWORDS = ("fn", "class", "let", "var", "import", "interface")
_FN_WORDS = frozenset({"function", "def", "func", "fun", "method", "sub", "proc", "procedure"})
_CONST_WORDS = frozenset({"const", "val", "final", "auto", "static"})
_ELIF_WORDS = frozenset({"elif", "elsif", "elseif"})
# Tokens after which a new statement or member starts.
_BOUNDARY = frozenset({"SEMI", "LBRACE", "RBRACE"})
# Tokens that can begin an expression.
_EXPR_START = frozenset({"NAME", "INT", "FLOAT", "STRING", "TRUE", "FALSE", "NULL", "SELF", "SUPER",
                         "NEW", "LPAR", "LSQB", "BANG", "MINUS", "TILDE", "FN"})
_WORD_OPERATORS = {"and": ("&&", "ANDAND"), "or": ("||", "OROR")}


def end_of(t: Token) -> tuple[int, int]:
    """The line and column just after token `t`."""
    if t.end_line is not None and t.end_column is not None:
        return t.end_line, t.end_column
    return t.line, t.column + len(t.value)


def _adjacent(a: Token, b: Token) -> bool:
    return a.end_pos is not None and a.end_pos == b.start_pos


def _same_line(a: Token | None, b: Token | None) -> bool:
    return a is not None and b is not None and end_of(a)[0] == b.line


def _is(t: Token | None, kind: str, value: str | None = None) -> bool:
    return t is not None and t.type == kind and (value is None or t.value == value)


def _starts_statement(v: View, i: int) -> bool:
    """Is the i-th token before the rejected one the first of a statement
    (or of a member, or a top-level item)?"""
    before = v.p(i + 1)
    return before is None or before.type in _BOUNDARY


def _expr_text(node, fallback: str = "x") -> str:
    return (S.short_text(node) if isinstance(node, S.Expr) else None) or fallback


# What `x++` may increment.
_TARGETS = (S.Name, S.Member, S.Index)

_NAME_AT = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")


# --- operators ------------------------------------------------------------------

def _plus_plus(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type != "PLUS":
        return None
    if _is(p1, "PLUS") and _adjacent(p1, tok):             # x++
        target, after = v.top(2), v.peek(1)
        if isinstance(target, _TARGETS) and not (after and after[0].type in _EXPR_START):
            return Hint(p1.line, p1.column, f"HL has no '++' operator: write '{_expr_text(target)} += 1'")
        return None
    if v.text.startswith("+", tok.end_pos):                 # ++x
        m = _NAME_AT.match(v.text, tok.end_pos + 1)
        target = m.group(1) if m and m.group(1) not in KEYWORDS else "x"
        return Hint(tok.line, tok.column, f"HL has no '++' operator: write '{target} += 1'")
    return None


def _minus_minus(v: View) -> Hint | None:
    p1, p2 = v.p(1), v.p(2)
    if _is(p1, "MINUS") and _is(p2, "MINUS") and _adjacent(p2, p1) and isinstance(v.top(3), _TARGETS):
        # x-- (read as x - -...)
        return Hint(p2.line, p2.column, f"HL has no '--' operator: write '{_expr_text(v.top(3))} -= 1'")
    return None


def _is_not(v: View) -> Hint | None:
    tok, p1, p2 = v.tok, v.p(1), v.p(2)
    if not (_is(p1, "NAME", "not") and _is(p2, "IS")):
        return None
    if tok.type == "NULL" or tok.value in ("None", "nil"):
        return Hint(p2.line, p2.column, "HL has no 'is not': test for a value with '!= null'")
    return Hint(p2.line, p2.column, f"HL has no 'is not': write '!(x is {tok.value})'")


def _word_operator(v: View) -> Hint | None:
    tok = v.tok
    if tok.type == "NAME" and tok.value in _WORD_OPERATORS:
        text, kind = _WORD_OPERATORS[tok.value]
        if v.accepts(kind):
            return Hint(tok.line, tok.column, f"HL writes '{tok.value}' as '{text}'", replace=(kind,))
    return None


def _word_not(v: View) -> Hint | None:
    p1 = v.p(1)
    if _is(p1, "NAME", "not") and _same_line(p1, v.tok) and v.tok.type in _EXPR_START:
        return Hint(p1.line, p1.column, "HL writes 'not' as '!'", replace=("BANG",), keep=True,
                    replace_prev=True)
    return None


def _colon_equals(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type == "COLON" and v.text.startswith("=", tok.end_pos):
        name = p1.value if _is(p1, "NAME") else "x"
        return Hint(tok.line, tok.column, f"HL has no ':=': declare with 'let {name} = ...' "
                                          f"(or 'var {name} = ...' for a variable that changes)")
    return None


def _triple_equals(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type == "EQ" and p1 is not None and p1.type in ("EQEQ", "NOTEQ") and _adjacent(p1, tok):
        return Hint(p1.line, p1.column, f"HL has no '{p1.value}=': '{p1.value}' compares values "
                                        f"(strings by their text)", replace=())
    return None


def _assignment_as_comparison(v: View) -> Hint | None:
    """`if x = 1 {` (C's slip) or `a = b = 1;` (chained assignment)."""
    tok = v.tok
    if tok.type != "EQ" or not v.accepts("EQEQ"):
        return None
    if _assigning(v.stack):
        return Hint(tok.line, tok.column, "unexpected '=': HL has no chained assignment; assign each "
                                          "variable on its own")
    return Hint(tok.line, tok.column, "'=' assigns, as a statement; to compare, write '=='",
                replace=("EQEQ",))


def _assigning(stack: list) -> bool:
    """Is the innermost statement being read an assignment or a `let`
    (an `=` since the last `{` or `;`)?"""
    for t in reversed(stack):
        if isinstance(t, Token):
            if t.type in ("EQ", "ASSIGN_OP"):
                return True
            if t.type in ("LBRACE", "SEMI"):
                return False
    return False


def _result_colon(v: View) -> Hint | None:
    tok = v.tok
    if tok.type == "COLON" and v.accepts(v.arrow):
        return Hint(tok.line, tok.column, "the result type is written after '->': 'fn f() -> int'",
                    replace=(v.arrow,))
    return None


def _block_colon(v: View) -> Hint | None:
    tok = v.tok
    if tok.type == "COLON" and v.accepts("LBRACE"):
        return Hint(tok.line, tok.column, "a block is written in braces, not after ':': "
                                          "'if x { ... }'")
    return None


# --- statements -------------------------------------------------------------------

def _elif(v: View) -> Hint | None:
    p1, p2 = v.p(1), v.p(2)
    if _is(p1, "NAME") and p1.value in _ELIF_WORDS and _is(p2, "RBRACE") and _same_line(p1, v.tok):
        return Hint(p1.line, p1.column, f"HL writes '{p1.value}' as 'else if'",
                    replace=("ELSE", "IF"), keep=True, replace_prev=True)
    return None


def _c_for(v: View) -> Hint | None:
    if v.tok.type == "LPAR" and _is(v.p(1), "FOR"):
        return Hint(v.tok.line, v.tok.column, "HL's 'for' has no parentheses: write "
                                              "'for i in 0..n { ... }' or 'for x in xs { ... }'",
                    through_parens=True)
    return None


def _catch_parens(v: View) -> Hint | None:
    if v.tok.type == "LPAR" and _is(v.p(1), "CATCH"):
        return Hint(v.tok.line, v.tok.column, "HL's 'catch' has no parentheses: write 'catch e: Error { ... }'",
                    through_parens=True)
    return None


def _import_string(v: View) -> Hint | None:
    tok = v.tok
    if tok.type == "STRING" and _is(v.p(1), "IMPORT"):
        name = tok.value.strip('"').removesuffix(".hl").replace("/", ".") or "name"
        return Hint(tok.line, tok.column, f"a module is imported by its name: 'import {name};'")
    return None


def _c_declaration(v: View) -> Hint | None:
    """`int x = 1;`, `const x = 1;`, `let mut x = 1;` inside a block, and at
    the top level (where the type's name itself is rejected); `x int`
    (Go) where a declaration wants `x: int`."""
    tok, p1, p2 = v.tok, v.p(1), v.p(2)
    if tok.type != "NAME":
        return None
    if _is(p1, "NAME", "mut") and _is(p2, "LET"):
        return Hint(p1.line, p1.column, f"a variable that changes is declared with 'var': "
                                        f"write 'var {tok.value}'")
    if _is(p1, "NAME") and _same_line(p1, tok) and v.accepts("COLON"):
        # A field, a parameter or a `let`: which word is the type?
        if _type_like(p1.value) and not _type_like(tok.value) and p2 is not None and p2.type in (
                *_BOUNDARY, "LPAR", "COMMA", "LET", "VAR"):
            what = {"LPAR": "a parameter", "COMMA": "a parameter", "LET": "a variable",
                    "VAR": "a variable"}.get(p2.type, "a field")
            return Hint(p1.line, p1.column, f"{what} is declared as '{tok.value}: {p1.value}', "
                                            f"not '{p1.value} {tok.value}'",
                        replace=(tok, Token.new_borrow_pos("COLON", ":", tok), p1), replace_prev=True)
        return Hint(tok.line, tok.column, f"a type is written after ':': '{p1.value}: {tok.value}'",
                    replace=("COLON",), keep=True)
    if _is(p1, "NAME") and _starts_statement(v, 1) and _same_line(p1, tok):
        after = v.peek(1)
        if after and after[0].type in ("EQ", "SEMI"):
            hint = _declaration(p1, tok.value)
            swap = ("LET", tok) if p1.value in _CONST_WORDS else \
                ("LET", tok, Token.new_borrow_pos("COLON", ":", tok), p1)
            return Hint(hint.line, hint.col, hint.message, replace=swap, replace_prev=True)
    if v.accepts("CLASS"):       # the top level
        after = v.peek(2)
        if len(after) == 2 and after[0].type == "NAME" and after[1].type in ("EQ", "SEMI"):
            hint = _declaration(tok, after[0].value)
            if tok.value in _CONST_WORDS:
                return Hint(hint.line, hint.col, hint.message, replace=("LET",))
            return hint
    return None


def _type_like(name: str) -> bool:
    return name in PRIMITIVE_NAMES or name[:1].isupper()


def _declaration(word: Token, name: str) -> Hint:
    if word.value in _CONST_WORDS:
        return Hint(word.line, word.column, f"HL declares a constant with 'let': write 'let {name} = ...'")
    return Hint(word.line, word.column, f"a variable is declared as 'let {name}: {word.value} = ...' "
                                        f"(or 'var'), not '{word.value} {name}'")


def _keyword_typo(v: View) -> Hint | None:
    """`retrun x;`, `whiel c {`, `clas P {`: a name where a keyword was
    meant (a statement's first word, or a top-level item's)."""
    tok, p1 = v.tok, v.p(1)
    if tok.type == "NAME" and v.accepts("CLASS"):           # the top level
        near = nearest(tok.value, _TOP_KEYWORDS)
        if near is not None:
            return Hint(tok.line, tok.column, f"unknown keyword '{tok.value}'; did you mean '{near}'?",
                        replace=(near.upper(),))
        return None
    if _is(p1, "NAME") and _starts_statement(v, 1) and _same_line(p1, tok):
        # After a member's first name a class body wants its ':'.
        near = nearest(p1.value, ("fn", "init") if v.accepts("COLON") else _STATEMENT_KEYWORDS)
        if near is not None:
            return Hint(p1.line, p1.column, f"unknown keyword '{p1.value}'; did you mean '{near}'?",
                        replace=(near.upper(),), keep=True, replace_prev=True)
    return None


def _stray_semicolon(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type == "SEMI" and _is(p1, "RBRACE"):
        return Hint(tok.line, tok.column, "unexpected ';': nothing follows the '}' of a block "
                                          "or declaration", replace=())
    if tok.type == "SEMI" and _is(p1, "SEMI"):
        return Hint(tok.line, tok.column, "unexpected ';': an empty statement", replace=())
    return None


# --- declarations -------------------------------------------------------------------

def _nested_fn(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type == "NAME" and _is(p1, "FN"):
        # `fn name` where only a function literal `fn(` can be: a
        # declaration inside a block, usually after a missing `}`.
        return Hint(p1.line, p1.column, f"a function can only be declared at the top level, not inside a "
                                        f"block (is a '}}' missing before 'fn {tok.value}'?)")
    return None


def _fn_word(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type == "NAME" and tok.value in _FN_WORDS and v.accepts("FN") and v.accepts("CLASS"):
        return Hint(tok.line, tok.column, f"HL declares functions with 'fn', not '{tok.value}'",
                    replace=("FN",))
    if _is(p1, "NAME") and p1.value in _FN_WORDS and tok.type == "NAME" and _same_line(p1, tok):
        return Hint(p1.line, p1.column, f"HL declares functions with 'fn', not '{p1.value}'",
                    replace=("FN",), keep=True, replace_prev=True)
    return None


def _missing_fn(v: View) -> Hint | None:
    """`area() -> float { ... }` in a class, `main() { ... }` at the top
    level: the `fn` is missing (or, for a constructor, it is `init`)."""
    tok, p1 = v.tok, v.p(1)
    if tok.type in ("LPAR", "LT") and _is(p1, "NAME") and v.accepts("COLON") and _starts_statement(v, 1):
        if p1.value in ("constructor", "__init__") or nearest(p1.value, ("init",)) == "init":
            return Hint(p1.line, p1.column, "a class's constructor is written 'init(...) { ... }'")
        return Hint(p1.line, p1.column, f"a method is declared with 'fn': write 'fn {p1.value}(...)'",
                    replace=("FN", p1), keep=True, replace_prev=True)
    if tok.type == "NAME" and v.accepts("CLASS"):
        after = [t.type for t in v.peek(3)]
        # `name()` then a body or `->`, or `name(a: ...`: a declaration.
        if after[:2] == ["LPAR", "RPAR"] and after[2:] in (["LBRACE"], [v.arrow]) \
                or after == ["LPAR", "NAME", "COLON"]:
            return Hint(tok.line, tok.column, f"a function is declared with 'fn': write 'fn {tok.value}(...)'",
                        replace=("FN",), keep=True)
    return None


def _parameter(v: View) -> Hint | None:
    tok, p1, p2 = v.tok, v.p(1), v.p(2)
    if tok.type == "SELF" and p1 is not None and p1.type in ("LPAR", "COMMA") and v.accepts("NAME"):
        return Hint(tok.line, tok.column, "'self' is not declared: every method has it", replace=())
    if tok.type in ("RPAR", "COMMA") and _is(p1, "NAME") and p2 is not None and p2.type in ("LPAR", "COMMA") \
            and v.accepts("COLON"):
        if p1.value == "self":      # read as a name where only a name can be
            return Hint(p1.line, p1.column, "'self' is not declared: every method has it")
        return Hint(p1.line, p1.column, f"parameter '{p1.value}' needs a type, as in '{p1.value}: int'")
    return None


def _super_call(v: View) -> Hint | None:
    tok, p1 = v.tok, v.p(1)
    if tok.type == "LPAR" and _is(p1, "SUPER"):
        return Hint(p1.line, p1.column, "the superclass's init is called as 'super.init(...)'",
                    replace=("DOT", "INIT"), keep=True)
    return None


def _initial_value(v: View) -> Hint | None:
    """`x: int = 0` as a field, `n: int = 1` as a parameter."""
    if v.tok.type != "EQ":
        return None
    for i in range(1, min(len(v.stack), 8)):
        t = v.stack[-i]
        if isinstance(t, Token) and t.type == "COLON":
            name, before = v.top(i + 1), v.top(i + 2)
            if not _is(name, "NAME"):
                return None
            if isinstance(before, Token) and before.type in ("LPAR", "COMMA"):
                return Hint(v.tok.line, v.tok.column, "unexpected '=': a parameter has no default value")
            if isinstance(before, Token) and before.type not in _BOUNDARY:
                return None
            # After the class's `{` or an earlier member.
            return Hint(v.tok.line, v.tok.column,
                        "unexpected '=': a field has no initial value here; set it in 'init'")
    return None


_RULES = (
    _nested_fn, _plus_plus, _minus_minus, _is_not, _word_operator, _word_not, _colon_equals,
    _triple_equals, _result_colon, _block_colon, _elif, _c_for, _catch_parens, _import_string, _parameter,
    _super_call, _missing_fn, _fn_word, _c_declaration, _keyword_typo, _stray_semicolon, _initial_value,
    _assignment_as_comparison,
)


def hint(view: View) -> Hint | None:
    """The first rule's hint for this rejection, or None."""
    for rule in _RULES:
        h = rule(view)
        if h is not None:
            return h
    return None


# --- lexical ----------------------------------------------------------------------

# What a character HL does not use is likely to mean.
_CHARACTERS = {
    "'": "strings are written in double quotes",
    "`": "strings are written in double quotes",
    "?": "HL has no '?' operators: use 'if'",
    "#": "a comment starts with '//'",
}


def character(ch: str) -> str:
    """The tail of "unexpected character 'c'"."""
    return f" ({_CHARACTERS[ch]})" if ch in _CHARACTERS else ""
