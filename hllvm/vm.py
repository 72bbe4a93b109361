"""`VM`: one isolated HL virtual machine instance and its host API.

A VM owns its heap, interpreter (code, frames, globals), linked modules,
natives, limits and output.  Several VMs in one process share nothing.  This
module is the embedding surface: construct, `load` module descriptors, then
`run_main` (a whole program, returning the exit status) or `call` (one
function with Python values in and out).  It does not compile source and
does not read files other than through the `io` natives' grants.
"""

from __future__ import annotations

import os
import sys

from hlbc import model as M
from hlbc.errors import LoadError

from .errors import ExitProgram, HLError, HLThrow, ResourceExhausted
from .heap import FIRST_CLASS_ID, T_FARR, T_IARR, T_RARR, T_STR8, T_STR32, T_ZARR, Heap, array_type_id
from .interp import Errors, Interpreter, Strings
from .linker import Linker
from .verify import verify_modules
from .natives import bind, registry
from .output import Writer

_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1


class HLRef:
    """An HL object handed to the host: opaque, names its class."""
    __slots__ = ("vm", "ref", "class_name")

    def __init__(self, vm, ref: int, class_name: str):
        self.vm = vm
        self.ref = ref
        self.class_name = class_name

    def __repr__(self) -> str:
        return f"<HL {self.class_name} @{self.ref}>"


