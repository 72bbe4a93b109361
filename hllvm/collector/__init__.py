"""The garbage collector: precise, tracing, copying (docs/gc.md).

`Collector` owns when to collect (an allocation budget between collections,
the heap's reserve rule, GC stress) and the steps of a collection, each a
method named for what it does:

    mark_roots   every root's value, from the one list of owners (roots.py)
    evacuate     Cheney's trace: copy every reachable small block to free
                 pages, mark every reachable large block (evacuate.py, or
                 the same loop as machine code, native.py)
    update       write the new addresses back into the roots; rename or
                 drop the entries of weak tables
    sweep        free dead large blocks and the whole from-space (zeroed
                 in place, or given back to the OS when the host asked for
                 the collection); the to-space becomes the small
                 space

The invariant it keeps, between collections (checked by heapcheck.py when
`verify` is on): every reference in a root or in a reference slot of a
block is 0 or the address of a block's header; headers carry no GC bits;
free pages and the words above each run's fill are zero; and the small
space is never larger than the free pages can take (so a collection never
runs out of to-space).  During a collection: a block reached is either
copied (its old header forwards to the copy) or a marked large block or
permanent; copies between the scan and allocation pointers (and queued
large blocks) are grey, everything behind the scan pointer is black and
points only at copies, large or permanent blocks.

It does not own the object layout (layout.py), the heap (heap.py), the
roots' owners (listed in roots.py) or what OutOfMemoryError is (the VM's
`Errors`).
"""

from __future__ import annotations

import os
from time import perf_counter

from .. import critical
from ..layout import GC_FORWARDED, GC_MARKED, LENGTH_WORD, P_LARGE, P_PERM, P_SMALL, PAGE_SHIFT
from . import evacuate as py_evacuate
from .heapcheck import HeapChecker, HeapCorrupt
from .roots import Roots, RootSet, RootsError, ShadowStack
from .stats import GCStats

GROWTH = 2                       # budget between collections: GROWTH x the live data...
MIN_BUDGET = (256 << 10, 8 << 20)   # ...but at least heap/8, clamped to these bytes
# Below this much small space the trace runs in Python (few blocks to touch,
# and nothing to load); from there on, as machine code (native.py), which
# then stays in use for the rest of the process.
NATIVE_FROM_PAGES = 256          # 1 MiB
NATIVE_FROM_BLOCKS = 256         # ... or from a collection that found this many live blocks
# Under GC stress (a collection at every allocation) the heap verifier
# would cost live blocks x allocations: with many live blocks it runs after
# every k-th collection, k = live blocks / STRESS_VERIFY_BLOCKS, so a
# stress run stays linear in what it allocates (a list of 10,000 boxed ints
# is checked some 150 times instead of 10,000).
STRESS_VERIFY_BLOCKS = 64
_UNMARK = ~GC_MARKED


