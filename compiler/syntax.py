"""The HL abstract syntax tree: one dataclass per construct, with its position.

Owns the shape of a parsed module.  Every node carries `line` and `col`
(1-based) of the token a diagnostic about it should point at: the operator of
a binary expression, the `[` of an index, the name of a member, the keyword
of a statement.  `start_of` gives the leftmost position of an expression (for
statement starts and line tables).

The checker annotates expressions in place (`ty`, and `sym` / `target` where
a name or call is resolved); those fields are `None` straight out of the
parser.  This module knows nothing about types or bytecode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _note() -> Any:
    return field(default=None, compare=False, repr=False)


@dataclass(eq=False, slots=True)
class Node:
    line: int
    col: int


# --- types as written ---------------------------------------------------------

@dataclass(eq=False, slots=True)
class TypeRef(Node):
    """`int`, `Point`, `geo.Point`, `float[][]`, `Box<int>[]`: a (possibly
    qualified) base name, its type arguments and a number of array
    dimensions."""
    parts: tuple[str, ...]      # ("int",) or ("geo", "Point")
    dims: int = 0
    args: tuple = ()            # TypeRef / FnTypeRef of `<...>`, () when none are written

    def text(self) -> str:
        args = "<" + ", ".join(a.text() for a in self.args) + ">" if self.args else ""
        return ".".join(self.parts) + args + "[]" * self.dims


@dataclass(eq=False, slots=True)
class FnTypeRef(Node):
    """`fn(int, string) -> bool`, `fn(int)` (no result), and with `dims`
    the arrays of them, written `(fn(int) -> int)[]`."""
    params: tuple               # TypeRef / FnTypeRef
    ret: Any                    # TypeRef / FnTypeRef, None for no result
    dims: int = 0

    def text(self) -> str:
        ret = f" -> {self.ret.text()}" if self.ret is not None else ""
        inner = "fn(" + ", ".join(p.text() for p in self.params) + ")" + ret
        return f"({inner})" + "[]" * self.dims if self.dims else inner


@dataclass(eq=False, slots=True)
class TypeParamDecl(Node):
    """One name of `<T, U>` after a generic declaration's name."""
    name: str


# --- expressions --------------------------------------------------------------

@dataclass(eq=False, slots=True)
class Expr(Node):
    pass


@dataclass(eq=False, slots=True)
class IntLit(Expr):
    value: int                  # may be 2**63 until folded under a unary minus
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class FloatLit(Expr):
    value: float
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class StrLit(Expr):
    value: str
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class BoolLit(Expr):
    value: bool
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class NullLit(Expr):
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class Name(Expr):
    name: str
    ty: Any = _note()
    sym: Any = _note()          # LocalVar, GlobalInfo, ... (set by the checker)


@dataclass(eq=False, slots=True)
class SelfExpr(Expr):
    ty: Any = _note()
    sym: Any = _note()          # the receiver's LocalVar


@dataclass(eq=False, slots=True)
class SuperMember(Expr):
    """`super.name`; only valid as the callee of a call."""
    name: str
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class Member(Expr):
    obj: Expr
    name: str
    ty: Any = _note()
    sym: Any = _note()          # FieldInfo, GlobalInfo, or a built-in member tag


@dataclass(eq=False, slots=True)
class Index(Expr):
    obj: Expr
    index: Expr
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class Call(Expr):
    callee: Expr
    args: list[Expr]
    ty: Any = _note()
    target: Any = _note()       # what is called (a `compiler.calls` callee)


@dataclass(eq=False, slots=True)
class NewObject(Expr):
    cls: TypeRef
    args: list[Expr]
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class NewArray(Expr):
    """`new T[n]` plus `extra_dims` trailing `[]`: an array of `n` elements of
    type `T[]...[]`."""
    elem: TypeRef
    size: Expr
    extra_dims: int = 0
    closed: bool = False        # parenthesized: no more `[]` may follow
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class ArrayLit(Expr):
    elems: list[Expr]
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class FnLit(Expr):
    """`fn(a: int) -> int { ... }`: a function literal (B3).  `line`/`col`
    are the `fn` keyword's."""
    params: list[Param]
    ret: Any                    # TypeRef / FnTypeRef, None for no result
    body: Block
    ty: Any = _note()
    info: Any = _note()         # symbols.LambdaInfo (set by the checker)
    param_vars: Any = _note()   # LocalVars of the parameters


