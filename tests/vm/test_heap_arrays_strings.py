"""Heap layout (headers, compact/wide strings, arrays), OutOfMemoryError,
array and string instructions."""

import io

import pytest

from asm import ModBuilder, make_lang
from conftest import eval_code, run_module

from hllvm import VM, HLError
from hllvm.heap import PAGE_WORDS, T_FARR, T_IARR, T_RARR, T_STR8, T_STR32, T_ZARR, Heap


def test_string_layout_compact_and_wide():
    h = Heap(1 << 20)
    a = h.new_str("héllo")
    assert h.W[a] == T_STR8 and h.W[a + 1] == 5
    assert bytes(h.B[(a + 2) * 8:(a + 2) * 8 + 5]) == "héllo".encode("latin-1")
    w = h.new_str("a😀b")
    assert h.W[w] == T_STR32 and h.W[w + 1] == 3
    assert h.U[(w + 2) * 2 + 1] == 0x1F600
    assert h.get_str(a) == "héllo" and h.get_str(w) == "a😀b"
    assert h.block_words(a) == 3 and h.block_words(w) == 4
    assert [p for p, _, _ in h.blocks()] == [a, w]


def test_array_layout_and_walk():
    h = Heap(1 << 20)
    arrays = [(T_IARR, 3, 5), (T_FARR, 2, 4), (T_ZARR, 9, 4), (T_RARR, 1, 3)]
    refs = [h.new_array(t, n) for t, n, _ in arrays]
    for r, (t, n, words) in zip(refs, arrays):
        assert h.W[r] == t and h.W[r + 1] == n and h.block_words(r) == words
    assert [(p, t, n) for p, t, n in h.blocks()] == [(r, t, n) for r, (t, n, _) in zip(refs, arrays)]
    # Page 0 holds the null block and permanent blocks; small blocks start
    # on a page of their own.
    assert h.W[0] == 0 and h.W[1] == 0 and refs[0] == PAGE_WORDS


def arr(kind, store, load, value, ret):
    return eval_code([("ICONST", 3), ("NEWARRAY", kind), ("STORE", 0),
                      ("LOAD", 0), ("ICONST", 2), value, (store,),
                      ("LOAD", 0), ("ACOPY",), ("ICONST", 2), (load,), ("RETV",)],
                     ret=ret, locals_=["[" + kind])


def test_array_element_kinds():
    assert arr("I", "IASTORE", "IALOAD", ("ICONST", -9), "I") == -9
    assert arr("F", "FASTORE", "FALOAD", ("FCONST", 1.5), "F") == 1.5
    assert arr("Z", "ZASTORE", "ZALOAD", ("BCONST", 1), "Z") is True
    assert arr("S", "RASTORE", "RALOAD", ("SCONST", "s"), "S") == "s"


def test_new_array_zero_values_and_length():
    assert eval_code([("ICONST", 4), ("NEWARRAY", "F"), ("RETV",)], ret="[F") == [0.0] * 4
    assert eval_code([("ICONST", 2), ("NEWARRAY", "Z"), ("RETV",)], ret="[Z") == [False, False]
    assert eval_code([("ICONST", 2), ("NEWARRAY", "[I"), ("RETV",)], ret="[[I") == [None, None]
    assert eval_code([("ICONST", 7), ("NEWARRAY", "I"), ("ALEN",), ("RETV",)]) == 7


@pytest.mark.parametrize("code,cls,msg", [
    ([("ICONST", 2), ("NEWARRAY", "I"), ("ICONST", 2), ("IALOAD",), ("RETV",)], "IndexError",
     "index 2 out of range for length 2"),
    ([("ICONST", 2), ("NEWARRAY", "I"), ("ICONST", -1), ("IALOAD",), ("RETV",)], "IndexError", "index -1"),
    ([("ICONST", 2), ("NEWARRAY", "Z"), ("ICONST", 5), ("BCONST", 1), ("ZASTORE",), ("ICONST", 0), ("RETV",)],
     "IndexError", "index 5"),
    ([("NULL",), ("ICONST", 0), ("IALOAD",), ("RETV",)], "NullError", "index"),
    ([("NULL",), ("ALEN",), ("RETV",)], "NullError", "length"),
    ([("NULL",), ("ACOPY",), ("ALEN",), ("RETV",)], "NullError", "copy"),
    ([("ICONST", -3), ("NEWARRAY", "I"), ("ALEN",), ("RETV",)], "ValueError", "negative array size -3"),
    ([("SCONST", "ab"), ("ICONST", 2), ("SINDEX",), ("SLEN",), ("RETV",)], "IndexError", "index 2"),
    ([("NULL",), ("SLEN",), ("RETV",)], "NullError", ""),
])
def test_array_and_string_errors(code, cls, msg):
    with pytest.raises(HLError) as e:
        eval_code(code)
    assert e.value.class_name == cls and msg in e.value.message


def s(code):
    return eval_code(code + [("RETV",)], ret="S")


