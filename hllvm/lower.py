"""The pre-decoder: one function's stack bytecode → a list of register ops.

Run once per function at link time.  A frame is one Python list of
registers: the locals (`0 .. nlocals-1`), then one register per operand
stack slot (`T0 = nlocals`, stack depth k lives in `T0 + k`), then the
function's constants (filled in when the frame is made).  Because the stack
depth at every instruction is known statically, stack slots become fixed
registers and no op pushes or pops a Python list.

The lowering keeps a *symbolic* stack (the register holding each stack
entry): `LOAD n` and constants push the register they already live in and
emit nothing; DUP/SWAP/POP only rearrange the symbolic stack; an operation
reads its operands straight from wherever they are and writes its result to
its stack slot's register.  Peepholes:

* `op; STORE n` — the op writes local n directly;
* compare; `JT`/`JF` — one fused compare-and-branch op;
* a forward `JMP` is threaded away (ops jump straight to its target);
* backward branches go through a counting `loop` op (calls and back-edges
  are counted per function and polled, see interp.py).

At every jump target and handler entry the symbolic stack is flushed to the
canonical registers, so control-flow joins agree.  Each op records the pc
of the instruction it came from (its *origin*): handler ranges and line
numbers are looked up by origin.  Only non-throwing work is ever deferred,
so an op that throws always has the origin of the instruction that throws.

For the collector, each safepoint op (ops.SAFEPOINT_KINDS) records which
operand-stack entries before it live in their own stack register
(`Op.live`); it types them by the verifier's stack map (docs/gc.md).

It runs only on verified code and checks nothing: the verifier's result
(hllvm/verify/flow.py `FunctionResult`) gives it the decoded instructions,
the block leaders, the stack depth before each instruction (unreachable
code is not lowered) and the maximum depth.
"""

# Records are collections.namedtuple, not typing.NamedTuple: importing
# typing costs every start of `hll run` some 3 ms.

import struct

from hlbc import model as M
from collections import namedtuple

from hlbc.opcodes import POOL_KIND

from .layout import BOX_KIND, field_offset
from .loadmeter import UNMETERED
from .ops import SAFEPOINT_KINDS, Op
from .ops.kinds import BRANCH_OF
from .runtime import RtFunction, zero_value


# Instruction name → (op kind, number of operands) for plain value-producing ops.
_SIMPLE = {
    "IADD": ("iadd", 2), "ISUB": ("isub", 2), "IMUL": ("imul", 2), "IDIV": ("idiv", 2),
    "IREM": ("irem", 2), "IAND": ("iand", 2), "IOR": ("ior", 2), "IXOR": ("ixor", 2),
    "ISHL": ("ishl", 2), "ISHR": ("ishr", 2), "INEG": ("ineg", 1), "INOT": ("inot", 1),
    "FADD": ("fadd", 2), "FSUB": ("fsub", 2), "FMUL": ("fmul", 2), "FDIV": ("fdiv", 2),
    "FREM": ("frem", 2), "FNEG": ("fneg", 1),
    "IEQ": ("eq", 2), "INE": ("ne", 2), "ILT": ("lt", 2), "ILE": ("le", 2), "IGT": ("gt", 2), "IGE": ("ge", 2),
    "FEQ": ("eq", 2), "FNE": ("ne", 2), "FLT": ("lt", 2), "FLE": ("le", 2), "FGT": ("gt", 2), "FGE": ("ge", 2),
    "ZEQ": ("eq", 2), "ZNE": ("ne", 2), "REQ": ("eq", 2), "RNE": ("ne", 2),
    "SEQ": ("seq", 2), "SNE": ("sne", 2), "SLT": ("slt", 2), "SLE": ("sle", 2), "SGT": ("sgt", 2), "SGE": ("sge", 2),
    "NOT": ("not", 1), "I2F": ("i2f", 1), "F2I": ("f2i", 1),
    "ALEN": ("alen", 1), "ACOPY": ("acopy", 1), "SLEN": ("slen", 1), "SINDEX": ("sindex", 2),
    "CONCAT": ("concat", 2), "ITOS": ("itos", 1), "FTOS": ("ftos", 1), "ZTOS": ("ztos", 1), "STOS": ("stos", 1),
    "TOSTR_OBJ": ("tostr_obj", 1),
    "IALOAD": ("aload_w", 2), "RALOAD": ("aload_w", 2), "FALOAD": ("aload_d", 2), "ZALOAD": ("aload_z", 2),
    "XALOAD": ("xaload", 2), "VEQ": ("veq", 2), "VHASH": ("vhash", 1),
}
_STORES = {"IASTORE": "astore_w", "RASTORE": "astore_w", "FASTORE": "astore_d", "ZASTORE": "astore_z",
           "XASTORE": "xastore"}
