"""Erased values at run time: boxes, and the value hash of VHASH.

Boxes (docs/heap.md): an int, float or bool in an `R` slot is a block of
type T_BOXI, T_BOXF or T_BOXZ whose word 2 holds the value.  HL code cannot
tell two boxes of one value apart (`==` on a type parameter's values
compares values, VEQ), so boxes may be shared: the two bool boxes are
permanent blocks made once per VM, and so are the boxes of the ints
-128..1023 (as the JVM's Integer cache), each made the first time any tier
needs it.  Their table is native words (`small`, at `small_address()`),
so compiled code reads it too (the run state's SMALLINTS slot); the other
ints get a new block each time.

VHASH (docs/bytecode.md): the value's hash for strings (Java's
`String.hashCode` over 64 bits) and boxes (the int; the float's IEEE bits,
-0.0 as 0.0 and every nan as the one quiet nan, so a hash never depends
on how a tier computed a nan; 1 or 0), 0 for null, and for other values
an identity: an instance or a function value keeps a number in the high
half of its word 1, assigned from the run state's IDHASH counter the first
time it is asked (1, 2, 3 ... so the same program gives the same numbers
in every tier); an array, whose word 1 every bounds check reads whole,
hashes by its type and length (typeids.array_hash).

It owns these functions; the layout is hllvm/layout.py's, the counter's
slot hllvm/state.py's.
"""

from __future__ import annotations

import mmap
import struct

from ..layout import (BOX_WORDS, HASH_SHIFT, HEADER_WORDS, LENGTH_WORD, MAX_HASH, STRING_TIDS, T_BOXF,
                      T_BOXI, T_BOXZ)
from ..state import IDHASH
from ..strings import hashing
from ..typeids import array_hash

SMALL_INTS = (-128, 1024)          # ints whose boxes are shared: [low, high)
_QNAN_BITS = 0x7FF8000000000000
_pack_d = struct.Struct("<d").pack
_unpack_q = struct.Struct("<q").unpack


def float_bits(x: float) -> int:
    """The IEEE bits of x as a signed int, -0.0 as 0.0, nan as the quiet nan."""
    if x != x:
        return _QNAN_BITS
    if x == 0.0:
        return 0
    return _unpack_q(_pack_d(x))[0]


class Boxes:
    """The boxing and hashing of one VM's values."""

    def __init__(self, vm) -> None:
        heap = self.heap = vm.heap
        W, D = heap.W, heap.D
        alloc, alloc_perm = heap.alloc, heap.alloc_perm
        HW = HEADER_WORDS
        self.false = alloc_perm(T_BOXZ, 1, BOX_WORDS)
        self.true = alloc_perm(T_BOXZ, 1, BOX_WORDS)
        W[self.true + HW] = 1
        low, high = SMALL_INTS
        # Native words, zeroed (an anonymous mapping never moves): ref of
        # the box of int low + i, or 0 until it is made.
        self._small_words = mmap.mmap(-1, (high - low) * 8)
        small = self.small = memoryview(self._small_words).cast("q")

        def box_int(v: int) -> int:
            """A box of int v (it may collect: the caller has recorded its op)."""
            if low <= v < high:
                b = small[v - low]
                if not b:
                    b = alloc_perm(T_BOXI, 1, BOX_WORDS)
                    W[b + HW] = v
                    small[v - low] = b
                return b
            b = alloc(T_BOXI, 1, BOX_WORDS)
            W[b + HW] = v
            return b

        def box_float(x: float) -> int:
            b = alloc(T_BOXF, 1, BOX_WORDS)
            D[b + HW] = x
            return b

        self.box_int = box_int
        self.box_float = box_float
        self.shash = hashing(vm.heap)
        self.vhash, self.identity_hash = self._hasher(vm, self.shash)

    def box_bool(self, z: bool) -> int:
        return self.true if z else self.false

    def small_address(self) -> int:
        """The native address of the shared small-int boxes' table (ctypes
        is imported only here: the interpreter alone never asks)."""
        import ctypes
        return ctypes.addressof(ctypes.c_char.from_buffer(self._small_words))

    @staticmethod
    def _hasher(vm, shash):
        W, D = vm.heap.W, vm.heap.D
        S = vm.state.W
        TYPES = vm.interp.TYPES
        HW, LEN = HEADER_WORDS, LENGTH_WORD

        def identity(r: int) -> int:
            """The identity hash of instance or function value r (assigned
            on first use)."""
            w = W[r + LEN]
            h = w >> HASH_SHIFT
            if not h:
                h = S[IDHASH] % MAX_HASH + 1
                S[IDHASH] = h
                W[r + LEN] = w | (h << HASH_SHIFT)
            return h

        def vhash(r: int, t: int) -> int:
            """VHASH of non-null r, whose type id is t."""
            if t in STRING_TIDS:
                return shash(r)
            if t == T_BOXI or t == T_BOXZ:
                return W[r + HW]
            if t == T_BOXF:
                return float_bits(D[r + HW])
            rec = TYPES[t]
            if rec.kind == "array":
                return array_hash(rec.hash_seed, W[r + LEN])
            return identity(r)
        return vhash, identity


__all__ = ["Boxes", "float_bits", "SMALL_INTS"]
