"""Pre-copy's dirty tracking (docs/migration.md): what changed between two
snapshots of one running program, as a delta that turns the older one,
which the target already holds, into the newer.

A snapshot is a logical image, not the heap's pages: the live blocks in
breadth-first order with references as image offsets (hllvm/snapshot/).
Two snapshots of a program that mutates its data in place are the same
bytes at the same places except the words it wrote; a block that became
live or died moves every block after it by its size, and with them the
references to them.  So the source, which keeps the last snapshot it sent,
compares the new one with it page by page (4 KiB), where the two are
expected to line up:

- a page equal to the old one at the expected place is a COPY (runs of
  them are one op; 64 KiB spans are compared first, at memcmp speed);
- a page that differs but has some 256-byte piece equal at the same place
  was changed in place (or holds an insertion): its pieces are COPY or
  DATA; otherwise the page is DATA;
- after a page whose last piece differed, the next page's first 64 bytes
  are looked for where they are expected and, if they are not there
  (blocks were inserted or removed), searched for in the old snapshot
  within 256 KiB either way (a memmem, `bytes.find`), so the pages after
  an insertion are copies again, from their new offset.

Nothing is trusted to a hash: a COPY is emitted only after the bytes were
compared, so a delta is always exact, whatever the guesses; a bad guess
only makes it larger.  Every step is a C-speed comparison or search; the
Python loop runs once per page (about 13,000 times per 50 MiB).

The delta is a stream of ops, each a tag byte and unsigned LEB128 numbers:

    0x00  COPY  zigzag(old offset - cursor), length   cursor: where the
                                                       previous COPY ended
    0x01  DATA  length, then that many bytes

`apply` reads one as untrusted input: every offset and length is checked
against the old snapshot and the announced size before anything is copied,
and DeltaError names what is wrong.  This module owns the comparison and
the encoding; what is sent when is hll/migrate.py's, the framing
hll/migrate_wire.py's.
"""

from __future__ import annotations

PAGE = 4096          # the unit compared and sent
PIECE = 256          # the unit resent of a page changed in place
SPAN = 1 << 16       # compared first: most of a snapshot is unchanged
ANCHOR = 64          # bytes searched for to find a lost alignment again
PROBES = range(0, PAGE, 1024)   # where a page is checked for alignment before any search
WINDOW = 1 << 18     # how far (either way) an alignment is searched for

COPY, DATA = 0, 1


class DeltaError(Exception):
    """A delta that cannot be applied (malformed, or out of bounds)."""


def diff(old: bytes, new: bytes) -> tuple[list, int]:
    """The delta that makes `new` of `old`, as a list of buffers to send one
    after the other, and how many of `new`'s bytes it carries as DATA (the
    rest are copies)."""
    out = _Ops(new)
    M, N = len(old), len(new)
    mold = memoryview(old)
    startswith = new.startswith
    p = q = 0                                      # new's position, and old's that lines up with it
    if not M:
        out.data(0, N)
        p = N
    pages_to = 0                                   # a span that differed is gone through page by page
    while p < N:
        if p >= pages_to:
            if 0 <= q and q + SPAN <= M and p + SPAN <= N and startswith(mold[q:q + SPAN], p):
                out.copy(q, SPAN)
                p += SPAN
                q += SPAN
                continue
            pages_to = p + SPAN
        n = PAGE if p + PAGE <= N else N - p
        if 0 <= q and q + n <= M:
            if startswith(mold[q:q + n], p):
                out.copy(q, n)
                p += n
                q += n
                continue
            same = [startswith(mold[q + k:q + k + PIECE], p + k) for k in range(0, n, PIECE)]
            if any(same):                          # changed in place, or an insertion inside
                for i, k in enumerate(range(0, n, PIECE)):
                    m = min(PIECE, n - k)
                    if same[i]:
                        out.copy(q + k, m)
                    else:
                        out.data(p + k, m)
                p += n
                # An insertion inside leaves the page's end out of line.
                q = q + n if same[-1] else _realign(old, new, p, q + n)
                continue
        out.data(p, n)
        p += n
        q = _realign(old, new, p, q + n)
    return out.finish()


