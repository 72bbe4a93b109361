"""Function values: CLOSURE (which functions, how many values bound, their
types, the function type pushed) and CALLFN (a function type operand, the
value and arguments it pops); function types are assignable only to
themselves and R."""

import pytest

from hllvm.verify import verify_modules
from vhelp import VM, ModBuilder, bad_at, make_lang, rejects, unresolved, with_function


def verify(b):
    return verify_modules([make_lang(), b.build()], (), VM().native_signature)


def base() -> ModBuilder:
    b = ModBuilder("t")
    b.func("add", ["I", "I"], "I", ["I", "I"], [("LOAD", 0), ("LOAD", 1), ("IADD",), ("RETV",)])
    b.func("greet", ["S"], "V", ["S"], [("RET",)])
    b.cls("P")
    b.method("P", "init", [], "V", [], [("RET",)], init=True)
    b.method("P", "m", [], "V", [], [("RET",)])
    b.modinit([("RET",)])
    b.func("main", [], "V", [], [("RET",)])
    return b


ADD = ("t", "add", "(II)I")


def ok(code, params=(), ret="V", locals_=()):
    b = base()
    b.func("f", list(params), ret, list(params) + list(locals_), code)
    return verify(b)


def bad(code, text, params=(), ret="V", locals_=()):
    b = base()
    b.func("f", list(params), ret, list(params) + list(locals_), code)
    rejects(b, "f", bad_at(b, code), text)


def test_closures_and_calls():
    v = ok([("CLOSURE", ADD, 0), ("STORE", 0),
            ("ICONST", 1), ("CLOSURE", ADD, 1), ("STORE", 1),
            ("ICONST", 1), ("ICONST", 2), ("CLOSURE", ADD, 2), ("STORE", 2),
            ("LOAD", 0), ("ICONST", 3), ("ICONST", 4), ("CALLFN", "(II)I"), ("POP",),
            ("LOAD", 1), ("ICONST", 3), ("CALLFN", "(I)I"), ("POP",),
            ("LOAD", 2), ("CALLFN", "()I"), ("POP",),
            ("CLOSURE", ("t", "greet", "(S)V"), 0), ("SCONST", "x"), ("CALLFN", "(S)V"),
            ("NULL",), ("CALLFN", "()V"),                         # NullError when it runs
            ("LOAD", 1), ("STORE", 3),                            # a function value is an R
            ("LOAD", 3), ("CAST", "(I)I"), ("ICONST", 5), ("CALLFN", "(I)I"), ("POP",),
            ("RET",)], locals_=["(II)I", "(I)I", "()I", "R"])
    f = max(k for k in v if k[0] == "t")
    maps = v[f].stack_maps
    assert any(m.stack[:1] == ("(II)I",) for m in maps.values())       # before the CALLFN
    assert all(m.locals[1] in ("(I)I", "U") for m in maps.values())


def test_closure_pushes_the_type_of_the_rest():
    bad([("ICONST", 1), ("CLOSURE", ADD, 1), "bad:", ("STORE", 0), ("RET",)],
        "expected fn(int, int) -> int, found fn(int) -> int", locals_=["(II)I"])


def test_closure_binds_at_most_every_parameter():
    bad(["bad:", ("CLOSURE", ADD, 3), ("POP",), ("RET",)], "CLOSURE binds 3 values but add has 2 parameters")


def test_closure_bound_values_are_typed():
    bad([("SCONST", "s"), "bad:", ("CLOSURE", ADD, 1), ("POP",), ("RET",)],
        "expected int, found string (operand 1 of CLOSURE)")
    bad([("ICONST", 1), "bad:", ("CLOSURE", ADD, 2), ("POP",), ("RET",)], "CLOSURE needs 2 operands, the stack has 1")


def test_closure_of_the_module_initialiser():
    bad(["bad:", ("CLOSURE", ("t", "$init", "()V"), 0), ("POP",), ("RET",)],
        "CLOSURE of $init: not a plain module function")


def test_closure_of_a_method_names_nothing():
    b = base()
    b.func("f", [], "V", [], [("CLOSURE", ("t", "m", "()V"), 0), ("POP",), ("RET",)])
    unresolved(b, "unknown function t.m")


def test_closure_signature_must_match():
    b = base()
    b.func("f", [], "V", [], [("CLOSURE", ("t", "add", "(I)I"), 0), ("POP",), ("RET",)])
    unresolved(b, "t.add has signature (II)I, not (I)I")


