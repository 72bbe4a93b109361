"""Natives of the `text` module (stdlib/text.hl): format specs, the
builder's join, and character classes.

`format` splits its format string here (`text._parse`) and formats each
argument by its placeholder's spec (`text._value` for what the native can
read itself: ints, floats, bools, strings, null, boxed or not; `text._text`
for the `str()` of anything else, which HL computes, so a class's
`to_string` runs as HL).  The grammar is Rust's `std::fmt` minus named and
numbered arguments (docs/stdlib.md):

    {}  {:SPEC}  {{  }}
    SPEC = [[fill]align][sign]['#']['0'][width]['.' precision][type]
    align: < left, > right, ^ centre;  sign: + or -;  type: x X o b e E

Numbers align right by default, everything else left.  A float with a
precision is fixed-point, correctly rounded from its exact binary value
(C's printf `%.Nf`); without one it is `str(x)`.  `x X o b` show an int's
64 bits as unsigned (Java's and Rust's `{:x}` of a negative number).  Every
rule that does not fit its value (a precision for an int, `x` for a float,
`0` for a string) throws ValueError, as does a malformed format string or a
placeholder count that is not the argument count.

Character classes take a one-character string (ValueError otherwise) and
are Unicode's: `is_digit` is category Nd (Java's `Character.isDigit`),
`is_alpha` the letters (L*), `is_space` Unicode white space (Kotlin's
`isWhitespace`), `is_upper`/`is_lower` cased letters of that case,
`is_alnum` is_alpha or is_digit.

It does not own the string methods (hllvm/natives/text.py) nor `str()`.
"""

from __future__ import annotations

import math

from ..layout import HEADER_WORDS, STRING_TIDS, T_BOXF, T_BOXI, T_BOXZ, TYPE_MASK

_ALIGN = "<>^"
_INT_TYPES = {"x": ("x", "0x"), "X": ("X", "0X"), "o": ("o", "0o"), "b": ("b", "0b")}
_FLOAT_TYPES = "eE"
_U64 = (1 << 64) - 1
_MAX_DIGITS = 9                 # width and precision: at most 999,999,999
_CACHE = 512                    # parsed specs kept per VM


