"""The `.hlc` bytecode file: `write_module` and `read_module`, mirror images.

Each section is written by one function and read back by its twin directly
below it, in the same order, so the two cannot drift apart; the byte-by-byte
layout is documented in docs/bytecode.md.  `read_module` accepts any byte
string and returns a `ModuleDesc` or raises `LoadError` with the offset of the
first bad field.  It checks the file's structure (magic, version, checksum,
lengths, descriptor syntax, constant kinds and index ranges, decodable code);
the type-level checks of code are the verifier's.
"""

from __future__ import annotations

import zlib

from . import model as M
from .code import decode
from .errors import LoadError
from .limits import MAX_LOCALS
from .wire import Sink, Source

MAGIC = b"HLBC"
VERSION = (2, 0)


# --- header and trailer --------------------------------------------------------

def write_module(m: M.ModuleDesc) -> bytes:
    """The module's bytes; ValueError for a descriptor with a field beyond
    its width (the compiler never makes one: hlbc/limits.py)."""
    try:
        return _write(m)
    except OverflowError as e:
        raise ValueError(f"module {m.name}: a value does not fit its field in the format ({e}); "
                         f"see docs/limits.md") from None


def _write(m: M.ModuleDesc) -> bytes:
    s = Sink()
    s.raw(MAGIC)
    s.u16(VERSION[0])
    s.u16(VERSION[1])
    s.str(m.name)
    s.str(m.source)
    s.blob(m.source_hash)
    _w_list(s, m.imports, s.str)
    _w_list(s, m.consts, lambda c: _w_const(s, c))
    _w_list(s, m.globals, lambda g: _w_global(s, g))
    _w_list(s, m.classes, lambda c: _w_class(s, c))
    _w_list(s, m.functions, lambda f: _w_function(s, f))
    s.u32(m.init)
    s.u32(zlib.crc32(s.buf))
    return bytes(s.buf)


def read_module(data: bytes) -> M.ModuleDesc:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise LoadError("module data must be bytes")
    data = bytes(data)
    if len(data) < 12:
        raise LoadError("file too short to be an HL module", offset=0)
    if data[:4] != MAGIC:
        raise LoadError(f"bad magic {data[:4]!r} (expected {MAGIC!r})", offset=0)
    body_end = len(data) - 4
    crc = int.from_bytes(data[body_end:], "little")
    r = Source(data, body_end)
    r.pos = 4
    major, minor = r.u16("version"), r.u16("version")
    if major != VERSION[0]:
        raise LoadError(f"unsupported format version {major}.{minor} (this VM reads {VERSION[0]}.x)", offset=4)
    if zlib.crc32(data[:body_end]) != crc:
        raise LoadError("checksum mismatch: the file is corrupt", offset=body_end)
    name = r.str("module name")
    source = r.str("source name")
    source_hash = r.blob("source hash")
    imports = _r_list(r, "imports", lambda: r.str("import"), 4)
    consts = _r_list(r, "constants", lambda: _r_const(r), 1)
    cx = _ConstCheck(consts)
    globals_ = _r_list(r, "globals", lambda: _r_global(r), 9)
    classes = _r_list(r, "classes", lambda: _r_class(r, cx), 16)
    functions = _r_list(r, "functions", lambda: _r_function(r, cx, len(classes)), 16)
    init_at = r.pos
    init = r.u32("module init")
    if r.pos != body_end:
        raise LoadError(f"{body_end - r.pos} stray bytes after the module", offset=r.pos)
    mod = M.ModuleDesc(name, source, tuple(imports), tuple(consts), tuple(globals_),
                       tuple(classes), tuple(functions), init, source_hash)
    _check_cross(mod, init_at)
    return mod


def _w_list(s: Sink, items, put) -> None:
    s.u32(len(items))
    for it in items:
        put(it)


def _r_list(r: Source, what: str, get, min_size: int) -> list:
    return [get() for _ in range(r.count(what, min_size))]


# --- constants -----------------------------------------------------------------

def _w_const(s: Sink, c: M.Const) -> None:
    s.u8(c.kind)
    v = c.value
    if c.kind == M.K_INT:
        s.i64(v)
    elif c.kind == M.K_FLOAT:
        s.f64(v)
    elif c.kind in (M.K_STRING, M.K_TYPE):
        s.str(v)
    elif c.kind == M.K_CLASS:
        s.str(v[0]); s.str(v[1])
    elif c.kind in (M.K_FIELD, M.K_METHOD):
        s.u32(v[0]); s.str(v[1]); s.str(v[2])
    elif c.kind in (M.K_FUNC, M.K_GLOBAL):
        s.str(v[0]); s.str(v[1]); s.str(v[2])
    elif c.kind == M.K_NATIVE:
        s.str(v[0]); s.str(v[1])
    else:
        raise ValueError(f"unknown constant kind {c.kind}")


