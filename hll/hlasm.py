"""HL assembly (`.hlasm`): a text format for hand-written bytecode modules.

This module owns turning assembly text into a `hlbc.model.ModuleDesc`, and
the byte-level damage (`corrupt`) a test may apply to the written file.  It
exists for the loader's and verifier's negative tests (tests/conformance/
bytecode/, in the spirit of WebAssembly's `assert_malformed` and
`assert_invalid`), so it checks only what it needs to build the module: it
happily writes wrong types, bad descriptors, out-of-range indices and raw
bytes, because that is what those tests are for.  It does not run, verify
or link anything; instruction names and operand kinds come from
`hlbc.opcodes.TABLE`.

The format, line by line (a word that starts with `;` or `//` starts a
comment; a `;` inside a word, as in `Lt.Point;`, is part of it):

    module t                      the module's name (default: `t`)
    source t.hl                   file name for stack traces (default: NAME.hl)
    imports lang math             modules initialised first (default: lang)
    const KIND VALUE              an explicit pool entry; these come first, in
                                  order, so `#0`, `#1`... name them
    global NAME TYPE [let]
    class NAME [extends CLASS] [implements I ...]
      ...                         then `field NAME TYPE`, `slot NAME CLASS`,
    end                           `itable I.NAME IMPL` and `flags N` lines;
                                  `end`.  Without `slot` lines the vtable is
                                  computed: the superclass's slots, then this
                                  class's methods (an override keeps its
                                  slot).  Without `itable` lines the itable
                                  is computed: every method of every
                                  interface the class, its ancestors and
                                  those interfaces reach, implemented by the
                                  vtable method of the same name; a bare
                                  `itable` line asks for exactly the listed
                                  entries (none, if it is the only one)
    interface NAME [extends I ...]   an interface (class flag 1), `end`;
      ...                         its methods are `abstract` functions
    end
    func NAME SIG                 a top-level function, e.g. `func main ()V`
    method CLASS.NAME SIG         a method (local 0 is the receiver)
    init CLASS SIG                the class's constructor
    modinit                       the module initialiser `$init` ()V
    native NAME SIG               a bodiless function bound to a VM native
    abstract IFACE.NAME SIG       an interface method (F_METHOD|F_ABSTRACT, no
                                  code, max_stack 0)
      ...                         function bodies end with `end`
    end

Inside a function body:

    locals T T ...                more local slots after receiver and params
    max_stack N                   (default 16)
    flags N / owner N             override the computed flags / owner index
    line N                        a line-table entry at the current pc
    LABEL:                        names the current pc
    OPCODE OPERANDS               an instruction from the table
    bytes 0xFF 01 ...             raw code bytes, for malformed code
    handler START END HANDLER CLASS   START/END/HANDLER are targets; CLASS
                                  is a class or `any`

Operands by kind: `local`, `u8`: integers.  `target`: a label, `label+N`,
`label-N` or a byte offset.  Pool operands: `#N` is the raw pool index N;
otherwise `int` 5 / 0x10, `float` 1.5 / inf / nan, `string` "json text",
`type` a descriptor (`I`, `R`, `[Lt.P;`, a function type `(I)I`), `class` `Point` or `lang.Error`, `field`
`CLASS.name TYPE`, `method` `CLASS.name SIG`, `func` `[MOD.]name SIG`,
`global` `[MOD.]name TYPE`, `native` `lang.println (S)V`.  A class named
without a module is this module's.  Operands follow the table's order:
`CLOSURE add (II)I 1` is func `add (II)I`, then the u8 1; `CALLFN (I)I`
takes a type; `CALLIFACE Shape.area ()F` a method.  `const` entries take the same forms
(`const int 5`, `const field Point.x F`).
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass, field

from hlbc import model as M
from hlbc.opcodes import BY_NAME, OPERAND_SIZE, POOL_KIND

DEFAULT_MAX_STACK = 16

_FMT = {1: "<B", 2: "<H", 4: "<I"}
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')


class AsmError(Exception):
    """Assembly text that cannot be assembled (a mistake in the test, not in
    the module it describes)."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(f"line {line}: {message}")


