"""Natives of the prelude `lang`: output, input, exit, parsing, chr/ord,
abs/min/max, clock, and `_class_name`.

`input()` reads a line in bounded pieces through hllvm/natives/stdin.py (a
wait the call's time limit and interrupts can end; OutOfMemoryError as soon
as the line could not fit in the heap); a stream that fails, or gives
something other than text, throws `Error`.

It owns the exact text rules of `parse_int` / `parse_float` (documented in
docs/interpreter.md) and nothing about strings' heap layout (`ord` reads its
one code point through hllvm/strings.py instead of converting the argument).
"""

from __future__ import annotations

import math
import time

from ..errors import ExitProgram, Stopped
from ..strings import HeapStrings
from .reading import BoundedText

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1
_WS = " \t\n\r\f\v"
_WORDS = ("inf", "infinity", "nan")
# Natives that take raw HL values (hllvm/natives/__init__.py): `ord` of a long
# string fails without converting it.
TAKES_REFS = frozenset({"lang.ord"})


def float_text(t: str) -> bool:
    """Whether `t` is a float as `parse_float` reads it: decimal text as
    Java's Double.parseDouble reads it, minus hex floats and the f/d
    suffixes — `[+-]?([0-9]+.?[0-9]*|.[0-9]+)([eE][+-]?[0-9]+)?`, ASCII
    digits — or `inf`, `infinity`, `nan` in any ASCII case with an optional
    sign, so that parse_float(str(x)) == x.  (Checked by hand: `re` costs a
    run's start some 7 ms.)"""
    if t[:1] in ("+", "-"):
        t = t[1:]
    if t.isascii() and t.lower() in _WORDS:
        return True
    mantissa, e, exponent = t.replace("E", "e").partition("e")
    if e:
        if exponent[:1] in ("+", "-"):
            exponent = exponent[1:]
        if not _digits(exponent):
            return False
    whole, dot, fraction = mantissa.partition(".")
    if _digits(whole):
        return fraction == "" or _digits(fraction)
    return whole == "" and dot == "." and _digits(fraction)


def _digits(t: str) -> bool:
    """One or more ASCII digits (str.isdigit also takes other scripts')."""
    return t.isascii() and t.isdigit()


def natives(vm):
    out = vm.out
    err = vm.errors

    def print_(s):
        out.write("null" if s is None else s)

    def println(s):
        out.write("null\n" if s is None else s + "\n")

    def parse_int(s):
        t = s.strip(_WS)
        digits = t[1:] if t[:1] in ("+", "-") else t
        if digits.isascii() and digits.isdigit():          # [+-]?[0-9]+
            v = int(t)
            if INT_MIN <= v <= INT_MAX:
                return v
            err.throw("ValueError", f"integer out of range: {s!r}")
        err.throw("ValueError", f"invalid integer: {s!r}")

    def parse_float(s):
        t = s.strip(_WS)
        if float_text(t):
            return float(t)
        err.throw("ValueError", f"invalid float: {s!r}")

    def chr_(code):
        if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code)
        err.throw("ValueError", f"chr: invalid code point {code}")

    hs = HeapStrings(vm.heap, vm.strings.chars)

    def ord_(s):
        if not s:
            err.throw("NullError", "null string passed to lang.ord")
        n = hs.length(s)
        if n != 1:
            err.throw("ValueError", f"ord: expected a one-character string, got length {n}")
        return hs.code_point(s, 0)

    def abs_int(a):
        return a if a >= 0 else (-a if a != INT_MIN else INT_MIN)

    def min_float(a, b):
        # Java's Math.min: nan wins, -0.0 < 0.0.
        if a != a:
            return a
        if b != b:
            return b
        if a == b == 0.0:
            return a if math.copysign(1.0, a) < 0 else b
        return a if a <= b else b

    def max_float(a, b):
        if a != a:
            return a
        if b != b:
            return b
        if a == b == 0.0:
            return b if math.copysign(1.0, a) < 0 else a
        return a if a >= b else b

    control = vm.control
    sources = [None, None]              # [stream, its source]: the last stream read

    def next_piece(source) -> str:
        piece = source.piece(control)
        if not isinstance(piece, str):
            err.throw("Error", "cannot read standard input: its readline() gave "
                               f"{type(piece).__name__}, not str")
        return piece

    def input_():
        out.flush()
        stream = vm.stdin
        if stream is None:              # the host process has no standard input
            return None
        if sources[0] is not stream:
            from .stdin import source_for       # (select, fcntl: only for programs that read)
            sources[:] = stream, source_for(stream)
        source = sources[1]
        try:
            line = source.carry or next_piece(source)
            source.carry = ""
            if not line.endswith("\n") and line:
                # A long line, or one still coming: collected in bounded pieces.
                text = BoundedText(vm)
                try:
                    text.add(line)
                    while True:
                        piece = next_piece(source)
                        text.add(piece)
                        if not piece or piece.endswith("\n"):
                            break
                except Stopped:
                    # The call ends here; what it read of the line is the
                    # start of the next input() (nothing read is lost).
                    source.carry = text.text()
                    raise
                line = text.text()
        except (OSError, ValueError) as e:          # the stream failed, or is not text
            err.throw("Error", f"cannot read standard input: {getattr(e, 'strerror', None) or e}")
        if not line:
            return None
        if line.endswith("\n"):
            line = line[:-1]
            if line.endswith("\r"):
                line = line[:-1]
        return line

    def exit_(status):
        raise ExitProgram(status)

    def class_name(ref):
        if ref == 0:
            err.throw("NullError", "_class_name of null")
        return vm.class_of(ref).name

    return {
        "lang.print": ("(S)V", print_, (0,)),
        "lang.println": ("(S)V", println, (0,)),
        "lang.parse_int": ("(S)I", parse_int),
        "lang.parse_float": ("(S)F", parse_float),
        "lang.chr": ("(I)S", chr_),
        "lang.ord": ("(S)I", ord_),
        "lang.abs_int": ("(I)I", abs_int),
        "lang.abs_float": ("(F)F", math.fabs),
        "lang.min_int": ("(II)I", min),
        "lang.max_int": ("(II)I", max),
        "lang.min_float": ("(FF)F", min_float),
        "lang.max_float": ("(FF)F", max_float),
        "lang.clock": ("()F", time.perf_counter),
        "lang.input": ("()S", input_),
        "lang.exit": ("(I)V", exit_),
        "lang._class_name": ("(Llang.Error;)S", class_name),
    }
