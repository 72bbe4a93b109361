"""The trace of a collection as machine code: the loop of evacuate.py,
written once in LLVM IR below and compiled by the VM's LLVM engine
(hllvm/engine.py).

Why: a collector written in Python pays about a microsecond per block it
touches; this loop copies and scans a block in tens of nanoseconds.  The
price is one ctypes call per collection (about a microsecond), and the
compilation, paid once per machine: the engine caches the machine code
(`cache_path()`, beside hll's bytecode cache) and a later process maps it
in about a millisecond without importing llvmlite.  Small collections never
get here (`Collector._choose_evacuator`).

The IR names every fact of the object layout — type ids, the header's words
and bits, page kinds, the page shift — by its name in hllvm/layout.py
(`$T_STR8`, `$HEADER_WORDS`, ...), filled in from `layout.ir_constants()`
when this module is imported, so the machine code cannot drift from the
layout (and a layout change changes the IR, hence the cache entry).

The function works directly on the heap's memory (the mmap's address) and
on flat arrays built by `_evacuate`: the page map, the root values, the
to-space ranges, and the reference layout of each type id (`refstart[tid]`,
`refcount[tid]` index `refoffs`, the word offsets of the reference slots of
an instance or a function value; `refcount[tid]` = -1 for an array of
references, whose every element is one).  Its result has the same meaning as
`evacuate.evacuate` (a `Trace`); tests compare the two on the same heaps.

This module owns the IR and its calling convention; not the engine (target,
passes, cache, loading: hllvm/engine.py), nor the layout (hllvm/layout.py).
"""

from __future__ import annotations

import ctypes
import string
import threading
from array import array

from .. import layout
from ..engine import CACHEABLE, Engine, EngineUnavailable
from ..layout import PAGE_SHIFT
from .evacuate import Trace, ToSpaceExhausted

