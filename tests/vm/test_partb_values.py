"""Erased values at run time (hand-built modules): boxes, CAST and ISA of
every kind of type, typed arrays (XALOAD, XASTORE, ACOPY, CAST between
array types), VEQ and VHASH, TOSTR_OBJ of any reference, and the errors
(NullError, CastError, IndexError)."""

import io
import math

import pytest

from asm import ModBuilder, make_lang
from conftest import eval_code, run_module

from hllvm import VM, HLError
from hllvm import tables as T
from hllvm.layout import T_BOXI, T_RARR, T_SARR
from hllvm.strings import text_hash


def println(code):
    return code + [("CALLNATIVE", ("lang.println", "(S)V"))]


def module():
    b = ModBuilder("t")
    b.cls("P", fields=[("x", "I")])
    b.method("P", "init", [], "V", [], [("RET",)], init=True)
    b.cls("Q", super="P")
    b.method("Q", "init", [], "V", [], [("RET",)], init=True)
    b.func("inc", ["I"], "I", ["I"], [("LOAD", 0), ("ICONST", 1), ("IADD",), ("RETV",)])
    return b


def run(main, locals_=(), b=None, **opts):
    b = b or module()
    b.func("main", [], "V", list(locals_), [("LINE", 10)] + main + [("RET",)])
    return run_module(b, **opts)


def lines(main, **opts):
    r = run(main, **opts)
    assert r.status == 0, r.err
    return r.out.splitlines()


def fails(main, **opts):
    r = run(main, **opts)
    assert r.status == 1
    return r.err.splitlines()[0]


def new(cls):
    return [("NEW", cls), ("DUP",), ("CALLSPECIAL", (cls, "init", "()V"))]


# --- boxes and CAST / ISA ------------------------------------------------------------------

def test_boxes_unbox_to_their_values():
    assert eval_code([("ICONST", -7), ("BOXI",), ("CAST", "I"), ("RETV",)]) == -7
    assert eval_code([("ICONST", 1 << 62), ("BOXI",), ("CAST", "I"), ("RETV",)]) == 1 << 62
    assert eval_code([("FCONST", -0.0), ("BOXF",), ("CAST", "F"), ("RETV",)], ret="F") == -0.0
    assert math.isnan(eval_code([("FCONST", math.nan), ("BOXF",), ("CAST", "F"), ("RETV",)], ret="F"))
    assert eval_code([("BCONST", 1), ("BOXZ",), ("CAST", "Z"), ("RETV",)], ret="Z") is True
    assert eval_code([("BCONST", 0), ("BOXZ",), ("CAST", "Z"), ("RETV",)], ret="Z") is False


@pytest.mark.parametrize("box, cast, error", [
    ([("NULL",)], "I", "NullError: cannot use null as int"),
    ([("NULL",)], "F", "NullError: cannot use null as float"),
    ([("NULL",)], "Z", "NullError: cannot use null as bool"),
    ([("ICONST", 1), ("BOXI",)], "F", "CastError: cannot cast int to float"),
    ([("FCONST", 1.0), ("BOXF",)], "I", "CastError: cannot cast float to int"),
    ([("BCONST", 1), ("BOXZ",)], "I", "CastError: cannot cast bool to int"),
    ([("SCONST", "1")], "I", "CastError: cannot cast string to int"),
    ([("ICONST", 1), ("BOXI",)], "S", "CastError: cannot cast int to string"),
    ([("ICONST", 1), ("BOXI",)], "Lt.P;", "CastError: cannot cast int to P"),
    ([("SCONST", "s")], "[S", "CastError: cannot cast string to string[]"),
    ([("ICONST", 1), ("BOXI",)], "(I)I", "CastError: cannot cast int to fn(int) -> int"),
])
def test_cast_errors(box, cast, error):
    assert fails(box + [("CAST", cast), ("POP",)]) == "Uncaught " + error


