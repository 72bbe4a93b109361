"""The VM's heap: one anonymous memory mapping, and every HL block in it.

This module owns the heap's memory (a private anonymous `mmap` of `max_heap`
bytes that the OS commits page by page as it is touched), how the
region is divided (a page map: free pages, runs of small blocks, large
blocks, permanent blocks), the allocator (`Heap.alloc`, the one place that
hands out memory, and its slow path, where the collector plugs in) and the
conversions between heap strings/arrays and Python values.

It does not own the block layout (headers, type ids, sizes, addresses:
hllvm/layout.py, documented byte by byte in docs/heap.md), the class table (type ids >= FIRST_CLASS_ID are assigned by
the linker), the roots or the decision to collect (hllvm/collector/, which
sets `Heap.gc`), or what happens when memory runs out (`on_oom`, set by the
VM, throws the HL `OutOfMemoryError`).

References are word indices into the heap (int; 0 is null).  Word 0 and 1 are
the reserved "null block": both stay 0, so reading the length of null gives 0
and a bounds check against the length word also rejects a null array.

Spaces (docs/heap.md, docs/gc.md):
  * small blocks (fewer than LARGE_WORDS words) are bump-allocated in *runs*
    of contiguous pages; the collector copies the live ones into free pages
    and frees the rest (they move);
  * large blocks get pages of their own and never move; the collector frees
    them when they die;
  * permanent blocks (interned strings, preallocated errors) live in their
    own runs, never move and are never freed, so the interpreter may keep
    their references in constants and closures.
Invariant: every free page, and every word of a run above its fill, is zero;
so a fresh block needs only its header written.
"""

from __future__ import annotations

import mmap

from . import critical

from .layout import (ARRAY_KIND, FIRST_CLASS_ID, GC_FORWARDED, GC_MARKED, HEADER_BYTES,  # noqa: F401
                     HEADER_WORDS, LARGE_WORDS, P_FREE, P_LARGE, P_LARGE_TAIL, P_PERM, P_SMALL,
                     PAGE_BYTES, PAGE_SHIFT, PAGE_WORDS, RESERVED_WORDS, T_FARR, T_FILLER, T_GLOBALS,
                     T_IARR, T_NONE, T_RARR, T_SARR, T_STR8, T_STR32, T_ZARR, TYPE_MASK, array_type_id,
                     block_words, payload_byte, payload_words, LENGTH_WORD, MAX_LENGTH)

MIN_HEAP_BYTES = 16 * PAGE_BYTES
DEFAULT_MAX_HEAP = 256 << 20       # a VM's heap limit unless the host sets one
MAX_RUN_PAGES = 256                # a run of small blocks grows 1 MiB at a time at most

# Every kind of page but P_FREE (a test checks layout.py has no other):
# the end of a run of free pages is the nearest page of one of them.
_BUSY_KINDS = (P_SMALL, P_LARGE, P_LARGE_TAIL, P_PERM)
# Free ranges are found with bytearray.find (memchr) while they are few, as
# in a run's usual page map, so a run imports no `re` for them (~7 ms of
# its start with enum); past this many, a regular expression is faster per
# range.
_FEW_RANGES = 64


def _fragmented():
    """The pattern of a run of free pages, for a fragmented page map (`re`
    keeps it compiled)."""
    import re
    return re.compile(re.escape(bytes([P_FREE])) + b"+")


def to_space_capacity(ranges) -> int:
    """Words of small blocks that free page ranges can surely take whatever
    their sizes: packing a range wastes less than LARGE_WORDS at its end."""
    c = 0
    for s, e in ranges:
        w = ((e - s) << PAGE_SHIFT) - LARGE_WORDS
        if w > 0:
            c += w
    return c


