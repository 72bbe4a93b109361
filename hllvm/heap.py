"""The VM's heap: one anonymous memory mapping, and every HL block in it.

This module owns the heap's memory (an anonymous `mmap` of `max_heap` bytes
that the OS commits page by page as it is touched), the block layout (headers,
type ids, sizes — documented byte by byte in docs/heap.md), the allocator
(`Heap.alloc`, the one place that hands out memory, where the collector will
plug in) and the conversions between heap strings/arrays and Python values.

It does not own the class table (type ids >= FIRST_CLASS_ID are assigned by
the linker), the roots (frames, globals, interned constants: see docs/heap.md)
or what happens when memory runs out (`on_oom`, set by the VM, throws the HL
`OutOfMemoryError`).

References are word indices into the heap (int; 0 is null).  Word 0 and 1 are
the reserved "null block": both stay 0, so reading the length of null gives 0
and a bounds check `0 <= i < W[a + 1]` also rejects a null array.
"""

from __future__ import annotations

import mmap

# --- type ids (low 32 bits of a block's word 0) -------------------------------
T_NONE = 0        # the reserved null block
T_STR8 = 1        # string, 1 byte per code point (all code points < 256)
T_STR32 = 2       # string, 4 bytes per code point (UTF-32LE)
T_IARR = 3        # int[]: 8 bytes per element (signed 64-bit)
T_FARR = 4        # float[]: 8 bytes per element (IEEE binary64)
T_ZARR = 5        # bool[]: 1 byte per element (0 or 1)
T_RARR = 6        # array of references (string[], C[], T[][]): 8 bytes each
T_FILLER = 7      # free space left by the collector: word1 = payload words
FIRST_CLASS_ID = 16   # class instances: type id = class id (see linker)

TYPE_MASK = 0xFFFFFFFF   # word 0: type id; the high 32 bits are the GC's
HEADER_WORDS = 2
HEADER_BYTES = 16
RESERVED_WORDS = 2       # words 0 and 1: the null block

ARRAY_KIND = {"I": T_IARR, "F": T_FARR, "Z": T_ZARR}   # anything else: T_RARR


def array_type_id(elem: str) -> int:
    """Type id of an array whose element descriptor is `elem`."""
    return ARRAY_KIND.get(elem, T_RARR)


def payload_words(tid: int, length: int) -> int:
    """Words after the header of a block with this type id and word 1."""
    if tid == T_STR8 or tid == T_ZARR:
        return (length + 7) >> 3
    if tid == T_STR32:
        return (length + 1) >> 1
    return length        # int/float/ref arrays, objects (word1 = field count), filler


