"""How a value passes from one erased representation to another.

A generic declaration is compiled once, for its erasure (a type parameter is
`R`, where ints, floats and bools travel boxed); a use of it sees the types
its type arguments give.  So the same value may be wanted as `I` where it
is held as `R`, as `(I)I` where it is held as `(R)R`, and so on.
`conversion(frm, to)` says, from the two descriptors alone, what turns one
into the other (docs/conventions.md, "Generics"):

    nothing       the same descriptor, `null`, any reference into `R`, an
                  array into one with `R` deeper (`[I` into `[R`), a class
                  into its superclass or interface
    BOX           I/F/Z into `R` (BOXI, BOXF, BOXZ)
    CAST          `R` into anything, an array with `R` into one without
    ADAPT         a function value into another signature: a closure of an
                  adapter function that converts each argument and the result

and `Unconvertible` where no instruction can (an array of function values
into an array of functions of another erasure: the elements would have to
be replaced).  It also names the functions this needs (`adapter_name`,
`bridge_name`) with identifiers the format accepts.  It emits nothing.
"""

from __future__ import annotations

from hlbc import model as M

BOX = {"I": "BOXI", "F": "BOXF", "Z": "BOXZ"}


class Unconvertible(Exception):
    """No instruction turns a value of one descriptor into the other."""


def conversion(frm: str, to: str) -> tuple:
    """The steps that turn a value held as `frm` into one held as `to`:
    () or one of ("BOX", op), ("CAST", to), ("ADAPT", frm, to)."""
    if frm == to or frm == "N":
        return ()
    if to == "R":
        return (("BOX", BOX[frm]),) if frm in BOX else ()
    if frm == "R":
        return (("CAST", to),)
    if M.is_fn(frm) and M.is_fn(to):
        return (("ADAPT", frm, to),)
    if frm[0] == "[" and to[0] == "[":
        a, b = frm, to
        while a[0] == "[" and b[0] == "[":
            a, b = a[1:], b[1:]
        if a == b or b == "R":
            return ()
        if a == "R":
            return (("CAST", to),)
        if contains_r(a) or contains_r(b):
            raise Unconvertible(frm, to)
    return ()


def contains_r(desc: str) -> bool:
    """Does the descriptor hold `R` anywhere (class names aside)?"""
    i, n = 0, len(desc)
    while i < n:
        c = desc[i]
        if c == "L":
            i = desc.index(";", i) + 1
            continue
        if c == "R":
            return True
        i += 1
    return False


# Characters of descriptors that are not identifier characters, and `$`
# itself, each written `$` + a letter of its own: distinct descriptors get
# distinct names.  (`$x` separates two mangled descriptors.)
_ESCAPES = {"$": "$$", "(": "$p", ")": "$q", "[": "$a", ".": "$d", ";": "$e"}


def mangle(desc: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in desc)


def adapter_name(frm: str, to: str) -> str:
    """The module function turning a function value of signature `frm` into
    one of signature `to` (its first parameter is the value)."""
    return "$adapt$" + mangle(frm) + "$x" + mangle(to)


def bridge_name(name: str, sig: str, equals: bool = False) -> str:
    """The bridge method through which an interface method of signature
    `sig` reaches the class's method `name` (`equals`: the one of the
    prelude's `_Equals`, which answers false for another class)."""
    return f"{name}$eq" if equals else f"{name}$" + mangle(sig)
