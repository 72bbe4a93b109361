"""The embedding API keeps its promises with hostile or careless hosts: every
`VM(...)` argument is checked (TypeError / ValueError naming it), a host
native's exception is an HL error whatever its `__str__` does, and a VM is
used by one thread at a time — another thread touching it during a call gets
VMBusyError, never a half-moved heap (hllvm/arguments.py, natives/host.py,
limits.py; docs/embedding.md)."""

from __future__ import annotations

import math
import pathlib
import threading

import pytest

from hl import VM, HLError
from hllvm.limits import VMBusyError


# --- constructor arguments ----------------------------------------------------------------------

@pytest.mark.parametrize("option, value, error", [
    ("max_heap", -1, ValueError),
    ("max_heap", 0, ValueError),
    ("max_heap", 1 << 41, ValueError),
    ("max_heap", "16M", TypeError),
    ("max_heap", 16.0 * (1 << 20), TypeError),
    ("max_heap", True, TypeError),
    ("max_stack", 0, ValueError),
    ("max_stack", 10 ** 7, ValueError),
    ("max_stack", 2.5, TypeError),
    ("fuel", -1, ValueError),
    ("fuel", 1 << 63, ValueError),
    ("fuel", 1.5, TypeError),
    ("fuel", True, TypeError),
    ("timeout", 0, ValueError),
    ("timeout", -1.0, ValueError),
    ("timeout", math.nan, ValueError),
    ("timeout", math.inf, ValueError),
    ("timeout", "1", TypeError),
    ("timeout", True, TypeError),
    ("max_output", -5, ValueError),
    ("max_output", "10", TypeError),
    ("allow_read", [""], ValueError),
    ("allow_write", ["", "/tmp"], ValueError),
    ("allow_read", "/tmp", TypeError),
    ("allow_read", pathlib.Path("/tmp"), TypeError),
    ("allow_read", [None], TypeError),
    ("allow_read", [b"/tmp"], TypeError),
    ("allow_read", ["/tmp\0/x"], ValueError),
    ("allow_read", 5, TypeError),
    ("stdin", 5, TypeError),
    ("stdin", b"input", TypeError),
    ("stdout", 5, TypeError),
    ("gc_stress", "yes", TypeError),
    ("verify_heap", 1, TypeError),
    ("trace_gc", 5, TypeError),
])
def test_bad_constructor_arguments_are_refused_naming_the_argument(option, value, error):
    with pytest.raises(error, match=option):
        VM(**{option: value})


def test_a_wrongly_typed_argument_is_also_a_value_error():
    # Hosts written when these were ValueErrors keep catching them.
    with pytest.raises(ValueError):
        VM(fuel="10")


def test_an_empty_grant_never_grants_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret").write_text("s")
    with pytest.raises(ValueError, match="empty path"):
        VM(allow_read=[""])
    vm = VM(allow_read=["."], stdin="")            # the current directory, said so
    mod = vm.load_source("import io; fn read(p: string) -> string { return io.read_file(p); }", name="r")
    assert mod.call("read", "secret") == "s"


def test_edge_values_are_accepted():
    vm = VM(max_heap=64 << 10, max_stack=1, fuel=0, timeout=0.001, max_output=0, allow_read=(),
            allow_write=[pathlib.Path("/tmp")], stdin="", gc_stress=False, verify_heap=None,
            trace_gc=None)
    assert vm.fuel == 0 and vm.allow_write == ("/tmp",)
    VM(max_heap=64 << 20, max_stack=1_000_000, fuel=(1 << 63) - 1)


def test_limit_setters_check_their_values_too():
    vm = VM(stdin="")
    for setter, bad, error in (("fuel", -1, ValueError), ("fuel", 2.0, TypeError),
                               ("timeout", 0, ValueError), ("timeout", "2", TypeError),
                               ("max_output", -1, ValueError)):
        with pytest.raises(error, match=setter):
            setattr(vm, setter, bad)
    vm.fuel = (1 << 63) - 1
    with pytest.raises(ValueError, match="fuel"):
        vm.add_fuel(1)                            # beyond what the run state can hold
    assert vm.fuel == (1 << 63) - 1


# --- host natives' exceptions ------------------------------------------------------------------

class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no text for you")


def _raise_unprintable():
    raise Unprintable()


def test_an_exception_whose_text_cannot_be_read_is_caught_by_hl_with_its_class_name():
    vm = VM(stdin="")
    vm.define_native("host.boom", _raise_unprintable, "fn()")
    mod = vm.load_source("""
import host;
fn caught() -> string {
    try { host.boom(); } catch e: Error { return "caught " + e.message; }
    return "not thrown";
}
fn uncaught() { host.boom(); }
""", name="m")
    assert mod.call("caught") == "caught Unprintable"
    with pytest.raises(HLError) as ei:
        mod.call("uncaught")
    assert ei.value.class_name == "Error" and ei.value.message == "Unprintable"
    assert isinstance(ei.value.__cause__, Unprintable)


# --- one thread at a time ----------------------------------------------------------------------

