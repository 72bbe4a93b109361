"""A VM's state → snapshot bytes (docs/snapshots.md says what each section holds).

`capture(vm, point)` runs in the thread that runs the VM, at a point where
every frame is an interpreter frame that can be described (the run loop's
suspension, or an idle VM): compiled frames were handed back to the
interpreter before (hllvm/jit/tier.py), so a frame is always
(function, bytecode pc, before or after the instruction, locals, operand
stack), typed by the function's declaration and the verifier's stack map.

The heap section is what a copying collection would keep: the blocks
reachable from the roots (globals, frames, named handles), copied in
breadth-first order into one image of words whose references are image
offsets (0 is null, the first block is at 2) — so it is independent of
where the heap was mapped and of how it was laid out, and holds only live
data.  A block keeps its header (type id, length, identity hash); its type
id is one of the fixed ids or is named in the types section.  Floats are
written with one nan (QUIET_NAN).  Boxes
(int, float, bool) are values: the image holds one box per value,
whichever of them the heap held (the interpreter shares its small ints'
boxes, compiled code makes its own), so that a point's snapshot is the
same bytes in every tier — but for nans, which `==` on erased values tells
apart from themselves only when they are two boxes (one box is equal to
itself: the identity test comes first).

This module reads the VM and writes; it changes nothing in the VM and
checks nothing a reader must check (restore.py does, trusting nothing).
"""

from __future__ import annotations

import struct
from array import array

from hlbc.hlc import write_module

from ..errors import SnapshotError
from ..layout import (BOX_TIDS, FIRST_CLASS_ID, HEADER_WORDS, LENGTH_MASK, T_BOXF, T_FARR, TYPE_MASK,
                      block_words, field_offset)
from ..runtime import RtArrayType, RtClass, RtFnShape
from ..state import IDHASH, UNLIMITED
from . import format as F
from .tasks import TASK_CALL, TASK_IDLE, TASK_INIT, TASK_MAIN

_D = struct.Struct("<d")
_Q = struct.Struct("<q")

# Type kinds of the types section.
K_CLASS, K_ARRAY, K_SHAPE = 1, 2, 3
NO_FUEL = -1


# Every nan is written as the one quiet nan: HL cannot tell nans apart
# (`hash` takes them all as this one, docs/language.md), and tiers make
# different ones (compiled code's 0.0 / 0.0 has the sign bit set).
QUIET_NAN = 0x7FF8000000000000
_EXP, _FRACTION = 0x7FF0000000000000, 0x000FFFFFFFFFFFFF


def float_bits(v: float) -> int:
    return QUIET_NAN if v != v else _Q.unpack(_D.pack(v))[0]


def _canonical(w: int) -> int:
    """The word of a float slot holding the bits `w`, its nan made canonical."""
    return QUIET_NAN if w & _EXP == _EXP and w & _FRACTION else w


def value_word(t: str, v, enc) -> int:
    """The word a slot of type `t` holding Python value `v` is written as."""
    c = t[:1]
    if c == "I":
        return v
    if c == "Z":
        return 1 if v else 0
    if c == "F":
        return float_bits(v)
    if c == "U":
        raise AssertionError("a slot is typed by its declaration, never U")
    return enc(v)


class Point:
    """Where the running call stopped: the frames from outermost to
    innermost as (function, pc, after, registers, op index), and the host
    task they belong to."""

    def __init__(self, frames: list, task: int, task_module: str = "", task_function: str = "") -> None:
        self.frames = frames
        self.task = task
        self.task_module = task_module
        self.task_function = task_function


