"""Primitive encodings of the `.hlc` file: little-endian integers, floats and
length-prefixed UTF-8 strings, as a `Sink` (writing) and a `Source` (reading)
that mirror each other method for method.

`Source` never reads past its end and never trusts a count: every length is
checked against the bytes that remain, so a hostile file cannot make it
allocate more than the file's own size.  It raises `LoadError` with the
offset of the field that is wrong.
"""

from __future__ import annotations

import struct

from .errors import LoadError

_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")


class Sink:
    def __init__(self) -> None:
        self.buf = bytearray()

    def u8(self, v: int) -> None:
        self.buf.append(v)

    def u16(self, v: int) -> None:
        self.buf += v.to_bytes(2, "little")

    def u32(self, v: int) -> None:
        self.buf += v.to_bytes(4, "little")

    def i64(self, v: int) -> None:
        self.buf += _I64.pack(v)

    def f64(self, v: float) -> None:
        self.buf += _F64.pack(v)

    def raw(self, b: bytes) -> None:
        self.buf += b

    def blob(self, b: bytes) -> None:
        self.u32(len(b))
        self.buf += b

    def str(self, s: str) -> None:
        self.blob(s.encode("utf-8", "surrogatepass"))


class Source:
    def __init__(self, data: bytes, end: int | None = None) -> None:
        self.data = data
        self.pos = 0
        self.end = len(data) if end is None else end

    def fail(self, msg: str, at: int | None = None) -> LoadError:
        return LoadError(msg, offset=self.pos if at is None else at)

    def _take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise self.fail(f"unexpected end of file reading {what}")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self, what: str = "byte") -> int:
        return self._take(1, what)[0]

    def u16(self, what: str = "u16") -> int:
        return int.from_bytes(self._take(2, what), "little")

    def u32(self, what: str = "u32") -> int:
        return int.from_bytes(self._take(4, what), "little")

    def i64(self, what: str = "i64") -> int:
        return _I64.unpack(self._take(8, what))[0]

    def f64(self, what: str = "f64") -> float:
        return _F64.unpack(self._take(8, what))[0]

    def raw(self, n: int, what: str) -> bytes:
        return self._take(n, what)

    def blob(self, what: str = "bytes") -> bytes:
        at = self.pos
        n = self.u32(what + " length")
        if n > self.end - self.pos:
            raise self.fail(f"{what} length {n} exceeds the file", at)
        return self._take(n, what)

    def str(self, what: str = "string") -> str:
        at = self.pos
        b = self.blob(what)
        try:
            return b.decode("utf-8")
        except UnicodeDecodeError as e:
            raise self.fail(f"{what} is not valid UTF-8 ({e.reason})", at) from None

    def count(self, what: str, min_item_size: int = 1) -> int:
        """A u32 element count, refused when the remaining bytes cannot hold it."""
        at = self.pos
        n = self.u32(what + " count")
        if n * min_item_size > self.end - self.pos:
            raise self.fail(f"{what} count {n} exceeds the file", at)
        return n
