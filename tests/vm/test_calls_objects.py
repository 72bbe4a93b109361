"""Calls, recursion limit, classes (fields, vtables, super, is/as, to_string),
exceptions across frames and handlers, uncaught traces."""

import io

import pytest

from asm import ModBuilder, make_lang
from conftest import run_module

from hllvm import VM, HLError, LoadError, VerifyError


def shapes() -> ModBuilder:
    b = ModBuilder("t")
    b.cls("Shape")
    b.method("Shape", "init", [], "V", [], [("RET",)], init=True)
    b.method("Shape", "area", [], "F", [], [("FCONST", 0.0), ("RETV",)])
    b.method("Shape", "name", [], "S", [], [("SCONST", "shape"), ("RETV",)])
    b.cls("Sq", fields=[("s", "F")], super="Shape")
    b.method("Sq", "init", ["F"], "V", ["F"], [
        ("LOAD", 0), ("CALLSPECIAL", ("Shape", "init", "()V")),
        ("LOAD", 0), ("LOAD", 1), ("PUTFIELD", ("Sq", "s", "F")), ("RET",)], init=True)
    b.method("Sq", "area", [], "F", [], [
        ("LOAD", 0), ("GETFIELD", ("Sq", "s", "F")), ("DUP",), ("FMUL",), ("RETV",)])
    b.method("Sq", "to_string", [], "S", [], [
        ("SCONST", "Sq("), ("LOAD", 0), ("GETFIELD", ("Sq", "s", "F")), ("FTOS",), ("CONCAT",),
        ("SCONST", ")"), ("CONCAT",), ("RETV",)])
    b.cls("Sq2", super="Sq")
    b.method("Sq2", "init", ["F"], "V", ["F"], [
        ("LOAD", 0), ("LOAD", 1), ("CALLSPECIAL", ("Sq", "init", "(F)V")), ("RET",)], init=True)
    b.method("Sq2", "area", [], "F", [], [
        ("LOAD", 0), ("CALLSPECIAL", ("Sq", "area", "()F")), ("FCONST", 2.0), ("FMUL",), ("RETV",)])
    return b


def println(code):
    return code + [("CALLNATIVE", ("lang.println", "(S)V"))]


def test_virtual_and_super_calls_and_tostr():
    b = shapes()
    main = []
    main += println([("NEW", "Sq"), ("DUP",), ("FCONST", 3.0), ("CALLSPECIAL", ("Sq", "init", "(F)V")),
                     ("STORE", 0), ("LOAD", 0), ("CALLVIRT", ("Shape", "area", "()F")), ("FTOS",)])
    main += println([("NEW", "Sq2"), ("DUP",), ("FCONST", 3.0), ("CALLSPECIAL", ("Sq2", "init", "(F)V")),
                     ("STORE", 0), ("LOAD", 0), ("CALLVIRT", ("Shape", "area", "()F")), ("FTOS",)])
    main += println([("LOAD", 0), ("CALLVIRT", ("Shape", "name", "()S"))])
    main += println([("LOAD", 0), ("TOSTR_OBJ",)])
    main += println([("NEW", "Shape"), ("DUP",), ("CALLSPECIAL", ("Shape", "init", "()V")), ("TOSTR_OBJ",)])
    main += println([("NULL",), ("TOSTR_OBJ",)])
    main += println([("LOAD", 0), ("INSTANCEOF", "Sq"), ("ZTOS",)])
    main += println([("NEW", "Shape"), ("DUP",), ("CALLSPECIAL", ("Shape", "init", "()V")), ("INSTANCEOF", "Sq"), ("ZTOS",)])
    main += println([("NULL",), ("INSTANCEOF", "Shape"), ("ZTOS",)])
    main += println([("LOAD", 0), ("CHECKCAST", "Sq"), ("TOSTR_OBJ",)])
    main += println([("NULL",), ("CHECKCAST", "Sq"), ("TOSTR_OBJ",)])
    main += [("NEW", "Shape"), ("DUP",), ("CALLSPECIAL", ("Shape", "init", "()V")), ("CHECKCAST", "Sq"), ("POP",), ("RET",)]
    b.func("main", [], "V", ["Lt.Shape;"], [("LINE", 40)] + main)
    r = run_module(b)
    assert r.out.splitlines() == ["9.0", "18.0", "shape", "Sq(3.0)", "<Shape>", "null",
                                  "true", "false", "false", "Sq(3.0)", "null"]
    assert r.status == 1
    assert r.err == "Uncaught CastError: cannot cast Shape to Sq\n  at main (t.hl:40)\n"