@dataclass
class _Func:
    name: str
    flags: int
    owner: int
    params: tuple[str, ...]
    ret: str
    locals: list[str]
    line: int
    max_stack: int = DEFAULT_MAX_STACK
    items: list = field(default_factory=list)     # (line, kind, payload)
    handlers: list = field(default_factory=list)  # (line, start, end, handler, class)
    native: bool = False


@dataclass
class _Class:
    name: str
    super: str | None
    fields: list[M.FieldDesc] = field(default_factory=list)
    methods: list[tuple[str, int]] = field(default_factory=list)
    slots: list[tuple[str, str]] | None = None
    init: int = M.NO_INDEX
    flags: int = 0
    interfaces: list[str] = field(default_factory=list)
    itable: list[tuple[str, str, str]] | None = None   # (interface, method, impl) when written out


def assemble(text: str, others: dict | None = None) -> M.ModuleDesc:
    """Assemble `text`; `others` maps module names to already built modules
    (the prelude, the standard library), used to compute the vtables of
    classes whose superclass lives there.  Raises AsmError."""
    return _Assembler(others or {}).run(text)


class _Assembler:
    def __init__(self, others: dict):
        self.others = others
        self.name = "t"
        self.source: str | None = None
        self.imports: tuple[str, ...] = ("lang",)
        self.consts: list[M.Const] = []
        self.cindex: dict = {}
        self.globals: list[M.GlobalDesc] = []
        self.classes: list[_Class] = []
        self.funcs: list[_Func] = []
        self.init = M.NO_INDEX
        self.pending_consts: list[tuple[int, list[str]]] = []

    # --- text ---------------------------------------------------------------------
    def run(self, text: str) -> M.ModuleDesc:
        text = re.sub(r"\A\s*/\*---.*?---\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
        lines = [(n, _tokens(raw, n)) for n, raw in enumerate(text.splitlines(), 1)]
        lines = [(n, t) for n, t in lines if t]
        i = 0
        while i < len(lines):
            n, toks = lines[i]
            head = toks[0]
            if head == "module":
                self.name = _one(toks, n)
            elif head == "source":
                self.source = _one(toks, n)
            elif head == "imports":
                self.imports = tuple(toks[1:])
            elif head == "const":
                if len(toks) < 3 or toks[1] not in POOL_KIND:
                    raise AsmError(n, "const needs a kind (" + ", ".join(POOL_KIND) + ") and a value")
                self.pending_consts.append((n, toks[1:]))
            elif head == "global":
                if len(toks) not in (3, 4) or (len(toks) == 4 and toks[3] != "let"):
                    raise AsmError(n, "global NAME TYPE [let]")
                self.globals.append(M.GlobalDesc(toks[1], toks[2], M.G_CONST if len(toks) == 4 else 0))
            elif head in ("class", "interface"):
                i = self.class_block(lines, i)
                continue
            elif head in ("func", "method", "init", "modinit", "native", "abstract"):
                i = self.func_block(lines, i)
                continue
            else:
                raise AsmError(n, f"unknown directive {head!r}")
            i += 1
        # Explicit constants first, in order, so that `#N` is predictable.
        # A field or method constant may add its class constant; the slot is
        # reserved first so that the explicit entry keeps its index.
        for n, toks in self.pending_consts:
            k = len(self.consts)
            self.consts.append(None)
            self.consts[k] = M.Const(POOL_KIND[toks[0]], self.pool_value(toks[0], toks[1:], n))
        return self.build()

    def class_block(self, lines, i: int) -> int:
        n, toks = lines[i]
        c = _class_header(toks, n)
        self.classes.append(c)
        i += 1
        while i < len(lines):
            n, toks = lines[i]
            if toks == ["end"]:
                return i + 1
            if toks[0] == "field" and len(toks) == 3:
                c.fields.append(M.FieldDesc(toks[1], toks[2]))
            elif toks[0] == "slot" and len(toks) == 3:
                c.slots = (c.slots or []) + [(toks[1], toks[2])]
            elif toks[0] == "itable" and len(toks) in (1, 3) and (len(toks) == 1 or "." in toks[1]):
                c.itable = c.itable or []
                if len(toks) == 3:
                    iface, _, mname = toks[1].rpartition(".")
                    c.itable.append((iface, mname, toks[2]))
            elif toks[0] == "flags" and len(toks) == 2:
                c.flags = _int(toks[1], n)
            else:
                raise AsmError(n, "in a class: field NAME TYPE, slot NAME CLASS, itable I.NAME IMPL, "
                                  "flags N or end")
            i += 1
        raise AsmError(n, f"class {c.name} has no end")

    def class_index(self, name: str, n: int) -> int:
        for k, c in enumerate(self.classes):
            if c.name == name:
                return k
        raise AsmError(n, f"no class {name} declared before this line")

    def func_block(self, lines, i: int) -> int:
        n, toks = lines[i]
        head = toks[0]
        try:
            if head == "modinit":
                f = _Func("$init", M.F_MODINIT, M.NO_INDEX, (), "V", [], n)
                self.init = len(self.funcs)
            else:
                target, sig = toks[1], toks[2]
                params, ret = _signature(sig, n)
                if head in ("func", "native"):
                    f = _Func(target, M.F_NATIVE if head == "native" else 0, M.NO_INDEX, params, ret,
                              list(params), n, native=head == "native")
                    if head == "native":
                        f.max_stack = 0
                elif head in ("method", "abstract"):
                    cname, _, mname = target.rpartition(".")
                    ci = self.class_index(cname, n)
                    flags = M.F_METHOD | (M.F_ABSTRACT if head == "abstract" else 0)
                    f = _Func(mname, flags, ci, params, ret,
                              [M.class_desc(self.name, cname), *params], n)
                    if head == "abstract":
                        f.max_stack = 0
                    self.classes[ci].methods.append((mname, len(self.funcs)))
                else:   # init
                    ci = self.class_index(target, n)
                    f = _Func("init", M.F_METHOD | M.F_INIT, ci, params, ret,
                              [M.class_desc(self.name, target), *params], n)
                    self.classes[ci].init = len(self.funcs)
        except IndexError:
            raise AsmError(n, f"{head} needs a name and a signature") from None
        self.funcs.append(f)
        i += 1
        while i < len(lines):
            n, toks = lines[i]
            head = toks[0]
            if toks == ["end"]:
                return i + 1
            if head == "locals":
                f.locals.extend(toks[1:])
            elif head == "max_stack":
                f.max_stack = _int(_one(toks, n), n)
            elif head == "flags":
                f.flags = _int(_one(toks, n), n)
            elif head == "owner":
                f.owner = _int(_one(toks, n), n)
            elif head == "line":
                f.items.append((n, "line", _int(_one(toks, n), n)))
            elif head == "bytes":
                f.items.append((n, "bytes", bytes(_int(b, n) if b.startswith("0x") else int(b, 16)
                                                  for b in toks[1:])))
            elif head == "handler":
                if len(toks) != 5:
                    raise AsmError(n, "handler START END HANDLER CLASS|any")
                f.handlers.append((n, *toks[1:]))
            elif len(toks) == 1 and head.endswith(":"):
                f.items.append((n, "label", head[:-1]))
            elif head in BY_NAME:
                f.items.append((n, "instr", toks))
            else:
                raise AsmError(n, f"unknown instruction or directive {head!r}")
            i += 1
        raise AsmError(f.line, f"function {f.name} has no end")

    # --- the constant pool ------------------------------------------------------------
    def const(self, kind: int, value) -> int:
        key = (kind, repr(value) if kind == M.K_FLOAT else value)
        if key not in self.cindex:
            for k, c in enumerate(self.consts):       # reuse an explicit entry
                if c is not None and c.kind == kind and (repr(c.value) if kind == M.K_FLOAT else c.value) == key[1]:
                    self.cindex[key] = k
                    break
            else:
                self.cindex[key] = len(self.consts)
                self.consts.append(M.Const(kind, value))
        return self.cindex[key]

    def class_ref(self, text: str) -> tuple[str, str]:
        mod, _, name = text.rpartition(".")
        return (mod or self.name, name)

    def pool_value(self, kind: str, args: list[str], n: int):
        """The constant's value for operand text `args` of pool kind `kind`."""
        try:
            if kind == "int":
                (a,) = args
                v = _int(a, n)
                return v - (1 << 64) if v >= 1 << 63 else v
            if kind == "float":
                (a,) = args
                return float(a)
            if kind == "string":
                (a,) = args
                if not a.startswith('"'):
                    raise AsmError(n, f"a string operand is written in double quotes: {a}")
                return json.loads(a)
            if kind == "type":
                (a,) = args
                return a
            if kind == "class":
                (a,) = args
                return self.class_ref(a)
            if kind in ("field", "method"):
                member, t = args
                owner, _, name = member.rpartition(".")
                if not owner:
                    raise AsmError(n, f"{kind} operand needs CLASS.name: {member}")
                return (self.const(M.K_CLASS, self.class_ref(owner)), name, t)
            if kind in ("func", "global"):
                qual, t = args
                mod, _, name = qual.rpartition(".")
                return (mod or self.name, name, t)
            if kind == "native":
                qual, t = args
                return (qual, t)
        except ValueError:
            raise AsmError(n, f"bad {kind} operand {' '.join(args)!r}") from None
        raise AsmError(n, f"unknown pool kind {kind}")

    # --- building ---------------------------------------------------------------------
    def build(self) -> M.ModuleDesc:
        functions = [self.function(f) for f in self.funcs]
        classes = []
        slots_of: dict[str, list[tuple[str, tuple[str, str]]]] = {}
        for c in self.classes:
            slots = self.vtable(c, slots_of)
            slots_of[c.name] = slots
            sup = M.NO_INDEX if c.super is None else self.const(M.K_CLASS, self.class_ref(c.super))
            ifaces = tuple(self.const(M.K_CLASS, self.class_ref(k)) for k in c.interfaces)
            itable = tuple(M.ISlot(self.const(M.K_CLASS, iface), name, impl)
                           for iface, name, impl in self.itable(c))
            classes.append(M.ClassDesc(c.name, sup, tuple(c.fields), tuple(c.methods),
                                       tuple(M.VSlot(nm, self.const(M.K_CLASS, k)) for nm, k in slots),
                                       c.init, c.flags, ifaces, itable))
        return M.ModuleDesc(self.name, self.source or f"{self.name}.hl", self.imports, tuple(self.consts),
                            tuple(self.globals), tuple(classes), tuple(functions), self.init)

    def vtable(self, c: _Class, slots_of: dict) -> list[tuple[str, tuple[str, str]]]:
        if c.slots is not None:
            return [(nm, self.class_ref(k)) for nm, k in c.slots]
        slots: list[tuple[str, tuple[str, str]]] = []
        if c.flags & M.C_INTERFACE:
            return slots                    # an interface's methods are abstract: no vtable
        if c.super is not None:
            mod, sname = self.class_ref(c.super)
            if mod == self.name:
                slots = list(slots_of.get(sname, []))
            else:
                slots = _foreign_slots(self.others.get(mod), sname)
        for mname, _fi in c.methods:
            own = (self.name, c.name)
            for k, (nm, _impl) in enumerate(slots):
                if nm == mname:
                    slots[k] = (nm, own)
                    break
            else:
                slots.append((mname, own))
        return slots

    def itable(self, c: _Class) -> list[tuple[tuple[str, str], str, str]]:
        """(interface key, method, impl) entries: as written, or computed."""
        if c.itable is not None:
            return [(self.class_ref(i), name, impl) for i, name, impl in c.itable]
        if c.flags & M.C_INTERFACE:
            return []
        return [(key, name, name) for key in self.reached_interfaces(c) for name in self.abstracts(key)]

    def declared(self, key: tuple[str, str]):
        """(flags, superclass key or None, interface keys) of a class of this
        module or of `others`, or None if unknown."""
        if key[0] == self.name:
            for c in self.classes:
                if c.name == key[1]:
                    return c.flags, (self.class_ref(c.super) if c.super else None), \
                        [self.class_ref(i) for i in c.interfaces]
            return None
        mod = self.others.get(key[0])
        for cd in (mod.classes if mod is not None else ()):
            if cd.name == key[1]:
                sup = tuple(mod.consts[cd.super].value) if cd.super != M.NO_INDEX else None
                return cd.flags, sup, [tuple(mod.consts[i].value) for i in cd.interfaces]
        return None

    def reached_interfaces(self, c: _Class) -> list[tuple[str, str]]:
        """Every interface `c`, its ancestors and their interfaces reach, in
        a fixed order (depth first, own interfaces before inherited ones)."""
        out: list[tuple[str, str]] = []
        todo = [self.class_ref(i) for i in c.interfaces]
        sup = self.class_ref(c.super) if c.super else None
        seen_classes = set()
        while sup is not None and sup not in seen_classes:
            seen_classes.add(sup)
            d = self.declared(sup)
            if d is None:
                break
            todo += d[2]
            sup = d[1]
        while todo:
            key = todo.pop(0)
            if key in out:
                continue
            out.append(key)
            d = self.declared(key)
            if d is not None:
                todo += d[2]
        return out

    def abstracts(self, key: tuple[str, str]) -> list[str]:
        """The method names interface `key` declares (of this module or `others`)."""
        if key[0] == self.name:
            for c in self.classes:
                if c.name == key[1]:
                    return [name for name, _fi in c.methods]
            return []
        mod = self.others.get(key[0])
        for cd in (mod.classes if mod is not None else ()):
            if cd.name == key[1]:
                return [name for name, _fi in cd.methods]
        return []

    def function(self, f: _Func) -> M.FunctionDesc:
        if f.native:
            if f.items or f.handlers:
                raise AsmError(f.line, f"native {f.name} has no body")
            return M.FunctionDesc(f.name, f.flags, f.owner, f.params, f.ret, tuple(f.locals), f.max_stack, b"")
        # An abstract function's body is empty unless a test writes one.
        labels: dict[str, int] = {}
        pc = 0
        for n, kind, payload in f.items:          # pass 1: where each label is
            if kind == "label":
                if payload in labels:
                    raise AsmError(n, f"label {payload} defined twice")
                labels[payload] = pc
            elif kind == "bytes":
                pc += len(payload)
            elif kind == "instr":
                pc += BY_NAME[payload[0]].size
        code = bytearray()
        lines: list[M.LineEntry] = []
        for n, kind, payload in f.items:          # pass 2: the bytes
            if kind == "line":
                lines.append(M.LineEntry(len(code), payload, 1))
            elif kind == "bytes":
                code += payload
            elif kind == "instr":
                code += self.instruction(payload, labels, n)
        handlers = []
        for n, start, end, handler, klass in f.handlers:
            k = M.NO_INDEX if klass == "any" else self.pool_operand("class", [klass], n)
            handlers.append(M.Handler(_target(start, labels, n), _target(end, labels, n),
                                      _target(handler, labels, n), k))
        return M.FunctionDesc(f.name, f.flags, f.owner, f.params, f.ret, tuple(f.locals), f.max_stack,
                              bytes(code), tuple(handlers), tuple(lines))

    def pool_operand(self, kind: str, args: list[str], n: int) -> int:
        if len(args) == 1 and args[0].startswith("#"):
            return _int(args[0][1:], n)
        return self.const(POOL_KIND[kind], self.pool_value(kind, args, n))

    def instruction(self, toks: list[str], labels: dict, n: int) -> bytes:
        d = BY_NAME[toks[0]]
        args = toks[1:]
        out = bytearray([d.code])
        for kind in d.operands:
            if not args:
                raise AsmError(n, f"{d.name} needs operands: {', '.join(d.operands)}")
            if kind in ("field", "method", "func", "global", "native") and not args[0].startswith("#"):
                take, args = args[:2], args[2:]
            else:
                take, args = args[:1], args[1:]
            if kind in ("local", "u8"):
                v = _int(take[0], n)
            elif kind == "target":
                v = _target(take[0], labels, n)
            else:
                v = self.pool_operand(kind, take, n)
            size = OPERAND_SIZE[kind]
            if not 0 <= v < 1 << (8 * size):
                raise AsmError(n, f"operand {take[0]} does not fit in {size} bytes")
            out += struct.pack(_FMT[size], v)
        if args:
            raise AsmError(n, f"{d.name}: unexpected operands {' '.join(args)}")
        return bytes(out)


def _foreign_slots(mod, cname: str) -> list[tuple[str, tuple[str, str]]]:
    """The vtable of class `cname` of an already built module, as
    (name, (module, implementing class)) pairs."""
    if mod is None:
        return []
    for c in mod.classes:
        if c.name == cname:
            return [(s.name, tuple(mod.consts[s.impl].value)) for s in c.vtable]
    return []


def _class_header(toks: list[str], n: int) -> _Class:
    """`class NAME [extends CLASS] [implements I ...]` or `interface NAME [extends I ...]`."""
    usage = "class NAME [extends CLASS] [implements I ...], or interface NAME [extends I ...]"
    if len(toks) < 2:
        raise AsmError(n, usage)
    rest = toks[2:]
    if toks[0] == "interface":
        if rest and rest[0] != "extends" or rest == ["extends"]:
            raise AsmError(n, usage)
        return _Class(toks[1], None, flags=M.C_INTERFACE, interfaces=rest[1:])
    sup = None
    if rest[:1] == ["extends"]:
        if len(rest) < 2:
            raise AsmError(n, usage)
        sup, rest = rest[1], rest[2:]
    if rest and (rest[0] != "implements" or len(rest) < 2):
        raise AsmError(n, usage)
    return _Class(toks[1], sup, interfaces=rest[1:])


def _tokens(raw: str, n: int) -> list[str]:
    toks = []
    for m in _TOKEN.finditer(raw):
        t = m.group(0)
        if t.startswith(";") or t.startswith("//"):
            break
        toks.append(t)
    return toks


def _one(toks: list[str], n: int) -> str:
    if len(toks) != 2:
        raise AsmError(n, f"{toks[0]} takes one value")
    return toks[1]


def _int(text: str, n: int) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise AsmError(n, f"{text!r} is not an integer") from None


def _target(text: str, labels: dict, n: int) -> int:
    m = re.fullmatch(r"([A-Za-z_.$][\w.$]*)(?:([+-])(\d+))?", text)
    if m:
        if m.group(1) not in labels:
            raise AsmError(n, f"unknown label {m.group(1)}")
        off = int(m.group(3) or 0)
        return labels[m.group(1)] + (off if m.group(2) != "-" else -off)
    return _int(text, n)


def _signature(sig: str, n: int) -> tuple[tuple[str, ...], str]:
    """Split `(IS)F` into params and return type; a well-formed signature
    (function types as parameters included) as the format reads it, a
    malformed one without judging it (a test may want a bad descriptor):
    split on top-level descriptor boundaries."""
    if not sig.startswith("(") or ")" not in sig:
        raise AsmError(n, f"a signature looks like (IS)F, not {sig!r}")
    try:
        return M.parse_signature(sig)
    except ValueError:
        pass
    inner, ret = sig[1:].split(")", 1)
    params, i = [], 0
    while i < len(inner):
        j = i
        while j < len(inner) and inner[j] == "[":
            j += 1
        if j < len(inner) and inner[j] == "L":
            k = inner.find(";", j)
            j = len(inner) - 1 if k < 0 else k
        params.append(inner[i:j + 1])
        i = j + 1
    return tuple(params), ret


# --- damage to the written bytes --------------------------------------------------------

def corrupt(data: bytes, spec: str) -> bytes:
    """Apply the `;`-separated edits of a test's `corrupt:` header to `data`:

        set OFFSET HEX..     overwrite bytes at OFFSET
        xor OFFSET HEX..     xor bytes at OFFSET
        insert OFFSET HEX..  insert bytes before OFFSET
        truncate LENGTH      keep the first LENGTH bytes
        fix-checksum         recompute the trailing CRC-32 over the bytes before it

    A negative OFFSET or LENGTH counts from the end (`insert -4 00` puts a
    byte just before the checksum).  Edits apply in order."""
    buf = bytearray(data)
    for op in filter(None, (p.strip() for p in spec.split(";"))):
        word, *args = op.split()
        try:
            if word == "fix-checksum" and not args:
                buf[-4:] = zlib.crc32(bytes(buf[:-4])).to_bytes(4, "little")
                continue
            if word == "truncate" and len(args) == 1:
                n = int(args[0], 0)
                del buf[n if n >= 0 else len(buf) + n:]
                continue
            off = int(args[0], 0)
            if off < 0:
                off += len(buf)
            hexes = bytes(int(h, 16) for h in args[1:])
            if not hexes or not 0 <= off <= len(buf):
                raise ValueError(op)
            if word == "set":
                buf[off:off + len(hexes)] = hexes
            elif word == "xor":
                for k, h in enumerate(hexes):
                    buf[off + k] ^= h
            elif word == "insert":
                buf[off:off] = hexes
            else:
                raise ValueError(op)
        except (ValueError, IndexError):
            raise ValueError(f"bad corrupt edit {op!r}") from None
    return bytes(buf)


__all__ = ["AsmError", "assemble", "corrupt", "DEFAULT_MAX_STACK"]
