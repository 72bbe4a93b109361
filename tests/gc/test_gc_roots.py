"""Every root owner keeps its objects alive and sees them move: frames
(locals and the operand-stack registers at safepoints), nested host calls,
globals, host handles, objects under construction, permanent instances,
shadow stacks of compiled frames, and the weak tables keyed by errors.
Programs run under GC stress (a collection at every allocation) with the
heap verifier on, so a missed or mistyped root fails at once."""

import io

from gc_helpers import evacuator, run_hl  # noqa: F401 (a fixture)

from hl import VM
from hllvm.heap import PAGE_SHIFT, P_SMALL, T_IARR

BOX = """
class Box {
    v: int;
    init(v: int) { self.v = v; }
    fn get() -> int { return self.v; }
}
fn mk(v: int) -> Box { return new Box(v); }
"""

STACK_TEMPS = BOX + """
fn pair(a: Box, b: Box) -> int { return a.get() * 10 + b.get(); }
fn mixed(i: int, f: float, b: Box, z: bool, s: string) -> string {
    return str(i) + "/" + str(f) + "/" + str(b.get()) + "/" + str(z) + "/" + s;
}
fn main() {
    println(pair(new Box(1), new Box(2)));
    println(pair(mk(3), mk(4)));
    println(str(1) + str(2.5) + str(true) + str(mk(5).get()));
    let xs = [new Box(5), new Box(6), new Box(7)];
    println(xs[0].get() + xs[1].get() + xs[2].get());
    println("a" + str(new Box(8).get()) + "b" + str(mk(9).get()));
    // An int and a float that look like heap addresses sit in stack
    // registers while the next arguments allocate: they must stay numbers.
    let x = 100;
    println(mixed(513 + x, 4096.0 + float(x), new Box(x), x > 1, str(x) + "!"));
    var s = "";
    for i in 0..60 { s = s + str(i); }
    println(s.length);
    let grid = new int[3][];
    for i in 0..3 { grid[i] = new int[i + 1]; grid[i][i] = i * 7; }
    println(grid[2][2] + grid[1][1]);
}
"""
STACK_TEMPS_OUT = "12\n34\n12.5true5\n18\na8b9\n613/4196.0/100/true/100!\n110\n21\n"


def test_stack_registers_at_safepoints_are_roots(evacuator):
    r = run_hl(STACK_TEMPS, gc_stress=True)
    assert (r.status, r.out, r.err) == (0, STACK_TEMPS_OUT, "")
    assert r.vm.collector.stats.count > 50
    assert r.vm.collector.last_evacuator == evacuator


def test_globals_are_roots():
    src = BOX + """
    var g: Box = null;
    var names: string[] = null;
    fn main() {
        g = new Box(42);
        names = ["x" + str(1), "y" + str(2)];
        var t = 0;
        for i in 0..200 { t += mk(i).get(); }
        println(g.get() + t);
        println(names[0] + names[1]);
    }
    """
    r = run_hl(src, gc_stress=True)
    assert r.out == "19942\nx1y2\n"


def test_nested_host_calls_keep_the_outer_frames():
    vm = VM(stdout=io.StringIO(), gc_stress=True)
    calls = []

    def again(n):
        calls.append(n)
        return vm.call("prog", "inner", n)

    vm.define_native("host.again", again, "fn(n: int) -> int")
    vm.load_source(BOX + """
    import host;
    fn inner(n: int) -> int {
        var t = 0;
        for i in 0..n { t += mk(i).get(); }
        return t;
    }
    fn pair(a: Box, b: int, c: Box) -> int { return a.get() + b + c.get(); }
    fn outer() -> int {
        let keep = new Box(1000);
        // A Box in a stack register while the host calls back into HL.
        let r = pair(new Box(1), host.again(20), new Box(2));
        return keep.get() + r;
    }
    fn main() {}
    """, name="prog")
    assert vm.call("prog", "outer") == 1000 + 1 + 190 + 2
    assert calls == [20]


def test_host_handles_are_roots_and_follow_moves():
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    mod = vm.load_source(BOX + """
    fn get(b: Box) -> int { return b.get(); }
    fn churn(n: int) -> int { var t = 0; for i in 0..n { t += mk(i).get(); } return t; }
    fn main() {}
    """, name="prog")
    h = mod.call("mk", 5)
    before = h.ref
    mod.call("churn", 100)
    vm.collect()
    assert h.ref != before                      # it moved...
    assert mod.call("get", h) == 5              # ...and the handle followed
    h.release()
    vm.collect()
    assert len(vm.handles) == 0