def test_isa_of_every_kind():
    values = {
        "null": [("NULL",)], "int": [("ICONST", 1), ("BOXI",)], "float": [("FCONST", 1.0), ("BOXF",)],
        "bool": [("BCONST", 0), ("BOXZ",)], "str": [("SCONST", "s")], "P": new("P"), "Q": new("Q"),
        "int[]": [("ICONST", 1), ("NEWARRAY", "I")], "P[]": [("ICONST", 1), ("NEWARRAY", "Lt.P;")],
        "fn": [("CLOSURE", ("t", "inc", "(I)I"), 0)],
    }
    types = ["I", "F", "Z", "S", "R", "Lt.P;", "Lt.Q;", "[I", "[R", "[Lt.P;", "[Lt.Q;", "(I)I", "(I)Z"]
    main = []
    for v in values.values():
        main += println([*v, ("CAST", "R"), ("STORE", 0)] + [x for t in types for x in
                        ([("LOAD", 0), ("ISA", t), ("ZTOS",)] + ([("CONCAT",)] if t != "I" else []))])
    got = dict(zip(values, lines(main, locals_=["R"])))
    want = {   # one letter per type above: 1 when the value is of that type
        "null": "0000000000000", "int": "1000100000000", "float": "0100100000000",
        "bool": "0010100000000", "str": "0001100000000", "P": "0000110000000", "Q": "0000111000000",
        "int[]": "0000100110000", "P[]": "0000100011000", "fn": "0000100000010",
    }
    assert {k: v.replace("true", "1").replace("false", "0") for k, v in got.items()} == want


def test_cast_of_references_keeps_the_value_and_passes_null():
    main = println(new("Q") + [("CAST", "R"), ("CAST", "Lt.P;"), ("CAST", "Lt.Q;"), ("TOSTR_OBJ",)])
    main += println([("NULL",), ("CAST", "Lt.P;"), ("CAST", "[S"), ("CAST", "(I)I"), ("CAST", "S"),
                     ("TOSTR_OBJ",)])
    main += println([("SCONST", "é€"), ("CAST", "R"), ("CAST", "S")])
    main += println([("CLOSURE", ("t", "inc", "(I)I"), 0), ("CAST", "R"), ("CAST", "(I)I"), ("ICONST", 41),
                     ("CALLFN", "(I)I"), ("ITOS",)])
    assert lines(main) == ["<Q>", "null", "é€", "42"]


# --- typed arrays --------------------------------------------------------------------------

def test_primitive_arrays_have_the_ids_below_every_array_of_references():
    from hllvm import layout as L
    assert max(L.T_IARR, L.T_FARR, L.T_ZARR) == L.T_ZARR < min(L.T_SARR, L.T_RARR, L.FIRST_CLASS_ID)


def test_every_array_remembers_its_element_type():
    b = module()
    b.func("main", [], "V", [], [("RET",)])
    b.func("mk_as_strings", [], "[S", [], [("ICONST", 2), ("NEWARRAY", "[Lt.P;"), ("CAST", "R"),
                                           ("CAST", "[S"), ("RETV",)])
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    types = vm.types
    pp = types.arrays["[Lt.P;"]                 # P[][]
    p = types.arrays["Lt.P;"]                   # P[]
    assert pp.elem_code == p.id and p.elem_code == vm.classes[("t", "P")].id
    assert pp.name == "P[][]" and types.arrays["S"].id == T_SARR and types.arrays["R"].id == T_RARR
    with pytest.raises(HLError, match=r"cannot cast P\[\]\[\] to string\[\]"):
        vm.call("t", "mk_as_strings")
    rec = vm.interp.tables.record(pp.id)
    assert rec["kind"] == T.KIND_ARRAY and rec["elem"] == p.id and rec["hash_seed"] == text_hash("[[Lt.P;")
    assert vm.interp.tables.record(3)["elem"] == T_BOXI


def test_array_casts_are_exact_except_towards_r():
    def cast(make, to):
        return [*make, ("CAST", "R"), ("ISA", to), ("ZTOS",)]
    ints = [("ICONST", 1), ("NEWARRAY", "I")]
    intss = [("ICONST", 1), ("NEWARRAY", "[I")]
    qs = [("ICONST", 1), ("NEWARRAY", "Lt.Q;")]
    strs = [("ICONST", 1), ("NEWARRAY", "S")]
    fns = [("ICONST", 1), ("NEWARRAY", "(I)I")]
    cases = [(ints, "[I", True), (ints, "[R", True), (ints, "[F", False), (ints, "[[R", False),
             (intss, "[[I", True), (intss, "[[R", True), (intss, "[R", True), (intss, "[[F", False),
             (qs, "[Lt.Q;", True), (qs, "[Lt.P;", False), (qs, "[R", True), (qs, "[[R", False),
             (strs, "[S", True), (strs, "[R", True), (strs, "[Lt.P;", False),
             (fns, "[(I)I", True), (fns, "[(I)Z", False), (fns, "[R", True)]
    main = []
    for make, to, _ok in cases:
        main += println(cast(make, to))
    assert lines(main) == ["true" if ok else "false" for *_x, ok in cases]
    assert fails([*qs, ("CAST", "R"), ("CAST", "[Lt.P;"), ("POP",)]) == \
        "Uncaught CastError: cannot cast Q[] to P[]"


