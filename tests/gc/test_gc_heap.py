"""The heap's spaces and the collector's steps, driven from Python: runs of
small blocks, large blocks, permanent blocks, the reserve rule, and the two
implementations of the trace (Python and machine code) on the same heaps."""

import io
import random

import pytest
from gc_helpers import evacuator  # noqa: F401 (a fixture)

from hl import VM
from hllvm.collector import HeapCorrupt
from hllvm.collector.heapcheck import HeapChecker
from hllvm.heap import (LARGE_WORDS, P_FREE, P_LARGE, P_PERM, P_SMALL, PAGE_SHIFT, PAGE_WORDS, T_IARR,
                        T_RARR, T_STR8, Heap, to_space_capacity)

CLASSES = """
class Pair { a: Pair; b: Pair; n: int; s: string; }
fn main() {}
"""


def new_vm(**opts):
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), verify_heap=True, **opts)
    vm.load_source(CLASSES, name="prog")
    return vm


def test_spaces_small_large_permanent():
    h = Heap(1 << 20)
    s = h.new_str("hello")
    big = h.new_array(T_IARR, LARGE_WORDS)               # 2 + LARGE_WORDS words: large
    k = h.intern("konst")
    assert h.pages[s >> PAGE_SHIFT] == P_SMALL
    assert big % PAGE_WORDS == 0 and h.pages[big >> PAGE_SHIFT] == P_LARGE and h.large[big] == 5
    assert h.pages[k >> PAGE_SHIFT] == P_PERM and h.intern("konst") == k
    assert [p for p, _t, _n in h.blocks()] == [k, s, big]
    assert h.counts[P_FREE] + h.counts[P_SMALL] + h.counts[P_PERM] + 5 == h.npages


def test_small_space_obeys_the_reserve_rule():
    # Fill a heap with small blocks without collecting: it stops (returns -1)
    # while the free pages can still take a copy of everything.
    h = Heap(1 << 20)
    n = 0
    while h._place(100) >= 0:
        n += 1
    assert n * 100 > 0.45 * (h.size >> 3)       # about half the heap
    assert h.counts[P_SMALL] << PAGE_SHIFT <= to_space_capacity(h.free_ranges())
    assert not h.fits(100)
    with pytest.raises(MemoryError):
        h.alloc(T_IARR, 98, 100)


def test_large_blocks_take_pages_from_the_top():
    h = Heap(1 << 20)
    a = h.new_array(T_IARR, 5000)
    b = h.new_array(T_IARR, 5000)
    assert a > b > h.new_str("x")
    assert h.large == {a: 10, b: 10}


