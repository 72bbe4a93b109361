"""Lark callbacks that build `compiler.syntax` nodes while the LALR parser runs.

`Builder` is attached to the parser as its transformer, so each reduction
produces an AST node directly (no parse tree, no recursion).  It also applies
the lexical rules the grammar leaves open (literal ranges and escapes,
reserved words used as names) and folds `[]` into `new T[n][]`.  Problems
are appended to the calling thread's sink (`collecting()`), because the
transformer instance is shared by every parse in the process.

It does not resolve names or types.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from sys import intern

from lark import Token, Transformer, v_args

from . import literals
from . import syntax as S
from .limits import text_too_long

KEYWORDS = frozenset("""
    fn class extends init self super new let var if else while for in break
    continue return true false null is as try catch finally throw import
    interface implements
""".split())

_local = threading.local()


@contextmanager
def collecting(script: bool = False):
    """Collect the builder's problems for one parse: yields the list of
    `(line, col, message)` the parse produced.  `script` is set while parsing
    REPL input, where the names `$1`, `$2`... are allowed."""
    saved = getattr(_local, "problems", None), getattr(_local, "script", False)
    _local.problems = problems = []
    _local.script = script
    try:
        yield problems
    finally:
        _local.problems, _local.script = saved


def _report(line: int, col: int, message: str) -> None:
    problems = getattr(_local, "problems", None)
    if problems is not None:
        problems.append((line, col, message))


def check_name_token(tok: Token) -> Token:
    """Lexer callback for NAME: the contextual lexer yields a keyword as a NAME
    where the keyword itself cannot occur, so reservation is enforced here.
    The name is interned: the nodes of a big program share one string per
    distinct name instead of holding one per occurrence."""
    tok.value = intern(tok.value)
    if tok.value in KEYWORDS:
        _report(tok.line, tok.column, f"'{tok.value}' is a reserved word and cannot be used as a name")
    elif text_too_long(tok.value):
        _report(tok.line, tok.column, "name too long: a name may take at most 4 GiB")
    return tok


def _retract(line: int, col: int) -> None:
    """Withdraw this parse's problems at a position (a better one follows)."""
    problems = getattr(_local, "problems", None)
    if problems is not None:
        problems[:] = [p for p in problems if (p[0], p[1]) != (line, col)]


# Type names written where `is` should have been `== null`.
_NULL_WORDS = frozenset({("null",), ("None",), ("nil",), ("undefined",)})


def _wrap64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v > literals.INT_MAX else v