def test_field_kinds_and_null_field():
    b = ModBuilder("t")
    b.cls("P", fields=[("i", "I"), ("f", "F"), ("z", "Z"), ("s", "S"), ("p", "Lt.P;")])
    b.method("P", "init", [], "V", [], [("RET",)], init=True)
    code = [("NEW", "P"), ("DUP",), ("CALLSPECIAL", ("P", "init", "()V")), ("STORE", 0)]
    for fld, t, c in (("i", "I", ("ICONST", -5)), ("f", "F", ("FCONST", 2.5)), ("z", "Z", ("BCONST", 1)),
                      ("s", "S", ("SCONST", "x")), ("p", "Lt.P;", ("LOAD", 0))):
        code += [("LOAD", 0), c, ("PUTFIELD", ("P", fld, t))]
    code += println([("LOAD", 0), ("GETFIELD", ("P", "i", "I")), ("ITOS",)])
    code += println([("LOAD", 0), ("GETFIELD", ("P", "f", "F")), ("FTOS",)])
    code += println([("LOAD", 0), ("GETFIELD", ("P", "z", "Z")), ("ZTOS",)])
    code += println([("LOAD", 0), ("GETFIELD", ("P", "p", "Lt.P;")), ("GETFIELD", ("P", "s", "S"))])
    code += println([("NEW", "P"), ("DUP",), ("CALLSPECIAL", ("P", "init", "()V")),
                     ("GETFIELD", ("P", "z", "Z")), ("ZTOS",)])
    code += [("LINE", 9), ("NULL",), ("GETFIELD", ("P", "i", "I")), ("POP",), ("RET",)]
    b.func("main", [], "V", ["Lt.P;"], code)
    r = run_module(b)
    assert r.out.splitlines() == ["-5", "2.5", "true", "x", "false"]
    assert r.err.startswith("Uncaught NullError: cannot access field i of null\n  at main (t.hl:9)")


def recursive(limit_catch: bool) -> ModBuilder:
    b = ModBuilder("t")
    b.func("down", ["I"], "I", ["I"], [
        ("LINE", 2), ("LOAD", 0), ("ICONST", 1), ("IADD",), ("CALL", ("t", "down", "(I)I")), ("RETV",)])
    body = [("ICONST", 0), ("CALL", ("t", "down", "(I)I")), ("POP",), "end:", ("RET",)]
    handler = ["h:", ("GETFIELD", (("lang", "Error"), "message", "S")),
               ("CALLNATIVE", ("lang.println", "(S)V")), ("JMP", "again")]
    again = ["again:", ("ICONST", 5), ("CALL", ("t", "down2", "(I)I")), ("ITOS",),
             ("CALLNATIVE", ("lang.println", "(S)V")), ("RET",)]
    b.func("down2", ["I"], "I", ["I"], [
        ("LOAD", 0), ("ICONST", 0), ("IGT",), ("JF", "z"), ("LOAD", 0), ("ICONST", 1), ("ISUB",),
        ("CALL", ("t", "down2", "(I)I")), ("ICONST", 1), ("IADD",), ("RETV",), "z:", ("ICONST", 0), ("RETV",)])
    if limit_catch:
        b.func("main", [], "V", [], ["s:"] + body[:3] + ["e:", ("RET",)] + handler + again,
               handlers=[("s", "e", "h", ("lang", "StackOverflowError"))])
    else:
        b.func("main", [], "V", [], [("LINE", 7)] + body)
    return b


def test_stack_overflow_is_catchable_and_execution_continues():
    r = run_module(recursive(True), max_stack=500)
    assert r.out == "call depth exceeded 500 frames\n5\n" and r.status == 0


def test_stack_overflow_uncaught_trace():
    r = run_module(recursive(False), max_stack=200)
    lines = r.err.splitlines()
    assert r.status == 1
    assert lines[0] == "Uncaught StackOverflowError: call depth exceeded 200 frames"
    assert lines[1] == "  at down (t.hl:2)" and lines[-1] == "  at main (t.hl:7)"
    # 199 frames of down: three shown, the rest counted (docs/interpreter.md)
    assert lines[1:5] == ["  at down (t.hl:2)"] * 3 + ["  ... repeated 196 more times"]
    assert len(lines) == 6