class Busy:
    """A VM with a call running in another thread (blocked in a host native)
    until `finish()`."""

    def __init__(self, vm, mod, box, leave, caller, result) -> None:
        self.vm, self.mod, self.box = vm, mod, box
        self._leave, self._caller, self._result = leave, caller, result

    def __iter__(self):
        return iter((self.vm, self.mod, self.box))

    def finish(self) -> None:
        self._leave.set()
        self._caller.join(60)
        assert self._result == [1]           # the call was never disturbed


@pytest.fixture
def busy_vm():
    """A VM, and a call running in it (blocked in a host native) while the
    test acts from another thread."""
    vm = VM(stdin="", timeout=60.0)
    entered, leave = threading.Event(), threading.Event()

    def wait_here() -> int:
        entered.set()
        leave.wait(60)
        return 1
    vm.define_native("host.wait_here", wait_here, "fn() -> int")
    mod = vm.load_source("""
import host;
class Box { v: int; init(v: int) { self.v = v; } fn get() -> int { return self.v; } }
let answer = 42;
fn hold() -> int { return host.wait_here(); }
fn make(v: int) -> Box { return new Box(v); }
fn seven() -> int { return 7; }
""", name="m")
    box = mod.call("make", 5)
    result = []

    def run_call():
        result.append(mod.call("hold"))
    caller = threading.Thread(target=run_call)
    caller.start()
    assert entered.wait(60)
    busy = Busy(vm, mod, box, leave, caller, result)
    yield busy
    busy.finish()


BUSY = {
    "collect": lambda vm, mod, box: vm.collect(),
    "load": lambda vm, mod, box: vm.load_source("fn g() -> int { return 1; }", name="g"),
    "call": lambda vm, mod, box: mod.call("seven"),
    "new": lambda vm, mod, box: mod.new("Box", 1),
    "method call": lambda vm, mod, box: box.call("get"),
    "set fuel": lambda vm, mod, box: setattr(vm, "fuel", 10),
    "add fuel": lambda vm, mod, box: vm.add_fuel(10),
    "define a native": lambda vm, mod, box: vm.define_native("other.f", lambda: 1, "fn() -> int"),
    "read a global": lambda vm, mod, box: mod.get("answer"),
    "read a field": lambda vm, mod, box: box.get("v"),
    "compare handles": lambda vm, mod, box: box.same(box),
}


@pytest.mark.parametrize("operation", list(BUSY))
def test_another_thread_cannot_use_a_vm_during_a_call(busy_vm, operation):
    vm, mod, box = busy_vm
    errors = []

    def act():
        try:
            BUSY[operation](vm, mod, box)
        except Exception as e:
            errors.append(e)
    t = threading.Thread(target=act)
    t.start()
    t.join(60)
    assert len(errors) == 1 and isinstance(errors[0], VMBusyError), errors
    assert isinstance(errors[0], RuntimeError) and "in use by another thread" in str(errors[0])


def test_reading_the_fuel_from_another_thread_is_allowed_during_a_call(busy_vm):
    vm, _, _ = busy_vm
    done = []
    t = threading.Thread(target=lambda: done.append(vm.fuel))
    t.start()
    t.join(60)
    assert done == [None]


def test_a_handle_released_from_another_thread_is_let_go_at_the_next_call(busy_vm):
    vm, mod, box = busy_vm
    held = len(vm.handles)
    t = threading.Thread(target=box.release)
    t.start()
    t.join(60)
    assert box.released and len(vm.handles) == held      # not touched during the call
    busy_vm.finish()
    assert mod.call("seven") == 7 and len(vm.handles) == held - 1


def test_after_the_call_another_thread_may_use_the_vm():
    vm = VM(stdin="")
    mod = vm.load_source("fn seven() -> int { return 7; } let answer = 42;", name="m")
    out = []

    def act():
        vm.collect()
        out.append((mod.call("seven"), mod.get("answer")))
    t = threading.Thread(target=act)
    t.start()
    t.join(60)
    assert out == [(7, 42)]
    vm.collect()                          # and the first thread again
    assert mod.call("seven") == 7


def test_a_native_may_still_collect_and_call_back_into_its_own_vm():
    vm = VM(stdin="")
    calls = []

    def nested() -> int:
        vm.collect()
        calls.append(vm.module("m").call("seven"))
        return calls[-1] + 1
    vm.define_native("host.nested", nested, "fn() -> int")
    mod = vm.load_source("import host; fn seven() -> int { return 7; } fn outer() -> int { return host.nested(); }",
                         name="m")
    assert mod.call("outer") == 8 and calls == [7]


def test_an_argument_whose_repr_fails_is_still_a_type_error():
    from hl import VM as SourceVM
    vm = SourceVM()
    f = vm.load_source("fn f(x: int) -> int { return x; }", name="m").function("f")

    class Unprintable:
        def __repr__(self):
            raise RuntimeError("no repr")
    with pytest.raises(TypeError, match="got a Unprintable"):
        f(Unprintable())
