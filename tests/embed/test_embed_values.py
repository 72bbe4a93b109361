"""Values across the boundary (hllvm/convert.py), modules, functions and
handles (hllvm/embed.py)."""

from __future__ import annotations

import gc

import pytest

from hl import VM, Handle, HLError, LoadError

from embed_fixtures import make_vm, tier  # noqa: F401  (fixtures)


SRC = """
class Shape { name: string; init(name: string) { self.name = name; }
    fn area() -> float { return 0.0; }
    fn describe(prefix: string) -> string { return prefix + self.name + " " + str(self.area()); } }
class Rect extends Shape { w: float; h: float; on: bool; n: int;
    init(w: float, h: float) { super.init("rect"); self.w = w; self.h = h; self.on = true; self.n = 7; }
    fn area() -> float { return self.w * self.h; } }
class Other { }

var counter = 0;
let greeting = "hi";

fn add(a: int, b: int) -> int { return a + b; }
fn half(x: float) -> float { return x / 2.0; }
fn neg(b: bool) -> bool { return !b; }
fn echo(s: string) -> string { return s; }
fn is_null(s: string) -> bool { return s == null; }
fn sum(xs: int[]) -> int { var t = 0; for x in xs { t += x; } return t; }
fn fsum(xs: float[]) -> float { var t = 0.0; for x in xs { t += x; } return t; }
fn count_true(xs: bool[]) -> int { var t = 0; for x in xs { if x { t += 1; } } return t; }
fn join(xs: string[]) -> string { return ",".join(xs); }
fn grid(n: int) -> int[][] { var g = new int[n][]; for i in 0..n { g[i] = [i, i * i]; } return g; }
fn flags() -> bool[] { return [true, false, true]; }
fn floats() -> float[] { return [0.5, -1.0]; }
fn words() -> string[] { return ["a", null, "é😀"]; }
fn nothing() -> int[] { return null; }
fn make(w: float, h: float) -> Shape { return new Rect(w, h); }
fn area(s: Shape) -> float { return s.area(); }
fn areas(ss: Shape[]) -> float { var t = 0.0; for s in ss { t += s.area(); } return t; }
fn shapes() -> Shape[] { return [new Rect(1.0, 2.0), null]; }
fn bump() -> int { counter += 1; return counter; }
fn both(a: string, s: Shape, b: string) -> string { return a + s.name + b; }
"""


@pytest.fixture
def mod(make_vm):
    return make_vm().load_source(SRC, name="shapes")


def test_primitives_round_trip(mod):
    assert mod.call("add", 2, 3) == 5
    assert mod.call("add", (1 << 63) - 1, 1) == -(1 << 63)      # HL ints wrap
    assert mod.call("half", 3) == 1.5                             # an int passed as float
    assert mod.call("neg", False) is True
    assert mod.call("echo", "é😀\u0000x") == "é😀\u0000x"
    assert mod.call("echo", None) is None and mod.call("is_null", None) is True


@pytest.mark.parametrize("fn, args, exc", [
    ("add", (1 << 63, 0), ValueError),          # outside the 64-bit range
    ("add", (-(1 << 63) - 1, 0), ValueError),
    ("add", (True, 1), TypeError),               # bool is not an int here
    ("add", (1.0, 1), TypeError),
    ("half", ("1",), TypeError),
    ("neg", (1,), TypeError),
    ("echo", (b"x",), TypeError),
    ("sum", ([1, "2"],), TypeError),
    ("sum", ("12",), TypeError),
    ("area", ("rect",), TypeError),
])
def test_bad_arguments_are_refused_before_running(mod, fn, args, exc):
    with pytest.raises(exc):
        mod.call(fn, *args)
    assert mod.call("add", 1, 1) == 2


def test_wrong_arity(mod):
    with pytest.raises(TypeError, match="takes 2 arguments, got 1"):
        mod.call("add", 1)