def test_deep_recursion_within_limit_uses_no_python_recursion():
    b = recursive(False)
    vm = VM(max_stack=100_000, stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "down2", 50_000) == 50_000


def thrower() -> ModBuilder:
    b = ModBuilder("t")
    # f(k): throws IndexError("k") if k == 1, ValueError if k == 2, else returns k * 10
    b.func("f", ["I"], "I", ["I"], [
        ("LINE", 3), ("LOAD", 0), ("ICONST", 1), ("IEQ",), ("JF", "n1"),
        ("LINE", 4), ("NEW", ("lang", "IndexError")), ("DUP",), ("SCONST", "one"),
        ("CALLSPECIAL", (("lang", "IndexError"), "init", "(S)V")), ("THROW",),
        "n1:", ("LOAD", 0), ("ICONST", 2), ("IEQ",), ("JF", "n2"),
        ("LINE", 5), ("NEW", ("lang", "ValueError")), ("DUP",), ("SCONST", "two"),
        ("CALLSPECIAL", (("lang", "ValueError"), "init", "(S)V")), ("THROW",),
        "n2:", ("LOAD", 0), ("ICONST", 10), ("IMUL",), ("RETV",)])
    # g(k): try { return f(k) + 1 } catch IndexError { return -1 }
    b.func("g", ["I"], "I", ["I"], [
        ("LINE", 8), "s:", ("LOAD", 0), ("CALL", ("t", "f", "(I)I")), ("ICONST", 1), ("IADD",), "e:", ("RETV",),
        "h:", ("POP",), ("ICONST", -1), ("RETV",)], handlers=[("s", "e", "h", ("lang", "IndexError"))])
    return b


def test_exceptions_across_frames_and_handler_class_filter():
    b = thrower()
    # main: for k in 0..3: try { println(g(k)) } catch e { println(e.to_string()) }
    b.func("main", [], "V", ["I", "Llang.Error;"], [
        ("ICONST", 0), ("STORE", 0),
        "top:", ("LOAD", 0), ("ICONST", 3), ("ILT",), ("JF", "end"),
        "s:", ("LOAD", 0), ("CALL", ("t", "g", "(I)I")), ("ITOS",), ("CALLNATIVE", ("lang.println", "(S)V")),
        "e:", ("JMP", "next"),
        "h:", ("STORE", 1), ("LOAD", 1), ("CALLVIRT", (("lang", "Error"), "to_string", "()S")),
        ("CALLNATIVE", ("lang.println", "(S)V")),
        "next:", ("LOAD", 0), ("ICONST", 1), ("IADD",), ("STORE", 0), ("JMP", "top"),
        "end:", ("LINE", 20), ("ICONST", 2), ("CALL", ("t", "g", "(I)I")), ("POP",), ("RET",)],
        handlers=[("s", "e", "h", None)])
    r = run_module(b)
    assert r.out.splitlines() == ["1", "-1", "ValueError: two"]
    assert r.err == ("Uncaught ValueError: two\n  at f (t.hl:5)\n  at g (t.hl:8)\n"
                     "  at main (t.hl:20)\n")
    assert r.status == 1


def test_vm_errors_are_lang_instances_catchable_by_class():
    b = ModBuilder("t")
    b.func("main", [], "V", [], [
        "s:", ("ICONST", 1), ("ICONST", 0), ("IDIV",), ("POP",), "e:", ("RET",),
        "h:", ("DUP",), ("INSTANCEOF", ("lang", "ArithmeticError")), ("ZTOS",),
        ("CALLNATIVE", ("lang.println", "(S)V")), ("TOSTR_OBJ",), ("CALLNATIVE", ("lang.println", "(S)V")),
        ("RET",)], handlers=[("s", "e", "h", ("lang", "Error"))])
    r = run_module(b)
    assert r.out == "true\nArithmeticError: division by zero\n"


def test_throw_null_is_null_error():
    b = ModBuilder("t")
    b.func("main", [], "V", [], [("NULL",), ("THROW",)])
    assert run_module(b).err.startswith("Uncaught NullError")


def test_hlerror_reaches_host():
    b = thrower()
    b.func("main", [], "V", [], [("RET",)])
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "g", 1) == -1
    with pytest.raises(HLError) as e:
        vm.call("t", "g", 2)
    assert e.value.class_name == "ValueError" and e.value.message == "two"
    assert e.value.trace[0] == "  at f (t.hl:5)"
    assert vm.call("t", "g", 3) == 31      # the VM is usable after an uncaught error