def test_xaload_boxes_and_xastore_unboxes():
    main = []
    for elem, val, box in (("I", ("ICONST", 7), "BOXI"), ("F", ("FCONST", 2.5), "BOXF"),
                           ("Z", ("BCONST", 1), "BOXZ")):
        main += [("ICONST", 3), ("NEWARRAY", elem), ("CAST", "[R"), ("STORE", 0),
                 ("LOAD", 0), ("ICONST", 2), val, (box,), ("XASTORE",)]
        main += println([("LOAD", 0), ("ICONST", 2), ("XALOAD",), ("TOSTR_OBJ",)])
        main += println([("LOAD", 0), ("ICONST", 0), ("XALOAD",), ("TOSTR_OBJ",)])
    main += [("ICONST", 2), ("NEWARRAY", "Lt.P;"), ("CAST", "[R"), ("STORE", 0),
             ("LOAD", 0), ("ICONST", 1)] + new("Q") + [("XASTORE",)]
    main += println([("LOAD", 0), ("ICONST", 1), ("XALOAD",), ("TOSTR_OBJ",)])
    main += println([("LOAD", 0), ("ICONST", 0), ("XALOAD",), ("TOSTR_OBJ",)])
    main += [("LOAD", 0), ("ICONST", 0), ("NULL",), ("XASTORE",)]
    assert lines(main, locals_=["[R"]) == ["7", "0", "2.5", "0.0", "true", "false", "<Q>", "null"]


@pytest.mark.parametrize("elem, value, error", [
    ("I", [("FCONST", 1.0), ("BOXF",)], "CastError: cannot store float in int[]"),
    ("I", [("NULL",)], "NullError: cannot store null in int[]"),
    ("F", [("ICONST", 1), ("BOXI",)], "CastError: cannot store int in float[]"),
    ("Z", [("SCONST", "x")], "CastError: cannot store string in bool[]"),
    ("S", [("ICONST", 1), ("BOXI",)], "CastError: cannot store int in string[]"),
    ("Lt.Q;", new("P"), "CastError: cannot store P in Q[]"),
    ("[I", [("ICONST", 1), ("NEWARRAY", "F")], "CastError: cannot store float[] in int[][]"),
    ("(I)I", [("SCONST", "f")], "CastError: cannot store string in (fn(int) -> int)[]"),
])
def test_xastore_checks_the_element_type(elem, value, error):
    main = [("ICONST", 1), ("NEWARRAY", elem), ("CAST", "[R"), ("ICONST", 0), *value, ("XASTORE",)]
    assert fails(main) == "Uncaught " + error


def test_xastore_takes_what_fits():
    main = [("ICONST", 2), ("NEWARRAY", "Lt.P;"), ("CAST", "[R"), ("STORE", 0)]
    main += [("LOAD", 0), ("ICONST", 0)] + new("Q") + [("XASTORE",)]          # a subclass
    main += [("ICONST", 1), ("NEWARRAY", "R"), ("STORE", 1)]
    for v in ([("SCONST", "s")], [("ICONST", 1), ("BOXI",)], [("ICONST", 1), ("NEWARRAY", "I")]):
        main += [("LOAD", 1), ("CAST", "[R"), ("ICONST", 0), *v, ("XASTORE",)]  # R[] takes anything
    main += [("ICONST", 1), ("NEWARRAY", "[R"), ("CAST", "[R"), ("ICONST", 0),
             ("ICONST", 1), ("NEWARRAY", "S"), ("XASTORE",)]                    # R[][] takes a string[]
    main += println([("LOAD", 1), ("ICONST", 0), ("XALOAD",), ("TOSTR_OBJ",)])
    assert lines(main, locals_=["[R", "[R"]) == ["<array>"]


