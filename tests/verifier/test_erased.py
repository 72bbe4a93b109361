"""Erased values: `R` as a descriptor, boxes (BOXI/BOXF/BOXZ), CAST and ISA,
arrays covariant towards `R` with XALOAD/XASTORE (and RALOAD/RASTORE refused
where that covariance makes them unsafe), VEQ, VHASH and TOSTR_OBJ on any
reference; the stack maps record the new types."""

import pytest

from hllvm.verify import verify_modules
from hllvm.verify.types import Types, show
from hllvm.verify.world import World
from vhelp import VM, ModBuilder, bad_at, make_lang, module, rejects, unresolved


def verify(b):
    return verify_modules([make_lang(), b.build()], (), VM().native_signature)


def animals() -> ModBuilder:
    b = ModBuilder("t")
    b.cls("Animal")
    b.cls("Dog", super="Animal")
    b.func("main", [], "V", [], [("RET",)])
    return b


def ok(code, params=(), ret="V", locals_=()):
    b = module(code, params=params, ret=ret, locals_=locals_)
    b.cls("P")
    return verify(b)


def bad(code, text, params=(), ret="V", locals_=()):
    b = module(code, params=params, ret=ret, locals_=locals_)
    b.cls("P")
    rejects(b, "f", bad_at(b, code), text)


# --- assignability and joins of R, arrays and function types -----------------------------------

@pytest.fixture(scope="module")
def types():
    return Types(World([], [make_lang(), animals().build()], lambda name: None))


@pytest.mark.parametrize("req,t,want", [
    ("R", "S", True), ("R", "[I", True), ("R", "Lt.Dog;", True), ("R", "(I)I", True), ("R", "N", True),
    ("R", "I", False), ("R", "F", False), ("R", "Z", False),
    ("S", "R", False), ("Lt.Dog;", "R", False), ("[I", "R", False), ("(I)I", "R", False), ("A", "R", False),
    ("[R", "[I", True), ("[R", "[S", True), ("[R", "[[I", True), ("[R", "[(I)I", True),
    ("[[R", "[[I", True), ("[[R", "[[[S", True), ("[[R", "[I", False), ("[[R", "[R", False),
    ("[Lt.Animal;", "[Lt.Dog;", False), ("[[Lt.Animal;", "[[Lt.Dog;", False),
    ("[I", "[R", False), ("[S", "[R", False),
    ("(I)I", "(I)I", True), ("(I)I", "(I)Z", False), ("(R)R", "(I)I", False), ("(I)I", "N", True),
    ("A", "[R", True), ("O", "(I)I", False), ("Lt.Animal;", "(I)I", False),
])
def test_assignability(types, req, t, want):
    assert types.ok(req, t) is want


@pytest.mark.parametrize("a,b,join", [
    ("[I", "[S", "[R"), ("[Lt.Dog;", "[Lt.Animal;", "[R"), ("[[I", "[[S", "[[R"), ("[[I", "[S", "[R"),
    ("[[[I", "[[[F", "[[[R"), ("[R", "[I", "[R"), ("[[R", "[[I", "[[R"), ("[[I", "[[[I", "[[R"),
    ("(I)I", "(I)Z", "R"), ("(I)I", "N", "(I)I"), ("S", "[I", "R"), ("R", "S", "R"), ("R", "N", "R"),
    ("Lt.Dog;", "(I)I", "R"), ("[(I)I", "[(I)Z", "[R"),
    ("R", "I", None), ("I", "F", None),
])
def test_joins(types, a, b, join):
    assert types.join(a, b) == join and types.join(b, a) == join
    if join is not None:
        assert types.ok(join, a) and types.ok(join, b)


@pytest.mark.parametrize("t,text", [
    ("(I)I", "fn(int) -> int"), ("(IS)V", "fn(int, string)"), ("((I)I)V", "fn(fn(int) -> int)"),
    ("[(I)I", "(fn(int) -> int)[]"), ("()[I", "fn() -> int[]"), ("R", "reference"), ("[R", "reference[]"),
])
def test_types_are_shown_as_the_language_writes_them(t, text):
    assert show(t) == text


# --- boxes, CAST, ISA --------------------------------------------------------------------------

def test_boxes_and_casts():
    ok([("ICONST", 1), ("BOXI",), ("CAST", "I"), ("ICONST", 2), ("IADD",), ("POP",),
        ("FCONST", 1.0), ("BOXF",), ("CAST", "F"), ("POP",),
        ("BCONST", 1), ("BOXZ",), ("DUP",), ("ISA", "Z"), ("POP",), ("CAST", "Z"), ("POP",),
        ("SCONST", "s"), ("STORE", 0), ("LOAD", 0), ("CAST", "S"), ("STORE", 0),
        ("NULL",), ("CAST", "[Lt.P;"), ("STORE", 1),
        ("NULL",), ("CAST", "(I)I"), ("STORE", 2),
        ("NULL",), ("CAST", "R"), ("STORE", 3),
        ("RET",)], locals_=["R", "[Lt.P;", "(I)I", "R"])


