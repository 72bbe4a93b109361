"""Verified bytecode of one function → LLVM IR text (tier 1).

The IR follows the bytecode: one LLVM block per block leader, the operand
stack typed as the verifier typed it, in four kinds: `I` ints and `Z`
bools (`i64`, bools 0/1), `F` floats (`double`), `R` references (`i64`
word indices into the heap, 0 is null).  Int, bool and float locals and
stack slots are `alloca`s (LLVM's mem2reg makes registers of them).
Reference locals and stack slots live in the function's *shadow frame*:
slots of the VM's shadow stack (a root of the collector, hllvm/collector/
roots.py), reserved on entry and released on return.  Every load of a
reference reads its slot again, so after anything that may collect (an
allocation, a native, a call) the code sees the moved objects.

A function is two LLVM functions.  Its entry, `@hl_f(i64* env, ...)`, has
its HL signature in those types (a void function returns 0): the
interpreter calls it through ctypes (tier.py) and other compiled functions
through the native function table.  `env` is the VM's run state
(hllvm/state.py): the heap's and the tables' addresses, the counter BUDGET
and the POLL function for fuel and interrupts, the HELPER function for what
compiled code asks the VM to do (allocate, call a native, make a string:
helpers.py), STATUS for how a call left.  Its body, `@hl_b(env, depth,
words, budget, ...)` returning `{result, budget}`, does the work: the
entry reads the call's depth, hand-back words and event counter from the
run state, and writes the counter back.  Calls inside one module (a
function's recursion, and the leaves inlined into it) go body to body
with those three in registers: kept in memory, every call would wait for
the counter its caller just stored (a store-to-load chain through the run
state), which cost a fifth of `fib`'s time.  Helpers and the poll see the
counter in BUDGET, written before and read again after each helper call.

What compiled code does not do itself — raise an error, call a function
that is not compiled, go deeper than the native stack or the depth limit
allows, run a `to_string()` the interpreter must run — it hands back to the
interpreter: the frame stops *before* that instruction and describes itself
(function, site, locals, stack) in the hand-back buffer, and each compiled
caller describes itself stopped *after* its call (deopt.py rebuilds the
interpreter frames).  A pure operation that fails in a helper (an
allocation that finds no room) is handed back the same way and runs again
in the interpreter, which throws; a native that throws has run, so its
frame is handed back with the error pending (tier.py throws it there).

`lower(fn, resolve, cap_of)` returns a `Lowered`, or raises `Refused` with
the reason (`--trace-jit` prints it).  The writer's instructions of erased
values (boxes, casts, arrays of any kind, VEQ/VHASH, `str()` of any
reference) are in values.py, its method calls and function values
(CALLVIRT, CALLIFACE, CLOSURE, CALLFN) in dispatch.py: mixins of the one
writer here.  This module only writes text: it does not compile
(hllvm/engine.py), install (tier.py) or leave (deopt.py).
"""

from __future__ import annotations

import struct
from collections import namedtuple

from hlbc import model as M
from hlbc.opcodes import BY_NAME, POOL_KIND

from ..layout import (HEADER_WORDS, LARGE_WORDS, LENGTH_WORD, T_STR8, TYPE_MASK,
                      field_offset, instance_words)
from ..state import (ARGS, BACK, BACK_AT, BASE, BUDGET, CHARS, CLASS_AT, CLASSES, DEOPTED, DEPTH, FAIL, FMETA,
                     FUNCS, HEAP, HELPER, POLL, SHADOW, SHADOW_SP, STATUS, STOPPED, TLAB_END, TLAB_TOP,
                     WORDS, EDGE)
from ..tables import REC_ANCESTORS, REC_DEPTH, REC_NFIELDS
from . import helpers as H
from .dispatch import DispatchCode
from .values import ValueCode

SYMBOL = "hl_f"
BODY = "hl_b"       # the function itself, called with its depth and counter in registers
INT_MIN = -(1 << 63)
# Frames of compiled code one entry from the interpreter may stack on the
# native stack; a deeper call is handed back (the interpreter makes it, and
# the callee starts a fresh native stack).  Small enough that the thread's
# stack (8 MiB on Linux) holds them whatever their size.
NATIVE_DEPTH = 2000
BACK_WORDS = 1 << 16          # words of the hand-back buffer
SHADOW_WORDS = 1 << 16        # slots of the shadow stack
ARG_WORDS = 256               # words of the native-argument buffer (a native has at most 255)
RECORD_HEADER = 3             # fid, site, number of values
# Per function, words of FMETA: its depth cap, the hand-back words and the
# shadow slots a frame of it needs (0 while it is not compiled).
META_CAP, META_RECORD, META_SHADOW, META_WORDS = 0, 1, 2, 4

_LL = {"I": "i64", "Z": "i64", "F": "double", "R": "i64"}
_OWN_RECORD = "@@record@@"      # the function's own record size, in its recursive calls
_SELF = "@@self@@"              # the function itself, in its recursive calls
UNROLL_IR = 40_000              # IR of a recursive function that calls an inlined copy of itself
# Type-based alias tags: the heap, the shadow frames and the run state are
# three disjoint regions, and saying so lets LLVM keep a reference local
# in a register across a field store, forward a field it just stored, and
# drop a null check it already made.  Accesses without a tag (the tables,
# the hand-back buffer, string bytes) may alias anything.  Only calls move
# objects or write frames from outside, and a call clobbers every region.
HEAP_MEM, FRAME, ENV = ", !tbaa !10", ", !tbaa !11", ", !tbaa !12"
# A block's two header words (its type, its length) are written once, when
# it is made, and never change while compiled code runs (a collection moves
# the block, in a call): a tag of their own lets LLVM keep an array's
# length out of the loop that stores into its elements.
HEADER = ", !tbaa !13"
_MEM = {"R": FRAME, "I": "", "Z": "", "F": ""}       # non-references live in allocas
_TBAA_NODES = ('!20 = !{!"hl"}', '!21 = !{!"hl.heap", !20, i64 0}', '!22 = !{!"hl.frame", !20, i64 0}',
               '!23 = !{!"hl.env", !20, i64 0}', "!10 = !{!21, !21, i64 0}", "!11 = !{!22, !22, i64 0}",
               "!12 = !{!23, !23, i64 0}", '!24 = !{!"hl.header", !20, i64 0}', "!13 = !{!24, !24, i64 0}")
_TABLE_KIND = {"I": "I", "F": "F", "Z": "Z", "S": "R", "A": "R", "R": "R", "O": "R"}

_INT_BINARY = {"IADD": "add", "ISUB": "sub", "IMUL": "mul", "IAND": "and", "IOR": "or", "IXOR": "xor"}
_FLOAT_BINARY = {"FADD": "fadd", "FSUB": "fsub", "FMUL": "fmul", "FDIV": "fdiv", "FREM": "frem"}
_COMPARE = {"IEQ": "icmp eq", "INE": "icmp ne", "ILT": "icmp slt", "ILE": "icmp sle", "IGT": "icmp sgt",
            "IGE": "icmp sge", "ZEQ": "icmp eq", "ZNE": "icmp ne", "REQ": "icmp eq", "RNE": "icmp ne",
            "FEQ": "fcmp oeq", "FNE": "fcmp une", "FLT": "fcmp olt", "FLE": "fcmp ole", "FGT": "fcmp ogt",
            "FGE": "fcmp oge"}
# Instructions made by one helper call each (helpers.py), by name: the helper.
_HELPED = {"CONCAT": H.CONCAT, "ITOS": H.ITOS, "FTOS": H.FTOS, "ZTOS": H.ZTOS, "STOS": H.STOS,
           "SEQ": H.SEQ, "SNE": H.SNE, "SLT": H.SLT, "SLE": H.SLE, "SGT": H.SGT, "SGE": H.SGE,
           "SINDEX": H.SINDEX, "ACOPY": H.ACOPY}


def kind(t: str) -> str:
    """The kind of a type descriptor (or verifier type)."""
    return t if t in ("I", "F", "Z") else "R"


class Refused(Exception):
    """The function cannot be compiled (yet): the reason, for --trace-jit."""


# A place a compiled frame may hand back: before the instruction at
# `pc`, or after its call (`after`); the kinds of the stack entries it
# describes (deepest first).
# Fields:
#   pc: int
#   after: bool
#   stack: tuple
Site = namedtuple("Site", "pc after stack")


# Site and native codes of a function's OSR entry start here (deopt.py, helpers.py).
OSR_CODES = 1 << 20


# Fields:
#   ir: str
#   symbol: str
#   sites: list  # Site by site code
#   callees: tuple  # fids of the functions it calls directly
#   record_words: int  # words its largest hand-back record needs
#   shadow_words: int  # slots of its shadow frame
#   natives: list  # NativeBinding by native-call code (helpers.py)
#   headers: tuple = ()  # OSR entry: the loop-header pcs it may start at
#   calls: bool = False  # it calls HL functions (so it is not a leaf)
#   function: str = ""  # the function's definition alone, to be inlined elsewhere
#   inlines: tuple = ()  # fids of the leaves inlined into it (installed before it runs)
#   loops: bool = False  # it has a back-edge
Lowered = namedtuple("Lowered", [
    "ir",
    "symbol",
    "sites",
    "callees",
    "record_words",
    "shadow_words",
    "natives",
    "headers",
    "calls",
    "function",
    "inlines",
    "loops",
], defaults=((), False, "", (), False))


def signature_types(fn) -> tuple[list[str], str]:
    """(LLVM types of the parameters, the receiver first, of the result)."""
    params = [_LL[kind(t)] for t in fn.desc.locals[:fn.nargs]]
    return params, "i64" if fn.ret == "V" else _LL[kind(fn.ret)]


def _float(v: float) -> str:
    return "0x%016X" % struct.unpack("<Q", struct.pack("<d", v))[0]


