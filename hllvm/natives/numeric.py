"""Natives of `math`: IEEE 754 results as C's libm gives them.

Python's `math` raises ValueError/OverflowError where C returns nan or ±inf;
these wrappers return the IEEE value instead, keep the sign of zero
(`floor(-0.0)` is -0.0) and return floats from floor/ceil/round.  `round`
halves away from zero.  Constants (PI, E, INF) are HL globals, not natives.
"""

from __future__ import annotations

import math

NAN = math.nan
INF = math.inf


def _ieee1(f, on_value_error=NAN):
    def g(x):
        try:
            return f(x)
        except ValueError:
            return on_value_error
        except OverflowError:
            return INF
    return g


def sqrt(x):
    return math.sqrt(x) if x >= 0.0 else NAN


def _log(f):
    def g(x):
        if x > 0.0:
            return f(x)
        if x == 0.0:
            return -INF
        return NAN if x == x else x
    return g


def _is_odd_int(y):
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


def pow_(x, y):
    try:
        return math.pow(x, y)
    except OverflowError:
        return -INF if x < 0 and _is_odd_int(y) else INF
    except ValueError:
        if x == 0.0 and y < 0:
            return math.copysign(INF, x) if _is_odd_int(y) else INF
        return NAN


def exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def floor(x):
    if not math.isfinite(x):
        return x
    r = float(math.floor(x))
    return math.copysign(0.0, x) if r == 0.0 else r


def ceil(x):
    if not math.isfinite(x):
        return x
    r = float(math.ceil(x))
    return math.copysign(0.0, x) if r == 0.0 else r


def round_(x):
    """Nearest integer, halves away from zero (C's round)."""
    if not math.isfinite(x):
        return x
    a = abs(x)
    t = math.floor(a)
    if a - t >= 0.5:
        t += 1
    return math.copysign(float(t), x)


def is_nan(x):
    return x != x


def natives(vm):
    f1 = "(F)F"
    return {
        "math.sqrt": (f1, sqrt),
        "math.sin": (f1, _ieee1(math.sin)),
        "math.cos": (f1, _ieee1(math.cos)),
        "math.tan": (f1, _ieee1(math.tan)),
        "math.asin": (f1, _ieee1(math.asin)),
        "math.acos": (f1, _ieee1(math.acos)),
        "math.atan": (f1, math.atan),
        "math.atan2": ("(FF)F", math.atan2),
        "math.exp": (f1, exp),
        "math.log": (f1, _log(math.log)),
        "math.log10": (f1, _log(math.log10)),
        "math.pow": ("(FF)F", pow_),
        "math.floor": (f1, floor),
        "math.ceil": (f1, ceil),
        "math.round": (f1, round_),
        "math.is_nan": ("(F)Z", is_nan),
    }
