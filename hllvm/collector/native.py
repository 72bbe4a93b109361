"""The trace of a collection as machine code: the loop of evacuate.py,
written once in LLVM IR below and compiled through llvmlite the first time
a collection needs it (llvmlite is imported then, not before).  The engine
is shared by every VM of the process.

Why: a collector written in Python pays about a microsecond per block it
touches; this loop copies and scans a block in tens of nanoseconds.  The
price is one ctypes call per collection (about a microsecond) and, once per
process, llvmlite's import and the compilation (tens of milliseconds, and
llvmlite's code in memory) — so small collections stay in Python
(`Collector._choose_evacuator`).

The function works directly on the heap's memory (the mmap's address) and
on flat arrays built by `evacuator()`'s wrapper: the page map, the root
values, the to-space ranges, and the reference layout of each type id
(`refstart[tid]`, `refcount[tid]` index `refoffs`, the word offsets of an
instance's reference fields).  Its result has the same meaning as
`evacuate.evacuate` (a `Trace`); tests compare the two on the same heaps.
"""

from __future__ import annotations

import ctypes
import threading
from array import array

from ..heap import PAGE_SHIFT
from .evacuate import Trace, ToSpaceExhausted

_engine = None            # (execution engine, ctypes function), once per process
_failed: str | None = None

IR = r"""
; The state of the trace lives in a local array %ctx that the optimiser
; turns into registers: [0] current to-range, [1] allocation pointer,
; [2] end of that range, [3] words copied, [4] blocks copied, [5] queue size,
; [6] status (0 ok, 1 to-space exhausted, 2 queue overflow), [7] number of
; ranges, [8] queue capacity.
; Type ids and header bits (docs/heap.md): T_STR8 1, T_STR32 2, T_ZARR 5,
; T_RARR 6, classes >= 16; GC_FORWARDED = 1<<32, GC_MARKED = 1<<33.
; Page kinds: P_SMALL 1, P_LARGE 2.  Pages are 512 words.

define internal i64 @block_words(i64 %tid, i64 %n) alwaysinline {
  %is8 = icmp eq i64 %tid, 1
  %isz = icmp eq i64 %tid, 5
  %bytes = or i1 %is8, %isz
  %is32 = icmp eq i64 %tid, 2
  %n7 = add i64 %n, 7
  %pb = lshr i64 %n7, 3
  %n1 = add i64 %n, 1
  %pw = lshr i64 %n1, 1
  %p1 = select i1 %is32, i64 %pw, i64 %n
  %p = select i1 %bytes, i64 %pb, i64 %p1
  %size = add i64 %p, 2
  ret i64 %size
}

; The new address of the block at %v: copied to to-space once (small),
; marked and queued once (large), or itself (permanent).
define internal i64 @evac(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx, i64 %v) alwaysinline {
entry:
  %pg = lshr i64 %v, 9
  %kp = getelementptr i8, ptr %pages, i64 %pg
  %k = load i8, ptr %kp
  %hp = getelementptr i64, ptr %W, i64 %v
  %v1 = add i64 %v, 1
  %lp = getelementptr i64, ptr %W, i64 %v1
  %small = icmp eq i8 %k, 1
  br i1 %small, label %is_small, label %not_small

is_small:
  %h = load i64, ptr %hp
  %n = load i64, ptr %lp
  %fw = and i64 %h, 4294967296
  %isfw = icmp ne i64 %fw, 0
  br i1 %isfw, label %forwarded, label %copy

forwarded:
  ret i64 %n

copy:
  %tid = and i64 %h, 4294967295
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
  %hf = or i64 %h, 4294967296
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
  %large = icmp eq i8 %k, 2
  br i1 %large, label %is_large, label %other

is_large:
  %h2 = load i64, ptr %hp
  %mk = and i64 %h2, 8589934592
  %marked = icmp ne i64 %mk, 0
  br i1 %marked, label %other, label %mark

mark:
  %h3 = or i64 %h2, 8589934592
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

; Evacuate every reference field of the block at %p (type %tid, word 1 %n).
define internal void @scan_fields(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx,
                                  ptr %refstart, ptr %refcount, i64 %ntypes, ptr %refoffs,
                                  i64 %p, i64 %tid, i64 %n) alwaysinline {
entry:
  %isarr = icmp eq i64 %tid, 6
  br i1 %isarr, label %arr, label %notarr

arr:
  %base = add i64 %p, 2
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
  %iscls = icmp sge i64 %tid, 16
  %known = icmp slt i64 %tid, %ntypes
  %cls = and i1 %iscls, %known
  br i1 %cls, label %obj, label %done

obj:
  %stp = getelementptr i64, ptr %refstart, i64 %tid
  %start = load i64, ptr %stp
  %ctp = getelementptr i64, ptr %refcount, i64 %tid
  %count = load i64, ptr %ctp
  %none = icmp sle i64 %count, 0
  br i1 %none, label %done, label %obj_loop

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
                        ptr noalias %queue, i64 %qcap, ptr noalias %out) {
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
  %tid = and i64 %h, 4294967295
  %s1 = add i64 %scan, 1
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
  %qtid = and i64 %qh, 4294967295
  %p1 = add i64 %p, 1
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
"""

_ARGTYPES = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
             ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
             ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
             ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]


def _compile():
    """Compile IR once per process: (engine, ctypes function)."""
    import llvmlite.binding as llvm
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    target = llvm.Target.from_default_triple()
    tm = target.create_target_machine(opt=3)
    mod = llvm.parse_assembly(IR)
    mod.triple = tm.triple
    mod.data_layout = str(tm.target_data)
    mod.verify()
    pto = llvm.create_pipeline_tuning_options(speed_level=3)
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(mod, pb)
    engine = llvm.create_mcjit_compiler(mod, tm)
    engine.finalize_object()
    addr = engine.get_function_address("hl_evacuate")
    fn = ctypes.CFUNCTYPE(ctypes.c_int64, *_ARGTYPES)(addr)
    return engine, fn


_lock = threading.Lock()
_builder: threading.Thread | None = None


def _build() -> None:
    global _engine, _failed
    try:
        _engine = _compile()
    except Exception as e:            # no llvmlite, no native target: stay in Python
        _failed = f"{type(e).__name__}: {e}"


def prepare() -> None:
    """Start compiling in a background thread (llvmlite releases the GIL
    while LLVM works), so that no collection pauses for the compilation.
    Idempotent."""
    global _builder
    with _lock:
        if _builder is None and _engine is None and _failed is None:
            _builder = threading.Thread(target=_build, name="hl-gc-compile", daemon=True)
            _builder.start()


def started() -> bool:
    """Whether the compilation has begun (or is done) in this process."""
    return _builder is not None or _engine is not None


def loaded() -> bool:
    """Whether the machine code exists in this process already."""
    return _engine is not None


def why_unavailable() -> str:
    return _failed or ""


def evacuator():
    """The machine-code evacuator (same interface as evacuate.evacuate),
    waiting for the compilation if it is under way; None when llvmlite
    cannot build it here."""
    if _engine is None:
        prepare()
        if _builder is not None:
            _builder.join()
        if _engine is None:
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
    status = _engine[1](addr.W, addr.P, roots.buffer_info()[0], len(roots),
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


__all__ = ["evacuator", "loaded", "why_unavailable", "IR"]
