"""Operations on heap strings without converting them to Python.

This module owns the string work that is done on the heap's bytes in place,
so that each costs what it costs in Java (docs/heap.md, "String operations
and their costs"):

    code_point(s, i)          O(1)   one B (compact) or U (wide) read
    substring(s, a, b)        O(k)   heap-to-heap copy of k code points
    find(h, t)                O(n)   mmap.find over the payload bytes
    matches_at(h, i, t)       O(m)   one bounded mmap.find
    strip(s)                  O(k)   scans the whitespace at both ends only
    hashing(heap)(s)          O(n)   Java's String.hashCode over 64 bits (VHASH),
                                     remembered for short strings

It keeps the canonical form of docs/heap.md: a string whose code points are
all < 256 is compact (`equality` below compares type ids and
bytes, so a wide copy of a narrow range would compare unequal to its compact
twin); `substring` of a wide string therefore narrows when it can.

It does not own the layout (hllvm/layout.py, whose address functions it
uses), allocation (hllvm/heap.py), the ops for `s[i]`, `s.length`, `+`
and `<` (hllvm/ops/), argument checks and error messages (the natives
in hllvm/natives/text.py: every function here takes non-null references and
indices already checked), nor the operations whose linear form is one
conversion to a Python str (split, replace, upper, lower, repeat, join).

GC safety: `heap.alloc` may collect and move small blocks, so a function
that allocates holds the source reference in `heap.temps` across the
allocation and reads it back before copying.
"""

from __future__ import annotations

from operator import mul

from .layout import HEADER_BYTES, LENGTH_WORD, T_STR8, T_STR32, payload_byte, payload_u32, string_words

# Bytes per code point of a wide string (UTF-32LE).
WIDE_BYTES = 4


def equality(heap):
    """`str_eq(x, y)` for two string references of `heap` (either may be
    null): equal when both are null or hold the same code points.  In
    canonical form, equal strings have the same type id and bytes."""
    W, B = heap.W, heap.B

    def str_eq(x: int, y: int) -> bool:
        if x == y:
            return True
        if not x or not y:
            return False
        n = W[x + LENGTH_WORD]
        if W[x] != W[y] or W[y + LENGTH_WORD] != n:
            return False
        if W[x] != T_STR8:
            n *= WIDE_BYTES
        xo = (x << 3) + HEADER_BYTES
        yo = (y << 3) + HEADER_BYTES
        return B[xo:xo + n] == B[yo:yo + n]
    return str_eq


_M64 = (1 << 64) - 1
_CHUNK = 4096                      # code points summed at once (bounds the table of powers)
# _POWERS[j] = 31 ** (_CHUNK - 1 - j) mod 2**64: the weights of a chunk's code points.
_POWERS: list[int] = []
_P31: list[int] = []               # _P31[m] = 31 ** m mod 2**64, m <= _CHUNK


def _powers() -> list[int]:
    if not _POWERS:
        p = [1] * (_CHUNK + 1)
        for j in range(1, _CHUNK + 1):
            p[j] = (p[j - 1] * 31) & _M64
        _P31[:] = p
        _POWERS[:] = p[_CHUNK - 1::-1]
    return _POWERS


def code_point_hash(codes, n: int) -> int:
    """h = 0; for each code point c: h = h * 31 + c, wrapping at 64 bits,
    as a signed int: Java's String.hashCode over 64 bits.  `codes` is any
    sequence of n code points (bytes, a uint32 view, a str's ords)."""
    pw = _powers()
    h = 0
    for start in range(0, n, _CHUNK):
        m = min(_CHUNK, n - start)
        part = sum(map(mul, codes[start:start + m], pw[_CHUNK - m:]))
        h = (h * _P31[m] + part) & _M64
    return h - (1 << 64) if h >> 63 else h


def text_hash(s: str) -> int:
    """`code_point_hash` of a Python string."""
    return code_point_hash([ord(c) for c in s], len(s))


