"""Tier 1 on HL programs of language.md Part B: interfaces, generic
classes and functions, closures and function values, the collections.
Each prints the same bytes and exits with the same status in every tier,
also under GC stress, and `eager` compiles every function of it."""

from __future__ import annotations

import io

import pytest

from hl import VM

PROGRAM = """
import collections;

interface Shape { fn area() -> float; fn name() -> string; }
interface Scaled extends Shape { fn scale(k: float) -> Scaled; }
class Circle implements Scaled {
    r: float;
    init(r: float) { self.r = r; }
    fn area() -> float { return 3.0 * self.r * self.r; }
    fn name() -> string { return "circle"; }
    fn scale(k: float) -> Scaled { return new Circle(self.r * k); }
}
class Square implements Scaled {
    s: float;
    init(s: float) { self.s = s; }
    fn area() -> float { return self.s * self.s; }
    fn name() -> string { return "square"; }
    fn scale(k: float) -> Scaled { return new Square(self.s * k); }
    fn to_string() -> string { return "Square(" + str(self.s) + ")"; }
}
class Pair<A, B> {
    a: A;
    b: B;
    init(a: A, b: B) { self.a = a; self.b = b; }
    fn swap() -> Pair<B, A> { return new Pair<B, A>(self.b, self.a); }
}
class Point {
    x: int;
    y: int;
    init(x: int, y: int) { self.x = x; self.y = y; }
    fn hash() -> int { return self.x * 31 + self.y; }
    fn equals(o: Point) -> bool { return self.x == o.x && self.y == o.y; }
}

fn first<T>(xs: T[]) -> T { return xs[0]; }
fn map_all<T, U>(xs: collections.List<T>, f: fn(T) -> U) -> collections.List<U> {
    let out = new collections.List<U>();
    for x in xs { out.push(f(x)); }
    return out;
}
fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int {
    return fn(x: int) -> int { return g(f(x)); };
}
fn total(shapes: Shape[]) -> float {
    var t = 0.0;
    for s in shapes { t += s.area(); }
    return t;
}

fn main() {
    let shapes = new Shape[40];
    for i in 0..40 {
        if i % 2 == 0 { shapes[i] = new Circle(float(i % 5)); } else { shapes[i] = new Square(float(i % 7)); }
    }
    var t = 0.0;
    for rep in 0..100 { t += total(shapes); }
    println(t);
    let big = (shapes[3] as Scaled).scale(2.0);
    println(big.name() + " " + str(big.area()) + " " + str(big));
    println(shapes[2] is Scaled);

    let p = new Pair<int, string>(7, "seven");
    let q = p.swap();
    println(q.a + " " + str(q.b + 1));
    println(first([3, 1, 2]) + first([10]));
    println(first(["x", "y"]) + first([1.5, 2.5]));

    let k = 10;
    let add = fn(x: int) -> int { return x + k; };
    let twice = fn(x: int) -> int { return x * 2; };
    let both = compose(add, twice);
    var s = 0;
    for i in 0..1000 { s += both(i); }
    println(s);
    println(str(add) + " " + str(add == add) + " " + str(add == twice));

    let words = new collections.List<string>();
    for i in 0..300 { words.push("w" + str(i % 37)); }
    let counts = new collections.Map<string, int>();
    for w in words { counts.put(w, counts.get_or(w, 0) + 1); }
    let keys = counts.keys();
    keys.sort_by(fn(a: string, b: string) -> int {
        let d = counts.get(b) - counts.get(a);
        if d != 0 { return d; }
        if a < b { return -1; }
        if a > b { return 1; }
        return 0;
    });
    println(str(keys.length()) + " " + keys.get(0) + " " + str(counts.get(keys.get(0))));
    let lens = map_all(keys, fn(w: string) -> int { return w.length; });
    var total_len = 0;
    for n in lens { total_len += n; }
    println(total_len);

    let pts = new collections.Set<Point>();
    for i in 0..200 { pts.add(new Point(i % 13, i % 7)); }
    println(pts.length());
    println(pts.contains(new Point(3, 3)) && !pts.contains(new Point(20, 0)));
    let fl = new collections.Map<float, bool>();
    fl.put(0.0, true);
    println(fl.contains(-0.0) && hash(1.5) == hash(1.5) && equals("ab", "a" + "b"));

    let ints = new collections.List<int>();
    for i in 0..50 { ints.push(i * i % 17); }
    ints.sort_by(fn(a: int, b: int) -> int { return a - b; });
    println(str(ints.get(0)) + " " + str(ints.get(49)) + " " + str(ints.index_of(16)));
    try { ints.get(99); } catch e: IndexError { println("IndexError " + e.message); }
    let none: fn(int) -> int = null;
    try { none(1); } catch e: NullError { println("NullError " + e.message); }
    let r: Shape = null;
    try { r.area(); } catch e: NullError { println("NullError " + e.message); }
}
"""


def run(mode: str, **kw) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    vm = VM(jit=mode, stdout=out, stderr=err, **kw)
    vm.load_source(PROGRAM, name="p")
    status = vm.run_main("p")
    return status, out.getvalue(), err.getvalue(), vm


@pytest.mark.parametrize("stress", [False, True])
def test_a_program_of_interfaces_generics_closures_and_collections_is_the_same_in_every_tier(stress):
    kw = {"gc_stress": True, "max_heap": 16 << 20} if stress else {}
    ref = run("off", **kw)
    assert ref[0] == 0 and "IndexError" in ref[1] and ref[2] == ""
    for mode in ("auto", "eager"):
        got = run(mode, **kw)
        assert got[:3] == ref[:3], mode
    vm = got[3]
    assert not vm.jit.refused, vm.jit.refused
    names = {vm.interp.functions[f].display for f in vm.jit.compiled}
    assert {"main", "total", "first", "map_all", "compose", "Circle.area", "Pair.swap", "Point.hash"} <= names
