"""Runtime structures: what the linker builds from the descriptors.

`RtModule`, `RtClass` and `RtFunction` are the linked, running form of
`hlbc.model`'s immutable `ModuleDesc`, `ClassDesc` and `FunctionDesc`: ids,
field slots, vtables and itables, code entry points, counters.  The other
run-time types have records of their own, one per type id
(hllvm/typeids.py assigns them): `RtArrayType` (an array of references, by
element type), `RtFnType` (a function type, by signature) and `RtFnShape`
(the blocks of the function values of one function with k values bound).
`TypeRef` is a linked `type` constant: the descriptor with its type ids.  The
descriptors are kept beside them (`.desc`) for traces; the verifier's
stack maps ride along (`RtFunction.stack_maps`); nothing here is written back to a descriptor.  This module holds
no behaviour beyond small queries (line of a pc, subclass test).
"""

from __future__ import annotations

import bisect

from hlbc import model as M


class RtClass:
    __slots__ = ("id", "module", "name", "desc", "super", "depth", "ancestors",
                 "fields", "field_types", "nfields", "vtable", "vindex", "methods",
                 "init", "tostr", "name_ref", "is_error", "is_interface", "interfaces", "implements",
                 "itable", "imethods")
    kind = "class"

    def __init__(self, cid: int, module: "RtModule", desc: M.ClassDesc):
        self.id = cid
        self.module = module
        self.name = desc.name
        self.desc = desc
        self.super: RtClass | None = None
        self.depth = 0
        self.ancestors: tuple[int, ...] = ()     # class ids, root first, self last
        self.fields: dict[str, tuple[int, str]] = {}   # name → (slot, type)
        self.field_types: list[str] = []          # by slot (the GC reads this)
        self.nfields = 0
        self.vtable: list[RtFunction] = []        # by slot
        self.vindex: dict[str, int] = {}          # method name → vtable slot
        self.methods: dict[str, RtFunction] = {}  # methods declared in this class
        self.init: RtFunction | None = None
        self.tostr: RtFunction | None = None      # to_string()S, own or inherited
        self.name_ref = 0                          # heap string "<Name>"
        self.is_error = False
        self.is_interface = bool(desc.flags & M.C_INTERFACE)
        self.interfaces: tuple[RtClass, ...] = ()  # declared: implemented (a class) or extended (an interface)
        # Interface ids: a class's every implemented interface (inherited and
        # extended ones included); an interface's own id and every one it extends.
        self.implements: frozenset[int] = frozenset()
        self.itable: dict[int, int] = {}           # a class: method selector → vtable slot
        self.imethods: dict[str, tuple[int, str]] = {}   # an interface: name → (selector, signature)

    @property
    def qualname(self) -> str:
        return f"{self.module.name}.{self.name}"

    def is_subclass_of(self, other: "RtClass") -> bool:
        """An instance of this class is an `other` (a superclass, or an
        interface this class implements)."""
        if other.is_interface:
            return other.id in self.implements
        a = self.ancestors
        return other.depth < len(a) and a[other.depth] == other.id

    def __repr__(self) -> str:
        return f"<class {self.qualname}>"


class RtFunction:
    __slots__ = ("fid", "name", "display", "module", "desc", "owner", "params", "ret",
                 "nargs", "nlocals", "nregs", "tail", "entry", "native", "line_pcs",
                 "line_nums", "handlers", "pcmap", "hot", "ops", "stack_maps", "sites", "facts", "max_depth")

    def __init__(self, fid: int, module: "RtModule", desc: M.FunctionDesc, owner: RtClass | None):
        self.fid = fid
        self.name = desc.name
        self.display = f"{owner.name}.{desc.name}" if owner is not None else desc.name
        self.module = module
        self.desc = desc
        self.owner = owner
        self.params = desc.params
        self.ret = desc.ret
        self.nargs = len(desc.params) + (1 if desc.flags & M.F_METHOD else 0)
        self.nlocals = len(desc.locals)
        self.nregs = self.nlocals
        self.tail: list = []          # registers after the arguments, at call time
        self.entry = -1               # its first lowered op in the code list (calls go through Interpreter.ENT)
        self.native = None            # NativeBinding for F_NATIVE functions
        self.line_pcs = [e.pc for e in desc.lines]
        self.line_nums = [e.line for e in desc.lines]
        self.handlers: list = []      # (start pc, end pc, handler op index, RtClass | None)
        self.pcmap: dict[int, int] = {}
        self.hot = 0                  # calls + back-edges settled at its polls (Interpreter.hotness)
        self.ops = 0                  # number of ops lowered
        self.stack_maps: dict = {}    # pc → verify.StackMap at safepoints (docs/verifier.md)
        self.sites: dict = {}         # pc → lowering facts where compiled code may leave (lower.py)
        self.facts = None             # the verifier's FunctionResult (the JIT lowers from it)
        self.max_depth = 0            # the deepest its operand stack gets (registers nlocals.. hold it)

    @property
    def signature(self) -> str:
        return self.desc.signature

    def line_at(self, pc: int) -> int:
        i = bisect.bisect_right(self.line_pcs, pc) - 1
        return self.line_nums[i] if i >= 0 else 0

    def __repr__(self) -> str:
        return f"<fn {self.module.name}.{self.display}{self.signature}>"


