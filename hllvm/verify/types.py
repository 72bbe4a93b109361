"""The verifier's types: what a stack slot can hold, assignability, joins.

A type is a string.  Concrete types are the file's descriptors — `I` `F` `Z`
`S`, `[T`, `Lm.C;` — plus two the verifier makes up:

    N   the type of `null`: assignable to every reference type
    R   some reference of unknown kind: what two unrelated references join
        to; accepted only where the instruction table says `R` or `X`
    !<pc>Lm.C;   an object of class C fresh from the NEW at <pc> whose init
        has not run yet: it may only be moved (DUP, DUP2, SWAP, POP) and be
        the receiver of a CALLSPECIAL C.init, which makes every copy a
        `Lm.C;` (the JVM's `uninitialized(pc)`)

A requirement (what an instruction's operand must be) is either a concrete
type, meaning "assignable to it", or one of the instruction table's letters
for a kind: `A` any array, `R` any reference, `O` any class instance, `X`
any value.  `I F Z S` mean the same as letters and as descriptors.  `!Lm.C;`
(the receiver of a constructor call) accepts a `Lm.C;` or an uninitialised
C.

Assignability (`Types.ok`): equal types; `N` to any reference; a class to its
superclasses (single inheritance, so `Lm.C;` is assignable to `Ln.D;` when D
is C or an ancestor of C).  Arrays are invariant (`[Ldog;` is not a
`[Lanimal;`), as in the language.

Join at control-flow merges (`Types.join`): equal types stay; `N` with a
reference gives the reference; two classes give their nearest common
superclass, or `R` when they have none; any other two references give `R`;
a primitive or an uninitialised object with anything else has no join (the
caller reports it).

This module owns no class data: it asks `world.ancestors(t)` (the
descriptors of t's class and its ancestors, self first).  Answers are cached
per pair, since a batch asks the same few questions many times.
"""

from __future__ import annotations

from .errors import Bad

PRIMITIVES = frozenset("IFZ")

_NAMES = {"I": "int", "F": "float", "Z": "bool", "S": "string", "V": "void", "N": "null",
          "R": "reference"}
_KIND_NAMES = {"A": "an array", "R": "a reference", "O": "an object", "X": "a value"}


def show(t: str) -> str:
    """A type as the language writes it: `int`, `string[]`, `geo.Point`."""
    if t.startswith("!"):
        c = initialised(t)
        return f"uninitialised {show(c)} (NEW at pc {t[1:len(t) - len(c)]})"
    dims = 0
    while t.startswith("["):
        dims += 1
        t = t[1:]
    base = _NAMES.get(t) or (t[1:-1] if t.startswith("L") and t.endswith(";") else t)
    return base + "[]" * dims


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
        # From here on t is a reference type (S, [.., L..;, N or R).
        if req == "R":
            return True
        if t == "N":
            return True          # null fits every reference requirement
        if req == "A":
            return t[0] == "["
        if req == "O":
            return t[0] == "L"
        if req[0] == "L" and t[0] == "L":
            return req in self.world.ancestors(t)
        return False             # S, arrays: only equal types (invariance)

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
        if a[0] == "L" and b[0] == "L":
            theirs = set(self.world.ancestors(b))
            for c in self.world.ancestors(a):      # self first, then up the chain
                if c in theirs:
                    return c
        return "R"

    def related(self, a: str, b: str) -> bool:
        """Classes `a` and `b` are the same or one inherits from the other."""
        return self.ok(a, b) or self.ok(b, a)

    def element(self, t: str, what: str) -> str:
        """The element type of an array type `t` (N for null)."""
        if t == "N":
            return "N"
        if t[0] != "[":
            raise Bad(f"{what}: expected an array, found {show(t)}")
        return t[1:]


__all__ = ["Types", "show", "show_req", "uninitialised", "initialised", "PRIMITIVES"]