class VM:
    def __init__(self, max_heap: int = 256 << 20, max_stack: int = 10_000,
                 allow_read=(), allow_write=(), stdout=None, stderr=None, stdin=None):
        if max_stack < 1:
            raise ValueError("max_stack must be at least 1")
        self.max_heap = max_heap
        self.max_stack = max_stack
        self.allow_read = tuple(os.fspath(p) for p in allow_read)
        self.allow_write = tuple(os.fspath(p) for p in allow_write)
        self.out = Writer(stdout, "stdout")
        self.err_out = Writer(stderr, "stderr")
        self._stdin = stdin
        self.heap = Heap(max_heap)
        self.errors = Errors(self)
        self.heap.on_oom = self.errors.out_of_memory
        self.strings = Strings(self.heap)
        self.interp = Interpreter(self)
        self.modules: dict = {}            # name → RtModule, in load order
        self.classes: dict = {}            # (module, name) → RtClass
        self.next_class_id = FIRST_CLASS_ID
        self._natives = registry(self)
        self._bound: dict = {}
        self._linker = Linker(self)

    @property
    def stdin(self):
        return self._stdin if self._stdin is not None else sys.stdin

    # --- loading ----------------------------------------------------------------------
    def load(self, modules) -> None:
        """Verify and link module descriptors (in initialisation order);
        VerifyError if they do not type-check, LoadError if they do not fit
        together.  Module initialisers run later, on first use."""
        try:
            self._linker.link(list(modules))
        except LoadError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
            # Malformed descriptors built by hand (not read from a file).
            raise LoadError(f"malformed module: {type(e).__name__}: {e}") from None

    def verify(self, modules) -> dict:
        """Verify module descriptors against the modules loaded so far without
        loading them (`hll verify`); VerifyError, else the verifier's results."""
        try:
            return verify_modules(list(modules), [m.desc for m in self.modules.values()],
                                  self.native_signature)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
            raise LoadError(f"malformed module: {type(e).__name__}: {e}") from None

    def native_signature(self, name: str) -> str | None:
        """The signature of native `name`, or None if this VM has none."""
        entry = self._natives.get(name)
        return entry[0] if entry is not None else None

    def native(self, name: str, sig: str, where: str = ""):
        """The binding of native `name`, checked against `sig`."""
        b = self._bound.get(name)
        if b is None:
            entry = self._natives.get(name)
            if entry is None:
                raise LoadError(f"unknown native {name}", where=where)
            nsig, fn, nullable = entry
            if nsig != sig:
                raise LoadError(f"native {name} has signature {nsig}, not {sig}", where=where)
            b = bind(self, name, nsig, fn, nullable)
            self._bound[name] = b
        elif b.signature != sig:
            raise LoadError(f"native {name} has signature {b.signature}, not {sig}", where=where)
        return b

    # --- running -------------------------------------------------------------------------
    def _run_inits(self) -> None:
        for m in list(self.modules.values()):
            if not m.initialised:
                m.initialised = True
                if m.init is not None:
                    self.interp.execute(m.init, [])

    def initialise(self) -> None:
        """Run the initialisers of the modules loaded since the last run, in
        load order (`call` and `run_main` begin with this).  HLError if one
        throws; that module counts as initialised all the same."""
        self.interp.interrupt_requested = False
        try:
            try:
                self._run_inits()
            except HLThrow as t:
                raise self.interp.uncaught(t.ref) from None
        finally:
            self.out.flush()

    # --- host control --------------------------------------------------------------------
    def interrupt(self) -> None:
        """Stop what runs now with `Interrupted`, at its next poll (within
        1024 calls or loop back-edges of a function).  Safe to call from a
        signal handler or another thread.  A request made while nothing runs
        is dropped when the next run starts, so it never stops a later one."""
        self.interp.interrupt_requested = True

    @property
    def fuel(self) -> int | None:
        """Calls plus loop back-edges left to run (None: no limit).  Charged
        at polls, 1024 at a time per function, so a run may overshoot by up
        to that much; at zero the run ends with `ResourceExhausted`."""
        return self.interp.fuel

    @fuel.setter
    def fuel(self, n: int | None) -> None:
        if n is not None and n < 0:
            raise ValueError("fuel must be at least 0")
        self.interp.fuel = n

    def run_main(self, entry_module: str, args=()) -> int:
        """Initialise every module, run `main`, return the exit status
        (language.md A11).  An uncaught error prints its trace on stderr."""
        m = self.modules.get(entry_module)
        if m is None:
            raise LoadError(f"entry module {entry_module} is not loaded")
        main = Linker.main_of(m)
        self.interp.interrupt_requested = False
        try:
            try:
                self._run_inits()
                argv = [self.heap.new_str_array(list(args))] if main.params else []
                r = self.interp.execute(main, argv)
                return r if main.ret == "I" else 0
            except HLThrow as t:     # thrown while setting up (e.g. no room for args)
                raise self.interp.uncaught(t.ref) from None
        except HLError as e:
            self.out.flush()
            self.err_out.write(e.report())
            return 1
        except ExitProgram as e:
            return e.status
        except ResourceExhausted as e:
            self.out.flush()
            self.err_out.write(f"{e}\n")
            return 4
        except Exception as e:       # a VM bug: report it without a Python traceback
            if os.environ.get("HLLVM_DEBUG"):
                raise
            self.out.flush()
            self.err_out.write(f"internal VM error: {type(e).__name__}: {e}\n")
            return 1
        finally:
            self.out.flush()
            self.err_out.flush()

    def call(self, module: str, function: str, *args):
        """Call a top-level function with Python values; returns a Python value.
        Raises HLError for an uncaught HL error, LoadError for a bad name,
        ResourceExhausted or Interrupted when the run is stopped."""
        m = self.modules.get(module)
        f = m.function(function) if m is not None else None
        if f is None:
            raise LoadError(f"no function {module}.{function}")
        if len(args) != len(f.params):
            raise TypeError(f"{module}.{function} takes {len(f.params)} arguments, got {len(args)}")
        self.interp.interrupt_requested = False
        try:
            try:
                self._run_inits()
                hl_args = [self.to_hl(a, t) for a, t in zip(args, f.params)]
                if f.native is not None:
                    r = f.native.call(*hl_args)
                else:
                    r = self.interp.execute(f, hl_args)
            except HLThrow as t:
                raise self.interp.uncaught(t.ref) from None
            return self.to_python(r, f.ret)
        finally:
            self.out.flush()

    # --- value conversion ------------------------------------------------------------------
    def to_hl(self, v, t: str):
        if t == "I":
            if isinstance(v, bool) or not isinstance(v, int) or not _INT_MIN <= v <= _INT_MAX:
                raise TypeError(f"expected a 64-bit int, got {v!r}")
            return v
        if t == "F":
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"expected a float, got {v!r}")
            return float(v)
        if t == "Z":
            if not isinstance(v, bool):
                raise TypeError(f"expected a bool, got {v!r}")
            return v
        if v is None:
            return 0
        if t == "S":
            if not isinstance(v, str):
                raise TypeError(f"expected a str, got {v!r}")
            return self.heap.new_str(v)
        if t.startswith("["):
            elem = t[1:]
            items = [self.to_hl(x, elem) for x in v]
            heap = self.heap
            a = heap.new_array(array_type_id(elem), len(items))
            for i, x in enumerate(items):
                heap.array_set(a, i, x)
            return a
        if isinstance(v, HLRef) and v.vm is self:
            return v.ref
        raise TypeError(f"cannot pass {v!r} as {t}")

    def to_python(self, r, t: str):
        if t in ("I", "F", "Z"):
            return r
        if t == "V" or not r:
            return None
        heap = self.heap
        tid = heap.W[r]
        if tid in (T_STR8, T_STR32):
            return heap.get_str(r)
        if tid in (T_IARR, T_FARR, T_ZARR, T_RARR):
            elem = t[1:] if t.startswith("[") else "?"
            n = heap.W[r + 1]
            return [self.to_python(heap.array_get(r, i), elem if tid == T_RARR else "I")
                    for i in range(n)]
        return HLRef(self, r, self.interp.CLS[tid].name)

    # --- queries ---------------------------------------------------------------------------
    def class_of(self, ref: int):
        return self.interp.CLS[self.heap.W[ref]]

    def type_name(self, ref: int) -> str:
        return self.interp.type_name(ref)

    def hotness(self, module: str, function: str) -> int:
        """Calls plus back-edges counted for a function (what the JIT will read)."""
        return self.interp.hotness(self.modules[module].function(function))
