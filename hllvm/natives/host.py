"""Natives an embedding host defines: Python callables that HL code calls
as functions of a module of the host's naming (`VM.define_native`).

    vm.define_native("host.log", print, "fn(msg: string)")
    // HL:  import host;  host.log("hello");

Owns the signature syntax (HL's own: `fn(a: int, b: string[]) -> float`,
parameter names optional, or a bytecode signature such as `(I[S)F`; the
parser here produces bytecode descriptors, never HL source), the bytecode
module each host module becomes (`module_desc`: F_NATIVE functions, which
the linker binds by name, so a `.hlc` importing a host module loads with no
compiler), and the call wrapper: HL values in and out through `convert.py`,
and a Python exception raised by the callable thrown into HL as an error HL
code can catch.  What the compiler needs to type-check source that imports
a host module is the `hl` layer's (hl/host.py), derived from the same
declarations.

Which HL class a Python exception becomes is the table `_HL_CLASS` (by the
exception's class or its nearest listed base; `Error` otherwise).  The
message is the exception's text, prefixed with its Python class name when
that differs from the HL class (an `HLError` of a nested call into the VM
keeps its HL class and message).  If no HL handler catches it, the host gets
`HLError` with the original exception as `__cause__` (traceback intact).
Stops (`Stopped`), `exit`, HL throws from nested calls and any
`BaseException` that is not an `Exception` (KeyboardInterrupt, SystemExit)
pass through untouched: they are not HL errors.

Host natives take and return only values `convert.py` converts without
handles (int, float, bool, string, arrays of them): a host module imports
nothing, so its declarations cannot name HL classes.
"""

from __future__ import annotations

from hlbc.model import F_NATIVE, NO_INDEX, FunctionDesc, ModuleDesc, parse_signature

from ..errors import ExitProgram, HLError, HLThrow, Stopped
from . import NativeBinding

# (`re` is imported by the functions that use them, when a host defines a
# native: a run imports no `re`, some 7 ms of its start)
_TYPE = r"\s*(int|float|bool|string)\s*((?:\[\s*\]\s*)*)\Z"
_FN = r"(?s)\s*fn\s*\((.*)\)\s*(?:->\s*(.+?))?\s*\Z"
_BASE = {"int": "I", "float": "F", "bool": "Z", "string": "S"}
_SOURCE = {"I": "int", "F": "float", "Z": "bool", "S": "string"}


def _is_ident(s: str) -> bool:
    """[A-Za-z_][A-Za-z0-9_]*"""
    return s.isascii() and s.isidentifier()


# Modules a host may not define natives in: the prelude and the standard library.
RESERVED_MODULES = frozenset({"lang", "io", "math", "time", "string", "collections", "text", "random", "env"})
# Python exception class → HL error class (all of them subclasses of Error).
_HL_CLASS = {
    PermissionError: "PermissionError",
    ValueError: "ValueError",
    LookupError: "IndexError",
    ArithmeticError: "ArithmeticError",
    AssertionError: "AssertionError",
    MemoryError: "OutOfMemoryError",
    RecursionError: "StackOverflowError",
}
_MAX_KEPT_CAUSES = 256


class HostSignatureError(ValueError):
    """A host native's name or signature that HL cannot declare."""


def parse_host_signature(text: str) -> tuple[str, list[str]]:
    """(bytecode signature, parameter names) of `fn(a: int) -> string` (names
    optional) or of a bytecode signature `(I)S`."""
    t = text.strip()
    if t.startswith("("):
        try:
            params, ret = parse_signature(t)
        except Exception as e:
            raise HostSignatureError(f"bad signature {text!r}: {e}") from None
        for p in (*params, ret):
            _source_type(p, text, void_ok=p is ret)
        return t, [f"a{i}" for i in range(len(params))]
    import re
    m = re.match(_FN, t)
    if m is None:
        raise HostSignatureError(f"bad signature {text!r}: expected fn(TYPES) or fn(TYPES) -> TYPE")
    plist, ret = m.group(1).strip(), m.group(2)
    descs, names = [], []
    for i, part in enumerate(plist.split(",") if plist else []):
        name, colon, typ = part.partition(":")
        if not colon:
            name, typ = f"a{i}", part
        name = name.strip()
        if not _is_ident(name):
            raise HostSignatureError(f"bad parameter name {name!r} in {text!r}")
        descs.append(_descriptor(typ, text))
        names.append(name)
    if len(set(names)) != len(names):
        raise HostSignatureError(f"repeated parameter name in {text!r}")
    rdesc = "V" if ret is None or ret.strip() == "void" else _descriptor(ret, text)
    return "(" + "".join(descs) + ")" + rdesc, names


def _descriptor(typ: str, text: str) -> str:
    import re
    m = re.match(_TYPE, typ)
    if m is None:
        raise HostSignatureError(f"type {typ.strip()!r} in {text!r}: a host native takes and returns "
                                 "int, float, bool, string or arrays of them")
    return "[" * m.group(2).count("[") + _BASE[m.group(1)]