def test_a_box_is_a_reference_not_null():
    """BOXI pushes R (not the null type): it fits only R and X."""
    bad([("ICONST", 1), ("BOXI",), "bad:", ("STORE", 0), ("RET",)], "expected t.P, found reference",
        locals_=["Lt.P;"])
    bad([("ICONST", 1), ("BOXI",), ("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)],
        "expected int, found reference (operand 1 of IADD)")


@pytest.mark.parametrize("op,value,text", [
    ("BOXI", ("FCONST", 1.0), "expected int, found float"),
    ("BOXF", ("ICONST", 1), "expected float, found int"),
    ("BOXZ", ("ICONST", 1), "expected bool, found int"),
])
def test_box_operand(op, value, text):
    bad([value, "bad:", (op,), ("POP",), ("RET",)], text)


@pytest.mark.parametrize("op", ["CAST", "ISA"])
def test_cast_and_isa_need_a_reference(op):
    bad([("ICONST", 1), "bad:", (op, "I"), ("POP",), ("RET",)], f"expected a reference, found int (operand 1 of {op})")


def test_cast_pushes_its_type():
    bad([("NULL",), ("CAST", "S"), ("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)],
        "expected int, found string")


@pytest.mark.parametrize("op", ["CAST", "ISA"])
def test_cast_to_void_or_unknown_is_a_linkage_error(op):
    unresolved(module([("NULL",), (op, "V"), ("POP",), ("RET",)]), "bad type descriptor 'V'")
    unresolved(module([("NULL",), (op, "Lt.Nope;"), ("POP",), ("RET",)]), "unknown class t.Nope")


# --- arrays ------------------------------------------------------------------------------------

def test_every_array_is_an_r_array():
    b = module([("ICONST", 2), ("NEWARRAY", "I"), ("CALL", ("t", "g", "([R)V")),
                ("ICONST", 2), ("NEWARRAY", "[I"), ("CALL", ("t", "g", "([R)V")),
                ("ICONST", 2), ("NEWARRAY", "[I"), ("CALL", ("t", "h", "([[R)V")),
                ("RET",)])
    b.func("g", ["[R"], "V", ["[R"], [("RET",)])
    b.func("h", ["[[R"], "V", ["[[R"], [("RET",)])
    verify(b)


@pytest.mark.parametrize("arr,param", [("Lt.Dog;", "[Lt.Animal;"), ("I", "[[R"), ("S", "[Lt.Animal;")])
def test_other_arrays_are_invariant(arr, param):
    code = [("ICONST", 2), ("NEWARRAY", arr), "bad:", ("CALL", ("t", "g", f"({param})V")), ("RET",)]
    b = animals()
    b.func("f", [], "V", [], code)
    b.func("g", [param], "V", [param], [("RET",)])
    rejects(b, "f", bad_at(b, code), "expected")


def test_xaload_boxes_primitive_elements():
    ok([("LOAD", 0), ("ICONST", 0), ("XALOAD",), ("CAST", "I"), ("POP",),
        ("LOAD", 1), ("ICONST", 0), ("XALOAD",), ("SLEN",), ("POP",),
        ("LOAD", 2), ("ICONST", 0), ("XALOAD",), ("CAST", "F"), ("POP",),
        ("LOAD", 3), ("ICONST", 0), ("XALOAD",), ("ALEN",), ("POP",),
        ("NULL",), ("ICONST", 0), ("XALOAD",), ("POP",),
        ("RET",)], params=["[I", "[S", "[R", "[[I"])
    bad([("LOAD", 0), ("ICONST", 0), ("XALOAD",), ("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)],
        "expected int, found reference", params=["[I"])
    bad([("SCONST", "s"), ("ICONST", 0), "bad:", ("XALOAD",), ("POP",), ("RET",)],
        "expected an array, found string (operand 1 of XALOAD)")
    bad([("LOAD", 0), ("FCONST", 0.0), "bad:", ("XALOAD",), ("POP",), ("RET",)],
        "expected int, found float (operand 2 of XALOAD)", params=["[I"])


def test_xastore_takes_references():
    ok([("LOAD", 0), ("ICONST", 0), ("ICONST", 5), ("BOXI",), ("XASTORE",),
        ("LOAD", 0), ("ICONST", 0), ("NULL",), ("XASTORE",),        # CastError when it runs
        ("LOAD", 1), ("ICONST", 0), ("SCONST", "s"), ("XASTORE",),
        ("LOAD", 2), ("ICONST", 0), ("SCONST", "s"), ("XASTORE",),
        ("LOAD", 3), ("ICONST", 0), ("LOAD", 0), ("XASTORE",),      # an int[] into an R[][]
        ("NULL",), ("ICONST", 0), ("NULL",), ("XASTORE",),
        ("RET",)], params=["[I", "[S", "[R", "[[R"])
    bad([("LOAD", 0), ("ICONST", 0), ("ICONST", 5), "bad:", ("XASTORE",), ("RET",)],
        "expected a reference, found int (operand 3 of XASTORE)", params=["[I"])
    bad([("LOAD", 0), ("ICONST", 0), ("ICONST", 5), ("BOXI",), "bad:", ("XASTORE",), ("RET",)],
        "XASTORE into string[]: expected string, found reference", params=["[S"])
    bad([("LOAD", 0), ("ICONST", 0), ("SCONST", "s"), "bad:", ("XASTORE",), ("RET",)],
        "XASTORE into reference[][]: expected reference[], found string", params=["[[R"])


def test_raload_and_rastore_refuse_inexact_elements():
    bad([("LOAD", 0), ("ICONST", 0), "bad:", ("RALOAD",), ("POP",), ("RET",)],
        "RALOAD of a reference[]: it may hold ints, floats or bools; use XALOAD", params=["[R"])
    bad([("LOAD", 0), ("ICONST", 0), ("NULL",), "bad:", ("RASTORE",), ("RET",)],
        "RASTORE into a reference[]: its element type is not exact; use XASTORE", params=["[R"])
    bad([("LOAD", 0), ("ICONST", 0), ("NULL",), "bad:", ("RASTORE",), ("RET",)],
        "RASTORE into a reference[][]: its element type is not exact; use XASTORE", params=["[[R"])
    # An element that is itself an R[] is read safely: an int[] is an R[].
    ok([("LOAD", 0), ("ICONST", 0), ("RALOAD",), ("STORE", 1),
        ("LOAD", 2), ("ICONST", 0), ("NULL",), ("RASTORE",),
        ("LOAD", 2), ("ICONST", 0), ("RALOAD",), ("STORE", 3),
        ("RET",)], params=["[[R", "[R", "[(R)R", "(R)R"])


def test_element_instructions_keep_exact_types():
    bad([("LOAD", 0), ("ICONST", 0), "bad:", ("IALOAD",), ("POP",), ("RET",)],
        "expected int[], found reference[]", params=["[R"])
    bad([("LOAD", 0), ("ICONST", 0), ("ICONST", 1), "bad:", ("IASTORE",), ("RET",)],
        "expected int[], found reference[]", params=["[R"])


# --- VEQ, VHASH, TOSTR_OBJ -----------------------------------------------------------------------

def test_value_equality_hash_and_text_of_any_reference():
    ok([("LOAD", 0), ("LOAD", 1), ("VEQ",), ("POP",),
        ("LOAD", 2), ("NULL",), ("VEQ",), ("POP",),
        ("LOAD", 0), ("VHASH",), ("POP",), ("LOAD", 1), ("VHASH",), ("POP",), ("LOAD", 3), ("VHASH",), ("POP",),
        ("LOAD", 0), ("TOSTR_OBJ",), ("LOAD", 1), ("TOSTR_OBJ",), ("CONCAT",),
        ("LOAD", 2), ("TOSTR_OBJ",), ("CONCAT",), ("LOAD", 3), ("TOSTR_OBJ",), ("CONCAT",), ("POP",),
        ("RET",)], params=["R", "S", "[I", "(I)I"])
    bad([("ICONST", 1), ("BOXI",), ("ICONST", 1), "bad:", ("VEQ",), ("POP",), ("RET",)],
        "expected a reference, found int (operand 2 of VEQ)")
    bad([("FCONST", 1.0), "bad:", ("VHASH",), ("POP",), ("RET",)], "expected a reference, found float")


# --- stack maps ----------------------------------------------------------------------------------

def test_stack_maps_record_r_and_function_types():
    b = module([("LOAD", 0), ("ICONST", 1), ("BOXI",), ("LOAD", 1), ("ICONST", 0), ("XALOAD",),
                ("ICONST", 7), ("ITOS",), ("POP",), ("POP",), ("POP",), ("POP",), ("RET",)],
               params=["(I)I", "[I"])
    v = verify(b)
    maps = v[("t", 0)].stack_maps
    # XALOAD allocates (a box): before it the stack holds the function, the box, the array and the index.
    assert maps[8].stack == ("(I)I", "I")                     # BOXI
    assert maps[17].stack == ("(I)I", "R", "[I", "I")
    assert maps[17].locals == ("(I)I", "[I")
    assert maps[23].stack == ("(I)I", "R", "R", "I")          # ITOS
