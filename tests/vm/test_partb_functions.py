"""Function values at run time (hand-built modules): CLOSURE with bound
values of every kind, CALLFN (null, natives, traces, depth limit, fuel),
the canonical value of a named function, shapes and their records, the
collector with function values, and function values at the host."""

import io

import pytest

from asm import ModBuilder, make_lang
from conftest import run_module

from hllvm import VM, HLError, ResourceExhausted
from hllvm import tables as T


def println(code):
    return code + [("CALLNATIVE", ("lang.println", "(S)V"))]


def module():
    b = ModBuilder("t")
    b.cls("P", fields=[("name", "S")])
    b.method("P", "init", ["S"], "V", ["S"], [
        ("LOAD", 0), ("LOAD", 1), ("PUTFIELD", ("P", "name", "S")), ("RET",)], init=True)
    # mix(i, f, z, s, p, x) -> string: every kind of bound value.
    b.func("mix", ["I", "F", "Z", "S", "Lt.P;", "I"], "S", ["I", "F", "Z", "S", "Lt.P;", "I"], [
        ("LOAD", 0), ("ITOS",), ("SCONST", " "), ("CONCAT",), ("LOAD", 1), ("FTOS",), ("CONCAT",),
        ("SCONST", " "), ("CONCAT",), ("LOAD", 2), ("ZTOS",), ("CONCAT",), ("SCONST", " "), ("CONCAT",),
        ("LOAD", 3), ("CONCAT",), ("SCONST", " "), ("CONCAT",),
        ("LOAD", 4), ("GETFIELD", ("P", "name", "S")), ("CONCAT",), ("SCONST", " "), ("CONCAT",),
        ("LOAD", 5), ("ITOS",), ("CONCAT",), ("RETV",)])
    b.func("add", ["I", "I"], "I", ["I", "I"], [("LOAD", 0), ("LOAD", 1), ("IADD",), ("RETV",)])
    b.func("twice", ["(I)I", "I"], "I", ["(I)I", "I"], [
        ("LOAD", 0), ("LOAD", 0), ("LOAD", 1), ("CALLFN", "(I)I"), ("CALLFN", "(I)I"), ("RETV",)])
    b.func("hello", [], "V", [], [("SCONST", "hello"), ("CALLNATIVE", ("lang.println", "(S)V")), ("RET",)])
    return b


def bind_mix():
    """mix with its first five parameters bound: a fn(int) -> string."""
    return [("ICONST", -3), ("FCONST", 2.5), ("BCONST", 1), ("SCONST", "s€"),
            ("NEW", "P"), ("DUP",), ("SCONST", "p"), ("CALLSPECIAL", ("P", "init", "(S)V")),
            ("CLOSURE", ("t", "mix", "(IFZSLt.P;I)S"), 5)]


def run(main, locals_=(), b=None, **opts):
    b = b or module()
    b.func("main", [], "V", list(locals_), [("LINE", 10)] + main + [("RET",)])
    return run_module(b, **opts)


@pytest.mark.parametrize("stress", [False, True])
def test_bound_values_of_every_kind_reach_the_callee(stress):
    main = [*bind_mix(), ("STORE", 0)]
    # Garbage between making and calling: the bound string and object move under stress.
    main += [("ICONST", 100), ("NEWARRAY", "S"), ("POP",), ("SCONST", "a"), ("SCONST", "b"), ("CONCAT",), ("POP",)]
    main += println([("LOAD", 0), ("ICONST", 9), ("CALLFN", "(I)S")])
    main += println([("LOAD", 0), ("ICONST", 8), ("CALLFN", "(I)S")])
    r = run(main, locals_=["(I)S"], gc_stress=stress)
    assert r.status == 0, r.err
    assert r.out.splitlines() == ["-3 2.5 true s€ p 9", "-3 2.5 true s€ p 8"]


def test_a_named_function_is_one_value_and_bound_ones_are_new():
    main = println([("CLOSURE", ("t", "add", "(II)I"), 0), ("CLOSURE", ("t", "add", "(II)I"), 0), ("REQ",),
                    ("ZTOS",)])
    main += println([("ICONST", 1), ("CLOSURE", ("t", "add", "(II)I"), 1),
                     ("ICONST", 1), ("CLOSURE", ("t", "add", "(II)I"), 1), ("REQ",), ("ZTOS",)])
    main += println([("ICONST", 1), ("CLOSURE", ("t", "add", "(II)I"), 1), ("DUP",), ("VEQ",), ("ZTOS",)])
    main += println([("CLOSURE", ("t", "add", "(II)I"), 0), ("ICONST", 2), ("ICONST", 3), ("CALLFN", "(II)I"),
                     ("ITOS",)])
    main += println([("ICONST", 5), ("CLOSURE", ("t", "add", "(II)I"), 1), ("ICONST", 7),
                     ("CALL", ("t", "twice", "((I)II)I")), ("ITOS",)])
    main += println([("CLOSURE", ("t", "add", "(II)I"), 0), ("TOSTR_OBJ",)])
    main += [("CLOSURE", ("t", "hello", "()V"), 0), ("CALLFN", "()V")]
    r = run(main)
    assert r.status == 0, r.err
    assert r.out.splitlines() == ["true", "false", "true", "5", "17", "<fn>", "hello"]


def test_calling_null_is_a_null_error_with_its_trace():
    b = module()
    b.func("call", ["(I)I"], "I", ["(I)I"], [("LINE", 4), ("LOAD", 0), ("ICONST", 1), ("CALLFN", "(I)I"),
                                             ("RETV",)])
    r = run([("NULL",), ("CALL", ("t", "call", "((I)I)I")), ("POP",)], b=b)
    assert r.status == 1
    assert r.err.splitlines() == ["Uncaught NullError: cannot call a null function value",
                                  "  at call (t.hl:4)", "  at main (t.hl:10)"]