_VIEW = {"F": "_d", "Z": "_z"}          # value type → op kind suffix (else "_w": a word)


class FunctionCode:
    """The result of lowering one function: ops with function-relative
    targets (`("op", i)`), the byte pc → op index map, and the registers."""

    def __init__(self, fn: RtFunction, ops: list[Op], pcmap: dict[int, int], nregs: int, tail: list,
                 sites: dict | None = None):
        self.fn = fn
        self.ops = ops
        self.pcmap = pcmap
        self.nregs = nregs
        self.tail = tail
        # pc → (registers of the stack entries before the instruction, op index
        # of its call op or -1, that op or None, the call's result type or
        # None): where compiled code hands a frame back to the interpreter
        # (hllvm/jit/deopt.py) and where a snapshot's frames stop
        # (hllvm/snapshot/).
        self.sites = sites or {}


# One instruction as the rules see it (from the verifier's decoding).
# Fields:
#   pc: int
#   op: object  # hlbc.opcodes.InstrDef
#   args: tuple
Ins = namedtuple("Ins", "pc op args")


def snapshot_stop(depth: int, leader: bool, op) -> bool:
    """Whether a snapshot may describe a frame as stopped before an
    instruction (its stack `depth`, whether it leads a block, its
    InstrDef): a call (or TOSTR_OBJ, which may call a to_string()), a
    block leader, or an instruction with an empty stack.  A VM without a
    JIT records sites at these only; a VM with one records them at every
    instruction but describes frames at these pcs too (`stop_pcs`), so that
    a snapshot is the same bytes in every tier and any VM can resume it."""
    return not depth or leader or op.flow == "call" or op.name == "TOSTR_OBJ"


def stop_pcs(verified) -> frozenset:
    """The pcs of a function's verified code (`FunctionResult`) where
    `snapshot_stop` holds (dead code has none)."""
    sh, depths = verified.shape, verified.depths
    return frozenset(pc for k, (pc, d) in enumerate(zip(sh.pcs, sh.defs))
                     if depths[k] is not None and snapshot_stop(depths[k], sh.leader[k], d))


