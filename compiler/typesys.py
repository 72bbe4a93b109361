"""HL's static types: what they are, how they relate, how they are written.

Owns the type objects the checker computes with (primitives, `string`,
arrays, classes and interfaces with their type arguments, type parameters,
function types, the type of `null`, and `ERROR`, the type of an expression
that already produced a diagnostic), substitution of type arguments for
type parameters, assignability (A2 and B1–B3: exact match, subclass to
superclass, a class to the interfaces it implements, `null` to any
reference or type parameter; no variance), and each type's bytecode
descriptor: its *erasure* (docs/conventions.md, "Generics"), where a type
parameter is `R` and a class is named without its type arguments.  It does
not know where types come from (that is `declare`/`checker`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .symbols import ClassInfo


class Type:
    """Base of every static type."""

    desc: str = ""
    is_ref = False

    def __str__(self) -> str:      # pragma: no cover - overridden
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class PrimType(Type):
    name: str
    desc: str
    is_ref: bool = False

    def __str__(self) -> str:
        return self.name


INT = PrimType("int", "I")
FLOAT = PrimType("float", "F")
BOOL = PrimType("bool", "Z")
STRING = PrimType("string", "S", is_ref=True)
VOID = PrimType("void", "V")

PRIMITIVE_NAMES = {"int": INT, "float": FLOAT, "bool": BOOL, "string": STRING, "void": VOID}


class _NullType(Type):
    desc = "N"
    is_ref = True

    def __str__(self) -> str:
        return "null"


class _ErrorType(Type):
    """The type of an expression that is already wrong: every check against
    it passes silently, so one mistake gives one diagnostic."""
    desc = "?"

    def __str__(self) -> str:
        return "<error>"


NULL = _NullType()
ERROR = _ErrorType()


class TypeParam(Type):
    """A type parameter `T` of a generic class, interface, function or
    method.  Each declaration makes its own (compared by identity); its
    erasure is `R`, where a primitive travels boxed."""
    desc = "R"
    is_ref = False          # it may stand for a primitive: not a reference type

    def __init__(self, name: str, owner: str) -> None:
        self.name = name
        self.owner = owner  # what declares it, for messages ("Box", "first")

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"TypeParam({self.name}@{self.owner})"


@dataclass(frozen=True)
class ArrayType(Type):
    elem: Type
    is_ref = True

    @property
    def desc(self) -> str:     # type: ignore[override]
        return "[" + self.elem.desc

    def __str__(self) -> str:
        inner = f"({self.elem})" if isinstance(self.elem, FnType) else str(self.elem)
        return f"{inner}[]"


@dataclass(frozen=True, eq=False)
class ClassType(Type):
    """A class or interface, with its type arguments (`()` for a class
    that is not generic)."""
    cls: ClassInfo
    args: tuple = ()
    is_ref = True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClassType) and other.cls is self.cls and other.args == self.args

    def __hash__(self) -> int:
        return hash((id(self.cls), self.args))

    @property
    def desc(self) -> str:     # type: ignore[override]
        return f"L{self.cls.module_name}.{self.cls.name};"

    def __str__(self) -> str:
        if not self.args:
            return self.cls.name
        return f"{self.cls.name}<{', '.join(str(a) for a in self.args)}>"


@dataclass(frozen=True)
class FnType(Type):
    """`fn(int, string) -> bool`; `ret` is VOID for `fn(int)`.  Its
    descriptor is its erased signature."""
    params: tuple
    ret: Type
    is_ref = True

    @property
    def desc(self) -> str:     # type: ignore[override]
        return "(" + "".join(p.desc for p in self.params) + ")" + self.ret.desc

    def __str__(self) -> str:
        params = ", ".join(str(p) for p in self.params)
        return f"fn({params})" + ("" if self.ret is VOID else f" -> {self.ret}")


def is_error(t: Type) -> bool:
    if t is ERROR:
        return True
    if isinstance(t, ArrayType):
        return is_error(t.elem)
    if isinstance(t, ClassType):
        return any(is_error(a) for a in t.args)
    if isinstance(t, FnType):
        return is_error(t.ret) or any(is_error(p) for p in t.params)
    return False


def is_numeric(t: Type) -> bool:
    return t is INT or t is FLOAT


def subst(t: Type, mapping: dict) -> Type:
    """`t` with each type parameter that `mapping` names replaced."""
    if not mapping:
        return t
    if isinstance(t, TypeParam):
        return mapping.get(t, t)
    if isinstance(t, ArrayType):
        e = subst(t.elem, mapping)
        return t if e is t.elem else ArrayType(e)
    if isinstance(t, ClassType):
        if not t.args:
            return t
        return ClassType(t.cls, tuple(subst(a, mapping) for a in t.args))
    if isinstance(t, FnType):
        return FnType(tuple(subst(p, mapping) for p in t.params), subst(t.ret, mapping))
    return t


def mentions(t: Type, params) -> bool:
    """Does `t` mention any of the type parameters `params` (None: any)?"""
    if isinstance(t, TypeParam):
        return params is None or t in params
    if isinstance(t, ArrayType):
        return mentions(t.elem, params)
    if isinstance(t, ClassType):
        return any(mentions(a, params) for a in t.args)
    if isinstance(t, FnType):
        return mentions(t.ret, params) or any(mentions(p, params) for p in t.params)
    return False


def as_super(t: ClassType, target: ClassInfo) -> ClassType | None:
    """The supertype of `t` whose class is `target` (its superclass chain
    and every interface on the way, with the type arguments `t` gives
    them), or None when `t` is no subtype of `target`."""
    seen: set[int] = set()
    work = [t]
    while work:
        c = work.pop()
        if c.cls is target:
            return c
        if id(c.cls) in seen:      # cycles are reported by declare, not followed
            continue
        seen.add(id(c.cls))
        mapping = dict(zip(c.cls.type_params, c.args))
        for s in c.cls.supertypes():
            work.append(subst(s, mapping))
    return None


def assignable(src: Type, dst: Type) -> bool:
    """Can a value of static type `src` be stored where `dst` is expected?"""
    if src is ERROR or dst is ERROR:
        return True
    if src == dst:
        return dst is not VOID
    if src is NULL:
        return dst.is_ref or isinstance(dst, TypeParam)
    if isinstance(src, ClassType) and isinstance(dst, ClassType):
        up = as_super(src, dst.cls)
        return up is not None and (up.args == dst.args or is_error(up) or is_error(dst))
    if isinstance(src, ArrayType) and isinstance(dst, ArrayType):
        # Arrays are invariant; only an erroneous element type is let through.
        return is_error(src.elem) or is_error(dst.elem)
    if isinstance(src, FnType) and isinstance(dst, FnType):
        # Function types are invariant: only an erroneous part is let through.
        return is_error(src) or is_error(dst)
    return False


def related(a: Type, b: Type) -> bool:
    """One is a subtype of the other (for `==` on references)."""
    return assignable(a, b) or assignable(b, a)


def is_interface(t: Type) -> bool:
    return isinstance(t, ClassType) and t.cls.is_interface


def castable(src: Type, cls: ClassInfo) -> bool:
    """May `e is C` / `e as C` be written for `e` of type `src` (A6, B5):
    a class or interface type related to C, or any interface type with any
    class or interface C (the run-time check decides)."""
    if not isinstance(src, ClassType):
        return False
    if src.cls.is_interface or cls.is_interface:
        return True
    return src.cls.is_subclass_of(cls) or cls.is_subclass_of(src.cls)
