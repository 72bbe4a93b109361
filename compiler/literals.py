"""Decoding of literal tokens (language.md A1) into Python values.

The lexer accepts literals generously; these functions apply the exact rules
and return `(value, problem)` where `problem` is `None` or `(offset, message)`
with `offset` the code-point offset inside the token of the faulty spot.
They know nothing of the parser or of diagnostics.
"""

from __future__ import annotations

import math
import re

from .limits import text_too_long

INT_MAX = (1 << 63) - 1
UINT_MAX = (1 << 64) - 1

_DEC = re.compile(r"[0-9]+(_[0-9]+)*\Z")
_HEX = re.compile(r"[0-9A-Fa-f]+(_[0-9A-Fa-f]+)*\Z")
_BIN = re.compile(r"[01]+(_[01]+)*\Z")
_FLOAT = re.compile(r"[0-9]+(_[0-9]+)*(\.[0-9]+(_[0-9]+)*)?([eE][+-]?[0-9]+(_[0-9]+)*)?\Z")

_SURROGATE = re.compile("[\ud800-\udfff]")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"'}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

Problem = tuple[int, str] | None


def _shown(text: str) -> str:
    return text if len(text) <= 32 else text[:29] + "..."


def decode_int(text: str) -> tuple[int, Problem]:
    """Decimal values are returned as written (the caller checks the signed
    range, since `-9223372036854775808` is legal); hexadecimal and binary ones
    are converted to two's complement here."""
    if text[:2] in ("0x", "0X", "0b", "0B"):
        hexa = text[1] in "xX"
        digits = text[2:]
        if not (_HEX if hexa else _BIN).match(digits):
            kind = "hexadecimal" if hexa else "binary"
            return 0, (0, f"malformed {kind} literal '{_shown(text)}'")
        value = int(digits.replace("_", ""), 16 if hexa else 2)
        if value > UINT_MAX:
            return 0, (0, f"integer literal '{_shown(text)}' does not fit in 64 bits")
        return (value - (1 << 64) if value > INT_MAX else value), None
    if not _DEC.match(text):
        return 0, (0, f"malformed integer literal '{_shown(text)}'")
    digits = text.replace("_", "").lstrip("0")
    # Checked by length first: Python refuses to convert very long decimal strings.
    value = int(digits or "0") if len(digits) <= 19 else INT_MAX + 2
    if value > INT_MAX + 1:
        return 0, (0, f"integer literal '{_shown(text)}' is too large (the maximum is 9223372036854775807)")
    return value, None


def decode_float(text: str) -> tuple[float, Problem]:
    if not _FLOAT.match(text):
        return 0.0, (0, f"malformed float literal '{_shown(text)}'")
    value = float(text.replace("_", ""))
    if math.isinf(value):
        return 0.0, (0, f"float literal '{_shown(text)}' is too large")
    return value, None


def decode_string(token: str) -> tuple[str, Problem]:
    """`token` includes its quotes.  Reports the first bad escape."""
    body = token[1:-1]
    bad = _SURROGATE.search(body)       # only possible in in-memory source
    if bad:
        return "", (bad.start() + 1, "string literal contains an unpaired surrogate")
    if text_too_long(body):             # escapes only shorten it
        return "", (0, "string literal too long: a string constant may take at most 4 GiB in UTF-8")
    if "\\" not in body:
        return body, None
    out = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        esc = body[i + 1] if i + 1 < n else ""
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 2
            continue
        if esc == "u":
            code, end = _unicode_escape(body, i)
            if code is None:
                return "", (i + 1, "malformed unicode escape (expected \\u{1 to 6 hex digits})")
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return "", (i + 1, f"\\u{{{body[i + 3:end - 1]}}} is not a Unicode scalar value")
            out.append(chr(code))
            i = end
            continue
        return "", (i + 1, f"invalid escape sequence '\\{esc}'")
    return "".join(out), None


def _unicode_escape(body: str, i: int) -> tuple[int | None, int]:
    """Parse `\\u{XXXX}` starting at body[i] == '\\'; return (code, end)."""
    if i + 2 >= len(body) or body[i + 2] != "{":
        return None, i
    j = i + 3
    while j < len(body) and body[j] in _HEX_DIGITS:
        j += 1
    if j >= len(body) or body[j] != "}" or not 1 <= j - (i + 3) <= 6:
        return None, i
    return int(body[i + 3:j], 16), j + 1
