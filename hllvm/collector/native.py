"""The trace of a collection as machine code: the loop of evacuate.py,
written once in LLVM IR below and compiled through llvmlite.

Why: a collector written in Python pays about a microsecond per block it
touches; this loop copies and scans a block in tens of nanoseconds.  The
price is one ctypes call per collection (about a microsecond), and the
compilation.  That is paid once per machine, not per process: the IR is
compiled to position-independent code for any CPU of the architecture,
the object's text section is checked to be self-contained (no relocations,
no data) and kept in the cache directory (`cache_path`, beside hll's
bytecode cache, named by the IR's hash); a later process maps it
executable in about a millisecond, without importing llvmlite (whose code
would otherwise take some 60 MiB of memory).  Where that is not possible,
MCJIT compiles it in the process.  Small collections never get here
(`Collector._choose_evacuator`).

The function works directly on the heap's memory (the mmap's address) and
on flat arrays built by `_evacuate`: the page map, the root values, the
to-space ranges, and the reference layout of each type id (`refstart[tid]`,
`refcount[tid]` index `refoffs`, the word offsets of an instance's
reference fields).  Its result has the same meaning as
`evacuate.evacuate` (a `Trace`); tests compare the two on the same heaps.
Trust: the cached file is code this process will run; it lives in the
user's own cache directory, like the bytecode cache, and its checksum only
guards against a torn write.
"""

from __future__ import annotations

import ctypes
import hashlib
import mmap
import os
import platform
import struct
import sys
import threading
from array import array
from pathlib import Path

from ..heap import PAGE_SHIFT
from .evacuate import Trace, ToSpaceExhausted


IR = r"""
; The state of the trace lives in a local array %ctx that the optimiser
; turns into registers: [0] current to-range, [1] allocation pointer,
; [2] end of that range, [3] words copied, [4] blocks copied, [5] queue size,
; [6] status (0 ok, 1 to-space exhausted, 2 queue overflow), [7] number of
; ranges, [8] queue capacity.
; Type ids and header bits (docs/heap.md): T_STR8 1, T_STR32 2, T_ZARR 5,
; T_RARR 6, classes >= 16; GC_FORWARDED = 1<<32, GC_MARKED = 1<<33.
; Page kinds: P_SMALL 1, P_LARGE 2.  Pages are 512 words.

define internal i64 @block_words(i64 %tid, i64 %n) #0 {
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
define internal i64 @evac(ptr %W, ptr %pages, ptr %ranges, ptr %fills, ptr %queue, ptr %ctx, i64 %v) #0 {
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
                                  i64 %p, i64 %tid, i64 %n) #0 {
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

; No calls to library functions (a copy loop must not become memcpy): the
; code must stand alone to be cached and mapped by itself.
attributes #0 = { alwaysinline nounwind "no-builtins" }
attributes #1 = { nounwind "no-builtins" }
"""

_ARGTYPES = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
             ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
             ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
             ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
_FUNCTYPE = ctypes.CFUNCTYPE(ctypes.c_int64, *_ARGTYPES)
_CACHE_FORMAT = b"HLGC1\0"
# Machine code is cached only where loading it needs nothing but mmap and
# mprotect (x86-64: no instruction-cache flush), and only as ELF text.
_CACHEABLE = sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")

_fn = None                # the ctypes function, once per process
_keep: list = []          # what must live as long as it (engine, or code pages)
_failed: str | None = None
_lock = threading.Lock()


def _optimised_module(tm):
    import llvmlite.binding as llvm
    mod = llvm.parse_assembly(IR)
    mod.triple = tm.triple
    mod.data_layout = str(tm.target_data)
    mod.verify()
    pto = llvm.create_pipeline_tuning_options(speed_level=3)
    pto.loop_vectorization = False       # blocks are a few words: vector loops only add code
    pto.slp_vectorization = False
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(mod, pb)
    return mod


def _compile_code() -> tuple[bytes, int]:
    """IR → position-independent machine code for any CPU of this
    architecture: (the text section's bytes, the entry's offset in it)."""
    import llvmlite.binding as llvm
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    tm = llvm.Target.from_default_triple().create_target_machine(
        cpu="", features="", opt=3, reloc="pic", codemodel="small")
    return elf_text(tm.emit_object(_optimised_module(tm)), "hl_evacuate")