class Lowering:
    def __init__(self, fn: RtFunction, resolve, verified, meter=UNMETERED, sites: bool | str = False, types=None):
        """`resolve(kind, index)` returns the linked constant (the linker's);
        `types` the VM's type ids (typeids.py: CAST/ISA records, CLOSURE shapes);
        `verified` is the function's `FunctionResult` (hllvm/verify/flow.py):
        its decoded code, block leaders, stack depths and maximum depth are
        used as they are, never derived again."""
        self.fn = fn
        self.desc = fn.desc
        self.resolve = resolve
        self.verified = verified
        self.meter = meter              # the load's limits (hllvm/loadmeter.py)
        # Keep FunctionCode.sites: True at every instruction (a JIT's
        # hand-backs), "calls" where a snapshot's frames may stop
        # (`snapshot_stop`: linear in the code, where every instruction's
        # would be quadratic in the stack depth), False none.
        self.record_sites = sites
        self.types = types

    def analyse(self):
        sh = self.verified.shape
        self.instrs = [Ins(pc, d, a) for pc, d, a in zip(sh.pcs, sh.defs, sh.args)]
        self.depth = self.verified.depths
        self.starts = {k for k, lead in enumerate(sh.leader) if lead}
        self.maxd = self.verified.max_depth

    # --- lowering -----------------------------------------------------------------
    def run(self) -> FunctionCode:
        self.analyse()
        desc = self.desc
        fn = self.fn
        nl = len(desc.locals)
        self.nl = nl
        self.T0 = nl
        self.nregs = nl + self.maxd
        self.consts: dict = {}
        self.const_vals: list = []
        self.ops: list[Op] = []
        self.pcmap: dict[int, int] = {}
        self.stubs: list[Op] = []
        sites: dict = {}
        st: list[int] = []
        self.st = st
        live = False
        self.last_def = -1          # index of the op whose dst is the top temp, if adjacent
        meter = self.meter
        meter.tick(len(self.instrs))
        for k, ins in enumerate(self.instrs):
            if not k & 4095:
                meter.check()
            dep = self.depth[k]
            if dep is None:
                live = False
                continue
            if k in self.starts:
                if live:
                    self.flush(ins.pc)
                st[:] = [self.T0 + j for j in range(dep)]
                self.last_def = -1
            elif not live:
                st[:] = [self.T0 + j for j in range(dep)]
            live = True
            self.pcmap[ins.pc] = len(self.ops)
            self.pc = ins.pc
            site = self.record_sites is True or (self.record_sites and
                                                 snapshot_stop(dep, k in self.starts, ins.op))
            if site:
                before = tuple(st)
            _RULES[ins.op.name](self, ins)
            if site:
                call = ins.op.flow == "call" or ins.op.name == "TOSTR_OBJ"
                if ins.op.name == "TOSTR_OBJ":
                    self.call_ret = "S"         # it may call a to_string(): a frame can stop after it
                # The call op itself: a STORE after it may still make it
                # write the local directly (its dst is read when used).
                sites[ins.pc] = (before, len(self.ops) - 1 if call else -1, self.ops[-1] if call else None,
                                 self.call_ret if call else None)
            if ins.op.flow in ("jump", "return", "throw"):
                live = False
        ops = self.ops
        # Out-of-line stubs (counting back-edges of conditional branches) go last.
        base = len(ops)
        for j, stub in enumerate(self.stubs):
            ops.append(stub)
        for o in ops:
            if o.targets:
                o.targets = tuple(self._target(t, base) for t in o.targets)
        tail = [zero_value(t) for t in desc.locals[fn.nargs:]] + [0] * self.maxd + self.const_vals
        return FunctionCode(fn, ops, self.pcmap, self.nregs + len(self.const_vals), tail, sites)

    def _target(self, t, stub_base):
        kind, v = t
        if kind == "pc":
            return self.pcmap[v]
        if kind == "stub":
            return stub_base + v
        return v                         # ("op", i): already an op index

    # --- symbolic stack helpers -------------------------------------------------------
    def emit(self, kind: str, dst, src: tuple, extra=None, targets: tuple = ()) -> Op:
        o = Op(kind, self.pc, dst, src, extra, targets)
        if kind in SAFEPOINT_KINDS:
            # The operand stack before this op is what is left plus the popped
            # operands (`src`); record the entries held in their own stack
            # register (the collector types them by the stack map).
            T0, end = self.T0, self.nregs
            o.live = tuple((k, r) for k, r in enumerate((*self.st, *src)) if T0 <= r < end) or None
        self.ops.append(o)
        return o

    def push_result(self, kind: str, src: tuple, extra=None) -> Op:
        d = self.T0 + len(self.st)
        o = self.emit(kind, d, src, extra)
        self.st.append(d)
        self.last_def = len(self.ops) - 1
        return o

    def pop(self, n: int) -> tuple:
        st = self.st
        vals = tuple(st[len(st) - n:])
        del st[len(st) - n:]
        return vals

    def const(self, key, value) -> int:
        r = self.consts.get(key)
        if r is None:
            r = self.nregs + len(self.const_vals)
            self.consts[key] = r
            self.const_vals.append(value)
        return r

    def flush(self, pc: int) -> bool:
        """Move every stack entry to its canonical register; True if ops were emitted."""
        dsts, srcs = [], []
        for j, r in enumerate(self.st):
            if r != self.T0 + j:
                dsts.append(self.T0 + j)
                srcs.append(r)
        self.st[:] = [self.T0 + j for j in range(len(self.st))]
        if not dsts:
            return False
        self.pc = pc
        if len(dsts) == 1:
            self.emit("move", dsts[0], (srcs[0],))
        else:
            self.emit("pmove", tuple(dsts), tuple(srcs))
        self.last_def = -1
        return True

    def ensure_safe(self) -> None:
        """A temp register may only appear at or above its own stack position
        (an op writing slot p must not clobber a live entry below p)."""
        T0 = self.T0
        for p, r in enumerate(self.st):
            if T0 <= r < self.nregs and r - T0 > p:
                self.flush(self.pc)
                return

    def is_top_fresh_temp(self, r: int) -> bool:
        """r is the top entry's own temp, produced by the last op emitted."""
        return (self.last_def == len(self.ops) - 1 and self.last_def >= 0
                and r == self.T0 + len(self.st) and self.ops[-1].dst == r)

    def c(self, ins):
        """The linked constant of the instruction's pool operand."""
        return self.resolve(POOL_KIND[ins.op.operands[0]], ins.args[0])

    def record(self, t: str):
        """The record of a class, interface, array or function type (by its
        descriptor): what a CAST/ISA op tests against, by its `id`."""
        types = self.types
        if t[0] == "L":
            return types.class_named(t)
        if t[0] == "[":
            return types.array(t[1:])
        return types.fntype(t)

    def target(self, pc: int, back_from: int | None = None):
        """Op reference for a branch target; a backward target gets a counting stub."""
        if back_from is not None and pc <= back_from:
            stub = Op("loop", back_from, None, (), self.fn.fid, (("pc", pc),))
            self.stubs.append(stub)
            return ("stub", len(self.stubs) - 1)
        return ("pc", pc)