def _r_const(r: Source) -> M.Const:
    at = r.pos
    kind = r.u8("constant tag")
    if kind == M.K_INT:
        v = r.i64()
    elif kind == M.K_FLOAT:
        v = r.f64()
    elif kind == M.K_STRING:
        v = r.str("string constant")
    elif kind == M.K_TYPE:
        v = _desc(r, "type constant")
    elif kind == M.K_CLASS:
        v = (r.str("class module"), _ident(r, "class name"))
    elif kind == M.K_FIELD:
        v = (r.u32(), _ident(r, "field name"), _desc(r, "field type"))
    elif kind == M.K_METHOD:
        v = (r.u32(), _ident(r, "method name"), _sig(r, "method signature"))
    elif kind in (M.K_FUNC, M.K_GLOBAL):
        mod, nm = r.str("module name"), _ident(r, "name")
        v = (mod, nm, _sig(r, "function signature") if kind == M.K_FUNC else _desc(r, "global type"))
    elif kind == M.K_NATIVE:
        v = (r.str("native name"), _sig(r, "native signature"))
    else:
        raise LoadError(f"unknown constant tag {kind}", offset=at)
    return M.Const(kind, v)


def _ident(r: Source, what: str) -> str:
    at = r.pos
    s = r.str(what)
    if not s or not (s[0].isalpha() or s[0] in "_$") or not all(c.isalnum() or c in "_$" for c in s):
        raise LoadError(f"{what} {s!r} is not an identifier", offset=at)
    return s


def _desc(r: Source, what: str, allow_void: bool = False) -> str:
    at = r.pos
    s = r.str(what)
    try:
        M.check_type(s, allow_void)
    except ValueError as e:
        raise LoadError(f"{what}: {e}", offset=at) from None
    return s


def _sig(r: Source, what: str) -> str:
    at = r.pos
    s = r.str(what)
    try:
        M.parse_signature(s)
    except ValueError as e:
        raise LoadError(f"{what}: {e}", offset=at) from None
    return s


class _ConstCheck:
    """Checks that an index names a constant of the expected kind."""

    def __init__(self, consts: list[M.Const]) -> None:
        self.consts = consts
        for i, c in enumerate(consts):
            if c.kind in (M.K_FIELD, M.K_METHOD):
                self.need(c.value[0], M.K_CLASS, f"constant {i}", None)

    def need(self, idx: int, kind: int, what: str, at: int | None, optional: bool = False) -> None:
        if optional and idx == M.NO_INDEX:
            return
        if idx >= len(self.consts):
            raise LoadError(f"{what}: constant index {idx} out of range ({len(self.consts)} constants)", offset=at)
        if self.consts[idx].kind != kind:
            raise LoadError(f"{what}: constant {idx} is a {M.KIND_NAMES[self.consts[idx].kind]}, "
                            f"expected a {M.KIND_NAMES[kind]}", offset=at)


# --- globals -------------------------------------------------------------------

def _w_global(s: Sink, g: M.GlobalDesc) -> None:
    s.str(g.name); s.str(g.type); s.u8(g.flags)


def _r_global(r: Source) -> M.GlobalDesc:
    return M.GlobalDesc(_ident(r, "global name"), _desc(r, "global type"), r.u8("global flags"))


# --- classes -------------------------------------------------------------------

def _w_class(s: Sink, c: M.ClassDesc) -> None:
    s.str(c.name)
    s.u32(c.super)
    _w_list(s, c.fields, lambda f: (s.str(f.name), s.str(f.type)))
    _w_list(s, c.methods, lambda m: (s.str(m[0]), s.u32(m[1])))
    _w_list(s, c.vtable, lambda v: (s.str(v.name), s.u32(v.impl)))
    s.u32(c.init)
    s.u8(c.flags)
    _w_list(s, c.interfaces, s.u32)
    _w_list(s, c.itable, lambda e: (s.u32(e.iface), s.str(e.name), s.str(e.impl)))


