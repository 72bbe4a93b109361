"""`VM`: one isolated HL virtual machine instance and its host API.

A VM owns its heap, interpreter (code, frames, globals), linked modules,
natives, handles, limits and output.  Several VMs in one process share
nothing (each may run in its own thread).  This module is the embedding
surface for bytecode (docs/embedding.md): construct with limits and grants,
define host natives, load (`load_file` / `load_bytecode` for `.hlc`, or
`load` for module descriptors), then `run_main` (a whole program, returning
the exit status) or call functions with Python values in and out
(`module(name)`, `call`).  The pieces live beside it: `embed.py` (modules,
functions, handles, loading), `resolve.py` (module names and the search
path), `convert.py` (values), `limits.py` (fuel, time, interrupts),
`natives/host.py` (host natives).  It takes bytecode only: HL source is the
`hl` layer's (`hl.VM`, a subclass, adds `load_source` and `.hl` files and
puts the standard library's bytecode on the search path).  It reads files
only through the `io` natives' grants and the loads the host asks for.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

from hlbc import model as M
from hlbc.errors import LoadError

from . import embed
from .arguments import MAX_FUEL, check_arguments, check_env_grant, check_grants, check_int
from .collector import Collector
from .convert import Converters
from .embed import Handle, Module
from .errors import ExitProgram, HLError, Interrupted, ResourceExhausted, SnapshotError, Suspended
from .handles import HandleTable
from .heap import FIRST_CLASS_ID, Heap
from .layout import T_RARR
from .interp import Errors, Interpreter, Strings
from .limits import RunControl, check_timeout
from .state import RunState
from .linker import Linker
from .typeids import TypeIds
from .ops.values import Boxes
from .snapshot import CONTINUE, STOP, TASK_CALL, TASK_IDLE, TASK_INIT, TASK_MAIN, Request, Snapshots
from .verify import verify_modules
from .natives import bind, registry
from .natives import host as host_natives
from .output import Writer

HLRef = Handle      # the name earlier versions used


class VM:
    def __init__(self, max_heap: int = 256 << 20, max_stack: int = 10_000,
                 allow_read=(), allow_write=(), stdout=None, stderr=None, stdin=None, *,
                 allow_env=(),
                 fuel: int | None = None, timeout: float | None = None,
                 max_output: int | None = None, gc_stress: bool = False,
                 verify_heap: bool | None = None, trace_gc=None, jit: str | None = None, trace_jit=None):
        """A new, empty VM.  Limits: `max_heap` bytes of heap (OutOfMemoryError),
        `max_stack` frames (StackOverflowError), `fuel` calls + loop
        back-edges in all (ResourceExhausted, refillable), `timeout` seconds
        of wall clock per call and `max_output` characters of output per call
        (ResourceExhausted).  Collector (docs/gc.md): `gc_stress` collects at
        every allocation; `verify_heap` checks the heap after every collection
        (default: on under `gc_stress`); `trace_gc` is a callable taking one
        line per collection (or True: standard error).  Tiers (docs/jit.md):
        `jit` is "off" (the interpreter only), "auto" (hot functions are
        compiled) or "eager" (functions are compiled before they first run);
        None: the environment's HL_JIT, else "off";
        `trace_jit` takes one line per function compiled or not compiled
        (or True: standard error).
        Grants: `allow_read` / `allow_write` directories
        for the `io` module; `allow_env` names of environment variables the
        `env` module may read (`"*"`: every one).  `stdout` / `stderr`: file-like objects or
        callables taking text (None: the current sys.stdout / sys.stderr);
        `stdin`: a file-like object or a str (None: sys.stdin).
        Every argument is checked first (hllvm/arguments.py): TypeError or
        ValueError naming the argument."""
        if jit is None:
            jit = os.environ.get("HL_JIT") or "off"
        check_arguments(max_heap=max_heap, max_stack=max_stack, fuel=fuel, max_output=max_output,
                        timeout=timeout, stdin=stdin, gc_stress=gc_stress,
                        verify_heap=verify_heap, trace_gc=trace_gc, jit=jit, trace_jit=trace_jit)
        self.allow_read = check_grants("allow_read", allow_read)
        self.allow_write = check_grants("allow_write", allow_write)
        self.allow_env = check_env_grant(allow_env)
        if isinstance(stdin, str):
            stdin = io.StringIO(stdin)
        self.max_heap = max_heap
        self.max_stack = max_stack
        self.out = Writer(stdout, "stdout")
        self.err_out = Writer(stderr, "stderr")
        self._stdin = stdin
        self.heap = Heap(max_heap)
        self.state = RunState()            # the run state every tier shares (hllvm/state.py)
        self.errors = Errors(self)
        self.heap.on_oom = self.errors.out_of_memory
        self.strings = Strings(self.heap)
        self.interp = Interpreter(self)
        self.types = TypeIds(self)         # type ids beyond classes (hllvm/typeids.py)
        self.types.fixed_tests()
        self.boxes = Boxes(self)           # boxing and VHASH (hllvm/ops/values.py)
        if trace_gc is True:
            trace_gc = _stderr_line
        self.collector = Collector(self, stress=gc_stress, verify=verify_heap, log=trace_gc or None)
        self.handles = HandleTable()       # the host's references (collector roots)
        self.control = RunControl(self.interp, self.state, fuel, timeout, max_output)
        self.interp.control = self.control
        self.jit = None
        if jit != "off":
            from .jit import Jit
            self.jit = self.interp.jit = Jit(self, jit, _stderr_line if trace_jit is True else trace_jit or None)
        self.convert = Converters(self, Handle)
        self.modules: dict = {}            # name → RtModule, in load order
        self.classes: dict = {}            # (module, name) → RtClass
        self.next_class_id = FIRST_CLASS_ID
        self._natives = registry(self)
        self._bound: dict = {}
        self._linker = Linker(self)
        self._host_natives: dict[str, dict[str, tuple[str, list[str]]]] = {}   # module → fn → (sig, names)
        self._api: dict[str, Module] = {}  # module name → the host's Module object
        self._dropped: list[int] = []      # handle ids whose Handle was finalized unreleased
        self._uninitialised = False        # modules loaded whose initialiser has not run
        self.snapshots = Snapshots(self)   # suspend and resume (hllvm/snapshot/)
        self.restored_handles: dict = {}   # name → Handle, of the snapshot restored
        self._main_entry = ""              # the program whose main `run_main` is about to run

    @property
    def stdin(self):
        return self._stdin if self._stdin is not None else sys.stdin

    # --- one thread at a time (hllvm/limits.py) ---------------------------------------------
    @contextlib.contextmanager
    def _held(self, what: str):
        """Hold the VM for a host operation; VMBusyError if another thread
        is running it."""
        control = self.control
        control.claim(what)
        try:
            yield
        finally:
            control.unclaim()

    # --- loading ----------------------------------------------------------------------
    def load(self, modules) -> None:
        """Verify and link module descriptors (in initialisation order);
        VerifyError if they do not type-check, LoadError if they do not fit
        together.  Module initialisers run later, on first use."""
        with self._held("load modules"):
            if self.interp.frames:
                raise RuntimeError("cannot load modules while HL code runs (from a native)")
            try:
                self._linker.link(list(modules))
            except LoadError:
                raise
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
                # Malformed descriptors built by hand (not read from a file).
                raise LoadError(f"malformed module: {type(e).__name__}: {e}") from None
            self._uninitialised = True

    # Directories searched for imported `.hlc` modules after those a load
    # names (hl.VM puts the standard library's bytecode here).
    module_path: tuple = ()

    def load_file(self, path, search_dirs=()) -> Module:
        """Load a `.hlc` bytecode file with the modules it imports, then run
        their initialisers.  Imports are searched in the file's directory,
        `search_dirs`, then `module_path` (resolve.py); LoadError for
        anything else (HL source is `hl.VM`'s)."""
        with self._held("load modules"):
            return embed.load_file(self, path, search_dirs)

    def load_bytecode(self, data: bytes, search_dirs=()) -> Module:
        """Load one module from `.hlc` bytes (verified like every load), with
        the modules it imports (host modules, `.hlc` files along
        `search_dirs` then `module_path`), then run their initialisers."""
        with self._held("load modules"):
            return embed.load_bytecode(self, data, search_dirs)

    def module(self, name: str) -> Module:
        """The loaded module `name` (LoadError if it is not loaded)."""
        api = self._api.get(name)
        if api is None:
            rt = self.modules.get(name)
            if rt is None:
                raise LoadError(f"module {name} is not loaded")
            api = self._api[name] = Module(self, rt)
        return api

    # --- host natives ---------------------------------------------------------------------
    def define_native(self, name: str, fn, signature: str) -> None:
        """Make Python callable `fn` the HL function `name` ("module.function")
        with the signature `signature` ("fn(msg: string, n: int) -> bool", or
        the bytecode form "(SI)Z"; int, float, bool, string and arrays of
        them).  HL code calls it after
        `import module;`.  Define every native of a module before the first
        load that imports it."""
        if not isinstance(name, str):
            raise TypeError(f"a native's name must be a str, not {name!r}")
        if not isinstance(signature, str):
            raise TypeError(f"native {name}: the signature must be a str, not {signature!r}")
        module, fname = host_natives.split_name(name)
        if not callable(fn):
            raise TypeError(f"native {name}: {fn!r} is not callable")
        sig, names = host_natives.parse_host_signature(signature)
        with self._held("define a native"):
            if module in self.modules:
                raise ValueError(f"module {module} is already loaded: define its natives before "
                                 "the first load that imports it")
            if name in self._natives and module not in self._host_natives:
                raise ValueError(f"native {name} already exists")
            self._host_natives.setdefault(module, {})[fname] = (sig, names)
            self._natives[name] = (sig, fn, frozenset())
            self._bound[name] = host_natives.bind_host(self, name, sig, fn)

    def host_modules(self) -> list[str]:
        """The names of the modules the host defined natives in."""
        return list(self._host_natives)

    def host_natives(self, module: str) -> dict[str, tuple[str, list[str]]]:
        """The natives the host defined in `module`: function → (bytecode
        signature, parameter names); empty if it is not a host module."""
        return dict(self._host_natives.get(module, {}))

    def host_module_desc(self, module: str) -> M.ModuleDesc | None:
        """The bytecode module of host module `module` (natives/host.py), or
        None if the host defined no native in it."""
        fns = self._host_natives.get(module)
        return host_natives.module_desc(module, fns) if fns else None

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
        self._uninitialised = False
        interp = self.interp
        task = interp.task
        for m in list(self.modules.values()):
            if not m.initialised:
                m.initialised = True
                if m.init is not None:
                    # (a snapshot taken in it goes on with the program's main after it)
                    interp.task = (TASK_INIT, self._main_entry, "")
                    interp.execute(m.init, [])
        interp.task = task

    def initialise(self) -> None:
        """Run the initialisers of the modules loaded since the last run, in
        load order (`call` and `run_main` begin with this), under the VM's
        limits.  HLError if one throws; that module counts as initialised all
        the same."""
        embed.invoke(self, _no_work, ())

    # --- host control --------------------------------------------------------------------
    def interrupt(self) -> bool:
        """Stop the call running now with `Interrupted`, at its next poll
        (within 1024 calls or loop back-edges of a function; a sleeping
        `time.sleep` wakes at once).  Safe from a signal handler or another
        thread.  Only the call running at this moment is stopped, never a
        later one; with nothing running it does nothing.  True if a call was
        running."""
        return self.control.interrupt()

    def interrupt_on_sigint(self):
        """A context manager (main thread): while it is active, Ctrl-C stops
        the running call with `Interrupted` at a safe point instead of
        raising KeyboardInterrupt wherever Python happens to be (possibly in
        the middle of the allocator).  With no call running, or pressed
        again during a call already asked to stop (a native that does not
        return), it raises KeyboardInterrupt as usual."""
        return embed.interrupt_on_sigint(self)

    @property
    def fuel(self) -> int | None:
        """Calls plus loop back-edges left to run, over all calls (None: no
        limit); exact at every moment, as wasmtime's fuel.  A call stops with
        ResourceExhausted at the first event with no unit left (so a program
        that needs N units runs to the end with N and stops with N - 1), and a
        call begun with none left runs no HL code."""
        return self.control.fuel

    @fuel.setter
    def fuel(self, n: int | None) -> None:
        check_int("fuel", n, 0, MAX_FUEL, optional=True)
        with self._held("set the fuel"):
            self.control.fuel = n

    def add_fuel(self, n: int) -> int:
        """Add `n` units to the budget (starting one at 0 if there is no limit);
        returns the new amount."""
        check_int("fuel", n, 0, MAX_FUEL)
        with self._held("add fuel"):
            total = (self.control.fuel or 0) + n
            check_int("fuel", total, 0, MAX_FUEL)
            self.control.fuel = total
            return total

    @property
    def timeout(self) -> float | None:
        """Wall-clock seconds each call may run (None: no limit); a call past
        it ends with ResourceExhausted.  `Function(..., timeout=)` overrides it."""
        return self.control.timeout

    @timeout.setter
    def timeout(self, seconds: float | None) -> None:
        check_timeout("timeout", seconds)
        self.control.timeout = seconds

    @property
    def max_output(self) -> int | None:
        """Characters of output each call may write (None: no limit)."""
        return self.control.max_output

    @max_output.setter
    def max_output(self, n: int | None) -> None:
        check_int("max_output", n, 0, MAX_FUEL, optional=True)
        self.control.max_output = n

    def _release_dropped(self) -> None:
        dropped = self._dropped
        while dropped:
            self.handles.release(dropped.pop())

    def run_main(self, entry_module: str, args=()) -> int:
        """Initialise every module, run `main`, return the exit status
        (language.md A11).  An uncaught error prints its trace on stderr."""
        m = self.modules.get(entry_module)
        if m is None:
            raise LoadError(f"entry module {entry_module} is not loaded")
        main = Linker.main_of(m)

        def run(_args):
            argv = [self.heap.new_str_array(list(args))] if main.params else []
            self.interp.task = (TASK_MAIN, entry_module, "")
            r = self.interp.execute(main, argv)
            return r if main.ret == "I" else 0
        self._main_entry = entry_module         # (the initialisers run first: `_run_inits`)
        try:
            return self._exit_status(lambda: embed.invoke(self, run, ()))
        finally:
            self._main_entry = ""

    def _exit_status(self, go) -> int:
        """Run a whole program's call `go()` and make its end an exit status
        (language.md A11): an uncaught error's trace goes to stderr."""
        try:
            return go()
        except HLError as e:
            self._report_error(e.report())
            return 1
        except ExitProgram as e:
            return e.status
        except ResourceExhausted as e:
            self._report_error(f"{e}\n")
            return 4
        except (Interrupted, Suspended):      # the host asked for it: its to handle
            raise
        except Exception as e:       # a VM bug: report it without a Python traceback
            if os.environ.get("HLLVM_DEBUG"):
                raise
            self._report_error(f"internal VM error: {type(e).__name__}: {e}\n")
            return 1
        finally:
            try:
                self.out.flush()
            finally:
                self.err_out.flush()

    # --- suspend and resume (docs/snapshots.md) -------------------------------------------
    def suspend(self, handles: dict | None = None, timeout: float | None = None) -> bytes:
        """A snapshot of this VM, as bytes.  With no call running: the VM as
        it is (modules, globals, heap).  From another thread while a call
        runs: that call stops at its next safe point (within a poll
        interval) with `Suspended`, and this returns the snapshot of where
        it stopped.  `handles` ({name: Handle}) are kept in the snapshot
        and given back by name on resume (`VM.restored_handles`).
        SnapshotError if no snapshot can be made (from inside a native, or
        the call ended first: TimeoutError after `timeout` seconds)."""
        control = self.control
        if not control.running:
            if self.snapshots.restored is not None:
                raise SnapshotError("a restored call has not been resumed yet: resume_run() first")
            with self._held("suspend"):
                return self.snapshots.capture_idle(handles)
        if control.owner == _thread_ident():
            raise SnapshotError("suspend() from the thread running HL code (a native): use "
                                "request_snapshot() or let the call return first")
        req = Request(STOP, handles=handles)
        self.snapshots.request(req)
        if not req.done.wait(timeout):
            self.snapshots.cancel()
            raise TimeoutError("the call did not reach a point it could be suspended at in time")
        if req.error is not None:
            raise SnapshotError(f"the snapshot could not be made: {req.error}")
        return req.data

    def request_snapshot(self, deliver, stop: bool = False, after_events: int | None = None) -> Request:
        """Ask for a snapshot of the running call at its next safe point
        (safe from any thread and from a signal handler): `deliver(bytes)`
        is called in the VM's thread; then the call goes on, or with `stop`
        ends with `Suspended`.  `after_events`: once that many more calls
        and loop back-edges have run (exact in every tier, as fuel)."""
        req = Request(STOP if stop else CONTINUE, deliver)
        if after_events is not None:
            check_int("after_events", after_events, 0, MAX_FUEL)
        if after_events:
            self.snapshots.after(after_events, req)
        else:
            self.snapshots.request(req)
        return req

    def restore(self, snapshot) -> None:
        """Make this new VM (no module loaded; host natives defined, limits
        set) the one `snapshot` describes; a suspended call waits for
        `resume_run()`.  SnapshotError for anything wrong in it."""
        with self._held("restore a snapshot"):
            r = self.snapshots.restore(snapshot)
        self.restored_handles = {name: Handle(self, self.handles.add(ref), self.type_name(ref)) if ref else None
                                 for name, ref in r.handles.items()}

    @classmethod
    def resume(cls, snapshot, **options) -> "VM":
        """A new VM (constructed with `options`: limits, grants, jit, ...)
        restored from `snapshot`."""
        vm = cls(**options)
        vm.restore(snapshot)
        return vm

    @property
    def suspended_task(self) -> tuple | None:
        """What the restored, not yet resumed call was: ("main", module),
        ("init", module), ("call", module, function), or None."""
        r = self.snapshots.restored
        if r is None:
            return None
        kind = {TASK_MAIN: "main", TASK_INIT: "init", TASK_CALL: "call"}[r.task]
        return (kind, r.task_module, r.task_function) if kind == "call" else (kind, r.task_module)

    def resume_run(self):
        """Go on with the restored call: for a host call, its result as a
        Python value; for a program (its `main`, or an initialiser before
        it), the exit status, as `run_main` gives it."""
        r = self.snapshots.restored
        if r is None:
            raise RuntimeError("no suspended call to resume")
        if r.task in (TASK_MAIN, TASK_INIT):
            return self._exit_status(lambda: self._finish_program(r))
        result = self.snapshots.run_restored()
        if r.task_function:
            try:
                return self.module(r.task_module).function(r.task_function)._result(result)
            except LoadError:
                return None
        return None

    def _finish_program(self, r) -> int:
        from .linker import Linker
        m = self.modules.get(r.task_module)
        main = Linker.main_of(m) if m is not None else None
        result = self.snapshots.run_restored()
        if r.task == TASK_INIT:
            return self.run_main(r.task_module) if m is not None else 0
        return result if main is not None and main.ret == "I" else 0

    def _report_error(self, text: str) -> None:
        """Write why the run ended to stderr, after the program's output
        (flushed first, so the two interleave as written), even when that
        flush fails: a closed or full stdout must not lose the trace."""
        try:
            self.out.flush()
        finally:
            self.err_out.write(text)

    def call(self, module: str, function: str, *args, timeout: float | None = None):
        """Call a top-level function with Python values; returns a Python value
        (`self.module(module).call(function, ...)`).  Raises HLError for an
        uncaught HL error, LoadError for a bad name, ResourceExhausted or
        Interrupted when the call is stopped, TypeError / ValueError for
        arguments HL cannot take."""
        return self.module(module).function(function)(*args, timeout=timeout)

    # --- value conversion (convert.py) ---------------------------------------------------
    def to_hl(self, v, t: str):
        """Python value → HL value of type descriptor `t`."""
        with self._held("convert a value"):
            return self.convert.to_hl(t)(v)

    def to_python(self, r, t: str):
        """HL value of type descriptor `t` → Python value (objects as handles)."""
        with self._held("convert a value"):
            return self.convert.to_python(t)(r)

    # --- the collector ---------------------------------------------------------------------
    def collect(self) -> None:
        """A full collection now (between calls, or from a native);
        VMBusyError if another thread is running the VM."""
        with self._held("collect"):
            self.collector.collect("host")

    def gc_stats(self) -> str:
        """The collector's counters, as `--gc-stats` prints them."""
        return self.collector.report()

    # --- queries ---------------------------------------------------------------------------
    def class_of(self, ref: int):
        return self.interp.CLS[self.heap.W[ref]]

    def type_name(self, ref: int) -> str:
        return self.interp.type_name(ref)

    def new_erased_array(self, n: int) -> int:
        """A new `R[]` of n nulls (Java's Object[]: the storage natives give
        generic HL code, which cannot write `new T[n]`).  It may collect."""
        return self.heap.new_array(T_RARR, n)

    def is_ref_array(self, ref: int) -> bool:
        """Whether non-null `ref` is an array of references (of any element type)."""
        rec = self.interp.TYPES[self.heap.W[ref]]
        return getattr(rec, "kind", "") == "array" and rec.ref

    def hotness(self, module: str, function: str) -> int:
        """Calls plus back-edges the interpreter counted for a function (what
        tier 1 reads to decide what to compile; compiled code counts its
        events for fuel only, not per function)."""
        return self.interp.hotness(self.modules[module].function(function))


def _thread_ident() -> int:
    import threading
    return threading.get_ident()


def _stderr_line(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _no_work(_args) -> None:
    return None