def test_could_fit_and_fits():
    h = Heap(1 << 20)
    assert h.fits(10) and h.could_fit(10)
    assert h.could_fit((1 << 20) // 8 - PAGE_WORDS) and not h.could_fit((1 << 20) // 8)


def build_graph(vm, seed: int, n: int = 400):
    """A random graph of Pairs, strings and arrays (small and large), rooted
    in `heap.temps`; returns a description of it found by walking it."""
    rnd = random.Random(seed)
    heap = vm.heap
    cls = vm.classes[("prog", "Pair")]
    off = {name: 2 + slot for name, (slot, _t) in cls.fields.items()}
    temps = heap.temps
    del temps[:]
    for i in range(n):
        r = rnd.random()
        if r < 0.5:
            p = heap.alloc(cls.id, cls.nfields, 2 + cls.nfields)
            heap.W[p + off["n"]] = i
        elif r < 0.7:
            p = heap.new_str(f"s{i}" * rnd.randint(1, 5))
        elif r < 0.95:
            p = heap.new_array(T_RARR, rnd.randint(0, 6))
        else:
            p = heap.new_array(T_RARR, LARGE_WORDS + rnd.randint(0, 100))   # a large block
        temps.append(p)
        # Link it with earlier blocks (through temps: they may have moved).
        for _ in range(2):
            j = rnd.randrange(len(temps))
            q = temps[j]
            tq = heap.W[q]
            if tq == cls.id:
                heap.W[q + off[rnd.choice(["a", "b"])]] = temps[-1] if heap.W[temps[-1]] == cls.id else 0
                if heap.W[temps[-1]] == T_STR8:
                    heap.W[q + off["s"]] = temps[-1]
            elif tq == T_RARR and heap.W[q + 1]:
                heap.W[q + 2 + rnd.randrange(heap.W[q + 1])] = temps[-1]
    # Drop most roots: what they alone kept alive becomes garbage.
    keep = sorted(rnd.sample(range(len(temps)), len(temps) // 5))
    temps[:] = [temps[i] for i in keep]
    return describe(vm)


def describe(vm):
    """The graph reachable from heap.temps, independent of addresses."""
    heap, W = vm.heap, vm.heap.W
    cls = vm.classes[("prog", "Pair")]
    ids: dict[int, int] = {}
    out = []

    def visit(p):
        if p == 0:
            return -1
        if p in ids:
            return ids[p]
        ids[p] = len(ids)
        tid, n = W[p], W[p + 1]
        entry = [tid, n]
        out.append(entry)
        if tid == cls.id:
            entry += [visit(W[p + 2]), visit(W[p + 3]), W[p + 4], visit(W[p + 5])]
        elif tid == T_STR8:
            entry.append(heap.get_str(p))
        elif tid == T_RARR:
            entry += [visit(W[p + 2 + i]) for i in range(n)]
        return ids[p]
    roots = [visit(p) for p in heap.temps]
    return roots, out


@pytest.mark.parametrize("seed", range(4))
def test_collection_keeps_the_reachable_graph(evacuator, seed):
    vm = new_vm()
    before = build_graph(vm, seed)
    used = vm.heap.used_bytes
    vm.collect()
    assert describe(vm) == before
    assert vm.heap.used_bytes < used
    vm.collect()                          # a second time: everything moves again
    assert describe(vm) == before
    assert vm.collector.last_evacuator == evacuator


@pytest.mark.parametrize("seed", range(3))
def test_python_and_native_traces_agree_word_for_word(seed, monkeypatch):
    from hllvm.collector import native
    if native.evacuator() is None:
        pytest.skip("no native evacuator here")
    heaps = []
    for ev in ("python", "native"):
        monkeypatch.setenv("HLLVM_GC_EVACUATOR", ev)
        vm = new_vm()
        build_graph(vm, seed, 600)
        vm.collect()
        heaps.append((bytes(vm.heap.mm), bytes(vm.heap.pages), vm.heap.runs, vm.heap.top,
                      vm.collector.stats.copied_bytes))
    assert heaps[0] == heaps[1]


def test_dead_large_blocks_are_freed_and_their_pages_zeroed():
    vm = new_vm()
    heap = vm.heap
    a = heap.new_array(T_IARR, 100_000)
    heap.W[a + 2 + 99_999] = 7
    first = a >> PAGE_SHIFT
    vm.collect()
    assert a not in heap.large and heap.pages[first] == P_FREE
    assert heap.W[a + 2 + 99_999] == 0


def test_the_heap_verifier_catches_a_dangling_reference():
    vm = new_vm()
    heap = vm.heap
    arr = heap.new_array(T_RARR, 1)
    heap.temps.append(arr)
    heap.W[arr + 2] = arr + 1               # not a block
    with pytest.raises(HeapCorrupt, match="not a block"):
        HeapChecker(vm).check(list(heap.temps))
    heap.W[arr + 2] = 0
    heap.W[arr] |= 1 << 40                   # GC bits left behind
    with pytest.raises(HeapCorrupt, match="GC bits"):
        HeapChecker(vm).check()


def test_freed_pages_stay_resident_unless_the_host_collects():
    """A collection the program's allocation causes clears the pages it
    frees in place (they are reused at once); one the host asks for gives
    them back to the OS (madvise): freed pages read as zero either way
    (verify_heap checks it)."""
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), verify_heap=True, max_heap=8 << 20)
    vm.load_source("""
fn churn(n: int) -> int {
    var keep = 0;
    for i in 0..n { let a = new int[100]; a[0] = i; keep += a[0]; }
    return keep;
}""", name="prog")
    heap = vm.heap
    cleared, returned = [], []
    memset, madvise_zero = heap._memset, Heap.zero_pages

    def counting_memset(at, n):
        cleared.append(n)
        memset(at, n)
    heap._memset = counting_memset
    assert vm.call("prog", "churn", 20000) == sum(range(20000))
    assert sum(vm.collector.stats.collections.values()) > 0 and cleared
    cleared.clear()
    heap.zero_pages = lambda first, end: (returned.append(end - first), madvise_zero(heap, first, end))
    vm.collect()
    assert returned and not cleared


# --- free page ranges ---------------------------------------------------------------------------

def test_every_busy_page_kind_ends_a_free_range():
    from hllvm import heap, layout
    kinds = {v for k, v in vars(layout).items() if k.startswith("P_") and isinstance(v, int)}
    assert kinds == {P_FREE, *heap._BUSY_KINDS}


@pytest.mark.parametrize("seed", range(40))
def test_free_ranges_are_the_maximal_runs_of_free_pages(seed):
    # Page maps from one range to fragmented ones (past _FEW_RANGES, where a
    # regular expression takes over), against the plain definition.
    from hllvm import heap
    rng = random.Random(seed)
    h = Heap(1 << 24)
    kinds = (P_FREE,) + heap._BUSY_KINDS
    free_share = rng.choice([0.0, 0.1, 0.5, 0.9, 1.0])
    runs = rng.choice([1, 4, 50, 400])
    pages = bytearray()
    while len(pages) < h.npages:
        kind = P_FREE if rng.random() < free_share else rng.choice(kinds[1:])
        pages += bytes([kind]) * rng.randint(1, max(1, h.npages // runs))
    h.pages[:] = pages[:h.npages]
    expected, start = [], None
    for i, k in enumerate([*h.pages, None]):
        if k == P_FREE and start is None:
            start = i
        elif k != P_FREE and start is not None:
            expected.append((start, i))
            start = None
    assert h.free_ranges() == expected


@pytest.mark.parametrize("count", [63, 64, 65, 1000])
def test_free_ranges_around_the_switch_to_a_regular_expression(count):
    from hllvm import heap
    h = Heap(1 << 24)
    h.pages[:] = bytes(h.npages)
    for i in range(count):                    # free, busy, free, busy, ...: `count` free ranges
        h.pages[2 * i + 1] = heap._BUSY_KINDS[i % 4]
    h.pages[2 * count:] = bytes([P_SMALL]) * (h.npages - 2 * count)
    assert h.free_ranges() == [(2 * i, 2 * i + 1) for i in range(count)]