def test_array_access_errors():
    get = [("ICONST", 3), ("XALOAD",), ("POP",)]
    assert fails([("ICONST", 3), ("NEWARRAY", "I"), ("CAST", "[R"), *get]) == \
        "Uncaught IndexError: index 3 out of range for length 3"
    assert fails([("NULL",), ("CAST", "[R"), *get]) == "Uncaught NullError: cannot index null"
    assert fails([("ICONST", 1), ("NEWARRAY", "S"), ("CAST", "[R"), ("ICONST", -1), ("SCONST", "x"),
                  ("XASTORE",)]) == "Uncaught IndexError: index -1 out of range for length 1"
    assert fails([("NULL",), ("CAST", "[R"), ("ICONST", 0), ("SCONST", "x"), ("XASTORE",)]) == \
        "Uncaught NullError: cannot index null"


def test_acopy_keeps_the_element_type():
    main = println([("ICONST", 2), ("NEWARRAY", "Lt.Q;"), ("ACOPY",), ("CAST", "R"), ("ISA", "[Lt.Q;"),
                    ("ZTOS",)])
    main += println([("ICONST", 2), ("NEWARRAY", "Lt.Q;"), ("ACOPY",), ("CAST", "R"), ("ISA", "[Lt.P;"),
                     ("ZTOS",)])
    assert lines(main) == ["true", "false"]


# --- VEQ, VHASH, TOSTR_OBJ -----------------------------------------------------------------

def veq(a, b):
    return eval_code([*a, *b, ("VEQ",), ("RETV",)], ret="Z")


def vhash(a, **opts):
    return eval_code([*a, ("VHASH",), ("RETV",)], **opts)


I = lambda v: [("ICONST", v), ("BOXI",)]               # noqa: E731
F = lambda v: [("FCONST", v), ("BOXF",)]               # noqa: E731
Zb = lambda v: [("BCONST", v), ("BOXZ",)]              # noqa: E731
S = lambda v: [("SCONST", v)]                          # noqa: E731
CONCAT = lambda a, b: [("SCONST", a), ("SCONST", b), ("CONCAT",)]   # noqa: E731   a new block


@pytest.mark.parametrize("a, b, eq", [
    ([("NULL",)], [("NULL",)], True), ([("NULL",)], I(0), False), (I(0), [("NULL",)], False),
    (I(5), I(5), True), (I(5), I(6), False), (I(1000000), I(1000000), True), (I(1), Zb(1), False),
    (F(1.5), F(1.5), True), (F(0.0), F(-0.0), True), (F(math.nan), F(math.nan), False), (F(1.0), I(1), False),
    (Zb(1), Zb(1), True), (Zb(0), Zb(1), False),
    (S("ab"), CONCAT("a", "b"), True), (S("ab"), S("ba"), False), (S("€x"), CONCAT("€", "x"), True),
    (S("1"), I(1), False), (S(""), [("NULL",)], False),
])
def test_veq(a, b, eq):
    assert veq(a, b) is eq


def test_vhash_of_values():
    assert vhash([("NULL",)]) == 0
    assert vhash(I(-12345)) == -12345
    assert vhash(Zb(1)) == 1 and vhash(Zb(0)) == 0
    assert vhash(F(0.0)) == 0 and vhash(F(-0.0)) == 0
    assert vhash(F(1.0)) == 0x3FF0000000000000
    assert vhash(F(math.nan)) == vhash([("FCONST", 0.0), ("FCONST", 0.0), ("FDIV",), ("BOXF",)]) \
        == 0x7FF8000000000000
    assert vhash(S("hello")) == vhash(CONCAT("hel", "lo")) == 99162322
    text = "a€𝄞" * 40                                   # wide, longer than the remembered strings
    h = 0
    for c in text:
        h = (h * 31 + ord(c)) & ((1 << 64) - 1)
    assert vhash(S(text)) == h - (1 << 64) if h >> 63 else h
    # Arrays: the type and the length.
    a = vhash([("ICONST", 3), ("NEWARRAY", "I")])
    assert a == vhash([("ICONST", 3), ("NEWARRAY", "I")]) == text_hash("[I") * 31 + 3
    assert a != vhash([("ICONST", 4), ("NEWARRAY", "I")])


