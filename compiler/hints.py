"""What the checker adds to a name, type or member it cannot find.

Each function here returns the tail of a message ("; did you mean
'length'?", "; use 'self' ..."), or "", for an error the checker has
already decided to report: the candidates visible at that point (locals
innermost first, the module's names, the prelude's, the built-ins, the
value keywords), the habits of other languages (`this`, `len(xs)`,
`xs.length()`, `None`, `String`, `toUpperCase`), and the standard
library's modules for a name that is only missing its `import`.  The
distance and the choice are `suggest.py`'s; whether something is an error
is the checker's.
"""

from __future__ import annotations

from . import builtins as B
from . import syntax as S
from .suggest import did_you_mean, nearest, stdlib_module
from .symbols import ClassInfo, ModuleInfo
from .typesys import PRIMITIVE_NAMES, STRING, ArrayType, FnType, assignable

# Values other languages spell differently.
_VALUE_WORDS = {"None": "null", "nil": "null", "NULL": "null", "undefined": "null", "nullptr": "null",
                "Null": "null", "True": "true", "False": "false"}
# Names that only make sense in another language, and what HL writes.
_FOREIGN = {
    "console": "print with 'println(...)'",
    "System": "print with 'println(...)'",
}
# Functions other languages have, and what HL writes instead.
_FOREIGN_CALLS = {
    "range": "a range is written 'a..b': 'for i in 0..n { ... }'",
    "isinstance": "test a class with 'x is C'",
    "typeof": "test a class with 'x is C'",
    "toString": "convert with 'str(x)'",
    "String": "convert with 'str(x)'",
    "string": "convert with 'str(x)'",
    "puts": "print with 'println(...)'",
    "printf": "print with 'println(...)' (strings join with '+')",
}
# `len(xs)` and its relatives: the length is a property.
_LENGTH_WORDS = frozenset({"len", "length", "size", "count"})
_VALUE_KEYWORDS = ("true", "false", "null")
_STATEMENT_WORDS = ("return", "break", "continue")

# Types other languages spell differently.
_TYPE_WORDS = {
    "boolean": "bool", "Boolean": "bool", "Bool": "bool",
    "double": "float", "Double": "float", "float64": "float", "f64": "float", "Float": "float",
    "long": "int", "Long": "int", "Integer": "int", "Int": "int", "i64": "int", "int64": "int",
    "short": "int", "byte": "int", "char": "string", "str": "string", "String": "string",
    "Object": None, "object": None, "any": None, "Any": None,
}

# Methods other languages give strings, and HL's name for them.
_STRING_WORDS = {
    "toUpperCase": "upper", "toLowerCase": "lower", "toupper": "upper", "tolower": "lower",
    "upcase": "upper", "downcase": "lower", "strip": "trim", "includes": "contains",
    "find": "index_of", "startsWith": "starts_with", "endsWith": "ends_with",
    "charCodeAt": "code_at", "slice": "substring", "substr": "substring",
}
# Methods of growable lists that fixed-length arrays do not have.
_GROWING = frozenset({"push", "append", "add", "pop", "insert", "remove", "extend", "add_all", "clear"})


# --- names ------------------------------------------------------------------------

def unknown_name(name: str, ctx, module: ModuleInfo, world, call: S.Call | None = None) -> str:
    """The tail of "unknown name 'x'" (a value) or, with `call`, of
    "unknown function 'x'"."""
    if name == "this":
        if ctx.self_var is not None:
            return "; use 'self' for the object the method was called on"
        return "; HL calls the current object 'self', inside methods"
    if call is not None and name in _LENGTH_WORDS and len(call.args) == 1:
        arg = S.short_text(call.args[0]) or "xs"
        return f"; HL has no {name}(): the length of a string or an array is '{arg}.length'"
    own = _member_of_self(name, ctx, call is not None)
    if own:
        return own
    if name in _VALUE_WORDS:
        return f"; did you mean '{_VALUE_WORDS[name]}'?"
    if call is not None and name in _FOREIGN_CALLS:
        return "; " + _FOREIGN_CALLS[name]
    if name in _FOREIGN:
        return "; " + _FOREIGN[name]
    names, shown = _visible_values(ctx, module, world, call is not None)
    near = nearest(name, names)
    if near is not None:
        return f"; did you mean '{shown.get(near, near)}'?"
    return _elsewhere(name, module, world)