_CACHED_LENGTH = 64                # strings up to this many code points are remembered
_CACHE_SIZE = 8192


def hashing(heap):
    """`shash(s)`: the hash of non-null heap string s (`code_point_hash` of
    its code points).  Short strings are remembered by their bytes (a map's
    keys are hashed again and again); the memory is bounded."""
    W, B, U = heap.W, heap.B, heap.U
    narrow: dict[bytes, int] = {}
    wide: dict[bytes, int] = {}

    def shash(s: int) -> int:
        n = W[s + LENGTH_WORD]
        o = (s << 3) + HEADER_BYTES
        if W[s] == T_STR8:
            if n > _CACHED_LENGTH:
                return code_point_hash(B[o:o + n], n)
            key = B[o:o + n].tobytes()
            h = narrow.get(key)
            if h is None:
                if len(narrow) >= _CACHE_SIZE:
                    narrow.clear()
                h = narrow[key] = code_point_hash(key, n)
            return h
        u = o >> 2                         # the payload in uint32 units
        if n > _CACHED_LENGTH:
            return code_point_hash(U[u:u + n], n)
        key = B[o:o + WIDE_BYTES * n].tobytes()
        h = wide.get(key)
        if h is None:
            if len(wide) >= _CACHE_SIZE:
                wide.clear()
            h = wide[key] = code_point_hash(U[u:u + n], n)
        return h
    return shash


