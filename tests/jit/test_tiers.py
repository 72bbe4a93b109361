"""Tier 1 (hllvm/jit/): compiled code behaves exactly as the interpreter —
results, errors and their traces, fuel, time limits, interrupts, stack
depth — and really runs natively (the native function table holds it)."""

from __future__ import annotations

import io
import threading
import time

import pytest

from hl import VM
from hllvm import HLError, Interrupted, ResourceExhausted

TIERS = ("off", "auto", "eager")

SRC = """
fn fib(n: int) -> int { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }
fn divs(a: int, b: int) -> int { return a / b + a % b; }
fn shifts(a: int, b: int) -> int { return (a << b) ^ (a >> b) ^ (a >> (b + 64)); }
fn fl(x: float, n: int) -> float {
    var s = 0.0;
    for i in 0..n { s = s + x * 1.5 - float(i) / 3.0; }
    return s;
}
fn conv(x: float) -> int { return int(x); }
fn cmp(a: float, b: float) -> bool { return a < b || a == b && !(a != b); }
fn deep(n: int) -> int { if n == 0 { return 0; } return 1 + deep(n - 1); }
fn count(n: int) -> int { var i = 0; var s = 0; while i < n { s = s + i; i = i + 1; } return s; }
fn spin(n: int) -> int { var i = n; while true { i = i + 1; } return i; }
fn mid(n: int) -> int { return 10 / (n - 5); }
fn outer(n: int) -> int { var t = 0; for i in 0..n { t = t + mid(i); } return t; }
fn sq(x: int) -> int { return x * x; }
fn sumsq(n: int) -> int { var s = 0; for i in 0..n { s = s + sq(i); } return s; }
fn down(n: int) -> int { if n == 0 { return sq(3); } return down(n - 1); }
"""


def vm_with(mode: str, timeout: float | None = None, **kw) -> VM:
    """A VM with SRC loaded; `timeout` is set after the load (loading is
    timed too)."""
    vm = VM(jit=mode, **kw)
    vm.load_source(SRC, name="t")
    vm.timeout = timeout
    return vm


CASES = [
    ("fib", (20,)), ("divs", (7, 2)), ("divs", (-7, 2)), ("divs", (-(1 << 63), -1)),
    ("shifts", (12345, 3)), ("shifts", (-99, 70)), ("fl", (2.0, 30)), ("conv", (1e300,)),
    ("conv", (float("nan"),)), ("conv", (-2.9,)), ("cmp", (1.0, float("nan"))), ("cmp", (1.0, 1.0)),
    ("deep", (5000,)), ("count", (3000,)),
]


@pytest.mark.parametrize("mode", ["auto", "eager"])
def test_results_equal_the_interpreters(mode):
    ref, vm = vm_with("off"), vm_with(mode)
    for _ in range(3):                 # `auto` compiles once the functions are hot
        for name, args in CASES:
            assert repr(vm.call("t", name, *args)) == repr(ref.call("t", name, *args)), (name, args)
    compiled = {vm.interp.functions[fid].name for fid in vm.jit.compiled}
    hot = {"fib", "deep", "count"}         # many calls or back-edges: compiled by `auto` too
    assert hot <= compiled
    if mode == "eager":
        assert {"divs", "shifts", "fl", "conv", "cmp"} <= compiled


def test_eager_installs_native_code():
    vm = vm_with("eager")
    vm.call("t", "fib", 10)
    fib = vm.modules["t"].function("fib")
    assert fib.fid in vm.jit.compiled
    assert vm.interp.tables.native(fib.fid) != 0
    assert vm.interp.ENT[fib.fid] == vm.jit.compiled[fib.fid].entry


def test_off_compiles_nothing():
    vm = vm_with("off")
    vm.call("t", "fib", 15)
    assert vm.jit is None
    assert vm.interp.tables.native(vm.modules["t"].function("fib").fid) == 0