class _Image:
    """The breadth-first copy of the live blocks into an array of words."""

    def __init__(self, vm) -> None:
        self.W = vm.heap.W
        self.mm = vm.heap.mm
        self.REFS = vm.interp.REFS
        self.words = array("q", [0, 0])        # the null block
        self.where: dict[int, int] = {}        # heap ref → image offset
        self.todo: list[int] = []
        self.boxes: dict[tuple, int] = {}      # (box type id, value word) → image offset
        self.blocks = 0
        self.TYPES = vm.interp.TYPES
        self._float_words: dict = {T_FARR: None, T_BOXF: (HEADER_WORDS,)}   # type id → `_floats`

    def enc(self, ref: int) -> int:
        if not ref:
            return 0
        o = self.where.get(ref)
        if o is None:
            W = self.W
            tid = W[ref] & TYPE_MASK
            if tid in BOX_TIDS and (tid != T_BOXF or _canonical(W[ref + HEADER_WORDS]) != QUIET_NAN):
                key = (tid, W[ref + HEADER_WORDS])
                o = self.boxes.get(key)
                if o is not None:
                    self.where[ref] = o
                    return o
                self.boxes[key] = len(self.words)
            n = block_words(tid, W[ref + 1])
            o = len(self.words)
            self.blocks += 1
            self.words.frombytes(self.mm[ref * 8:(ref + n) * 8])
            self.words[o] &= TYPE_MASK             # (the collector's bits are zero between collections)
            floats = self._floats(tid)
            if floats is None:                     # a float array: every element
                floats = range(HEADER_WORDS, n)
            words = self.words
            for k in floats:
                words[o + k] = _canonical(words[o + k])
            self.where[ref] = o
            self.todo.append(o)
        return o

    def _floats(self, tid: int):
        """The word offsets of the float slots of a block of type `tid`
        (None: every element)."""
        got = self._float_words.get(tid, ())
        if got == () and tid >= FIRST_CLASS_ID and tid not in self._float_words:
            rec = self.TYPES[tid]
            if isinstance(rec, RtClass):
                types = rec.field_types
            elif isinstance(rec, RtFnShape):
                types = rec.fn.params[:rec.k]
            else:
                types = ()
            got = self._float_words[tid] = tuple(field_offset(s) for s, t in enumerate(types) if t == "F")
        return got

    def close(self) -> None:
        """Copy everything reachable from what was encoded so far."""
        words, todo, REFS, enc = self.words, self.todo, self.REFS, self.enc
        i = 0
        while i < len(todo):
            o = todo[i]
            i += 1
            refs = REFS[words[o] & TYPE_MASK]
            if refs is None:                        # an array of references: every element
                for k in range(o + HEADER_WORDS, o + HEADER_WORDS + (words[o + 1] & LENGTH_MASK)):
                    v = words[k]
                    if v:
                        words[k] = enc(v)
            else:
                for off in refs:
                    v = words[o + off]
                    if v:
                        words[o + off] = enc(v)