class Spec:
    __slots__ = ("fill", "align", "sign", "alt", "zero", "width", "prec", "type", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.fill, self.align, self.sign = " ", "", "-"
        self.alt = self.zero = False
        self.width = 0
        self.prec: int | None = None
        self.type = ""


def parse_spec(s: str) -> Spec:
    """The Spec of the text after `:` in a placeholder; ValueError (Python)
    when it is malformed."""
    spec = Spec(s)
    i, n = 0, len(s)
    if n >= 2 and s[1] in _ALIGN:
        spec.fill, spec.align, i = s[0], s[1], 2
    elif n >= 1 and s[0] in _ALIGN:
        spec.align, i = s[0], 1
    if i < n and s[i] in "+-":
        spec.sign, i = s[i], i + 1
    if i < n and s[i] == "#":
        spec.alt, i = True, i + 1
    if i < n and s[i] == "0":
        spec.zero, i = True, i + 1
    i, spec.width = _number(s, i, "width")
    if i < n and s[i] == ".":
        j, spec.prec = _number(s, i + 1, "precision")
        if j == i + 1:
            raise ValueError(f"no digits after '.' in {{:{s}}}")
        i = j
    if i < n and (s[i] in _INT_TYPES or s[i] in _FLOAT_TYPES):
        spec.type, i = s[i], i + 1
    if i != n:
        raise ValueError(f"invalid format spec {{:{s}}} at {s[i]!r}")
    return spec


def _number(s: str, i: int, what: str):
    j = i
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    if j - i > _MAX_DIGITS:
        raise ValueError(f"{what} too large in {{:{s}}}")
    return j, int(s[i:j]) if j > i else 0


def parse_format(fmt: str) -> list[str]:
    """[literal, spec, literal, ..., spec, literal] of a format string
    (`{{`/`}}` unescaped); ValueError when it is malformed."""
    out: list[str] = []
    lit: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "{":
            if fmt.startswith("{", i + 1):
                lit.append("{")
                i += 2
                continue
            end = fmt.find("}", i + 1)
            if end < 0:
                raise ValueError(f"unclosed '{{' at index {i}")
            body = fmt[i + 1:end]
            if body and body[0] != ":":
                raise ValueError(f"placeholder {{{body}}} at index {i}: only {{}} and {{:spec}} are allowed")
            spec = body[1:]
            parse_spec(spec)            # checked now, before anything is formatted
            out.append("".join(lit))
            out.append(spec)
            lit.clear()
            i = end + 1
        elif c == "}":
            if not fmt.startswith("}", i + 1):
                raise ValueError(f"unmatched '}}' at index {i} (write '}}}}' for a brace)")
            lit.append("}")
            i += 2
        else:
            j = i + 1
            while j < n and fmt[j] not in "{}":
                j += 1
            lit.append(fmt[i:j])
            i = j
    out.append("".join(lit))
    return out


def _pad(spec: Spec, text: str, default_align: str) -> str:
    width = spec.width
    k = len(text)
    if k >= width:
        return text
    fill = spec.fill * (width - k)
    align = spec.align or default_align
    if align == "<":
        return text + fill
    if align == ">":
        return fill + text
    left = (width - k) // 2             # centred: the odd fill character goes right (Rust)
    return fill[:left] + text + fill[left:]


def _number_text(spec: Spec, sign: str, prefix: str, digits: str) -> str:
    if spec.zero:
        # Sign-aware zero padding: the zeros go between the sign (and prefix)
        # and the digits, whatever the fill and alignment (Rust).
        head = sign + prefix
        return head + digits.rjust(spec.width - len(head), "0")
    return _pad(spec, sign + prefix + digits, ">")


def format_int(spec: Spec, v: int) -> str:
    if spec.prec is not None:
        raise ValueError(f"{{:{spec.text}}}: an int takes no precision")
    t = spec.type
    if t and t in _FLOAT_TYPES:
        raise ValueError(f"{{:{spec.text}}}: '{t}' is for floats, not ints")
    if t:
        code, prefix = _INT_TYPES[t]
        u = v & _U64
        sign = "+" if spec.sign == "+" else ""
        return _number_text(spec, sign, prefix if spec.alt else "", format(u, code))
    if spec.alt:
        raise ValueError(f"{{:{spec.text}}}: '#' needs x, X, o or b")
    sign = "-" if v < 0 else ("+" if spec.sign == "+" else "")
    return _number_text(spec, sign, "", str(abs(v)))


def format_float(spec: Spec, v: float) -> str:
    t = spec.type
    if t in _INT_TYPES:
        raise ValueError(f"{{:{spec.text}}}: '{t}' is for ints, not floats")
    if spec.alt:
        raise ValueError(f"{{:{spec.text}}}: '#' is for ints")
    if t:
        body = format(abs(v), f".{6 if spec.prec is None else spec.prec}{t}")
    elif spec.prec is not None:
        body = format(abs(v), f".{spec.prec}f")
    else:
        body = repr(abs(v))
    # -0.0 keeps its sign, as str() shows it; nan has none.
    negative = v == v and math.copysign(1.0, v) < 0
    sign = "-" if negative else ("+" if spec.sign == "+" else "")
    if not math.isfinite(v) and spec.zero:
        return _pad(spec, sign + body, ">")     # no zeros before "inf" / "nan"
    return _number_text(spec, sign, "", body)


def format_text(spec: Spec, s: str) -> str:
    if spec.zero or spec.alt or spec.type or spec.sign == "+":
        raise ValueError(f"{{:{spec.text}}}: only fill, alignment, width and precision apply to text")
    if spec.prec is not None:
        s = s[:spec.prec]
    return _pad(spec, s, "<")


def natives(vm):
    err = vm.errors
    heap = vm.heap
    W, D = heap.W, heap.D
    get_str = heap.get_str
    specs: dict[str, Spec] = {}

    def spec_of(s: str) -> Spec:
        sp = specs.get(s)
        if sp is None:
            try:
                sp = parse_spec(s)
            except ValueError as e:
                err.throw("ValueError", f"format: {e}")
            if len(specs) >= _CACHE:
                specs.clear()
            specs[s] = sp
        # Room for the padded result before Python builds it.
        if sp.width > 4096 or (sp.prec or 0) > 4096:
            err.reserve_chars(sp.width + (sp.prec or 0) + 400)
        return sp

    def run(fn, spec, v):
        try:
            return fn(spec, v)
        except ValueError as e:
            err.throw("ValueError", f"format: {e}")

    def parse(fmt, n):
        try:
            parts = parse_format(fmt)
        except ValueError as e:
            err.throw("ValueError", f"format: {e}")
        count = len(parts) // 2
        if count != n:
            err.throw("ValueError", f"format: {count} placeholder{'s' * (count != 1)} "
                                    f"but {n} argument{'s' * (n != 1)}")
        return parts

    def value(spec, r):
        """The formatted value of the reference r, or None when only its
        str() can be formatted (an object, an array, a function value)."""
        sp = spec_of(spec)
        if r == 0:
            return run(format_text, sp, "null")
        tid = W[r] & TYPE_MASK
        if tid == T_BOXI:
            return run(format_int, sp, W[r + HEADER_WORDS])
        if tid == T_BOXF:
            return run(format_float, sp, D[r + HEADER_WORDS])
        if tid == T_BOXZ:
            return run(format_text, sp, "true" if W[r + HEADER_WORDS] else "false")
        if tid in STRING_TIDS:
            return run(format_text, sp, get_str(r))
        return None

    def text(spec, s):
        return run(format_text, spec_of(spec), s)

    def join(parts, n):
        if not 0 <= n <= len(parts):
            err.throw("IndexError", f"join: count {n} out of range for length {len(parts)}")
        parts = parts[:n]
        if None in parts:
            parts = ["null" if p is None else p for p in parts]
        err.reserve_chars(sum(map(len, parts)))
        return "".join(parts)

    def char_class(name, test):
        def native(s):
            if len(s) != 1:
                err.throw("ValueError", f"text.{name}: expected a one-character string, got length {len(s)}")
            return test(s)
        return native

    return {
        "text._parse": ("(SI)[S", parse),
        "text._value": ("(SR)S", value),
        "text._text": ("(SS)S", text),
        "text._join": ("([SI)S", join),
        "text.is_digit": ("(S)Z", char_class("is_digit", str.isdecimal)),
        "text.is_alpha": ("(S)Z", char_class("is_alpha", str.isalpha)),
        "text.is_space": ("(S)Z", char_class("is_space", str.isspace)),
        "text.is_upper": ("(S)Z", char_class("is_upper", str.isupper)),
        "text.is_lower": ("(S)Z", char_class("is_lower", str.islower)),
        "text.is_alnum": ("(S)Z", char_class("is_alnum", lambda c: c.isalpha() or c.isdecimal())),
    }
