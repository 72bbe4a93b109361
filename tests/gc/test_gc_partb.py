"""The collector with Part B blocks, in both implementations of the trace:
arrays of references of every element type (small and large), boxes,
function values with bound references, identity hashes kept across
collections; and the heap checker's rules for them."""

import io
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "vm"))

from asm import ModBuilder, make_lang  # noqa: E402
from gc_helpers import evacuator  # noqa: E402,F401

from hllvm import VM  # noqa: E402
from hllvm.collector import HeapCorrupt  # noqa: E402
from hllvm.layout import HASH_SHIFT, LENGTH_WORD, T_BOXI  # noqa: E402


def program() -> ModBuilder:
    """build(n): an R[] of n entries, each a function value `cell` bound to
    (a P holding a boxed i, and a string[] holding str(i)); check(a) sums
    what the function values give back."""
    b = ModBuilder("t")
    b.iface("Has")
    b.abstract("Has", "get", [], "R")
    b.cls("P", fields=[("v", "R")], implements=["Has"])
    b.method("P", "init", ["R"], "V", ["R"], [("LOAD", 0), ("LOAD", 1), ("PUTFIELD", ("P", "v", "R")), ("RET",)],
             init=True)
    b.method("P", "get", [], "R", [], [("LOAD", 0), ("GETFIELD", ("P", "v", "R")), ("RETV",)])
    b.func("cell", ["Lt.Has;", "[S", "I"], "I", ["Lt.Has;", "[S", "I"], [
        ("LOAD", 0), ("CALLIFACE", ("Has", "get", "()R")), ("CAST", "I"),
        ("LOAD", 1), ("ICONST", 0), ("RALOAD",), ("SLEN",), ("IADD",), ("LOAD", 2), ("IADD",), ("RETV",)])
    b.func("build", ["I"], "[R", ["I", "[R", "I", "[S"], [
        ("LOAD", 0), ("NEWARRAY", "R"), ("STORE", 1),
        ("ICONST", 0), ("STORE", 2),
        "top:", ("LOAD", 2), ("LOAD", 0), ("ILT",), ("JF", "done"),
        ("ICONST", 1), ("NEWARRAY", "S"), ("STORE", 3),
        ("LOAD", 3), ("ICONST", 0), ("LOAD", 2), ("ITOS",), ("RASTORE",),
        ("LOAD", 1), ("LOAD", 2),
        ("NEW", "P"), ("DUP",), ("LOAD", 2), ("ICONST", 1000), ("IMUL",), ("BOXI",),
        ("CALLSPECIAL", ("P", "init", "(R)V")),
        ("LOAD", 3), ("CLOSURE", ("t", "cell", "(Lt.Has;[SI)I"), 2),
        ("XASTORE",),
        # garbage in between: boxes and typed arrays that die at once
        ("ICONST", 5), ("NEWARRAY", "Lt.P;"), ("POP",), ("FCONST", 1.5), ("BOXF",), ("POP",),
        ("LOAD", 2), ("ICONST", 1), ("IADD",), ("STORE", 2), ("JMP", "top"),
        "done:", ("LOAD", 1), ("RETV",)])
    b.global_("keep", "[R")
    b.func("make", ["I"], "V", ["I"], [("LOAD", 0), ("CALL", ("t", "build", "(I)[R")),
                                       ("GSET", ("t", "keep", "[R")), ("RET",)])
    b.func("hash_kept", [], "I", [], [("GGET", ("t", "keep", "[R")), ("VHASH",), ("RETV",)])
    b.func("check", [], "I", ["[R", "I", "I"], [
        ("GGET", ("t", "keep", "[R")), ("STORE", 0),
        ("ICONST", 0), ("STORE", 1), ("ICONST", 0), ("STORE", 2),
        "top:", ("LOAD", 2), ("LOAD", 0), ("ALEN",), ("ILT",), ("JF", "done"),
        ("LOAD", 1), ("LOAD", 0), ("LOAD", 2), ("XALOAD",), ("CAST", "(I)I"), ("ICONST", 1), ("CALLFN", "(I)I"),
        ("IADD",), ("STORE", 1),
        ("LOAD", 2), ("ICONST", 1), ("IADD",), ("STORE", 2), ("JMP", "top"),
        "done:", ("LOAD", 1), ("RETV",)])
    b.func("hash", ["R"], "I", ["R"], [("LOAD", 0), ("VHASH",), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    return b


def expected(n: int) -> int:
    return sum(1000 * i + len(str(i)) + 1 for i in range(n))


@pytest.mark.parametrize("n", [10, 3000])        # 3000 entries: the R[] is a large block
def test_function_values_boxes_and_typed_arrays_survive_collections(evacuator, n):
    vm = VM(stdout=io.StringIO(), max_heap=4 << 20, verify_heap=True)
    vm.load([make_lang(), program().build()])
    t = vm.module("t")
    t.call("make", n)
    h = t.call("hash_kept")
    for _ in range(2):
        vm.collect()
        assert t.call("check") == expected(n)
        assert t.call("hash_kept") == h
    assert vm.collector.last_evacuator == evacuator
    assert vm.collector.stats.count >= 2


def test_under_gc_stress_everything_moves_and_stays_whole():
    vm = VM(stdout=io.StringIO(), gc_stress=True)
    vm.load([make_lang(), program().build()])
    t = vm.module("t")
    t.call("make", 40)
    assert t.call("check") == expected(40)
    assert vm.collector.stats.count > 200


def test_identity_hashes_survive_collections_in_both_traces(evacuator):
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load([make_lang(), program().build()])
    t = vm.module("t")
    handles = [t.new("P", i) for i in range(50)]
    first = [t.call("hash", h) for h in handles]
    assert first == list(range(1, 51))
    for _ in range(3):
        vm.collect()
        assert [t.call("hash", h) for h in handles] == first
        assert [h.call("get") for h in handles] == list(range(50))
    W = vm.heap.W
    assert W[handles[0].ref + LENGTH_WORD] == (1 << HASH_SHIFT) | 1     # one field, hash 1


def test_the_heap_checker_knows_the_new_blocks():
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load([make_lang(), program().build()])
    heap = vm.heap
    box = heap.alloc(T_BOXI, 1, 3)
    vm.handles.add(box)
    vm.collect()
    box = list(vm.handles.refs())[-1]
    heap.W[box + LENGTH_WORD] = 2                     # a box holds one word
    with pytest.raises(HeapCorrupt, match="int has length 2, not 1"):
        vm.collect()
    vm = VM(stdout=io.StringIO(), verify_heap=True)
    vm.load([make_lang(), program().build()])
    a = vm.heap.new_str("not hashed")
    vm.handles.add(a)
    vm.collect()
    a = list(vm.handles.refs())[-1]
    vm.heap.W[a + LENGTH_WORD] |= 5 << HASH_SHIFT     # only instances and function values have one
    with pytest.raises(HeapCorrupt, match="length word"):
        vm.collect()