def test_exit_ends_at_once_with_status():
    b = ModBuilder("t")
    b.func("main", [], "V", [], [
        "s:", ("SCONST", "before"), ("CALLNATIVE", ("lang.println", "(S)V")),
        ("ICONST", 7), ("CALLNATIVE", ("lang.exit", "(I)V")), "e:",
        ("SCONST", "after"), ("CALLNATIVE", ("lang.println", "(S)V")), ("RET",),
        "h:", ("POP",), ("SCONST", "caught"), ("CALLNATIVE", ("lang.println", "(S)V")), ("RET",)],
        handlers=[("s", "e", "h", None)])
    r = run_module(b)
    assert r.status == 7 and r.out == "before\n"


def test_counters_for_calls_and_back_edges():
    b = recursive(False)
    vm = VM(stdout=io.StringIO(), jit="off")       # the interpreter's counters
    vm.load([make_lang(), b.build()])
    vm.call("t", "down2", 3000)
    assert vm.hotness("t", "down2") == 3001


@pytest.mark.parametrize("mutate,msg", [
    (lambda b: b.func("main", [], "V", [], [("CALL", ("t", "nope", "()V")), ("RET",)]), "unknown function"),
    (lambda b: b.func("main", [], "V", [], [("CALLNATIVE", ("lang.nope", "()V")), ("RET",)]), "unknown native"),
    (lambda b: b.func("main", [], "V", [], [("CALLNATIVE", ("lang.println", "(I)V")), ("RET",)]), "signature"),
    (lambda b: b.func("main", [], "V", [], [("IADD",), ("RET",)]), "needs 2 operands"),
    (lambda b: b.func("main", [], "V", [], [("ICONST", 1), ("POP",)]), "falls off"),
    (lambda b: b.func("main", [], "V", [], [("LOAD", 3), ("POP",), ("RET",)]), "local 3"),
    (lambda b: b.func("main", [], "V", [], [("NEW", "Nope"), ("POP",), ("RET",)]), "unknown class"),
    (lambda b: b.func("main", [], "V", [], [("ICONST", 1), ("JF", 1), ("RET",)]), "not an instruction start"),
    (lambda b: b.func("main", [], "V", [], [("BCONST", 0), ("JF", "x"), ("ICONST", 1), "x:", ("RET",)]),
     "disagrees"),
])
def test_link_errors(mutate, msg):
    b = ModBuilder("t")
    mutate(b)
    vm = VM()
    with pytest.raises((LoadError, VerifyError)) as e:
        vm.load([make_lang(), b.build()])
    assert msg in str(e.value)


def test_link_requires_lang_and_imports():
    b = ModBuilder("t", imports=("lang", "other"))
    b.func("main", [], "V", [], [("RET",)])
    with pytest.raises(LoadError, match="other"):
        VM().load([make_lang(), b.build()])
    with pytest.raises(LoadError, match="lang"):
        VM().load([ModBuilder("u", imports=()).build()])


@pytest.mark.parametrize("null_local, line", [(0, 5), (1, 6)])
def test_fused_run_throws_from_the_right_op(null_local, line):
    # b.f - c.f then a store: one fused run; whichever field load meets null,
    # the error has that load's line and the ops before it have run.
    b = ModBuilder("t")
    b.cls("P", fields=[("f", "F")])
    b.method("P", "init", [], "V", [], [("RET",)], init=True)
    code = [("NEW", "P"), ("DUP",), ("CALLSPECIAL", ("P", "init", "()V")), ("STORE", 0),
            ("NEW", "P"), ("DUP",), ("CALLSPECIAL", ("P", "init", "()V")), ("STORE", 1),
            ("LOAD", 0), ("FCONST", 3.5), ("PUTFIELD", ("P", "f", "F")),
            ("NULL",), ("STORE", null_local),
            ("LINE", 5), ("LOAD", 0), ("GETFIELD", ("P", "f", "F")),
            ("LINE", 6), ("LOAD", 1), ("GETFIELD", ("P", "f", "F")),
            ("FSUB",), ("FCONST", 2.0), ("FMUL",), ("STORE", 2), ("RET",)]
    b.func("main", [], "V", ["Lt.P;", "Lt.P;", "F"], code)
    r = run_module(b)
    assert r.status == 1
    assert r.err.startswith(f"Uncaught NullError: cannot access field f of null\n  at main (t.hl:{line})")
