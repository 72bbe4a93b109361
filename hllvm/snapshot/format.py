"""The snapshot container: header, checksum, sections, and the primitives
every section is written in (docs/snapshots.md documents it byte by byte).

    offset  size  field
    0       8     magic  89 48 4C 53 4E 41 50 0A  ("\\x89HLSNAP\\n")
    8       2     major version (u16)      a reader refuses another major
    10      2     minor version (u16)      and a newer minor
    12      4     flags (u32, 0)
    16      8     body length in bytes (u64)
    24      32    SHA-256 of the body
    56      ...   body: the sections, in the order of SECTIONS, each
                  tag (u8), length (u64), payload

Every integer is little-endian; a string is a u32 byte count and UTF-8; a
count is a u32 checked against the bytes left before anything is made of
it, so a reader never allocates more than the snapshot's own size.

This module owns the container and `Reader`/`Writer`; what a section holds
is capture.py's and restore.py's.  Nothing here evaluates, unpickles or
imports anything named by the data.
"""

from __future__ import annotations

import struct

from hlbc.errors import LoadError
from hlbc.wire import Sink, Source

from ..errors import SnapshotError

MAGIC = b"\x89HLSNAP\n"
MAJOR, MINOR = 1, 0
_HEAD = struct.Struct("<8sHHIQ32s")
HEADER_BYTES = _HEAD.size            # 56

# Section tags, in the order a snapshot holds them (each exactly once).
META, MODULES, TYPES, HEAP, GLOBALS, FRAMES, TRACES, HANDLES = range(1, 9)
SECTIONS = {META: "meta", MODULES: "modules", TYPES: "types", HEAP: "heap", GLOBALS: "globals",
            FRAMES: "frames", TRACES: "traces", HANDLES: "handles"}


class Writer(Sink):
    """A section's bytes (the primitives of hlbc/wire.py)."""

    def words(self, values) -> None:
        """A u64 count, then that many i64 words (an array('q') as is)."""
        self.buf += struct.pack("<Q", len(values))
        self.buf += memoryview(values).cast("B") if hasattr(values, "typecode") else \
            struct.pack(f"<{len(values)}q", *values)


class Reader(Source):
    """A section's bytes, read with every count and length checked; every
    failure is a SnapshotError naming the section and the offset."""

    def __init__(self, data, section: str, base: int, end: int | None = None) -> None:
        super().__init__(data, end)
        self.section = section
        self.base = base                 # the section's offset in the whole snapshot

    def fail(self, msg: str, at: int | None = None) -> SnapshotError:
        return SnapshotError(msg, f"section {self.section}, byte {self.base + (self.pos if at is None else at)}")

    def _take(self, n: int, what: str) -> bytes:
        try:
            return super()._take(n, what)
        except LoadError as e:           # (Source's own message and offset)
            raise self.fail(str(e.args[0]) if e.args else "truncated") from None

    def str(self, what: str = "string") -> str:
        try:
            return super().str(what)
        except LoadError as e:
            raise self.fail(e.args[0] if e.args else f"bad {what}") from None

    def count(self, what: str, min_item_size: int = 1) -> int:
        try:
            return super().count(what, min_item_size)
        except LoadError as e:
            raise self.fail(e.args[0] if e.args else f"bad {what} count") from None

    def words(self, what: str):
        """A u64 count and that many i64 words, as a memoryview of int64."""
        at = self.pos
        n = struct.unpack("<Q", self._take(8, what + " count"))[0]
        if n > (self.end - self.pos) // 8:
            raise self.fail(f"{what} count {n} exceeds the snapshot", at)
        raw = self._take(n * 8, what)
        return memoryview(raw).cast("q") if n else memoryview(b"").cast("q")

    def done(self) -> None:
        if self.pos != self.end:
            raise self.fail(f"{self.end - self.pos} bytes left over at the end of the section")


def pack(sections: dict[int, bytes]) -> bytes:
    """The whole snapshot of its sections' payloads."""
    from hashlib import sha256
    body = bytearray()
    for tag in SECTIONS:
        payload = sections[tag]
        body.append(tag)
        body += struct.pack("<Q", len(payload))
        body += payload
    return _HEAD.pack(MAGIC, MAJOR, MINOR, 0, len(body), sha256(body).digest()) + bytes(body)


def unpack(data) -> dict[int, Reader]:
    """The sections of a snapshot, each as a Reader over its payload, after
    checking the header, the length and the checksum."""
    from hashlib import sha256
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise SnapshotError(f"a snapshot is bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) < HEADER_BYTES:
        raise SnapshotError(f"{len(data)} bytes are too few for a snapshot header ({HEADER_BYTES})", "header")
    magic, major, minor, flags, length, digest = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise SnapshotError("not an HL snapshot (bad magic number)", "header, byte 0")
    if major != MAJOR or minor > MINOR:
        raise SnapshotError(f"snapshot format {major}.{minor}; this VM reads {MAJOR}.0 to {MAJOR}.{MINOR}",
                            "header, byte 8")
    if flags:
        raise SnapshotError(f"unknown flags {flags:#x}", "header, byte 12")
    if length != len(data) - HEADER_BYTES:
        raise SnapshotError(f"the header says {length} bytes of body, the snapshot has "
                            f"{len(data) - HEADER_BYTES} (truncated or padded)", "header, byte 16")
    body = memoryview(data)[HEADER_BYTES:]
    if sha256(body).digest() != digest:
        raise SnapshotError("checksum mismatch: the snapshot is damaged", "header, byte 24")
    out = {}
    at = 0
    for tag, name in SECTIONS.items():
        where = f"section {name}, byte {HEADER_BYTES + at}"
        if at + 9 > len(body):
            raise SnapshotError(f"section {name} is missing", where)
        if body[at] != tag:
            raise SnapshotError(f"expected section {name} (tag {tag}), found tag {body[at]}", where)
        n = struct.unpack_from("<Q", body, at + 1)[0]
        start = at + 9
        if n > len(body) - start:
            raise SnapshotError(f"section {name} claims {n} bytes; {len(body) - start} are left", where)
        out[tag] = Reader(bytes(body[start:start + n]), name, HEADER_BYTES + start)
        at = start + n
    if at != len(body):
        raise SnapshotError(f"{len(body) - at} bytes after the last section", f"body, byte {HEADER_BYTES + at}")
    return out


__all__ = ["MAGIC", "MAJOR", "MINOR", "SECTIONS", "Writer", "Reader", "pack", "unpack",
           "META", "MODULES", "TYPES", "HEAP", "GLOBALS", "FRAMES", "TRACES", "HANDLES"]