def _realign(old: bytes, new: bytes, p: int, q: int) -> int:
    """Where in `old` the bytes at `new[p:]` are, near `q` where they were
    expected: `q` if any of the next page's PROBES lines up there (what
    changed in place may cover the first), else the nearest place its first
    ANCHOR bytes occur within WINDOW either way, else `q` (a guess: the
    next comparison tells)."""
    if q < 0 or p + PAGE > len(new):
        return max(q, 0)
    for k in PROBES:
        if old.startswith(new[p + k:p + k + ANCHOR], q + k):
            return q
    anchor = new[p:p + ANCHOR]
    after = old.find(anchor, q, q + WINDOW + ANCHOR)
    before = old.rfind(anchor, max(0, q - WINDOW), q + ANCHOR - 1)
    found = [i for i in (after, before) if i >= 0]
    return min(found, key=lambda i: abs(i - q)) if found else q


class _Ops:
    """The op stream being written, as a list of buffers: adjacent copies
    are merged, adjacent data runs too, and a long data run is a view of
    the new snapshot rather than a copy of it (a first round is one)."""

    def __init__(self, new: bytes) -> None:
        self.new = memoryview(new)
        self.parts: list = []
        self.buf = bytearray()
        self.cursor = 0
        self.pending = None            # (COPY, offset, length) or (DATA, position, length)
        self.carried = 0

    def copy(self, off: int, n: int) -> None:
        p = self.pending
        if p is not None and p[0] == COPY and p[1] + p[2] == off:
            self.pending = (COPY, p[1], p[2] + n)
            return
        self._flush()
        self.pending = (COPY, off, n)

    def data(self, at: int, n: int) -> None:
        p = self.pending
        if p is not None and p[0] == DATA and p[1] + p[2] == at:
            self.pending = (DATA, p[1], p[2] + n)
            return
        self._flush()
        self.pending = (DATA, at, n)

    def _flush(self) -> None:
        p = self.pending
        if p is None:
            return
        kind, at, n = p
        buf = self.buf
        buf.append(kind)
        if kind == COPY:
            d = at - self.cursor
            _uleb(buf, (d << 1) if d >= 0 else ((-d << 1) - 1))
            _uleb(buf, n)
            self.cursor = at + n
        else:
            _uleb(buf, n)
            if n >= SPAN:
                self.parts += (buf, self.new[at:at + n])
                self.buf = bytearray()
            else:
                buf += self.new[at:at + n]
            self.carried += n
        self.pending = None

    def finish(self) -> tuple[list, int]:
        self._flush()
        if self.buf:
            self.parts.append(self.buf)
        return self.parts, self.carried


def _uleb(buf: bytearray, v: int) -> None:
    while v >= 0x80:
        buf.append((v & 0x7F) | 0x80)
        v >>= 7
    buf.append(v)


def apply(old, delta, length: int):
    """`old` changed by `delta` into a snapshot of exactly `length` bytes
    (a bytearray, or a view of `delta` when it is one DATA op); the caller
    bounds `length`.  DeltaError for anything malformed."""
    d = memoryview(delta)
    mold = memoryview(old)
    end = len(d)
    if end and d[0] == DATA:                       # a whole snapshot in one piece: no copy
        n, i = _read_uleb(d, 1, end)
        if n == length and i + n == end:
            return d[i:]
    out = bytearray(length)
    at = 0
    M = len(old)
    cursor = 0
    i = 0
    while i < end:
        tag = d[i]
        i += 1
        if tag == COPY:
            z, i = _read_uleb(d, i, end)
            n, i = _read_uleb(d, i, end)
            off = cursor + ((z >> 1) if not z & 1 else -((z + 1) >> 1))
            if off < 0 or n > M - off:
                raise DeltaError(f"a copy of {n} bytes at offset {off} is outside the previous "
                                 f"snapshot ({M} bytes)")
            src = mold[off:off + n]
            cursor = off + n
        elif tag == DATA:
            n, i = _read_uleb(d, i, end)
            if n > end - i:
                raise DeltaError(f"{n} bytes of data announced, {end - i} left in the delta")
            src = d[i:i + n]
            i += n
        else:
            raise DeltaError(f"unknown op {tag} at byte {i - 1} of the delta")
        if n > length - at:
            raise DeltaError(f"the delta makes more than the announced {length} bytes")
        out[at:at + n] = src
        at += n
    if at != length:
        raise DeltaError(f"the delta makes {at} bytes, {length} were announced")
    return out


def _read_uleb(d, i: int, end: int) -> tuple[int, int]:
    v = shift = 0
    while True:
        if i >= end:
            raise DeltaError("the delta ends inside a number")
        b = d[i]
        i += 1
        v |= (b & 0x7F) << shift
        if not b & 0x80:
            return v, i
        shift += 7
        if shift > 63:
            raise DeltaError(f"a number longer than 64 bits at byte {i} of the delta")


__all__ = ["diff", "apply", "DeltaError", "PAGE", "PIECE"]
