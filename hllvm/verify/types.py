"""The verifier's types: what a stack slot can hold, assignability, joins.

A type is a string.  Concrete types are the file's descriptors — `I` `F` `Z`
`S`, `R`, `[T`, `Lm.C;` (a class or an interface), function types written
as their signature, `(I)I` — plus two the verifier makes up:

    N   the type of `null`: assignable to every reference type
    !<pc>Lm.C;   an object of class C fresh from the NEW at <pc> whose init
        has not run yet: it may only be moved (DUP, DUP2, SWAP, POP) and be
        the receiver of a CALLSPECIAL C.init, which makes every copy a
        `Lm.C;` (the JVM's `uninitialized(pc)`)

`R` is any reference (the erasure of a type parameter, and what two
unrelated references join to); it is accepted only where `R` or `X` is
required, and a `CAST` makes it something more precise.

A requirement (what an instruction's operand must be) is either a concrete
type, meaning "assignable to it", or one of the instruction table's letters
for a kind: `A` any array, `R` any reference, `O` any class instance, `X`
any value.  `I F Z S R` mean the same as letters and as descriptors.
`!Lm.C;` (the receiver of a constructor call) accepts a `Lm.C;` or an
uninitialised C.

Assignability (`Types.ok`): equal types; `N` and every other reference type
to `R`; `N` to any reference; a class to its superclasses and to every
interface it or an ancestor implements, an interface to the interfaces it
extends (transitively: `world.supers(t)`); an array `[X` to `[Y` when Y is
`R` (any X, primitives included: `[I` is an `[R`) or both X and Y are
arrays and the rule holds one level down (`[[I` is an `[[R`) — otherwise
arrays are invariant (`[Ldog;` is not a `[Lanimal;`); a function type only
to itself (and `R`).

Join at control-flow merges (`Types.join`): equal types stay; `N` with a
reference gives the reference; when one is assignable to the other, the
other; two classes or interfaces give their least common supertype when
there is one, else (several minimal ones: a common superclass and an
interface it does not implement, or two interfaces) their nearest common
superclass, else `R`; two arrays give `[R` (`[[R` for two arrays of arrays,
and so on down); any other two references give `R`; a primitive or an
uninitialised object with anything else has no join (the caller reports
it).

This module owns no class data: it asks `world.ancestors(t)` (the
descriptors of t's class and its superclasses, self first) and
`world.supers(t)` (every type t is assignable to).  Answers are cached per
pair, since a batch asks the same few questions many times.
"""

from __future__ import annotations

from hlbc.model import parse_signature

from .errors import Bad

PRIMITIVES = frozenset("IFZ")

_NAMES = {"I": "int", "F": "float", "Z": "bool", "S": "string", "V": "void", "N": "null",
          "R": "reference"}
_KIND_NAMES = {"A": "an array", "R": "a reference", "O": "an object", "X": "a value"}


def show(t: str) -> str:
    """A type as the language writes it: `int`, `string[]`, `geo.Point`,
    `fn(int) -> bool`."""
    if t.startswith("!"):
        c = initialised(t)
        return f"uninitialised {show(c)} (NEW at pc {t[1:len(t) - len(c)]})"
    dims = 0
    while t.startswith("["):
        dims += 1
        t = t[1:]
    if t.startswith("("):
        base = _show_fn(t)
        return f"({base})" + "[]" * dims if dims else base
    base = _NAMES.get(t) or (t[1:-1] if t.startswith("L") and t.endswith(";") else t)
    return base + "[]" * dims


def _show_fn(t: str) -> str:
    try:
        params, ret = parse_signature(t)
    except ValueError:
        return t
    text = "fn(" + ", ".join(show(p) for p in params) + ")"
    return text if ret == "V" else f"{text} -> {show(ret)}"


def show_req(r: str) -> str:
    if r.startswith("!"):
        return show(r[1:])
    return _KIND_NAMES.get(r) or show(r)


def uninitialised(pc: int, desc: str) -> str:
    """The type of the object the NEW at `pc` pushes."""
    return f"!{pc}{desc}"


def initialised(t: str) -> str:
    """`!12Lm.C;` → `Lm.C;`."""
    return t.lstrip("!0123456789")


def innermost(t: str) -> str:
    """The element type under every array level: `[[R` → `R`."""
    return t.lstrip("[")


