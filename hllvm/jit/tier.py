"""Tier 1: when a function is compiled, how it is installed, and how the
interpreter enters and leaves its native code.

Policy.  Every function's calls and back-edges are counted by the
interpreter, which polls at each function's first event and then every
chunk of events (interp.py `poll`).  At a poll, `consider` compiles the
function once its count reaches the threshold — at once with
`jit="eager"` (so a function is compiled before its body first runs),
after THRESHOLD events with `"auto"`.  The functions it calls are
compiled when its compiled code first calls them (helper COMPILE), so a
callee that never runs is never compiled.  A function that cannot be
compiled yet stays in the interpreter, and `--trace-jit` says why, once.

Installing.  Compiled code is made callable by ctypes and written to the
native function table (compiled callers read it at each call) and, as an
*entry op* appended to the interpreter's code list, to the entry table: the
interpreter's next call of the function runs the entry op, which passes the
arguments to the native code and then returns as the interpreter's own
return op would.  Code already running in the interpreter stays there.

Leaving.  The native code returns with STATUS (hllvm/state.py): returned;
handed back (deopt.py rebuilds the interpreter frames and the entry op
continues the interpreter there); or stopped by a poll (the limit's
exception, kept by the poll function, is raised here — nothing of the call
is resumed).  The poll function is the one place native code calls Python:
it runs no HL code, so HL calls never recurse in Python.
"""

from __future__ import annotations

import time

from hlbc.limits import MAX_CLASSES, MAX_FUNCTIONS

from .. import critical
from ..errors import HLThrow
from ..limits import NATIVE_POLL_INTERVAL
from ..state import (ARGS, BASE, BUDGET, CHARS, CLASS_AT, CLASSES, DEPTH, EDGE, FAIL, FMETA, FUNCS, HEAP, HELPER,
                     POLL, SHADOW_SP, SMALLINTS, STATUS, STOPPED, WORDS)
from . import helpers
from .deopt import rebuild
from .dispatch import ADAPTER, FN_WORDS, IC_WORDS, NATIVE_SHAPE, adapter_ir
from .irgen import (ARG_WORDS, META_CAP, META_RECORD, META_SHADOW, META_WORDS, OSR_CODES, SHADOW_WORDS,
                    Refused, kind, lower)

THRESHOLD = 2000            # calls + back-edges before `auto` compiles a function
INLINE_BYTES = 64           # bytecode of a leaf that its static callers inline
# Compiling runs inside a poll, where a time limit cannot cut it short, and
# LLVM's time grows with the IR (measured here: 20 KB in 15-40 ms, 420 KB in
# 830 ms).  So, as HotSpot leaves methods over 8,000 bytes of bytecode
# (HugeMethodLimit) to its interpreter, a function over MAX_CODE bytes of
# bytecode or MAX_IR bytes of IR stays interpreted (about a second of LLVM
# at most), and functions are not compiled in a call whose deadline is
# nearer than compiling them would take.
MAX_CODE = 8000
MAX_IR = 576 << 10        # (each call and back-edge carries its poll's suspension exit)
SECONDS_PER_IR_BYTE = 2e-6
MODES = ("off", "auto", "eager")
IC_CELLS = 1 << 16          # inline-cache cells of a VM's call sites (their pages are committed when written)
# The JIT's words (FMETA in the run state), one mapping: per fid its META_WORDS
# facts, then IC_CELLS cache cells, then per type id (adapter, fid) of function values.
IC_BASE = MAX_FUNCTIONS * META_WORDS
FN_BASE = IC_BASE + IC_CELLS * IC_WORDS
JIT_WORDS = FN_BASE + MAX_CLASSES * FN_WORDS

class Compiled:
    """One installed function: its sites (irgen.Site by code), the ctypes
    function, its native address, the code index of its entry op."""
    __slots__ = ("sites", "natives", "cfunc", "address", "entry", "ir_bytes", "ms", "osr")

    def __init__(self, sites, natives, cfunc, address, entry, ir_bytes, ms) -> None:
        self.osr = None                     # its OsrEntry once made; False: it has none
        self.sites = sites
        self.natives = natives
        self.cfunc = cfunc
        self.address = address
        self.entry = entry
        self.ir_bytes = ir_bytes
        self.ms = ms