@pytest.mark.parametrize("mode", TIERS)
def test_errors_and_traces_are_the_interpreters(mode):
    def trace(m):
        vm = vm_with(m)
        with pytest.raises(HLError) as e:
            vm.call("t", "outer", 10)
        return e.value.report()
    assert trace(mode) == trace("off")
    assert "at mid (t.hl:15)" in trace(mode) and "at outer (t.hl:16)" in trace(mode)


def test_small_leaves_are_inlined_into_their_callers():
    """A small function that calls none is compiled into its static
    callers; it is still installed itself (its hand-backs are its own)."""
    vm = vm_with("eager")
    assert vm.call("t", "sumsq", 100) == sum(i * i for i in range(100))
    sq, sumsq = vm.modules["t"].function("sq"), vm.modules["t"].function("sumsq")
    assert vm.jit.leaves[sq.fid] is not None
    assert sq.fid in vm.jit.compiled and sumsq.fid in vm.jit.compiled
    assert "@hl_i" in vm.jit._lowered(vm.interp.functions[sumsq.fid]).ir


@pytest.mark.parametrize("mode", TIERS)
def test_inlined_calls_count_fuel_and_depth_as_calls(mode):
    """An inlined call is still a call: one unit of fuel, one frame."""
    need = fuel_used(mode, "sumsq", 3000)
    assert need == fuel_used("off", "sumsq", 3000)
    with pytest.raises(ResourceExhausted, match="fuel"):
        vm_with(mode, fuel=need - 1).call("t", "sumsq", 3000)
    vm = vm_with(mode, max_stack=1000)
    assert vm.call("t", "down", 998) == 9            # the leaf's frame is the 1000th
    with pytest.raises(HLError, match="StackOverflowError"):
        vm.call("t", "down", 999)


def fuel_used(mode: str, name: str, n: int) -> int:
    """Units of fuel the call `name(n)` takes in tier `mode`."""
    vm = vm_with(mode, fuel=10 ** 9)
    before = vm.control.fuel
    vm.call("t", name, n)
    return before - vm.control.fuel


@pytest.mark.parametrize("mode", TIERS)
@pytest.mark.parametrize("max_stack", [10_000, 1_000_000])
def test_stack_depth_is_the_interpreters(mode, max_stack):
    """Compiled code counts its depth; a deep recursion beyond its native
    stack is handed back, never overflows the native stack."""
    vm = vm_with(mode, max_stack=max_stack)
    if max_stack == 10_000:
        with pytest.raises(HLError) as e:
            vm.call("t", "deep", 20_000)
        assert "StackOverflowError: call depth exceeded 10000 frames" in e.value.report()
        assert vm.call("t", "deep", 9_000) == 9_000
    else:
        assert vm.call("t", "deep", 300_000) == 300_000


@pytest.mark.parametrize("mode", TIERS)
def test_fuel_is_exact_in_every_tier(mode):
    need = fuel_used(mode, "count", 5000)
    assert vm_with(mode, fuel=need).call("t", "count", 5000) == sum(range(5000))
    with pytest.raises(ResourceExhausted, match="fuel"):
        vm_with(mode, fuel=need - 1).call("t", "count", 5000)


@pytest.mark.parametrize("mode", TIERS)
def test_timeout_stops_a_compiled_loop(mode):
    vm = vm_with(mode, timeout=0.2)
    t = time.monotonic()
    with pytest.raises(ResourceExhausted, match="time limit"):
        vm.call("t", "spin", 1)
    assert time.monotonic() - t < 2
    if mode == "eager":                           # the loop really ran compiled
        assert vm.modules["t"].function("spin").fid in vm.jit.compiled
    assert vm.call("t", "fib", 10) == 55          # the VM answers the next call


def test_huge_functions_stay_interpreted_and_say_why():
    """Compiling cannot be cut short by a time limit, so a function over
    8,000 bytes of bytecode (HotSpot's HugeMethodLimit) is not compiled."""
    body = "".join(f"    s = s + i * {k} % 7 + str(i + {k}).length;\n" for k in range(300))
    src = f"fn huge(i: int) -> int {{\n    var s = 0;\n{body}    return s;\n}}\n"
    lines = []
    vm, ref = VM(jit="eager", trace_jit=lines.append), VM(jit="off")
    for v in (vm, ref):
        v.load_source(src, name="h")
    assert vm.call("h", "huge", 7) == ref.call("h", "huge", 7)
    fid = vm.modules["h"].function("huge").fid
    assert fid in vm.jit.refused and "too large to compile" in vm.jit.refused[fid]
    assert any("not compiled h.huge: too large to compile" in line for line in lines)


