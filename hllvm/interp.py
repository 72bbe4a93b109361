"""The interpreter (tier 0): the run loop, frames, unwinding, traces, and
the VM-raised errors.

Code is one list of closures per VM (`Interpreter.code`), built by the
linker from every function's lowered ops (lower.py, ops/); index 0 is the
`halt` op.  The loop is

    while True:
        pc = code[pc]()

HL calls never recurse in Python: a call op saves (registers, return index,
result register) on `frames` and returns the callee's entry; a return op pops
it.  A host call (`execute`) pushes a sentinel frame whose return index is 0,
so returning from the called function runs `halt`, which leaves the loop.

Errors are Python `HLThrow(ref)` exceptions raised by ops or natives; the loop
catches them and `unwind` looks for a handler by the faulting op's origin pc,
popping frames, or raises `HLError` when none matches.  This module does not
lower code, resolve names or marshal natives.
"""

from __future__ import annotations

from array import array

from hlbc.errors import LoadError

from .errors import Halt, HLError, HLThrow, SuspendHere
from .tables import NativeTables
from .layout import (FIRST_CLASS_ID, HEADER_WORDS, LENGTH_WORD, T_BOXF, T_BOXI, T_BOXZ, T_STR8, T_STR32,
                     block_words, field_offset, instance_words, string_words)

HALT = 0                 # index of the halt op in `code`
SUSPEND = 1              # index of the op a back-edge poll goes to when a suspension is due
_NO_IFACES = frozenset()
_FIXED_NAMES = {T_STR8: "string", T_STR32: "string", T_BOXI: "int", T_BOXF: "float", T_BOXZ: "bool"}
MAX_TRACE = 1024         # frames printed in an uncaught error's trace
REPEATS = 3              # a line repeated in a row is printed this many times, then counted
_MAX_KEPT_TRACES = 4096


def _raise_suspend():
    """The SUSPEND op: a back-edge poll found a suspension due (poll_back)."""
    raise SuspendHere()


class Ctx:
    """The running thread's state that ops share: the current registers, and
    the safepoint state — the index of the op that last recorded itself
    before it might collect (`pc`, as Lua's `savepc`; the run loop records
    the faulting op before it builds an error)."""
    __slots__ = ("R", "pc")

    def __init__(self) -> None:
        self.R: list = []
        self.pc = HALT


class Strings:
    """Interned strings the ops need: "null", "true", "false", one-char
    strings, and what `str()` of a function value and of an array is."""

    def __init__(self, heap) -> None:
        self.null = heap.intern("null")
        self.true = heap.intern("true")
        self.false = heap.intern("false")
        self.fn = heap.intern("<fn>")
        self.array = heap.intern("<array>")
        self.chars = [heap.intern(chr(i)) for i in range(256)]