_IR_TEMPLATE = string.Template(r"""
; The state of the trace lives in a local array %ctx that the optimiser
; turns into registers: [0] current to-range, [1] allocation pointer,
; [2] end of that range, [3] words copied, [4] blocks copied, [5] queue size,
; [6] status (0 ok, 1 to-space exhausted, 2 queue overflow), [7] number of
; ranges, [8] queue capacity.
; Every type id, header word, header bit, page kind and the page shift is a
; name of hllvm/layout.py, substituted from layout.ir_constants() ($$NAME);
; byte and uint32 lengths round up to words by the rounding and shifts that
; native.py derives from the header's size in bytes.

define internal i64 @block_words(i64 %tid, i64 %word1) #0 {
  %n = and i64 %word1, $LENGTH_MASK
  %is8 = icmp eq i64 %tid, $T_STR8
  %isz = icmp eq i64 %tid, $T_ZARR
  %bytes = or i1 %is8, %isz
  %is32 = icmp eq i64 %tid, $T_STR32
  %n7 = add i64 %n, $BYTES_ROUND
  %pb = lshr i64 %n7, $BYTES_SHIFT
  %n1 = add i64 %n, $U32_ROUND
  %pw = lshr i64 %n1, $U32_SHIFT
  %p1 = select i1 %is32, i64 %pw, i64 %n
  %p = select i1 %bytes, i64 %pb, i64 %p1
  %size = add i64 %p, $HEADER_WORDS
  ret i64 %size
}

; The new address of the block at %v: copied to to-space once (small),
; marked and queued once (large), or itself (permanent).
define internal i64 @evac(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx, i64 %v) #0 {
entry:
  %pg = lshr i64 %v, $PAGE_SHIFT
  %kp = getelementptr i8, ptr %pages, i64 %pg
  %k = load i8, ptr %kp
  %hp = getelementptr i64, ptr %W, i64 %v
  %v1 = add i64 %v, $LENGTH_WORD
  %lp = getelementptr i64, ptr %W, i64 %v1
  %small = icmp eq i8 %k, $P_SMALL
  br i1 %small, label %is_small, label %not_small

is_small:
  %h = load i64, ptr %hp
  %n = load i64, ptr %lp
  %fw = and i64 %h, $GC_FORWARDED
  %isfw = icmp ne i64 %fw, 0
  br i1 %isfw, label %forwarded, label %copy

forwarded:
  ret i64 %n

copy:
  %tid = and i64 %h, $TYPE_MASK
  %size = call i64 @block_words(i64 %tid, i64 %n)
  %allocp = getelementptr i64, ptr %ctx, i64 1
  %aendp = getelementptr i64, ptr %ctx, i64 2
  br label %fit

fit:
  %alloc = load i64, ptr %allocp
  %aend = load i64, ptr %aendp
  %need = add i64 %alloc, %size
  %nofit = icmp sgt i64 %need, %aend
  br i1 %nofit, label %next_range, label %place

next_range:
  %ri = load i64, ptr %ctx
  %fp = getelementptr i64, ptr %fills, i64 %ri
  store i64 %alloc, ptr %fp
  %ri1 = add i64 %ri, 1
  %nrp = getelementptr i64, ptr %ctx, i64 7
  %nr = load i64, ptr %nrp
  %out = icmp sge i64 %ri1, %nr
  br i1 %out, label %exhausted, label %advance

exhausted:
  %stp = getelementptr i64, ptr %ctx, i64 6
  store i64 1, ptr %stp
  ret i64 %v

advance:
  store i64 %ri1, ptr %ctx
  %r2 = shl i64 %ri1, 1
  %rsp = getelementptr i64, ptr %ranges, i64 %r2
  %rs = load i64, ptr %rsp
  %r3 = add i64 %r2, 1
  %rep = getelementptr i64, ptr %ranges, i64 %r3
  %re = load i64, ptr %rep
  store i64 %rs, ptr %allocp
  store i64 %re, ptr %aendp
  br label %fit

place:
  store i64 %need, ptr %allocp
  br label %copy_loop

copy_loop:
  %i = phi i64 [ 0, %place ], [ %i1, %copy_loop ]
  %si = add i64 %v, %i
  %sp_ = getelementptr i64, ptr %W, i64 %si
  %w = load i64, ptr %sp_
  %di = add i64 %alloc, %i
  %dp = getelementptr i64, ptr %W, i64 %di
  store i64 %w, ptr %dp
  %i1 = add i64 %i, 1
  %more = icmp slt i64 %i1, %size
  br i1 %more, label %copy_loop, label %copied

copied:
  %hf = or i64 %h, $GC_FORWARDED
  store i64 %hf, ptr %hp
  store i64 %alloc, ptr %lp
  %cwp = getelementptr i64, ptr %ctx, i64 3
  %cw = load i64, ptr %cwp
  %cw1 = add i64 %cw, %size
  store i64 %cw1, ptr %cwp
  %cbp = getelementptr i64, ptr %ctx, i64 4
  %cb = load i64, ptr %cbp
  %cb1 = add i64 %cb, 1
  store i64 %cb1, ptr %cbp
  ret i64 %alloc

not_small:
  %large = icmp eq i8 %k, $P_LARGE
  br i1 %large, label %is_large, label %other

is_large:
  %h2 = load i64, ptr %hp
  %mk = and i64 %h2, $GC_MARKED
  %marked = icmp ne i64 %mk, 0
  br i1 %marked, label %other, label %mark

mark:
  %h3 = or i64 %h2, $GC_MARKED
  store i64 %h3, ptr %hp
  %qsp = getelementptr i64, ptr %ctx, i64 5
  %sp = load i64, ptr %qsp
  %qcp = getelementptr i64, ptr %ctx, i64 8
  %qcap = load i64, ptr %qcp
  %full = icmp sge i64 %sp, %qcap
  br i1 %full, label %overflow, label %push

overflow:
  %stp2 = getelementptr i64, ptr %ctx, i64 6
  store i64 2, ptr %stp2
  ret i64 %v

push:
  %qp = getelementptr i64, ptr %queue, i64 %sp
  store i64 %v, ptr %qp
  %sp1 = add i64 %sp, 1
  store i64 %sp1, ptr %qsp
  ret i64 %v

other:
  ret i64 %v
}

; Evacuate every reference slot of the block at %p (type %tid, word 1 %n):
; refcount[tid] < 0 means every element (an array of references), else
; refcount[tid] word offsets from refstart[tid] in refoffs (fields of an
; instance, bound values of a function value).
define internal void @scan_fields(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx,
                                  ptr %refstart, ptr %refcount, i64 %ntypes, ptr %refoffs,
                                  i64 %p, i64 %tid, i64 %n) #0 {
entry:
  %known = icmp ult i64 %tid, %ntypes
  br i1 %known, label %look, label %done

look:
  %ctp = getelementptr i64, ptr %refcount, i64 %tid
  %count = load i64, ptr %ctp
  %isarr = icmp slt i64 %count, 0
  br i1 %isarr, label %arr, label %notarr

arr:
  %base = add i64 %p, $HEADER_WORDS
  %empty = icmp sle i64 %n, 0
  br i1 %empty, label %done, label %arr_loop

arr_loop:
  %i = phi i64 [ 0, %arr ], [ %i1, %arr_next ]
  %slot = add i64 %base, %i
  %sp = getelementptr i64, ptr %W, i64 %slot
  %v = load i64, ptr %sp
  %nz = icmp ne i64 %v, 0
  br i1 %nz, label %arr_evac, label %arr_next

arr_evac:
  %nv = call i64 @evac(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx, i64 %v)
  store i64 %nv, ptr %sp
  br label %arr_next

arr_next:
  %i1 = add i64 %i, 1
  %more = icmp slt i64 %i1, %n
  br i1 %more, label %arr_loop, label %done

notarr:
  %none = icmp eq i64 %count, 0
  br i1 %none, label %done, label %obj

obj:
  %stp = getelementptr i64, ptr %refstart, i64 %tid
  %start = load i64, ptr %stp
  br label %obj_loop

obj_loop:
  %j = phi i64 [ 0, %obj ], [ %j1, %obj_next ]
  %oi = add i64 %start, %j
  %op = getelementptr i64, ptr %refoffs, i64 %oi
  %off = load i64, ptr %op
  %fslot = add i64 %p, %off
  %fp = getelementptr i64, ptr %W, i64 %fslot
  %fv = load i64, ptr %fp
  %fnz = icmp ne i64 %fv, 0
  br i1 %fnz, label %obj_evac, label %obj_next

obj_evac:
  %fnv = call i64 @evac(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx, i64 %fv)
  store i64 %fnv, ptr %fp
  br label %obj_next

obj_next:
  %j1 = add i64 %j, 1
  %jmore = icmp slt i64 %j1, %count
  br i1 %jmore, label %obj_loop, label %done

done:
  ret void
}

; The whole trace.  Returns 0, or the status that stopped it.
; out: [words copied, blocks copied, large blocks marked, last range used]
define i64 @hl_evacuate(ptr noalias %W, ptr noalias %pages, ptr noalias %roots, i64 %nroots,
                        ptr noalias %ranges, i64 %nr, ptr noalias %fills,
                        ptr noalias %refstart, ptr noalias %refcount, i64 %ntypes, ptr noalias %refoffs,
                        ptr noalias %queue, i64 %qcap, ptr noalias %out) #1 {
entry:
  %ctx = alloca [9 x i64]
  %r0 = load i64, ptr %ranges
  %r1p = getelementptr i64, ptr %ranges, i64 1
  %r1 = load i64, ptr %r1p
  store i64 0, ptr %ctx
  %c1 = getelementptr i64, ptr %ctx, i64 1
  store i64 %r0, ptr %c1
  %c2 = getelementptr i64, ptr %ctx, i64 2
  store i64 %r1, ptr %c2
  %c3 = getelementptr i64, ptr %ctx, i64 3
  store i64 0, ptr %c3
  %c4 = getelementptr i64, ptr %ctx, i64 4
  store i64 0, ptr %c4
  %c5 = getelementptr i64, ptr %ctx, i64 5
  store i64 0, ptr %c5
  %c6 = getelementptr i64, ptr %ctx, i64 6
  store i64 0, ptr %c6
  %c7 = getelementptr i64, ptr %ctx, i64 7
  store i64 %nr, ptr %c7
  %c8 = getelementptr i64, ptr %ctx, i64 8
  store i64 %qcap, ptr %c8
  %noroots = icmp sle i64 %nroots, 0
  br i1 %noroots, label %scan_start, label %root_loop

root_loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %roots_next ]
  %rp = getelementptr i64, ptr %roots, i64 %i
  %v = load i64, ptr %rp
  %nz = icmp ne i64 %v, 0
  br i1 %nz, label %root_evac, label %roots_next

root_evac:
  %nv = call i64 @evac(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx, i64 %v)
  store i64 %nv, ptr %rp
  br label %roots_next

roots_next:
  %i1 = add i64 %i, 1
  %more = icmp slt i64 %i1, %nroots
  br i1 %more, label %root_loop, label %scan_start

scan_start:
  br label %outer

outer:
  %scan_r = phi i64 [ 0, %scan_start ], [ %scan_r1, %next_scan_range ], [ %scan_r, %scanned ], [ %scan_r, %queued ]
  %scan = phi i64 [ %r0, %scan_start ], [ %nrs, %next_scan_range ], [ %scan_next, %scanned ], [ %scan, %queued ]
  %marked = phi i64 [ 0, %scan_start ], [ %marked, %next_scan_range ], [ %marked, %scanned ], [ %marked1, %queued ]
  %status = load i64, ptr %c6
  %bad = icmp ne i64 %status, 0
  br i1 %bad, label %fail, label %check

check:
  %ri = load i64, ptr %ctx
  %same = icmp eq i64 %scan_r, %ri
  br i1 %same, label %in_alloc_range, label %in_old_range

in_alloc_range:
  %alloc = load i64, ptr %c1
  %caught = icmp sge i64 %scan, %alloc
  br i1 %caught, label %try_queue, label %scan_block

in_old_range:
  %fp = getelementptr i64, ptr %fills, i64 %scan_r
  %fill = load i64, ptr %fp
  %end = icmp sge i64 %scan, %fill
  br i1 %end, label %next_scan_range, label %scan_block

next_scan_range:
  %scan_r1 = add i64 %scan_r, 1
  %nr2 = shl i64 %scan_r1, 1
  %nrsp = getelementptr i64, ptr %ranges, i64 %nr2
  %nrs = load i64, ptr %nrsp
  br label %outer

scan_block:
  %hp = getelementptr i64, ptr %W, i64 %scan
  %h = load i64, ptr %hp
  %tid = and i64 %h, $TYPE_MASK
  %s1 = add i64 %scan, $LENGTH_WORD
  %lp = getelementptr i64, ptr %W, i64 %s1
  %n = load i64, ptr %lp
  call void @scan_fields(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx,
                         ptr %refstart, ptr %refcount, i64 %ntypes, ptr %refoffs, i64 %scan, i64 %tid, i64 %n)
  %size = call i64 @block_words(i64 %tid, i64 %n)
  %scan_next = add i64 %scan, %size
  br label %scanned

scanned:
  br label %outer

try_queue:
  %sp = load i64, ptr %c5
  %empty = icmp eq i64 %sp, 0
  br i1 %empty, label %done, label %pop

pop:
  %sp1 = sub i64 %sp, 1
  store i64 %sp1, ptr %c5
  %qp = getelementptr i64, ptr %queue, i64 %sp1
  %p = load i64, ptr %qp
  %qhp = getelementptr i64, ptr %W, i64 %p
  %qh = load i64, ptr %qhp
  %qtid = and i64 %qh, $TYPE_MASK
  %p1 = add i64 %p, $LENGTH_WORD
  %qlp = getelementptr i64, ptr %W, i64 %p1
  %qn = load i64, ptr %qlp
  call void @scan_fields(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx,
                         ptr %refstart, ptr %refcount, i64 %ntypes, ptr %refoffs, i64 %p, i64 %qtid, i64 %qn)
  %marked1 = add i64 %marked, 1
  br label %queued

queued:
  br label %outer

done:
  %lastr = load i64, ptr %ctx
  %lastfp = getelementptr i64, ptr %fills, i64 %lastr
  %lastalloc = load i64, ptr %c1
  store i64 %lastalloc, ptr %lastfp
  %cw = load i64, ptr %c3
  store i64 %cw, ptr %out
  %o1 = getelementptr i64, ptr %out, i64 1
  %cb = load i64, ptr %c4
  store i64 %cb, ptr %o1
  %o2 = getelementptr i64, ptr %out, i64 2
  store i64 %marked, ptr %o2
  %o3 = getelementptr i64, ptr %out, i64 3
  store i64 %lastr, ptr %o3
  ret i64 0

fail:
  ret i64 %status
}

; No calls to library functions (a copy loop must not become memcpy): the
; code must stand alone to be cached and mapped by itself.
attributes #0 = { alwaysinline nounwind "no-builtins" }
attributes #1 = { nounwind "no-builtins" }
""")