def test_string_instructions():
    assert s([("SCONST", "ab"), ("SCONST", "cd"), ("CONCAT",)]) == "abcd"
    assert s([("SCONST", "é"), ("SCONST", "😀"), ("CONCAT",)]) == "é😀"
    assert s([("NULL",), ("SCONST", "x"), ("CONCAT",)]) == "nullx"
    assert s([("SCONST", "a😀c"), ("ICONST", 1), ("SINDEX",)]) == "😀"
    assert s([("SCONST", "a😀c"), ("ICONST", 2), ("SINDEX",)]) == "c"
    assert s([("ICONST", -(1 << 63)), ("ITOS",)]) == "-9223372036854775808"
    assert s([("FCONST", 1e100), ("FTOS",)]) == "1e+100"
    assert s([("FCONST", float("inf")), ("FNEG",), ("FTOS",)]) == "-inf"
    assert s([("FCONST", 0.1), ("FTOS",)]) == "0.1"
    assert s([("BCONST", 0), ("ZTOS",)]) == "false"
    assert s([("NULL",), ("STOS",)]) == "null"
    assert eval_code([("SCONST", "a😀c"), ("SLEN",), ("RETV",)]) == 3


@pytest.mark.parametrize("op,a,b,r", [
    ("SEQ", "abc", "abc", True), ("SEQ", "abc", "abd", False), ("SNE", "a", "b", True),
    ("SLT", "abc", "abd", True), ("SLT", "ab", "abc", True), ("SGT", "b", "abc", True),
    ("SLE", "x", "x", True), ("SGE", "é", "😀", False), ("SEQ", "😀", "😀", True),
])
def test_string_compare(op, a, b, r):
    # b is built at run time, so equal strings are distinct blocks
    assert eval_code([("SCONST", a), ("SCONST", b[:1]), ("SCONST", b[1:]), ("CONCAT",),
                      (op,), ("RETV",)], ret="Z") is r


def test_string_eq_with_null():
    assert eval_code([("NULL",), ("NULL",), ("SEQ",), ("RETV",)], ret="Z") is True
    assert eval_code([("NULL",), ("SCONST", ""), ("SEQ",), ("RETV",)], ret="Z") is False
    with pytest.raises(HLError):
        eval_code([("NULL",), ("SCONST", ""), ("SLT",), ("RETV",)], ret="Z")


def test_out_of_memory_is_catchable():
    b = ModBuilder("t")
    # try { loop: keep a chain of 1000-int arrays alive } catch OutOfMemoryError { println("oom") }
    b.func("main", [], "V", ["[[I", "I"], [
        ("ICONST", 100000), ("NEWARRAY", "[I"), ("STORE", 0), ("ICONST", 0), ("STORE", 1),
        "s:", "top:", ("LOAD", 0), ("LOAD", 1), ("ICONST", 1000), ("NEWARRAY", "I"), ("RASTORE",),
        ("LOAD", 1), ("ICONST", 1), ("IADD",), ("STORE", 1), ("JMP", "top"), "e:",
        "h:", ("INSTANCEOF", ("lang", "OutOfMemoryError")), ("ZTOS",),
        ("CALLNATIVE", ("lang.println", "(S)V")), ("RET",)],
        handlers=[("s", "e", "h", ("lang", "Error"))])
    r = run_module(b, max_heap=2 << 20)
    assert r.out == "true\n" and r.status == 0


def test_out_of_memory_uncaught_and_huge_array():
    with pytest.raises(HLError) as e:
        eval_code([("ICONST", 1 << 40), ("NEWARRAY", "I"), ("ALEN",), ("RETV",)], max_heap=1 << 20)
    assert e.value.class_name == "OutOfMemoryError"
    with pytest.raises(HLError) as e:
        eval_code([("SCONST", "abc"), ("ICONST", 1 << 30), ("CALLNATIVE", ("string.repeat", "(SI)S")),
                   ("SLEN",), ("RETV",)], max_heap=1 << 20)
    assert e.value.class_name == "OutOfMemoryError"


def test_two_vms_are_independent():
    b = ModBuilder("t")
    b.global_("g", "I")
    b.func("inc", [], "I", [], [("GGET", ("t", "g", "I")), ("ICONST", 1), ("IADD",), ("DUP",),
                                ("GSET", ("t", "g", "I")), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    m = b.build()
    v1, v2 = VM(max_heap=1 << 20), VM(max_heap=1 << 20)
    v1.load([make_lang(), m])
    v2.load([make_lang(), m])
    assert [v1.call("t", "inc") for _ in range(3)] == [1, 2, 3]
    assert v2.call("t", "inc") == 1


def test_call_converts_values_both_ways():
    b = ModBuilder("t")
    b.func("id", ["[S"], "[S", ["[S"], [("LOAD", 0), ("ACOPY",), ("RETV",)])
    b.func("len", ["[F"], "I", ["[F"], [("LOAD", 0), ("ALEN",), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "id", ["a", None, "é😀"]) == ["a", None, "é😀"]
    assert vm.call("t", "len", [1.0, 2]) == 2
    with pytest.raises(TypeError):
        vm.call("t", "len", "x")