class Errors:
    """Builds and throws the `lang` error instances the VM itself raises."""

    def __init__(self, vm) -> None:
        self.vm = vm
        self.heap = vm.heap
        self.classes: dict = {}       # "IndexError" → RtClass (set when lang is linked)
        self.message_off = 0          # word offset of Error.message in an instance
        self.spare_oom = 0            # preallocated OutOfMemoryError

    def bind_lang(self, lang_module) -> None:
        names = ("Error", "ArithmeticError", "IndexError", "NullError", "CastError", "ValueError",
                 "AssertionError", "StackOverflowError", "OutOfMemoryError", "PermissionError")
        by_name = {c.name: c for c in lang_module.classes}
        for n in names:
            c = by_name.get(n)
            if c is None:
                raise LoadError(f"the prelude does not declare class {n}", where="lang")
            if n != "Error" and not c.is_subclass_of(by_name["Error"]):
                raise LoadError(f"lang.{n} does not extend Error", where="lang")
            self.classes[n] = c
        f = by_name["Error"].fields.get("message")
        if f is None or f[1] != "S":
            raise LoadError("lang.Error has no field message: string", where="lang")
        self.message_off = field_offset(f[0])
        # Permanent, so it is there when nothing else fits.
        self.spare_oom = self.make("OutOfMemoryError", "out of memory", perm=True)
        self.heap.perm_objects.append(self.spare_oom)

    def make(self, class_name: str, message: str, perm: bool = False) -> int:
        cls = self.classes[class_name]
        heap = self.heap
        if perm:
            obj = heap.alloc_perm(cls.id, cls.nfields, instance_words(cls.nfields))
            heap.W[obj + self.message_off] = heap.new_str(message, perm=True)
            return obj
        obj = heap.alloc(cls.id, cls.nfields, instance_words(cls.nfields))
        temps = heap.temps              # the message's allocation may move obj
        depth = len(temps)
        try:
            temps.append(obj)
            m = heap.new_str(message)
            obj = temps[-1]
        finally:
            del temps[depth:]
        heap.W[obj + self.message_off] = m
        return obj

    def throw(self, class_name: str, message: str):
        """Throw a new `lang` error.  Pending: the object is built by whoever
        catches the HLThrow (the run loop, after recording the faulting op;
        the host-call boundary, as an HLError without touching the heap)."""
        if not self.classes:
            raise LoadError(f"{class_name}: {message} (the prelude lang is not loaded)")
        raise HLThrow(0, (class_name, message))

    def throw_ref(self, ref: int):
        if not ref:
            self.throw("NullError", "throw of null")
        raise HLThrow(ref)

    # Out of memory: the heap calls this; the error object itself may not fit.
    def out_of_memory(self, nwords: int):
        heap = self.heap
        msg = (f"cannot allocate {nwords * 8} bytes "
               f"(heap {heap.used_bytes} of {heap.size} bytes in use)")
        cls = self.classes.get("OutOfMemoryError")
        if cls is None:
            raise MemoryError(msg)
        if heap.fits(4 + cls.nfields + (len(msg) + 7) // 8):
            raise HLThrow(self.make("OutOfMemoryError", msg))
        # The spare is thrown again and again: its trace is this throw's.
        self.vm.interp.traces.pop(self.spare_oom, None)
        raise HLThrow(self.spare_oom)

    def reserve_chars(self, nchars: int) -> None:
        """Throw OutOfMemoryError now if a string of this size cannot fit even
        in its compact form after a full collection, before Python builds it."""
        words = string_words(nchars, False)
        if not self.heap.could_fit(words):
            self.out_of_memory(words)

    def div_zero(self):
        self.throw("ArithmeticError", "division by zero")

    def rem_zero(self):
        self.throw("ArithmeticError", "remainder by zero")

    def stack_overflow(self):
        depth = len(self.vm.interp.frames)
        if depth < self.vm.max_stack:         # a large frame's cap (Interpreter.caps)
            self.throw("StackOverflowError", f"call stack memory exceeded at depth {depth}")
        self.throw("StackOverflowError", f"call depth exceeded {self.vm.max_stack} frames")

    def null_call(self, name: str):
        self.throw("NullError", f"cannot call method {name}() on null")

    def null_field(self, name: str):
        self.throw("NullError", f"cannot access field {name} of null")

    def null_length(self):
        self.throw("NullError", "cannot take the length of null")

    def null_copy(self):
        self.throw("NullError", "cannot copy null")

    def null_string(self):
        self.throw("NullError", "null string")

    def null_compare(self):
        self.throw("NullError", "cannot compare null strings")

    def bad_index(self, a: int, i: int):
        if not a:
            self.throw("NullError", "cannot index null")
        self.throw("IndexError", f"index {i} out of range for length {self.heap.W[a + LENGTH_WORD]}")

    def bad_string_index(self, s: int, i: int):
        if not s:
            self.throw("NullError", "cannot index null")
        self.throw("IndexError", f"index {i} out of range for string of length {self.heap.W[s + LENGTH_WORD]}")

    def cast_fail(self, ref: int, cls):
        """`cls`: the record of the type cast to (a class, array or function
        type: anything with a `name`)."""
        have = self.vm.type_name(ref)
        self.throw("CastError", f"cannot cast {have} to {cls.name}")

    def unbox_fail(self, ref: int, box: int):
        """CAST to int, float or bool (`box`: that kind's box type id) of
        something else: NullError for null, else CastError."""
        want = _FIXED_NAMES[box]
        if not ref:
            self.throw("NullError", f"cannot use null as {want}")
        self.throw("CastError", f"cannot cast {self.vm.type_name(ref)} to {want}")

    def store_fail(self, ref: int, arr: int):
        """XASTORE of a value that does not fit the array's element type
        (null into an int, float or bool array: NullError)."""
        where = self.vm.type_name(arr)
        if not ref:
            self.throw("NullError", f"cannot store null in {where}")
        self.throw("CastError", f"cannot store {self.vm.type_name(ref)} in {where}")

    def null_fn_call(self):
        self.throw("NullError", "cannot call a null function value")

    def negative_size(self, n: int):
        self.throw("ValueError", f"negative array size {n}")


class Interpreter:
    """Owns the code list, the frames and the run loop of one VM."""

    def __init__(self, vm) -> None:
        self.vm = vm
        self.heap = vm.heap
        self.errors = vm.errors
        self.strings = vm.strings
        self.ctx = Ctx()
        self.frames: list = []
        # Per run loop in progress (nested host calls): the frame and the
        # safepoint it interrupted — the collector's roots (docs/gc.md).
        self.suspended: list = []
        self.max_depth = vm.max_stack
        self.functions: list = []     # RtFunction by fid
        # The entry table: per fid, the code index every call of it jumps to.
        # Every call reads it at the call, so code installed for a function
        # (another tier's) takes over by writing one slot (`install`).
        self.ENT: list[int] = []
        # Per fid: events (calls + back-edges) left before the function polls,
        # and the chunk it was last given (hllvm/limits.py hands them out).
        self.ctr: list[int] = []
        self.given: list[int] = []
        # While fuel is limited (`metered`), the fids whose countdown holds
        # units handed out since the last reclaim.
        self.metered = False
        self.holders: set[int] = set()
        # Per fid: the call depth at which calling it overflows.  max_stack, or
        # less for a function with a large frame, so that the registers of
        # all frames stay within `stack_words` (host memory beside the heap).
        self.caps: list[int] = []
        self.stack_words = max(vm.max_heap // 32, 1 << 16)
        # By type id (hllvm/typeids.py fills the lists of the types that are
        # not classes): the class (None for the rest), ancestor display,
        # vtable of `call_target`s, and what TOSTR_OBJ does — a `call_target`
        # of to_string, an interned string ("<Name>", "<fn>", "<array>"),
        # None (a string: itself) or fn(ref) → string (a box).
        self.CLS: list = [None] * FIRST_CLASS_ID
        self.ANC: list = [()] * FIRST_CLASS_ID
        self.VT: list = [None] * FIRST_CLASS_ID
        self.TOS: list = [0] * FIRST_CLASS_ID
        # ... and the interfaces a class implements (frozenset of ids), every
        # type's record (runtime.py), an array type's element code, a
        # function-value shape's call record (`fn_value_target`) and function
        # type id, the test "a non-null ref is of this type" by type code,
        # and the word offsets of the references in a block of that type
        # (None: every element; the collector's layout).
        self.IFS: list = [_NO_IFACES] * FIRST_CLASS_ID
        self.TYPES: list = [None] * FIRST_CLASS_ID
        self.AEL: list = [-1] * FIRST_CLASS_ID
        self.CLO: list = [None] * FIRST_CLASS_ID
        self.FNT: list = [0] * FIRST_CLASS_ID
        self.TEST: list = [None] * FIRST_CLASS_ID
        self.REFS: list = [()] * FIRST_CLASS_ID
        self.types_version = 0          # changes whenever REFS does (the collector's cache)
        # Interface dispatch: method selector → {receiver type id: call target}
        # (the linker fills it with each class's itable).
        self.ITAB: dict[int, dict] = {}
        self._fixed_text()
        # The same facts (and each function's native code) for compiled code.
        self.tables = NativeTables()
        from .ops import FACTORIES, Op
        self.code: list = [FACTORIES["halt"](self, Op("halt", 0, None, ()), 0), _raise_suspend]
        self.meta: list = [(None, 0), (None, 0)]   # by op index: (RtFunction, origin pc)
        self.live: list = [None, None]  # by op index: Op.live (the collector's frame maps)
        # Suspension (hllvm/snapshot/): the op the running frame stopped
        # before when a back-edge poll went to SUSPEND; a poll that must not
        # suspend (the point could not be described: the next one will); the
        # host task at the bottom of the frames (snapshot/capture.py TASK_*).
        self.stop_at = HALT
        self.skip_suspend = False
        self.task = (0, "", "")
        self.traces: dict[int, array] = {}   # thrown ref → op indices, innermost first
        # Thrown ref → the Python exception a host native raised that became
        # it (chained to the HLError if uncaught).  Keys are like `traces`'.
        self.causes: dict[int, BaseException] = {}
        self.control = None               # the VM's RunControl (hllvm/limits.py)
        self.jit = None                   # tier 1 (hllvm/jit/), None with jit="off"

    def grow_types(self, n: int) -> None:
        """Room in every per-type-id list for ids below `n`."""
        for table, fill in ((self.CLS, None), (self.ANC, ()), (self.VT, None), (self.TOS, 0),
                            (self.IFS, _NO_IFACES), (self.TYPES, None), (self.AEL, -1), (self.CLO, None),
                            (self.FNT, 0), (self.TEST, None), (self.REFS, ())):
            if len(table) < n:
                table.extend([fill] * (n - len(table)))
        self.types_version += 1

    def _fixed_text(self) -> None:
        """TOSTR_OBJ of a string is itself; of a box, its value's text."""
        heap = self.heap
        W, D = heap.W, heap.D
        new_str = heap.new_str
        strings = self.strings
        TOS = self.TOS
        TOS[T_STR8] = TOS[T_STR32] = None
        TOS[T_BOXI] = lambda r: new_str(str(W[r + HEADER_WORDS]))
        TOS[T_BOXF] = lambda r: new_str(repr(D[r + HEADER_WORDS]))
        TOS[T_BOXZ] = lambda r: strings.true if W[r + HEADER_WORDS] else strings.false

    def plain_text(self, r: int):
        """The string TOSTR_OBJ gives a non-null `r` whose class has no
        to_string() (it may allocate: a box's text); None when it has one."""
        t = self.TOS[self.heap.W[r]]
        if t.__class__ is int:
            return t
        if t is None:
            return r
        if t.__class__ is tuple:
            return None
        return t(r)

    def identity_hash(self, r: int) -> int:
        """The identity hash of non-null instance or function value `r`
        (VHASH; assigned on first use, ops/values.py)."""
        return self.vm.boxes.identity_hash(r)

    def fn_value_target(self, shape) -> tuple:
        """What CALLFN needs of a function value's shape: (fid, frame tail,
        depth cap, k, fix), where `fix(values, f)` turns the k bound words
        read from block f into register values (floats, bools) or is None;
        for a native function, (-1, its call, 0, k, fix)."""
        fn = shape.fn
        D = self.heap.D
        floats = tuple(i for i, t in enumerate(shape.bound) if t == "F")
        bools = tuple(i for i, t in enumerate(shape.bound) if t == "Z")
        fix = None
        if floats or bools:
            def fix(values, f, floats=floats, bools=bools):
                base = f + HEADER_WORDS
                for i in floats:
                    values[i] = D[base + i]
                for i in bools:
                    values[i] = values[i] != 0
        if fn.native is not None:
            return (-1, fn.native.call, 0, shape.k, fix)
        return (fn.fid, fn.tail, self.caps[fn.fid], shape.k, fix)

    # --- counting and polling -------------------------------------------------------
    def add_function(self, fn) -> None:
        fn.fid = len(self.functions)
        self.functions.append(fn)
        self.ENT.append(HALT)           # set when its code is linked
        self.ctr.append(0)              # its first event polls, and gets a chunk
        self.given.append(0)
        self.caps.append(self.max_depth)

    def call_target(self, fn) -> tuple:
        """(fid, tail, depth cap): what a dispatched call needs of its callee
        beside the entry table's slot."""
        return (fn.fid, fn.tail, self.caps[fn.fid])

    def install(self, fid: int, entry: int) -> None:
        """Every call of function `fid` from now on runs the code at `entry`."""
        self.ENT[fid] = entry

    def set_frame_size(self, fn) -> None:
        """Cap the depth of calls of `fn` by its frame size (`fn.nregs`, final
        once it is lowered): a guest cannot fill host memory with frames."""
        self.caps[fn.fid] = min(self.max_depth, max(1, self.stack_words // max(fn.nregs, 1)))

    def poll(self, fid: int) -> None:
        """Slow path, when function `fid`'s countdown went below zero: settle
        its events, then let run control stop the call or hand the countdown
        its next chunk (hllvm/limits.py).  The place for fuel, time limits,
        interrupts, suspensions and the JIT's tier-up.  A call's poll
        suspends *before* its call: the event is given back, and the call
        op runs again when the frame goes on."""
        if self._grant(fid):
            self.control.give_back(1)
            raise SuspendHere()

    def _grant(self, fid: int) -> bool:
        """Settle and refill `fid`'s countdown; whether a suspension is due."""
        ctr, given = self.ctr, self.given
        self.functions[fid].hot += given[fid] - ctr[fid]    # the event that polled included
        ctr[fid] = given[fid] = 0
        # A stop raised here, between ops, leaves the VM consistent: `execute`
        # drops the frames on the way out, and no HL handler runs.
        control = self.control
        n = control.grant()
        if control.suspend is not None:
            control.give_back(n)         # its chunk: counted again from zero when the frame goes on
            if self.suspendable():
                return True
            # Due, but not at this poll (the outermost call's own, one in a
            # native's nested run loop, or one after a point that could not
            # be described): no chunk, so that the next event polls again
            # and the request is served at the first point it can be, as
            # compiled code's poll does (hllvm/jit/tier.py).
            n = 0
        ctr[fid] = given[fid] = n
        if self.metered:
            self.holders.add(fid)
        if self.jit is not None:
            self.jit.consider(fid)
        return False

    def suspendable(self) -> bool:
        """Whether a due suspension may happen at this poll: one run loop
        (no host call nested in a native, whose Python frame no snapshot
        can hold), and not the one poll after a point that could not be
        described."""
        if self.skip_suspend:
            self.skip_suspend = False
            return False
        return len(self.suspended) == 1

    def poll_back(self, fid: int, target: int) -> int:
        """`poll` at a loop back-edge to op `target` of function `fid`: with
        a JIT, the running frame may continue in compiled code from there
        (on-stack replacement); the op index to go on at (HALT included),
        or -1 for `target` as usual.  A suspension stops the frame before
        `target` (the back-edge is counted: it was taken)."""
        if self._grant(fid):
            self.stop_at = target
            return SUSPEND
        jit = self.jit
        if jit is None:
            return -1
        return jit.osr(fid, target)

    def reclaim_counters(self, every: bool = False) -> int:
        """Zero the countdowns that hold metered units (all of them with
        `every`), settling their events; returns the units they held unused
        (run control takes them back when fuel runs dry).  Only the holders
        are visited, so the cost is that of the grants since the last
        reclaim, never the number of functions."""
        ctr, given, fns = self.ctr, self.given, self.functions
        fids = range(len(ctr)) if every else self.holders
        back = 0
        for fid in fids:
            g, c = given[fid], ctr[fid]
            if g or c:
                fns[fid].hot += g - c
                if c > 0:
                    back += c
                ctr[fid] = given[fid] = 0
        self.holders.clear()
        return back

    def outstanding(self) -> int:
        """Metered units the countdowns hold, not yet used."""
        ctr = self.ctr
        return sum(ctr[fid] for fid in self.holders if ctr[fid] > 0)

    def hotness(self, fn) -> int:
        """Calls plus back-edges of `fn` so far (exact)."""
        return fn.hot + self.given[fn.fid] - self.ctr[fn.fid]

    # --- running ------------------------------------------------------------------------
    def execute(self, fn, args: list):
        """Run `fn` with already-converted HL arguments; return its HL result.
        Raises HLError if an HL error escapes."""
        ctx = self.ctx
        frames = self.frames
        base = len(frames)
        saved = ctx.R
        result = [None]
        code = self.code
        if base >= self.max_depth:
            self.errors.stack_overflow()
        c = self.ctr[fn.fid] - 1
        self.ctr[fn.fid] = c
        if c < 0:
            self._grant(fn.fid)         # (outermost: never suspends; its first poll inside may)
        frames.append((result, HALT, 0))
        suspended = self.suspended
        suspended.append((saved, ctx.pc))    # the caller's frame and safepoint (a native's)
        ctx.R = [*args, *fn.tail]
        pc = ctx.pc = self.ENT[fn.fid]
        return self._loop(pc, base, result)

    def resume(self, callers: list, registers: list, pc: int):
        """Run frames rebuilt from a snapshot (hllvm/snapshot/restore.py) as
        `execute` runs a call: `callers` outermost first, as call ops push
        them, then the innermost frame's registers, going on at op `pc`."""
        ctx = self.ctx
        frames = self.frames
        base = len(frames)
        result = [None]
        frames.append((result, HALT, 0))
        self.suspended.append((ctx.R, ctx.pc))
        frames.extend(callers)
        ctx.R = registers
        ctx.pc = pc
        return self._loop(pc, base, result)

    def _loop(self, pc: int, base: int, result: list):
        ctx = self.ctx
        frames = self.frames
        suspended = self.suspended
        code = self.code
        try:
            while True:
                try:
                    while True:
                        pc = code[pc]()
                except Halt:            # first: the way every host call ends
                    return result[0]
                except HLThrow as t:
                    pc = self.unwind(t.ref or self.materialise(t, pc), pc, base)
                except SuspendHere:
                    pc = self.vm.snapshots.suspend_here(self.stop_at if pc == SUSPEND else pc, base)
                except MemoryError:
                    ctx.pc = pc
                    try:
                        self.errors.out_of_memory(0)
                    except HLThrow as t:
                        pc = self.unwind(t.ref, pc, base)
        finally:
            del frames[base:]
            ctx.R, ctx.pc = suspended.pop()

    def materialise(self, t: HLThrow, pc: int) -> int:
        """Build the error object of a pending throw raised by op `pc` (which
        is where the frame stopped, should the allocation collect)."""
        self.ctx.pc = pc
        try:
            return self.errors.make(*t.pending)
        except HLThrow as oom:          # no room even for the error: OutOfMemoryError
            return oom.ref or self.errors.spare_oom

    def unwind(self, ref: int, pc: int, base: int) -> int:
        """Find the handler for `ref` thrown at op `pc`: returns the handler's op
        index with the frame set up, or raises HLError."""
        frames = self.frames
        W = self.heap.W
        if ref not in self.traces:
            self._record_trace(ref, pc, base)
        cls = self.CLS[W[ref]]
        R = self.ctx.R
        meta = self.meta
        while True:
            fn, origin = meta[pc]
            for start, end, hidx, hcls in fn.handlers:
                if start <= origin < end and (hcls is None or (cls is not None and cls.is_subclass_of(hcls))):
                    R[fn.nlocals] = ref
                    self.ctx.R = R
                    return hidx
            R, ret, _d = frames.pop()
            if ret == HALT:
                raise self.uncaught(ref)
            pc = ret - 1

    def _record_trace(self, ref: int, pc: int, base: int) -> None:
        traces = self.traces
        if len(traces) >= _MAX_KEPT_TRACES:
            for k in list(traces)[:_MAX_KEPT_TRACES // 2]:
                del traces[k]
        t = [pc]
        for _R, ret, _d in reversed(self.frames):
            if ret == HALT:
                break
            t.append(ret - 1)
            if len(t) > MAX_TRACE:
                break
        # Packed: 4096 kept traces of 1025 frames stay within 17 MB of host
        # memory however many errors a guest throws and keeps.
        traces[ref] = array("i", t)

    def trace_lines(self, ref: int) -> list[str]:
        """The trace's lines, innermost first.  A line repeated more than
        REPEATS times in a row (deep recursion) is shown REPEATS times and
        then counted, as Python does: "  ... repeated 1021 more times"."""
        out = []
        t = self.traces.get(ref, [])
        run = 0
        for idx in t[:MAX_TRACE]:
            fn, origin = self.meta[idx]
            line = f"  at {fn.display} ({fn.module.source}:{fn.line_at(origin)})"
            if out and line == out[-1 - (run > REPEATS)]:
                run += 1
                if run > REPEATS:
                    more = f"  ... repeated {run - REPEATS} more time{'s' * (run - REPEATS != 1)}"
                    if run == REPEATS + 1:
                        out.append(more)
                    else:
                        out[-1] = more
                    continue
            else:
                run = 1
            out.append(line)
        if len(t) > MAX_TRACE:
            out.append("  ...")
        return out

    def uncaught_throw(self, t: HLThrow) -> HLError:
        """The HLError of a throw that reached the host (a pending one, raised
        outside any run loop, becomes one without touching the heap)."""
        if t.ref:
            return self.uncaught(t.ref)
        cls, msg = t.pending
        return HLError(cls, msg, [])

    def uncaught(self, ref: int) -> HLError:
        cls = self.CLS[self.heap.W[ref]]
        m = self.heap.W[ref + self.errors.message_off] if cls is not None and cls.is_error else 0
        msg = self.heap.get_str(m) if m else "null"
        err = HLError(self.type_name(ref), msg, self.trace_lines(ref))
        self.traces.pop(ref, None)
        cause = self.causes.pop(ref, None)
        if cause is not None:
            err.__cause__ = cause       # raised from a host native: its traceback stays
        return err

    # --- host values ----------------------------------------------------------------------
    def global_value(self, m, slot: int, t: str):
        """The HL value of global `slot` (of type `t`) of linked module `m`."""
        heap = self.heap
        w = m.globals_ref + field_offset(slot)
        if t == "F":
            return heap.D[w]
        if t == "Z":
            return heap.Z[w << 3]
        return heap.W[w]

    def type_name(self, ref: int) -> str:
        """What the value at `ref` is, as HL source names its type."""
        tid = self.heap.W[ref]
        rec = self.TYPES[tid] if tid < len(self.TYPES) else None
        if rec is not None:
            return rec.name
        return _FIXED_NAMES.get(tid, f"type {tid}")

    def block_size(self, ref: int) -> int:
        W = self.heap.W
        return block_words(W[ref], W[ref + LENGTH_WORD])