# How byte and uint32 lengths round up to words (layout.payload_words):
# derived from the header's size in bytes, not written as numbers.
_BYTES_PER_WORD = layout.HEADER_BYTES // layout.HEADER_WORDS
_U32_PER_WORD = _BYTES_PER_WORD // 4


def _ir_constants() -> dict[str, int]:
    names = dict(layout.ir_constants())
    names.update(BYTES_ROUND=_BYTES_PER_WORD - 1, BYTES_SHIFT=_BYTES_PER_WORD.bit_length() - 1,
                 U32_ROUND=_U32_PER_WORD - 1, U32_SHIFT=_U32_PER_WORD.bit_length() - 1)
    return names


IR = _IR_TEMPLATE.substitute(_ir_constants())
SYMBOL = "hl_evacuate"
CACHE_KEY = "gc/evacuate"

_ARGTYPES = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
             ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
             ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
             ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
_FUNCTYPE = ctypes.CFUNCTYPE(ctypes.c_int64, *_ARGTYPES)
_CACHEABLE = CACHEABLE

_fn = None                # the ctypes function, once per process
_failed: str | None = None
_lock = threading.Lock()


def cache_path():
    """Where the engine keeps this machine code between processes."""
    return Engine.get().cache_path(IR, SYMBOL, CACHE_KEY)


