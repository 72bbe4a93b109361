"""How the REPL writes types and values: `$1: int = 42`, `$2: string = "hi"`.

Owns the text of a type given its bytecode descriptor (`I` → `int`,
`Lgeo.Point;` → `Point`, `[S` → `string[]`) and of a value the VM returned
from a snippet's `show$<name>` function: ints, floats, bools and strings
arrive as Python values and are written as `str()` would, except that
strings are quoted with HL's escapes, as jshell does; every other type
arrives already converted by HL's own `str()`.  It does not talk to the VM.
"""

from __future__ import annotations

_PRIMITIVES = {"I": "int", "F": "float", "Z": "bool", "S": "string", "V": "void"}
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0", "\\": "\\\\", '"': '\\"'}


def type_text(desc: str) -> str:
    """HL's spelling of a type descriptor (classes without their module)."""
    dims = len(desc) - len(desc.lstrip("["))
    base = desc[dims:]
    if base.startswith("L") and base.endswith(";"):
        name = base[1:-1].rsplit(".", 1)[-1]
    else:
        name = _PRIMITIVES.get(base, base)
    return name + "[]" * dims


def value_text(desc: str, value) -> str:
    """A value returned by the `show$` function of a global of type `desc`."""
    if desc == "S":
        return "null" if value is None else quote(value)
    if desc == "Z":
        return "true" if value else "false"
    if desc == "F":
        return repr(float(value))       # language.md A9: as Python's repr
    if desc == "I":
        return str(value)
    return "null" if value is None else str(value)


def quote(s: str) -> str:
    """`s` as an HL string literal."""
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\u{{{ord(ch):x}}}")
    return '"' + "".join(out) + '"'
