"""One negative test per instruction rule (rules.py): each hand-made function
breaks one rule at the instruction labelled `bad:`, and the VerifyError must
name the function, that pc and the mismatch.  A few positive cases pin down
what the rules allow (subclass arguments, inherited fields, null)."""

import pytest

from vhelp import M, accepts, bad_at, module, rejects

PRINTLN = ("CALLNATIVE", ("lang.println", "(S)V"))


def check(code, text, **kw):
    b = module(code, **kw)
    rejects(b, "f", bad_at(b, code), text)


# --- signatures straight from the instruction table -------------------------------------

@pytest.mark.parametrize("code,text", [
    ([("ICONST", 1), ("FCONST", 2.0), "bad:", ("IADD",), ("POP",), ("RET",)], "expected int, found float"),
    ([("ICONST", 1), ("ICONST", 2), "bad:", ("FADD",), ("POP",), ("RET",)], "expected float, found int"),
    ([("ICONST", 1), "bad:", ("JT", "x"), "x:", ("RET",)], "expected bool, found int"),
    ([("SCONST", "a"), ("ICONST", 1), "bad:", ("CONCAT",), ("POP",), ("RET",)], "expected string, found int"),
    ([("SCONST", "a"), "bad:", ("ALEN",), ("POP",), ("RET",)], "expected an array, found string"),
    ([("ICONST", 1), ("NULL",), "bad:", ("REQ",), ("POP",), ("RET",)], "expected a reference, found int"),
    ([("ICONST", 1), "bad:", ("TOSTR_OBJ",), ("POP",), ("RET",)], "expected a reference, found int"),
    ([("ICONST", 7), "bad:", ("SLEN",), ("POP",), ("RET",)], "expected string, found int"),
    ([("FCONST", 1.0), "bad:", ("I2F",), ("POP",), ("RET",)], "expected int, found float"),
    ([("ICONST", 1), "bad:", ("NOT",), ("POP",), ("RET",)], "expected bool, found int"),
    ([("BCONST", 1), ("BCONST", 0), "bad:", ("IEQ",), ("POP",), ("RET",)], "expected int, found bool"),
    ([("NULL",), "bad:", ("ITOS",), ("POP",), ("RET",)], "expected int, found null"),
])
def test_table_signature(code, text):
    check(code, text)


def test_null_is_every_reference():
    accepts(module([("NULL",), ("SLEN",), ("POP",), ("NULL",), ("ALEN",), ("POP",), ("NULL",), ("TOSTR_OBJ",),
                    ("POP",), ("NULL",), ("NULL",), ("REQ",), ("POP",), ("RET",)]))


# --- stack shuffles --------------------------------------------------------------------------

def test_swap_moves_types():
    check([("ICONST", 1), ("FCONST", 1.0), ("SWAP",), "bad:", ("IADD",), ("POP",), ("RET",)],
          "expected int, found float (operand 1 of IADD)")


def test_dup2_copies_types():
    check([("ICONST", 1), ("FCONST", 1.0), ("DUP2",), ("POP",), "bad:", ("IADD",), ("RET",)],
          "expected int, found float (operand 1 of IADD)")


def test_dup_copies_type():
    check([("FCONST", 1.0), ("DUP",), "bad:", ("IADD",), ("POP",), ("RET",)], "expected int, found float")


# --- locals and globals ----------------------------------------------------------------------

def test_load_pushes_declared_type():
    check([("FCONST", 1.0), ("STORE", 0), ("ICONST", 1), ("LOAD", 0), "bad:", ("IADD",), ("POP",), ("RET",)],
          "expected int, found float", locals_=["F"])


def test_store_needs_declared_type():
    check([("FCONST", 1.0), "bad:", ("STORE", 0), ("RET",)], "expected int, found float", locals_=["I"])


def test_store_takes_a_subclass():
    accepts(module([("NULL",), ("CHECKCAST", ("lang", "NullError")), ("STORE", 0), ("RET",)],
                   locals_=["Llang.Error;"]))


def _with_global(code, flags=0, init=None):
    b = module(code)
    b.global_("g", "I", flags)
    if init is not None:
        b.modinit(init)
    return b


def test_gget_pushes_global_type():
    code = [("GGET", ("t", "g", "I")), ("FCONST", 1.0), "bad:", ("FADD",), ("POP",), ("RET",)]
    b = _with_global(code)
    rejects(b, "f", bad_at(b, code), "expected float, found int")


