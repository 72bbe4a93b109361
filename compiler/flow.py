"""Which statements can complete normally (language.md A4, "missing return").

A statement that cannot complete normally is: `return`, `throw`, a block
whose last statement cannot, an `if` with `else` whose branches both cannot,
a `while true` (the literal) with no `break` out of it, and a `try` whose
body and every `catch` cannot, or whose `finally` cannot.  No other constant
is evaluated.  This module only answers that question.
"""

from __future__ import annotations

from . import syntax as S


def can_complete(s: S.Stmt | None) -> bool:
    if s is None:
        return True
    if isinstance(s, (S.Return, S.Throw)):
        return False
    if isinstance(s, S.Block):
        return not s.stmts or can_complete(s.stmts[-1])
    if isinstance(s, S.If):
        return s.else_ is None or can_complete(s.then) or can_complete(s.else_)
    if isinstance(s, S.While):
        return not (isinstance(s.cond, S.BoolLit) and s.cond.value) or _breaks_out(s.body)
    if isinstance(s, S.Try):
        if s.finally_ is not None and not can_complete(s.finally_):
            return False
        return can_complete(s.body) or any(can_complete(c.body) for c in s.catches)
    return True


def _breaks_out(s: S.Stmt | None) -> bool:
    """Does `s` contain a `break` that leaves the loop whose body it is?"""
    if s is None:
        return False
    if isinstance(s, S.Break):
        return True
    if isinstance(s, S.Block):
        return any(_breaks_out(x) for x in s.stmts)
    if isinstance(s, S.If):
        return _breaks_out(s.then) or _breaks_out(s.else_)
    if isinstance(s, S.Try):
        return (_breaks_out(s.body) or any(_breaks_out(c.body) for c in s.catches)
                or _breaks_out(s.finally_))
    # Nested loops own their breaks; other statements contain none.
    return False
