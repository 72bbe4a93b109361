"""Verified bytecode of one function → LLVM IR text (tier 1).

The IR follows the bytecode: one LLVM block per block leader, every local
and every operand-stack slot an `alloca` (LLVM's mem2reg turns them into
registers), the stack typed as the verifier typed it.  Values are `i64`
(ints, bools as 0/1) or `double`; the function's LLVM signature is its HL
signature in those types, `i64 @hl_f(i64* env, ...)` (a void function
returns 0), so compiled functions call each other directly through the
native function table and the interpreter calls them through ctypes.

`env` is the VM's run state (hllvm/state.py): compiled code counts calls
and back-edges on BUDGET and calls the POLL function when it runs out;
STATUS says how a call left.  Whatever compiled code does not do itself —
throwing an error, calling a function that is not compiled, going deeper
than the native stack or the depth limit allows — it hands back to the
interpreter: the frame stops *before* that instruction and describes
itself (function, site, locals, stack) in the hand-back buffer, and every
compiled caller above it describes itself stopped *after* its call
(hllvm/jit/deopt.py rebuilds the interpreter's frames from that).  So the
interpreter raises every error, with its traces and handlers, and compiled
code never needs a handler of its own.

`lower(fn, resolve)` returns a `Lowered` (the IR, the symbol, the sites in
the order their codes number them), or raises `Refused` with the reason
(`--trace-jit` prints it).  This module only writes text: it does not
compile (hllvm/engine.py), install (hllvm/jit/tier.py) or leave
(hllvm/jit/deopt.py).
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from hlbc import model as M
from hlbc.opcodes import POOL_KIND

from ..state import BACK, BACK_AT, BASE, BUDGET, DEOPTED, DEPTH, FUNCS, POLL, STATUS, STOPPED, WORDS

SYMBOL = "hl_f"
INT_MIN = -(1 << 63)
# Frames of compiled code one entry from the interpreter may stack on the
# native stack; a deeper call is handed back (the interpreter makes it, and
# the callee starts a fresh native stack).  Small enough that the thread's
# stack (8 MiB on Linux) holds them whatever their size.
NATIVE_DEPTH = 2000
# Words of the hand-back buffer: the frames on the native stack together
# may describe at most this many words.
BACK_WORDS = 1 << 16
RECORD_HEADER = 3                       # fid, site, number of values

_LL = {"I": "i64", "Z": "i64", "F": "double"}

_INT_BINARY = {"IADD": "add", "ISUB": "sub", "IMUL": "mul", "IAND": "and", "IOR": "or", "IXOR": "xor"}
_FLOAT_BINARY = {"FADD": "fadd", "FSUB": "fsub", "FMUL": "fmul", "FDIV": "fdiv", "FREM": "frem"}
_INT_COMPARE = {"IEQ": "eq", "INE": "ne", "ILT": "slt", "ILE": "sle", "IGT": "sgt", "IGE": "sge",
                "ZEQ": "eq", "ZNE": "ne"}
_FLOAT_COMPARE = {"FEQ": "oeq", "FNE": "une", "FLT": "olt", "FLE": "ole", "FGT": "ogt", "FGE": "oge"}


class Refused(Exception):
    """The function cannot be compiled (yet): the reason, for --trace-jit."""


class Site(NamedTuple):
    """A place a compiled frame may hand back: before the instruction at
    `pc`, or after its call (`after`); the types of the stack entries it
    describes (deepest first)."""
    pc: int
    after: bool
    stack: tuple


class Lowered(NamedTuple):
    ir: str
    symbol: str
    sites: list                 # Site by site code
    callees: tuple              # fids of the functions it calls
    record_words: int           # words its largest record needs


def signature_types(fn) -> tuple[list[str], str]:
    """(LLVM types of the parameters, of the result) of compiled `fn`, or
    Refused if a parameter or the result is not an int, float or bool."""
    params = list(fn.desc.locals[:fn.nargs])
    if fn.desc.flags & M.F_METHOD:
        raise Refused("a method (objects are not compiled yet)")
    for t in params:
        if t not in _LL:
            raise Refused(f"a parameter of type {t} (only int, float and bool are compiled yet)")
    ret = fn.ret
    if ret != "V" and ret not in _LL:
        raise Refused(f"returns {ret} (only int, float and bool are compiled yet)")
    return [_LL[t] for t in params], "i64" if ret == "V" else _LL[ret]


def _float(v: float) -> str:
    return "0x%016X" % struct.unpack("<Q", struct.pack("<d", v))[0]


class _Writer:
    def __init__(self, fn, resolve, cap_of) -> None:
        self.fn = fn
        self.resolve = resolve
        self.cap_of = cap_of            # fid → the depth at which calling it overflows
        self.facts = fn.facts
        self.lines: list[str] = []
        self.n = 0
        self.sites: list[Site] = []
        self.callees: set[int] = set()
        self.slots: set[tuple[int, str]] = set()

    # --- helpers --------------------------------------------------------------------
    def tmp(self) -> str:
        self.n += 1
        return f"%t{self.n}"

    def emit(self, line: str) -> None:
        self.lines.append("  " + line)

    def label(self, name: str) -> None:
        self.lines.append(f"{name}:")

    def env(self, slot: int) -> str:
        p = self.tmp()
        self.emit(f"{p} = getelementptr i64, i64* %env, i64 {slot}")
        return p

    def load_env(self, slot: int) -> str:
        p = self.env(slot)
        v = self.tmp()
        self.emit(f"{v} = load i64, i64* {p}")
        return v

    def store_env(self, slot: int, value: str) -> None:
        p = self.env(slot)
        self.emit(f"store i64 {value}, i64* {p}")

    def slot(self, depth: int, t: str) -> str:
        ll = _LL[t]
        self.slots.add((depth, ll))
        return f"%s{depth}{ll[0]}"

    def push(self, stack: list, t: str, value: str) -> None:
        self.emit(f"store {_LL[t]} {value}, {_LL[t]}* {self.slot(len(stack), t)}")
        stack.append(t)

    def pop(self, stack: list) -> tuple[str, str]:
        t = stack.pop()
        v = self.tmp()
        self.emit(f"{v} = load {_LL[t]}, {_LL[t]}* {self.slot(len(stack), t)}")
        return t, v

    def peek(self, stack: list, k: int) -> str:
        """Load the entry k below the top (0: the top) without popping it."""
        d = len(stack) - 1 - k
        t = stack[d]
        v = self.tmp()
        self.emit(f"{v} = load {_LL[t]}, {_LL[t]}* {self.slot(d, t)}")
        return v

    def as_word(self, t: str, v: str) -> str:
        if t != "F":
            return v
        w = self.tmp()
        self.emit(f"{w} = bitcast double {v} to i64")
        return w

    # --- leaving ----------------------------------------------------------------------
    def site(self, pc: int, after: bool, stack: list) -> int:
        self.sites.append(Site(pc, after, tuple(stack)))
        return len(self.sites) - 1

    def hand_back(self, pc: int, after: bool, stack: list, status: bool = True) -> None:
        """The frame describes itself in the hand-back buffer and returns
        DEOPTED (the current block ends here)."""
        code = self.site(pc, after, stack)
        values = []
        for j, t in enumerate(self.locals):
            v = self.tmp()
            self.emit(f"{v} = load {_LL[t]}, {_LL[t]}* %l{j}")
            values.append(self.as_word(t, v))
        for d, t in enumerate(stack):
            v = self.tmp()
            self.emit(f"{v} = load {_LL[t]}, {_LL[t]}* {self.slot(d, t)}")
            values.append(self.as_word(t, v))
        at = self.load_env(BACK_AT)
        base = self.load_env(BACK)
        buf = self.tmp()
        self.emit(f"{buf} = inttoptr i64 {base} to i64*")
        words = [str(self.fn.fid), str(code), str(len(values)), *values]
        for k, w in enumerate(words):
            i = self.tmp()
            self.emit(f"{i} = add i64 {at}, {k}")
            p = self.tmp()
            self.emit(f"{p} = getelementptr i64, i64* {buf}, i64 {i}")
            self.emit(f"store i64 {w}, i64* {p}")
        end = self.tmp()
        self.emit(f"{end} = add i64 {at}, {len(words)}")
        self.store_env(BACK_AT, end)
        self.store_env(STATUS, str(DEOPTED))
        self.emit(f"ret {self.ret_ll} {self.zero}")
        self.record_words = max(self.record_words, len(words))

    def count_event(self) -> None:
        """One call or back-edge on BUDGET; poll when it runs out (the poll
        may stop the call: then every compiled frame just returns)."""
        b0 = self.load_env(BUDGET)
        b1 = self.tmp()
        self.emit(f"{b1} = sub i64 {b0}, 1")
        self.store_env(BUDGET, b1)
        neg = self.tmp()
        self.emit(f"{neg} = icmp slt i64 {b1}, 0")
        k = self.tmp()[2:]
        self.emit(f"br i1 {neg}, label %poll{k}, label %go{k}, !prof !0")
        self.label(f"poll{k}")
        f = self.load_env(POLL)
        fp = self.tmp()
        self.emit(f"{fp} = inttoptr i64 {f} to i64 ()*")
        r = self.tmp()
        self.emit(f"{r} = call i64 {fp}()")
        stop = self.tmp()
        self.emit(f"{stop} = icmp ne i64 {r}, 0")
        self.emit(f"br i1 {stop}, label %stopped, label %go{k}")
        self.label(f"go{k}")

    def check(self, cond: str, pc: int, stack: list) -> None:
        """Hand back before `pc` when `cond` (an i1) holds."""
        k = self.tmp()[2:]
        self.emit(f"br i1 {cond}, label %back{k}, label %ok{k}, !prof !0")
        self.label(f"back{k}")
        self.hand_back(pc, False, stack)
        self.label(f"ok{k}")

    # --- the function -------------------------------------------------------------------
    def run(self) -> Lowered:
        fn = self.fn
        if self.facts is None:
            raise Refused("no verified code kept (the VM runs without a JIT)")
        if fn.native is not None:
            raise Refused("a native function")
        params, ret_ll = signature_types(fn)
        self.ret_ll = ret_ll
        self.zero = "0.0" if ret_ll == "double" else "0"
        self.locals = list(fn.desc.locals)
        for t in self.locals:
            if t not in _LL:
                raise Refused(f"a local of type {t} (only int, float and bool are compiled yet)")
        self.record_words = 0
        shape, depths = self.facts.shape, self.facts.depths
        types = self.stack_types(shape, depths)
        body: list[str] = []
        self.lines = body
        live = False
        for k, pc in enumerate(shape.pcs):
            st = types.get(k)
            if st is None:
                if live:
                    raise Refused("internal: fall-through into code not typed")
                continue
            if shape.leader[k] or not live:
                if live:
                    self.emit(f"br label %b{pc}")
                self.label(f"b{pc}")
            stack = list(st)
            live = self.instruction(k, pc, shape.defs[k], shape.args[k], stack, shape)
        if live:
            raise Refused("internal: code falls off the end")
        head = [f"define {ret_ll} @{SYMBOL}(i64* %env{''.join(f', {t} %a{i}' for i, t in enumerate(params))}) {{",
                "entry:"]
        for j, t in enumerate(self.locals):
            head.append(f"  %l{j} = alloca {_LL[t]}")
        for d, ll in sorted(self.slots):
            head.append(f"  %s{d}{ll[0]} = alloca {ll}")
        for j, t in enumerate(self.locals):
            init = f"%a{j}" if j < fn.nargs else ("0.0" if t == "F" else "0")
            head.append(f"  store {_LL[t]} {init}, {_LL[t]}* %l{j}")
        head.append(f"  br label %b{shape.pcs[0]}")
        tail = ["stopped:", f"  %stop.at = getelementptr i64, i64* %env, i64 {STATUS}",
                f"  store i64 {STOPPED}, i64* %stop.at", f"  ret {ret_ll} {self.zero}", "}", "",
                "declare i64 @llvm.fptosi.sat.i64.f64(double)", "",
                '!0 = !{!"branch_weights", i32 1, i32 2000}', ""]
        ir = "\n".join([*head, *body, *tail])
        return Lowered(ir, SYMBOL, self.sites, tuple(sorted(self.callees)), max(self.record_words, 1))

    def stack_types(self, shape, depths) -> dict:
        """The operand stack's types before each instruction reached from the
        entry (handlers are the interpreter's: never entered here)."""
        types: dict[int, tuple] = {0: ()}
        work = [0]
        n = len(shape.pcs)
        while work:
            k = work.pop()
            st = list(types[k])
            d, args = shape.defs[k], shape.args[k]
            self.effect(d, args, st)
            nexts = []
            if d.flow in ("next", "call", "branch") and k + 1 < n:
                nexts.append(k + 1)
            if d.flow in ("jump", "branch"):
                nexts.append(shape.index[args[0]])
            for j in nexts:
                if j not in types:
                    types[j] = tuple(st)
                    work.append(j)
        return types

    def effect(self, d, args, st: list) -> None:
        """Apply instruction `d`'s effect to the type stack (Refused for what is not compiled)."""
        name = d.name
        if name in ("LOAD",):
            st.append(self.locals[args[0]])
        elif name == "STORE" or name == "POP":
            st.pop()
        elif name == "DUP":
            st.append(st[-1])
        elif name == "DUP2":
            st.extend(st[-2:])
        elif name == "SWAP":
            st[-1], st[-2] = st[-2], st[-1]
        elif name == "CALL":
            f = self.callee(args)
            del st[len(st) - f.nargs:]
            if f.ret != "V":
                st.append(f.ret)
        elif name in _SUPPORTED:
            pops, pushes = d.pops, d.pushes
            if len(pops):
                del st[len(st) - len(pops):]
            st.extend(pushes)
        else:
            raise Refused(f"instruction {name} (not compiled yet)")

    def callee(self, args):
        f = self.resolve(POOL_KIND["func"], args[0])
        if f.native is not None:
            raise Refused(f"calls native {f.module.name}.{f.name} (natives are not called from compiled code yet)")
        signature_types(f)
        return f

    # --- instructions --------------------------------------------------------------------
    def instruction(self, k: int, pc: int, d, args, stack: list, shape) -> bool:
        """Emit one instruction; False when control does not fall through."""
        name = d.name
        e = self.emit
        if name == "NOP":
            pass
        elif name == "ICONST":
            self.push(stack, "I", str(self.resolve(POOL_KIND["int"], args[0])))
        elif name == "FCONST":
            self.push(stack, "F", _float(self.resolve(POOL_KIND["float"], args[0])))
        elif name == "BCONST":
            self.push(stack, "Z", "1" if args[0] else "0")
        elif name == "LOAD":
            t = self.locals[args[0]]
            v = self.tmp()
            e(f"{v} = load {_LL[t]}, {_LL[t]}* %l{args[0]}")
            self.push(stack, t, v)
        elif name == "STORE":
            t, v = self.pop(stack)
            e(f"store {_LL[t]} {v}, {_LL[t]}* %l{args[0]}")
        elif name == "POP":
            stack.pop()
        elif name == "DUP":
            v = self.peek(stack, 0)
            self.push(stack, stack[-1], v)
        elif name == "DUP2":
            a, b = self.peek(stack, 1), self.peek(stack, 0)
            ta, tb = stack[-2], stack[-1]
            self.push(stack, ta, a)
            self.push(stack, tb, b)
        elif name == "SWAP":
            tb, b = self.pop(stack)
            ta, a = self.pop(stack)
            self.push(stack, tb, b)
            self.push(stack, ta, a)
        elif name in _INT_BINARY or name in ("ISHL", "ISHR"):
            _, b = self.pop(stack)
            _, a = self.pop(stack)
            v = self.tmp()
            if name in _INT_BINARY:
                e(f"{v} = {_INT_BINARY[name]} i64 {a}, {b}")
            else:
                m = self.tmp()
                e(f"{m} = and i64 {b}, 63")
                e(f"{v} = {'shl' if name == 'ISHL' else 'ashr'} i64 {a}, {m}")
            self.push(stack, "I", v)
        elif name in ("IDIV", "IREM"):
            z = self.tmp()
            b = self.peek(stack, 0)
            e(f"{z} = icmp eq i64 {b}, 0")
            self.check(z, pc, stack)          # the interpreter throws ArithmeticError
            _, b = self.pop(stack)
            _, a = self.pop(stack)
            m1, mn, ovf, safe, q, v = (self.tmp() for _ in range(6))
            e(f"{m1} = icmp eq i64 {b}, -1")
            e(f"{mn} = icmp eq i64 {a}, {INT_MIN}")
            e(f"{ovf} = and i1 {m1}, {mn}")
            e(f"{safe} = select i1 {ovf}, i64 1, i64 {b}")
            if name == "IDIV":                # MIN / -1 wraps to MIN
                e(f"{q} = sdiv i64 {a}, {safe}")
                e(f"{v} = select i1 {ovf}, i64 {INT_MIN}, i64 {q}")
            else:                             # MIN % -1 is 0
                e(f"{q} = srem i64 {a}, {safe}")
                e(f"{v} = select i1 {ovf}, i64 0, i64 {q}")
            self.push(stack, "I", v)
        elif name == "INEG":
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = sub i64 0, {a}")
            self.push(stack, "I", v)
        elif name == "INOT":
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = xor i64 {a}, -1")
            self.push(stack, "I", v)
        elif name in _FLOAT_BINARY:
            _, b = self.pop(stack)
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = {_FLOAT_BINARY[name]} double {a}, {b}")
            self.push(stack, "F", v)
        elif name == "FNEG":
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = fneg double {a}")
            self.push(stack, "F", v)
        elif name in _INT_COMPARE or name in _FLOAT_COMPARE:
            _, b = self.pop(stack)
            _, a = self.pop(stack)
            c, v = self.tmp(), self.tmp()
            if name in _INT_COMPARE:
                e(f"{c} = icmp {_INT_COMPARE[name]} i64 {a}, {b}")
            else:
                e(f"{c} = fcmp {_FLOAT_COMPARE[name]} double {a}, {b}")
            e(f"{v} = zext i1 {c} to i64")
            self.push(stack, "Z", v)
        elif name == "NOT":
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = xor i64 {a}, 1")
            self.push(stack, "Z", v)
        elif name == "I2F":
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = sitofp i64 {a} to double")
            self.push(stack, "F", v)
        elif name == "F2I":
            _, a = self.pop(stack)
            v = self.tmp()
            e(f"{v} = call i64 @llvm.fptosi.sat.i64.f64(double {a})")
            self.push(stack, "I", v)
        elif name == "JMP":
            target = args[0]
            if target <= pc:
                self.count_event()
            e(f"br label %b{target}")
            return False
        elif name in ("JT", "JF"):
            _, c = self.pop(stack)
            cond = self.tmp()
            e(f"{cond} = icmp {'ne' if name == 'JT' else 'eq'} i64 {c}, 0")
            target, nxt = args[0], shape.pcs[k + 1]
            if target <= pc:                  # a back-edge: counted when taken
                e(f"br i1 {cond}, label %edge{pc}, label %b{nxt}")
                self.label(f"edge{pc}")
                self.count_event()
                e(f"br label %b{target}")
            else:
                e(f"br i1 {cond}, label %b{target}, label %b{nxt}")
            return False
        elif name == "RET":
            e("ret i64 0")
            return False
        elif name == "RETV":
            _, v = self.pop(stack)
            e(f"ret {self.ret_ll} {v}")
            return False
        elif name == "CALL":
            self.call(pc, self.callee(args), stack)
        else:
            raise Refused(f"instruction {name} (not compiled yet)")
        return True

    def call(self, pc: int, g, stack: list) -> None:
        """A direct call of compiled function `g`: native when it is compiled
        and the stacks have room, else handed back before the call (the
        interpreter calls it; checks first, so the event is counted once)."""
        e = self.emit
        self.callees.add(g.fid)
        params, ret_ll = signature_types(g)
        addr = self.tmp()
        table = self.load_env(FUNCS)
        tp = self.tmp()
        e(f"{tp} = inttoptr i64 {table} to i64*")
        slot = self.tmp()
        e(f"{slot} = getelementptr i64, i64* {tp}, i64 {g.fid}")
        e(f"{addr} = load i64, i64* {slot}")
        none = self.tmp()
        e(f"{none} = icmp eq i64 {addr}, 0")
        depth = self.load_env(DEPTH)
        base = self.load_env(BASE)
        total = self.tmp()
        e(f"{total} = add i64 {base}, {depth}")
        deep = self.tmp()
        e(f"{deep} = icmp sge i64 {total}, {self.cap_of(g.fid)}")
        native = self.tmp()
        e(f"{native} = icmp sge i64 {depth}, {NATIVE_DEPTH}")
        words = self.load_env(WORDS)
        need = self.tmp()
        e(f"{need} = add i64 {words}, {RECORD_HEADER + len(g.desc.locals) + g.facts.max_depth if g.facts else 1 << 40}")
        full = self.tmp()
        e(f"{full} = icmp sgt i64 {need}, {BACK_WORDS}")
        c1, c2, c3 = self.tmp(), self.tmp(), self.tmp()
        e(f"{c1} = or i1 {none}, {deep}")
        e(f"{c2} = or i1 {native}, {full}")
        e(f"{c3} = or i1 {c1}, {c2}")
        self.check(c3, pc, stack)
        self.count_event()
        argv = []
        for t in reversed(params):
            _, v = self.pop(stack)
            argv.append(f"{t} {v}")
        argv.reverse()
        fty = f"{ret_ll} (i64*{''.join(', ' + t for t in params)})*"
        fp = self.tmp()
        e(f"{fp} = inttoptr i64 {addr} to {fty}")
        d1 = self.tmp()
        e(f"{d1} = add i64 {depth}, 1")
        self.store_env(DEPTH, d1)
        self.store_env(WORDS, need)
        r = self.tmp()
        e(f"{r} = call {ret_ll} {fp}(i64* %env{''.join(', ' + a for a in argv)})")
        self.store_env(DEPTH, depth)
        self.store_env(WORDS, words)
        status = self.load_env(STATUS)
        k = self.tmp()[2:]
        left = self.tmp()
        e(f"{left} = icmp ne i64 {status}, 0")
        e(f"br i1 {left}, label %left{k}, label %on{k}, !prof !0")
        self.label(f"left{k}")
        stopped = self.tmp()
        e(f"{stopped} = icmp eq i64 {status}, {STOPPED}")
        e(f"br i1 {stopped}, label %stopped, label %after{k}")
        self.label(f"after{k}")
        self.hand_back(pc, True, stack)
        self.label(f"on{k}")
        if g.ret != "V":
            self.push(stack, g.ret, r)


# Instructions whose type effect is their table letters (the rest are special-cased above).
_SUPPORTED = frozenset({
    "NOP", "ICONST", "FCONST", "BCONST", "IADD", "ISUB", "IMUL", "IDIV", "IREM", "INEG", "IAND", "IOR",
    "IXOR", "ISHL", "ISHR", "INOT", "FADD", "FSUB", "FMUL", "FDIV", "FREM", "FNEG", "IEQ", "INE", "ILT",
    "ILE", "IGT", "IGE", "FEQ", "FNE", "FLT", "FLE", "FGT", "FGE", "ZEQ", "ZNE", "NOT", "I2F", "F2I",
    "JMP", "JT", "JF", "RET", "RETV"})


def lower(fn, resolve, cap_of) -> Lowered:
    """IR for `fn` (see the module docstring); Refused if it cannot be compiled."""
    return _Writer(fn, resolve, cap_of).run()


__all__ = ["lower", "Lowered", "Refused", "Site", "SYMBOL", "NATIVE_DEPTH", "BACK_WORDS",
           "RECORD_HEADER", "signature_types"]