def _source_type(desc: str, text: str, void_ok: bool = False) -> str:
    if desc == "V" and void_ok:
        return "void"
    core = desc.lstrip("[")
    if core not in _SOURCE:
        raise HostSignatureError(f"type {desc} in {text!r}: a host native takes and returns "
                                 "int, float, bool, string or arrays of them")
    return _SOURCE[core] + "[]" * (len(desc) - len(core))


def split_name(name: str) -> tuple[str, str]:
    """("host", "log") for "host.log"; HostSignatureError if not a qualified name."""
    module, dot, fn = name.rpartition(".")
    if not dot or not all(_is_ident(p) for p in (*module.split("."), fn)):
        raise HostSignatureError(f"native name {name!r} must be MODULE.FUNCTION (identifiers)")
    if module in RESERVED_MODULES:
        raise HostSignatureError(f"module {module!r} belongs to the standard library")
    if fn.startswith("$"):
        raise HostSignatureError(f"bad function name {fn!r}")
    return module, fn


def module_desc(module: str, natives: dict[str, tuple[str, list[str]]]) -> ModuleDesc:
    """The bytecode module a host module is: one F_NATIVE function per
    native (no code; the linker binds each to the VM native of its name).
    It imports nothing, so loading it needs no other module.  Its source
    hash is a digest of the declarations, so that two descriptors of the
    same natives are recognised as the same module."""
    funcs = []
    for fn, (sig, _names) in natives.items():
        params, ret = parse_signature(sig)
        funcs.append(FunctionDesc(fn, F_NATIVE, NO_INDEX, tuple(params), ret, tuple(params), 0, b""))
    import hashlib
    digest = hashlib.sha256(repr(sorted((fn, sig) for fn, (sig, _n) in natives.items())).encode())
    return ModuleDesc(module, f"<host module {module}>", (), (), (), (), tuple(funcs),
                      source_hash=digest.digest())


def source_type(desc: str) -> str:
    """The HL spelling of a host native's type descriptor (`[I` → `int[]`),
    for messages and for layers that show declarations to people."""
    return _source_type(desc, desc, void_ok=True)


def host_error_class(exc: BaseException) -> str:
    for cls in type(exc).__mro__:
        name = _HL_CLASS.get(cls)
        if name is not None:
            return name
    return "Error"


def _text(e: Exception) -> str:
    """The exception's text, or "" if it has none that can be read: its
    `__str__` is the host's code and may itself raise (the message then
    falls back to the class name)."""
    try:
        text = str(e)
    except Exception:
        return ""
    return text


def bind_host(vm, name: str, sig: str, fn) -> NativeBinding:
    """The binding of host callable `fn` as native `name`: HL values in,
    Python values to `fn`, its result back as an HL value."""
    params, ret = parse_signature(sig)
    conv = vm.convert
    cin = [conv.to_python(p) for p in params]
    cout = conv.to_hl(ret) if ret != "V" else None
    interp = vm.interp
    errors = vm.errors

    def fail(e: Exception):
        if isinstance(e, HLError) and e.class_name in errors.classes:
            # An HL error of a nested call into the VM: rethrown as itself.
            cls, msg = e.class_name, e.message
        else:
            cls = host_error_class(e)
            text = _text(e)
            kind = type(e).__name__
            msg = text if kind == cls else (f"{kind}: {text}" if text else kind)
        ref = errors.make(cls, msg)
        causes = interp.causes
        if len(causes) >= _MAX_KEPT_CAUSES:
            del causes[next(iter(causes))]
        causes[ref] = e
        raise HLThrow(ref) from None

    return NativeBinding(name, sig, params, ret, _wrapper(len(cin))(fn, cin, cout, fail),
                         False)


# The call wrapper: converts, calls, converts back, and turns a Python
# exception into an HL throw (`fail`); stops, exit and HL throws pass
# through.  Made per arity up to SPREAD (arguments converted one by one, no
# lists built: the cost a host function pays per call), from this one text.
_PASS = (HLThrow, Stopped, ExitProgram)
SPREAD = 3
_WRAPPER = """
def make(fn, cin, cout, fail):
    {cs} = cin

    def call({args}):
        try:
            r = fn({converted})
            return None if cout is None else cout(r)
        except _PASS:
            raise
        except Exception as e:
            fail(e)
    return call
"""
_wrappers: dict = {}


def _wrapper(n: int):
    w = _wrappers.get(n)
    if w is None:
        if n > SPREAD:
            text = _WRAPPER.format(cs="_", args="*raw", converted="*[c(a) for c, a in zip(cin, raw)]")
        else:
            text = _WRAPPER.format(cs="".join(f"c{k}, " for k in range(n)) or "_",
                                   args=", ".join(f"a{k}" for k in range(n)),
                                   converted=", ".join(f"c{k}(a{k})" for k in range(n)))
        ns = {"_PASS": _PASS}
        exec(compile(text, "<host wrapper>", "exec"), ns)
        w = _wrappers[n] = ns["make"]
    return w
