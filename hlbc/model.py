"""The decoded, static form of a bytecode module: plain immutable descriptors.

This is what the compiler produces, what `hlbc.writer` serialises, what
`hlbc.reader` gives back, and what the VM's verifier and linker read.  It owns
no behaviour and no runtime state (linked classes, heap strings, vtables as
slots live in `hllvm`).  The descriptors are records (record.py): immutable,
compared by value, copied with changes by `replace`.

Type descriptors are strings, in the JVM's spirit:

    I int   F float   Z bool   S string   V void (return types only)
    [T      array of T                    L<module>.<Class>;  class or interface reference
    R       any reference: the erasure of a type parameter (Java's Object);
            primitives travel as boxes (BOXI/BOXF/BOXZ) in it
    (..)T   a function value: the descriptor is the function's signature,
            e.g. `(I)I` for `fn(int) -> int`, `((I)I)V` for `fn(fn(int) -> int)`
    N       the type of the `null` literal (verifier only, never in a file)

A signature is `(<param descriptors>)<return descriptor>`, e.g. `(IFS)Z`.
"""

from __future__ import annotations

from .record import Record, set_field

# Constant pool entry kinds (the tag byte in the file).
K_INT, K_FLOAT, K_STRING, K_TYPE, K_CLASS, K_FIELD, K_METHOD, K_FUNC, K_GLOBAL, K_NATIVE = range(1, 11)

KIND_NAMES = {
    K_INT: "int", K_FLOAT: "float", K_STRING: "string", K_TYPE: "type",
    K_CLASS: "class", K_FIELD: "field", K_METHOD: "method", K_FUNC: "func",
    K_GLOBAL: "global", K_NATIVE: "native",
}

NO_INDEX = 0xFFFFFFFF   # "none" for optional u32 indices

# Function flags.
F_METHOD = 1    # has a receiver in local 0 and belongs to `owner`
F_INIT = 2      # the class's constructor (`init`)
F_NATIVE = 4    # no code: bound at link time to the VM native `<module>.<name>`
F_MODINIT = 8   # the module initialiser (global initialisers in textual order)
F_ABSTRACT = 16  # an interface method: a signature without code, never called directly

# Class flags.
C_INTERFACE = 1  # an interface: no fields, no init, its methods are F_ABSTRACT

# Global flags.
G_CONST = 1     # declared with `let`


class Const(Record):
    """One constant pool entry.  `value` depends on `kind`:

    int: int (signed 64-bit)      float: float          string: str
    type: descriptor str          class: (module, class name)
    field: (class index, field name, type descriptor)
    method: (class index, method name, signature)
    func: (module, function name, signature)
    global: (module, global name, type descriptor)
    native: (qualified native name, signature)
    """
    __slots__ = ("kind", "value")

    def __init__(self, kind: int, value: object) -> None:
        set_field(self, "kind", kind)
        set_field(self, "value", value)


class FieldDesc(Record):
    __slots__ = ("name", "type")

    def __init__(self, name: str, type: str) -> None:
        set_field(self, "name", name)
        set_field(self, "type", type)


class VSlot(Record):
    """One vtable entry: method `name`, implemented by class `impl` (a class
    constant index) — the class whose method body runs."""
    __slots__ = ("name", "impl")

    def __init__(self, name: str, impl: int) -> None:
        set_field(self, "name", name)
        set_field(self, "impl", impl)


class ISlot(Record):
    """One itable entry of a class: interface method `name` of the interface
    `iface` (a class constant index naming the interface that declares it)
    runs the class's virtual method `impl` (a name in the class's vtable,
    whose signature must equal the interface method's).  Dispatch goes
    through the receiver's vtable, so a subclass's override is found."""
    __slots__ = ("iface", "name", "impl")

    def __init__(self, iface: int, name: str, impl: str) -> None:
        set_field(self, "iface", iface)
        set_field(self, "name", name)
        set_field(self, "impl", impl)


class ClassDesc(Record):
    __slots__ = ("name", "super", "fields", "methods", "vtable", "init", "flags", "interfaces", "itable")

    def __init__(self, name: str,
                 super: int,                            # class constant index, or NO_INDEX
                 fields: tuple[FieldDesc, ...],         # own fields only; layout = super's + these
                 methods: tuple[tuple[str, int], ...],  # (name, function index in this module)
                 vtable: tuple[VSlot, ...],             # full vtable, superclass's slots first
                 init: int = NO_INDEX,                  # function index of `init`, or NO_INDEX
                 flags: int = 0,                        # C_INTERFACE
                 interfaces: tuple[int, ...] = (),      # class constant indices: the interfaces a
                                                        # class implements / an interface extends
                 itable: tuple[ISlot, ...] = ()) -> None:  # a class: one entry per method of every
                                                        # interface it implements (see ISlot)
        set_field(self, "name", name)
        set_field(self, "super", super)
        set_field(self, "fields", fields)
        set_field(self, "methods", methods)
        set_field(self, "vtable", vtable)
        set_field(self, "init", init)
        set_field(self, "flags", flags)
        set_field(self, "interfaces", interfaces)
        set_field(self, "itable", itable)

    @property
    def is_interface(self) -> bool:
        return bool(self.flags & C_INTERFACE)


class Handler(Record):
    __slots__ = ("start", "end", "handler", "klass")

    def __init__(self, start: int,      # byte offset, inclusive
                 end: int,              # byte offset, exclusive
                 handler: int,          # byte offset of the handler's first instruction
                 klass: int) -> None:   # class constant index caught, or NO_INDEX for any Error
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "handler", handler)
        set_field(self, "klass", klass)