class RtModule:
    __slots__ = ("name", "desc", "source", "functions", "top", "classes", "globals", "globals_ref",
                 "init", "initialised", "consts")

    def __init__(self, desc: M.ModuleDesc):
        self.name = desc.name
        self.desc = desc
        self.source = desc.source
        self.functions: list[RtFunction] = []
        self.top: dict[str, RtFunction] = {}            # top-level functions by name
        self.classes: list[RtClass] = []
        self.globals: dict[str, tuple[int, str]] = {}   # name → (slot in the module's block, type)
        # The module's globals: a permanent heap block (T_GLOBALS), one word
        # per slot, so every tier reads them at a fixed address (0: none).
        self.globals_ref = 0
        self.init: RtFunction | None = None
        self.initialised = False
        self.consts: list = []        # resolved constant pool, by index

    def function(self, name: str) -> RtFunction | None:
        return self.top.get(name)

    def __repr__(self) -> str:
        return f"<module {self.name}>"


class RtArrayType:
    """An array type whose elements are references: `[S`, `[Lm.C;`, `[[I`,
    `[(I)I`, `[R` ...  (the arrays of int, float and bool have fixed ids
    and records too, with `ref` false).  `elem_code` is the element type's
    code (typeids.py: a box id for I/F/Z, T_STR8 for strings, T_ANY for R,
    else the type id of the class, array or function type)."""
    __slots__ = ("id", "desc", "elem", "elem_code", "name", "hash_seed", "ref")
    kind = "array"

    def __init__(self, tid: int, elem: str, elem_code: int, hash_seed: int) -> None:
        self.id = tid
        self.desc = "[" + elem
        self.elem = elem
        self.elem_code = elem_code
        self.name = source_name(self.desc)
        self.hash_seed = hash_seed           # VHASH of an array: hash_seed * 31 + length
        self.ref = elem not in M.PRIMITIVES

    def __repr__(self) -> str:
        return f"<array type {self.desc} #{self.id}>"


class RtFnType:
    """A function type, by its signature (`(I)I`).  No block has its id: a
    function value's block has its shape's id, whose `fntype` this is."""
    __slots__ = ("id", "sig", "name")
    kind = "fntype"

    def __init__(self, tid: int, sig: str) -> None:
        self.id = tid
        self.sig = sig
        self.name = source_name(sig)

    def __repr__(self) -> str:
        return f"<fn type {self.sig} #{self.id}>"


class RtFnShape:
    """The blocks of the function values of module function `fn` with its
    first `k` parameters bound: word 1 = k, then the k bound values (words;
    floats as D words, bools as 0/1).  `refs` are the word offsets (from
    the block) of the bound references, which the collector traces; `canon`
    is the one permanent block of a shape with k = 0 (`CLOSURE f 0` is the
    same value each time, so `==` on a named function is true)."""
    __slots__ = ("id", "fn", "k", "fntype", "bound", "refs", "canon", "name")
    kind = "closure"

    def __init__(self, tid: int, fn: "RtFunction", k: int, fntype: RtFnType, refs: tuple[int, ...]) -> None:
        self.id = tid
        self.fn = fn
        self.k = k
        self.fntype = fntype
        self.bound = tuple(fn.params[:k])
        self.refs = refs
        self.canon = 0
        self.name = fntype.name

    def __repr__(self) -> str:
        return f"<fn value shape {self.fn!r}/{self.k} #{self.id}>"


class TypeRef(str):
    """A linked `type` constant: the descriptor itself (a str, so it reads as
    one), with `code`, the type code of the type (typeids.py; for `V`, 0),
    and `array_tid`, the type id of an array of it (what NEWARRAY makes;
    the array type is made when first asked for)."""
    __slots__ = ("code", "_types", "_array_tid")

    @property
    def array_tid(self) -> int:
        tid = self._array_tid
        if not tid:
            tid = self._array_tid = self._types.array(str(self)).id
        return tid


_SOURCE_BASE = {"I": "int", "F": "float", "Z": "bool", "S": "string", "V": "void", "R": "any"}


def source_name(desc: str) -> str:
    """A descriptor as HL source spells it, for messages: `[I` → `int[]`,
    `Lm.Point;` → `Point`, `(IS)Z` → `fn(int, string) -> bool`."""
    dims = len(desc) - len(desc.lstrip("["))
    core = desc[dims:]
    if core[:1] == "(":
        params, ret = M.parse_signature(core)
        name = "fn(" + ", ".join(source_name(p) for p in params) + ")"
        if ret != "V":
            name += " -> " + source_name(ret)
        if dims:
            name = "(" + name + ")"
    elif core[:1] == "L":
        name = M.split_class_desc(core)[1]
    else:
        name = _SOURCE_BASE.get(core, core)
    return name + "[]" * dims


def zero_value(t: str):
    """The zero value of a type descriptor, as an interpreter value."""
    if t == "I":
        return 0
    if t == "F":
        return 0.0
    if t == "Z":
        return False
    return 0
