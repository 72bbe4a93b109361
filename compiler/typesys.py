"""HL's static types: what they are, how they relate, how they are written.

Owns the type objects the checker computes with (primitives, `string`, arrays,
classes, the type of `null`, and `ERROR`, the type of an expression that
already produced a diagnostic), assignability (A2: exact match, subclass to
superclass, `null` to any reference), and each type's bytecode descriptor.
It does not know where types come from (that is `declare`/`checker`).
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


@dataclass(frozen=True)
class ArrayType(Type):
    elem: Type
    is_ref = True

    @property
    def desc(self) -> str:     # type: ignore[override]
        return "[" + self.elem.desc

    def __str__(self) -> str:
        return f"{self.elem}[]"


@dataclass(frozen=True, eq=False)
class ClassType(Type):
    cls: ClassInfo
    is_ref = True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClassType) and other.cls is self.cls

    def __hash__(self) -> int:
        return id(self.cls)

    @property
    def desc(self) -> str:     # type: ignore[override]
        return f"L{self.cls.module_name}.{self.cls.name};"

    def __str__(self) -> str:
        return self.cls.name


def is_error(t: Type) -> bool:
    return t is ERROR or (isinstance(t, ArrayType) and is_error(t.elem))


def is_numeric(t: Type) -> bool:
    return t is INT or t is FLOAT


def assignable(src: Type, dst: Type) -> bool:
    """Can a value of static type `src` be stored where `dst` is expected?"""
    if src is ERROR or dst is ERROR:
        return True
    if src == dst:
        return dst is not VOID
    if src is NULL:
        return dst.is_ref
    if isinstance(src, ClassType) and isinstance(dst, ClassType):
        return src.cls.is_subclass_of(dst.cls)
    if isinstance(src, ArrayType) and isinstance(dst, ArrayType):
        # Arrays are invariant; only an erroneous element type is let through.
        return is_error(src.elem) or is_error(dst.elem)
    return False


def related(a: Type, b: Type) -> bool:
    """One is a subtype of the other (for `==` on references, `is`, `as`)."""
    return assignable(a, b) or assignable(b, a)

