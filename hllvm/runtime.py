"""Runtime structures: what the linker builds from the descriptors.

`RtModule`, `RtClass` and `RtFunction` are the linked, running form of
`hlbc.model`'s immutable `ModuleDesc`, `ClassDesc` and `FunctionDesc`: ids,
field slots, vtables of functions, code entry points, counters.  The
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
                 "init", "tostr", "name_ref", "is_error")

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

    @property
    def qualname(self) -> str:
        return f"{self.module.name}.{self.name}"

    def is_subclass_of(self, other: "RtClass") -> bool:
        a = self.ancestors
        return other.depth < len(a) and a[other.depth] == other.id

    def __repr__(self) -> str:
        return f"<class {self.qualname}>"


class RtFunction:
    __slots__ = ("fid", "name", "display", "module", "desc", "owner", "params", "ret",
                 "nargs", "nlocals", "nregs", "tail", "entry", "native", "line_pcs",
                 "line_nums", "handlers", "pcmap", "hot", "ops", "stack_maps", "sites", "facts")

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


def zero_value(t: str):
    """The zero value of a type descriptor, as an interpreter value."""
    if t == "I":
        return 0
    if t == "F":
        return 0.0
    if t == "Z":
        return False
    return 0