def test_closure_of_a_native():
    b = ModBuilder("math")
    b.native_fn("sqrt", ["F"], "F")
    b.func("main", [], "V", [], [("CLOSURE", ("math", "sqrt", "(F)F"), 0), ("FCONST", 4.0),
                                 ("CALLFN", "(F)F"), ("POP",), ("RET",)])
    verify(b)


def test_callfn_needs_a_function_type():
    bad([("NULL",), "bad:", ("CALLFN", "I"), ("RET",)], "CALLFN of int: not a function type")
    bad([("NULL",), "bad:", ("CALLFN", "[(I)I"), ("RET",)], "CALLFN of (fn(int) -> int)[]: not a function type")


def test_callfn_of_an_unknown_or_bad_type_is_a_linkage_error():
    b = base()
    b.func("f", [], "V", [], [("NULL",), ("CALLFN", "(Lt.Nope;)V"), ("RET",)])
    unresolved(b, "unknown class t.Nope")
    b = base()
    b.func("f", [], "V", [], [("NULL",), ("CALLFN", "(I"), ("RET",)])
    unresolved(b, "bad type descriptor '(I'")


def test_callfn_value_must_have_exactly_that_type():
    bad([("ICONST", 1), ("CLOSURE", ADD, 1), ("ICONST", 2), "bad:", ("CALLFN", "(I)Z"), ("POP",), ("RET",)],
        "expected fn(int) -> bool, found fn(int) -> int (operand 1 of CALLFN)")
    bad([("LOAD", 0), ("ICONST", 2), "bad:", ("CALLFN", "(I)I"), ("POP",), ("RET",)],
        "expected fn(int) -> int, found reference (operand 1 of CALLFN)", params=["R"])
    bad([("SCONST", "s"), "bad:", ("CALLFN", "()V"), ("RET",)],
        "expected fn(), found string (operand 1 of CALLFN)")


def test_callfn_arguments_and_result():
    bad([("CLOSURE", ADD, 0), ("ICONST", 1), ("SCONST", "s"), "bad:", ("CALLFN", "(II)I"), ("POP",), ("RET",)],
        "expected int, found string (operand 3 of CALLFN)")
    bad([("CLOSURE", ADD, 0), ("ICONST", 1), "bad:", ("CALLFN", "(II)I"), ("POP",), ("RET",)],
        "CALLFN needs 3 operands, the stack has 2")
    bad([("CLOSURE", ("t", "greet", "(S)V"), 0), ("SCONST", "s"), ("CALLFN", "(S)V"), "bad:", ("POP",), ("RET",)],
        "POP needs 1 operands, the stack has 0")


def test_function_types_in_declarations():
    b = base()
    b.global_("handler", "(S)V")
    b.cls("Btn", fields=[("on_click", "((I)I)V")])
    b.func("apply", ["(I)I", "I"], "I", ["(I)I", "I"],
           [("LOAD", 0), ("LOAD", 1), ("CALLFN", "(I)I"), ("RETV",)])
    b.func("f", [], "V", [], [("CLOSURE", ("t", "greet", "(S)V"), 0), ("GSET", ("t", "handler", "(S)V")),
                              ("ICONST", 1), ("CLOSURE", ADD, 1), ("ICONST", 2),
                              ("CALL", ("t", "apply", "((I)II)I")), ("POP",), ("RET",)])
    verify(b)
    b = base()
    b.global_("handler", "(Lt.Nope;)V")
    unresolved(b, "unknown class t.Nope")


def test_abstract_functions_cannot_be_closed_over():
    """Interface methods are methods: CLOSURE never finds them."""
    b = base()
    b.iface("I")
    b.abstract("I", "run", [], "V")
    b.func("f", [], "V", [], [("CLOSURE", ("t", "run", "()V"), 0), ("POP",), ("RET",)])
    unresolved(b, "unknown function t.run")


@pytest.mark.parametrize("k", [0, 255])
def test_closure_count_is_an_u8(k):
    b = base()
    params = ["I"] * 255
    b.func("wide", params, "V", params, [("RET",)])
    code = [("ICONST", 0)] * k + [("CLOSURE", ("t", "wide", "(" + "I" * 255 + ")V"), k), ("POP",), ("RET",)]
    b.func("f", [], "V", [], code)
    m = with_function(b.build(), "f", max_stack=300)
    v = verify_modules([make_lang(), m], (), VM().native_signature)
    f = next(i for i, fd in enumerate(m.functions) if fd.name == "f")
    # The CLOSURE allocates: its map holds the k bound values, popped after it.
    closure_pc = 5 * k
    assert v[("t", f)].stack_maps[closure_pc].stack == ("I",) * k