def test_objects_under_construction_are_roots(evacuator):
    # new_str_array allocates each string after the array: the array stays
    # rooted in heap.temps and every string is stored at once.
    vm = VM(stdout=io.StringIO(), gc_stress=True)
    vm.load_source("fn count(a: string[]) -> int { var n = 0; for s in a { n += s.length; } return n; }\n"
                   "fn main() {}", name="prog")
    heap = vm.heap
    a = heap.new_str_array([f"item{i}" for i in range(50)])
    heap.temps.append(a)
    vm.collect()
    a = heap.temps.pop()
    assert heap.str_array_items(a) == [f"item{i}" for i in range(50)]
    assert vm.call("prog", "count", [f"x{i}" for i in range(30)]) == 30 * 2 + 20


def test_fields_of_permanent_errors_are_roots():
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load_source("fn main() {}", name="prog")
    heap, errors = vm.heap, vm.errors
    spare = errors.spare_oom
    assert heap.pages[spare >> PAGE_SHIFT] != P_SMALL
    heap.W[spare + errors.message_off] = heap.new_str("changed by the program")
    vm.collect()
    vm.collect()
    assert heap.get_str(heap.W[spare + errors.message_off]) == "changed by the program"


def test_shadow_stacks_of_compiled_frames_are_roots():
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load_source("fn main() {}", name="prog")
    heap = vm.heap
    shadow = vm.collector.add_shadow_stack(64)
    base = shadow.push(3)
    a = heap.new_array(T_IARR, 10)
    heap.W[a + 2 + 9] = 99
    shadow.slots[base] = a
    shadow.slots[base + 2] = heap.new_str("kept")
    vm.collect()
    a2 = shadow.slots[base]
    assert a2 != a and heap.W[a2] == T_IARR and heap.W[a2 + 2 + 9] == 99
    assert heap.get_str(shadow.slots[base + 2]) == "kept"
    used = heap.used_bytes
    shadow.pop(base)
    vm.collect()
    assert heap.used_bytes < used


def test_traces_of_dead_errors_are_dropped_and_moved_ones_renamed():
    src = """
    fn fail(i: int) { throw new ValueError("bad " + str(i)); }
    var kept: Error = null;
    fn main() {
        for i in 0..40 {
            try { fail(i); } catch e { if i == 7 { kept = e; } }
        }
        println(kept.message);
    }
    """
    r = run_hl(src, gc_stress=True)
    assert r.out == "bad 7\n"
    vm = r.vm
    vm.collect()
    traces = vm.interp.traces
    assert len(traces) == 1                       # only the error still reachable
    (ref,) = traces
    assert vm.heap.get_str(vm.heap.W[ref + vm.errors.message_off]) == "bad 7"


def test_uncaught_error_trace_survives_collections():
    src = """
    fn deep(n: int) -> int {
        if n == 0 { let s = "x" + str(n); throw new ValueError("deep " + s); }
        return deep(n - 1) + 1;
    }
    fn main() { println(deep(3)); }
    """
    r = run_hl(src, gc_stress=True)
    assert r.status == 1
    assert r.err.startswith("Uncaught ValueError: deep x0\n  at deep (")
    assert r.err.count("at deep") == 4


def test_every_safepoint_op_has_a_frame_map():
    # Every op that may reach the collector with its operand stack live gets
    # its types from the verifier's stack map at its pc: check them all, for
    # the benchmarks and the standard library they import.
    from pathlib import Path
    bench = Path(__file__).parents[2] / "bench" / "programs"
    vm = VM(stdout=io.StringIO())
    for i, f in enumerate(sorted(bench.glob("*.hl"))):
        vm.load_source(f.read_text(), name=f"b{i}")
    interp, roots = vm.interp, vm.collector.roots
    ops = [i for i, live in enumerate(interp.live) if live]
    assert len(ops) > 50
    for i in ops:
        regs = roots.frame_map(i)
        fn, _origin = interp.meta[i]
        assert all(r < fn.nregs for r in regs)


def test_ctrl_c_never_cuts_a_collection_short():
    # A simulated Ctrl-C at random moments of a run that collects at every
    # allocation: wherever it lands, the heap stays whole and the VM usable.
    import _thread
    import random
    import threading
    vm = VM(stdout=io.StringIO(), gc_stress=True)
    mod = vm.load_source(BOX + """
    fn churn(n: int) -> int {
        var keep: Box[] = new Box[10];
        var t = 0;
        for i in 0..n { let b = mk(i); keep[i % 10] = b; t += b.get() + str(i).length; }
        return t;
    }
    fn main() {}
    """, name="prog")
    rnd = random.Random(3)
    interrupted = 0
    for _ in range(40):
        timer = threading.Timer(rnd.random() * 0.01, _thread.interrupt_main)
        try:
            timer.start()           # the interrupt may land before start() returns
            while True:
                mod.call("churn", 50)
        except KeyboardInterrupt:
            interrupted += 1
        timer.join()
        vm.collect()                     # checks the heap (gc_stress turns the verifier on)
        assert mod.call("churn", 20) == sum(range(20)) + 10 + 20
    assert interrupted == 40