def capture(vm, point: Point, handles: dict | None = None) -> bytes:
    """The snapshot of `vm` stopped at `point` (SnapshotError if a handle
    named is not the VM's)."""
    interp = vm.interp
    img = _Image(vm)
    enc = img.enc
    modules = list(vm.modules.values())
    index = {}                                      # fid → (module index, function index)
    for mi, m in enumerate(modules):
        for fi, f in enumerate(m.functions):
            index[f.fid] = (mi, fi)

    # Roots first, in a fixed order: globals, frames, handles.
    glob = F.Writer()
    glob.u32(len(modules))
    for mi, m in enumerate(modules):
        slots = sorted(m.globals.values())
        glob.u32(len(slots))
        for slot, t in slots:
            glob.i64(value_word(t, interp.global_value(m, slot, t), enc))

    fr = F.Writer()
    fr.u32(len(point.frames))
    for fn, pc, after, R, stack_types in point.frames:
        mi, fi = index[fn.fid]
        fr.u32(mi)
        fr.u32(fi)
        fr.u32(pc)
        fr.u8(1 if after else 0)
        types = fn.desc.locals
        fr.u32(len(types))
        for j, t in enumerate(types):
            fr.i64(value_word(t, R[j], enc))
        regs = fn.sites[pc][0]
        fr.u32(len(stack_types))
        for d, t in enumerate(stack_types):
            fr.i64(value_word(t, R[regs[d]], enc) if t != "N" else 0)

    hw = F.Writer()
    named = handles or {}
    hw.u32(len(named))
    for name, h in named.items():
        if getattr(h, "vm", None) is not vm or h.released:
            raise SnapshotError(f"handle {name!r} is not a live handle of this VM")
        hw.str(str(name))
        hw.i64(enc(h.ref))

    img.close()

    # Traces of the error objects that are kept (a rethrow keeps its trace).
    tr = F.Writer()
    kept = [(img.where[r], t) for r, t in interp.traces.items() if r in img.where]
    tr.u32(len(kept))
    meta = interp.meta
    for o, t in kept:
        tr.i64(o)
        entries = [(index[fn.fid], origin) for fn, origin in (meta[i] for i in t) if fn is not None]
        tr.u32(len(entries))
        for (mi, fi), origin in entries:
            tr.u32(mi)
            tr.u32(fi)
            tr.u32(origin)

    # The types the image's blocks have (fixed ids need no entry).
    ty = F.Writer()
    words = img.words
    tids = sorted({words[o] & TYPE_MASK for o in img.where.values()} - set(range(FIRST_CLASS_ID)))
    ty.u32(len(tids))
    TYPES = interp.TYPES
    for tid in tids:
        rec = TYPES[tid]
        ty.u32(tid)
        if isinstance(rec, RtClass):
            ty.u8(K_CLASS)
            ty.str(rec.module.name)
            ty.str(rec.name)
        elif isinstance(rec, RtArrayType):
            ty.u8(K_ARRAY)
            ty.str(rec.elem)
        elif isinstance(rec, RtFnShape):
            ty.u8(K_SHAPE)
            mi, fi = index[rec.fn.fid]
            ty.u32(mi)
            ty.u32(fi)
            ty.u32(rec.k)
        else:
            raise SnapshotError(f"a block of type id {tid} ({rec!r}) cannot be described")

    mo = F.Writer()
    mo.u32(len(modules))
    hosts = set(vm.host_modules())
    for m in modules:
        mo.str(m.name)
        mo.u8((1 if m.initialised else 0) | (2 if m.name in hosts else 0))
        mo.blob(write_module(m.desc))

    me = F.Writer()
    me.u8(point.task)
    me.str(point.task_module)
    me.str(point.task_function)
    fuel = program_fuel(vm.control)
    me.i64(NO_FUEL if fuel is None else fuel)
    me.i64(vm.state.W[IDHASH])
    me.i64(img.blocks)                      # blocks in the image (a reader checks its walk)

    hp = F.Writer()
    hp.words(img.words)
    return F.pack({F.META: bytes(me.buf), F.MODULES: bytes(mo.buf), F.TYPES: bytes(ty.buf),
                   F.HEAP: bytes(hp.buf), F.GLOBALS: bytes(glob.buf), F.FRAMES: bytes(fr.buf),
                   F.TRACES: bytes(tr.buf), F.HANDLES: bytes(hw.buf)})


def program_fuel(control) -> int | None:
    """The program's fuel left (None: no limit), whatever count a pending
    `suspend_after` trigger has put in its place (hllvm/limits.py): a
    checkpoint taken meanwhile holds the real fuel, not the trigger's."""
    fuel = control.fuel
    rest = control.trigger
    if rest is None:
        return fuel
    return None if rest == UNLIMITED else (fuel or 0) + rest


def frame_of(fn, pc: int, after: bool, R, popped: int = 0):
    """The description of one interpreter frame stopped at bytecode `pc` of
    `fn` (`after` its call, whose `popped` operands the callee took), or
    None when the lowering and the stack map cannot describe it."""
    site = fn.sites.get(pc)
    if site is None:
        return None
    regs = site[0]
    depth = len(regs) - popped
    if depth < 0:
        return None
    if depth == 0:
        return (fn, pc, after, R, ())
    sm = fn.stack_maps.get(pc)
    if sm is None or len(sm.stack) != len(regs):
        return None
    return (fn, pc, after, R, tuple(sm.stack[:depth]))


__all__ = ["capture", "Point", "frame_of", "program_fuel", "TASK_IDLE", "TASK_INIT", "TASK_MAIN", "TASK_CALL",
           "K_CLASS", "K_ARRAY", "K_SHAPE", "NO_FUEL", "value_word", "float_bits"]