class _Writer(ValueCode, DispatchCode):
    HEAP_MEM, HEADER = HEAP_MEM, HEADER      # alias tags, for the mixins

    def __init__(self, fn, resolve, cap_of, osr: bool, nullstr: int, inline_of=None, world=None) -> None:
        self.fn = fn
        self.world = world              # what the VM knows now: classes, type codes (tier.py `Jit`)
        self.nullstr = nullstr          # the interned "null" (a `+` operand that is null reads so)
        self.digits_buffer = False      # an int is written as digits: a [24 x i8] buffer
        self.fnargs = 0                 # words of the buffer a function value's adapter takes its arguments in
        self.last_label = ""
        # The OSR entry: `@hl_f(env, header pc, address of the locals' words)`
        # starts at a loop header with an empty stack (tier.py `osr`).
        self.osr = osr
        self.base = OSR_CODES if osr else 0
        self.resolve = resolve
        self.cap_of = cap_of            # fid → the depth at which calling it overflows
        self.inline_of = inline_of      # fid → its Lowered when it is a leaf worth inlining
        self.inlined: dict[int, str] = {}   # fid → the definition of its inlined copy
        self.outlines: dict[str, str] = {}  # fast path function → its definition (`with_fallback`)
        self.calls = False
        self.facts = fn.facts
        self.lines: list[str] = []
        self.n = 0
        self.sites: list[Site] = []
        self.callees: set[int] = set()
        self.slots: set[tuple[int, str]] = set()
        self.natives: list = []
        self.record_words = RECORD_HEADER
        self.exits: list[tuple[str, int]] = []      # (block, site code) of each hand-back
        self.env_slots: set[int] = set()

    # --- text ---------------------------------------------------------------------------
    def tmp(self) -> str:
        self.n += 1
        return f"%t{self.n}"

    def label_id(self) -> str:
        self.n += 1
        return str(self.n)

    def emit(self, line: str) -> None:
        self.lines.append("  " + line)

    def label(self, name: str) -> None:
        self.lines.append(f"{name}:")

    def op(self, text: str) -> str:
        """Emit `%t = text`; the new value."""
        v = self.tmp()
        self.emit(f"{v} = {text}")
        return v

    def env(self, slot: int) -> str:
        """Pointer to a run-state word (made once, in the entry block)."""
        self.env_slots.add(slot)
        return f"%e{slot}"

    def load_env(self, slot: int) -> str:
        return self.op(f"load i64, i64* {self.env(slot)}{ENV}")

    def store_env(self, slot: int, value: str) -> None:
        self.emit(f"store i64 {value}, i64* {self.env(slot)}{ENV}")

    def load_reg(self, name: str) -> str:
        """The call's depth, hand-back words or event counter (`depth`,
        `words`, `budget`): values of the body's own, in registers."""
        return self.op(f"load i64, i64* %{name}.v")

    def store_reg(self, name: str, value: str) -> None:
        self.emit(f"store i64 {value}, i64* %{name}.v")

    def word_at(self, base: str, index: str) -> str:
        """Pointer to word `index` of the i64 array at address value `base`."""
        p = self.op(f"inttoptr i64 {base} to i64*")
        return self.op(f"getelementptr i64, i64* {p}, i64 {index}")

    def heap_word(self, index: str) -> str:
        return self.op(f"getelementptr i64, i64* %heap, i64 {index}")

    def load_word(self, ptr: str) -> str:
        return self.op(f"load i64, i64* {ptr}")

    def load_header(self, ptr: str) -> str:
        """A word of a block's header (its type or its length)."""
        return self.op(f"load i64, i64* {ptr}{HEADER}")

    # --- storage of locals and stack entries ----------------------------------------------
    def local_ptr(self, j: int) -> tuple[str, str]:
        """(LLVM type, pointer) of local j."""
        k = self.local_kinds[j]
        if k == "R":
            return "i64", self.op(f"getelementptr i64, i64* %frame, i64 {self.ref_local[j]}")
        return _LL[k], f"%l{j}"

    def slot_ptr(self, depth: int, k: str) -> tuple[str, str]:
        if k == "R":
            at = self.nref_locals + depth
            if at >= self.shadow_words:
                raise Refused("internal: a reference above the shadow frame")
            return "i64", self.op(f"getelementptr i64, i64* %frame, i64 {at}")
        ll = _LL[k]
        self.slots.add((depth, ll))
        return ll, f"%s{depth}{ll[0]}"

    def push(self, stack: list, k: str, value: str) -> None:
        ll, p = self.slot_ptr(len(stack), k)
        self.emit(f"store {ll} {value}, {ll}* {p}{_MEM[k]}")
        stack.append(k)

    def pop(self, stack: list) -> str:
        k = stack.pop()
        ll, p = self.slot_ptr(len(stack), k)
        return self.op(f"load {ll}, {ll}* {p}{_MEM[k]}")

    def pops(self, stack: list, n: int) -> list[str]:
        vals = [self.pop(stack) for _ in range(n)]
        vals.reverse()
        return vals

    def peek(self, stack: list, k: int) -> str:
        """The entry k below the top (0: the top), not popped."""
        d = len(stack) - 1 - k
        ll, p = self.slot_ptr(d, stack[d])
        return self.op(f"load {ll}, {ll}* {p}{_MEM[stack[d]]}")

    @staticmethod
    def ll(t: str) -> str:
        """The LLVM type of a value of type descriptor `t`."""
        return _LL[kind(t)]

    kind_of = staticmethod(kind)

    def as_word(self, k: str, v: str) -> str:
        return self.op(f"bitcast double {v} to i64") if k == "F" else v

    def from_word(self, k: str, w: str) -> str:
        return self.op(f"bitcast i64 {w} to double") if k == "F" else w

    # --- leaving ----------------------------------------------------------------------
    def hand_back(self, pc: int, after: bool, stack: list) -> None:
        """The frame describes itself in the hand-back buffer and returns
        DEOPTED (the current block ends here, in the function's one
        hand-back block: `handback_text`)."""
        self.sites.append(Site(pc, after, tuple(stack)))
        self.exits.append((self.current_block(), self.base + len(self.sites) - 1))
        self.emit("br label %handback")

    def handback_text(self) -> list[str]:
        """The hand-back block: one record (RECORD_HEADER words, the locals,
        then per stack depth its int, float and reference slot: `stack_word`)
        whatever the site, whose code comes in by a phi."""
        if not self.exits:
            return []
        lines, self.lines = self.lines, []
        self.label("handback")
        self.emit("%hb.code = phi i64 " + ", ".join(f"[{c}, %{b}]" for b, c in self.exits))
        values = []
        for j in range(len(self.local_kinds)):
            ll, p = self.local_ptr(j)
            values.append(self.as_word(self.local_kinds[j], self.op(f"load {ll}, {ll}* {p}{_MEM[self.local_kinds[j]]}")))
        for d in range(self.facts.max_depth):
            for k in ("I", "F", "R"):
                if (d, _LL[k]) not in self.slots if k != "R" else self.nref_locals + d >= self.shadow_words:
                    values.append("0")
                    continue
                ll, p = self.slot_ptr(d, k)
                values.append(self.as_word(k, self.op(f"load {ll}, {ll}* {p}{_MEM[k]}")))
        at = self.load_env(BACK_AT)
        base = self.load_env(BACK)
        words = [str(self.fn.fid), "%hb.code", str(len(values)), *values]
        for i, w in enumerate(words):
            idx = self.op(f"add i64 {at}, {i}")
            self.emit(f"store i64 {w}, i64* {self.word_at(base, idx)}")
        self.store_env(BACK_AT, self.op(f"add i64 {at}, {len(words)}"))
        self.store_env(STATUS, str(DEOPTED))
        self.emit("br label %leave")
        self.record_words = len(words)
        out, self.lines = self.lines, lines
        return out

    def check(self, cond: str, pc: int, stack: list) -> str:
        """Hand back before `pc` when `cond` (an i1) holds; the label of
        that hand-back (another exit to the same place may branch to it)."""
        k = self.label_id()
        self.emit(f"br i1 {cond}, label %back{k}, label %ok{k}, !prof !0")
        self.label(f"back{k}")
        self.hand_back(pc, False, stack)
        self.label(f"ok{k}")
        return f"back{k}"

    def count_event(self, pc: int, stack: list, edge: bool, back: str | None = None) -> None:
        """One call or back-edge on BUDGET; poll when it runs out (the poll
        may stop the call: then every compiled frame just returns; or ask
        for a suspension: then the frame hands back before `pc`, the call's
        instruction or the back-edge's target, with `stack` there)."""
        b1 = self.op(f"sub i64 {self.load_reg('budget')}, 1")
        self.store_reg("budget", b1)
        neg = self.op(f"icmp slt i64 {b1}, 0")
        k = self.label_id()
        self.emit(f"br i1 {neg}, label %poll{k}, label %go{k}, !prof !0")
        self.label(f"poll{k}")
        # The poll takes the counter and gives its next chunk plus one (0:
        # stop, or the callback failed).  It touches none of the memory this
        # code reads — it never allocates or collects, and the counter goes
        # through its argument and result — and says so (#3), so that LLVM
        # keeps references, array lengths and the counter in registers
        # across the loops that poll.
        # An exception ctypes dropped in the callback (Ctrl-C landing there)
        # leaves the result undefined but FAIL set (native.guard): FAIL is
        # read volatile, as the poll is declared not to write it.
        # Volatile: the poll is declared to touch no memory of this code's.
        self.emit(f"store volatile i64 {1 if edge else 0}, i64* {self.env(EDGE)}")
        fp = self.op(f"inttoptr i64 {self.load_env(POLL)} to i64 (i64)*")
        r = self.op(f"call i64 {fp}(i64 {b1}) #3")
        failed = self.op(f"icmp ne i64 {self.op(f'load volatile i64, i64* {self.env(FAIL)}')}, 0")
        stop = self.op(f"or i1 {self.op(f'icmp eq i64 {r}, 0')}, {failed}")
        self.emit(f"br i1 {stop}, label %pstop{k}, label %polled{k}, !prof !0")
        self.label(f"pstop{k}")
        self.emit(f"store volatile i64 0, i64* {self.env(FAIL)}")
        self.emit("br label %stopped")
        self.label(f"polled{k}")
        self.emit(f"br i1 {self.op(f'icmp slt i64 {r}, 0')}, label %psusp{k}, label %pgo{k}, !prof !0")
        self.label(f"psusp{k}")
        if back is not None:
            self.emit(f"br label %{back}")       # the same hand-back as the call's checks
        else:
            self.hand_back(pc, False, stack)
        self.label(f"pgo{k}")
        self.store_reg("budget", self.op(f"sub i64 {r}, 1"))
        self.emit(f"br label %go{k}")
        self.label(f"go{k}")

    def helper(self, code: int, args: list[str], pc: int, stack: list) -> str:
        """Call helper `code` (helpers.py) with up to three words; if it
        failed, hand back before `pc` (`stack`: the stack before it); if it
        stopped the call, return.  Its result word."""
        a = [*args, "0", "0", "0"][:3]
        fp = self.op(f"inttoptr i64 {self.load_env(HELPER)} to i64 (i64, i64, i64, i64)*")
        # A helper may read the fuel left, run HL code or set a new limit.
        self.store_env(BUDGET, self.load_reg("budget"))
        r = self.op(f"call i64 {fp}(i64 {code}, i64 {a[0]}, i64 {a[1]}, i64 {a[2]})")
        self.store_reg("budget", self.load_env(BUDGET))
        fail = self.load_env(FAIL)
        k = self.label_id()
        bad = self.op(f"icmp ne i64 {fail}, 0")
        self.emit(f"br i1 {bad}, label %fail{k}, label %fine{k}, !prof !0")
        self.label(f"fail{k}")
        self.store_env(FAIL, "0")
        stop = self.op(f"icmp eq i64 {fail}, {H.STOP}")
        self.emit(f"br i1 {stop}, label %stopped, label %redo{k}")
        self.label(f"redo{k}")
        self.hand_back(pc, False, stack)
        self.label(f"fine{k}")
        return r

    def word_or_made(self, at: str, code: int, args: list[str], pc: int, stack: list) -> str:
        """The word at pointer `at` of a table the VM fills on demand; while
        it is 0, what helper `code` makes (and writes there), rarely."""
        have = self.load_word(at)
        before = self.current_block()
        k = self.label_id()
        self.emit(f"br i1 {self.op(f'icmp eq i64 {have}, 0')}, label %wm{k}, label %wh{k}, !prof !0")
        self.label(f"wm{k}")
        made = self.helper(code, args, pc, stack)
        made_in = self.current_block()
        self.emit(f"br label %wh{k}")
        self.label(f"wh{k}")
        return self.op(f"phi i64 [{have}, %{before}], [{made}, %{made_in}]")

    # --- the function -------------------------------------------------------------------
    def run(self) -> Lowered:
        fn = self.fn
        if self.facts is None:
            raise Refused("no verified code kept (the VM runs without a JIT)")
        if fn.native is not None:
            raise Refused("a native function")
        params, ret_ll = signature_types(fn)
        self.ret_ll = ret_ll
        self.body_ll = f"{{{ret_ll}, i64}}"
        self.zero = "0.0" if ret_ll == "double" else "0"
        self.local_kinds = [kind(t) for t in fn.desc.locals]
        self.ref_local = {}
        for j, k in enumerate(self.local_kinds):
            if k == "R":
                self.ref_local[j] = len(self.ref_local)
        self.nref_locals = len(self.ref_local)
        shape, depths = self.facts.shape, self.facts.depths
        types = self.stack_types(shape)
        # The frame holds the reference locals, then the stack up to its
        # deepest reference: a function of ints and floats has none, and
        # its calls then skip the shadow stack altogether.
        self.shadow_words = self.nref_locals + max(
            (d + 1 for st in types.values() for d, k in enumerate(st) if k == "R"), default=0)
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
            self.pc_index = k
            live = self.instruction(k, pc, shape.defs[k], shape.args[k], list(st), shape)
        if live:
            raise Refused("internal: code falls off the end")
        headers = ()
        if self.osr:
            headers = tuple(sorted({args[0] for k, (d, args) in enumerate(zip(shape.defs, shape.args))
                                    if k in types and d.flow in ("jump", "branch") and args[0] <= shape.pcs[k]
                                    and types.get(shape.index[args[0]]) == ()}))
            if not headers:
                raise Refused("no loop to enter")
        ir = self.text(params, ret_ll, body, headers).replace(_OWN_RECORD, str(self.record_words))
        return Lowered(ir, SYMBOL, self.sites, tuple(sorted(self.callees)), self.record_words,
                       self.shadow_words, self.natives, headers, self.calls,
                       self.function_text.replace(_OWN_RECORD, str(self.record_words)),
                       tuple(self.inlined),
                       any(d.flow in ("jump", "branch") and a[0] <= pc
                           for d, a, pc in zip(shape.defs, shape.args, shape.pcs)))

    def text(self, params, ret_ll, body, headers=()) -> str:
        fn = self.fn
        if self.osr:
            params = ["i64", "i64"]
        # "no-builtins": LLVM must not turn the byte-copy loops into calls of
        # the C library's memcpy (the code would not be self-contained).
        args = "".join(f", {t} %a{i}" for i, t in enumerate(params))
        head = [f"define internal {self.body_ll} @{BODY}(i64* %env, i64 %depth, i64 %words, i64 %budget{args}) #0 {{",
                "entry:"]
        w = self.emit
        self.lines = head
        for name in ("depth", "words", "budget"):
            w(f"%{name}.v = alloca i64")
            w(f"store i64 %{name}, i64* %{name}.v")
        for j, k in enumerate(self.local_kinds):
            if k != "R":
                w(f"%l{j} = alloca {_LL[k]}")
        for d, ll in sorted(self.slots):
            w(f"%s{d}{ll[0]} = alloca {ll}")
        if self.digits_buffer:
            w("%digits = alloca [24 x i8]")
        if self.fnargs:                 # a function value's arguments (CALLFN through an adapter)
            w(f"%fnargs = alloca i64, i64 {self.fnargs}")
        heap = self.load_env(HEAP)
        w(f"%heap = inttoptr i64 {heap} to i64*")
        w("%heapb = bitcast i64* %heap to i8*")
        if self.shadow_words:
            sp = self.load_env(SHADOW_SP)
            w(f"%fp = add i64 {sp}, 0")
            self.store_env(SHADOW_SP, self.op(f"add i64 {sp}, {self.shadow_words}"))
            w(f"%frame = getelementptr i64, i64* {self.op(f'inttoptr i64 {self.load_env(SHADOW)} to i64*')}, i64 {sp}")
        # The collector reads every slot: none may hold what an earlier frame left.
        if not self.shadow_words:
            pass
        elif self.shadow_words <= 16:
            for i in range(self.shadow_words):
                w(f"store i64 0, i64* {self.op(f'getelementptr i64, i64* %frame, i64 {i}')}{FRAME}")
        else:
            w("br label %zero")
            self.label("zero")
            w("%zi = phi i64 [0, %entry], [%zn, %zero]")
            w("%zp = getelementptr i64, i64* %frame, i64 %zi")
            w(f"store i64 0, i64* %zp{FRAME}")
            w("%zn = add i64 %zi, 1")
            w(f"%zdone = icmp eq i64 %zn, {self.shadow_words}")
            w("br i1 %zdone, label %zeroed, label %zero")
            self.label("zeroed")
        if self.osr:                    # every local from the frame the interpreter was running
            for j, k in enumerate(self.local_kinds):
                ll, p = self.local_ptr(j)
                word = self.load_word(self.word_at("%a1", str(j)))
                w(f"store {ll} {self.from_word(k, word)}, {ll}* {p}{_MEM[k]}")
            cases = " ".join(f"i64 {h}, label %b{h}" for h in headers)
            w(f"switch i64 %a0, label %b{headers[0]} [ {cases} ]")
        else:
            for j, k in enumerate(self.local_kinds):
                ll, p = self.local_ptr(j)
                init = f"%a{j}" if j < fn.nargs else ("0.0" if k == "F" else "0")
                w(f"store {ll} {init}, {ll}* {p}{_MEM[k]}")
            w(f"br label %b{self.facts.shape.pcs[0]}")
        back = self.handback_text()
        geps = [f"  %e{slot} = getelementptr i64, i64* %env, i64 {slot}" for slot in sorted(self.env_slots)]
        head[2:2] = geps
        pop = [f"  %sp.at = getelementptr i64, i64* %env, i64 {SHADOW_SP}",
               "  store i64 %fp, i64* %sp.at"] if self.shadow_words else []
        tail = [*back, "stopped:", f"  %stop.at = getelementptr i64, i64* %env, i64 {STATUS}",
                f"  store i64 {STOPPED}, i64* %stop.at", "  br label %leave",
                "leave:", *pop]
        lines, self.lines = self.lines, tail
        self.emit(f"ret {self.body_ll} {self.result(self.zero)}")
        self.lines = lines
        tail.append("}")
        main = "\n".join([*head, *body, *tail])
        copies = []
        if _SELF in main and len(main) <= UNROLL_IR:
            # Recursion unrolled once: its calls go to a copy of it that
            # LLVM inlines (and whose own calls come back here), so every
            # other level of the recursion is a call no more — each level
            # still checks and counts as a call and describes its own frame.
            first, rest = main.split("\n", 1)
            first = first.replace(f"@{BODY}(", "@hl_r(", 1)
            copies.append(first.replace(") #0 {", ") #1 {") + "\n" + rest.replace(_SELF, f"@{BODY}"))
            main = main.replace(_SELF, "@hl_r")
        main = main.replace(_SELF, f"@{BODY}")
        # Its definition with what it calls of its own: what a caller inlines.
        self.function_text = "\n".join([main, *self.outlines.values()])
        return "\n".join([self.function_text, self.entry_text(params, ret_ll), *copies, *self.inlined.values(), "",
                          "declare i64 @llvm.fptosi.sat.i64.f64(double)", "declare double @llvm.sqrt.f64(double)", "",
                          '!0 = !{!"branch_weights", i32 1, i32 2000}', '!1 = !{!"branch_weights", i32 2000, i32 1}',
                          *_TBAA_NODES, 'attributes #0 = { "no-builtins" }',
                          'attributes #1 = { "no-builtins" alwaysinline }', 'attributes #2 = { "no-builtins" noinline }',
                          "attributes #3 = { nounwind memory(inaccessiblemem: readwrite) }",
                          ""])

    def entry_text(self, params, ret_ll) -> str:
        """`@hl_f`, the function's entry from outside the module (the
        interpreter, through ctypes, and other compiled functions, through
        the function table): the body with the depth, hand-back words and
        event counter read from the run state, and the counter written
        back."""
        args = "".join(f", {t} %a{i}" for i, t in enumerate(params))
        at = {slot: f"%e{slot}" for slot in (DEPTH, WORDS, BUDGET)}
        return "\n".join([
            f"define {ret_ll} @{SYMBOL}(i64* %env{args}) #0 {{", "entry:",
            *(f"  {p} = getelementptr i64, i64* %env, i64 {slot}" for slot, p in at.items()),
            f"  %d = load i64, i64* {at[DEPTH]}{ENV}", f"  %w = load i64, i64* {at[WORDS]}{ENV}",
            f"  %b = load i64, i64* {at[BUDGET]}{ENV}",
            f"  %r = call {self.body_ll} @{BODY}(i64* %env, i64 %d, i64 %w, i64 %b{args})",
            f"  %b1 = extractvalue {self.body_ll} %r, 1", f"  store i64 %b1, i64* {at[BUDGET]}{ENV}",
            f"  %v = extractvalue {self.body_ll} %r, 0", f"  ret {ret_ll} %v", "}"])

    def ret(self, value: str) -> None:
        if self.shadow_words:
            self.emit(f"store i64 %fp, i64* {self.env(SHADOW_SP)}")
        self.emit(f"ret {self.body_ll} {self.result(value)}")

    def result(self, value: str) -> str:
        """The body's result: `value` and the event counter."""
        v = self.op(f"insertvalue {self.body_ll} undef, {self.ret_ll} {value}, 0")
        return self.op(f"insertvalue {self.body_ll} {v}, i64 {self.load_reg('budget')}, 1")

    # --- typing the stack --------------------------------------------------------------
    def stack_types(self, shape) -> dict:
        """The operand stack's kinds before each instruction reached from the
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
        name = d.name
        if name not in _EMIT:
            raise Refused(f"instruction {name} (not compiled yet)")
        if d.shuffle is not None:
            vals = st[len(st) - len(d.pops):]
            del st[len(st) - len(d.pops):]
            st.extend(vals[i] for i in d.shuffle)
            return
        if d.variadic:
            params, ret = self.call_shape(name, args)
            del st[len(st) - len(params):]
            if ret != "V":
                st.append(kind(ret))
            return
        if d.pops:
            del st[len(st) - len(d.pops):]
        for c in d.pushes:
            st.append(self.v_kind(name, args) if c == "V" else _TABLE_KIND[c])

    def v_kind(self, name: str, args) -> str:
        """The kind of a `V` an instruction pushes (its table's type rule)."""
        if name == "LOAD":
            return self.local_kinds[args[0]]
        if name == "GGET":
            return kind(self.c(name, args)[2])
        if name == "GETFIELD":
            return kind(self.c(name, args)[2])
        if name == "CAST":              # I/F/Z come out of their boxes
            return kind(self.c(name, args))
        return "R"                      # NEW, CHECKCAST, NEWARRAY, RALOAD, XALOAD, ACOPY

    def c(self, name: str, args):
        """The linked constant of an instruction's pool operand."""
        return self.resolve(POOL_KIND[BY_NAME[name].operands[0]], args[0])

    def call_shape(self, name: str, args) -> tuple[list[str], str]:
        """(parameter types, receiver first; result type) of a call instruction."""
        c = self.c(name, args)
        if name == "CALL":
            return list(c.desc.locals[:c.nargs]) if c.native is None else list(c.native.params), c.ret
        if name == "CALLNATIVE":
            return list(c.params), c.ret
        if name == "CLOSURE":           # the bound values, then the function value
            return list(c.desc.params[:args[1]]), "R"
        if name == "CALLFN":            # the function value, then its arguments
            params, ret = M.parse_signature(c)
            return ["R", *params], ret
        return ["R", *c.params], c.ret  # CALLVIRT, CALLSPECIAL, CALLIFACE

    # --- instructions --------------------------------------------------------------------
    def instruction(self, k: int, pc: int, d, args, stack: list, shape) -> bool:
        """Emit one instruction; False when control does not fall through."""
        self.shape, self.k = shape, k
        return _EMIT[d.name](self, pc, d, args, stack) is not False

    def i_nop(self, pc, d, args, stack):
        pass

    def i_iconst(self, pc, d, args, stack):
        self.push(stack, "I", str(self.c(d.name, args)))

    def i_fconst(self, pc, d, args, stack):
        self.push(stack, "F", _float(self.c(d.name, args)))

    def i_bconst(self, pc, d, args, stack):
        self.push(stack, "Z", "1" if args[0] else "0")

    def i_sconst(self, pc, d, args, stack):
        self.push(stack, "R", str(self.c(d.name, args)))     # interned: permanent, never moves

    def i_null(self, pc, d, args, stack):
        self.push(stack, "R", "0")

    def i_load(self, pc, d, args, stack):
        ll, p = self.local_ptr(args[0])
        k = self.local_kinds[args[0]]
        self.push(stack, k, self.op(f"load {ll}, {ll}* {p}{_MEM[k]}"))

    def i_store(self, pc, d, args, stack):
        v = self.pop(stack)
        ll, p = self.local_ptr(args[0])
        self.emit(f"store {ll} {v}, {ll}* {p}{_MEM[self.local_kinds[args[0]]]}")

    def i_pop(self, pc, d, args, stack):
        stack.pop()

    def i_shuffle(self, pc, d, args, stack):
        n = len(d.pops)
        kinds = stack[len(stack) - n:]
        vals = self.pops(stack, n)
        for i in d.shuffle:
            self.push(stack, kinds[i], vals[i])

    def i_int(self, pc, d, args, stack):
        a, b = self.pops(stack, 2)
        name = d.name
        if name in _INT_BINARY:
            v = self.op(f"{_INT_BINARY[name]} i64 {a}, {b}")
        else:
            m = self.op(f"and i64 {b}, 63")
            v = self.op(f"{'shl' if name == 'ISHL' else 'ashr'} i64 {a}, {m}")
        self.push(stack, "I", v)

    def i_divide(self, pc, d, args, stack):
        self.check(self.op(f"icmp eq i64 {self.peek(stack, 0)}, 0"), pc, stack)   # ArithmeticError
        a, b = self.pops(stack, 2)
        m1 = self.op(f"icmp eq i64 {b}, -1")
        mn = self.op(f"icmp eq i64 {a}, {INT_MIN}")
        ovf = self.op(f"and i1 {m1}, {mn}")
        safe = self.op(f"select i1 {ovf}, i64 1, i64 {b}")
        if d.name == "IDIV":                  # MIN / -1 wraps to MIN
            v = self.op(f"select i1 {ovf}, i64 {INT_MIN}, i64 {self.op(f'sdiv i64 {a}, {safe}')}")
        else:                                 # MIN % -1 is 0
            v = self.op(f"select i1 {ovf}, i64 0, i64 {self.op(f'srem i64 {a}, {safe}')}")
        self.push(stack, "I", v)

    def i_ineg(self, pc, d, args, stack):
        self.push(stack, "I", self.op(f"sub i64 0, {self.pop(stack)}"))

    def i_inot(self, pc, d, args, stack):
        self.push(stack, "I", self.op(f"xor i64 {self.pop(stack)}, -1"))

    def i_float(self, pc, d, args, stack):
        a, b = self.pops(stack, 2)
        self.push(stack, "F", self.op(f"{_FLOAT_BINARY[d.name]} double {a}, {b}"))

    def i_fneg(self, pc, d, args, stack):
        self.push(stack, "F", self.op(f"fneg double {self.pop(stack)}"))

    def i_compare(self, pc, d, args, stack):
        a, b = self.pops(stack, 2)
        ty = "double" if _COMPARE[d.name].startswith("f") else "i64"
        c = self.op(f"{_COMPARE[d.name]} {ty} {a}, {b}")
        self.push(stack, "Z", self.op(f"zext i1 {c} to i64"))

    def i_not(self, pc, d, args, stack):
        self.push(stack, "Z", self.op(f"xor i64 {self.pop(stack)}, 1"))

    def i_i2f(self, pc, d, args, stack):
        self.push(stack, "F", self.op(f"sitofp i64 {self.pop(stack)} to double"))

    def i_f2i(self, pc, d, args, stack):
        self.push(stack, "I", self.op(f"call i64 @llvm.fptosi.sat.i64.f64(double {self.pop(stack)})"))

    def i_jmp(self, pc, d, args, stack):
        if args[0] <= pc:
            self.count_event(args[0], stack, True)
        self.emit(f"br label %b{args[0]}")
        return False

    def i_branch(self, pc, d, args, stack):
        c = self.pop(stack)
        cond = self.op(f"icmp {'ne' if d.name == 'JT' else 'eq'} i64 {c}, 0")
        target, nxt = args[0], self.shape.pcs[self.k + 1]
        if target <= pc:                      # a back-edge: counted when taken
            self.emit(f"br i1 {cond}, label %edge{pc}, label %b{nxt}")
            self.label(f"edge{pc}")
            self.count_event(target, stack, True)
            self.emit(f"br label %b{target}")
        else:
            self.emit(f"br i1 {cond}, label %b{target}, label %b{nxt}")
        return False

    def i_ret(self, pc, d, args, stack):
        self.ret("0")
        return False

    def i_retv(self, pc, d, args, stack):
        self.ret(self.pop(stack))
        return False

    def i_throw(self, pc, d, args, stack):
        self.hand_back(pc, False, stack)      # the interpreter throws it, with its trace
        return False

    # --- globals, fields, arrays -------------------------------------------------------------
    def global_ptr(self, g) -> tuple[str, str]:
        module, slot, t = g
        if not module.globals_ref:
            raise Refused("a global of a module whose globals are not laid out")
        p = self.heap_word(str(module.globals_ref + field_offset(slot)))
        if kind(t) == "F":
            return "double", self.op(f"bitcast i64* {p} to double*")
        return "i64", p

    def i_gget(self, pc, d, args, stack):
        g = self.c(d.name, args)
        ll, p = self.global_ptr(g)
        self.push(stack, kind(g[2]), self.op(f"load {ll}, {ll}* {p}"))

    def i_gset(self, pc, d, args, stack):
        g = self.c(d.name, args)
        v = self.pop(stack)
        ll, p = self.global_ptr(g)
        self.emit(f"store {ll} {v}, {ll}* {p}")

    def null_check(self, ref: str, pc: int, stack: list) -> None:
        self.check(self.op(f"icmp eq i64 {ref}, 0"), pc, stack)

    def field_ptr(self, ref: str, f) -> tuple[str, str, str]:
        _cls, slot, t, _name = f
        p = self.heap_word(self.op(f"add i64 {ref}, {field_offset(slot)}"))
        k = kind(t)
        if k == "F":
            return k, "double", self.op(f"bitcast i64* {p} to double*")
        return k, "i64", p

    def i_getfield(self, pc, d, args, stack):
        self.null_check(self.peek(stack, 0), pc, stack)
        f = self.c(d.name, args)
        k, ll, p = self.field_ptr(self.pop(stack), f)
        v = self.op(f"load {ll}, {ll}* {p}{HEAP_MEM}")
        if k == "Z":                          # a bool field is a word: anything nonzero is true
            v = self.op(f"zext i1 {self.op(f'icmp ne i64 {v}, 0')} to i64")
        self.push(stack, k, v)

    def i_putfield(self, pc, d, args, stack):
        self.null_check(self.peek(stack, 1), pc, stack)
        f = self.c(d.name, args)
        r, v = self.pops(stack, 2)
        _k, ll, p = self.field_ptr(r, f)
        self.emit(f"store {ll} {v}, {ll}* {p}{HEAP_MEM}")

    def i_alen(self, pc, d, args, stack):
        a = self.peek(stack, 0)
        self.null_check(a, pc, stack)
        self.pop(stack)
        self.push(stack, "I", self.load_header(self.heap_word(self.op(f"add i64 {a}, {LENGTH_WORD}"))))

    def bounds(self, a: str, i: str, pc: int, stack: list) -> None:
        """Hand back unless 0 <= i < length (a null array's length word is 0)."""
        n = self.load_header(self.heap_word(self.op(f"add i64 {a}, {LENGTH_WORD}")))
        self.check(self.op(f"icmp uge i64 {i}, {n}"), pc, stack)

    def element_ptr(self, name: str, a: str, i: str) -> tuple[str, str]:
        base = self.op(f"add i64 {a}, {HEADER_WORDS}")
        if name[0] == "Z":                    # bool arrays: one byte per element
            byte = self.op(f"add i64 {self.op(f'shl i64 {base}, 3')}, {i}")
            return "i8", self.op(f"getelementptr i8, i8* %heapb, i64 {byte}")
        p = self.heap_word(self.op(f"add i64 {base}, {i}"))
        if name[0] == "F":
            return "double", self.op(f"bitcast i64* {p} to double*")
        return "i64", p

    def i_aload(self, pc, d, args, stack):
        a, i = self.peek(stack, 1), self.peek(stack, 0)
        self.bounds(a, i, pc, stack)
        self.pops(stack, 2)
        ll, p = self.element_ptr(d.name, a, i)
        v = self.op(f"load {ll}, {ll}* {p}{HEAP_MEM}")
        if ll == "i8":
            v = self.op(f"zext i8 {v} to i64")
        self.push(stack, _TABLE_KIND.get(d.name[0], "R"), v)

    def i_astore(self, pc, d, args, stack):
        a, i = self.peek(stack, 2), self.peek(stack, 1)
        self.bounds(a, i, pc, stack)
        _a, _i, v = self.pops(stack, 3)
        ll, p = self.element_ptr(d.name, a, i)
        if ll == "i8":
            v = self.op(f"trunc i64 {v} to i8")
        self.emit(f"store {ll} {v}, {ll}* {p}{HEAP_MEM}")

    # --- allocation and helpers -----------------------------------------------------------------
    def i_new(self, pc, d, args, stack):
        """Bump allocation in the compiled code's window of the heap (the
        VM's allocation buffer, helpers.py), else the helper, which
        allocates as the interpreter does and refills the window."""
        cls = self.c(d.name, args)
        size = instance_words(cls.nfields)
        e = self.emit
        if size >= LARGE_WORDS:               # pages of its own: the heap's slow path
            return self.push(stack, "R", self.helper(H.NEW, [str(cls.id)], pc, stack))
        k = self.label_id()
        top = self.load_env(TLAB_TOP)
        new = self.op(f"add i64 {top}, {size}")
        fits = self.op(f"icmp sle i64 {new}, {self.load_env(TLAB_END)}")
        e(f"br i1 {fits}, label %bump{k}, label %slow{k}")
        self.label(f"bump{k}")
        e(f"store i64 {cls.id}, i64* {self.heap_word(top)}{HEADER}")
        e(f"store i64 {cls.nfields}, i64* {self.heap_word(self.op(f'add i64 {top}, {LENGTH_WORD}'))}{HEADER}")
        self.store_env(TLAB_TOP, new)
        e(f"br label %made{k}")
        self.label(f"slow{k}")
        slow = self.helper(H.NEW, [str(cls.id)], pc, stack)
        slow_block = self.current_block()
        e(f"br label %made{k}")
        self.label(f"made{k}")
        self.push(stack, "R", self.op(f"phi i64 [{top}, %bump{k}], [{slow}, %{slow_block}]"))

    def i_newarray(self, pc, d, args, stack):
        n = self.peek(stack, 0)
        self.check(self.op(f"icmp slt i64 {n}, 0"), pc, stack)     # ValueError
        tid = self.c(d.name, args).array_tid     # (a linked type constant: runtime.TypeRef)
        r = self.helper(H.NEWARRAY, [str(tid), n], pc, stack)
        self.pop(stack)
        self.push(stack, "R", r)

    def i_helped(self, pc, d, args, stack):
        n = len(d.pops)
        kinds = stack[len(stack) - n:]
        vals = [self.as_word(kinds[j], self.peek(stack, n - 1 - j)) for j in range(n)]
        fast = _FAST_HELPED.get(d.name)
        if fast is not None:
            r = self.with_fallback(fast, vals, lambda: self.helper(_HELPED[d.name], vals, pc, stack))
        else:
            r = self.helper(_HELPED[d.name], vals, pc, stack)
        self.pops(stack, n)
        k = _TABLE_KIND[d.pushes] if d.pushes != "V" else "R"
        self.push(stack, k, r)

    def i_slen(self, pc, d, args, stack):
        s = self.peek(stack, 0)
        self.null_check(s, pc, stack)
        self.pop(stack)
        self.push(stack, "I", self.load_header(self.heap_word(self.op(f"add i64 {s}, {LENGTH_WORD}"))))

    # --- classes --------------------------------------------------------------------------------
    def record_of(self, ref: str) -> str:
        """Word offset of the class record of the object at `ref` (0: not an instance)."""
        tid = self.op(f"and i64 {self.load_header(self.heap_word(ref))}, {TYPE_MASK}")
        return self.load_word(self.word_at(self.load_env(CLASS_AT), tid))

    def is_instance(self, ref: str, cls) -> str:
        """An i1: `ref` is non-null and an instance of `cls` (or a subclass)."""
        k = self.label_id()
        entry_block = f"isa{k}"
        self.emit(f"br label %{entry_block}")
        self.label(entry_block)
        nonnull = self.op(f"icmp ne i64 {ref}, 0")
        self.emit(f"br i1 {nonnull}, label %isrec{k}, label %isdone{k}")
        self.label(f"isrec{k}")
        at = self.record_of(ref)
        classes = self.load_env(CLASSES)
        depth = self.load_word(self.word_at(classes, self.op(f"add i64 {at}, {REC_DEPTH}")))
        deep = self.op(f"icmp sge i64 {depth}, {cls.depth}")
        hasrec = self.op(f"icmp ne i64 {at}, 0")
        ok = self.op(f"and i1 {deep}, {hasrec}")
        self.emit(f"br i1 {ok}, label %isanc{k}, label %isdone{k}")
        self.label(f"isanc{k}")
        anc = self.load_word(self.word_at(classes, self.op(f"add i64 {at}, {REC_ANCESTORS + cls.depth}")))
        same = self.op(f"icmp eq i64 {anc}, {cls.id}")
        self.emit(f"br label %isdone{k}")
        self.label(f"isdone{k}")
        return self.op(f"phi i1 [false, %{entry_block}], [false, %isrec{k}], [{same}, %isanc{k}]")

    def vtable_fid(self, at: str, slot: str) -> str:
        """The fid in vtable slot `slot` of the class record at `at`: the
        vtable follows the ancestors (depth + 1 words) and the field map
        (one word per field)."""
        classes = self.load_env(CLASSES)
        nf = self.load_word(self.word_at(classes, self.op(f"add i64 {at}, {REC_NFIELDS}")))
        depth = self.load_word(self.word_at(classes, self.op(f"add i64 {at}, {REC_DEPTH}")))
        off = self.op(f"add i64 {at}, {self.op(f'add i64 {depth}, {nf}')}")
        off = self.op(f"add i64 {off}, {slot}")
        return self.load_word(self.word_at(classes, self.op(f"add i64 {off}, {REC_ANCESTORS + 1}")))

    # --- calls ----------------------------------------------------------------------------------
    def i_call(self, pc, d, args, stack):
        f = self.c(d.name, args)
        if f.native is not None:
            return self.native(pc, f.native, stack)
        self.callees.add(f.fid)
        self.compiled_call(pc, str(f.fid), f.desc.locals[:f.nargs], f.ret, stack)

    def i_callnative(self, pc, d, args, stack):
        return self.native(pc, self.c(d.name, args), stack)

    def i_callspecial(self, pc, d, args, stack):
        m = self.c(d.name, args)
        f = m.special
        self.callees.add(f.fid)
        self.compiled_call(pc, str(f.fid), f.desc.locals[:f.nargs], f.ret, stack)

    def current_block(self) -> str:
        for line in reversed(self.lines):
            if line.endswith(":") and not line.startswith(" "):
                return line[:-1]
        return "entry"

    def compiled_call(self, pc: int, fid: str, param_types, ret: str, stack: list, keep: bool = False,
                      lead=None, drop: int | None = None, adapter: str | None = None):
        """Call function `fid` (a constant or a value): natively when it is
        compiled and the stacks have room, else handed back before the call
        (the interpreter makes it; checks first, so its event is counted
        once).  Pushes the result, or with `keep` leaves the stack as it is
        and returns the result.

        A function value's call (CALLFN, dispatch.py) passes its callee's
        leading arguments, the values the function value binds, as `lead()`
        (made after the checks, which may collect), the rest from the top of
        the stack; `drop` entries of the stack are the call's (the function
        value and the arguments).  Or it calls the function value's
        `adapter` (an address value, 0 when there is none yet), which takes
        the function value and the arguments in a buffer."""
        e = self.emit
        self.calls = True
        params = [_LL[kind(t)] for t in param_types]
        ret_ll = "i64" if ret == "V" else _LL[kind(ret)]
        leaf = self.inline_of(int(fid)) if self.inline_of is not None and fid.isdigit() else None
        if leaf is not None:
            # A small leaf: its own code (so its hand-backs and natives are
            # its own) in this module, called directly, which LLVM inlines;
            # what the checks need of it is known now.
            if int(fid) not in self.inlined:
                head, rest = leaf.function.split("\n", 1)
                head = head.replace(f"@{BODY}(", f"@hl_i{fid}(", 1)
                self.inlined[int(fid)] = head.replace(") #0 {", ") #1 {") + "\n" + rest
            addr = f"@hl_i{fid}"
            none = "false"
            cap, need_back, need_shadow = str(self.cap_of(int(fid))), str(leaf.record_words), str(leaf.shadow_words)
        elif adapter is not None:
            addr = adapter
            none = self.op(f"icmp eq i64 {addr}, 0")
            meta = self.op(f"mul i64 {fid}, {META_WORDS}")
            fmeta = self.load_env(FMETA)
            cap = self.load_word(self.word_at(fmeta, self.op(f"add i64 {meta}, {META_CAP}")))
            need_back = self.load_word(self.word_at(fmeta, self.op(f"add i64 {meta}, {META_RECORD}")))
            need_shadow = self.load_word(self.word_at(fmeta, self.op(f"add i64 {meta}, {META_SHADOW}")))
        elif fid == str(self.fn.fid) and not self.osr:
            # Recursion: itself, called directly; its record's size is
            # known once the hand-back block is written (`text`).
            addr, none = _SELF, "false"
            cap, need_back, need_shadow = str(self.cap_of(self.fn.fid)), _OWN_RECORD, str(self.shadow_words)
        else:
            # Not compiled yet: compile it now (the VM's compiler runs no HL
            # code), so that a hot caller does not leave native code for it.
            addr = self.word_or_made(self.word_at(self.load_env(FUNCS), fid), H.COMPILE, [fid], pc, stack)
            none = self.op(f"icmp eq i64 {addr}, 0")
            meta = self.op(f"mul i64 {fid}, {META_WORDS}")
            fmeta = self.load_env(FMETA)
            cap = self.load_word(self.word_at(fmeta, self.op(f"add i64 {meta}, {META_CAP}")))
            need_back = self.load_word(self.word_at(fmeta, self.op(f"add i64 {meta}, {META_RECORD}")))
            need_shadow = self.load_word(self.word_at(fmeta, self.op(f"add i64 {meta}, {META_SHADOW}")))
        depth = self.load_reg("depth")
        deep = self.op(f"icmp sge i64 {self.op(f'add i64 {self.load_env(BASE)}, {depth}')}, {cap}")
        native = self.op(f"icmp sge i64 {depth}, {NATIVE_DEPTH}")
        words = self.load_reg("words")
        need = self.op(f"add i64 {words}, {need_back}")
        full = self.op(f"icmp sgt i64 {need}, {BACK_WORDS}")
        c = self.op(f"or i1 {self.op(f'or i1 {none}, {deep}')}, {self.op(f'or i1 {native}, {full}')}")
        if need_shadow != "0":                 # a callee without a shadow frame needs no room
            sp = self.load_env(SHADOW_SP)
            shadow_full = self.op(f"icmp sgt i64 {self.op(f'add i64 {sp}, {need_shadow}')}, {SHADOW_WORDS}")
            c = self.op(f"or i1 {c}, {shadow_full}")
        back = self.check(c, pc, stack)
        self.count_event(pc, stack, False, back)
        n = len(params)
        first = lead() if lead is not None else []
        m = n - len(first)                  # arguments on the stack
        vals = first + ([self.peek(stack, m - 1 - j) for j in range(m)] if keep else self.pops(stack, m))
        argv = "".join(f", {t} {v}" for t, v in zip(params, vals))
        deeper = self.op(f"add i64 {depth}, 1")
        if adapter is not None:             # the function value, the arguments in a buffer
            self.fnargs = max(self.fnargs, n, 1)
            buf = "%fnargs"
            for j, (t, v) in enumerate(zip(param_types, vals)):
                self.emit(f"store i64 {self.as_word(kind(t), v)}, i64* {self.op(f'getelementptr i64, i64* {buf}, i64 {j}')}")
            fp = self.op(f"inttoptr i64 {addr} to i64 (i64*, i64, i64*)*")
            self.store_env(DEPTH, deeper)
            self.store_env(WORDS, need)
            self.store_env(BUDGET, self.load_reg("budget"))
            w = self.op(f"call i64 {fp}(i64* %env, i64 {self.peek(stack, drop - 1)}, i64* {buf})")
            self.store_reg("budget", self.load_env(BUDGET))
            r = self.from_word(kind(ret), w) if ret != "V" else w
        elif addr[0] == "@":                  # a body in this module (also _SELF): registers
            both = self.op(f"call {{{ret_ll}, i64}} {addr}(i64* %env, i64 {deeper}, i64 {need}, "
                           f"i64 {self.load_reg('budget')}{argv})")
            self.store_reg("budget", self.op(f"extractvalue {{{ret_ll}, i64}} {both}, 1"))
            r = self.op(f"extractvalue {{{ret_ll}, i64}} {both}, 0")
        else:                               # another function's entry: the run state
            fp = self.op(f"inttoptr i64 {addr} to {ret_ll} (i64*{''.join(', ' + t for t in params)})*")
            self.store_env(DEPTH, deeper)
            self.store_env(WORDS, need)
            self.store_env(BUDGET, self.load_reg("budget"))
            r = self.op(f"call {ret_ll} {fp}(i64* %env{argv})")
            self.store_reg("budget", self.load_env(BUDGET))
        status = self.load_env(STATUS)
        k = self.label_id()
        e(f"br i1 {self.op(f'icmp ne i64 {status}, 0')}, label %left{k}, label %on{k}, !prof !0")
        self.label(f"left{k}")
        e(f"br i1 {self.op(f'icmp eq i64 {status}, {STOPPED}')}, label %stopped, label %after{k}")
        self.label(f"after{k}")
        self.hand_back(pc, True, stack if not keep else stack[:len(stack) - (n if drop is None else drop)])
        self.label(f"on{k}")
        if keep:
            return r
        if ret != "V":
            self.push(stack, kind(ret), r)

    def native(self, pc: int, binding, stack: list):
        """A native: an instruction where one does what it does, a fast path
        in IR with the call behind it, or the call — its arguments in the
        ARGS buffer, one helper call."""
        n = len(binding.params)
        inline = _INTRINSICS.get(binding.name)
        if inline is not None and binding.origin == inline[0]:
            vals = self.pops(stack, n)
            self.push(stack, kind(binding.ret), inline[1](self, *vals))
            return
        fast = _FAST_NATIVES.get(binding.name)
        if fast is not None and binding.origin == fast[0]:
            vals = [self.peek(stack, n - 1 - j) for j in range(n)]
            r = self.with_fallback(fast[1], vals, lambda: self.native_word(pc, binding, stack))
        else:
            r = self.native_word(pc, binding, stack)
        self.pops(stack, n)
        if binding.ret != "V":
            self.push(stack, kind(binding.ret), self.from_word(kind(binding.ret), r))

    def native_word(self, pc: int, binding, stack: list) -> str:
        """Call a native through the helper (its arguments are the top of
        `stack`, left there); its result word."""
        n = len(binding.params)
        kinds = stack[len(stack) - n:]
        args = self.load_env(ARGS)
        for j in range(n):
            w = self.as_word(kinds[j], self.peek(stack, n - 1 - j))
            self.emit(f"store i64 {w}, i64* {self.word_at(args, str(j))}")
        self.natives.append(binding)
        code = self.base + len(self.natives) - 1
        return self.helper(H.NATIVE, [str(self.fn.fid), str(code), str(n)], pc, stack)

    # --- string built-ins in IR (compact strings; anything else takes the slow path) ------------
    def with_fallback(self, fast, vals: list, slow) -> str:
        """The fast path `fast` (a `fast_*` emitter) on the words `vals`,
        else the general path `slow()`; the joined value.  The fast path is
        a function of its own in the module, written once whatever the
        number of sites (it is long; a call of it costs a few
        nanoseconds): `{i64, i1} @hl_fast_<name>_<fid>(env, a, b, c)`, the
        flag false where it could not go on."""
        name = f"@hl_{fast.__name__}_{self.fn.fid}{'o' if self.osr else ''}"
        if name not in self.outlines:
            self.outlines[name] = self.outline(name, fast, len(vals))
        words = [*vals, "0", "0", "0"][:3]
        r = self.op(f"call {{i64, i1}} {name}(i64* %env, {', '.join(f'i64 {w}' for w in words)})")
        ok = self.op(f"extractvalue {{i64, i1}} {r}, 1")
        v = self.op(f"extractvalue {{i64, i1}} {r}, 0")
        k = self.label_id()
        here = self.current_block()
        self.emit(f"br i1 {ok}, label %jn{k}, label %sl{k}, !prof !1")
        self.label(f"sl{k}")
        sv = slow()
        slow_block = self.current_block()
        self.emit(f"br label %jn{k}")
        self.label(f"jn{k}")
        return self.op(f"phi i64 [{v}, %{here}], [{sv}, %{slow_block}]")

    def outline(self, name: str, fast, nargs: int) -> str:
        """The definition of fast path `fast` as function `name`."""
        saved = self.lines, self.env_slots, self.digits_buffer
        self.lines, self.env_slots, self.digits_buffer = [], set(), False
        try:
            heap = self.load_env(HEAP)
            self.emit(f"%heap = inttoptr i64 {heap} to i64*")
            self.emit("%heapb = bitcast i64* %heap to i8*")
            results = fast(self, [f"%a{j}" for j in range(nargs)], "slow", "join")
            self.label("slow")
            self.emit("ret {i64, i1} {i64 0, i1 false}")
            self.label("join")
            v = self.op("phi i64 " + ", ".join(f"[{v}, %{b}]" for v, b in results))
            self.emit(f"ret {{i64, i1}} {self.op(f'insertvalue {{i64, i1}} {{i64 0, i1 true}}, i64 {v}, 0')}")
            head = [f"define internal {{i64, i1}} {name}(i64* %env, i64 %a0, i64 %a1, i64 %a2) #2 {{", "entry:",
                    *(f"  %e{slot} = getelementptr i64, i64* %env, i64 {slot}" for slot in sorted(self.env_slots))]
            if self.digits_buffer:
                head.append("  %digits = alloca [24 x i8]")
            return "\n".join([*head, *self.lines, "}"])
        finally:
            self.lines, self.env_slots, self.digits_buffer = saved

    def done_if(self, cond: str, value: str, join: str, out: list) -> None:
        """Where `cond` (an i1) holds, the fast path's result is `value`
        (added to `out`); it goes on where it does not."""
        k = self.label_id()
        self.emit(f"br i1 {cond}, label %dy{k}, label %dn{k}")
        self.label(f"dy{k}")
        out.append(self.done(value, join))
        self.label(f"dn{k}")

    def done(self, value: str, join: str) -> tuple[str, str]:
        block = self.current_block()
        self.emit(f"br label %{join}")
        return value, block

    def length_of(self, s: str) -> str:
        return self.load_header(self.heap_word(self.op(f"add i64 {s}, {LENGTH_WORD}")))

    def is_compact(self, s: str) -> str:
        tid = self.op(f"and i64 {self.load_header(self.heap_word(s))}, {TYPE_MASK}")
        return self.op(f"icmp eq i64 {tid}, {T_STR8}")

    def bytes_of(self, s: str) -> str:
        """Pointer to the first code point of compact string `s`."""
        first = self.op(f"add i64 {s}, {HEADER_WORDS}")
        return self.op(f"getelementptr i8, i8* %heapb, i64 {self.op(f'shl i64 {first}, 3')}")

    def new_compact(self, n: str, slow: str) -> str:
        """A compact string of `n` code points bumped in the allocation
        window (its bytes zero), or a branch to `slow` when it has no room."""
        padded = self.op(f"add i64 {n}, 7")
        words = self.op(f"add i64 {self.op(f'lshr i64 {padded}, 3')}, {HEADER_WORDS}")
        top = self.load_env(TLAB_TOP)
        new = self.op(f"add i64 {top}, {words}")
        k = self.label_id()
        self.emit(f"br i1 {self.op(f'icmp sle i64 {new}, {self.load_env(TLAB_END)}')}, label %room{k}, label %{slow}")
        self.label(f"room{k}")
        self.emit(f"store i64 {T_STR8}, i64* {self.heap_word(top)}{HEADER}")
        self.emit(f"store i64 {n}, i64* {self.heap_word(self.op(f'add i64 {top}, {LENGTH_WORD}'))}{HEADER}")
        self.store_env(TLAB_TOP, new)
        return top

    def copy_bytes(self, dst: str, src: str, n: str) -> None:
        """Copy `n` bytes between two i8 pointers (a loop: the code calls no C library)."""
        k = self.label_id()
        before = self.current_block()
        self.emit(f"br label %cph{k}")
        self.label(f"cph{k}")
        i = self.tmp()
        nxt = self.tmp()
        self.emit(f"{i} = phi i64 [0, %{before}], [{nxt}, %cpb{k}]")
        self.emit(f"br i1 {self.op(f'icmp slt i64 {i}, {n}')}, label %cpb{k}, label %cpe{k}")
        self.label(f"cpb{k}")
        v = self.op(f"load i8, i8* {self.op(f'getelementptr i8, i8* {src}, i64 {i}')}")
        self.emit(f"store i8 {v}, i8* {self.op(f'getelementptr i8, i8* {dst}, i64 {i}')}")
        self.emit(f"{nxt} = add i64 {i}, 1")
        self.emit(f"br label %cph{k}")
        self.label(f"cpe{k}")

    def fast_concat(self, vals, slow, join):
        """`+` of strings: null reads "null"; an empty side gives the other
        (as the interpreter's op); two compact strings are copied."""
        x, y = (self.op(f"select i1 {self.op(f'icmp eq i64 {v}, 0')}, i64 {self.nullstr}, i64 {v}")
                for v in vals)
        n1, n2 = self.length_of(x), self.length_of(y)
        out = []
        k = self.label_id()
        self.done_if(self.op(f"icmp eq i64 {n1}, 0"), y, join, out)
        self.done_if(self.op(f"icmp eq i64 {n2}, 0"), x, join, out)
        both = self.op(f"and i1 {self.is_compact(x)}, {self.is_compact(y)}")
        self.emit(f"br i1 {both}, label %c3{k}, label %{slow}")
        self.label(f"c3{k}")
        n = self.op(f"add i64 {n1}, {n2}")
        r = self.new_compact(n, slow)
        dst = self.bytes_of(r)
        self.copy_bytes(dst, self.bytes_of(x), n1)
        self.copy_bytes(self.op(f"getelementptr i8, i8* {dst}, i64 {n1}"), self.bytes_of(y), n2)
        out.append(self.done(r, join))
        return out

    def i_string_compare(self, pc, d, args, stack):
        """SEQ SNE SLT SLE SGT SGE: in IR over the code points (`fast_seq`,
        `fast_scmp`); only an ordering with a null side — NullError — takes
        the helper, which hands the frame back."""
        a, b = self.peek(stack, 1), self.peek(stack, 0)
        code = _STRING_COMPARE[d.name]
        if code < 2:                    # equality never fails: no general path
            r = self.outlined(ValueCode.fast_seq, [a, b, str(code)])
        else:
            r = self.with_fallback(ValueCode.fast_scmp, [a, b, str(code)],
                                   lambda: self.helper(_HELPED[d.name], [a, b], pc, stack))
        self.pops(stack, 2)
        self.push(stack, "Z", r)

    def fast_itos(self, vals, slow, join):
        """Decimal digits of an int (INT_MIN's magnitude, 2^63, as unsigned)."""
        v, = vals
        self.digits_buffer = True
        neg = self.op(f"icmp slt i64 {v}, 0")
        mag0 = self.op(f"select i1 {neg}, i64 {self.op(f'sub i64 0, {v}')}, i64 {v}")
        k = self.label_id()
        before = self.current_block()
        self.emit(f"br label %dg{k}")
        self.label(f"dg{k}")
        mag, pos = self.tmp(), self.tmp()
        mag1, pos1 = self.tmp(), self.tmp()
        self.emit(f"{mag} = phi i64 [{mag0}, %{before}], [{mag1}, %dg{k}]")
        self.emit(f"{pos} = phi i64 [24, %{before}], [{pos1}, %dg{k}]")
        self.emit(f"{pos1} = sub i64 {pos}, 1")
        low = self.op(f"urem i64 {mag}, 10")
        digit = self.op(f"trunc i64 {self.op(f'add i64 {low}, 48')} to i8")
        self.emit(f"store i8 {digit}, i8* {self.op(f'getelementptr [24 x i8], [24 x i8]* %digits, i64 0, i64 {pos1}')}")
        self.emit(f"{mag1} = udiv i64 {mag}, 10")
        self.emit(f"br i1 {self.op(f'icmp ne i64 {mag1}, 0')}, label %dg{k}, label %ds{k}")
        self.label(f"ds{k}")
        sign_at = self.op(f"sub i64 {pos1}, 1")      # a '-' before the digits, kept only when negative
        self.emit(f"store i8 45, i8* {self.op(f'getelementptr [24 x i8], [24 x i8]* %digits, i64 0, i64 {sign_at}')}")
        start = self.op(f"select i1 {neg}, i64 {sign_at}, i64 {pos1}")
        n = self.op(f"sub i64 24, {start}")
        r = self.new_compact(n, slow)
        self.copy_bytes(self.bytes_of(r),
                        self.op(f"getelementptr [24 x i8], [24 x i8]* %digits, i64 0, i64 {start}"), n)
        return [self.done(r, join)]

    def fast_substring(self, vals, slow, join):
        """`s.substring(a, b)`, the indices clamped as the native clamps
        them: the string itself when that is all of it; of a compact string,
        the interned string of one code point or a new block (the native's
        other cases — empty, wide — `slow`)."""
        s, a, b = vals
        self.emit(f"br i1 {self.op(f'icmp eq i64 {s}, 0')}, label %{slow}, label %{self.next_label('sb')}")
        self.label(self.last_label)
        n = self.length_of(s)

        def clamp(v):
            low = self.op(f"select i1 {self.op(f'icmp slt i64 {v}, 0')}, i64 0, i64 {v}")
            return self.op(f"select i1 {self.op(f'icmp sgt i64 {low}, {n}')}, i64 {n}, i64 {low}")
        a, b = clamp(a), clamp(b)
        k = self.op(f"sub i64 {b}, {a}")
        out = []
        j = self.label_id()
        self.done_if(self.op(f"icmp eq i64 {k}, {n}"), s, join, out)      # all of it: itself (immutable)
        ok = self.op(f"and i1 {self.op(f'icmp sge i64 {k}, 1')}, {self.is_compact(s)}")
        self.emit(f"br i1 {ok}, label %sc{j}, label %{slow}")
        self.label(f"sc{j}")
        src = self.op(f"getelementptr i8, i8* {self.bytes_of(s)}, i64 {a}")
        self.emit(f"br i1 {self.op(f'icmp eq i64 {k}, 1')}, label %s1{j}, label %sn{j}")
        # One code point: the interned string of it, as the native returns.
        self.label(f"s1{j}")
        c = self.op(f"zext i8 {self.op(f'load i8, i8* {src}')} to i64")
        out.append(self.done(self.load_word(self.word_at(self.load_env(CHARS), c)), join))
        self.label(f"sn{j}")
        r = self.new_compact(k, slow)
        self.copy_bytes(self.bytes_of(r), src, k)
        out.append(self.done(r, join))
        return out

    def fast_parse_int(self, vals, slow, join):
        """`parse_int` of a compact string of an optional sign and 1 to 17
        digits, nothing else (the native's other cases: `slow`)."""
        s, = vals
        self.emit(f"br i1 {self.op(f'icmp eq i64 {s}, 0')}, label %{slow}, label %{self.next_label('pi')}")
        self.label(self.last_label)
        n = self.length_of(s)
        fits = self.op(f"and i1 {self.op(f'icmp sge i64 {n}, 1')}, {self.op(f'icmp sle i64 {n}, 18')}")
        self.emit(f"br i1 {self.op(f'and i1 {fits}, {self.is_compact(s)}')}, label %{self.next_label('pi')}, label %{slow}")
        self.label(self.last_label)
        p = self.bytes_of(s)
        c0 = self.op(f"load i8, i8* {p}")
        minus = self.op(f"icmp eq i8 {c0}, 45")
        signed = self.op(f"or i1 {minus}, {self.op(f'icmp eq i8 {c0}, 43')}")
        first = self.op(f"zext i1 {signed} to i64")
        self.emit(f"br i1 {self.op(f'icmp slt i64 {first}, {n}')}, label %{self.next_label('pi')}, label %{slow}")
        self.label(self.last_label)
        k = self.label_id()
        before = self.current_block()
        self.emit(f"br label %pl{k}")
        self.label(f"pl{k}")
        i, acc, i1, acc1 = self.tmp(), self.tmp(), self.tmp(), self.tmp()
        self.emit(f"{i} = phi i64 [{first}, %{before}], [{i1}, %pd{k}]")
        self.emit(f"{acc} = phi i64 [0, %{before}], [{acc1}, %pd{k}]")
        self.emit(f"br i1 {self.op(f'icmp slt i64 {i}, {n}')}, label %pb{k}, label %pe{k}")
        self.label(f"pb{k}")
        c = self.op(f"load i8, i8* {self.op(f'getelementptr i8, i8* {p}, i64 {i}')}")
        dgt = self.op(f"sub i64 {self.op(f'zext i8 {c} to i64')}, 48")
        self.emit(f"br i1 {self.op(f'icmp ult i64 {dgt}, 10')}, label %pd{k}, label %{slow}")
        self.label(f"pd{k}")
        self.emit(f"{acc1} = add i64 {self.op(f'mul i64 {acc}, 10')}, {dgt}")
        self.emit(f"{i1} = add i64 {i}, 1")
        self.emit(f"br label %pl{k}")
        self.label(f"pe{k}")
        r = self.op(f"select i1 {minus}, i64 {self.op(f'sub i64 0, {acc}')}, i64 {acc}")
        return [self.done(r, join)]

    def next_label(self, stem: str) -> str:
        self.last_label = f"{stem}{self.label_id()}"
        return self.last_label


# Natives compiled inline, by name: (where the VM's own function is, which
# the binding must call — a host's native of the same name is called as any
# other — and the instruction, over the arguments).  Each gives exactly what the
# function gives: IEEE square root; NaN is the one float unequal to itself.
_INTRINSICS = {
    "math.sqrt": ("hllvm.natives.numeric.sqrt", lambda w, x: w.op(f"call double @llvm.sqrt.f64(double {x})")),
    "math.is_nan": ("hllvm.natives.numeric.is_nan",
                    lambda w, x: w.op(f"zext i1 {w.op(f'fcmp uno double {x}, 0.0')} to i64")),
}

# Instructions with a fast path in IR before their helper.
_FAST_HELPED = {"CONCAT": _Writer.fast_concat, "ITOS": _Writer.fast_itos}
# The string comparisons' codes for `fast_seq`/`fast_scmp` (values.py).
_STRING_COMPARE = {"SEQ": 0, "SNE": 1, "SLT": 2, "SLE": 3, "SGT": 4, "SGE": 5}
# Natives with a fast path in IR before the call, by name: (where the VM's
# own Python function is, which the binding must call, and the path).
_FAST_NATIVES = {"string.substring": ("hllvm.natives.text.natives.<locals>.substring", _Writer.fast_substring),
                 "lang.parse_int": ("hllvm.natives.core.natives.<locals>.parse_int", _Writer.fast_parse_int)}

# The emitter of each instruction compiled, by name.
_EMIT = {
    "NOP": _Writer.i_nop, "ICONST": _Writer.i_iconst, "FCONST": _Writer.i_fconst,
    "BCONST": _Writer.i_bconst, "SCONST": _Writer.i_sconst, "NULL": _Writer.i_null,
    "LOAD": _Writer.i_load, "STORE": _Writer.i_store, "GGET": _Writer.i_gget, "GSET": _Writer.i_gset,
    "POP": _Writer.i_pop, "DUP": _Writer.i_shuffle, "DUP2": _Writer.i_shuffle, "SWAP": _Writer.i_shuffle,
    "IDIV": _Writer.i_divide, "IREM": _Writer.i_divide, "INEG": _Writer.i_ineg, "INOT": _Writer.i_inot,
    "FNEG": _Writer.i_fneg, "NOT": _Writer.i_not, "I2F": _Writer.i_i2f, "F2I": _Writer.i_f2i,
    "JMP": _Writer.i_jmp, "JT": _Writer.i_branch, "JF": _Writer.i_branch, "RET": _Writer.i_ret,
    "RETV": _Writer.i_retv, "THROW": _Writer.i_throw,
    "CALL": _Writer.i_call, "CALLNATIVE": _Writer.i_callnative, "CALLVIRT": _Writer.i_callvirt,
    "CALLSPECIAL": _Writer.i_callspecial, "NEW": _Writer.i_new, "GETFIELD": _Writer.i_getfield,
    "PUTFIELD": _Writer.i_putfield, "INSTANCEOF": _Writer.i_instanceof, "CHECKCAST": _Writer.i_checkcast,
    "TOSTR_OBJ": _Writer.i_tostr_obj, "NEWARRAY": _Writer.i_newarray, "ALEN": _Writer.i_alen,
    "SLEN": _Writer.i_slen,
    "BOXI": _Writer.i_box, "BOXF": _Writer.i_box, "BOXZ": _Writer.i_box, "CAST": _Writer.i_cast,
    "ISA": _Writer.i_isa, "XALOAD": _Writer.i_xaload, "XASTORE": _Writer.i_xastore, "VEQ": _Writer.i_veq,
    "VHASH": _Writer.i_vhash, "CALLIFACE": _Writer.i_calliface, "CLOSURE": _Writer.i_closure,
    "CALLFN": _Writer.i_callfn,
}
_EMIT.update({n: _Writer.i_int for n in (*_INT_BINARY, "ISHL", "ISHR")})
_EMIT.update({n: _Writer.i_float for n in _FLOAT_BINARY})
_EMIT.update({n: _Writer.i_compare for n in _COMPARE})
_EMIT.update({n: _Writer.i_aload for n in ("IALOAD", "FALOAD", "ZALOAD", "RALOAD")})
_EMIT.update({n: _Writer.i_astore for n in ("IASTORE", "FASTORE", "ZASTORE", "RASTORE")})
_EMIT.update({n: _Writer.i_helped for n in _HELPED})
_EMIT.update({n: _Writer.i_string_compare for n in _STRING_COMPARE})


def compiled_instructions() -> set[str]:
    """Every instruction tier 1 compiles (tests compare it with the table)."""
    return set(_EMIT)


def lower(fn, resolve, cap_of, osr: bool = False, nullstr: int = 0, inline_of=None,
          world=None) -> Lowered:
    """IR for `fn` (see the module docstring), or with `osr` for its entry
    at a loop header; `nullstr` is the VM's interned "null"; `inline_of`
    (fid → Lowered or None) gives the leaves its calls may inline, and
    `world` what else the VM knows now (tier.py `Jit`: the methods the
    classes loaded so far run for a virtual or interface call, the classes
    that implement an interface, type codes, cache cells).
    Refused if it cannot be compiled."""
    return _Writer(fn, resolve, cap_of, osr, nullstr, inline_of, world).run()


__all__ = ["lower", "Lowered", "Refused", "Site", "SYMBOL", "OSR_CODES", "NATIVE_DEPTH", "BACK_WORDS", "SHADOW_WORDS",
           "ARG_WORDS", "RECORD_HEADER", "META_WORDS", "META_CAP", "META_RECORD", "META_SHADOW",
           "signature_types", "kind", "compiled_instructions"]