def test_gset_needs_global_type():
    code = [("FCONST", 1.0), "bad:", ("GSET", ("t", "g", "I")), ("RET",)]
    b = _with_global(code)
    rejects(b, "f", bad_at(b, code), "expected int, found float")


def test_gset_of_let_global_only_in_module_initialiser():
    code = [("ICONST", 1), "bad:", ("GSET", ("t", "g", "I")), ("RET",)]
    b = _with_global(code, M.G_CONST)
    rejects(b, "f", bad_at(b, code), "let binding")
    accepts(_with_global([("RET",)], M.G_CONST, init=[("ICONST", 1), ("GSET", ("t", "g", "I")), ("RET",)]))


def test_gset_of_let_global_of_another_module():
    other = module([("RET",)])
    other.name = "u"
    other.global_("g", "I", M.G_CONST)
    code = [("ICONST", 1), "bad:", ("GSET", ("u", "g", "I")), ("RET",)]
    b = module([("RET",)])
    b.modinit(code)
    rejects([other.build(), b.build()], "$init", bad_at(b, code), "only u's initialiser may set it")


# --- returns ---------------------------------------------------------------------------------

def test_retv_needs_return_type():
    check([("FCONST", 1.5), "bad:", ("RETV",)], "expected int, found float", ret="I")


def test_retv_in_void_function():
    check([("ICONST", 1), "bad:", ("RETV",)], "RETV in a function that returns void")


def test_ret_in_value_function():
    check(["bad:", ("RET",)], "RET in a function that returns int", ret="I")


def test_bconst_is_0_or_1():
    check(["bad:", ("BCONST", 2), ("POP",), ("RET",)], "BCONST 2 is not 0 or 1")


# --- calls ------------------------------------------------------------------------------------

def _callee(b, params, ret):
    code = [("RET",)] if ret == "V" else [("LOAD", 0), ("RETV",)] if params and params[0] == ret else \
        [{"I": ("ICONST", 0), "F": ("FCONST", 0.0)}[ret], ("RETV",)]
    b.func("g", list(params), ret, list(params), code)


def test_call_arguments_by_signature():
    code = [("FCONST", 1.0), "bad:", ("CALL", ("t", "g", "(I)V")), ("RET",)]
    b = module(code)
    _callee(b, ["I"], "V")
    rejects(b, "f", bad_at(b, code), "expected int, found float (operand 1 of CALL)")


def test_call_too_few_arguments():
    code = [("ICONST", 1), "bad:", ("CALL", ("t", "g", "(II)V")), ("RET",)]
    b = module(code)
    _callee(b, ["I", "I"], "V")
    rejects(b, "f", bad_at(b, code), "CALL needs 2 operands, the stack has 1")


