"""Tier 1: when a function is compiled, how it is installed, and how the
interpreter enters and leaves its native code.

Policy.  Every function's calls and back-edges are counted by the
interpreter, which polls at each function's first event and then every
chunk of events (interp.py `poll`).  At a poll, `consider` compiles the
function once its count reaches the threshold — at once with
`jit="eager"` (so a function is compiled before its body first runs),
after THRESHOLD events with `"auto"` — together with the functions it
calls directly.  A function that cannot be compiled yet stays in the
interpreter, and `--trace-jit` says why, once.

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

import ctypes
import time

from ..engine import Engine, EngineUnavailable
from ..state import BASE, BUDGET, DEPTH, FUNCS, POLL, STATUS, STOPPED, WORDS
from .deopt import HandBack, rebuild
from .irgen import RECORD_HEADER, Refused, lower, signature_types

THRESHOLD = 2000            # calls + back-edges before `auto` compiles a function
MODES = ("off", "auto", "eager")

_CTYPE = {"I": ctypes.c_int64, "Z": ctypes.c_int64, "F": ctypes.c_double}
_POLL_TYPE = ctypes.CFUNCTYPE(ctypes.c_int64)


class Compiled:
    """One installed function: its sites (irgen.Site by code), the ctypes
    function, its native address, the code index of its entry op."""
    __slots__ = ("sites", "cfunc", "address", "entry", "ir_bytes", "ms")

    def __init__(self, sites, cfunc, address, entry, ir_bytes, ms) -> None:
        self.sites = sites
        self.cfunc = cfunc
        self.address = address
        self.entry = entry
        self.ir_bytes = ir_bytes
        self.ms = ms


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
        self.back: HandBack | None = None
        self._poll = None
        self.unavailable: str | None = None  # why no native code can be made here

    # --- the native side, set up on first compilation ---------------------------------------
    def _setup(self) -> None:
        S = self.vm.state.W
        self.back = HandBack(self.vm.state)
        control = self.vm.control

        def poll() -> int:
            try:
                S[BUDGET] = control.grant()
                return 0
            except BaseException as e:      # a stop, or Ctrl-C arriving here: raised by the entry op
                self.pending = e
                return 1
        self._poll = _POLL_TYPE(poll)
        S[POLL] = ctypes.cast(self._poll, ctypes.c_void_p).value
        S[FUNCS] = self.interp.tables.funcs.address
        self.env = self.vm.state.address
        self.ready = True

    # --- policy ---------------------------------------------------------------------------
    def consider(self, fid: int) -> None:
        """At a poll of function `fid` (interp.py): compile it if it is hot enough."""
        if fid in self.compiled or fid in self.refused or self.unavailable:
            return
        fn = self.interp.functions[fid]
        if fn.hot < self.threshold:
            return
        self.compile_with_callees(fn)

    def compile_with_callees(self, fn) -> None:
        """Compile `fn` and, first, what it calls directly (breadth first,
        without recursion in Python)."""
        order, seen, work, lowered = [], {fn.fid}, [fn], {}
        while work:
            f = work.pop()
            order.append(f)
            low = self._lower(f)
            if low is None:
                continue
            f_low, callees = low
            for c in callees:
                if c not in seen and c not in self.compiled and c not in self.refused:
                    seen.add(c)
                    work.append(self.interp.functions[c])
            lowered[f.fid] = f_low
        for f in reversed(order):           # callees first: callers find them in the table
            low = lowered.get(f.fid)
            if low is not None:
                self._install(f, low)

    def _lower(self, fn):
        if fn.fid in self.compiled or fn.fid in self.refused:
            return None
        try:
            low = lower(fn, self.vm._linker._resolver(fn.module), self.interp.caps.__getitem__)
        except Refused as r:
            self._refuse(fn, str(r))
            return None
        except RecursionError:
            self._refuse(fn, "too deeply nested to compile")
            return None
        return low, low.callees

    def _refuse(self, fn, why: str) -> None:
        self.refused[fn.fid] = why
        if self.trace:
            self.trace(f"jit: not compiled {fn.module.name}.{fn.display}: {why}")

    def _install(self, fn, low) -> None:
        if not self.ready:
            self._setup()
        params, _ret = signature_types(fn)
        restype = _CTYPE.get(fn.ret, ctypes.c_int64)
        functype = ctypes.CFUNCTYPE(restype, ctypes.c_void_p,
                                    *[_CTYPE[t] for t in fn.desc.locals[:fn.nargs]])
        t0 = time.perf_counter()
        try:
            cfunc = Engine.get().native_function(low.ir, low.symbol, functype, "jit")
        except EngineUnavailable as e:
            self.unavailable = str(e)
            self._refuse(fn, f"no native code can be made here: {e}")
            return
        ms = (time.perf_counter() - t0) * 1000
        address = ctypes.cast(cfunc, ctypes.c_void_p).value
        interp = self.interp
        entry = len(interp.code)
        interp.code.append(self._entry_op(fn, cfunc))
        interp.meta.append((fn, 0))
        interp.live.append(None)
        self.compiled[fn.fid] = Compiled(low.sites, cfunc, address, entry, len(low.ir), ms)
        interp.tables.set_native(fn.fid, address)
        interp.install(fn.fid, entry)
        if self.trace:
            self.trace(f"jit: compiled {fn.module.name}.{fn.display}: {len(fn.desc.code)} bytes of bytecode, "
                       f"{len(low.ir)} bytes of IR, {ms:.1f} ms")

    # --- entering and leaving ------------------------------------------------------------
    def _entry_op(self, fn, cfunc):
        """The op the entry table sends calls of `fn` to: run its native code
        with the frame's arguments, then return as `retv` / `ret` do."""
        interp = self.interp
        ctx, frames = interp.ctx, interp.frames
        S = self.vm.state.W
        env = self.env
        nargs = fn.nargs
        words = RECORD_HEADER + fn.nlocals + fn.facts.max_depth
        leave = self._leave
        convert = {"Z": bool}.get(fn.ret)
        void = fn.ret == "V"

        def op():
            R = ctx.R
            S[BASE] = len(frames)
            S[WORDS] = words
            v = cfunc(env, *R[:nargs])
            if S[STATUS]:
                return leave()
            caller, pc, rd = frames.pop()
            if not void:
                caller[rd] = convert(v) if convert else v
            ctx.R = caller
            return pc
        return op

    def _leave(self) -> int:
        S = self.vm.state.W
        if S[STATUS] == STOPPED:
            S[STATUS] = 0
            S[DEPTH] = 0
            S[WORDS] = 0
            self.back.records(S)            # (nothing is written on a stop; emptied all the same)
            e, self.pending = self.pending, None
            raise e
        return rebuild(self.interp, self.compiled, self.back, S)

    # --- reporting -------------------------------------------------------------------------
    def summary(self) -> str:
        n = len(self.compiled)
        ms = sum(c.ms for c in self.compiled.values())
        return f"jit: {n} functions compiled in {ms:.1f} ms, {len(self.refused)} not compiled"


__all__ = ["Jit", "MODES", "THRESHOLD"]
