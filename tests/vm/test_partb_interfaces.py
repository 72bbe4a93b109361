"""Interfaces at run time (hand-built modules): CALLIFACE dispatch through
the receiver's itable (overrides, inherited implementations, interfaces
extending interfaces), INSTANCEOF / CHECKCAST / CAST / ISA with interfaces,
null receivers, traces, the call depth limit and fuel, and the linked
tables (itables, selectors, native records)."""

import io

import pytest

from asm import ModBuilder, make_lang
from conftest import run_module

from hllvm import VM, ResourceExhausted
from hllvm import tables as T


def println(code):
    return code + [("CALLNATIVE", ("lang.println", "(S)V"))]


def shapes() -> ModBuilder:
    """Shape (area, name), Named extends Shape (label); Sq implements Shape;
    Big extends Sq (overrides area); Tag implements Named; Plain implements nothing."""
    b = ModBuilder("t")
    b.iface("Shape")
    b.abstract("Shape", "area", [], "F")
    b.abstract("Shape", "name", [], "S")
    b.iface("Named", extends=["Shape"])
    b.abstract("Named", "label", [], "S")
    b.cls("Sq", fields=[("s", "F")], implements=["Shape"])
    b.method("Sq", "init", ["F"], "V", ["F"], [
        ("LOAD", 0), ("LOAD", 1), ("PUTFIELD", ("Sq", "s", "F")), ("RET",)], init=True)
    b.method("Sq", "area", [], "F", [], [("LOAD", 0), ("GETFIELD", ("Sq", "s", "F")), ("DUP",), ("FMUL",),
                                         ("RETV",)])
    b.method("Sq", "name", [], "S", [], [("SCONST", "sq"), ("RETV",)])
    b.cls("Big", super="Sq")
    b.method("Big", "init", ["F"], "V", ["F"], [
        ("LOAD", 0), ("LOAD", 1), ("CALLSPECIAL", ("Sq", "init", "(F)V")), ("RET",)], init=True)
    b.method("Big", "area", [], "F", [], [
        ("LOAD", 0), ("CALLSPECIAL", ("Sq", "area", "()F")), ("FCONST", 10.0), ("FMUL",), ("RETV",)])
    b.cls("Tag", implements=["Named"])
    b.method("Tag", "init", [], "V", [], [("RET",)], init=True)
    b.method("Tag", "area", [], "F", [], [("FCONST", 0.5), ("RETV",)])
    b.method("Tag", "name", [], "S", [], [("SCONST", "tag"), ("RETV",)])
    b.method("Tag", "label", [], "S", [], [("SCONST", "<tag>"), ("RETV",)])
    b.cls("Plain")
    b.method("Plain", "init", [], "V", [], [("RET",)], init=True)
    return b


def new(cls, *args):
    sig = "(" + "F" * len(args) + ")V"
    return [("NEW", cls), ("DUP",), *[("FCONST", a) for a in args], ("CALLSPECIAL", (cls, "init", sig))]


def run(b, main, locals_=(), **opts):
    b.func("main", [], "V", list(locals_), [("LINE", 10)] + main + [("RET",)])
    return run_module(b, **opts)


def test_calliface_dispatches_through_the_receivers_class():
    b = shapes()
    main = []
    for cls, args in (("Sq", (3.0,)), ("Big", (3.0,)), ("Tag", ())):
        main += println(new(cls, *args) + [("CALLIFACE", ("Shape", "area", "()F")), ("FTOS",)])
        main += println(new(cls, *args) + [("CALLIFACE", ("Shape", "name", "()S"))])
    # A method Named inherits from Shape, called through Named.
    main += println(new("Tag") + [("CALLIFACE", ("Named", "label", "()S"))])
    main += println(new("Tag") + [("CALLIFACE", ("Shape", "area", "()F")), ("FTOS",)])
    r = run(b, main)
    assert r.status == 0, r.err
    assert r.out.splitlines() == ["9.0", "sq", "90.0", "sq", "0.5", "tag", "<tag>", "0.5"]