# --- rules: one per instruction (or per family) -----------------------------------------

def _simple_rule(L: Lowering, ins) -> None:
    kind, n = _SIMPLE[ins.op.name]
    L.push_result(kind, L.pop(n))


def _store_rule(L: Lowering, ins) -> None:
    L.emit(_STORES[ins.op.name], None, L.pop(3))
    L.last_def = -1


def _nop(L, ins):
    pass


def _iconst(L, ins):
    v = L.c(ins)
    L.st.append(L.const(("I", v), v))


def _fconst(L, ins):
    v = L.c(ins)
    L.st.append(L.const(("F", struct.pack("<d", v)), v))


def _sconst(L, ins):
    ref = L.c(ins)
    L.st.append(L.const(("S", ref), ref))


def _bconst(L, ins):
    v = bool(ins.args[0])
    L.st.append(L.const(("Z", v), v))


def _null(L, ins):
    L.st.append(L.const(("R", 0), 0))


def _load(L, ins):
    L.st.append(ins.args[0])


def _store(L, ins):
    n = ins.args[0]
    v, = L.pop(1)
    if n in L.st:
        # A deferred LOAD n is still on the stack: give it its own register first.
        L.st.append(v)
        L.flush(ins.pc)
        v, = L.pop(1)
    if v == n:
        return
    if L.is_top_fresh_temp(v):
        L.ops[-1].dst = n
    else:
        L.emit("move", n, (v,))
    L.last_def = -1


def _gget(L, ins):
    g = L.c(ins)                                # (module, slot, type)
    L.push_result("gget" + _VIEW.get(g[2], "_w"), (), g)


