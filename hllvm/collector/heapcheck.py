"""The heap verifier: checks the collector's invariant (docs/gc.md) over the
whole heap and every root.  Tests switch it on (`VM(verify_heap=True)`, and
with `gc_stress`); it runs after each collection and raises `HeapCorrupt`
naming the first block or root that breaks the rules:

* the page map agrees with the runs, the large blocks and the page counts;
* the blocks of every run tile it exactly from its start to its fill, and
  every large block fills the pages it owns;
* every header has a known type id of a kind a block can have, a sane
  length (a class instance's is its field count, a function value's its
  bound values, a box's 1) and no GC bits, and only instances and function
  values carry identity-hash bits in word 1;
* every reference — in a root, an array of references, or a reference
  field of an instance — is 0 or the start of a block;
* free memory is zero: the tail of the current run, and the pages freed by
  the last collection (the rest of the free pages were checked when they
  became free and are never written).

It reads the heap only.  Permanent runs are walked once (their blocks never
change, and only the fields of permanent instances — roots — can).
"""

from __future__ import annotations

from ..layout import (BOX_TIDS, FIRST_CLASS_ID, LENGTH_MASK, LENGTH_WORD, P_FREE, P_LARGE, P_LARGE_TAIL,
                      P_PERM, P_SMALL, PAGE_BYTES, PAGE_SHIFT, PAGE_WORDS, STRING_TIDS, T_BOXF, T_BOXI,
                      T_BOXZ, T_GLOBALS, T_STR8, T_STR32, TYPE_MASK, block_words, payload_word)


_FIXED_NAMES = {T_STR8: "string", T_STR32: "string", T_BOXI: "int", T_BOXF: "float", T_BOXZ: "bool",
                T_GLOBALS: "globals"}


class HeapCorrupt(Exception):
    """The heap or a root breaks the collector's invariant (a VM bug)."""