def test_no_compiling_in_a_call_too_near_its_deadline():
    """A call whose deadline is nearer than compiling would take leaves its
    functions interpreted (the next call may compile them)."""
    vm = vm_with("eager")
    with pytest.raises(ResourceExhausted, match="time limit"):
        vm.call("t", "spin", 1, timeout=0.001)
    assert vm.modules["t"].function("spin").fid not in vm.jit.compiled
    assert vm.call("t", "count", 10, timeout=5.0) == 45
    assert vm.modules["t"].function("count").fid in vm.jit.compiled


@pytest.mark.parametrize("mode", TIERS)
def test_interrupt_stops_a_compiled_loop_quickly(mode):
    vm = vm_with(mode)
    stopped = []

    def later():
        stopped.append(time.monotonic())
        vm.interrupt()
    threading.Timer(0.2, later).start()
    with pytest.raises(Interrupted):
        vm.call("t", "spin", 1)
    # Compiled code polls well under a millisecond apart; the bound leaves
    # room for a busy machine's scheduling of the two threads.
    assert time.monotonic() - stopped[0] < 0.5


def test_two_vms_in_two_threads_run_compiled_code_apart():
    results = {}

    def run(k):
        vm = vm_with("eager")
        results[k] = [vm.call("t", "fib", 18 + k), vm.call("t", "count", 1000 * k)]
    threads = [threading.Thread(target=run, args=(k,)) for k in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {1: [4181, sum(range(1000))], 2: [6765, sum(range(2000))]}


def test_trace_jit_says_what_was_compiled():
    lines = []
    vm = VM(jit="eager", trace_jit=lines.append, stdout=io.StringIO())
    vm.load_source(SRC + 'fn main() { println(str(fib(5))); }', name="t")
    vm.run_main("t")
    text = "\n".join(lines)
    assert "jit: compiled t.fib:" in text and "bytes of IR" in text
    assert "jit: compiled t.main:" in text
    assert vm.jit.summary().startswith("jit: 2 functions compiled in ")


def test_every_instruction_is_compiled():
    """No function stays in the interpreter for an instruction tier 1 lacks."""
    from hlbc.opcodes import TABLE
    from hllvm.jit.irgen import compiled_instructions
    assert {d.name for d in TABLE} == compiled_instructions()


@pytest.mark.parametrize("bad", ["on", "", "OFF", 1])
def test_jit_mode_is_checked(bad):
    with pytest.raises((TypeError, ValueError), match="jit must be one of"):
        VM(jit=bad)


SHAPES = """
class Shape { fn area() -> float { return 0.0; } }
class Sq extends Shape {
    s: float;
    init(s: float) { self.s = s; }
    fn area() -> float { return self.s * self.s; }
}
fn squares(n: int) -> Shape[] {
    let xs = new Shape[n];
    for i in 0..n { xs[i] = new Sq(float(i)); }
    return xs;
}
fn total(xs: Shape[]) -> float { var t = 0.0; for x in xs { t += x.area(); } return t; }
"""


def test_virtual_calls_inline_the_leaves_loaded_so_far_and_reach_later_classes(tmp_path):
    """`total` is compiled with Shape.area and Sq.area inlined behind a
    test of the vtable's fid; a subclass loaded afterwards takes the
    general call and runs its own method."""
    (tmp_path / "shapes.hl").write_text(SHAPES)
    vm = VM(jit="eager")
    a = vm.load_source("import shapes;\nfn run() -> float { return shapes.total(shapes.squares(10)); }",
                       name="a", search_dirs=[tmp_path])
    assert a.call("run") == float(sum(i * i for i in range(10)))
    total = vm.modules["shapes"].function("total")
    assert total.fid in vm.jit.compiled
    assert "@hl_i" in vm.jit._lowered(vm.interp.functions[total.fid]).ir
    b = vm.load_source("import shapes;\n"
                       "class Big extends shapes.Shape { fn area() -> float { return 1000.0; } }\n"
                       "fn run() -> float { let xs: shapes.Shape[] = [new Big(), new shapes.Sq(3.0), new Big()];"
                       " return shapes.total(xs); }", name="b", search_dirs=[tmp_path])
    assert b.call("run") == 2009.0


def test_no_collection_runs_inside_the_poll_of_compiled_code():
    """Compiled code keeps references in registers across its poll, so Python
    code that runs inside the poll (here: run control's grant) cannot make a
    collection move objects under it; after the poll, collecting works."""
    vm = vm_with("eager")
    errors = []
    grant = vm.control.grant

    def grant_and_try_collecting(*a):
        try:
            vm.collector.collect("host")
        except RuntimeError as e:
            errors.append(str(e))
        return grant(*a)
    vm.control.grant = grant_and_try_collecting
    assert vm.call("t", "count", 100_000) == sum(range(100_000))
    assert errors and all("while compiled code polls" in e for e in errors)
    vm.control.grant = grant
    vm.collect()


PROBE = """
import host;
fn walk(n: int) -> int {
    if n == 0 { return host.seen(); }
    let r = walk(n - 1);
    var s = 0;
    for i in 0..3 { s += i; }
    return r + s + host.seen();
}
"""


def _fuel_seen_by_natives(mode: str, cut_at: int | None = None) -> tuple:
    """What a host native reads as `vm.fuel` at each of its calls inside
    compiled recursion (the counter lives in registers there), and how the
    run ends when the native sets a new limit at call `cut_at`."""
    vm = VM(jit=mode, fuel=10 ** 9)
    seen: list = []

    def probe() -> int:
        seen.append(vm.fuel)
        if len(seen) == cut_at:
            vm.fuel = 40                     # a new limit, set from inside the run
        return 1
    vm.define_native("host.seen", probe, "fn() -> int")
    vm.load_source(PROBE, name="p")
    try:
        result = vm.call("p", "walk", 60)
    except ResourceExhausted as e:
        result = f"stopped: {e}"
    return result, seen


@pytest.mark.parametrize("mode", ["auto", "eager"])
def test_natives_in_compiled_recursion_see_and_set_the_exact_fuel(mode):
    assert _fuel_seen_by_natives(mode) == _fuel_seen_by_natives("off")
    ref = _fuel_seen_by_natives("off", cut_at=5)
    assert ref[0].startswith("stopped") and len(ref[1]) < 61
    assert _fuel_seen_by_natives(mode, cut_at=5) == ref


CALLEES = """
fn sq(x: int) -> int { return x * x; }
fn rare(n: int) -> int { return sq(n) + sq(n + 1); }
fn guarded(n: int, k: int) -> int {
    var t = 0;
    for i in 0..n { if i == k { t = t + rare(i); } t = t + 1; }
    return t;
}
"""


@pytest.mark.parametrize("mode", ("auto", "eager"))
def test_a_callee_is_compiled_at_compiled_codes_first_call_of_it(mode):
    """A compiled function's callees are not compiled with it: one that never
    runs (here `rare`, behind a branch never taken) is never compiled, and
    compiled code's first call of it compiles it (helper COMPILE)."""
    vm = VM(jit=mode)
    vm.load_source(CALLEES, name="t")
    fid = {name: vm.modules["t"].function(name).fid for name in ("guarded", "rare")}
    assert vm.call("t", "guarded", 5000, -1) == 5000
    assert fid["guarded"] in vm.jit.compiled
    assert fid["rare"] not in vm.jit.compiled
    assert vm.call("t", "guarded", 5000, 4000) == 5000 + 4000 * 4000 + 4001 * 4001
    assert fid["rare"] in vm.jit.compiled