def _gset(L, ins):
    g = L.c(ins)
    L.emit("gset" + _VIEW.get(g[2], "_w"), None, L.pop(1), g)
    L.last_def = -1


def _pop(L, ins):
    L.pop(1)
    L.last_def = -1


def _dup(L, ins):
    L.st.append(L.st[-1])
    L.last_def = -1


def _dup2(L, ins):
    L.st.extend(L.st[-2:])
    L.last_def = -1


def _swap(L, ins):
    st = L.st
    st[-1], st[-2] = st[-2], st[-1]
    L.last_def = -1
    L.ensure_safe()


def _jmp(L, ins):
    L.flush(ins.pc)
    t = ins.args[0]
    if t <= ins.pc:
        L.emit("loop", None, (), L.fn.fid, (("pc", t),))
    else:
        L.emit("jmp", None, (), None, (("pc", t),))


def _branch(L, ins):
    jump_if = ins.op.name == "JT"
    c, = L.pop(1)
    fusable = L.is_top_fresh_temp(c) and L.ops[-1].kind in BRANCH_OF
    if L.flush(ins.pc):
        fusable = False
    tgt = L.target(ins.args[0], ins.pc)
    nxt = ("op", len(L.ops) + (0 if fusable else 1))
    if fusable:
        cmp = L.ops[-1]
        cmp.kind = BRANCH_OF[cmp.kind]
        cmp.dst = None
        cmp.origin = ins.pc
        cmp.targets = (tgt, nxt) if jump_if else (nxt, tgt)
    elif jump_if:
        L.emit("br", None, (c,), None, (tgt, nxt))
    else:
        L.emit("br_not", None, (c,), None, (tgt, nxt))
    L.last_def = -1


def _ret(L, ins):
    L.emit("ret", None, ())


def _retv(L, ins):
    L.emit("retv", None, L.pop(1))


def _throw(L, ins):
    L.emit("throw", None, L.pop(1))


def _call_common(L, ins, target_fn, nargs: int, ret: str, kind: str, extra):
    L.call_ret = ret                    # the site's result type (a snapshot's frames are checked by it)
    args = L.pop(nargs)
    if ret == "V":
        L.emit(kind, None, args, extra)
        L.last_def = -1
    else:
        L.push_result(kind, args, extra)


def _call(L, ins):
    f = L.c(ins)
    nargs = f.nargs
    if f.native is not None:
        _call_common(L, ins, f, nargs, f.ret, "native", f.native)
    else:
        _call_common(L, ins, f, nargs, f.ret, "call", f)


def _callnative(L, ins):
    b = L.c(ins)
    _call_common(L, ins, None, len(b.params), b.ret, "native", b)


def _callvirt(L, ins):
    m = L.c(ins)
    _call_common(L, ins, None, len(m.params) + 1, m.ret, "callvirt", (m.vslot, m.name))


def _callspecial(L, ins):
    m = L.c(ins)
    _call_common(L, ins, m.special, len(m.params) + 1, m.ret, "call", m.special)


def _new(L, ins):
    cls = L.c(ins)
    L.push_result("new", (), cls)


def _getfield(L, ins):
    _cls, slot, t, name = L.c(ins)
    L.push_result("getfield" + _VIEW.get(t, "_w"), L.pop(1), (field_offset(slot), name))


def _putfield(L, ins):
    _cls, slot, t, name = L.c(ins)
    L.emit("putfield_d" if t == "F" else "putfield_w", None, L.pop(2), (field_offset(slot), name))
    L.last_def = -1


def _instanceof(L, ins):
    cls = L.c(ins)
    L.push_result("instanceof_i" if cls.is_interface else "instanceof", L.pop(1), cls)


def _checkcast(L, ins):
    cls = L.c(ins)
    r, = L.pop(1)
    L.emit("checkcast_i" if cls.is_interface else "checkcast", None, (r,), cls)
    L.st.append(r)
    L.last_def = -1