@pytest.mark.parametrize("stress", [False, True])
def test_is_and_as_with_interfaces(stress):
    b = shapes()
    main = []
    for cls, args in (("Sq", (1.0,)), ("Big", (1.0,)), ("Tag", ()), ("Plain", ())):
        for iface in ("Shape", "Named"):
            main += println(new(cls, *args) + [("INSTANCEOF", iface), ("ZTOS",)])
            main += println(new(cls, *args) + [("ISA", f"Lt.{iface};"), ("ZTOS",)])
    main += println([("NULL",), ("INSTANCEOF", "Shape"), ("ZTOS",)])
    main += println([("SCONST", "s"), ("CAST", "R"), ("INSTANCEOF", "Shape"), ("ZTOS",)])
    main += println([("ICONST", 1), ("BOXI",), ("ISA", "Lt.Shape;"), ("ZTOS",)])
    main += println(new("Tag") + [("CHECKCAST", "Named"), ("CALLIFACE", ("Named", "label", "()S"))])
    main += println(new("Big", 2.0) + [("CAST", "Lt.Shape;"), ("CALLIFACE", ("Shape", "name", "()S"))])
    main += println([("NULL",), ("CHECKCAST", "Shape"), ("TOSTR_OBJ",)])
    main += println([("NULL",), ("CAST", "Lt.Named;"), ("TOSTR_OBJ",)])
    main += new("Sq", 1.0) + [("CHECKCAST", "Named"), ("POP",)]
    r = run(b, main, gc_stress=stress)
    lines = r.out.splitlines()
    assert lines[:16] == ["true", "true", "false", "false",      # Sq
                          "true", "true", "false", "false",      # Big (inherits Shape)
                          "true", "true", "true", "true",        # Tag (Named extends Shape)
                          "false", "false", "false", "false"]    # Plain
    assert lines[16:] == ["false", "false", "false", "<tag>", "sq", "null", "null"]
    assert r.status == 1
    assert "Uncaught CastError: cannot cast Sq to Named" in r.err


def test_cast_to_an_interface_fails_with_cast_error():
    b = shapes()
    r = run(b, new("Plain") + [("CAST", "Lt.Shape;"), ("POP",)])
    assert r.status == 1 and "Uncaught CastError: cannot cast Plain to Shape" in r.err
    b = shapes()
    r = run(b, [("ICONST", 3), ("BOXI",), ("CAST", "Lt.Shape;"), ("POP",)])
    assert r.status == 1 and "Uncaught CastError: cannot cast int to Shape" in r.err


def test_calliface_on_null_is_a_null_error_with_its_trace():
    b = shapes()
    b.func("f", ["Lt.Shape;"], "F", ["Lt.Shape;"], [("LINE", 3), ("LOAD", 0),
                                                    ("CALLIFACE", ("Shape", "area", "()F")), ("RETV",)])
    r = run(b, [("NULL",), ("CALL", ("t", "f", "(Lt.Shape;)F")), ("POP",)])
    assert r.status == 1
    assert r.err.splitlines() == ["Uncaught NullError: cannot call method area() on null",
                                  "  at f (t.hl:3)", "  at main (t.hl:10)"]


def test_an_error_inside_an_interface_method_has_the_interface_call_in_its_trace():
    b = shapes()
    b.cls("Bad", implements=["Shape"])
    b.method("Bad", "init", [], "V", [], [("RET",)], init=True)
    b.method("Bad", "area", [], "F", [], [("LINE", 5), ("ICONST", 1), ("ICONST", 0), ("IDIV",), ("POP",),
                                          ("FCONST", 0.0), ("RETV",)])
    b.method("Bad", "name", [], "S", [], [("SCONST", "bad"), ("RETV",)])
    r = run(b, new("Bad") + [("CALLIFACE", ("Shape", "area", "()F")), ("POP",)])
    assert r.status == 1
    assert r.err.splitlines() == ["Uncaught ArithmeticError: division by zero",
                                  "  at Bad.area (t.hl:5)", "  at main (t.hl:10)"]


def recursion(b):
    """Rec.down(n) calls itself through the interface Down until n = 0."""
    b.iface("Down")
    b.abstract("Down", "down", ["I"], "I")
    b.cls("Rec", implements=["Down"])
    b.method("Rec", "init", [], "V", [], [("RET",)], init=True)
    b.method("Rec", "down", ["I"], "I", ["I"], [
        ("LOAD", 1), ("ICONST", 0), ("IEQ",), ("JT", "zero"),
        ("LOAD", 0), ("LOAD", 1), ("ICONST", 1), ("ISUB",), ("CALLIFACE", ("Down", "down", "(I)I")),
        ("ICONST", 1), ("IADD",), ("RETV",),
        "zero:", ("ICONST", 0), ("RETV",)])


def test_interface_calls_overflow_the_stack_at_the_depth_limit():
    b = ModBuilder("t")
    recursion(b)
    main = println(new("Rec") + [("ICONST", 40), ("CALLIFACE", ("Down", "down", "(I)I")), ("ITOS",)])
    main += println(new("Rec") + [("ICONST", 1000), ("CALLIFACE", ("Down", "down", "(I)I")), ("ITOS",)])
    r = run(b, main, max_stack=100)
    assert r.out == "40\n"
    assert r.status == 1 and "Uncaught StackOverflowError: call depth exceeded 100 frames" in r.err