class Heap:
    """The region, its typed views and the bump allocator.

    Views over the same memory: `W` signed 64-bit words (ints, refs, headers),
    `D` float64 words, `B` bytes (compact strings), `Z` bool bytes (bool
    arrays), `U` uint32 (wide strings).  The address of element i of a block
    at word p is: word p + 2 + i (8-byte elements), byte (p + 2) * 8 + i
    (bool arrays, compact strings), uint32 (p + 2) * 2 + i (wide strings).

    Invariant (the collector must keep it): memory at and above `top` is zero,
    so a fresh block needs only its header written.
    """

    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 4096:
            max_bytes = 4096
        size = (max_bytes + 4095) & ~4095
        self.mm = mmap.mmap(-1, size)
        mv = memoryview(self.mm)
        self.W = mv.cast("q")
        self.D = mv.cast("d")
        self.B = mv.cast("B")
        self.Z = mv.cast("?")
        self.U = mv.cast("I")
        self.size = size
        self.limit = size >> 3          # first word index past the heap
        self.top = RESERVED_WORDS       # next free word
        self.allocated_words = 0        # since start, for statistics
        self.on_oom = self._default_oom
        self.interned: dict[str, int] = {}   # constant strings (roots)

    # --- allocation -------------------------------------------------------------
    def alloc(self, tid: int, length: int, nwords: int) -> int:
        """A zeroed block of `nwords` words (header included) with its header
        set; returns its word index.  Every allocation goes through here."""
        p = self.top
        q = p + nwords
        if q > self.limit:
            # A collector would run here and retry; without one the heap is full.
            self.on_oom(nwords)
            raise AssertionError("on_oom must not return")   # pragma: no cover
        self.top = q
        self.allocated_words += nwords
        W = self.W
        W[p] = tid
        W[p + 1] = length
        return p

    def fits(self, nwords: int) -> bool:
        return self.top + nwords <= self.limit

    def _default_oom(self, nwords: int) -> None:
        raise MemoryError(f"HL heap exhausted allocating {nwords * 8} bytes")

    @property
    def used_bytes(self) -> int:
        return self.top * 8

    # --- walking ------------------------------------------------------------------
    def block_words(self, p: int) -> int:
        """Size in words of the block at p, from its header alone."""
        tid = self.W[p] & TYPE_MASK
        return HEADER_WORDS + payload_words(tid, self.W[p + 1])

    def blocks(self):
        """Every block from the first to `top`: (word index, type id, word 1)."""
        p = RESERVED_WORDS
        W = self.W
        while p < self.top:
            tid = W[p] & TYPE_MASK
            n = W[p + 1]
            yield p, tid, n
            p += HEADER_WORDS + payload_words(tid, n)

    # --- strings --------------------------------------------------------------------
    def new_str(self, s: str) -> int:
        """Copy a Python string into a new heap string (compact if it can be)."""
        n = len(s)
        try:
            data = s.encode("latin-1")
            tid = T_STR8
            words = (n + 7) >> 3
        except UnicodeEncodeError:
            data = s.encode("utf-32-le", "surrogatepass")
            tid = T_STR32
            words = (n + 1) >> 1
        p = self.alloc(tid, n, HEADER_WORDS + words)
        o = (p + 2) << 3
        self.B[o:o + len(data)] = data
        return p

    def new_str_bytes(self, tid: int, n: int, data) -> int:
        """A heap string of kind `tid` with `n` code points from raw bytes."""
        words = (n + 7) >> 3 if tid == T_STR8 else (n + 1) >> 1
        p = self.alloc(tid, n, HEADER_WORDS + words)
        o = (p + 2) << 3
        self.B[o:o + len(data)] = data
        return p

    def str_words(self, n: int, wide: bool) -> int:
        return HEADER_WORDS + ((n + 1) >> 1 if wide else (n + 7) >> 3)

    def get_str(self, p: int) -> str:
        """The Python string for heap string p (p must not be null)."""
        W = self.W
        n = W[p + 1]
        o = (p + 2) << 3
        if W[p] == T_STR8:
            return str(self.B[o:o + n], "latin-1")
        return str(self.B[o:o + 4 * n], "utf-32-le", "surrogatepass")

    def str_bytes(self, p: int):
        """(kind, length, byte view) of heap string p."""
        W = self.W
        tid = W[p]
        n = W[p + 1]
        o = (p + 2) << 3
        return tid, n, self.B[o:o + (n if tid == T_STR8 else 4 * n)]

    def intern(self, s: str) -> int:
        """The one heap string for constant `s` (allocated once, kept forever)."""
        p = self.interned.get(s)
        if p is None:
            p = self.new_str(s)
            self.interned[s] = p
        return p

    def is_str(self, p: int) -> bool:
        return p != 0 and self.W[p] in (T_STR8, T_STR32)

    # --- arrays ------------------------------------------------------------------------
    def array_words(self, tid: int, n: int) -> int:
        return HEADER_WORDS + payload_words(tid, n)

    def new_array(self, tid: int, n: int) -> int:
        return self.alloc(tid, n, HEADER_WORDS + payload_words(tid, n))

    def array_get(self, a: int, i: int):
        """Element i of array a as an HL value (int, float, bool or ref)."""
        tid = self.W[a]
        if tid == T_FARR:
            return self.D[a + 2 + i]
        if tid == T_ZARR:
            return self.Z[((a + 2) << 3) + i]
        return self.W[a + 2 + i]

    def array_set(self, a: int, i: int, v) -> None:
        tid = self.W[a]
        if tid == T_FARR:
            self.D[a + 2 + i] = v
        elif tid == T_ZARR:
            self.Z[((a + 2) << 3) + i] = v
        else:
            self.W[a + 2 + i] = v

    def new_str_array(self, items) -> int:
        """A string[] of new heap strings (None → null)."""
        items = list(items)
        # Allocate the elements first: a collector may move nothing we hold yet.
        refs = [0 if s is None else self.new_str(s) for s in items]
        a = self.new_array(T_RARR, len(refs))
        self.W[a + 2:a + 2 + len(refs)] = _q_array(refs)
        return a

    def str_array_items(self, a: int) -> list:
        """The Python strings of a string[] (null elements → None)."""
        n = self.W[a + 1]
        return [None if r == 0 else self.get_str(r) for r in self.W[a + 2:a + 2 + n]]


def _q_array(refs: list[int]):
    import array
    return memoryview(array.array("q", refs))