def _newarray(L, ins):
    t = L.c(ins)                                # a TypeRef: the array's type id is its array_tid
    L.push_result("newarray", L.pop(1), t.array_tid)


# --- Part B ----------------------------------------------------------------------------------

_UNBOX = {"I": "unbox_w", "F": "unbox_d", "Z": "unbox_z"}


def _cast(L, ins):
    t = L.c(ins)
    if t in _UNBOX:
        L.push_result(_UNBOX[t], L.pop(1), BOX_KIND[t])
        return
    r, = L.pop(1)
    if t != "R":                                # CAST R checks nothing
        rec = L.record(t)
        if t == "S":
            kind = "cast_s"
        elif t[0] == "L":
            kind = "checkcast_i" if rec.is_interface else "checkcast"
        elif t[0] == "(":
            kind = "cast_fn"
        else:
            kind = "cast_t"
        L.emit(kind, None, (r,), rec)
    L.st.append(r)
    L.last_def = -1


def _isa(L, ins):
    t = L.c(ins)
    if t in _UNBOX:
        L.push_result("isa_box", L.pop(1), BOX_KIND[t])
    elif t == "R":
        L.push_result("isa_any", L.pop(1))
    elif t == "S":
        L.push_result("isa_s", L.pop(1))
    else:
        rec = L.record(t)
        if t[0] == "L":
            kind = "instanceof_i" if rec.is_interface else "instanceof"
        elif t[0] == "(":
            kind = "isa_fn"
        else:
            kind = "isa_t"
        L.push_result(kind, L.pop(1), rec)


def _box(L, ins):
    L.push_result(_BOXES[ins.op.name], L.pop(1))


_BOXES = {"BOXI": "box_i", "BOXF": "box_f", "BOXZ": "box_z"}


def _calliface(L, ins):
    m = L.c(ins)
    _call_common(L, ins, None, len(m.params) + 1, m.ret, "calliface", (m.itab, m.name))


def _closure(L, ins):
    f = L.c(ins)
    k = ins.args[1]
    shape = L.types.shape(f, k)
    if k == 0:
        # One permanent block per function: a constant, like a string's.
        L.st.append(L.const(("R", shape.canon), shape.canon))
        return
    L.push_result("closure", L.pop(k), shape)


def _callfn(L, ins):
    sig = L.c(ins)
    params, ret = M.parse_signature(sig)
    _call_common(L, ins, None, len(params) + 1, ret, "callfn", None)


_RULES = {
    "NOP": _nop, "ICONST": _iconst, "FCONST": _fconst, "SCONST": _sconst, "BCONST": _bconst,
    "NULL": _null, "LOAD": _load, "STORE": _store, "GGET": _gget, "GSET": _gset,
    "POP": _pop, "DUP": _dup, "DUP2": _dup2, "SWAP": _swap,
    "JMP": _jmp, "JT": _branch, "JF": _branch, "RET": _ret, "RETV": _retv, "THROW": _throw,
    "CALL": _call, "CALLNATIVE": _callnative, "CALLVIRT": _callvirt, "CALLSPECIAL": _callspecial,
    "NEW": _new, "GETFIELD": _getfield, "PUTFIELD": _putfield, "INSTANCEOF": _instanceof,
    "CHECKCAST": _checkcast, "NEWARRAY": _newarray,
    "BOXI": _box, "BOXF": _box, "BOXZ": _box, "CAST": _cast, "ISA": _isa,
    "CALLIFACE": _calliface, "CLOSURE": _closure, "CALLFN": _callfn,
}


_RULES.update({name: _simple_rule for name in _SIMPLE})
_RULES.update({name: _store_rule for name in _STORES})


def handled_opcodes() -> set[str]:
    """Every instruction name the pre-decoder lowers (tests check it is all of TABLE)."""
    return set(_RULES)