def _array_ok(req: str, t: str) -> bool:
    """May an array of `t` elements be used where an array of `req`
    elements is required (both element types, neither N)?"""
    while True:
        if req == t or req == "R":
            return True
        if req[0] != "[" or t[0] != "[":
            return False
        req, t = req[1:], t[1:]


def _array_join(a: str, b: str) -> str:
    """The join of two array types neither of which accepts the other: `[R`,
    or an array of the join of their elements when both hold arrays."""
    depth = 0
    while a[1] == "[" and b[1] == "[":
        a, b = a[1:], b[1:]
        depth += 1
        if _array_ok(a[1:], b[1:]):
            return "[" * depth + a
        if _array_ok(b[1:], a[1:]):
            return "[" * depth + b
    return "[" * depth + "[R"


class Types:
    """Assignability and joins over one world's classes."""

    def __init__(self, world) -> None:
        self.world = world
        self._ok: dict[tuple[str, str], bool] = {}
        self._join: dict[tuple[str, str], str | None] = {}

    def ok(self, req: str, t: str) -> bool:
        """May a value of type `t` be used where `req` is required?"""
        if req == t:
            return True
        key = (req, t)
        v = self._ok.get(key)
        if v is None:
            v = self._ok[key] = self._compute_ok(req, t)
        return v

    def _compute_ok(self, req: str, t: str) -> bool:
        if req == "X":
            return True
        if t[0] == "!":          # uninitialised: only a constructor call takes it
            return req[0] == "!" and initialised(t) == req[1:]
        if req[0] == "!":
            return self.ok(req[1:], t)
        if t in PRIMITIVES or req in PRIMITIVES:
            return False
        # From here on t is a reference type (S, R, N, [.., L..; or a function type).
        if req == "R":
            return True
        if t == "N":
            return True          # null fits every reference requirement
        if req == "A":
            return t[0] == "["
        if req == "O":
            return t[0] == "L"
        if req[0] == "L" and t[0] == "L":
            return req in self.world.supers(t)
        if req[0] == "[" and t[0] == "[":
            return _array_ok(req[1:], t[1:])
        return False             # S, R, function types: only equal types

    def join(self, a: str, b: str) -> str | None:
        """The type of a slot that holds `a` on one path and `b` on another,
        or None when there is none (a primitive mismatch)."""
        if a == b:
            return a
        key = (a, b)
        if key in self._join:
            return self._join[key]
        v = self._join[key] = self._compute_join(a, b)
        return v

    def _compute_join(self, a: str, b: str) -> str | None:
        if a in PRIMITIVES or b in PRIMITIVES or a[0] == "!" or b[0] == "!":
            return None
        if a == "N":
            return b
        if b == "N":
            return a
        if self.ok(a, b):
            return a
        if self.ok(b, a):
            return b
        if a[0] == "L" and b[0] == "L":
            return self._class_join(a, b)
        if a[0] == "[" and b[0] == "[":
            return _array_join(a, b)
        return "R"

    def _class_join(self, a: str, b: str) -> str:
        world = self.world
        theirs = set(world.ancestors(b))
        nearest = next((c for c in world.ancestors(a) if c in theirs), None)
        common = world.supers(a) & world.supers(b)
        if nearest is not None and common <= world.supers(nearest):
            return nearest           # the usual case: the superclass has every common interface
        # A least element of `common` is below all the others, so it has the
        # most supertypes (strictly: it is not among theirs): the one
        # candidate worth checking, in time linear in `common`.
        least = max(common, key=lambda c: len(world.supers(c)), default=None)
        if least is not None and common <= world.supers(least):
            return least
        return nearest or "R"

    def related(self, a: str, b: str) -> bool:
        """Classes `a` and `b` are the same or one inherits from the other,
        or either is an interface (a subclass may implement it)."""
        return (self.ok(a, b) or self.ok(b, a) or self.world.is_interface(a)
                or self.world.is_interface(b))

    def element(self, t: str, what: str) -> str:
        """The element type of an array type `t` (N for null)."""
        if t == "N":
            return "N"
        if t[0] != "[":
            raise Bad(f"{what}: expected an array, found {show(t)}")
        return t[1:]


__all__ = ["Types", "show", "show_req", "uninitialised", "initialised", "innermost", "PRIMITIVES"]