class OsrEntry:
    """A function's entry at its loop headers: its sites and natives (codes
    from OSR_CODES on), the ctypes function, and loop-header op index →
    bytecode pc."""
    __slots__ = ("sites", "natives", "cfunc", "headers", "record_words", "shadow_words", "run")

    def __init__(self, low, cfunc, headers: dict) -> None:
        self.sites = low.sites
        self.natives = low.natives
        self.cfunc = cfunc
        self.headers = headers
        self.record_words = low.record_words
        self.shadow_words = low.shadow_words


class Jit:
    """The tier-1 compiler of one VM (`vm.jit`; None with `jit="off"`)."""

    def __init__(self, vm, mode: str, trace=None) -> None:
        self.vm = vm
        self.interp = vm.interp
        self.mode = mode
        self.threshold = 0 if mode == "eager" else THRESHOLD
        self.trace = trace                  # callable taking a line, or None
        self.compiled: dict[int, Compiled] = {}
        self.refused: dict[int, str] = {}
        self.ready = False                  # the native side is set up
        self.pending: BaseException | None = None    # what stopped the native code
        self.pending_throw = None           # an error a native raised in compiled code
        self._kinds: dict = {}              # NativeBinding → kinds of its parameters
        self.leaves: dict = {}              # fid → its Lowered if a leaf worth inlining, else None
        self.lower_ms: dict = {}            # (fid, osr) → ms spent lowering it (callee leaves included)
        self.osr_ms = 0.0                   # making loop entries
        self.late = -1                      # epoch of the call found too near its deadline to compile in
        self.osr_made = 0
        # (fid, bytecode pc) → frames that stopped before that instruction
        # and went on in the interpreter (tests and --trace-jit's summary).
        self.handbacks: dict = {}
        self._target_cache: dict = {}       # (class id, vtable slot or method name) → (classes then, tid → fid)
        self._method_codes: dict = {}       # (interface id, method name) → its code (`method_code`)
        self.methods_asked: list = []       # by code
        self.ic_used = 0                    # inline-cache cells handed out (`ic_cell`)
        self.adapters: dict = {}            # function-value shape id → (ctypes function, address)
        self.back: HandBack | None = None
        self._poll = None
        self.unavailable: str | None = None  # why no native code can be made here
        # What this VM's machine code lives in: unmapped when the VM goes.
        self.code: list = []

    # --- the native side, set up on first compilation ---------------------------------------
    def _setup(self) -> None:
        # ctypes and the engine only now: a run that compiles nothing does not pay for them.
        import ctypes

        from .deopt import HandBack
        from .native import HELPER_TYPE, POLL_TYPE, ShadowFrames, Words, guard
        S = self.vm.state.W
        back = self.back = HandBack(self.vm.state)
        control = self.vm.control
        collector = self.vm.collector
        interp = self.interp

        def poll(budget: int) -> int:
            """Compiled code's counter ran out (at `budget`): its next chunk
            plus one, 0 to stop, or -1 to hand the frames back to the
            interpreter because a suspension is due (the interpreter stops
            where they are handed back: deopt.py; every countdown is
            emptied, so that a point it cannot describe is followed at once
            by another poll).  Compiled code keeps the counter in a register across
            the poll (irgen.count_event), so it comes and goes here, through
            the run state only while run control sees it."""
            # Compiled code is told the poll moves no object (it keeps
            # references in registers across it): Python code that runs in
            # here (a signal handler, a finalizer) may not collect.
            collector.forbidden = "a collection while compiled code polls"
            try:
                S[BUDGET] = budget
                chunk = control.grant(NATIVE_POLL_INTERVAL)
                if control.suspend is not None:
                    if interp.suspendable():
                        # A call runs again in the interpreter (not counted
                        # here); a back-edge was taken (counted).
                        control.give_back(chunk + (0 if S[EDGE] else 1) + interp.reclaim_counters(every=True))
                        S[BUDGET] = 0
                        back.suspending = True      # the interpreter stops where the frames are handed back
                        return -1
                    control.give_back(chunk)        # due, not here: the next event polls again
                    chunk = 0
                S[BUDGET] = chunk
                return chunk + 1
            except BaseException as e:      # a stop, or Ctrl-C arriving here: raised by the entry op
                self.pending = e
                return 0
            finally:
                collector.forbidden = None

        def lost(e: BaseException) -> None:
            """An exception ctypes would have dropped in a callback (native.py):
            compiled code stops (a poll that returns 0 stops, and so does a
            helper whose FAIL says so)."""
            self.pending = e
            S[FAIL] = helpers.STOP
        self._poll = POLL_TYPE(poll)
        S[POLL] = ctypes.cast(self._poll, ctypes.c_void_p).value
        tables = self.interp.tables
        S[FUNCS] = tables.funcs.address
        S[CLASS_AT] = tables.class_at.address
        S[CLASSES] = tables.classes.address
        heap = self.vm.heap
        S[HEAP] = ctypes.addressof(ctypes.c_char.from_buffer(heap.mm))
        # The JIT's words: per function its facts (META_*), the call sites'
        # cache cells, then per function value's type id its adapter.
        self.meta = Words(JIT_WORDS)
        S[FMETA] = self.meta.address
        self.args = Words(ARG_WORDS)
        self.args_view = self.args.W
        S[ARGS] = self.args.address
        self.chars = Words(256)             # the interned one-character strings (permanent)
        for c, ref in enumerate(self.vm.strings.chars[:256]):
            self.chars.W[c] = ref
        S[CHARS] = self.chars.address
        S[SMALLINTS] = self.vm.boxes.small_address()
        self.shadow = ShadowFrames(self.vm.state)
        self.vm.collector.roots.shadow_stacks.append(self.shadow)
        helper = helpers.make(self)
        self._helper = HELPER_TYPE(helper)
        S[HELPER] = ctypes.cast(self._helper, ctypes.c_void_p).value
        self._lost = lost                   # (the hook holds it weakly)
        guard(poll, lost)
        guard(helper, lost)
        self._guarded = (poll, helper)
        S[FAIL] = 0
        self.env = self.vm.state.address
        self.ready = True

    def native_binding(self, fid: int, code: int):
        c = self.compiled[fid]
        return c.natives[code] if code < OSR_CODES else c.osr.natives[code - OSR_CODES]

    def param_kinds(self, binding) -> tuple:
        k = self._kinds.get(binding)
        if k is None:
            k = self._kinds[binding] = tuple(kind(t) for t in binding.params)
        return k

    # --- policy ---------------------------------------------------------------------------
    def consider(self, fid: int) -> None:
        """At a poll of function `fid` (interp.py): compile it if it is hot enough."""
        if fid in self.compiled or fid in self.refused or self.unavailable or self.late == self.vm.control.epoch:
            return
        fn = self.interp.functions[fid]
        if fn.hot < self.threshold:
            return
        self.compile(fn)

    def compile(self, fn) -> None:
        """Compile `fn` alone: a function it calls is compiled when compiled
        code first calls it (helper COMPILE, irgen.compiled_call), so a
        callee that never runs — an error path, a rare case — costs no
        compile (with an empty cache, each is tens of milliseconds of
        LLVM).  A critical section: a Ctrl-C waits for its end (LLVM's
        objects must not be left half made)."""
        token = critical.enter()
        try:
            self._compile(fn)
        finally:
            critical.leave(token)

    def _compile(self, fn) -> None:
        low = self._lower(fn)
        if low is None:
            return
        deadline = self.vm.control.deadline
        if deadline is not None and deadline - time.monotonic() < SECONDS_PER_IR_BYTE * len(low.ir):
            self.late = self.vm.control.epoch   # too late in this call to pay for compiling (a later one may)
            return
        self._install(fn, low)

    def _lower(self, fn):
        if fn.fid in self.compiled or fn.fid in self.refused:
            return None
        try:
            low = self.leaves.get(fn.fid) or self._lowered(fn)
        except Refused as r:
            self._refuse(fn, str(r))
            return None
        except RecursionError:
            self._refuse(fn, "too deeply nested to compile")
            return None
        return low

    def _lowered(self, fn, osr: bool = False, inline: bool = True):
        """`fn` lowered (time spent is charged to it: `lower_ms`)."""
        if len(fn.desc.code) > MAX_CODE:
            raise Refused(f"too large to compile ({len(fn.desc.code)} bytes of bytecode, at most {MAX_CODE})")
        t0 = time.perf_counter()
        try:
            low = lower(fn, self.vm._linker._resolver(fn.module), self.interp.caps.__getitem__, osr=osr,
                        nullstr=self.vm.strings.null, inline_of=self._leaf if inline else None,
                        world=self)
            if len(low.ir) > MAX_IR:
                raise Refused(f"too large to compile ({len(low.ir)} bytes of IR, at most {MAX_IR})")
            return low
        finally:
            key = (fn.fid, osr)
            self.lower_ms[key] = self.lower_ms.get(key, 0.0) + (time.perf_counter() - t0) * 1000

    # --- what compiled code may know of the VM now (irgen's `world`) -----------------
    def class_named(self, t: str):
        """The class or interface of descriptor `Lm.C;`."""
        return self.vm.types.class_named(t)

    def type_code(self, t: str) -> int:
        """The type code of descriptor `t` (hllvm/typeids.py): how compiled
        code names a type to the helper and finds it in a record."""
        return self.vm.types.code(t)

    def array_element_code(self, t: str) -> int:
        """The element type code of array type `t` (`[...`)."""
        return self.vm.types.array(t[1:]).elem_code

    def bool_boxes(self) -> tuple[int, int]:
        """The VM's two bool boxes (permanent), false first."""
        boxes = self.vm.boxes
        return boxes.false, boxes.true

    def text_of(self, what: str) -> int:
        """The interned text of `str()` of an "array" or a "fn" (function value)."""
        return getattr(self.interp.strings, what)

    def implementors(self, iface) -> tuple[int, list[int]]:
        """(the next type id, the ids of the classes loaded so far that
        implement interface `iface`): a class loaded later has an id at or
        above the first."""
        vm = self.vm
        return vm.next_class_id, sorted(c.id for c in vm.classes.values()
                                        if not c.is_interface and iface.id in c.implements)

    def virtual_targets(self, m) -> dict[int, int]:
        """Type id → fid of the method each class loaded so far runs for
        virtual call `m` (a CALLVIRT constant): its subclasses' vtable slot."""
        classes = self.vm.classes
        key = (m.cls.id, m.vslot)
        hit = self._target_cache.get(key)
        if hit is not None and hit[0] == len(classes):
            return hit[1]
        out = {c.id: c.vtable[m.vslot].fid for c in classes.values()
               if not c.is_interface and c.is_subclass_of(m.cls)}
        self._target_cache[key] = (len(classes), out)
        return out

    def iface_targets(self, m) -> dict[int, int]:
        """Type id → fid of the method each class loaded so far runs for
        interface method `m` (a CALLIFACE constant)."""
        iface = m.cls
        key = (iface.id, m.name)
        classes = self.vm.classes
        hit = self._target_cache.get(key)
        if hit is not None and hit[0] == len(classes):
            return hit[1]
        selector = iface.imethods[m.name][0]
        out = {c.id: c.vtable[c.itable[selector]].fid for c in classes.values()
               if not c.is_interface and iface.id in c.implements}
        self._target_cache[key] = (len(classes), out)
        return out

    def method_code(self, m) -> int:
        """A number standing for interface method `m` in compiled code's
        questions to the helper (`helpers.IFACE`)."""
        key = (m.cls.id, m.name)
        code = self._method_codes.get(key)
        if code is None:
            code = self._method_codes[key] = len(self.methods_asked)
            self.methods_asked.append(m)
        return code

    def ic_cell(self) -> int | None:
        """A new inline-cache cell (IC_WORDS words, zero: empty), as a word
        index in the JIT's words (FMETA); None when none is left."""
        if self.ic_used >= IC_CELLS:
            return None
        self.ic_used += 1
        return IC_BASE + (self.ic_used - 1) * IC_WORDS

    def closure_shape(self, fn, k: int):
        """The shape of the function values of `fn` with k values bound."""
        return self.vm.types.shape(fn, k)

    @staticmethod
    def canonical(shape) -> int:
        """The one permanent block of a shape that binds nothing."""
        return shape.canon

    def fn_shapes(self, sig: str) -> dict:
        """Type id → shape, of the function values of type `sig` known now."""
        return {s.id: s for s in self.vm.types.shapes.values() if s.fntype.sig == sig}

    @staticmethod
    def fn_base() -> int:
        """Where the JIT's words hold (adapter, fid) by a function value's type id."""
        return FN_BASE

    def adapter(self, shape) -> int:
        """The address of the adapter of `shape` (dispatch.py `adapter_ir`),
        its function compiled first and the JIT's words filled; NATIVE_SHAPE
        for a native's function value (the helper calls it); 0 when its
        function stays interpreted."""
        fn = shape.fn
        at = FN_BASE + shape.id * FN_WORDS
        if fn.native is not None:
            self.meta.W[at] = NATIVE_SHAPE
            return NATIVE_SHAPE
        if fn.fid not in self.compiled:
            self.compile(fn)
        if fn.fid not in self.compiled:
            return 0
        made = self.adapters.get(shape.id)
        if made is None:
            from ..engine import Engine, EngineUnavailable
            from .native import ADAPTER_TYPE
            import ctypes
            try:
                cfunc = Engine.get().native_function(adapter_ir(shape), ADAPTER, ADAPTER_TYPE, "jit",
                                                     keep=self.code)
            except EngineUnavailable as e:
                self.unavailable = str(e)
                return 0
            made = self.adapters[shape.id] = (cfunc, ctypes.cast(cfunc, ctypes.c_void_p).value)
        self.meta.W[at] = made[1]
        self.meta.W[at + 1] = fn.fid
        return made[1]

    def _leaf(self, fid: int):
        """`fid`'s Lowered if it is a leaf small enough to inline into its
        static callers (it calls no HL function, so lowering it here never
        comes back here), else None; kept for its own installation."""
        if fid in self.leaves:
            return self.leaves[fid]
        fn = self.interp.functions[fid]
        low = None
        if fid not in self.refused and fn.native is None and len(fn.desc.code) <= INLINE_BYTES:
            try:
                low = self._lowered(fn, inline=False)
            except (Refused, RecursionError):
                low = None
            if low is not None and low.calls:
                low = None
        self.leaves[fid] = low
        return low

    def _inlined_installed(self, low) -> bool:
        """Every leaf inlined into `low` is installed (its hand-backs and
        natives are found through its own entry): installs those that are
        not yet; False if one cannot be."""
        for fid in low.inlines:
            if fid not in self.compiled:
                self._install(self.interp.functions[fid], self.leaves[fid])
                if fid not in self.compiled:
                    return False
        return True

    def _refuse(self, fn, why: str) -> None:
        self.refused[fn.fid] = why
        if self.trace:
            self.trace(f"jit: not compiled {fn.module.name}.{fn.display}: {why}")

    def _install(self, fn, low) -> None:
        if not self.ready:
            self._setup()
        import ctypes
        if fn.fid in self.compiled or not self._inlined_installed(low):
            return
        t0 = time.perf_counter()
        cfunc = self._native(fn, low, [kind(t) for t in fn.desc.locals[:fn.nargs]])
        if cfunc is None:
            return
        # Compile time: lowering (here or before) and making the native code.
        ms = (time.perf_counter() - t0) * 1000 + self.lower_ms.get((fn.fid, False), 0.0)
        address = ctypes.cast(cfunc, ctypes.c_void_p).value
        interp = self.interp
        entry = len(interp.code)
        interp.code.append(self._entry_op(fn, cfunc, entry, low))
        interp.meta.append((fn, 0))
        interp.live.append(None)
        self.compiled[fn.fid] = Compiled(low.sites, low.natives, cfunc, address, entry, len(low.ir), ms)
        M = self.meta.W
        at = fn.fid * META_WORDS
        M[at + META_CAP] = interp.caps[fn.fid]
        M[at + META_RECORD] = low.record_words
        M[at + META_SHADOW] = low.shadow_words
        interp.tables.set_native(fn.fid, address)
        if low.calls or low.loops:
            interp.install(fn.fid, entry)
        # Else the interpreter keeps calling it itself: a function that
        # neither loops nor calls runs a few instructions, fewer than
        # entering native code costs (about a microsecond); compiled
        # callers still call or inline its native code.
        if self.trace:
            self.trace(f"jit: compiled {fn.module.name}.{fn.display}: {len(fn.desc.code)} bytes of bytecode, "
                       f"{len(low.ir)} bytes of IR, {ms:.1f} ms")

    def _native(self, fn, low, params: list[str]):
        """The ctypes function of lowered `fn` (None, refused, where no native
        code can be made)."""
        from ..engine import Engine, EngineUnavailable
        from .native import function_type
        functype = function_type(params, None if fn.ret == "V" else kind(fn.ret))
        try:
            return Engine.get().native_function(low.ir, low.symbol, functype, "jit", keep=self.code)
        except EngineUnavailable as e:
            self.unavailable = str(e)
            self._refuse(fn, f"no native code can be made here: {e}")
            return None

    # --- on-stack replacement --------------------------------------------------------------
    def osr(self, fid: int, target: int) -> int:
        """At a back-edge of `fid` to op `target`, polled (interp.py
        `poll_back`): if `fid` is compiled and `target` is one of its loop
        headers, the running frame continues in its compiled loop (its
        locals copied in); returns the op index the interpreter goes on at,
        or -1 to go on at `target`."""
        c = self.compiled.get(fid)
        if c is None:
            return -1
        entry = c.osr
        if entry is None:
            token = critical.enter()
            try:
                entry = c.osr = self._osr_entry(self.interp.functions[fid])
            finally:
                critical.leave(token)
        if not entry:
            return -1
        header = entry.headers.get(target)
        if header is None:
            return -1
        fn = self.interp.functions[fid]
        A = self.args_view
        R = self.interp.ctx.R
        for j, k in enumerate(self._local_kinds(fn)):
            v = R[j]
            A[j] = helpers.bits(v) if k == "F" else int(v)
        return entry.run((header, self.args.address))

    def _osr_entry(self, fn):
        if fn.nlocals > ARG_WORDS:
            return False
        try:
            low = self._lowered(fn, osr=True)
        except Refused as r:
            if self.trace:
                self.trace(f"jit: no loop entry for {fn.module.name}.{fn.display}: {r}")
            return False
        if not self._inlined_installed(low):
            return False
        t0 = time.perf_counter()
        cfunc = self._native(fn, low, ["I", "I"])
        if cfunc is None:
            return False
        ms = (time.perf_counter() - t0) * 1000 + self.lower_ms.get((fn.fid, True), 0.0)
        self.osr_ms += ms
        self.osr_made += 1
        base = fn.entry
        headers = {base + fn.pcmap[h]: h for h in low.headers if h in fn.pcmap}
        if self.trace:
            self.trace(f"jit: loop entry for {fn.module.name}.{fn.display}: {len(low.ir)} bytes of IR, {ms:.1f} ms")
        entry = OsrEntry(low, cfunc, headers)
        entry.run = self._runner(fn, cfunc, low.record_words, low.shadow_words, self.compiled[fn.fid].entry)
        return entry

    def _local_kinds(self, fn) -> list:
        k = self._kinds.get(fn)
        if k is None:
            k = self._kinds[fn] = [kind(t) for t in fn.desc.locals]
        return k

    def _runner(self, fn, cfunc, words: int, shadow: int, entry: int):
        """`run(args)`: run `cfunc(env, *args)` for the interpreter's running
        frame of `fn`, then return as `retv` / `ret` do; the op index to go
        on at, or -1 when the shadow stack has no room for its frame (the
        interpreter goes on instead).  The frame it runs for stays the
        collector's view of the call (stopped at op `entry`: only its locals
        count), and the run state's words are saved and restored around it,
        so compiled code entered from a native that compiled code called
        keeps its own."""
        interp = self.interp
        ctx, frames = interp.ctx, interp.frames
        S = self.vm.state.W
        env = self.env
        leave = self._leave
        convert = {"Z": bool, "F": None}.get(fn.ret)
        void = fn.ret == "V"

        def run(args) -> int:
            sp = S[SHADOW_SP]
            if sp + shadow > SHADOW_WORDS:
                return -1
            ctx.pc = entry
            saved = S[BASE], S[DEPTH], S[WORDS]
            S[BASE] = len(frames)
            S[DEPTH] = 0
            S[WORDS] = words
            try:
                v = cfunc(env, *args)
            finally:
                S[BASE], S[DEPTH], S[WORDS] = saved
                S[SHADOW_SP] = sp
            if S[STATUS]:
                return leave()
            caller, pc, rd = frames.pop()
            if not void:
                caller[rd] = convert(v) if convert else v
            ctx.R = caller
            return pc
        return run

    # --- entering and leaving ------------------------------------------------------------
    def _entry_op(self, fn, cfunc, entry: int, low):
        """The op the entry table sends calls of `fn` to: its native code with
        the frame's arguments (the interpreted code when it cannot run)."""
        ctx = self.interp.ctx
        nargs = fn.nargs
        interpreted = fn.entry
        run = self._runner(fn, cfunc, low.record_words, low.shadow_words, entry)

        def op():
            pc = run(ctx.R[:nargs])
            return interpreted if pc < 0 else pc
        return op

    def _leave(self) -> int:
        S = self.vm.state.W
        if S[STATUS] == STOPPED:
            S[STATUS] = 0
            S[FAIL] = 0
            self.back.records(S)            # (nothing is written on a stop; emptied all the same)
            self.pending_throw = None
            e, self.pending = self.pending, None
            if e is None:                   # (a callback lost its exception and no hook saw it)
                raise RuntimeError("compiled code stopped without a reason (a callback failed)")
            raise e
        pc = rebuild(self.interp, self.compiled, self.back, S, self.handbacks)
        thrown = self.pending_throw
        if thrown is None:
            return pc
        # A native raised an HL error after running: throw it at its call,
        # as the interpreter's native op would have.
        self.pending_throw = None
        interp = self.interp
        interp.ctx.pc = pc
        if isinstance(thrown, HLThrow):
            ref = thrown.ref or interp.materialise(thrown, pc)
        else:                               # MemoryError: no room even to say so
            try:
                interp.errors.out_of_memory(0)
            except HLThrow as t:
                ref = t.ref
        return interp.unwind(ref, pc, 0)

    def reset(self) -> None:
        """Forget what a call cut short anywhere (a KeyboardInterrupt between
        two words of the run state) left: called as an outermost call begins."""
        if not self.ready:
            return
        S = self.vm.state.W
        for slot in (STATUS, FAIL, DEPTH, WORDS, SHADOW_SP):
            S[slot] = 0
        self.back.records(S)
        self.pending = self.pending_throw = None

    # --- reporting -------------------------------------------------------------------------
    def summary(self) -> str:
        n = len(self.compiled)
        ms = sum(c.ms for c in self.compiled.values()) + self.osr_ms
        return (f"jit: {n} functions compiled in {ms:.1f} ms, {len(self.refused)} not compiled, "
                f"{self.osr_made} loop entries")


__all__ = ["Jit", "MODES", "THRESHOLD"]