class LineEntry(Record):
    __slots__ = ("pc", "line", "col")

    def __init__(self, pc: int,         # first byte offset the line applies to
                 line: int, col: int) -> None:
        set_field(self, "pc", pc)
        set_field(self, "line", line)
        set_field(self, "col", col)


class FunctionDesc(Record):
    __slots__ = ("name", "flags", "owner", "params", "ret", "locals", "max_stack", "code", "handlers",
                 "lines")

    def __init__(self, name: str,               # "f", or the method name for methods
                 flags: int,
                 owner: int,                    # class index in this module, or NO_INDEX
                 params: tuple[str, ...],       # descriptors; a method's receiver is NOT listed
                 ret: str,
                 locals: tuple[str, ...],       # every local slot's type, receiver and params first
                 max_stack: int,
                 code: bytes,
                 handlers: tuple[Handler, ...] = (),
                 lines: tuple[LineEntry, ...] = ()) -> None:
        set_field(self, "name", name)
        set_field(self, "flags", flags)
        set_field(self, "owner", owner)
        set_field(self, "params", params)
        set_field(self, "ret", ret)
        set_field(self, "locals", locals)
        set_field(self, "max_stack", max_stack)
        set_field(self, "code", code)
        set_field(self, "handlers", handlers)
        set_field(self, "lines", lines)

    @property
    def signature(self) -> str:
        return "(" + "".join(self.params) + ")" + self.ret


class GlobalDesc(Record):
    __slots__ = ("name", "type", "flags")

    def __init__(self, name: str, type: str, flags: int = 0) -> None:
        set_field(self, "name", name)
        set_field(self, "type", type)
        set_field(self, "flags", flags)


class ModuleDesc(Record):
    __slots__ = ("name", "source", "imports", "consts", "globals", "classes", "functions", "init",
                 "source_hash")

    def __init__(self, name: str,                   # dotted module name, e.g. "util.text"
                 source: str,                       # source file name, for traces
                 imports: tuple[str, ...],          # modules to initialise first
                 consts: tuple[Const, ...],
                 globals: tuple[GlobalDesc, ...],
                 classes: tuple[ClassDesc, ...],
                 functions: tuple[FunctionDesc, ...],
                 init: int = NO_INDEX,              # function index of the module initialiser
                 source_hash: bytes = b"") -> None:  # content hash of the source, or b""
        set_field(self, "name", name)
        set_field(self, "source", source)
        set_field(self, "imports", imports)
        set_field(self, "consts", consts)
        set_field(self, "globals", globals)
        set_field(self, "classes", classes)
        set_field(self, "functions", functions)
        set_field(self, "init", init)
        set_field(self, "source_hash", source_hash)


# --- type descriptor helpers -------------------------------------------------

PRIMITIVES = ("I", "F", "Z")


def is_ref(t: str) -> bool:
    return t[:1] in ("S", "N", "R", "[", "L", "(")


def is_fn(t: str) -> bool:
    """A function type (its descriptor is a signature)."""
    return t[:1] == "("


def class_desc(module: str, name: str) -> str:
    return f"L{module}.{name};"


def split_class_desc(t: str) -> tuple[str, str]:
    """`Lutil.text.Point;` → ("util.text", "Point")."""
    inner = t[1:-1]
    mod, _, name = inner.rpartition(".")
    return mod, name


def parse_type(s: str, i: int = 0, allow_void: bool = False, depth: int = 0) -> int:
    """Return the end index of the descriptor starting at s[i]; raise
    ValueError if there is none."""
    n = len(s)
    while i < n and s[i] == "[":
        i += 1
        allow_void = False
    if i >= n:
        raise ValueError(f"truncated type descriptor {s[:80]!r}")
    c = s[i]
    if c in "IFZSR" or (c == "V" and allow_void):
        return i + 1
    if c == "(":
        return _signature_end(s, i, depth)
    if c == "L":
        j = s.find(";", i)
        if j < 0:
            raise ValueError(f"unterminated class descriptor in {s[:80]!r}")
        inner = s[i + 1:j]
        mod, dot, name = inner.rpartition(".")
        if not dot or not mod or not name:
            raise ValueError(f"class descriptor needs module.Class: {s[:80]!r}")
        return j + 1
    raise ValueError(f"bad type descriptor {s[:80]!r} at {i}")


_MAX_NESTING = 64   # function types inside function types: bounded, so parsing cannot recurse deeply


def _signature_end(s: str, i: int, depth: int = 0) -> int:
    """End index of the signature `(..)T` starting at s[i] (s[i] is "(")."""
    if depth > _MAX_NESTING:
        raise ValueError(f"function types nested too deeply in {s[:80]!r}")
    n = len(s)
    i += 1
    while i < n and s[i] != ")":
        i = parse_type(s, i, depth=depth + 1)
    if i >= n:
        raise ValueError(f"bad signature {s[:80]!r}")
    return parse_type(s, i + 1, allow_void=True, depth=depth + 1)


def check_type(s: str, allow_void: bool = False) -> None:
    if parse_type(s, 0, allow_void) != len(s):
        raise ValueError(f"bad type descriptor {s!r}")


def parse_signature(sig: str) -> tuple[tuple[str, ...], str]:
    """`(IS)F` → (("I", "S"), "F"); ValueError when malformed."""
    if not sig.startswith("("):
        raise ValueError(f"bad signature {sig[:80]!r}")
    if _signature_end(sig, 0) != len(sig):
        raise ValueError(f"bad signature {sig[:80]!r}")
    i = 1
    params = []
    while sig[i] != ")":
        j = parse_type(sig, i)
        params.append(sig[i:j])
        i = j
    return tuple(params), sig[i + 1:]
