"""The trace of a collection, in Python: Cheney's copying algorithm over the
small space, with marking of large blocks.  The reference implementation;
`native.py` generates the same loop as machine code.

Input: the heap, the root values (updated in place), the free page ranges
that form the to-space (ascending), and the reference layout of each type
(`refs[tid]`: word offsets of the reference slots of class instances and
function values; None for an array of references, which is scanned whole).  Every reference found is *evacuated*:

* in a small page (from-space): copied once to the to-space (bump
  allocation through the ranges in order; a block that does not fit in
  what is left of a range goes to the next one), and the old header
  becomes a forwarding header (GC_FORWARDED, word 1 = new address);
* in a large block's first page: marked (GC_MARKED) and queued, once;
* anywhere else (permanent blocks): left alone.

The to-space between the scan pointer and the allocation pointer is the
grey set (copied, fields not yet evacuated); the queue holds grey large
blocks.  When both are empty, every live block has been reached.

Returns `Trace`: the used to-space runs (start, fill), words and blocks
copied, large blocks marked.  This module does not choose roots, free
pages or decide when to collect.
"""

# Records are collections.namedtuple, not typing.NamedTuple: importing
# typing costs every start of `hll run` some 3 ms.

from collections import namedtuple

from ..layout import (GC_FORWARDED, GC_MARKED, LENGTH_WORD, P_LARGE, P_SMALL, PAGE_SHIFT,
                      TYPE_MASK, block_words, payload_word)


# Fields:
#   runs: list  # [(start word, fill word)] of the to-space ranges used, in order
#   copied_words: int
#   copied_blocks: int
#   marked_large: int
Trace = namedtuple("Trace", "runs copied_words copied_blocks marked_large")


class ToSpaceExhausted(Exception):
    """The reserve rule was broken: a VM bug, never an HL error."""


def evacuate(heap, roots, ranges, refs) -> Trace:
    W = heap.W
    pages = heap.pages
    rs = [(s << PAGE_SHIFT, e << PAGE_SHIFT) for s, e in ranges] or [(0, 0)]
    nr = len(rs)
    fills: list[int] = []
    queue: list[int] = []
    st = [0, rs[0][0], rs[0][1], 0, 0]     # range index, alloc, end, words, blocks

    def evac(v):
        k = pages[v >> PAGE_SHIFT]
        if k == P_SMALL:
            h = W[v]
            if h & GC_FORWARDED:
                return W[v + LENGTH_WORD]
            size = block_words(h & TYPE_MASK, W[v + LENGTH_WORD])
            q = st[1]
            while q + size > st[2]:
                fills.append(q)
                ri = st[0] + 1
                if ri >= nr:
                    raise ToSpaceExhausted("to-space exhausted")
                st[0] = ri
                q, st[2] = rs[ri]
            st[1] = q + size
            W[q:q + size] = W[v:v + size]
            W[v] = h | GC_FORWARDED
            W[v + LENGTH_WORD] = q
            st[3] += size
            st[4] += 1
            return q
        if k == P_LARGE:
            h = W[v]
            if not h & GC_MARKED:
                W[v] = h | GC_MARKED
                queue.append(v)
        return v

    nrefs = len(refs)

    def scan_fields(p, tid):
        r = refs[tid] if tid < nrefs else ()
        if r is None:                  # an array of references
            first = payload_word(p)
            for i in range(first, first + W[p + LENGTH_WORD]):
                v = W[i]
                if v:
                    W[i] = evac(v)
        else:
            for off in r:
                v = W[p + off]
                if v:
                    W[p + off] = evac(v)

    for i in range(len(roots)):
        v = roots[i]
        if v:
            roots[i] = evac(v)
    marked = 0
    scan_r, scan = 0, rs[0][0]
    while True:
        while True:
            if scan_r == st[0]:
                if scan >= st[1]:
                    break
            elif scan >= fills[scan_r]:
                scan_r += 1
                scan = rs[scan_r][0]
                continue
            tid = W[scan] & TYPE_MASK
            scan_fields(scan, tid)
            scan += block_words(tid, W[scan + LENGTH_WORD])
        if not queue:
            break
        p = queue.pop()
        marked += 1
        scan_fields(p, W[p] & TYPE_MASK)
    fills.append(st[1])
    runs = [(rs[i][0], fills[i]) for i in range(len(fills)) if fills[i] > rs[i][0]]
    return Trace(runs, st[3], st[4], marked)