def loaded() -> bool:
    """Whether the machine code is ready in this process."""
    return _fn is not None


def why_unavailable() -> str:
    return _failed or ""


def evacuator():
    """The machine-code evacuator (same interface as evacuate.evacuate):
    loaded from the cache (a millisecond), or compiled once (a fraction of
    a second; llvmlite is imported only then).  None when it cannot be
    built here."""
    global _fn, _failed
    if _fn is None:
        with _lock:                       # VMs in several threads: build it once
            if _fn is None and _failed is None:
                try:
                    _fn = Engine.get().native_function(IR, SYMBOL, _FUNCTYPE, CACHE_KEY)
                except EngineUnavailable as e:    # no llvmlite, no native target: stay in Python
                    _failed = str(e)
        if _fn is None:
            return None
    return _evacuate


class _HeapAddr:
    """The native addresses of one heap's memory and page map (kept with
    the heap: the buffer exports pin them for the heap's life)."""

    def __init__(self, heap) -> None:
        self.mem = ctypes.c_char.from_buffer(heap.mm)
        self.pages = (ctypes.c_char * len(heap.pages)).from_buffer(heap.pages)
        self.W = ctypes.addressof(self.mem)
        self.P = ctypes.addressof(self.pages)


def _layout_arrays(refs):
    start = array("q", bytes(8 * len(refs)))
    count = array("q", bytes(8 * len(refs)))
    offs = array("q")
    for tid, r in enumerate(refs):
        start[tid] = len(offs)
        if r is None:                 # an array of references: every element
            count[tid] = -1
            continue
        count[tid] = len(r)
        offs.extend(r)
    if not offs:
        offs.append(0)
    return start, count, offs