class HeapChecker:
    def __init__(self, vm) -> None:
        self.vm = vm
        self.heap = vm.heap
        self.perm_starts: set[int] = set()
        self._perm_seen: dict[int, int] = {}     # perm run start → fill walked so far

    def check(self, root_values=(), freed=()) -> int:
        """Check everything; returns the number of blocks seen."""
        heap = self.heap
        W = heap.W
        CLS = self.vm.interp.TYPES
        ncls = len(CLS)
        self._check_pages()
        starts = set()
        refs_to_check = []
        # Permanent runs: only what was added since the last check.
        for s, f, _k in heap.all_runs():
            if _k != P_PERM:
                continue
            p = max(s, self._perm_seen.get(s, s))
            self._walk(p, f, P_PERM, self.perm_starts, None, CLS, ncls)
            self._perm_seen[s] = f
        for s, f, k in heap.all_runs():
            if k == P_SMALL:
                self._walk(s, f, P_SMALL, starts, refs_to_check, CLS, ncls)
        for p, npages in heap.large.items():
            self._block(p, starts, refs_to_check, CLS, ncls, where="large block")
            size = block_words(W[p] & TYPE_MASK, W[p + LENGTH_WORD])
            if not (npages - 1) << PAGE_SHIFT < size <= npages << PAGE_SHIFT:
                raise HeapCorrupt(f"large block {p} of {size} words owns {npages} pages")
        starts |= self.perm_starts
        for p in heap.perm_objects:
            self._fields(p, W[p] & TYPE_MASK, refs_to_check, CLS)
        for p, slot in refs_to_check:
            v = W[slot]
            if v and v not in starts:
                raise HeapCorrupt(f"block {p} ({self._name(W[p] & TYPE_MASK)}) word {slot - p} "
                                  f"holds {v}, not a block")
        for v in root_values:
            if v and v not in starts:
                raise HeapCorrupt(f"a root holds {v}, not a block")
        # Free memory reads as zero.
        if heap.run_end > heap.top:
            a, b = heap.top * 8, heap.run_end * 8
            if heap.mm[a:b] != bytes(b - a):
                raise HeapCorrupt(f"the current run is not zero above its top {heap.top}")
        for first, end in freed:
            a, b = first * PAGE_BYTES, end * PAGE_BYTES
            if heap.mm[a:b] != bytes(b - a):
                raise HeapCorrupt(f"freed pages {first}..{end} are not zero")
        return len(starts)

    def _check_pages(self) -> None:
        """The page map is exactly what the runs and large blocks own, and
        the page counts agree with it."""
        heap = self.heap
        expect = bytearray(heap.npages)
        counts = [0] * 5
        for s, f, k in heap.all_runs():
            a, b = s >> PAGE_SHIFT, (f + PAGE_WORDS - 1) >> PAGE_SHIFT
            if k == P_PERM:
                b = max(b, a + 1)
            if any(expect[a:b]):
                raise HeapCorrupt(f"run {s}..{f} shares pages with another run")
            expect[a:b] = bytes([k]) * (b - a)
        # The current permanent run and the current small run own their pages
        # up to their ends, not only to their fills.
        for s, e, k in ((heap.perm_start, heap.perm_end, P_PERM), (heap.run_start, heap.run_end, P_SMALL)):
            if e > s:
                a, b = s >> PAGE_SHIFT, (e + PAGE_WORDS - 1) >> PAGE_SHIFT
                expect[a:b] = bytes([k]) * (b - a)
        for p, npages in heap.large.items():
            if p & (PAGE_WORDS - 1):
                raise HeapCorrupt(f"large block {p} does not start a page")
            a = p >> PAGE_SHIFT
            if any(expect[a:a + npages]):
                raise HeapCorrupt(f"large block {p} shares pages with a run")
            expect[a] = P_LARGE
            expect[a + 1:a + npages] = bytes([P_LARGE_TAIL]) * (npages - 1)
        if expect != heap.pages:
            bad = next(i for i in range(heap.npages) if expect[i] != heap.pages[i])
            raise HeapCorrupt(f"page {bad} is of kind {heap.pages[bad]}, its owner says {expect[bad]}")
        counts[P_SMALL] = expect.count(P_SMALL)
        counts[P_PERM] = expect.count(P_PERM)
        counts[P_LARGE] = len(heap.large)
        counts[P_LARGE_TAIL] = sum(heap.large.values()) - len(heap.large)
        counts[P_FREE] = heap.npages - sum(counts)
        if counts != heap.counts:
            raise HeapCorrupt(f"page counts {heap.counts}, the page map has {counts}")

    def _walk(self, p, end, kind, starts, refs_to_check, CLS, ncls) -> None:
        while p < end:
            p += self._block(p, starts, refs_to_check, CLS, ncls, where="run block")
        if p != end:
            raise HeapCorrupt(f"blocks overrun their run's fill {end} (to {p})")

    def _block(self, p, starts, refs_to_check, CLS, ncls, where) -> int:
        """`CLS`: the interpreter's records by type id (TYPES)."""
        W = self.heap.W
        h = W[p]
        if h & ~TYPE_MASK:
            raise HeapCorrupt(f"{where} {p} has GC bits set ({h & ~TYPE_MASK:#x})")
        tid = h
        word1 = W[p + LENGTH_WORD]
        n = word1 & LENGTH_MASK
        if word1 < 0 or (word1 != n and not self._hashed(tid, CLS, ncls)):
            raise HeapCorrupt(f"{where} {p} has length word {word1:#x}")
        # (Globals blocks are permanent; their reference words are roots,
        # checked with the other roots.)
        want = self._length_of(tid, CLS, ncls)
        if want is None:
            raise HeapCorrupt(f"{where} {p} has type id {tid}")
        if want >= 0 and n != want:
            raise HeapCorrupt(f"{where} {p} of type {self._name(tid)} has length {n}, not {want}")
        starts.add(p)
        if refs_to_check is not None:
            self._fields(p, tid, refs_to_check, CLS)
        return block_words(tid, n)

    @staticmethod
    def _length_of(tid, CLS, ncls):
        """The length a block of this type id must have, -1 for any, or None
        when no block may have the id."""
        if tid in STRING_TIDS or tid == T_GLOBALS:
            return -1
        if tid in BOX_TIDS:
            return 1
        rec = CLS[tid] if tid < ncls else None
        kind = getattr(rec, "kind", None)
        if kind == "array":
            return -1
        if kind == "class" and not rec.is_interface:
            return rec.nfields
        if kind == "closure":
            return rec.k
        return None

    @staticmethod
    def _hashed(tid, CLS, ncls) -> bool:
        """Blocks of this type may keep an identity hash in word 1."""
        rec = CLS[tid] if FIRST_CLASS_ID <= tid < ncls else None
        kind = getattr(rec, "kind", None)
        return kind == "closure" or (kind == "class" and not rec.is_interface)

    def _fields(self, p, tid, out, CLS) -> None:
        refs = self.vm.interp.REFS
        r = refs[tid] if tid < len(refs) else ()
        if r is None:
            first = payload_word(p)
            out.extend((p, first + i) for i in range(self.heap.W[p + LENGTH_WORD]))
        else:
            out.extend((p, p + off) for off in r)

    def _name(self, tid: int) -> str:
        TYPES = self.vm.interp.TYPES
        if tid < len(TYPES) and TYPES[tid] is not None:
            return TYPES[tid].name
        return _FIXED_NAMES.get(tid, f"type {tid}")