class HeapStrings:
    """The in-place string operations of one heap.  `chars` are the interned
    one-character strings for code points 0..255 (`Strings.chars`), returned
    for one-character results instead of a new block, as `s[i]` does."""

    def __init__(self, heap, chars) -> None:
        self.heap = heap
        self.mm = heap.mm
        self.W = heap.W
        self.B = heap.B
        self.U = heap.U
        self.chars = chars

    # --- reading ----------------------------------------------------------------------
    def length(self, s: int) -> int:
        return self.W[s + LENGTH_WORD]

    def code_point(self, s: int, i: int) -> int:
        """Code point i of string s (0 <= i < length, s not null)."""
        if self.W[s] == T_STR8:
            return self.B[payload_byte(s) + i]
        return self.U[payload_u32(s) + i]

    def _is_narrow(self, o: int, k: int) -> bool:
        """Whether the k wide code points at byte offset o are all < 256:
        bytes 1 and 2 of each UTF-32LE unit are zero (byte 3 always is,
        code points stopping at 0x10FFFF)."""
        B = self.B
        end = o + WIDE_BYTES * k
        byte1, byte2 = o + 1, o + 2             # within each unit: not header offsets
        return (B[byte1:end:WIDE_BYTES].tobytes().count(0) == k
                and B[byte2:end:WIDE_BYTES].tobytes().count(0) == k)

    # --- copying ----------------------------------------------------------------------
    def substring(self, s: int, a: int, b: int) -> int:
        """A string of the code points [a, b) of s (0 <= a <= b <= length):
        s itself when that is all of it, an interned string for one code
        point < 256, else a new block of the narrowest form."""
        W = self.W
        k = b - a
        n = W[s + LENGTH_WORD]
        if k == n:
            return s                      # immutable: the whole string is itself
        if k <= 0:
            return self.heap.intern("")
        tid = W[s]
        if tid == T_STR8:
            if k == 1:
                return self.chars[self.B[payload_byte(s) + a]]
            wide = False
        else:
            if k == 1:
                c = self.U[payload_u32(s) + a]
                if c < 256:
                    return self.chars[c]
            wide = not self._is_narrow(payload_byte(s) + WIDE_BYTES * a, k)
        heap = self.heap
        temps = heap.temps
        depth = len(temps)
        temps.append(s)
        try:
            p = heap.alloc(T_STR32 if wide else T_STR8, k, string_words(k, wide))
            s = temps[-1]                 # the allocation may have moved s
        finally:
            del temps[depth:]
        B = self.B
        q = payload_byte(p)
        if tid == T_STR8:
            o = payload_byte(s) + a
            B[q:q + k] = B[o:o + k]
        else:
            o = payload_byte(s) + WIDE_BYTES * a
            if wide:
                B[q:q + WIDE_BYTES * k] = B[o:o + WIDE_BYTES * k]
            else:                         # the low byte of each code point
                B[q:q + k] = B[o:o + WIDE_BYTES * k:WIDE_BYTES]
        return p

    # --- searching --------------------------------------------------------------------
    def _needle(self, t: int, wide: bool):
        """The payload bytes of t as they would appear in a haystack of the
        given form: a view of the heap when the forms agree, else t widened
        to UTF-32LE (a copy of length O(m)); None when t cannot occur in
        such a haystack (a wide needle has a code point >= 256, which no
        compact haystack holds)."""
        W = self.W
        m = W[t + LENGTH_WORD]
        o = payload_byte(t)
        if W[t] == T_STR8:
            if not wide:
                return self.B[o:o + m]
            return self.B[o:o + m].tobytes().decode("latin-1").encode("utf-32-le")
        if not wide:
            return None
        return self.B[o:o + WIDE_BYTES * m]

    def find(self, h: int, t: int) -> int:
        """Index of the first occurrence of t in h, or -1 (0 for an empty t)."""
        W = self.W
        m = W[t + LENGTH_WORD]
        if m == 0:
            return 0
        n = W[h + LENGTH_WORD]
        if m > n:
            return -1
        wide = W[h] != T_STR8
        needle = self._needle(t, wide)
        if needle is None:
            return -1
        lo = payload_byte(h)
        mm = self.mm
        if not wide:
            r = mm.find(needle, lo, lo + n)
            return r - lo if r >= 0 else -1
        # A byte-level hit counts only at a code point boundary; after a
        # misaligned one, search again from the next boundary.
        hi = lo + WIDE_BYTES * n
        pos = lo
        while True:
            r = mm.find(needle, pos, hi)
            if r < 0:
                return -1
            off = (r - lo) % WIDE_BYTES
            if not off:
                return (r - lo) // WIDE_BYTES
            pos = r + WIDE_BYTES - off

    def matches_at(self, h: int, i: int, t: int) -> bool:
        """Whether t occurs in h at code point i (0 <= i and i + length(t)
        <= length(h))."""
        W = self.W
        m = W[t + LENGTH_WORD]
        if m == 0:
            return True
        wide = W[h] != T_STR8
        needle = self._needle(t, wide)
        if needle is None:
            return False
        width = WIDE_BYTES if wide else 1
        o = payload_byte(h) + width * i
        return self.mm.find(needle, o, o + width * m) == o

    def starts_with(self, h: int, t: int) -> bool:
        W = self.W
        if W[t + LENGTH_WORD] > W[h + LENGTH_WORD]:
            return False
        return self.matches_at(h, 0, t)

    def ends_with(self, h: int, t: int) -> bool:
        W = self.W
        d = W[h + LENGTH_WORD] - W[t + LENGTH_WORD]
        if d < 0:
            return False
        return self.matches_at(h, d, t)

    # --- trimming -----------------------------------------------------------------------
    def strip(self, s: int) -> int:
        """s without leading and trailing whitespace (Python's str.strip():
        the code points for which str.isspace() holds); s itself when it has
        none, as Java's trim returns the receiver."""
        W = self.W
        n = W[s + LENGTH_WORD]
        if W[s] == T_STR8:
            view = self.B[payload_byte(s):payload_byte(s) + n]
        else:
            view = self.U[payload_u32(s):payload_u32(s) + n]
        a = 0
        while a < n and chr(view[a]).isspace():
            a += 1
        b = n
        while b > a and chr(view[b - 1]).isspace():
            b -= 1
        return self.substring(s, a, b)