@v_args(inline=True)
class Builder(Transformer):
    # --- module and declarations ------------------------------------------

    def start(self, *items):
        return _module(items, script=False)

    def repl(self, *items):
        """REPL input: like a module, but statements may stand between the
        declarations; `items` keeps them all in source order."""
        return _module(items, script=True)

    def import_decl(self, kw, path, _as, alias):
        names = tuple(t.value for t in path)
        bound = alias.value if alias is not None else names[-1]
        return S.Import(kw.line, kw.column, names, bound)

    def dotted_name(self, *names):
        return list(names)

    def var_decl(self, kw, name, type_ref, _eq, init):
        return S.VarDecl(name.line, name.column, kw.value == "var", name.value, type_ref, init,
                         (kw.line, kw.column))

    def fn_decl(self, _fn, name, type_params, params, ret, body):
        return S.FnDecl(name.line, name.column, name.value, params or [], ret,
                        None if body is _NO_BODY else body, type_params or [])

    def type_params(self, _lt, *names_and_gt):
        return [S.TypeParamDecl(t.line, t.column, t.value) for t in names_and_gt[:-1]]

    def no_body(self, _semi):
        return _NO_BODY

    def params(self, *ps):
        return list(ps)

    def param(self, name, type_ref):
        return S.Param(name.line, name.column, name.value, type_ref)

    def class_decl(self, _kw, name, type_params, _extends, super_ref, _implements, interfaces, *members):
        c = S.ClassDecl(name.line, name.column, name.value, super_ref, [], [], [], type_params or [],
                        interfaces or [])
        return self._members(c, members)

    def interface_decl(self, _kw, name, type_params, _extends, supers, *members):
        c = S.ClassDecl(name.line, name.column, name.value, None, [], [], [], type_params or [],
                        supers or [], is_interface=True)
        return self._members(c, members)

    @staticmethod
    def _members(c, members):
        for m in members:
            if isinstance(m, S.FieldDecl):
                c.fields.append(m)
            elif isinstance(m, S.FnDecl):
                c.methods.append(m)
            else:
                c.inits.append(m)
        return c

    def field_decl(self, name, type_ref):
        return S.FieldDecl(name.line, name.column, name.value, type_ref)

    def init_decl(self, kw, params, body):
        return S.InitDecl(kw.line, kw.column, params or [], body)

    def type(self, base, *brackets):
        if brackets:                    # `T[]`: `base` is a class_type's TypeRef
            base.dims = len(brackets)
        return base

    def paren_type(self, _lpar, inner, *brackets):
        inner.dims += len(brackets)
        return inner

    def fn_type(self, kw, _lpar, params, ret):
        return S.FnTypeRef(kw.line, kw.column, tuple(params or ()), ret)

    def types(self, *ts):
        return list(ts)

    def class_type(self, qual, args):
        return S.TypeRef(qual[0].line, qual[0].column, tuple(t.value for t in qual), 0, tuple(args or ()))

    def class_types(self, *ts):
        return list(ts)

    def type_args(self, _lt, ts, _gt):
        return ts

    def qual_name(self, *names):
        return names

    # --- statements -----------------------------------------------------------

    def block(self, brace, *stmts):
        return S.Block(brace.line, brace.column, list(stmts))

    def break_stmt(self, kw):
        return S.Break(kw.line, kw.column)

    def continue_stmt(self, kw):
        return S.Continue(kw.line, kw.column)

    def return_stmt(self, kw, value):
        return S.Return(kw.line, kw.column, value)

    def throw_stmt(self, kw, value):
        return S.Throw(kw.line, kw.column, value)

    def assign_stmt(self, target, op, value):
        line, col = S.start_of(target)
        return S.Assign(line, col, target, op.value, value)

    def expr_stmt(self, expr):
        if isinstance(expr, S.Unary) and expr.op == "-" and isinstance(expr.operand, S.Unary) \
                and expr.operand.op == "-" and (expr.operand.line, expr.operand.col) == (expr.line, expr.col + 1):
            # `--x;` parses as a negated negation, whose value is dropped.
            target = S.short_text(expr.operand.operand) or "x"
            _report(expr.line, expr.col, f"HL has no '--' operator: write '{target} -= 1'")
        line, col = S.start_of(expr)
        return S.ExprStmt(line, col, expr)

    def if_stmt(self, kw, cond, then, _else, else_part):
        return S.If(kw.line, kw.column, cond, then, else_part)

    def while_stmt(self, kw, cond, body):
        return S.While(kw.line, kw.column, cond, body)

    def for_stmt(self, kw, name, _in, first, dots, second, body):
        if dots is None:
            return S.ForEach(kw.line, kw.column, name.value, name.line, name.column, first, body)
        return S.ForRange(kw.line, kw.column, name.value, name.line, name.column, first, second, body)

    def try_stmt(self, kw, body, *rest):
        *catches, _fin, fin_block = rest
        return S.Try(kw.line, kw.column, body, list(catches), fin_block)

    def catch_clause(self, kw, name, type_ref, body):
        return S.Catch(kw.line, kw.column, name.value, type_ref, body)

    # --- expressions ------------------------------------------------------------

    def binary(self, left, op, right):
        return S.Binary(op.line, op.column, op.value, left, right)

    def is_expr(self, expr, kw, type_ref):
        if isinstance(type_ref, S.TypeRef) and not type_ref.dims and type_ref.parts in _NULL_WORDS:
            # `x is null` (`null` read as a type name, already reported as a
            # reserved word: this says what to write instead).
            _retract(type_ref.line, type_ref.col)
            _report(type_ref.line, type_ref.col, f"'is' tests a class; test for null with "
                                                 f"'{S.short_text(expr) or 'x'} == null'")
        return S.IsExpr(kw.line, kw.column, expr, type_ref)

    def as_expr(self, expr, kw, type_ref):
        return S.AsExpr(kw.line, kw.column, expr, type_ref)

    def unary(self, op, operand):
        # Fold a sign into a numeric literal: this is what makes
        # `-9223372036854775808` legal (A1) and gives codegen plain constants.
        if op.value == "-" and isinstance(operand, S.IntLit):
            return S.IntLit(op.line, op.column, _wrap64(-operand.value))
        if op.value == "-" and isinstance(operand, S.FloatLit):
            return S.FloatLit(op.line, op.column, -operand.value)
        return S.Unary(op.line, op.column, op.value, operand)

    def call(self, callee, _lpar, args):
        return S.Call(callee.line, callee.col, callee, args or [])

    def member(self, obj, name):
        return S.Member(name.line, name.column, obj, name.value)

    def index(self, obj, bracket, index):
        if index is not None:
            return S.Index(bracket.line, bracket.column, obj, index)
        if isinstance(obj, S.NewArray) and not obj.closed:
            obj.extra_dims += 1
            return obj
        _report(bracket.line, bracket.column + 1, "expected an expression inside '[ ]'")
        return obj

    def args(self, *exprs):
        return list(exprs)

    def int_lit(self, tok):
        value, problem = literals.decode_int(tok.value)
        if problem:
            _report(tok.line, tok.column + problem[0], problem[1])
        return S.IntLit(tok.line, tok.column, value)

    def float_lit(self, tok):
        value, problem = literals.decode_float(tok.value)
        if problem:
            _report(tok.line, tok.column + problem[0], problem[1])
        return S.FloatLit(tok.line, tok.column, value)

    def string_lit(self, tok):
        value, problem = literals.decode_string(tok.value)
        if problem:
            _report(tok.line, tok.column + problem[0], problem[1])
        return S.StrLit(tok.line, tok.column, value)

    def true_lit(self, tok):
        return S.BoolLit(tok.line, tok.column, True)

    def false_lit(self, tok):
        return S.BoolLit(tok.line, tok.column, False)

    def null_lit(self, tok):
        return S.NullLit(tok.line, tok.column)

    def name(self, tok):
        return S.Name(tok.line, tok.column, tok.value)

    def repl_name(self, tok):
        if not getattr(_local, "script", False):
            # Outside the REPL `$` is no part of the language: the message a
            # source file got before `$1` became a token.
            _report(tok.line, tok.column, "unexpected character '$'")
        return S.Name(tok.line, tok.column, tok.value)

    def self_expr(self, tok):
        return S.SelfExpr(tok.line, tok.column)

    def super_member(self, kw, name):
        return S.SuperMember(name.line, name.column, name.value)

    def paren(self, _lpar, expr):
        if isinstance(expr, S.IntLit) and expr.value > literals.INT_MAX:
            # Only a minus written directly before the literal makes 2^63 legal.
            _report(expr.line, expr.col, "integer literal '9223372036854775808' is too large "
                                         "(the maximum is 9223372036854775807)")
            expr.value = 0
        if isinstance(expr, S.NewArray):
            expr.closed = True
        return expr

    def new_object(self, kw, ref, _lpar, args):
        return S.NewObject(kw.line, kw.column, ref, args or [])

    def new_array(self, kw, ref, _lsqb, size):
        return S.NewArray(kw.line, kw.column, ref, size)

    def new_array_of(self, kw, _lpar, ref, _lsqb, size):
        return S.NewArray(kw.line, kw.column, ref, size)

    def fn_lit(self, kw, _lpar, params, ret, body):
        return S.FnLit(kw.line, kw.column, params or [], ret, body)

    def array_lit(self, bracket, elems):
        return S.ArrayLit(bracket.line, bracket.column, elems or [])


_NO_BODY = object()


def _module(items, script: bool) -> S.Module:
    m = S.Module(1, 1, [], [], [], [], list(items), script)
    for it in items:
        if isinstance(it, S.Import):
            m.imports.append(it)
        elif isinstance(it, S.VarDecl):
            m.globals.append(it)
        elif isinstance(it, S.FnDecl):
            m.functions.append(it)
        elif isinstance(it, S.ClassDecl):
            m.classes.append(it)
    return m
