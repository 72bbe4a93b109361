"""HL's int and float semantics where Python's differ (language.md A4):
64-bit wrapping, IEEE division by zero, C's fmod, saturating float → int.

The op templates (kinds.py) name these; they are the globals every
generated closure sees (generate.py).  Nothing here touches the heap."""

from __future__ import annotations

import math

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1
_M64 = (1 << 64) - 1
_S63 = 1 << 63
_INF = math.inf
_NAN = math.nan
_copysign = math.copysign
_fmod = math.fmod


def wrap(v: int) -> int:
    """v modulo 2^64, as a signed 64-bit int."""
    return v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63


def fdiv(x: float, y: float) -> float:
    """x / y with IEEE results for a zero divisor."""
    if y:
        return x / y
    if x != x or x == 0.0:
        return _NAN
    return _copysign(_INF, x) * _copysign(1.0, y)


def frem(x: float, y: float) -> float:
    """C's fmod: nan when y is 0 or x is infinite."""
    try:
        return _fmod(x, y)
    except ValueError:
        return _NAN


def f2i(x: float) -> int:
    """Truncate toward zero; nan → 0; saturate at the int range."""
    if x != x:
        return 0
    if x >= 9.223372036854775807e18:
        return INT_MAX
    if x <= -9.223372036854775808e18:
        return INT_MIN
    return int(x)


# What a generated closure's code sees as globals.
GLOBALS = {"INT_MIN": INT_MIN, "INT_MAX": INT_MAX, "_S63": _S63, "_M64": _M64,
           "fdiv": fdiv, "frem": frem, "f2i": f2i}

__all__ = ["INT_MIN", "INT_MAX", "wrap", "fdiv", "frem", "f2i", "GLOBALS"]