class Collector:
    def __init__(self, vm, stress: bool = False, verify: bool | None = None, log=None,
                 evacuator: str | None = None) -> None:
        self.vm = vm
        self.interp = vm.interp
        heap = self.heap = vm.heap
        heap.gc = self
        self.roots = Roots(vm)
        self.stats = GCStats(heap.size)
        self.stress = stress
        heap.stress = stress
        heap.set_limit()
        self.verify = stress if verify is None else verify
        self.checker = HeapChecker(vm) if self.verify else None
        self.log = log                        # callable taking one trace line, or None
        self.evacuator = evacuator or os.environ.get("HLLVM_GC_EVACUATOR", "auto")
        if self.evacuator not in ("auto", "python", "native"):
            raise ValueError(f"unknown evacuator {self.evacuator!r} (auto, python, native)")
        self.min_budget = min(max(heap.size // 8, MIN_BUDGET[0]), MIN_BUDGET[1]) >> 3
        self.budget = self.min_budget         # words between the last collection and the next
        self.next_at = heap.allocated_words + self.budget
        self.collecting = False
        self.forbidden: str | None = None     # why a collection may not run now (hllvm/jit/tier.py poll)
        # Called before each collection walks the heap: compiled code's
        # allocation window is sealed there (hllvm/jit/helpers.py).
        self.before_collect: list = []
        self._refs: list = []
        self._refs_version = -1
        self.last_evacuator = None
        self._last_live = 0                   # blocks the last trace copied or marked
        self._unverified = 0                  # stress collections since the verifier last ran

    # --- the policy (asked by the heap's slow path) --------------------------------------
    def due(self) -> bool:
        return self.stress or self.heap.allocated_words >= self.next_at

    def due_cause(self) -> str:
        return "stress" if self.stress else "alloc"

    def budget_pages(self) -> int:
        """Pages the program may still allocate before the next collection."""
        return max(0, self.next_at - self.heap.allocated_words) >> PAGE_SHIFT

    def add_shadow_stack(self, capacity: int = 1 << 16) -> ShadowStack:
        """A new rooted area for compiled frames (roots.py, owner 6)."""
        s = ShadowStack(capacity)
        self.roots.shadow_stacks.append(s)
        return s

    # --- a collection --------------------------------------------------------------------
    def collect(self, cause: str = "host") -> None:
        if self.collecting:
            raise RuntimeError("the collector was re-entered (something allocated during a collection)")
        if self.forbidden:
            raise RuntimeError(f"the collector was asked for {self.forbidden}")
        # A VM is used by one thread at a time: a collection asked for by
        # another thread while HL code runs would move objects under it.
        control = getattr(self.vm, "control", None)
        if control is not None:
            control.check_thread("collect")
        # A KeyboardInterrupt in the middle would leave half the heap moved:
        # a Ctrl-C waits until the collection is over (hllvm/critical.py).
        token = critical.enter()
        self.collecting = True
        try:
            self._collect(cause)
        finally:
            self.collecting = False
            critical.leave(token)

    def _collect(self, cause: str) -> None:
        t0 = perf_counter()
        heap = self.heap
        before = heap.used_bytes
        for seal in self.before_collect:
            seal()
        heap.close_run()                       # the current run joins the from-space
        roots = self.mark_roots()
        trace = self.evacuate(roots)
        self.update(roots)
        # The program allocates into freed pages again at once: they stay
        # resident, cleared in place (a page fault per page costs more), as
        # a JVM keeps its committed heap; so the process keeps the heap's
        # high-water mark.  A collection the host asks for gives them back
        # to the OS, and so does GC stress (a collection at every allocation:
        # clearing in place there made the stress tests 300 times slower).
        heap.keep_pages = 0 if cause in ("host", "stress") else heap.npages
        try:
            freed = self.sweep(trace)
        finally:
            heap.keep_pages = 0
        after = heap.used_bytes
        self.budget = max(self.min_budget, GROWTH * (after >> 3))
        self.next_at = heap.allocated_words + self.budget
        pause = perf_counter() - t0
        line = self.stats.record(cause, before, after, trace.copied_words * 8, pause)
        if self.log is not None:
            self.log(line)
        self._last_live = trace.copied_blocks + trace.marked_large
        if self.checker is not None and self._verify_now():
            try:
                self.checker.check(roots.values, freed)
            except HeapCorrupt as e:
                raise HeapCorrupt(f"after collection #{self.stats.count} ({cause}): {e}") from None

    def _verify_now(self) -> bool:
        """After every collection; under GC stress with many live blocks,
        after every k-th (STRESS_VERIFY_BLOCKS)."""
        if not self.stress:
            return True
        self._unverified += 1
        if self._unverified * STRESS_VERIFY_BLOCKS >= self._last_live:
            self._unverified = 0
            return True
        return False

    def mark_roots(self) -> RootSet:
        return self.roots.gather()

    def evacuate(self, roots: RootSet):
        heap = self.heap
        ranges = heap.free_ranges()
        fn = self._choose_evacuator()
        return fn(heap, roots.values, ranges, self._ref_layout())

    def update(self, roots: RootSet) -> None:
        self.roots.update(roots, self._forward)
        self.roots.sweep_weak(self._survivor)

    def sweep(self, trace) -> list:
        """Free dead large blocks and the from-space; returns the freed page
        ranges (the verifier checks they read as zero)."""
        heap = self.heap
        W = heap.W
        freed = []
        for p in list(heap.large):
            h = W[p]
            if h & GC_MARKED:
                W[p] = h & _UNMARK
            else:
                freed.append(heap.free_large(p))
        for first, end in heap.run_pages():
            heap.release_pages(first, end, P_SMALL)
            freed.append((first, end))
        heap.adopt_runs(trace.runs)
        return freed

    # --- helpers -------------------------------------------------------------------------
    def _forward(self, ref: int) -> int:
        """The new address of a live block (valid until the sweep)."""
        h = self.heap.W[ref]
        return self.heap.W[ref + LENGTH_WORD] if h & GC_FORWARDED else ref

    def _survivor(self, ref: int) -> int:
        """The new address of a block, or 0 if it died (valid until the sweep)."""
        heap = self.heap
        kind = heap.pages[ref >> PAGE_SHIFT]
        if kind == P_SMALL:
            return heap.W[ref + LENGTH_WORD] if heap.W[ref] & GC_FORWARDED else 0
        if kind == P_LARGE:
            return ref if heap.W[ref] & GC_MARKED else 0
        return ref if kind == P_PERM else 0

    def _ref_layout(self) -> list:
        """By type id: word offsets of the reference slots of a block (fields
        of an instance, bound values of a function value), or None for an
        array of references (every element).  A new list whenever the
        interpreter's changes (the machine-code trace caches it by identity)."""
        interp = self.interp
        if self._refs_version != interp.types_version:
            self._refs = list(interp.REFS)
            self._refs_version = interp.types_version
        return self._refs

    def _choose_evacuator(self):
        mode = self.evacuator
        if mode != "python":
            from . import native
            if (native.loaded() or mode == "native" or self.heap.counts[P_SMALL] >= NATIVE_FROM_PAGES
                    or self._last_live >= NATIVE_FROM_BLOCKS):
                fn = native.evacuator()
                if fn is not None:
                    self.last_evacuator = "native"
                    return fn
                if mode == "native":
                    raise RuntimeError(f"the native evacuator is unavailable: {native.why_unavailable()}")
        self.last_evacuator = "python"
        return py_evacuate.evacuate

    def report(self) -> str:
        """The `--gc-stats` text."""
        self.stats.allocated_bytes = self.heap.allocated_words * 8
        return self.stats.report()


__all__ = ["Collector", "HeapCorrupt", "RootsError", "ShadowStack", "GCStats"]
