"""Natives of the string methods (`string.*`): receiver first, Python str in
and out (the registry marshals heap strings).  Indices are code point
indices; the rules beyond language.md A8 are Java's (repeat of a negative
count and split by "" throw ValueError).
"""

from __future__ import annotations


def natives(vm):
    err = vm.errors
    heap = vm.heap

    def code_at(s, i):
        if 0 <= i < len(s):
            return ord(s[i])
        err.throw("IndexError", f"index {i} out of range for string of length {len(s)}")

    def substring(s, start, end):
        n = len(s)
        start = 0 if start < 0 else (n if start > n else start)
        end = 0 if end < 0 else (n if end > n else end)
        return s[start:end] if start < end else ""

    def split(s, sep):
        if not sep:
            err.throw("ValueError", "split: empty separator")
        # The parts' array and headers must fit before Python builds the list.
        parts = s.count(sep) + 1
        if not heap.fits(2 + 3 * parts):
            err.out_of_memory(2 + 3 * parts)
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
        "string.index_of": ("(SS)I", str.find),
        "string.contains": ("(SS)Z", str.__contains__),
        "string.starts_with": ("(SS)Z", str.startswith),
        "string.ends_with": ("(SS)Z", str.endswith),
        "string.split": ("(SS)[S", split),
        "string.trim": ("(S)S", str.strip),
        "string.upper": ("(S)S", str.upper),
        "string.lower": ("(S)S", str.lower),
        "string.replace": ("(SSS)S", replace),
        "string.repeat": ("(SI)S", repeat),
        "string.join": ("(S[S)S", join),
    }
