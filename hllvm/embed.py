"""What an embedding host holds: loaded modules, callable functions, and
handles to HL objects; and loading `.hlc` bytecode.

    vm = VM(max_heap=64 << 20, fuel=10_000_000, timeout=2.0, allow_read=["data/"])
    vm.define_native("host.log", print, "fn(msg: string)")
    mod = vm.load_file("plugin.hlc")                      # Module
    mod.call("score", 3, 4.5, "x", [1, 2, 3])             # Python values in and out
    score = mod.function("score")                         # Function: the fast way to call often
    with mod.new("Point", 1.0, 2.0) as p:                 # Handle: keeps the object alive
        p.call("norm")

Owns `Module`, `Function` and `Handle` and the host-call sequence they
share (`invoke`: enter the run control, initialise new modules, convert the
arguments, run, convert the result, leave), and loading a `.hlc` module with
its imports (found by resolve.py; every module is verified by `VM.load`).
Loading source is the `hl` layer's: nothing here imports the compiler.
Value conversion is `convert.py`'s, limits `limits.py`'s.

Handles are entries of the VM's `HandleTable` (collector roots).  They stay
valid until `release()` (or the end of a `with` block); a handle dropped
without release is queued by its finalizer and released at the start of the
VM's next call, so correctness never depends on when Python finalizes it.
"""

from __future__ import annotations

import contextlib

from hlbc import model as M
from hlbc.errors import LoadError
from hlbc.paths import path_suffix, path_text, real_parent

from .convert import INT_MIN, INT_MAX
from .errors import HLThrow
from .layout import HEADER_WORDS, field_offset, instance_words
from .limits import VMBusyError
from .loadmeter import module_bytes_limit
from .resolve import BytecodeResolver, SearchPath, read_module_file
from .snapshot.tasks import TASK_CALL
from . import signals


class Function:
    """A top-level HL function, ready to be called with Python values."""

    __slots__ = ("vm", "module", "name", "rt", "params", "ret", "_args", "_refs", "_result", "_rooted", "_task",
                 "_arity", "_convert")

    def __init__(self, vm, module: str, rt) -> None:
        self.vm = vm
        self.module = module
        self.name = rt.name
        self.rt = rt
        self.params = tuple(rt.params)
        self.ret = rt.ret
        conv = vm.convert
        self._args = [conv.to_hl(p) for p in self.params]
        self._refs = [p not in ("I", "F", "Z") for p in self.params]
        # Several reference arguments: each must stay rooted while the next allocates.
        self._rooted = sum(self._refs) > 1
        self._result = conv.to_python(self.ret)
        self._arity = len(self.params)
        self._task = (TASK_CALL, module, self.name)
        self._convert = self._ints if all(p == "I" for p in self.params) else self._general

    @property
    def signature(self) -> str:
        from .convert import type_name
        ret = "" if self.ret == "V" else f" -> {type_name(self.ret)}"
        return f"fn {self.name}({', '.join(type_name(p) for p in self.params)}){ret}"

    def __call__(self, *args, timeout: float | None = None):
        """Call with Python values; returns a Python value.  HLError for an
        uncaught HL error, ResourceExhausted / Interrupted when stopped,
        TypeError / ValueError for arguments HL cannot take."""
        if len(args) != self._arity:
            raise TypeError(f"{self.module}.{self.name} takes {self._arity} arguments, "
                            f"got {len(args)}")
        # `invoke`, written out: this is the path whose cost a host pays per call.
        vm = self.vm
        control = vm.control
        control.enter(timeout)
        try:
            if vm._dropped:
                vm._release_dropped()
            if vm._uninitialised:
                vm._run_inits()
            raw = self._convert(args)
            rt = self.rt
            vm.interp.task = self._task              # what a snapshot of this call goes on with
            r = rt.native.call(*raw) if rt.native is not None else vm.interp.execute(rt, raw)
            return self._result(r)
        except HLThrow as t:
            err = vm.interp.uncaught_throw(t)
            raise err from err.__cause__
        finally:
            control.leave()
            if vm.out.buf:
                vm.out.flush()

    def _general(self, args) -> list:
        if self._rooted:
            return self.vm.convert.convert_args_rooted(self._args, self._refs, args)
        return [c(a) for c, a in zip(self._args, args)]

    def _ints(self, args) -> list:
        # The common case in one pass; anything unusual takes the general path
        # (which accepts int subclasses and names what is wrong).
        for a in args:
            if type(a) is not int or not INT_MIN <= a <= INT_MAX:
                return self._general(args)
        return list(args)

    def __repr__(self) -> str:
        return f"<HL {self.module}.{self.signature[3:]}>"


