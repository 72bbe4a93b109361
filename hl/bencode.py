"""The text of the compile cache's keys and manifests: bencode (BitTorrent's
encoding), with `n`, `t` and `f` for None, True and False.  Replaces JSON
there because importing `json` imports `re` and `enum`: some 7 ms of every
cached `hll run`'s start.

    None / True / False   n / t / f
    int                   i<decimal>e       i0e  i42e  i-7e
    str                   <length>:<bytes>  7:prog.hl   (UTF-8, length in bytes)
    list                  l<values>e        li1ei2ee
    dict                  d<key><value>…e   d1:ai1e1:bi2ee   (keys: str)

A value has exactly one encoding, and `loads` accepts only that one: a
decimal has no sign but `-`, no leading zero and no `-0`; a dict's keys are
in strictly increasing order of their bytes; nothing follows the value.
A str is encoded as UTF-8 with lone surrogates passed through (the
`surrogatepass` error handler), so a path Python decoded from bytes that
are not UTF-8 comes back the same.  A cache entry is untrusted input:
`loads` and `read` raise ValueError (`Malformed`) for anything else, and
bound the nesting (MAX_DEPTH) so no input is too deep for them.
"""

from __future__ import annotations

MAX_DEPTH = 16          # nested lists and dicts; a manifest has 4


class Malformed(ValueError):
    """Bytes that are not the encoding of a value."""


def dumps(value) -> bytes:
    """The encoding of `value` (None, bool, int, str, list or tuple, dict
    with str keys); TypeError for anything else."""
    out: list[bytes] = []
    _write(value, out)
    return b"".join(out)


def loads(data: bytes):
    """The value `data` encodes, which must be all of it; Malformed."""
    value, end = read(data)
    if end != len(data):
        raise Malformed(f"bytes after the value, at {end}")
    return value


def read(data: bytes, at: int = 0):
    """(value, end): the value encoded at `data[at:]` and where it ends;
    Malformed."""
    return _read(data, at, 0)


# --- writing ------------------------------------------------------------------------------

def _text(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _write(value, out: list) -> None:
    if value is None:
        out.append(b"n")
    elif value is True:
        out.append(b"t")
    elif value is False:
        out.append(b"f")
    elif type(value) is int:
        out.append(b"i%de" % value)
    elif type(value) is str:
        b = _text(value)
        out += (b"%d:" % len(b), b)
    elif type(value) in (list, tuple):
        out.append(b"l")
        for v in value:
            _write(v, out)
        out.append(b"e")
    elif type(value) is dict:
        if not all(type(k) is str for k in value):
            raise TypeError("a dict's keys must be str")
        out.append(b"d")
        for b, k in sorted((_text(k), k) for k in value):
            out += (b"%d:" % len(b), b)
            _write(value[k], out)
        out.append(b"e")
    else:
        raise TypeError(f"cannot encode a {type(value).__name__}")


# --- reading ------------------------------------------------------------------------------

_CONSTANTS = {ord("n"): None, ord("t"): True, ord("f"): False}


def _decimal(digits: bytes, at: int, signed: bool) -> int:
    """The number `digits` spells in its one form, or Malformed."""
    negative = signed and digits[:1] == b"-"
    body = digits[1:] if negative else digits
    if not body.isdigit() or (body[:1] == b"0" and (len(body) > 1 or negative)):     # ASCII digits
        raise Malformed(f"not a number in its one form at {at}")
    try:
        return int(digits)
    except ValueError:                  # more digits than int() converts
        raise Malformed(f"a number too long at {at}") from None


def _string(data: bytes, at: int) -> tuple[bytes, int]:
    """(the bytes of the string at `at`, where it ends)."""
    colon = data.find(b":", at, at + 21)            # a length of at most 20 digits
    if colon < 0:
        raise Malformed(f"a string's length does not end at {at}")
    start = colon + 1
    end = start + _decimal(data[at:colon], at, signed=False)
    if end > len(data):
        raise Malformed(f"a string runs past the end at {at}")
    return data[start:end], end


def _read(data: bytes, at: int, depth: int):
    if at >= len(data):
        raise Malformed(f"the value ends early, at {at}")
    c = data[at]
    if c in _CONSTANTS:
        return _CONSTANTS[c], at + 1
    if c == ord("i"):
        end = data.find(b"e", at + 1)
        if end < 0:
            raise Malformed(f"a number does not end at {at}")
        return _decimal(data[at + 1:end], at, signed=True), end + 1
    if 0x30 <= c <= 0x39:
        raw, end = _string(data, at)
        try:
            return raw.decode("utf-8", "surrogatepass"), end
        except UnicodeDecodeError:
            raise Malformed(f"a string not UTF-8 at {at}") from None
    if c not in (ord("l"), ord("d")):
        raise Malformed(f"no value starts with {bytes([c])!r}, at {at}")
    if depth == MAX_DEPTH:
        raise Malformed(f"nested more than {MAX_DEPTH} deep at {at}")
    end = at + 1
    if c == ord("l"):
        items = []
        while data[end:end + 1] != b"e":
            v, end = _read(data, end, depth + 1)
            items.append(v)
        return items, end + 1
    fields, last = {}, None
    while data[end:end + 1] != b"e":
        if not data[end:end + 1].isdigit():
            raise Malformed(f"a dict's key is not a string, at {end}")
        raw, end = _string(data, end)
        if last is not None and raw <= last:
            raise Malformed(f"a dict's keys out of order or repeated, at {end}")
        try:
            key = raw.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise Malformed(f"a string not UTF-8 at {end}") from None
        fields[key], end = _read(data, end, depth + 1)
        last = raw
    return fields, end + 1