def test_call_result_type():
    code = [("CALL", ("t", "g", "()F")), ("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)]
    b = module(code)
    _callee(b, [], "F")
    rejects(b, "f", bad_at(b, code), "expected int, found float")


def test_call_takes_subclass_argument():
    b = module([("NULL",), ("CHECKCAST", ("lang", "NullError")), ("CALL", ("t", "g", "(Llang.Error;)V")),
                ("RET",)])
    b.func("g", ["Llang.Error;"], "V", ["Llang.Error;"], [("RET",)])
    accepts(b)


def test_callnative_arguments_by_signature():
    check([("ICONST", 1), "bad:", PRINTLN, ("RET",)], "expected string, found int (operand 1 of CALLNATIVE)")


def classes(b):
    """Classes A (field x: int, method m()V, init()V), B (unrelated), C extends A."""
    b.cls("A", fields=[("x", "I")])
    b.method("A", "init", [], "V", [], [("RET",)], init=True)
    b.method("A", "m", [], "V", [], [("RET",)])
    b.cls("B", fields=[("y", "F")])
    b.method("B", "init", [], "V", [], [("RET",)], init=True)
    b.cls("C", super="A")
    b.method("C", "init", [], "V", [], [("LOAD", 0), ("CALLSPECIAL", ("A", "init", "()V")), ("RET",)], init=True)
    return b


def new(c):
    return [("NEW", c), ("DUP",), ("CALLSPECIAL", (c, "init", "()V"))]


def check_cls(code, text, **kw):
    b = classes(module(code, **kw))
    rejects(b, "f", bad_at(b, code), text)


def test_callvirt_receiver_class():
    check_cls(new("B") + ["bad:", ("CALLVIRT", ("A", "m", "()V")), ("RET",)],
              "expected t.A, found t.B (operand 1 of CALLVIRT)")


def test_callvirt_on_subclass_receiver():
    accepts(classes(module(new("C") + [("CALLVIRT", ("A", "m", "()V")), ("RET",)])))


def test_callvirt_of_init_is_not_virtual():
    check_cls(new("A") + ["bad:", ("CALLVIRT", ("A", "init", "()V")), ("RET",)], "not a virtual method")


def test_callspecial_non_init_needs_initialised_receiver():
    check_cls([("NEW", "A"), ("DUP",), "bad:", ("CALLSPECIAL", ("A", "m", "()V")), ("POP",), ("RET",)],
              "expected t.A, found uninitialised t.A (NEW at pc 0)")


def test_callspecial_init_of_another_class():
    check_cls([("NEW", "C"), ("DUP",), "bad:", ("CALLSPECIAL", ("A", "init", "()V")), ("POP",), ("RET",)],
              "expected t.A, found uninitialised t.C (NEW at pc 0)")


# --- objects ----------------------------------------------------------------------------------

def test_new_object_unusable_before_init():
    check_cls([("NEW", "A"), "bad:", ("GETFIELD", ("A", "x", "I")), ("POP",), ("RET",)],
              "expected t.A, found uninitialised t.A (NEW at pc 0)")


def test_init_initialises_every_copy():
    accepts(classes(module(new("A") + [("GETFIELD", ("A", "x", "I")), ("POP",), ("RET",)])))


def test_uninitialised_object_across_back_edge():
    code = [("ICONST", 0), ("STORE", 0), "top:", ("NEW", "A"), ("LOAD", 0), ("ICONST", 1), ("IADD",), ("DUP",),
            ("STORE", 0), ("ICONST", 3), ("ILT",), "bad:", ("JT", "top"), ("POP",), ("RET",)]
    check_cls(code, "on the stack at a loop back-edge", locals_=["I"])


def test_getfield_receiver_class():
    check_cls(new("B") + ["bad:", ("GETFIELD", ("A", "x", "I")), ("POP",), ("RET",)],
              "expected t.A, found t.B (operand 1 of GETFIELD)")


def test_getfield_pushes_field_type():
    check_cls(new("B") + [("GETFIELD", ("B", "y", "F")), ("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)],
              "expected int, found float")


def test_getfield_inherited_through_subclass():
    accepts(classes(module(new("C") + [("GETFIELD", ("A", "x", "I")), ("POP",), ("RET",)])))


def test_putfield_value_type():
    check_cls(new("A") + [("SCONST", "five"), "bad:", ("PUTFIELD", ("A", "x", "I")), ("RET",)],
              "expected int, found string (operand 2 of PUTFIELD)")


def test_instanceof_of_unrelated_class():
    check_cls(new("B") + ["bad:", ("INSTANCEOF", "A"), ("POP",), ("RET",)], "unrelated types")


def test_instanceof_of_a_string():
    check_cls([("SCONST", "s"), "bad:", ("INSTANCEOF", "A"), ("POP",), ("RET",)], "unrelated types")


def test_instanceof_related_either_way():
    accepts(classes(module(new("C") + [("INSTANCEOF", "A"), ("POP",)] + new("A")
                           + [("INSTANCEOF", "C"), ("POP",), ("RET",)])))


def test_checkcast_needs_reference():
    check_cls([("ICONST", 1), "bad:", ("CHECKCAST", ("lang", "Error")), ("POP",), ("RET",)],
              "expected a reference, found int")


def test_checkcast_pushes_class():
    check_cls(new("A") + [("CHECKCAST", "C"), ("GETFIELD", ("A", "x", "I")), ("ICONST", 1), ("IADD",),
                          "bad:", ("CALLVIRT", ("A", "m", "()V")), ("RET",)],
              "expected t.A, found int")


def test_throw_needs_error():
    check([("ICONST", 1), "bad:", ("THROW",)], "expected lang.Error, found int")
    check_cls(new("A") + ["bad:", ("THROW",)], "expected lang.Error, found t.A")


def test_throw_error_subclass():
    accepts(module([("NEW", ("lang", "NullError")), ("DUP",), ("SCONST", "x"),
                    ("CALLSPECIAL", (("lang", "NullError"), "init", "(S)V")), ("THROW",)]))


# --- arrays -----------------------------------------------------------------------------------

def arr(t, n=2):
    return [("ICONST", n), ("NEWARRAY", t)]


@pytest.mark.parametrize("code,text", [
    ([("FCONST", 2.0), "bad:", ("NEWARRAY", "I"), ("POP",), ("RET",)], "expected int, found float"),
    (arr("F") + [("ICONST", 0), "bad:", ("IALOAD",), ("POP",), ("RET",)], "expected int[], found float[]"),
    (arr("I") + [("ICONST", 0), "bad:", ("FALOAD",), ("POP",), ("RET",)], "expected float[], found int[]"),
    (arr("I") + [("ICONST", 0), "bad:", ("ZALOAD",), ("POP",), ("RET",)], "expected bool[], found int[]"),
    (arr("I") + [("ICONST", 0), ("FCONST", 1.0), "bad:", ("IASTORE",), ("RET",)], "expected int, found float"),
    (arr("F") + [("ICONST", 0), ("ICONST", 1), "bad:", ("FASTORE",), ("RET",)], "expected float, found int"),
    (arr("Z") + [("ICONST", 0), ("ICONST", 1), "bad:", ("ZASTORE",), ("RET",)], "expected bool, found int"),
    (arr("S") + [("ICONST", 0), ("ICONST", 1), "bad:", ("IASTORE",), ("RET",)], "expected int[], found string[]"),
    (arr("I") + [("ICONST", 0), "bad:", ("RALOAD",), ("POP",), ("RET",)],
     "expected an array of references, found int[]"),
    (arr("S") + [("ICONST", 0), ("RALOAD",), ("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)],
     "expected int, found string"),
    (arr("S") + [("ICONST", 0), ("ICONST", 1), "bad:", ("RASTORE",), ("RET",)],
     "expected a reference, found int (operand 3 of RASTORE)"),
    (arr("S") + [("ICONST", 0), ("NEW", ("lang", "Error")), ("DUP",), ("SCONST", "x"),
                 ("CALLSPECIAL", (("lang", "Error"), "init", "(S)V")), "bad:", ("RASTORE",), ("RET",)],
     "RASTORE into string[]: expected string, found lang.Error"),
    (arr("Llang.NullError;") + [("ICONST", 0), ("NEW", ("lang", "Error")), ("DUP",), ("SCONST", "x"),
                                ("CALLSPECIAL", (("lang", "Error"), "init", "(S)V")), "bad:", ("RASTORE",),
                                ("RET",)],
     "expected lang.NullError, found lang.Error"),
    (arr("I") + [("ICONST", 0), ("NULL",), "bad:", ("RASTORE",), ("RET",)],
     "RASTORE: expected an array of references, found int[]"),
    (arr("I") + [("ACOPY",), ("ICONST", 0), "bad:", ("RALOAD",), ("POP",), ("RET",)],
     "expected an array of references, found int[]"),
    ([("SCONST", "s"), "bad:", ("ACOPY",), ("POP",), ("RET",)], "expected an array, found string"),
    (arr("I") + [("ICONST", 0), "bad:", ("SINDEX",), ("POP",), ("RET",)], "expected string, found int[]"),
])
def test_array_rules(code, text):
    check(code, text)


def test_arrays_are_invariant():
    code = arr("Llang.NullError;") + ["bad:", ("CALL", ("t", "g", "([Llang.Error;)V")), ("RET",)]
    b = module(code)
    b.func("g", ["[Llang.Error;"], "V", ["[Llang.Error;"], [("RET",)])
    rejects(b, "f", bad_at(b, code), "expected lang.Error[], found lang.NullError[]")


def test_array_of_arrays():
    accepts(module(arr("[I") + [("ICONST", 0), arr("I")[0], arr("I")[1], ("RASTORE",), ("RET",)]))
    check(arr("[I") + [("ICONST", 0), ("RALOAD",), ("ICONST", 0), ("IALOAD",), ("ICONST", 0), "bad:",
                       ("FALOAD",), ("RET",)], "expected float[], found int")