def invoke(vm, work, args, timeout: float | None = None):
    """The host-call sequence: `work(args)` runs HL code under the VM's
    limits; an HL error that escapes becomes HLError (chained to the Python
    exception that caused it, if a host native raised one)."""
    control = vm.control
    control.enter(timeout)
    try:
        if vm._dropped:
            vm._release_dropped()
        if vm._uninitialised:
            vm._run_inits()
        return work(args)
    except HLThrow as t:             # thrown outside the run loop (conversion, inits)
        err = vm.interp.uncaught_throw(t)
        raise err from err.__cause__
    finally:
        control.leave()
        if vm.out.buf:
            vm.out.flush()


class Module:
    """A module loaded in a VM, as the host sees it."""

    __slots__ = ("vm", "name", "_rt", "_functions")

    def __init__(self, vm, rt) -> None:
        self.vm = vm
        self.name = rt.name
        self._rt = rt
        self._functions: dict[str, Function] = {}

    def function(self, name: str) -> Function:
        """The top-level function `name` (LoadError if there is none)."""
        f = self._functions.get(name)
        if f is None:
            rt = self._rt.function(name) if not name.startswith("$") else None
            if rt is None:
                raise LoadError(f"no function {self.name}.{name}")
            f = self._functions[name] = Function(self.vm, self.name, rt)
        return f

    def call(self, function: str, *args, timeout: float | None = None):
        """Call top-level function `function` with Python values."""
        return self.function(function)(*args, timeout=timeout)

    def functions(self) -> list[str]:
        """Names of the module's top-level functions."""
        return [f.name for f in self._rt.functions if f.owner is None and not f.name.startswith("$")]

    def classes(self) -> list[str]:
        return [c.name for c in self._rt.classes]

    def get(self, global_name: str):
        """The current value of a global of the module, as a Python value."""
        g = self._rt.globals.get(global_name)
        if g is None:
            raise LoadError(f"no global {self.name}.{global_name}")
        slot, t = g
        vm = self.vm
        with vm._held("read a global"):
            if vm._uninitialised:           # run the initialisers first, under the limits
                invoke(vm, lambda _a: None, ())
            return vm.convert.to_python(t)(vm.interp.global_value(self._rt, slot, t))

    def new(self, class_name: str, *args, timeout: float | None = None) -> "Handle":
        """A new instance of class `class_name` (its `init` run with `args`),
        as a handle."""
        vm = self.vm
        cls = vm.classes.get((self.name, class_name))
        if cls is None:
            raise LoadError(f"no class {self.name}.{class_name}")
        if cls.is_interface:
            raise TypeError(f"{self.name}.{class_name} is an interface: it has no instances of its own")
        init = cls.init
        params = tuple(init.params) if init is not None else ()
        if len(args) != len(params):
            raise TypeError(f"{class_name}.init takes {len(params)} arguments, got {len(args)}")
        conv = vm.convert

        def work(a):
            obj = vm.heap.alloc(cls.id, cls.nfields, instance_words(cls.nfields))
            h = Handle(vm, vm.handles.add(obj), cls.name)   # rooted while the arguments allocate
            try:
                raw = conv.convert_args_rooted([conv.to_hl(p) for p in params],
                                               [p not in ("I", "F", "Z") for p in params], a)
                if init is not None:
                    vm.interp.execute(init, [h.ref, *raw])
            except BaseException:
                h.release()
                raise
            return h
        return invoke(vm, work, args, timeout)

    def __repr__(self) -> str:
        return f"<HL module {self.name}>"