@dataclass(eq=False, slots=True)
class Unary(Expr):
    op: str
    operand: Expr
    ty: Any = _note()


@dataclass(eq=False, slots=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr
    ty: Any = _note()
    operand_ty: Any = _note()   # the type the operator works on (set by the checker)


@dataclass(eq=False, slots=True)
class IsExpr(Expr):
    expr: Expr
    target: TypeRef
    ty: Any = _note()
    cls: Any = _note()          # ClassInfo tested


@dataclass(eq=False, slots=True)
class AsExpr(Expr):
    expr: Expr
    target: TypeRef
    ty: Any = _note()


def stmt_start(s: Stmt) -> tuple[int, int]:
    """Position of the first token of a statement."""
    if isinstance(s, VarDecl) and s.start != (0, 0):
        return s.start
    return s.line, s.col


def start_of(e: Expr) -> tuple[int, int]:
    """Position of the leftmost token of `e`."""
    while True:
        if isinstance(e, (Binary,)):
            e = e.left
        elif isinstance(e, (Member, Index)):
            e = e.obj
        elif isinstance(e, Call):
            e = e.callee
        elif isinstance(e, (IsExpr, AsExpr)):
            e = e.expr
        else:
            return e.line, e.col


# --- statements ---------------------------------------------------------------

@dataclass(eq=False, slots=True)
class Stmt(Node):
    pass


@dataclass(eq=False, slots=True)
class Block(Stmt):
    stmts: list[Stmt]


@dataclass(eq=False, slots=True)
class VarDecl(Stmt):
    """`let`/`var` (local or module-level).  `line`/`col` are the name's;
    `start` is the keyword's (where the statement begins)."""
    mutable: bool
    name: str
    type_ref: TypeRef | None
    init: Expr | None
    start: tuple[int, int] = (0, 0)
    var: Any = _note()          # LocalVar or GlobalInfo (set by the checker)


@dataclass(eq=False, slots=True)
class Assign(Stmt):
    target: Expr
    op: str                     # "=" or "+=", "-=", ...
    value: Expr
    operand_ty: Any = _note()   # compound assignment: the operator's operand type


@dataclass(eq=False, slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(eq=False, slots=True)
class If(Stmt):
    cond: Expr
    then: Block
    else_: Stmt | None          # Block, If or None


@dataclass(eq=False, slots=True)
class While(Stmt):
    cond: Expr
    body: Block


@dataclass(eq=False, slots=True)
class ForRange(Stmt):
    var_name: str
    var_line: int
    var_col: int
    start: Expr
    end: Expr
    body: Block
    var: Any = _note()


@dataclass(eq=False, slots=True)
class ForEach(Stmt):
    var_name: str
    var_line: int
    var_col: int
    iterable: Expr
    body: Block
    var: Any = _note()
    # An object walked with length() and get(i) (B4): (its static class,
    # the length method, the get method), set by the checker; None: an array.
    iter_methods: Any = _note()


@dataclass(eq=False, slots=True)
class Break(Stmt):
    pass


@dataclass(eq=False, slots=True)
class Continue(Stmt):
    pass


@dataclass(eq=False, slots=True)
class Return(Stmt):
    value: Expr | None


@dataclass(eq=False, slots=True)
class Throw(Stmt):
    value: Expr


@dataclass(eq=False, slots=True)
class Catch(Node):
    name: str
    type_ref: TypeRef | None
    body: Block
    var: Any = _note()
    cls: Any = _note()          # ClassInfo caught, None for "any Error"


@dataclass(eq=False, slots=True)
class Try(Stmt):
    body: Block
    catches: list[Catch]
    finally_: Block | None


# --- declarations -------------------------------------------------------------

@dataclass(eq=False, slots=True)
class Param(Node):
    name: str
    type_ref: TypeRef


@dataclass(eq=False, slots=True)
class FnDecl(Node):
    """A function or method; `body` is None for a native (bodiless) one.
    `line`/`col` are the name's."""
    name: str
    params: list[Param]
    ret: Any                    # TypeRef / FnTypeRef, None for no result
    body: Block | None
    type_params: list[TypeParamDecl] = field(default_factory=list)
    info: Any = _note()
    param_vars: Any = _note()   # LocalVars of the parameters (set by the checker)
    self_var: Any = _note()     # the receiver's LocalVar, for methods


@dataclass(eq=False, slots=True)
class InitDecl(Node):
    params: list[Param]
    body: Block
    info: Any = _note()
    param_vars: Any = _note()
    self_var: Any = _note()


@dataclass(eq=False, slots=True)
class FieldDecl(Node):
    name: str
    type_ref: TypeRef


@dataclass(eq=False, slots=True)
class ClassDecl(Node):
    """A class, or an interface (`is_interface`: `interfaces` are then the
    interfaces it extends, and it may declare only bodiless methods)."""
    name: str
    super_ref: TypeRef | None
    fields: list[FieldDecl]
    methods: list[FnDecl]
    inits: list[InitDecl]       # more than one is an error the checker reports
    type_params: list[TypeParamDecl] = field(default_factory=list)
    interfaces: list[TypeRef] = field(default_factory=list)    # `implements` / an interface's `extends`
    is_interface: bool = False
    info: Any = _note()


@dataclass(eq=False, slots=True)
class Import(Node):
    path: tuple[str, ...]       # ("util", "text")
    alias: str                  # the bound name: `as` name or last component

    @property
    def module_name(self) -> str:
        return ".".join(self.path)


@dataclass(eq=False, slots=True)
class Module(Node):
    imports: list[Import]
    globals: list[VarDecl]
    functions: list[FnDecl]
    classes: list[ClassDecl]
    items: list[Node]           # every top-level item in source order
    script: bool = False        # REPL input: `items` may hold statements too


# The visitor method each node kind is dispatched to, shared by the checker
# and the code generator (each defines the methods it needs).
STMT_VISIT = {
    VarDecl: "s_var", Assign: "s_assign", ExprStmt: "s_expr", If: "s_if",
    While: "s_while", ForRange: "s_for_range", ForEach: "s_for_each", Break: "s_break",
    Continue: "s_continue", Return: "s_return", Throw: "s_throw", Try: "s_try",
    Block: "s_block",
}

EXPR_VISIT = {
    IntLit: "e_int", FloatLit: "e_float", StrLit: "e_str", BoolLit: "e_bool",
    NullLit: "e_null", Name: "e_name", SelfExpr: "e_self", SuperMember: "e_super",
    Member: "e_member", Index: "e_index", Call: "e_call", NewObject: "e_new",
    NewArray: "e_new_array", ArrayLit: "e_array", Unary: "e_unary", Binary: "e_binary",
    IsExpr: "e_is", AsExpr: "e_as", FnLit: "e_fn",
}


def short_text(e: Any, depth: int = 0) -> str | None:
    """The source text of a simple expression (a name, `self`, a member
    chain, an index by a name or a number, a call without arguments), for
    messages that quote it ("write 'xs.length'"); None for anything else."""
    if depth > 8:
        return None
    if isinstance(e, Name):
        return e.name
    if isinstance(e, SelfExpr):
        return "self"
    if isinstance(e, IntLit):
        return str(e.value)
    if isinstance(e, Member):
        obj = short_text(e.obj, depth + 1)
        return None if obj is None else f"{obj}.{e.name}"
    if isinstance(e, Index):
        obj, index = short_text(e.obj, depth + 1), short_text(e.index, depth + 1)
        return None if obj is None or index is None else f"{obj}[{index}]"
    if isinstance(e, Call) and not e.args:
        callee = short_text(e.callee, depth + 1)
        return None if callee is None else f"{callee}()"
    return None