def _r_class(r: Source, cx: _ConstCheck) -> M.ClassDesc:
    name = _ident(r, "class name")
    at = r.pos
    sup = r.u32("superclass")
    cx.need(sup, M.K_CLASS, f"superclass of {name}", at, optional=True)
    fields = _r_list(r, "fields", lambda: M.FieldDesc(_ident(r, "field name"), _desc(r, "field type")), 8)
    methods = _r_list(r, "methods", lambda: (_ident(r, "method name"), r.u32("method function")), 8)

    def slot() -> M.VSlot:
        nm = _ident(r, "vtable method")
        at = r.pos
        impl = r.u32("vtable class")
        cx.need(impl, M.K_CLASS, f"vtable slot {nm} of {name}", at)
        return M.VSlot(nm, impl)
    vtable = _r_list(r, "vtable", slot, 8)
    init = r.u32("class init")
    at = r.pos
    flags = r.u8("class flags")
    if flags & ~M.C_INTERFACE:
        raise LoadError(f"class {name}: unknown flags {flags:#x}", offset=at)

    def iface() -> int:
        at = r.pos
        i = r.u32("interface")
        cx.need(i, M.K_CLASS, f"interface of {name}", at)
        return i
    interfaces = _r_list(r, "interfaces", iface, 4)

    def islot() -> M.ISlot:
        at = r.pos
        i = r.u32("itable interface")
        cx.need(i, M.K_CLASS, f"itable entry of {name}", at)
        return M.ISlot(i, _ident(r, "itable method"), _ident(r, "itable implementation"))
    itable = _r_list(r, "itable", islot, 12)
    return M.ClassDesc(name, sup, tuple(fields), tuple(methods), tuple(vtable), init, flags,
                       tuple(interfaces), tuple(itable))


# --- functions -----------------------------------------------------------------

def _w_function(s: Sink, f: M.FunctionDesc) -> None:
    s.str(f.name)
    s.u8(f.flags)
    s.u32(f.owner)
    _w_list(s, f.params, s.str)
    s.str(f.ret)
    _w_list(s, f.locals, s.str)
    s.u16(f.max_stack)
    s.blob(f.code)
    _w_list(s, f.handlers, lambda h: (s.u32(h.start), s.u32(h.end), s.u32(h.handler), s.u32(h.klass)))
    _w_list(s, f.lines, lambda e: (s.u32(e.pc), s.u32(e.line), s.u16(e.col)))


def _r_function(r: Source, cx: _ConstCheck, nclasses: int) -> M.FunctionDesc:
    name = _ident(r, "function name")
    flags = r.u8("function flags")
    at = r.pos
    owner = r.u32("function owner")
    if owner != M.NO_INDEX and owner >= nclasses:
        raise LoadError(f"function {name}: owner class {owner} out of range", offset=at)
    params = _r_list(r, "parameters", lambda: _desc(r, "parameter type"), 5)
    ret = _desc(r, "return type", allow_void=True)
    at = r.pos
    locals_ = _r_list(r, "locals", lambda: _desc(r, "local type"), 5)
    if len(locals_) > MAX_LOCALS:
        raise LoadError(f"function {name}: too many locals", offset=at)
    max_stack = r.u16("max stack")
    code_at = r.pos + 4
    code = r.blob("code")
    try:
        decode(code, where=name)
    except LoadError as e:
        raise LoadError(e.message, offset=code_at, where=f"function {name}") from None

    def handler() -> M.Handler:
        at = r.pos
        h = M.Handler(r.u32(), r.u32(), r.u32(), r.u32())
        cx.need(h.klass, M.K_CLASS, f"handler in {name}", at + 12, optional=True)
        return h
    handlers = _r_list(r, "handlers", handler, 16)
    lines = _r_list(r, "lines", lambda: M.LineEntry(r.u32(), r.u32(), r.u16()), 10)
    return M.FunctionDesc(name, flags, owner, tuple(params), ret, tuple(locals_), max_stack,
                          code, tuple(handlers), tuple(lines))


def _check_cross(m: M.ModuleDesc, init_at: int) -> None:
    nf = len(m.functions)
    for c in m.classes:
        for mname, fi in c.methods:
            if fi >= nf:
                raise LoadError(f"class {c.name}: method {mname} names function {fi} (only {nf})")
        if c.init != M.NO_INDEX and c.init >= nf:
            raise LoadError(f"class {c.name}: init names function {c.init} (only {nf})")
    if m.init != M.NO_INDEX and m.init >= nf:
        raise LoadError(f"module init names function {m.init} (only {nf})", offset=init_at)