class Handle:
    """An HL object held by the host.  Opaque; keeps the object alive (it is a
    collector root) until `release()`.  Usable as a context manager."""

    __slots__ = ("vm", "_hid", "class_name", "__weakref__")

    def __init__(self, vm, hid: int, class_name: str) -> None:
        self.vm = vm
        self._hid = hid
        self.class_name = class_name

    @property
    def ref(self) -> int:
        """The object's current heap reference (it may change when the
        collector moves the object: never keep it)."""
        if self._hid == 0:
            raise ValueError(f"handle to {self.class_name} was released")
        return self.vm.handles.get(self._hid)

    @property
    def released(self) -> bool:
        return self._hid == 0

    def release(self) -> None:
        """Let the object go (idempotent).  From a thread other than the one
        running the VM, the entry is let go at the start of the VM's next
        call, as for a dropped handle."""
        hid = self._hid
        if hid:
            self._hid = 0
            vm = self.vm
            control = vm.control
            try:
                control.claim("release a handle")
            except VMBusyError:
                vm._dropped.append(hid)
                return
            try:
                vm.handles.release(hid)
            finally:
                control.unclaim()

    def __enter__(self) -> "Handle":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self) -> None:
        # Never touch the table from a finalizer (it may run in any thread,
        # even during a collection): queue the id for the VM's next call.
        hid = getattr(self, "_hid", 0)
        if hid:
            self.vm._dropped.append(hid)

    def same(self, other: "Handle") -> bool:
        """Whether both handles name the same object."""
        if not (isinstance(other, Handle) and other.vm is self.vm):
            return False
        with self.vm._held("compare handles"):
            return other.ref == self.ref

    def _class(self, what: str):
        vm = self.vm
        cls = vm.interp.CLS[vm.heap.W[self.ref]]
        if cls is None:
            raise TypeError(f"cannot {what} of a {self.class_name} value: it is not an object")
        return cls

    def __call__(self, *args, timeout: float | None = None):
        """Call an HL function value (what an HL function of `fn(...)`
        result type returned) with Python values, as HL's `f(args)` would:
        its bound values, then `args`."""
        vm = self.vm
        shape = vm.interp.TYPES[vm.heap.W[self.ref]]
        if getattr(shape, "kind", None) != "closure":
            raise TypeError(f"a handle to {self.class_name} is not a function value")
        params, ret = M.parse_signature(shape.fntype.sig)
        if len(args) != len(params):
            raise TypeError(f"{self.class_name} takes {len(params)} arguments, got {len(args)}")
        conv = vm.convert
        fid, call, _cap, k, fix = vm.interp.CLO[shape.id]

        def work(a):
            raw = conv.convert_args_rooted([conv.to_hl(p) for p in params],
                                           [p not in ("I", "F", "Z") for p in params], a)
            f = self.ref                # (after the arguments: they may have moved it)
            bound = vm.heap.W[f + HEADER_WORDS:f + HEADER_WORDS + k].tolist() if k else []
            if fix is not None:
                fix(bound, f)
            if fid < 0:                 # a native function
                result = call(*bound, *raw)
            else:
                result = vm.interp.execute(shape.fn, [*bound, *raw])
            return conv.to_python(ret)(result)
        return invoke(vm, work, args, timeout)

    def call(self, method: str, *args, timeout: float | None = None):
        """Call a method (virtual dispatch) with Python values."""
        vm = self.vm
        cls = self._class("call a method")
        slot = cls.vindex.get(method)
        if slot is None:
            raise LoadError(f"class {cls.name} has no method {method}")
        impl = cls.vtable[slot]
        params = tuple(impl.params)
        if len(args) != len(params):
            raise TypeError(f"{cls.name}.{method} takes {len(params)} arguments, got {len(args)}")
        conv = vm.convert

        def work(a):
            raw = conv.convert_args_rooted([conv.to_hl(p) for p in params],
                                           [p not in ("I", "F", "Z") for p in params], a)
            return conv.to_python(impl.ret)(vm.interp.execute(impl, [self.ref, *raw]))
        return invoke(vm, work, args, timeout)

    def get(self, field: str):
        """The value of a field, as a Python value."""
        vm = self.vm
        with vm._held("read a field"):
            cls = self._class("read a field")
            f = cls.fields.get(field)
            if f is None:
                raise LoadError(f"class {cls.name} has no field {field}")
            slot, t = f
            heap = vm.heap
            if t == "F":
                return heap.D[self.ref + field_offset(slot)]
            if t == "Z":
                return bool(heap.W[self.ref + field_offset(slot)])
            conv = vm.convert.to_python(t)
            return conv(heap.W[self.ref + field_offset(slot)])

    def __repr__(self) -> str:
        if self._hid == 0:
            return f"<HL {self.class_name} (released)>"
        return f"<HL {self.class_name} #{self._hid}>"