def test_arrays_in_and_out(mod):
    assert mod.call("sum", [1, 2, 3]) == 6 and mod.call("sum", (4, 5)) == 9 and mod.call("sum", []) == 0
    assert mod.call("fsum", [0.5, 1]) == 1.5
    assert mod.call("count_true", [True, False, True]) == 2
    assert mod.call("join", ["a", None, "b"]) == "a,null,b"
    assert mod.call("grid", 3) == [[0, 0], [1, 1], [2, 4]]
    assert mod.call("flags") == [True, False, True]
    assert mod.call("floats") == [0.5, -1.0]
    assert mod.call("words") == ["a", None, "é😀"]
    assert mod.call("nothing") is None
    with pytest.raises(HLError, match="NullError"):
        mod.call("sum", None)


def test_objects_are_handles(mod):
    vm = mod.vm
    before = len(vm.handles)
    r = mod.call("make", 2.0, 3.0)
    assert isinstance(r, Handle) and r.class_name == "Rect"
    assert len(vm.handles) == before + 1
    assert mod.call("area", r) == 6.0
    assert r.call("area") == 6.0 and r.call("describe", "a ") == "a rect 6.0"
    assert (r.get("w"), r.get("on"), r.get("n"), r.get("name")) == (2.0, True, 7, "rect")
    assert mod.call("areas", [r, r]) == 12.0
    assert mod.call("both", "<", r, ">") == "<rect>"
    s = mod.call("shapes")
    assert s[1] is None and s[0].call("area") == 2.0
    r.release()
    assert r.released and len(vm.handles) == before + 1      # s[0] is still held
    with pytest.raises(ValueError, match="released"):
        mod.call("area", r)
    s[0].release()
    assert len(vm.handles) == before


def test_new_and_context_manager(mod):
    vm = mod.vm
    with mod.new("Rect", 1.5, 2.0) as r:
        assert r.call("area") == 3.0
        assert len(vm.handles) == 1
    assert r.released and len(vm.handles) == 0
    with pytest.raises(TypeError):
        mod.new("Rect", 1.0)
    with pytest.raises(LoadError):
        mod.new("Circle")


def test_a_handle_is_checked_against_the_declared_class(mod):
    with mod.new("Other") as o:
        with pytest.raises(TypeError, match="expected an HL Shape"):
            mod.call("area", o)


def test_a_handle_from_another_vm_is_refused(mod, make_vm):
    other = make_vm().load_source(SRC, name="shapes")
    with other.new("Rect", 1.0, 1.0) as foreign:
        with pytest.raises(ValueError, match="another VM"):
            mod.call("area", foreign)
        with pytest.raises(ValueError, match="another VM"):
            mod.call("areas", [foreign])


def test_dropped_handles_are_released_at_the_next_call(mod):
    vm = mod.vm
    r = mod.call("make", 1.0, 1.0)
    assert len(vm.handles) == 1
    del r
    gc.collect()
    assert len(vm.handles) == 1             # queued, not touched by the finalizer
    mod.call("add", 1, 2)
    assert len(vm.handles) == 0


def test_globals_and_listing(mod):
    assert mod.get("counter") == 0
    mod.call("bump")
    mod.call("bump")
    assert mod.get("counter") == 2 and mod.get("greeting") == "hi"
    assert {"add", "make", "bump"} <= set(mod.functions())
    assert mod.classes() == ["Shape", "Rect", "Other"]
    assert mod.function("add").signature == "fn add(int, int) -> int"
    with pytest.raises(LoadError):
        mod.get("nope")
    with pytest.raises(LoadError):
        mod.call("nope")
    with pytest.raises(LoadError):
        mod.call("$init")                    # compiler-made functions are not the host's


def test_vm_call_and_module_lookup(mod):
    vm = mod.vm
    assert vm.call("shapes", "add", 1, 2) == 3
    assert vm.module("shapes") is mod
    with pytest.raises(LoadError):
        vm.module("nope")


def test_to_hl_and_to_python_stay_available(make_vm):
    vm: VM = make_vm()
    vm.load_source("fn f() {}", name="m")
    assert vm.to_python(vm.to_hl([1, 2], "[I"), "[I") == [1, 2]
    assert vm.to_python(vm.to_hl("x", "S"), "S") == "x"