def _member_of_self(name: str, ctx, call: bool) -> str:
    """A bare field or method name inside a method: `self.` is missing."""
    cls = ctx.cls if ctx.self_var is not None else None
    if cls is None:
        return ""
    if cls.find_method(name) is not None:
        return f"; did you mean 'self.{name}(...)'?" if call else f"; did you mean 'self.{name}'?"
    if cls.find_field(name) is not None:
        return f"; did you mean 'self.{name}'?"
    return ""


def _visible_values(ctx, module: ModuleInfo, world, call: bool) -> tuple[list[str], dict[str, str]]:
    """The names a value (or, `call`, a callee) could be, in the order a tie
    favours, and how to show those that need more than their name."""
    names: list[str] = list(ctx.visible_names())
    shown: dict[str, str] = {}
    for scope in _top_scopes(module, world):
        for n, sym in scope.items():
            if n.startswith("_") and scope is not module.scope:
                continue
            if isinstance(sym, ClassInfo):
                if not call or sym.is_interface:
                    continue
                shown.setdefault(n, f"new {n}(...)")
            elif isinstance(sym, ModuleInfo) and call:
                continue
            names.append(n)
    names.extend(B.FUNCTIONS)
    if not call:
        names.extend(_VALUE_KEYWORDS)
        if ctx.self_var is not None:
            names.append("self")
    # A misspelt keyword parses as a name: `brek;`, `retrun(x);`.
    names.extend(_STATEMENT_WORDS)
    cls = ctx.cls if ctx.self_var is not None else None
    if cls is not None:
        for n in _class_members(cls):
            if n not in shown and n not in names:
                shown[n] = f"self.{n}"
                names.append(n)
    return names, shown


def _top_scopes(module: ModuleInfo, world) -> list[dict]:
    scopes = [module.scope] + [m.scope for m in module.open]
    if world.prelude is not None and world.prelude is not module:
        scopes.append(world.prelude.scope)
    return scopes


def _elsewhere(name: str, module: ModuleInfo, world, what: str = "name") -> str:
    """`name` exactly as a public member of an imported module ("did you
    mean 'math.sqrt'?"), or of a standard module that is not imported."""
    imports = _imports(module)
    for alias, mod in imports.items():
        if not mod.broken and mod.public(name) is not None and \
                (what != "type" or isinstance(mod.public(name), ClassInfo)):
            return f"; did you mean '{alias}.{name}'?"
    home = stdlib_module(name)
    if home is None and name != name.lower() and stdlib_module(name.lower()) == name.lower():
        home = name = name.lower()      # `Math.sqrt`: the module is `math`
        for alias, mod in imports.items():
            if mod.name == home:
                return f"; did you mean '{alias}'?"
        return f"; did you mean module '{home}'? (add 'import {home};')"
    if home is None:
        return ""
    for alias, mod in imports.items():
        if mod.name == home:
            return f"; module '{home}' is imported as '{alias}'" if home == name else ""
    if home == name:
        return f"; module '{name}' is not imported: add 'import {name};'"
    return f"; '{name}' is in module '{home}': add 'import {home};' and write '{home}.{name}'"


def _imports(module: ModuleInfo) -> dict[str, ModuleInfo]:
    out = dict(module.imports)
    for m in module.open:
        for alias, mod in m.imports.items():
            out.setdefault(alias, mod)
    return out


# --- types --------------------------------------------------------------------------

def unknown_type(name: str, module: ModuleInfo, world, tparams: dict | None) -> str:
    """The tail of "unknown type 'x'"."""
    if name in _TYPE_WORDS:
        hl = _TYPE_WORDS[name]
        if hl is None:
            return "; HL has no type of every value: use a type parameter or an interface"
        return f"; did you mean '{hl}'?"
    if name in ("None", "nil", "null", "undefined"):
        return "; a missing value is 'null', of any class, array or string type"
    names = list(tparams or ()) + list(PRIMITIVE_NAMES)
    for scope in _top_scopes(module, world):
        names += [n for n, sym in scope.items() if isinstance(sym, ClassInfo)
                  and (scope is module.scope or not n.startswith("_"))]
    near = nearest(name, names)
    if near is not None:
        return f"; did you mean '{near}'?"
    return _elsewhere(name, module, world, "type")


