"""The native mirrors of the class and function tables (hllvm/tables.py)
hold what the interpreter's tables hold, at addresses that never move."""

import ctypes

import pytest

from hlbc.errors import LoadError
from hllvm import tables as T
from hl import VM

SRC = """
class Shape {
    name: string;
    init(n: string) { self.name = n; }
    fn area() -> float { return 0.0; }
    fn to_string() -> string { return self.name; }
}
class Circle extends Shape {
    r: float;
    next: Circle;
    init(r: float) { super.init("circle"); self.r = r; }
    fn area() -> float { return 3.0 * self.r * self.r; }
}
fn main() { println(new Circle(2.0)); }
"""


def test_class_records_match_the_interpreters_tables():
    vm = VM()
    vm.load_source(SRC, name="shapes")
    interp = vm.interp
    seen = 0
    for tid, c in enumerate(interp.CLS):
        rec = interp.tables.record(tid)
        if c is None:
            assert rec is None or rec["kind"] != T.KIND_CLASS
            continue
        if c.is_interface:
            assert rec["kind"] == T.KIND_INTERFACE and rec["depth"] == -1 and rec["vtable"] == ()
            continue
        seen += 1
        assert rec["id"] == tid and rec["depth"] == c.depth
        assert rec["ancestors"] == c.ancestors
        assert rec["vtable"] == tuple(f.fid for f in c.vtable)
        assert rec["vtable"] == tuple(t[0] for t in interp.VT[tid])
        assert rec["refs"] == tuple(int(t[0] in "SL[R(") for t in c.field_types)
        tostr = rec["tostr"]
        assert (tostr >= 0) == (c.tostr is not None)
        if tostr >= 0:
            assert c.vtable[tostr] is c.tostr
    assert seen >= 3                       # lang's classes, Shape, Circle
    circle = vm.classes[("shapes", "Circle")]
    rec = interp.tables.record(circle.id)
    assert rec["refs"] == (1, 0, 1)        # name: string, r: float, next: Circle
    assert len(rec["ancestors"]) == 2


def test_tables_never_move_and_are_readable_natively():
    vm = VM()
    interp = vm.interp
    at = interp.tables.classes.address
    vm.load_source(SRC, name="shapes")
    assert interp.tables.classes.address == at
    circle = vm.classes[("shapes", "Circle")]
    rec_at = interp.tables.class_at.W[circle.id]
    words = (ctypes.c_int64 * 8).from_address(at + rec_at * 8)
    assert words[T.REC_ID] == circle.id and words[T.REC_DEPTH] == 1
    fid = vm.modules["shapes"].function("main").fid
    interp.tables.set_native(fid, 0x1234)
    assert ctypes.c_int64.from_address(interp.tables.funcs.address + fid * 8).value == 0x1234


def test_too_many_classes_is_a_load_error(monkeypatch):
    monkeypatch.setattr(T, "MAX_CLASSES", 20)
    vm = VM()
    with pytest.raises(LoadError, match="too many types"):
        vm.load_source("class A {} class B {} class C {} class D {} class E {} class F {} fn main() {}",
                       name="many")