def elf_text(obj: bytes, symbol: str) -> tuple[bytes, int]:
    """The one executable section of an ELF64 little-endian relocatable
    object and `symbol`'s offset in it; ValueError unless that section is
    self-contained (no relocations, no other data to reach)."""
    if obj[:6] != b"\x7fELF\x02\x01":
        raise ValueError("not a 64-bit little-endian ELF object")
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", obj, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", obj, shoff + i * shentsize) for i in range(shnum)]

    def name_at(table, off):
        base = secs[table][4] + off
        return obj[base:obj.index(b"\0", base)].decode()
    names = [name_at(shstrndx, sec[0]) for sec in secs]
    SHF_ALLOC, SHF_EXEC, SHT_SYMTAB, SHT_RELA, SHT_REL = 2, 4, 2, 4, 9
    text = [i for i, sec in enumerate(secs) if sec[2] & SHF_EXEC and sec[5]]
    if len(text) != 1:
        raise ValueError(f"{len(text)} executable sections")
    t = text[0]
    for i, (_n, typ, flags, _a, _o, size, _l, info, _al, _es) in enumerate(secs):
        if typ in (SHT_RELA, SHT_REL) and info == t and size:
            raise ValueError("the code has relocations")
        if flags & SHF_ALLOC and size and i != t and not names[i].startswith(".eh_frame"):
            raise ValueError(f"the code needs section {names[i]}")
    for sec in secs:
        if sec[1] == SHT_SYMTAB:
            for k in range(sec[5] // 24):
                st_name, _info, _other, shndx, value, _size = struct.unpack_from("<IBBHQQ", obj, sec[4] + 24 * k)
                if shndx == t and name_at(sec[6], st_name) == symbol:
                    off, size = secs[t][4], secs[t][5]
                    return obj[off:off + size], value
    raise ValueError(f"no symbol {symbol}")


def _load_code(code: bytes, entry: int):
    """Map `code` executable (read-write while copying, then read-execute)."""
    size = (len(code) + mmap.PAGESIZE - 1) // mmap.PAGESIZE * mmap.PAGESIZE
    pages = mmap.mmap(-1, size, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    pages.write(code)
    view = ctypes.c_char.from_buffer(pages)
    addr = ctypes.addressof(view)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    if libc.mprotect(addr, size, mmap.PROT_READ | mmap.PROT_EXEC) != 0:
        raise OSError(ctypes.get_errno(), "mprotect failed")
    _keep.extend((pages, view))
    return _FUNCTYPE(addr + entry)


def cache_path() -> Path:
    """Where the machine code is kept between processes (the directory of
    hll's bytecode cache), named by the IR's hash."""
    env = os.environ.get("HL_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(env) if env else (Path(xdg) if xdg else Path.home() / ".cache") / "hl"
    key = hashlib.sha256(_CACHE_FORMAT + platform.machine().encode() + IR.encode()).hexdigest()[:24]
    return root / "gc" / f"evacuate-{key}.bin"


def _read_cache() -> tuple[bytes, int] | None:
    try:
        data = cache_path().read_bytes()
    except OSError:
        return None
    n = len(_CACHE_FORMAT)
    if data[:n] != _CACHE_FORMAT or len(data) < n + 48:
        return None
    entry, length = struct.unpack_from("<QQ", data, n)
    digest, code = data[n + 16:n + 48], data[n + 48:]
    if len(code) != length or entry >= length or hashlib.sha256(code).digest() != digest:
        return None
    return code, entry


def _write_cache(code: bytes, entry: int) -> None:
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_CACHE_FORMAT + struct.pack("<QQ", entry, len(code))
                        + hashlib.sha256(code).digest() + code)
        os.replace(tmp, path)
    except OSError:
        pass                                  # no cache: compiled again next time


def _jit():
    """Compile in this process with MCJIT (where code is not cached)."""
    import llvmlite.binding as llvm
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    tm = llvm.Target.from_default_triple().create_target_machine(opt=3)
    engine = llvm.create_mcjit_compiler(_optimised_module(tm), tm)
    engine.finalize_object()
    _keep.append(engine)
    return _FUNCTYPE(engine.get_function_address("hl_evacuate"))


def _build():
    if _CACHEABLE:
        try:
            hit = _read_cache()
            if hit is None:
                hit = _compile_code()
                _write_cache(*hit)
            return _load_code(*hit)
        except (ValueError, OSError):
            pass                              # not self-contained here: JIT it instead
    return _jit()


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
                    _fn = _build()
                except Exception as e:    # no llvmlite, no native target: stay in Python
                    _failed = f"{type(e).__name__}: {e}"
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


__all__ = ["evacuator", "loaded", "why_unavailable", "cache_path", "elf_text", "IR"]