class Heap:
    """The region, its typed views, its page map and the allocator.

    Views over the same memory: `W` signed 64-bit words (ints, refs, headers),
    `D` float64 words, `B` bytes (compact strings), `Z` bool bytes (bool
    arrays), `U` uint32 (wide strings).  The address of element i of a block
    at word p is given by hllvm/layout.py (`payload_word`, `payload_byte`,
    `payload_u32`).

    Small blocks are bump-allocated in the current run, `[run_start, top)`
    used and `[top, run_end)` free; `limit` is where the fast path stops
    (`set_limit`).  Closed runs are `runs` ([start, fill] pairs).

    Reserve rule (what makes a copying collection always possible): the
    small space never holds more pages than the free page ranges can take
    (`to_space_capacity`), so evacuating everything in it always fits.
    """

    def __init__(self, max_bytes: int) -> None:
        size = max(max_bytes, MIN_HEAP_BYTES)
        size = (size + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1)
        # Private, so that MADV_DONTNEED gives freed pages back to the OS and
        # they read as zero afterwards (a shared mapping would keep them).
        flags = getattr(mmap, "MAP_PRIVATE", None)
        self.mm = mmap.mmap(-1, size, flags=flags) if flags is not None else mmap.mmap(-1, size)
        mv = memoryview(self.mm)
        self.W = mv.cast("q")
        self.D = mv.cast("d")
        self.B = mv.cast("B")
        self.Z = mv.cast("?")
        self.U = mv.cast("I")
        self.size = size
        self.npages = size // PAGE_BYTES
        self.pages = bytearray(self.npages)
        self.pages[0] = P_PERM
        self.counts = [0] * 5                 # pages of each kind
        self.counts[P_FREE] = self.npages - 1
        self.counts[P_PERM] = 1
        # The current run of small blocks (none yet: the first alloc opens one).
        self.run_start = self.top = self.limit = self.run_end = 0
        self.runs: list[list[int]] = []       # closed runs: [start, fill]
        # Permanent blocks: the current permanent run, and the closed ones.
        self.perm_start = RESERVED_WORDS
        self.perm_top = RESERVED_WORDS
        self.perm_end = PAGE_WORDS
        self.perm_runs: list[list[int]] = []
        self.perm_objects: list[int] = []     # permanent class instances (their fields are roots)
        self.large: dict[int, int] = {}       # large block → its pages
        self.interned: dict[str, int] = {}    # constant strings (permanent)
        # References the VM's own Python code holds across an allocation
        # (objects under construction): a stack the collector treats as roots
        # and updates.  Note the depth, push, allocate, read back
        # `temps[-1]`, and cut back to the depth in a `finally`.
        self.temps: list[int] = []
        self._allocated = 0                   # words handed out before `_counted` (statistics)
        self._counted = 0                     # the current run's top when last accounted
        self.stress = False                   # set by the collector: every alloc takes the slow path
        # Pages the next releases may clear in place and keep resident
        # (`zero_pages`); the collector sets it for its sweep.
        self.keep_pages = 0
        self._base = None                     # the address of the mapping, once needed
        self.gc = None                        # the collector (hllvm/collector), if any
        self.on_oom = self._default_oom

    # --- allocation ---------------------------------------------------------------
    def alloc(self, tid: int, length: int, nwords: int) -> int:
        """A zeroed block of `nwords` words (header included) with its header
        set; returns its word index.  Every allocation goes through here,
        and any allocation may collect: a caller holding a reference across
        it must hold it where the collector sees it (docs/gc.md)."""
        p = self.top
        q = p + nwords
        if q > self.limit:
            return self.alloc_slow(tid, length, nwords)
        # Header first: a KeyboardInterrupt between these lines leaves a
        # header above `top` (the next block overwrites it), never a block
        # without one (which would break the walk of the run).
        W = self.W
        W[p] = tid
        W[p + LENGTH_WORD] = length
        self.top = q
        return p

    def alloc_slow(self, tid: int, length: int, nwords: int) -> int:
        """The fast path's window is used up, the block is large, or GC
        stress is on: collect if the collector wants to, place the block,
        and throw OutOfMemoryError if it still does not fit after a full
        collection."""
        gc = self.gc
        p = self.top
        W = self.W
        if length > MAX_LENGTH:
            # Word 1 keeps a length in its low half (the high half is an
            # identity hash); so long a block is large, so it comes here.
            self.on_oom(nwords)
            raise AssertionError("on_oom must not return")   # pragma: no cover
        if nwords < LARGE_WORDS and p + nwords <= self.run_end and (gc is None or not gc.due()):
            W[p] = tid                           # the window only moves on in the run
            W[p + LENGTH_WORD] = length
            self.top = p + nwords
        else:
            token = critical.enter()             # page accounting: not to be cut short
            try:
                p = self._place_collecting(nwords)
                W[p] = tid
                W[p + LENGTH_WORD] = length
            finally:
                critical.leave(token)
        self.set_limit()
        return p

    def _place_collecting(self, nwords: int) -> int:
        gc = self.gc
        collected = gc is not None and gc.due()
        if collected:
            gc.collect(gc.due_cause())
        p = self._place(nwords)
        if p < 0 and gc is not None and not collected:     # (a second one would free nothing more)
            gc.collect("full")
            p = self._place(nwords)
        if p < 0:
            self.on_oom(nwords)
            raise AssertionError("on_oom must not return")   # pragma: no cover
        return p

    def take_window(self, most: int, least: int) -> tuple[int, int]:
        """(start, words) of a filler block of up to `most` words at the top
        of the current run, for an allocation buffer that compiled code
        bumps small objects into (hllvm/jit/helpers.py); (-1, 0) when the
        run has fewer than `least` words left, a collection is due or GC
        stress is on.  Taking one never collects and never fails; the block
        is zeroed (as every free word of a run) and walks as one filler."""
        n = min(most, self.run_end - self.top)
        if self.stress or n < least or (self.gc is not None and self.gc.due()):
            return -1, 0
        p = self.top
        W = self.W
        W[p] = T_FILLER
        W[p + LENGTH_WORD] = n - HEADER_WORDS
        self.top = p + n
        self.set_limit()
        return p, n

    def set_limit(self) -> None:
        """Where the fast path stops: never more than LARGE_WORDS - 1 words
        past `top`, so that a large block always takes the slow path (which
        gives it pages of its own) without a size test on the fast path; at
        `top` itself under GC stress."""
        self.limit = self.top if self.stress else min(self.run_end, self.top + LARGE_WORDS - 1)

    def alloc_perm(self, tid: int, length: int, nwords: int) -> int:
        """A block that never moves and is never freed (interned strings,
        preallocated errors)."""
        p = self.perm_top
        if p + nwords > self.perm_end:
            token = critical.enter()
            try:
                p = self._new_perm_run(nwords)
                if p < 0 and self.gc is not None:
                    self.gc.collect("full")
                    p = self._new_perm_run(nwords)
            finally:
                critical.leave(token)
            if p < 0:
                self.on_oom(nwords)
                raise AssertionError("on_oom must not return")   # pragma: no cover
        W = self.W
        W[p] = tid
        W[p + LENGTH_WORD] = length
        self.perm_top = p + nwords
        self._allocated += nwords
        return p

    def fits(self, nwords: int) -> bool:
        """Whether `alloc(nwords)` would succeed now without collecting."""
        if nwords < LARGE_WORDS and self.top + nwords <= self.run_end:
            return True
        return self._place(nwords, dry=True) >= 0

    def could_fit(self, nwords: int) -> bool:
        """Whether a block this big could fit after a full collection if
        everything else were dead (a guard before Python builds a value the
        heap cannot take)."""
        npages = self.npages - self.counts[P_PERM]
        if nwords < LARGE_WORDS:
            return nwords <= (npages << PAGE_SHIFT) // 2
        return ((nwords + PAGE_WORDS - 1) >> PAGE_SHIFT) <= npages

    def _default_oom(self, nwords: int) -> None:
        raise MemoryError(f"HL heap exhausted allocating {nwords * 8} bytes")

    # --- placing blocks in pages ------------------------------------------------------
    def free_ranges(self) -> list[tuple[int, int]]:
        """Maximal ranges of free pages, (first page, end page), ascending."""
        pages = self.pages
        find = pages.find
        n = len(pages)
        # The next page of each busy kind at or after the current range's
        # start (n: none), searched again only once passed: every search
        # starts past the last one's result, so each kind's pages are
        # scanned once in all.
        ahead = [-1] * len(_BUSY_KINDS)
        ranges = []
        start = find(P_FREE)
        while start >= 0:
            if len(ranges) == _FEW_RANGES:
                return ranges + [m.span() for m in _fragmented().finditer(pages, start)]
            end = n
            for i, at in enumerate(ahead):
                if at < start:
                    at = find(_BUSY_KINDS[i], start)
                    ahead[i] = at = n if at < 0 else at
                if at < end:
                    end = at
            ranges.append((start, end))
            start = find(P_FREE, end)
        return ranges

    def _place(self, nwords: int, dry: bool = False) -> int:
        """Where a block of `nwords` goes without collecting: a word index,
        with `top` or the page map updated (unless `dry`), or -1."""
        if nwords >= LARGE_WORDS:
            return self._place_large(nwords, dry)
        p = self.top
        if p + nwords <= self.run_end:
            if not dry:
                self.top = p + nwords
            return p
        if not self._grow_run(nwords, dry):
            return -1
        if dry:
            return 0
        p = self.top
        self.top = p + nwords
        return p

    def _budget_pages(self) -> int:
        gc = self.gc
        return MAX_RUN_PAGES if gc is None else min(MAX_RUN_PAGES, gc.budget_pages())

    def _grow_run(self, nwords: int, dry: bool) -> bool:
        """Make room for `nwords` more after `top`: extend the current run
        into the free pages after it, or close it and open a new one."""
        ranges = self.free_ranges()
        small = self.counts[P_SMALL]
        want = max(1, self._budget_pages())
        end_page = self.run_end >> PAGE_SHIFT
        # Extend in place when the pages right after the run are free.
        if self.run_end and end_page < self.npages and self.pages[end_page] == P_FREE:
            for i, (s, e) in enumerate(ranges):
                if s == end_page:
                    need = (self.top + nwords - self.run_end + PAGE_WORDS - 1) >> PAGE_SHIFT
                    k = self._run_pages(ranges, i, small, need, want)
                    if k:
                        if not dry:
                            self._take_small(s, k)
                            self.run_end += k << PAGE_SHIFT
                        return True
                    break
        need = (nwords + PAGE_WORDS - 1) >> PAGE_SHIFT
        for i, (s, e) in enumerate(ranges):
            if e - s < need:
                continue
            k = self._run_pages(ranges, i, small, need, want)
            if not k:
                continue
            if not dry:
                self.close_run()
                self._take_small(s, k)
                self.run_start = self.top = self._counted = s << PAGE_SHIFT
                self.run_end = (s + k) << PAGE_SHIFT
            return True
        return False

    @staticmethod
    def _run_pages(ranges, i: int, small: int, need: int, want: int) -> int:
        """How many pages (at least `need`, at most `want`) a run may take
        from the start of free range i under the reserve rule; 0 if none."""
        s, e = ranges[i]
        others = to_space_capacity(ranges[:i]) + to_space_capacity(ranges[i + 1:])
        length = e - s
        best = 0
        # Taking k pages leaves (length - k) in range i.  Case 1: what is left
        # still counts ((length-k)*PW - LARGE > 0); case 2: it does not.
        lw = LARGE_WORDS >> PAGE_SHIFT
        k1 = (others + ((length - small) << PAGE_SHIFT) - LARGE_WORDS) >> (PAGE_SHIFT + 1)
        k1 = min(k1, length - lw)
        if k1 > 0:
            best = k1
        k2 = min((others >> PAGE_SHIFT) - small, length)
        if k2 >= length - lw:
            best = max(best, k2)
        k = min(best, want, length)
        if k < need:
            k = need if need <= best and need <= length else 0
        return k

    def _take_small(self, first: int, k: int) -> None:
        self.pages[first:first + k] = bytes([P_SMALL]) * k
        self.counts[P_FREE] -= k
        self.counts[P_SMALL] += k

    def close_run(self) -> None:
        """Retire the current run (its unused whole pages become free again)."""
        self.trim_run()
        self._allocated += self.top - self._counted
        if self.top > self.run_start:
            self.runs.append([self.run_start, self.top])
        self.run_start = self.top = self.limit = self.run_end = self._counted = 0

    def _place_large(self, nwords: int, dry: bool) -> int:
        p = self._place_large_in_free(nwords, dry)
        if p < 0 and not dry and self.trim_run():
            p = self._place_large_in_free(nwords, dry)
        return p

    def trim_run(self) -> bool:
        """Give the current run's unused whole pages back (they count against
        the reserve); True if there were any.  (Runs start on a page.)"""
        used_end = (self.top + PAGE_WORDS - 1) >> PAGE_SHIFT
        last = self.run_end >> PAGE_SHIFT
        if used_end >= last:
            return False
        n = last - used_end
        self.pages[used_end:last] = bytes(n)            # never written: still zero
        self.counts[P_SMALL] -= n
        self.counts[P_FREE] += n
        self.run_end = used_end << PAGE_SHIFT
        self.set_limit()
        return True

    def _place_large_in_free(self, nwords: int, dry: bool) -> int:
        k = (nwords + PAGE_WORDS - 1) >> PAGE_SHIFT
        ranges = self.free_ranges()
        small_words = self.counts[P_SMALL] << PAGE_SHIFT
        # Highest range first: large blocks gather at the top, runs at the bottom.
        for i in range(len(ranges) - 1, -1, -1):
            s, e = ranges[i]
            if e - s < k:
                continue
            rest = ranges[:i] + [(s, e - k)] + ranges[i + 1:]
            if to_space_capacity(rest) < small_words:
                continue
            first = e - k
            if not dry:
                self.pages[first] = P_LARGE
                if k > 1:
                    self.pages[first + 1:e] = bytes([P_LARGE_TAIL]) * (k - 1)
                self.counts[P_FREE] -= k
                self.counts[P_LARGE] += 1
                self.counts[P_LARGE_TAIL] += k - 1
                p = first << PAGE_SHIFT
                self.large[p] = k
                self._allocated += nwords
                return p
            return 0
        return -1

    def _new_perm_run(self, nwords: int) -> int:
        p = self._new_perm_run_in_free(nwords)
        if p < 0 and self.trim_run():
            p = self._new_perm_run_in_free(nwords)
        return p

    def _new_perm_run_in_free(self, nwords: int) -> int:
        k = (nwords + PAGE_WORDS - 1) >> PAGE_SHIFT
        ranges = self.free_ranges()
        small_words = self.counts[P_SMALL] << PAGE_SHIFT
        for i, (s, e) in enumerate(ranges):
            if e - s < k:
                continue
            rest = ranges[:i] + [(s + k, e)] + ranges[i + 1:]
            if to_space_capacity(rest) < small_words:
                continue
            if self.perm_top > self.perm_start:
                self.perm_runs.append([self.perm_start, self.perm_top])
            self.pages[s:s + k] = bytes([P_PERM]) * k
            self.counts[P_FREE] -= k
            self.counts[P_PERM] += k
            self.perm_start = self.perm_top = s << PAGE_SHIFT
            self.perm_end = (s + k) << PAGE_SHIFT
            return self.perm_top
        return -1

    # --- what the collector changes ---------------------------------------------------
    def release_pages(self, first: int, end: int, kind: int) -> None:
        """Pages [first, end), all of `kind`, become free and zeroed
        (`zero_pages`)."""
        n = end - first
        self.pages[first:end] = bytes(n)
        self.counts[kind] -= n
        self.counts[P_FREE] += n
        self.zero_pages(first, end)

    def run_pages(self) -> list[tuple[int, int]]:
        """The pages of the closed runs of small blocks, (first, end),
        ascending, adjacent runs merged."""
        out: list[list[int]] = []
        for s, f in sorted(self.runs):
            first, end = s >> PAGE_SHIFT, (f + PAGE_WORDS - 1) >> PAGE_SHIFT
            if out and out[-1][1] == first:
                out[-1][1] = end
            else:
                out.append([first, end])
        return [(a, b) for a, b in out]

    def free_large(self, p: int) -> tuple[int, int]:
        """A dead large block's pages become free; returns them (first, end)."""
        k = self.large.pop(p)
        first = p >> PAGE_SHIFT
        self.pages[first:first + k] = bytes(k)
        self.counts[P_LARGE] -= 1
        self.counts[P_LARGE_TAIL] -= k - 1
        self.counts[P_FREE] += k
        self.zero_pages(first, first + k)
        return first, first + k

    def adopt_runs(self, runs) -> None:
        """After a collection: the to-space runs ([(start, fill)], in order)
        become the small space, and the last one the current run."""
        for s, f in runs:
            first = s >> PAGE_SHIFT
            self._take_small(first, ((f + PAGE_WORDS - 1) >> PAGE_SHIFT) - first)
        self.runs = [[s, f] for s, f in runs[:-1]]
        if runs:
            s, f = runs[-1]
            self.run_start = s
            self.top = self._counted = f
            self.run_end = ((f + PAGE_WORDS - 1) >> PAGE_SHIFT) << PAGE_SHIFT
        else:
            self.run_start = self.top = self._counted = self.run_end = 0
        self.set_limit()

    def zero_pages(self, first: int, end: int) -> None:
        """Free pages [first, end) read as zero from now on: cleared in place
        while `keep_pages` allows (they stay resident, so that reusing them
        soon costs no page faults: on this kind of machine a fault costs
        more than clearing the page), else given back to the OS."""
        n = end - first
        if n <= self.keep_pages:
            self.keep_pages -= n
            self._memset(first * PAGE_BYTES, n * PAGE_BYTES)
            return
        try:
            self.mm.madvise(mmap.MADV_DONTNEED, first * PAGE_BYTES, (end - first) * PAGE_BYTES)
        except (AttributeError, OSError, ValueError):      # no madvise here: clear by hand
            self.B[first * PAGE_BYTES:end * PAGE_BYTES] = bytes((end - first) * PAGE_BYTES)

    def _memset(self, at: int, n: int) -> None:
        import ctypes                       # first needed at the first collection
        if self._base is None:
            self._view = ctypes.c_char.from_buffer(self.mm)
            self._base = ctypes.addressof(self._view)
        ctypes.memset(self._base + at, 0, n)

    @property
    def allocated_words(self) -> int:
        """Words handed out since the heap was made (statistics)."""
        return self._allocated + (self.top - self._counted)

    # --- walking ------------------------------------------------------------------
    def block_words(self, p: int) -> int:
        """Size in words of the block at p, from its header alone."""
        tid = self.W[p] & TYPE_MASK
        return block_words(tid, self.W[p + LENGTH_WORD])

    def all_runs(self) -> list[tuple[int, int, int]]:
        """(start, fill, page kind) of every run of permanent and small blocks."""
        out = [(s, f, P_PERM) for s, f in self.perm_runs]
        out.append((self.perm_start, self.perm_top, P_PERM))
        out.extend((s, f, P_SMALL) for s, f in self.runs)
        if self.top > self.run_start:
            out.append((self.run_start, self.top, P_SMALL))
        return out

    def blocks(self):
        """Every block: (word index, type id, word 1), runs first, then the
        large blocks."""
        W = self.W
        for p, end, _kind in self.all_runs():
            while p < end:
                tid = W[p] & TYPE_MASK
                n = W[p + LENGTH_WORD]
                yield p, tid, n
                p += block_words(tid, n)
        for p in sorted(self.large):
            yield p, W[p] & TYPE_MASK, W[p + LENGTH_WORD]

    @property
    def used_bytes(self) -> int:
        """Bytes in blocks (live or not yet collected), headers included."""
        words = sum(f - s for s, f, _k in self.all_runs())
        words += sum(self.block_words(p) for p in self.large)
        return words * 8

    # --- strings --------------------------------------------------------------------
    def new_str(self, s: str, perm: bool = False) -> int:
        """Copy a Python string into a new heap string (compact if it can be)."""
        n = len(s)
        try:
            data = s.encode("latin-1")
            tid = T_STR8
            words = (n + 7) >> 3
        except UnicodeEncodeError:
            data = s.encode("utf-32-le", "surrogatepass")
            tid = T_STR32
            words = (n + 1) >> 1
        p = (self.alloc_perm if perm else self.alloc)(tid, n, HEADER_WORDS + words)
        o = payload_byte(p)
        self.B[o:o + len(data)] = data
        return p

    def new_str_bytes(self, tid: int, n: int, data) -> int:
        """A heap string of kind `tid` with `n` code points from raw bytes."""
        words = (n + 7) >> 3 if tid == T_STR8 else (n + 1) >> 1
        p = self.alloc(tid, n, HEADER_WORDS + words)
        o = payload_byte(p)
        self.B[o:o + len(data)] = data
        return p

    def str_words(self, n: int, wide: bool) -> int:
        return HEADER_WORDS + ((n + 1) >> 1 if wide else (n + 7) >> 3)

    def get_str(self, p: int) -> str:
        """The Python string for heap string p (p must not be null)."""
        W = self.W
        n = W[p + LENGTH_WORD]
        o = payload_byte(p)
        if W[p] == T_STR8:
            return str(self.B[o:o + n], "latin-1")
        return str(self.B[o:o + 4 * n], "utf-32-le", "surrogatepass")

    def str_bytes(self, p: int):
        """(kind, length, byte view) of heap string p."""
        W = self.W
        tid = W[p]
        n = W[p + LENGTH_WORD]
        o = payload_byte(p)
        return tid, n, self.B[o:o + (n if tid == T_STR8 else 4 * n)]

    def intern(self, s: str) -> int:
        """The one heap string for constant `s` (permanent: allocated once,
        never moved, so ops and frame templates may hold its reference)."""
        p = self.interned.get(s)
        if p is None:
            p = self.new_str(s, perm=True)
            self.interned[s] = p
        return p

    # --- arrays ------------------------------------------------------------------------
    def new_array(self, tid: int, n: int) -> int:
        return self.alloc(tid, n, HEADER_WORDS + payload_words(tid, n))

    def new_str_array(self, items) -> int:
        """A string[] of new heap strings (None → null).  The array is made
        first and each string is stored into it at once, so every reference
        is reachable (from the array, which `temps` roots) at the next
        allocation, which may move it."""
        items = list(items)
        a = self.new_array(T_SARR, len(items))
        temps = self.temps
        depth = len(temps)
        try:
            temps.append(a)
            W = self.W
            for i, s in enumerate(items):
                if s is not None:
                    r = self.new_str(s)
                    W[temps[-1] + HEADER_WORDS + i] = r
            return temps[-1]
        finally:
            del temps[depth:]

    def str_array_items(self, a: int) -> list:
        """The Python strings of a string[] (null elements → None)."""
        n = self.W[a + LENGTH_WORD]
        return [None if r == 0 else self.get_str(r) for r in self.W[a + HEADER_WORDS:a + HEADER_WORDS + n]]
