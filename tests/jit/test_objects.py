"""Tier 1 with the heap: objects, arrays, strings, natives, virtual calls,
errors raised from compiled code (and from natives it calls), collections
while compiled frames hold references, and on-stack replacement.  Every
program prints the same bytes and exits with the same status in every tier,
also under GC stress."""

from __future__ import annotations

import io

import pytest

from hl import VM

PROGRAM = """
class Shape { fn area() -> float { return 0.0; } fn to_string() -> string { return "shape"; } }
class Sq extends Shape { s: float; init(s: float) { self.s = s; } fn area() -> float { return self.s * self.s; } }
class Ci extends Shape { r: float; init(r: float) { self.r = r; } fn area() -> float { return 3.0 * self.r * self.r; }
    fn to_string() -> string { return "circle " + str(self.r); } }
class Node { left: Node; right: Node; v: int; }

fn tree(d: int) -> Node {
    let n = new Node();
    n.v = d;
    if d > 0 { n.left = tree(d - 1); n.right = tree(d - 1); }
    return n;
}
fn check(n: Node) -> int { if n.left == null { return 1; } return 1 + check(n.left) + check(n.right); }

fn risky(s: string) -> int {
    try { return parse_int(s); } catch e: ValueError { return -1; } finally { count = count + 1; }
}
var count = 0;

fn main() {
    let shapes = new Shape[30];
    for i in 0..30 {
        if i % 3 == 0 { shapes[i] = new Sq(float(i)); }
        else if i % 3 == 1 { shapes[i] = new Ci(float(i) / 2.0); }
        else { shapes[i] = new Shape(); }
    }
    var total = 0.0;
    for rep in 0..200 { for s in shapes { total += s.area(); } }
    println(total);
    println(str(shapes[1]) + " / " + str(shapes[2]));
    var nodes = 0;
    for k in 0..20 { nodes += check(tree(8)); }
    println(nodes);
    let xs = [3, 1, 2];
    var words = "";
    for i in 0..2000 { words = words + str(xs[i % 3]); if words.length > 40 { words = words.substring(1, words.length); } }
    println(words);
    println(risky("12") + risky("x") + risky("-3"));
    println(count);
    let c = shapes[2] as Sq;
}
"""


# Under GC stress (a collection at every allocation) the same program, smaller.
SMALLER = {"tree(8)": "tree(3)", "0..20 {": "0..2 {", "0..200 {": "0..5 {", "0..2000 {": "0..60 {"}


def run(mode: str, **kw) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    vm = VM(jit=mode, stdout=out, stderr=err, **kw)
    src = PROGRAM
    if kw.get("gc_stress"):
        for a, b in SMALLER.items():
            src = src.replace(a, b)
    vm.load_source(src, name="p")
    status = vm.run_main("p")
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("mode", ["auto", "eager"])
@pytest.mark.parametrize("stress", [False, True])
def test_programs_with_objects_agree_across_tiers(mode, stress):
    kw = {"gc_stress": True, "max_heap": 8 << 20} if stress else {}
    ref = run("off", **kw)
    got = run(mode, **kw)
    assert got == ref
    status, out, err = got
    assert status == 1 and "CastError" in err and "at main (p.hl:" in err
    assert out.splitlines()[1] == "circle 0.5 / shape"


def test_eager_compiles_the_whole_program():
    vm = VM(jit="eager", stdout=io.StringIO(), stderr=io.StringIO())
    vm.load_source(PROGRAM, name="p")
    vm.run_main("p")
    names = {vm.interp.functions[f].display for f in vm.jit.compiled}
    assert {"main", "tree", "check", "risky", "Sq.area", "Ci.area", "Ci.to_string"} <= names
    assert not vm.jit.refused


def test_a_hot_loop_in_main_moves_to_compiled_code():
    """On-stack replacement: `auto` compiles main while its loop runs, and
    the running frame continues in the compiled loop."""
    src = """
    fn main() {
        var t = 0;
        for i in 0..200000 { t = t + i % 7; }
        println(t);
    }
    """
    out = io.StringIO()
    lines = []
    vm = VM(jit="auto", stdout=out, trace_jit=lines.append)
    vm.load_source(src, name="m")
    vm.run_main("m")
    assert out.getvalue() == f"{sum(i % 7 for i in range(200000))}\n"
    main = vm.modules["m"].function("main")
    entry = vm.jit.compiled[main.fid].osr
    assert entry, lines
    assert any("loop entry for m.main" in ln for ln in lines)


def test_collections_while_compiled_frames_hold_references():
    """A small heap forces many collections while compiled frames (deep in
    `tree`) hold references in their shadow frames; the heap verifier runs
    after each one."""
    src = """
    class Node { left: Node; right: Node; }
    fn tree(d: int) -> Node { let n = new Node(); if d > 0 { n.left = tree(d - 1); n.right = tree(d - 1); } return n; }
    fn count(n: Node) -> int { if n == null { return 0; } return 1 + count(n.left) + count(n.right); }
    fn main() { var t = 0; for i in 0..40 { t += count(tree(10)); } println(t); }
    """
    out = io.StringIO()
    vm = VM(jit="eager", stdout=out, max_heap=2 << 20, verify_heap=True)
    vm.load_source(src, name="t")
    assert vm.run_main("t") == 0
    assert out.getvalue() == f"{40 * (2 ** 11 - 1)}\n"
    assert vm.collector.stats.count > 5


def test_out_of_memory_in_compiled_code_is_the_interpreters():
    src = """
    class Node { next: Node; pad: int[]; }
    fn main() { var head: Node = null; while true { let n = new Node(); n.next = head; n.pad = new int[100]; head = n; } }
    """
    def go(mode):
        out, err = io.StringIO(), io.StringIO()
        vm = VM(jit=mode, stdout=out, stderr=err, max_heap=4 << 20)
        vm.load_source(src, name="t")
        return vm.run_main("t"), err.getvalue().splitlines()[0]
    assert go("eager")[0] == go("off")[0] == 1
    assert go("eager")[1].startswith("Uncaught OutOfMemoryError")