def test_an_error_in_a_function_value_has_the_call_in_its_trace():
    b = module()
    b.func("boom", ["I", "I"], "I", ["I", "I"], [("LINE", 6), ("LOAD", 0), ("LOAD", 1), ("IDIV",), ("RETV",)])
    r = run([("ICONST", 1), ("CLOSURE", ("t", "boom", "(II)I"), 1), ("ICONST", 0), ("CALLFN", "(I)I"), ("POP",)],
            b=b)
    assert r.status == 1
    assert r.err.splitlines() == ["Uncaught ArithmeticError: division by zero",
                                  "  at boom (t.hl:6)", "  at main (t.hl:10)"]


def test_function_value_calls_overflow_at_the_depth_limit_and_count_fuel():
    b = ModBuilder("t")
    # rec(n): CALLFN of a function value bound to itself through a global.
    b.global_("f", "(I)I")
    b.func("rec", ["I"], "I", ["I"], [
        ("LOAD", 0), ("ICONST", 0), ("IEQ",), ("JT", "zero"),
        ("GGET", ("t", "f", "(I)I")), ("LOAD", 0), ("ICONST", 1), ("ISUB",), ("CALLFN", "(I)I"),
        ("ICONST", 1), ("IADD",), ("RETV",),
        "zero:", ("ICONST", 0), ("RETV",)])
    b.func("go", ["I"], "I", ["I"], [("CLOSURE", ("t", "rec", "(I)I"), 0), ("GSET", ("t", "f", "(I)I")),
                                     ("LOAD", 0), ("CALL", ("t", "rec", "(I)I")), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    vm = VM(stdout=io.StringIO(), max_stack=100)
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "go", 98) == 98
    with pytest.raises(HLError, match="StackOverflowError: call depth exceeded 100 frames"):
        vm.call("t", "go", 100)
    vm = VM(stdout=io.StringIO(), fuel=30)
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "go", 27) == 27          # go, rec, 27 more calls
    with pytest.raises(ResourceExhausted):
        vm.call("t", "go", 40)


def test_a_native_function_as_a_value():
    b = module()
    b.native_fn("shout", ["S", "I"], "S")
    b.func("main", [], "V", [], println([("SCONST", "hey"), ("CLOSURE", ("t", "shout", "(SI)S"), 1),
                                         ("ICONST", 3), ("CALLFN", "(I)S")]) + [("RET",)])
    out = io.StringIO()
    vm = VM(stdout=out)
    vm.define_native("t.shout", lambda s, n: s.upper() * n, "(SI)S")
    vm.load([make_lang(), b.build()])
    assert vm.run_main("t", []) == 0
    assert out.getvalue() == "HEYHEYHEY\n"


def test_shapes_and_their_native_records():
    b = module()
    b.func("main", [], "V", [], [*bind_mix(), ("POP",), ("CLOSURE", ("t", "add", "(II)I"), 0), ("POP",),
                                 ("RET",)])
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    mix = vm.modules["t"].function("mix")
    add = vm.modules["t"].function("add")
    s5 = vm.types.shapes[(mix.fid, 5)]
    s0 = vm.types.shapes[(add.fid, 0)]
    assert s5.fntype.sig == "(I)S" and s5.fntype is vm.types.fntypes["(I)S"]
    assert s5.refs == (2 + 3, 2 + 4) and s0.canon and s0.fntype.sig == "(II)I"
    rec = vm.interp.tables.record(s5.id)
    assert rec["kind"] == T.KIND_SHAPE and rec["fid"] == mix.fid and rec["fntype"] == s5.fntype.id
    assert rec["refs"] == (0, 0, 0, 1, 1) and rec["nfields"] == 5 and rec["depth"] == -1
    assert vm.interp.tables.record(s0.id)["canon"] == s0.canon
    assert vm.interp.tables.record(s5.fntype.id)["kind"] == T.KIND_FNTYPE


def test_function_values_at_the_host():
    b = module()
    b.func("main", [], "V", [], [("RET",)])
    b.func("adder", ["I"], "(I)I", ["I"], [("LOAD", 0), ("CLOSURE", ("t", "add", "(II)I"), 1), ("RETV",)])
    b.func("apply", ["(I)I", "I"], "I", ["(I)I", "I"], [("LOAD", 0), ("LOAD", 1), ("CALLFN", "(I)I"), ("RETV",)])
    b.func("labeller", [], "(I)S", [], [*bind_mix(), ("RETV",)])
    b.func("erased", ["R"], "R", ["R"], [("LOAD", 0), ("RETV",)])
    vm = VM(stdout=io.StringIO(), gc_stress=True)
    vm.load([make_lang(), b.build()])
    t = vm.module("t")
    add5 = t.call("adder", 5)
    assert add5.class_name == "fn(int) -> int"
    assert add5(10) == 15
    assert t.call("apply", add5, 1) == 6
    with pytest.raises(HLError, match="NullError"):
        t.call("apply", None, 1)
    label = t.call("labeller")
    assert label(4) == "-3 2.5 true s€ p 4"
    with pytest.raises(TypeError, match="expected an HL fn\\(int\\) -> int value"):
        t.call("apply", label, 1)
    with pytest.raises(TypeError, match="function values are made by HL code"):
        t.call("apply", lambda x: x, 1)
    with pytest.raises(TypeError, match="takes 1 arguments"):
        add5(1, 2)
    with pytest.raises(TypeError, match="not an object"):
        add5.call("x")
    assert t.call("erased", add5).same(add5)
    with pytest.raises(TypeError, match="not a function value"):
        t.new("P", "x")(1)