# --- Ctrl-C --------------------------------------------------------------------------------

@contextlib.contextmanager
def interrupt_on_sigint(vm):
    """See `VM.interrupt_on_sigint`."""
    control = vm.control

    def on_sigint(signum, frame):
        if control.running and control.stopped != control.active:
            control.interrupt()
            return
        raise KeyboardInterrupt
    previous = signals.signal(signals.SIGINT, on_sigint)
    try:
        yield vm
    finally:
        signals.signal(signals.SIGINT, previous)


# --- loading ------------------------------------------------------------------------------

def load_file(vm, path, search_dirs=()) -> Module:
    """Load a `.hlc` module file: read, then verified like everything the
    VM loads; its imports are searched in its own directory first.  `path`:
    a `str` or any `os.PathLike`."""
    if path_suffix(path) != ".hlc":
        raise LoadError(f"{path}: the VM loads bytecode (.hlc) files only; "
                        "HL source is loaded by hl.VM")
    p = path_text(path)
    data = read_module_file(p, module_bytes_limit(vm.max_heap), "module file")
    return load_bytecode(vm, data, (real_parent(p), *search_dirs), where=str(path))


def load_bytecode(vm, data: bytes, search_dirs=(), where: str = "", resolver=None) -> Module:
    """Load one `.hlc` module with the modules it imports that `vm` does not
    have yet (resolve.py: host modules, then `a/b.hlc` along `search_dirs`
    and `vm.module_path`), then run the new initialisers.  `resolver`: a
    `BytecodeResolver` to use instead (the `hl` layer's compiles source)."""
    from . import load_bytes
    try:
        root = load_bytes(data)
    except LoadError as e:
        if not where:
            raise
        raise LoadError(f"{where}: {e.message}", e.offset, e.where) from None
    if resolver is None:
        resolver = BytecodeResolver(vm, SearchPath((*search_dirs, *vm.module_path)))
    return _load_new(vm, resolver.closure(root, where), root.name)


def _load_new(vm, modules, entry: str) -> Module:
    """Load the modules `vm` does not have yet (one of the same name must be
    the same module), then run the new initialisers."""
    new = []
    for m in modules:
        have = vm.modules.get(m.name)
        if have is None:
            new.append(m)
        elif not _same_module(have.desc, m):
            raise LoadError(f"module {m.name} is already loaded, from a different source",
                            where=m.name)
    if new:
        vm.load(new)
        vm.initialise()
    return vm.module(entry)


def _same_module(a: M.ModuleDesc, b: M.ModuleDesc) -> bool:
    if a is b:
        return True
    if a.source_hash and b.source_hash:
        return a.source_hash == b.source_hash
    from hlbc import write_module
    return write_module(a) == write_module(b)