def unknown_module(alias: str, module: ModuleInfo) -> str:
    """The tail of "unknown module 'x'" in a qualified name (`colections.List`)."""
    imports = _imports(module)
    near = nearest(alias, imports)
    if near is not None:
        return f"; did you mean '{near}'?"
    if stdlib_module(alias) == alias:
        return f"; add 'import {alias};'"
    return ""


def module_member(mod: ModuleInfo, name: str) -> str:
    """The tail of "module 'm' has no member 'x'"."""
    return did_you_mean(name, [n for n in mod.scope if not n.startswith("_")])


# --- members ------------------------------------------------------------------------

def _class_members(cls: ClassInfo) -> list[str]:
    """Fields and methods of a class (own first, then inherited) or of an
    interface (its own and its superinterfaces' methods)."""
    out: list[str] = []
    kinds = list(cls.ancestors()) + (cls.super_interfaces() if cls.is_interface else [])
    for c in kinds:
        for n in (*c.fields, *c.methods):
            if n not in out:
                out.append(n)
    return out


def class_member(cls: ClassInfo, name: str, recv: S.Expr, call: bool) -> str:
    """The tail of "class 'C' has no field/method 'x'"."""
    members = _class_members(cls)
    text = S.short_text(recv) or "obj"
    if call and len(name) > 3 and name[:3] in ("get", "set") and name[3].isupper():
        field = name[3].lower() + name[4:]
        if cls.find_field(field) is not None:
            if name.startswith("get"):
                return f"; fields are read directly: '{text}.{field}'"
            return f"; fields are assigned directly: '{text}.{field} = ...'"
    return did_you_mean(name, members)


def builtin_member(t, name: str, recv: S.Expr, call: bool) -> str:
    """The message for a member a string or an array does not have
    ("string has no method 'x'", "int[] has no member 'x'"), with what
    was likely meant: `length` is a property, other languages' names,
    growing an array."""
    head = f"{t} has no {'method' if call else 'member'} '{name}'"
    if t is not STRING and not isinstance(t, ArrayType):
        return head
    text = S.short_text(recv) or ("s" if t is STRING else "xs")
    if name == "length" and call:
        return f"'length' is a property of {t}, not a method: write '{text}.length'"
    if name in _LENGTH_WORDS or name.lower() == "length":
        return f"{head}; the length is the property '{text}.length'"
    if t is STRING:
        if name in ("charAt", "char_at", "at"):
            return f"{head}; a character is '{text}[i]' (a string), its code '{text}.code_at(i)'"
        if name in _STRING_WORDS:
            return f"{head}; did you mean '{_STRING_WORDS[name]}'?"
        return head + _near_member(name, text, B.STRING_METHODS)
    if name in _GROWING:
        return f"{head}; an array has a fixed length: a growable list is collections.List"
    if name in ("sort", "sorted"):
        return f"{head}; sort an array with 'collections.sort({text})'"
    if name == "clone":
        return f"{head}; did you mean 'copy'?"
    return head + _near_member(name, text, B.ARRAY_METHODS)


def _near_member(name: str, text: str, methods) -> str:
    near = nearest(name, ["length", *methods])
    if near is None:
        return ""
    return f"; did you mean '{text}.length'?" if near == "length" else f"; did you mean '{near}'?"


def missing_method(cls: ClassInfo, name: str, wanted: set[str]) -> str:
    """The tail of "class 'C' does not implement method 'x' of interface
    'I'" when C has a method of a near name that no interface asks for."""
    own = [n for n in cls.methods if n not in wanted]
    near = nearest(name, own)
    return f"; is its method '{near}' meant to be '{name}'?" if near is not None else ""


def call_result(found, want) -> str:
    """The hint for a function value given where its result was wanted:
    `n: int = list.length` forgot the call."""
    if isinstance(found, FnType) and not found.params and assignable(found.ret, want):
        return " (a function: call it with '()')"
    return ""