def test_interface_calls_count_fuel():
    b = ModBuilder("t")
    recursion(b)
    b.func("go", ["I"], "I", ["I"], [("NEW", "Rec"), ("DUP",), ("CALLSPECIAL", ("Rec", "init", "()V")),
                                     ("LOAD", 0), ("CALLIFACE", ("Down", "down", "(I)I")), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    vm = VM(stdout=io.StringIO(), fuel=50)
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "go", 20) == 20          # 1 + 1 + 21 calls
    vm2 = VM(stdout=io.StringIO(), fuel=50)
    vm2.load([make_lang(), b.build()])
    with pytest.raises(ResourceExhausted):
        vm2.call("t", "go", 100)


def test_itables_selectors_and_native_records():
    b = shapes()
    b.func("main", [], "V", [], [("RET",)])
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    C = {n: vm.classes[("t", n)] for n in ("Shape", "Named", "Sq", "Big", "Tag", "Plain")}
    shape, named = C["Shape"], C["Named"]
    assert shape.is_interface and named.is_interface and not C["Sq"].is_interface
    assert named.implements == {named.id, shape.id}
    assert C["Sq"].implements == {shape.id} and C["Big"].implements == {shape.id}
    assert C["Tag"].implements == {shape.id, named.id} and C["Plain"].implements == frozenset()
    area = shape.imethods["area"][0]
    assert named.imethods["area"][0] == area            # inherited: the declaring interface's selector
    assert named.imethods["label"][0] not in (area, shape.imethods["name"][0])
    big = C["Big"]
    assert big.vtable[big.itable[area]].owner is big    # its override
    interp = vm.interp
    assert interp.ITAB[area][big.id][0] == big.vtable[big.itable[area]].fid
    for c in C.values():
        rec = interp.tables.record(c.id)
        if c.is_interface:
            assert rec["kind"] == T.KIND_INTERFACE and rec["depth"] == -1
        else:
            assert rec["kind"] == T.KIND_CLASS
            assert rec["interfaces"] == tuple(sorted(c.implements))
            assert rec["itable"] == tuple(sorted(c.itable.items()))
    assert interp.IFS[C["Tag"].id] == C["Tag"].implements


def test_an_interface_of_another_module():
    a = ModBuilder("a")
    a.iface("Greeter")
    a.abstract("Greeter", "greet", ["S"], "S")
    a.func("hello", ["La.Greeter;"], "S", ["La.Greeter;"], [
        ("LOAD", 0), ("SCONST", "you"), ("CALLIFACE", ("Greeter", "greet", "(S)S")), ("RETV",)])
    adesc = a.build()
    b = ModBuilder("t", imports=("lang", "a"), others={"a": adesc})
    b.cls("Hi", implements=[("a", "Greeter")])
    b.method("Hi", "init", [], "V", [], [("RET",)], init=True)
    b.method("Hi", "greet", ["S"], "S", ["S"], [("SCONST", "hi "), ("LOAD", 1), ("CONCAT",), ("RETV",)])
    main = println([("NEW", "Hi"), ("DUP",), ("CALLSPECIAL", ("Hi", "init", "()V")),
                    ("CALL", ("a", "hello", "(La.Greeter;)S"))])
    b.func("main", [], "V", [], main + [("RET",)])
    r = run_module(b, extra_modules=[adesc])
    assert r.status == 0, r.err
    assert r.out == "hi you\n"


def test_a_failed_link_leaves_no_type_behind(monkeypatch):
    """A batch that fails to link after its types were made (here: no room
    for its class records) leaves no class, array type, shape or selector
    visible; the ids are handed out again."""
    from hlbc.errors import LoadError
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load([make_lang()])
    before = (vm.next_class_id, dict(vm.types.arrays), dict(vm.types.selectors), dict(vm.types.shapes))

    def full(*_a):
        raise LoadError("class tables full")
    b = shapes()
    b.func("two", ["I", "I"], "I", ["I", "I"], [("LOAD", 0), ("RETV",)])
    main = [("ICONST", 1), ("NEWARRAY", "Lt.Sq;"), ("POP",), ("ICONST", 1),
            ("CLOSURE", ("t", "two", "(II)I"), 1), ("POP",), ("CLOSURE", ("t", "two", "(II)I"), 0), ("POP",),
            ("RET",)]
    b.func("main", [], "V", [], main)
    with monkeypatch.context() as m:
        m.setattr(T.NativeTables, "check_classes", full)
        with pytest.raises(LoadError):
            vm.load([b.build()])
    assert (vm.next_class_id, vm.types.arrays, vm.types.selectors, vm.types.shapes) == before
    vm.collect()                                  # (the heap checker finds nothing stale)
    b = shapes()
    b.func("two", ["I", "I"], "I", ["I", "I"], [("LOAD", 0), ("RETV",)])
    b.func("main", [], "V", [], [("ICONST", 1), ("NEWARRAY", "Lt.Sq;"), ("CAST", "[Lt.Sq;"), ("POP",),
                                 ("ICONST", 1), ("CLOSURE", ("t", "two", "(II)I"), 1), ("POP",), ("RET",)])
    vm.load([b.build()])
    assert vm.run_main("t", []) == 0