def test_identity_hashes_are_assigned_in_order_and_kept():
    b = module()
    b.func("main", [], "V", [], [("RET",)])
    b.func("mk", [], "Lt.P;", [], [*new("P"), ("RETV",)])
    b.func("h", ["Lt.P;"], "I", ["Lt.P;"], [("LOAD", 0), ("VHASH",), ("RETV",)])
    b.func("fv", ["I"], "(I)I", ["I"], [("LOAD", 0), ("CLOSURE", ("t", "inc", "(I)I"), 0), ("POP",),
                                        ("CLOSURE", ("t", "add", "(II)I"), 1), ("RETV",)])
    b.func("add", ["I", "I"], "I", ["I", "I"], [("LOAD", 0), ("LOAD", 1), ("IADD",), ("RETV",)])
    b.func("hf", ["(I)I"], "I", ["(I)I"], [("LOAD", 0), ("VHASH",), ("RETV",)])
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load([make_lang(), b.build()])
    t = vm.module("t")
    objs = [t.call("mk") for _ in range(3)]
    assert [t.call("h", o) for o in objs] == [1, 2, 3]
    f = t.call("fv", 5)
    assert t.call("hf", f) == 4
    assert f(10) == 15
    for _ in range(3):
        vm.collect()
        assert [t.call("h", o) for o in objs] == [1, 2, 3] and t.call("hf", f) == 4
    assert [o.get("x") for o in objs] == [0, 0, 0]      # the hash is not a field
    assert t.call("h", t.call("mk")) == 5


def test_tostr_obj_of_every_kind():
    main = []
    for v in ([("NULL",)], I(-3), F(0.1), F(1e100), Zb(1), Zb(0), S("s"), new("P"),
              [("ICONST", 1), ("NEWARRAY", "I")], [("CLOSURE", ("t", "inc", "(I)I"), 0)]):
        main += println([*v, ("CAST", "R"), ("TOSTR_OBJ",)])
    assert lines(main) == ["null", "-3", "0.1", "1e+100", "true", "false", "s", "<P>", "<array>", "<fn>"]


def test_shared_boxes_do_not_leak_values():
    """Small int boxes are shared permanent blocks: each keeps its value."""
    main = println(I(5) + [("CAST", "I"), ("ITOS",)])
    main += println(I(1023) + [("DUP",), ("VHASH",), ("ITOS",), ("SWAP",), ("CAST", "I"), ("ITOS",),
                               ("CONCAT",)])
    main += println(I(1024) + I(1024) + [("VEQ",), ("ZTOS",)])
    main += println(I(-128) + I(-129) + [("VEQ",), ("ZTOS",)])
    assert lines(main, gc_stress=True) == ["5", "10231023", "true", "false"]


def test_host_reads_erased_values():
    b = module()
    b.func("main", [], "V", [], [("RET",)])
    b.func("id", ["R"], "R", ["R"], [("LOAD", 0), ("RETV",)])
    b.func("ints", [], "R", [], [("ICONST", 2), ("NEWARRAY", "I"), ("RETV",)])
    b.func("unbox", ["R"], "I", ["R"], [("LOAD", 0), ("CAST", "I"), ("RETV",)])
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    t = vm.module("t")
    for v in (5, -(1 << 63), 2.5, True, False, "x€", None):
        got = t.call("id", v)
        assert got == v and type(got) is type(v)
    assert t.call("ints") == [0, 0]
    assert t.call("unbox", 7) == 7
    with pytest.raises(HLError, match="CastError: cannot cast string to int"):
        t.call("unbox", "7")
    with pytest.raises(TypeError, match="generic value"):
        t.call("id", [1, 2])
    with pytest.raises(ValueError):
        t.call("id", 1 << 64)


def test_no_array_is_longer_than_its_length_word_holds():
    """Word 1 keeps a length below its identity-hash half: a longer array
    is out of memory, however big the heap (whose pages it would not even
    touch)."""
    try:
        eval_code([("ICONST", 1), ("NEWARRAY", "Z"), ("ALEN",), ("RETV",)], max_heap=8 << 30)
    except (OSError, MemoryError, ValueError):
        pytest.skip("no 8 GiB address range here")
    with pytest.raises(HLError, match="OutOfMemoryError: cannot allocate 4294967312 bytes"):
        eval_code([("ICONST", 1 << 32), ("NEWARRAY", "Z"), ("ALEN",), ("RETV",)], max_heap=8 << 30)
    assert eval_code([("ICONST", (1 << 32) - 1), ("NEWARRAY", "Z"), ("ALEN",), ("RETV",)],
                     max_heap=8 << 30) == (1 << 32) - 1