_layouts: dict = {}


def _evacuate(heap, roots, ranges, refs) -> Trace:
    addr = getattr(heap, "_native_addr", None)
    if addr is None:
        addr = heap._native_addr = _HeapAddr(heap)
    key = id(refs)
    lay = _layouts.get(key)
    if lay is None or lay[0] is not refs:
        lay = (refs, *_layout_arrays(refs))
        _layouts.clear()
        _layouts[key] = lay
    _refs, start, count, offs = lay
    flat = array("q")
    for s, e in ranges or [(0, 0)]:
        flat.append(s << PAGE_SHIFT)
        flat.append(e << PAGE_SHIFT)
    nr = len(flat) // 2
    fills = array("q", bytes(8 * nr))
    qcap = len(heap.large) + 1
    queue = array("q", bytes(8 * qcap))
    out = array("q", bytes(8 * 4))
    if not len(roots):
        roots = array("q", [0])
    status = _fn(addr.W, addr.P, roots.buffer_info()[0], len(roots),
                        flat.buffer_info()[0], nr, fills.buffer_info()[0],
                        start.buffer_info()[0], count.buffer_info()[0], len(refs), offs.buffer_info()[0],
                        queue.buffer_info()[0], qcap, out.buffer_info()[0])
    if status == 1:
        raise ToSpaceExhausted("to-space exhausted")
    if status:
        raise RuntimeError(f"native evacuation failed with status {status}")
    last = out[3]
    runs = [(flat[2 * i], fills[i]) for i in range(last + 1) if fills[i] > flat[2 * i]]
    return Trace(runs, out[0], out[1], out[2])


__all__ = ["evacuator", "loaded", "why_unavailable", "cache_path", "IR", "SYMBOL", "CACHE_KEY"]
