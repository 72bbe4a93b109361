"""Natives of the string methods (`string.*`): receiver first.  Indices are
code point indices; the rules beyond language.md A8 are Java's (repeat of a
negative count and split by "" throw ValueError).

Two kinds of native live here.  Those in `TAKES_REFS` get raw references
(the registry does not marshal them) and do their work in place on the heap
through hllvm/strings.py, so that none copies its receiver: `code_at` O(1),
`substring` O(k), the searches O(n), `trim` O(whitespace + result).  The
others (split, replace, upper, lower, repeat, join) take and return Python
strs: one conversion each way is linear in their input and output, which is
what they cost in Java too.  This module owns the argument checks and error
messages of both kinds; the raw ones repeat the marshaller's null message
("null string passed to string.NAME") word for word.
"""

from __future__ import annotations

from ..layout import HEADER_WORDS
from ..strings import HeapStrings

# Natives that take and return raw HL values (see hllvm/natives/__init__.py).
TAKES_REFS = frozenset({"string.code_at", "string.substring", "string.index_of",
                        "string.contains", "string.starts_with", "string.ends_with",
                        "string.trim"})


def natives(vm):
    err = vm.errors
    heap = vm.heap
    hs = HeapStrings(heap, vm.strings.chars)
    length = hs.length

    def null(name):
        err.throw("NullError", f"null string passed to string.{name}")

    def code_at(s, i):
        # Null has length 0 (docs/heap.md), so one test rejects both.
        if 0 <= i < length(s):
            return hs.code_point(s, i)
        if not s:
            null("code_at")
        err.throw("IndexError", f"index {i} out of range for string of length {length(s)}")

    def substring(s, start, end):
        if not s:
            null("substring")
        n = length(s)
        start = 0 if start < 0 else (n if start > n else start)
        end = 0 if end < 0 else (n if end > n else end)
        return hs.substring(s, start, end)       # (empty when start >= end)

    def searcher(name, test):
        def native(h, t):
            if not h or not t:
                null(name)
            return test(h, t)
        return native

    def trim(s):
        if not s:
            null("trim")
        return hs.strip(s)

    def split(s, sep):
        if not sep:
            err.throw("ValueError", "split: empty separator")
        # The parts' array (a header and one word per part) and the parts'
        # headers must fit before Python builds the list.
        parts = s.count(sep) + 1
        need = HEADER_WORDS + parts * (1 + HEADER_WORDS)
        if not heap.fits(need):
            err.out_of_memory(need)
        return s.split(sep)

    def repeat(s, n):
        if n < 0:
            err.throw("ValueError", f"repeat: negative count {n}")
        err.reserve_chars(len(s) * n)
        return s * n

    def replace(s, old, new):
        if not old:
            # Java: "" matches between every pair of characters.
            err.reserve_chars(len(s) + (len(s) + 1) * len(new))
        elif len(new) > len(old):
            # The result must fit in the heap before Python builds it.
            err.reserve_chars(len(s) + s.count(old) * (len(new) - len(old)))
        return s.replace(old, new)

    def join(sep, parts):
        err.reserve_chars(sum(len(p) if p is not None else 4 for p in parts) + len(sep) * len(parts))
        return sep.join("null" if p is None else p for p in parts)

    return {
        "string.code_at": ("(SI)I", code_at),
        "string.substring": ("(SII)S", substring),
        "string.index_of": ("(SS)I", searcher("index_of", hs.find)),
        "string.contains": ("(SS)Z", searcher("contains", lambda h, t: hs.find(h, t) >= 0)),
        "string.starts_with": ("(SS)Z", searcher("starts_with", hs.starts_with)),
        "string.ends_with": ("(SS)Z", searcher("ends_with", hs.ends_with)),
        "string.split": ("(SS)[S", split),
        "string.trim": ("(S)S", trim),
        "string.upper": ("(S)S", str.upper),
        "string.lower": ("(S)S", str.lower),
        "string.replace": ("(SSS)S", replace),
        "string.repeat": ("(SI)S", repeat),
        "string.join": ("(S[S)S", join),
    }
