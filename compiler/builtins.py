"""The built-in functions (A9, B2) and the methods of strings and arrays (A8).

One table per family, giving each built-in's accepted argument types, its
result type and how it is lowered (an instruction, a VM native, or a special
form codegen knows: `str`, `print`, `assert`, `hash`, `equals`), exactly as
docs/conventions.md lists them.  The checker picks the entry; codegen emits
it.  Nothing here walks syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from .typesys import BOOL, FLOAT, INT, STRING, VOID, ArrayType, Type

ANY = object()      # an argument of any (non-void) type, converted by str()


@dataclass(frozen=True)
class Lowering:
    kind: str               # "op" | "native" | "str" | "print" | "assert" | "hash" | "equals"
    name: str = ""          # instruction or native name
    sig: str = ""           # native signature


@dataclass(frozen=True)
class Overload:
    params: tuple
    ret: Type
    lower: Lowering


def _native(name: str, params: tuple, ret: Type) -> Overload:
    sig = "(" + "".join(p.desc for p in params) + ")" + ret.desc
    return Overload(params, ret, Lowering("native", name, sig))


def _op(name: str, params: tuple, ret: Type) -> Overload:
    return Overload(params, ret, Lowering("op", name))


FUNCTIONS: dict[str, list[Overload]] = {
    "print": [Overload((ANY,), VOID, Lowering("print", "lang.print", "(S)V"))],
    "println": [Overload((), VOID, Lowering("print", "lang.println", "(S)V")),
                Overload((ANY,), VOID, Lowering("print", "lang.println", "(S)V"))],
    "eprintln": [Overload((), VOID, Lowering("print", "lang.eprintln", "(S)V")),
                 Overload((ANY,), VOID, Lowering("print", "lang.eprintln", "(S)V"))],
    # The checker requires equals' two arguments to be comparable with `==`.
    "hash": [Overload((ANY,), INT, Lowering("hash"))],
    "equals": [Overload((ANY, ANY), BOOL, Lowering("equals"))],
    "str": [Overload((ANY,), STRING, Lowering("str"))],
    "int": [_op("F2I", (FLOAT,), INT)],
    "float": [_op("I2F", (INT,), FLOAT)],
    "parse_int": [_native("lang.parse_int", (STRING,), INT)],
    "parse_float": [_native("lang.parse_float", (STRING,), FLOAT)],
    "chr": [_native("lang.chr", (INT,), STRING)],
    "ord": [_native("lang.ord", (STRING,), INT)],
    "abs": [_native("lang.abs_int", (INT,), INT), _native("lang.abs_float", (FLOAT,), FLOAT)],
    "min": [_native("lang.min_int", (INT, INT), INT), _native("lang.min_float", (FLOAT, FLOAT), FLOAT)],
    "max": [_native("lang.max_int", (INT, INT), INT), _native("lang.max_float", (FLOAT, FLOAT), FLOAT)],
    "assert": [Overload((BOOL,), VOID, Lowering("assert")),
               Overload((BOOL, STRING), VOID, Lowering("assert"))],
    "clock": [_native("lang.clock", (), FLOAT)],
    "input": [_native("lang.input", (), STRING)],
    "exit": [_native("lang.exit", (INT,), VOID)],
}


def _string_method(name: str, params: tuple, ret: Type) -> Overload:
    return _native("string." + name, (STRING,) + params, ret)


# Receiver first in the native's signature; `params` below excludes it.
STRING_METHODS: dict[str, Overload] = {
    name: _string_method(name, params, ret) for name, params, ret in [
        ("code_at", (INT,), INT),
        ("substring", (INT, INT), STRING),
        ("index_of", (STRING,), INT),
        ("contains", (STRING,), BOOL),
        ("starts_with", (STRING,), BOOL),
        ("ends_with", (STRING,), BOOL),
        ("split", (STRING,), ArrayType(STRING)),
        ("trim", (), STRING),
        ("upper", (), STRING),
        ("lower", (), STRING),
        ("replace", (STRING, STRING), STRING),
        ("repeat", (INT,), STRING),
        ("join", (ArrayType(STRING),), STRING),
    ]
}


def string_method_params(o: Overload) -> tuple:
    """The declared parameters of a string method, receiver excluded."""
    return o.params[1:]


ARRAY_METHODS = ("copy",)
