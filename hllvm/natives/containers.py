"""Natives of `collections` (stdlib/collections.hl): the storage arrays of
List, Map and Set, and sorting in natural order.

HL source cannot allocate an array of a type parameter (`new T[n]` is a
compile error, language.md B5), so the collections get their storage from
`collections._grow(old, n)`: a new array of erased elements (`[R`, Java's
`Object[]`) of length n holding the first min(n, old.length) elements of
`old` (null: none).  Taking the old array also gives the type argument to
infer, and makes growing one native copy instead of an HL loop.

Natural order (`List.sort()`, `collections.sort(xs)`): ints and bools by
value (false < true), strings by code point, floats by Java's
`Double.compare` (-0.0 before 0.0, nan last, all nans equal).  Elements of
different kinds, or of any other kind (objects, arrays, function values),
throw CastError; a null element throws NullError.  The sort is stable
(Python's sort) and moves references only: it allocates nothing on the HL
heap, so no reference it holds can move under it.

It does not own the collections' logic (HL code in stdlib/collections.hl)
nor how arrays are laid out (hllvm/layout.py).
"""

from __future__ import annotations

import math
from array import array

from .. import layout as L
from ..layout import (HEADER_WORDS, LENGTH_WORD, STRING_TIDS, T_BOXF, T_BOXI, T_BOXZ, T_FARR, T_IARR,
                      T_RARR, T_ZARR, TYPE_MASK, payload_byte)

# string[] and R[] are the arrays of references with fixed type ids; the
# collections' storage is always R[] (any other array of references has a
# type id of the linker's, and reaches these natives only through `sort`).
T_SARR = getattr(L, "T_SARR", T_RARR)
REF_ARRAYS = (T_SARR, T_RARR)

_KIND_NAME = {T_BOXI: "int", T_BOXF: "float", T_BOXZ: "bool"}


def float_key(x: float):
    """Java's Double.compare as a sort key."""
    if x != x:
        return (1, 0.0, 0)
    return (0, x, math.copysign(1.0, x) > 0)


def natives(vm):
    err = vm.errors
    heap = vm.heap
    W, D, B = heap.W, heap.D, heap.B

    def check_refs(a, what):
        if a == 0:
            err.throw("NullError", f"{what}: null array")
        if W[a] & TYPE_MASK not in REF_ARRAYS:
            err.throw("CastError", f"{what}: {vm.type_name(a)} is not an array of references")

    def grow(old, n):
        if n < 0:
            err.throw("ValueError", f"negative array size {n}")
        if old:
            check_refs(old, "collections._grow")
        temps = heap.temps
        depth = len(temps)
        try:
            temps.append(old)           # the allocation may move it
            a = heap.new_array(T_RARR, n)
            old = temps[-1]
        finally:
            del temps[depth:]
        if old:
            k = min(n, W[old + LENGTH_WORD])
            src = old + HEADER_WORDS
            dst = a + HEADER_WORDS
            W[dst:dst + k] = W[src:src + k]
        return a

    def ref_keys(a, n, what):
        """(key function, element refs) for sorting the first n references of a."""
        base = a + HEADER_WORDS
        refs = list(W[base:base + n])
        kind = first = None
        for r in refs:
            if r == 0:
                err.throw("NullError", f"{what}: cannot order null")
            tid = W[r] & TYPE_MASK
            k = "string" if tid in STRING_TIDS else tid
            if kind is None:
                kind, first = k, r
            elif k != kind:
                err.throw("CastError", f"{what}: cannot order {_name(kind, first)} and {_name(k, r)} together")
        if kind is None:
            return None, refs
        if kind == "string":
            get = heap.get_str
            return get, refs
        if kind == T_BOXF:
            return (lambda r: float_key(D[r + HEADER_WORDS])), refs
        if kind in (T_BOXI, T_BOXZ):
            return (lambda r: W[r + HEADER_WORDS]), refs
        err.throw("CastError", f"{what}: {vm.type_name(refs[0])} has no natural order "
                               "(use sort_by with a comparison)")

    def _name(kind, r):
        return kind if kind == "string" else _KIND_NAME.get(kind) or vm.type_name(r)

    def sort_refs(a, n, what):
        key, refs = ref_keys(a, n, what)
        if key is None:
            return
        keys = [key(r) for r in refs]
        order = sorted(range(n), key=keys.__getitem__)
        base = a + HEADER_WORDS
        W[base:base + n] = array("q", [refs[i] for i in order])

    def copy(src, si, dst, di, n):
        check_refs(src, "collections._copy")
        check_refs(dst, "collections._copy")
        if n < 0 or si < 0 or di < 0 or si + n > W[src + LENGTH_WORD] or di + n > W[dst + LENGTH_WORD]:
            err.throw("IndexError", f"copy of {n} elements from {si} to {di} out of range")
        s0 = src + HEADER_WORDS + si
        d0 = dst + HEADER_WORDS + di
        W[d0:d0 + n] = memoryview(W[s0:s0 + n].tobytes()).cast("q")     # (through a copy: the ranges may overlap)

    def sort_prefix(a, n):
        if a == 0:
            err.throw("NullError", "sort: null array")
        length = W[a + LENGTH_WORD]
        if not 0 <= n <= length:
            err.throw("IndexError", f"sort: count {n} out of range for length {length}")
        tid = W[a] & TYPE_MASK
        base = a + HEADER_WORDS
        if tid == T_IARR:
            W[base:base + n] = array("q", sorted(W[base:base + n]))
        elif tid == T_FARR:
            D[base:base + n] = array("d", sorted(D[base:base + n], key=float_key))
        elif tid == T_ZARR:
            o = payload_byte(a)
            ones = sum(B[o:o + n])
            B[o:o + n] = bytes(n - ones) + b"\x01" * ones
        elif tid in REF_ARRAYS:
            sort_refs(a, n, "sort")
        elif n > 1:
            err.throw("CastError", f"sort: {vm.type_name(a)} has no natural order "
                                   "(use List.sort_by with a comparison)")

    def sort_all(a):
        if a == 0:
            err.throw("NullError", "sort: null array")
        sort_prefix(a, W[a + LENGTH_WORD])

    return {
        "collections._grow": ("([RI)[R", grow),
        "collections._copy": ("([RI[RII)V", copy),
        "collections._sort": ("([RI)V", sort_prefix),
        "collections.sort": ("([R)V", sort_all),
    }

