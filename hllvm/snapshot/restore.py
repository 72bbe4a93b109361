"""Snapshot bytes → the state of a new, empty VM, trusting nothing.

Order of the work, each step checking what the next relies on:

1. the container (format.py: magic, version, length, checksum, sections);
2. the modules: decoded as `.hlc` files are, then loaded the usual way, so
   every one is verified again and every load limit holds; a host module
   must be defined by this VM's host with the same signatures;
3. the types the heap's blocks have, named by class, element type or
   (function, bound count): each gets this VM's type id; no more types than
   blocks, each some block's, and few array types the modules do not know
   (so what a restore adds to the VM is bounded by the snapshot's size);
4. the heap image, walked block by block: a known type id, a length that
   fits its type (an instance has its class's field count), a size inside
   the image, canonical strings (no surrogates either), bools that are 0
   or 1, identity hashes only where they may be; each block is allocated
   in this VM's heap (no collection runs meanwhile: nothing is rooted yet)
   — or, for a named function's value, mapped to this VM's one permanent
   value of it;
5. every reference slot of every block, global, frame and named handle:
   0 or the start of a block of the image whose type fits the slot's
   declared type (as CAST would test it), then rewritten to the new block;
6. the frames: each names a function with code, a pc where an instruction
   of it begins, the stack that the verifier's map gives there, and (but
   the innermost) a call that can call the frame above (its function, or
   a method of its arity, ...) and takes what that one returns; the
   outermost is the host task's own call (the program's main, a module's
   initialiser, the host call's function).

Anything wrong raises SnapshotError naming the section and offset or the
object; the VM is then unusable (it was empty: the host drops it).  This
module owns the checks and the rebuilding; the container is format.py's,
running the restored frames the interpreter's (`Interpreter.resume`).
"""

from __future__ import annotations

import struct
from array import array

from hlbc import model as M
from hlbc.errors import LoadError
from hlbc.hlc import read_module, write_module

from ..errors import SnapshotError
from ..layout import (BOX_TIDS, FIRST_CLASS_ID, HASH_SHIFT, HEADER_WORDS, LENGTH_MASK, MAX_HASH, T_ANY,
                      T_BOXF, T_BOXI, T_BOXZ, T_FARR, T_IARR, T_RARR, T_SARR, T_STR8, T_STR32,
                      T_ZARR, block_words, field_offset)
from ..runtime import RtArrayType, RtClass, RtFnShape
from ..state import IDHASH
from ..verify.errors import VerifyError
from . import format as F
from .capture import K_ARRAY, K_CLASS, K_SHAPE, NO_FUEL
from .tasks import TASK_CALL, TASK_IDLE, TASK_INIT, TASK_MAIN

_D = struct.Struct("<d")
_Q = struct.Struct("<q")
_FIXED = frozenset((T_STR8, T_STR32, T_IARR, T_FARR, T_ZARR, T_SARR, T_RARR, T_BOXI, T_BOXF, T_BOXZ))
_PLAIN = frozenset((T_IARR, T_FARR, T_BOXI, T_BOXF))     # payload words of any value


def _float(w: int) -> float:
    return _D.unpack(_Q.pack(w))[0]


class Restored:
    """What the VM keeps of a snapshot once its state is rebuilt: the task
    at the bottom of the frames and the interpreter frames to run."""

    def __init__(self) -> None:
        self.task = TASK_IDLE
        self.task_module = ""
        self.task_function = ""
        self.callers: list = []          # (registers, return op, result register), outermost first
        self.registers = None            # the innermost frame's registers
        self.pc = 0                      # the op it goes on at
        self.bytecode_pc = 0             # the instruction of it that op begins (the snapshot's pc)
        self.handles: dict[str, int] = {}


def restore(vm, data) -> Restored:
    """Rebuild `vm` (new and empty) from snapshot `data`."""
    if vm.modules:
        raise SnapshotError("a snapshot is restored into a new VM, which has no module loaded")
    S = F.unpack(data)
    out = Restored()
    meta = S[F.META]
    out.task = meta.u8("task")
    if out.task > TASK_CALL:
        raise meta.fail(f"unknown task kind {out.task}", meta.pos - 1)
    out.task_module = meta.str("task module")
    out.task_function = meta.str("task function")
    fuel = meta.i64("fuel")
    idhash = meta.i64("identity hash counter")
    nblocks = meta.i64("block count")
    meta.done()
    if fuel < NO_FUEL:
        raise meta.fail(f"fuel {fuel} is negative")
    if not 0 <= idhash <= MAX_HASH:
        raise meta.fail(f"identity hash counter {idhash} is out of range")

    room = max(0, S[F.HEAP].end - 8) // (8 * HEADER_WORDS)    # the most blocks its words can hold
    if not 0 <= nblocks <= room:
        raise meta.fail(f"block count {nblocks}; the heap image has room for {room}")

    modules = _modules(vm, S[F.MODULES])
    tidmap = _types(vm, S[F.TYPES], modules, nblocks)
    heap = _Heap(vm, S[F.HEAP], tidmap, nblocks)
    heap.place()
    heap.fill()
    _globals(vm, S[F.GLOBALS], modules, heap)
    bottom = _frames(vm, S[F.FRAMES], modules, heap, out)
    _traces(vm, S[F.TRACES], modules, heap)
    r = S[F.HANDLES]
    for _ in range(r.count("handles", 12)):
        name = r.str("handle name")
        out.handles[name] = heap.ref(r.i64("handle"), "R", f"handle {name!r}")
    r.done()
    if out.task == TASK_IDLE and out.registers is not None:
        raise SnapshotError("an idle snapshot has frames", "section meta")
    if out.task != TASK_IDLE and out.registers is None:
        raise SnapshotError("a suspended call has no frame", "section frames")
    if out.task != TASK_IDLE:
        _task(vm, out, bottom)
    vm.state.W[IDHASH] = idhash
    vm.control.fuel = None if fuel == NO_FUEL else fuel
    return out


# --- modules --------------------------------------------------------------------------
def _modules(vm, r) -> list:
    descs, flags = [], []
    hosts = set(vm.host_modules())
    for _ in range(r.count("modules", 9)):
        at = r.pos
        name = r.str("module name")
        f = r.u8("module flags")
        blob = r.blob("module bytecode")
        if f & ~3:
            raise r.fail(f"module {name}: unknown flags {f:#x}", at)
        try:
            desc = read_module(blob)
        except LoadError as e:
            raise SnapshotError(f"module {name}: {e}", f"section modules, byte {r.base + at}") from None
        if desc.name != name:
            raise r.fail(f"module {name} holds the bytecode of module {desc.name}", at)
        if f & 2:
            mine = vm.host_module_desc(name) if name in hosts else None
            if mine is None:
                raise r.fail(f"the snapshot needs host module {name}, which this VM's host does "
                             "not define (define its natives before restoring)", at)
            if write_module(mine) != bytes(blob):
                raise r.fail(f"host module {name} has other natives or signatures here than "
                             "when the snapshot was taken", at)
        descs.append(desc)
        flags.append(f)
    r.done()
    if len({d.name for d in descs}) != len(descs):
        raise SnapshotError("a module appears twice", "section modules")
    try:
        vm.load(descs)
    except (LoadError, VerifyError) as e:       # the code is checked as any load's
        raise SnapshotError(f"its modules do not load: {e}", "section modules") from None
    out = []
    for d, f in zip(descs, flags):
        m = vm.modules[d.name]
        m.initialised = bool(f & 1)
        out.append(m)
    vm._uninitialised = any(not m.initialised for m in out)
    return out


def _function(modules, mi: int, fi: int, r, at: int):
    if mi >= len(modules) or fi >= len(modules[mi].functions):
        raise r.fail(f"no function {fi} in module {mi}", at)
    return modules[mi].functions[fi]


# --- types ------------------------------------------------------------------------------
def _types(vm, r, modules, nblocks: int) -> dict[int, int]:
    """Snapshot type id → this VM's, for every id a block may have.  What
    this may add to the VM is bounded by the snapshot's size: no more types
    than blocks (each must be some block's: checked once the blocks are
    walked), and at most MAX_NEW_LEVELS array types made per entry."""
    tidmap = {t: t for t in _FIXED}
    types = vm.types
    last = FIRST_CLASS_ID - 1
    n = r.count("types", 5)
    if n > nblocks:
        raise r.fail(f"{n} types for {nblocks} blocks: a type no block has")
    for _ in range(n):
        at = r.pos
        tid = r.u32("type id")
        if tid <= last:
            raise r.fail(f"type id {tid} is out of order or below {FIRST_CLASS_ID}", at)
        last = tid
        kind = r.u8("type kind")
        try:
            if kind == K_CLASS:
                mod, name = r.str("class module"), r.str("class name")
                c = vm.classes.get((mod, name))
                if c is None or c.is_interface:
                    raise r.fail(f"no class {_short(mod)}.{_short(name)} to make instances of", at)
                tidmap[tid] = c.id
            elif kind == K_ARRAY:
                elem = r.str("element type")
                if elem in ("I", "F", "Z", "S", "R") or not M.is_ref("[" + elem) or not _descriptor(elem):
                    raise r.fail(f"{_short(elem)!r} is not the element type of an array with its own type id",
                                 at)
                if elem not in types.arrays and not _few_new_levels(types.arrays, elem):
                    raise r.fail(f"array type [{_short(elem)} nests more than {MAX_NEW_LEVELS} array types "
                                 "that this VM's modules do not have", at)
                tidmap[tid] = types.array(elem).id
            elif kind == K_SHAPE:
                mi, fi, k = r.u32("module"), r.u32("function"), r.u32("bound count")
                fn = _function(modules, mi, fi, r, at)
                if fn.desc.flags & (M.F_METHOD | M.F_INIT | M.F_MODINIT | M.F_ABSTRACT) or k > len(fn.params):
                    raise r.fail(f"{fn.display} with {k} bound values is no function value", at)
                tidmap[tid] = types.shape(fn, k).id
            else:
                raise r.fail(f"unknown type kind {kind}", at)
        except (LoadError, ValueError) as e:
            raise SnapshotError(f"type {tid}: {e}", f"section types, byte {r.base + at}") from None
    r.done()
    return tidmap


# The array types one entry of the types section may make that the loaded
# modules did not (each level is a type id and a record): an array made by
# the host (a list converted to `Point[][]`) may have a type no module
# named; deeper new nesting only serves to make a restore slow.
MAX_NEW_LEVELS = 8


def _few_new_levels(arrays: dict, elem: str) -> bool:
    """Making the array type of `elem` adds at most MAX_NEW_LEVELS types."""
    dims = len(elem) - len(elem.lstrip("["))
    if dims < MAX_NEW_LEVELS:
        return True
    return any(elem[d:] in arrays for d in range(1, MAX_NEW_LEVELS + 1))


def _short(s: str, n: int = 80) -> str:
    """A name from the snapshot, cut for a message."""
    return s if len(s) <= n else s[:n] + "…"


def _descriptor(d: str) -> bool:
    """A well-formed field descriptor (hlbc's own check)."""
    try:
        M.check_type(d)
        return True
    except ValueError:
        return False


# --- the heap ------------------------------------------------------------------------
class _Heap:
    def __init__(self, vm, r, tidmap, nblocks: int) -> None:
        self.vm = vm
        self.interp = vm.interp
        self.heap = vm.heap
        self.r = r
        self.words = r.words("heap words")
        r.done()
        self.tidmap = tidmap
        self.nblocks = nblocks
        self.new = array("q", bytes(8 * (len(self.words) + 1)))   # image offset → new ref (0: no block)
        self.blocks: list = []            # (image offset, new tid, words)
        self.where = f"section heap, byte {r.base + 8}"

    def fail(self, msg: str, o) -> SnapshotError:
        """`o`: the image offset of the block at fault, or the place (a
        global, a frame, a handle) that holds the reference."""
        return SnapshotError(msg, f"section heap, word {o}" if isinstance(o, int) else str(o))

    # 4. headers, sizes, payload values; allocation
    def place(self) -> None:
        words, tidmap, interp = self.words, self.tidmap, self.interp
        n = len(words)
        if n < 2 or words[0] or words[1]:
            raise SnapshotError("the heap image does not begin with the null block", self.where)
        heap = self.heap
        gc, oom = heap.gc, heap.on_oom

        def no_room(nwords):
            raise self.fail(f"the snapshot's live data does not fit in this VM's heap "
                            f"({heap.size} bytes)", o)
        heap.gc, heap.on_oom = None, no_room        # nothing is rooted yet: no collection
        try:
            o = 2
            while o < n:
                if o + HEADER_WORDS > n:
                    raise self.fail("a block header runs past the end of the image", o)
                w0, w1 = words[o], words[o + 1]
                new_tid = tidmap.get(w0)
                if new_tid is None:
                    raise self.fail(f"type id {w0} is not one a block may have", o)
                if w1 < 0:
                    raise self.fail("bad length word", o)
                length, h = w1 & LENGTH_MASK, w1 >> HASH_SHIFT
                size = block_words(w0, w1)
                if size > n - o:
                    raise self.fail(f"a block of {size} words runs past the end of the image", o)
                rec = interp.TYPES[new_tid] if new_tid >= FIRST_CLASS_ID else None
                self._check_block(o, w0, rec, length, h, size)
                if isinstance(rec, RtFnShape) and rec.k == 0:
                    p = rec.canon                     # one value per named function, as CLOSURE f 0
                    if h and not heap.W[p + 1] >> HASH_SHIFT:
                        heap.W[p + 1] |= h << HASH_SHIFT
                else:
                    p = heap.alloc(new_tid, length, size)
                    if h:
                        heap.W[p + 1] = length | (h << HASH_SHIFT)
                self.new[o] = p
                self.blocks.append((o, new_tid, size, rec))
                o += size
        finally:
            heap.gc, heap.on_oom = gc, oom
        if len(self.blocks) != self.nblocks:
            raise SnapshotError(f"the image holds {len(self.blocks)} blocks; the meta section says "
                                f"{self.nblocks}", self.where)
        unused = set(self.tidmap) - _FIXED - {words[o] for o, _t, _s, _r in self.blocks}
        if unused:
            raise SnapshotError(f"type {min(unused)} is no block's type", "section types")

    def _check_block(self, o: int, tid: int, rec, length: int, h: int, size: int) -> None:
        words = self.words
        if h and not isinstance(rec, (RtClass, RtFnShape)):
            raise self.fail("only objects and function values have an identity hash", o)
        if h > MAX_HASH:
            raise self.fail(f"identity hash {h} is out of range", o)
        if tid in BOX_TIDS and length != 1:
            raise self.fail(f"a box of length {length}", o)
        if isinstance(rec, RtClass) and length != rec.nfields:
            raise self.fail(f"an instance of {rec.name} with {length} fields; it has {rec.nfields}", o)
        if isinstance(rec, RtFnShape) and length != rec.k:
            raise self.fail(f"a function value with {length} bound values; its shape binds {rec.k}", o)
        if tid == T_STR8 or tid == T_ZARR or tid == T_STR32:
            raw = memoryview(words[o + HEADER_WORDS:o + size]).cast("B")
            nbytes = length * (4 if tid == T_STR32 else 1)
            if any(raw[nbytes:]):
                raise self.fail("nonzero padding after the last element", o)
            if tid == T_ZARR and raw[:nbytes].tobytes().strip(b"\x00\x01"):
                raise self.fail("a bool array element is neither 0 nor 1", o)
            if tid == T_STR32:
                cps = raw[:nbytes].cast("I")
                try:            # (UTF-32 has no surrogates: no HL string holds one, chr refuses them)
                    raw[:nbytes].tobytes().decode("utf-32-le")
                except UnicodeDecodeError:
                    raise self.fail("a code point above U+10FFFF or a surrogate (U+D800 to U+DFFF)", o) from None
                if max(cps, default=0) < 256:
                    raise self.fail("a wide string whose code points all fit the compact form", o)
        elif tid == T_BOXZ and words[o + HEADER_WORDS] not in (0, 1):
            raise self.fail("a bool box holding neither 0 nor 1", o)

    # 5. references and typed fields, rewritten into the new blocks
    def fill(self) -> None:
        words, new = self.words, self.new
        W = self.heap.W
        for o, tid, size, rec in self.blocks:
            p = new[o]
            if isinstance(rec, RtFnShape) and rec.k == 0:
                continue
            base = o + HEADER_WORDS
            if rec is None:
                if tid == T_SARR or tid == T_RARR:
                    code = T_STR8 if tid == T_SARR else T_ANY
                    for i in range(size - HEADER_WORDS):
                        W[p + HEADER_WORDS + i] = self.ref_code(words[base + i], code, o)
                else:                               # strings, primitive arrays, boxes: checked above
                    W[p + HEADER_WORDS:p + size] = words[base:o + size]
            elif isinstance(rec, RtArrayType):
                code = rec.elem_code
                for i in range(size - HEADER_WORDS):
                    W[p + HEADER_WORDS + i] = self.ref_code(words[base + i], code, o)
            elif isinstance(rec, RtClass):
                for s, t in enumerate(rec.field_types):
                    W[p + field_offset(s)] = self.value(words[o + field_offset(s)], t, o)
            else:                                   # a function value's bound parameters
                for s, t in enumerate(rec.fn.params[:rec.k]):
                    W[p + field_offset(s)] = self.value(words[o + field_offset(s)], t, o)

    def value(self, w: int, t: str, o) -> int:
        """Word `w` of a slot of declared type `t`, as this VM holds it."""
        c = t[:1]
        if c == "I" or c == "F":
            return w
        if c == "Z":
            if w not in (0, 1):
                raise self.fail(f"a bool slot holding {w}", o)
            return w
        return self.ref(w, t, o)

    def ref(self, v: int, t: str, o) -> int:
        """Image reference `v` in a slot of type `t` → this VM's reference."""
        if not v:
            return 0
        if t == "N":
            raise self._bad(v, t, o)
        if t[:1] == "!":                             # an object whose init has not run: exactly its class
            c = self.vm.classes.get(M.split_class_desc(t[t.index("L"):]))
            p = self._target(v, o)
            if c is None or self.heap.W[p] != c.id:
                raise self._bad(v, t, o)
            return p
        code = T_ANY if t == "R" else self.vm.types.code(t)
        return self.ref_code(v, code, o)

    def ref_code(self, v: int, code: int, o) -> int:
        if not v:
            return 0
        p = self._target(v, o)
        if code != T_ANY and self.heap.W[p] != code and not self.interp.TEST[code](p):
            raise self._bad(v, self.interp.TYPES[code].name if code >= FIRST_CLASS_ID else f"type {code}", o)
        return p

    def _target(self, v: int, o) -> int:
        p = self.new[v] if 0 < v < len(self.words) else 0
        if not p:
            raise self.fail(f"reference {v} is not the start of a block", o)
        return p

    def _bad(self, v, t, o) -> SnapshotError:
        return self.fail(f"reference {v} is not of type {t}", o)


# --- globals, frames, traces ------------------------------------------------------------------
def _globals(vm, r, modules, heap: _Heap) -> None:
    n = r.count("modules", 4)
    if n != len(modules):
        raise r.fail(f"globals of {n} modules; the snapshot has {len(modules)}")
    W = vm.heap.W
    for m in modules:
        slots = sorted(m.globals.values())
        at = r.pos
        k = r.count("globals", 8)
        if k != len(slots):
            raise r.fail(f"module {m.name} has {len(slots)} globals, not {k}", at)
        for slot, t in slots:
            w = r.i64("global")
            v = heap.value(w, t, f"global {m.name}#{slot}")
            if m.globals_ref:
                W[m.globals_ref + field_offset(slot)] = v
    r.done()


_CONVERT = {"I": int, "Z": bool, "F": _float}


def _slot(heap: _Heap, w: int, t: str, where):
    conv = _CONVERT.get(t[:1])
    if conv is not None:
        if t[:1] == "Z" and w not in (0, 1):
            raise SnapshotError(f"a bool holding {w}", where)
        return conv(w)
    return heap.ref(w, t, where)


def _frames(vm, r, modules, heap: _Heap, out: Restored) -> None:
    interp = vm.interp
    n = r.count("frames", 14)
    if n > vm.max_stack:
        raise r.fail(f"{n} frames; this VM's stack limit is {vm.max_stack}")
    above_ret = None                     # (outermost first) the result type the caller's call expects
    above_call = None                    # the call op the caller stopped after
    built = []
    for i in range(n):
        at = r.pos
        mi, fi, pc, after = r.u32("module"), r.u32("function"), r.u32("pc"), r.u8("after")
        fn = _function(modules, mi, fi, r, at)
        where = f"frame {i} ({fn.module.name}.{fn.display} at pc {pc})"
        if fn.native is not None or fn.entry < 0 or fn.desc.flags & M.F_ABSTRACT:
            raise SnapshotError("the function has no bytecode to run", where)
        if pc not in fn.pcmap or pc not in fn.sites:
            raise SnapshotError("no instruction of the function begins there", where)
        innermost = i == n - 1
        if after != (0 if innermost else 1):
            raise SnapshotError("only the innermost frame stops before an instruction; the others "
                                "stop after a call", where)
        if above_call is not None:
            wrong = _callee_misfit(fn, above_call)
            if wrong:
                raise SnapshotError(f"its caller's call cannot call it: {wrong}", where)
        if above_ret is not None and not _returns_fit(vm, fn.ret, above_ret):
            raise SnapshotError(f"returns {fn.ret}, but its caller's call takes {above_ret}", where)
        regs, call_index, call, ret = fn.sites[pc]
        if after:
            if call_index < 0:
                raise SnapshotError("no call at that pc", where)
            depth = len(regs) - len(call.src)
        else:
            depth = len(regs)
        if depth:
            sm = fn.stack_maps.get(pc)
            if sm is None or len(sm.stack) != len(regs):
                raise SnapshotError("no stack map there", where)
            stack_types = sm.stack[:depth]
        else:
            stack_types = ()
        nl = r.count("locals", 8)
        if nl != len(fn.desc.locals):
            raise SnapshotError(f"{nl} locals; the function has {len(fn.desc.locals)}", where)
        R = [0] * fn.nargs + list(fn.tail)
        for j, t in enumerate(fn.desc.locals):
            R[j] = _slot(heap, r.i64("local"), t, where)
        ns = r.count("stack entries", 8)
        if ns != len(stack_types):
            raise SnapshotError(f"{ns} stack entries; the stack map has {len(stack_types)}", where)
        stack_regs = range(fn.nlocals, fn.nlocals + fn.max_depth)
        for d, t in enumerate(stack_types):
            w = r.i64("stack entry")
            v = _slot(heap, w, t, where) if t != "N" else _null(w, where)
            if regs[d] in stack_regs:        # (else a local's or a constant's register holds it)
                R[regs[d]] = v
        built.append((fn, pc, R, after, call_index, call))
        above_ret = ret if after else None
        above_call = call if after else None
    r.done()
    for fn, pc, R, after, call_index, call in built:
        if after:
            out.callers.append((R, fn.entry + call_index + 1, call.dst))
        else:
            out.registers = R
            out.pc = fn.entry + fn.pcmap[pc]
            out.bytecode_pc = pc
    return built[0][0] if built else None


def _task(vm, out: Restored, bottom) -> None:
    """The outermost frame is the call the host task made: a program's
    main, a module's initialiser (of a module marked initialised: it is
    set before the initialiser runs), or the named function of a host call
    (whose result the host converts by its declared type); a host call
    that names no function (a method or function value) may be any."""
    from ..linker import Linker
    where = "section meta"
    mod = vm.modules.get(out.task_module)
    if out.task in (TASK_MAIN, TASK_INIT):
        if out.task_function:
            raise SnapshotError(f"a program's task names function {out.task_function!r}", where)
        main = None
        if mod is not None:
            try:
                main = Linker.main_of(mod)
            except LoadError as e:
                raise SnapshotError(f"the program's module {mod.name} has no usable main ({e})", where) from None
        elif out.task == TASK_MAIN or out.task_module:
            raise SnapshotError(f"the program's module {out.task_module!r} is not in the snapshot", where)
        if out.task == TASK_MAIN:
            if bottom is not main:
                raise SnapshotError(f"the outermost frame runs {bottom.display}, not the program's main",
                                    "frame 0")
        elif not any(m.init is bottom and m.initialised for m in vm.modules.values()):
            raise SnapshotError(f"the outermost frame runs {bottom.display}, not the initialiser of a "
                                "module marked initialised", "frame 0")
    elif out.task_module or out.task_function:
        fn = mod.function(out.task_function) if mod is not None else None
        if fn is None or fn.desc.flags & (M.F_METHOD | M.F_INIT | M.F_MODINIT):
            raise SnapshotError(f"the host call's function {out.task_module}.{out.task_function} does "
                                "not exist", where)
        if bottom is not fn:
            raise SnapshotError(f"the outermost frame runs {bottom.display}, not the host call's "
                                f"{fn.display}", "frame 0")


def _callee_misfit(fn, call) -> str:
    """Why `fn` cannot be the function that call op `call` called ("" if it
    can): a direct call names its function, a virtual or interface call a
    method of its arity, a string conversion a method to_string();
    a native call runs no frame of HL code (a snapshot is never taken while
    one is on the stack); a function value's call may run any function."""
    kind = call.kind
    nargs = len(call.src)
    method = bool(fn.desc.flags & M.F_METHOD)
    if kind.startswith("native"):
        return "it calls a native"
    if kind.startswith("callvirt") or kind.startswith("calliface"):
        # (by arity, not name: the method in the slot may be a bridge of another name)
        if not method or fn.nargs != nargs:
            return f"it calls a method of {nargs - 1} parameters"
    elif kind.startswith("tostr_obj"):
        if not method or fn.nargs != 1 or fn.ret != "S":
            return "it calls a to_string method"
    elif kind.startswith("callfn"):
        if fn.nargs < nargs - 1:
            return f"it passes {nargs - 1} arguments"
    elif kind.startswith("call"):
        if call.extra is not fn:
            return f"it calls {call.extra.display}"
    return ""


def _null(w: int, where) -> int:
    if w:
        raise SnapshotError("a stack entry the verifier knows is null is not", where)
    return 0


def _returns_fit(vm, have: str, want: str) -> bool:
    """A callee returning `have` may return to a call that takes `want`."""
    if have == want:
        return True
    if M.is_ref(have) and M.is_ref(want):
        if want == "R":
            return True
        if have[:1] == "L" and want[:1] == "L":
            a = vm.classes.get(M.split_class_desc(have))
            b = vm.classes.get(M.split_class_desc(want))
            return a is not None and b is not None and a.is_subclass_of(b)
    return False


def _traces(vm, r, modules, heap: _Heap) -> None:
    interp = vm.interp
    ops = None
    for _ in range(r.count("traces", 12)):
        at = r.pos
        v = r.i64("error")
        p = heap.ref_code(v, T_ANY, "traces")
        t = []
        for _ in range(r.count("trace entries", 12)):
            fn = _function(modules, r.u32("module"), r.u32("function"), r, at)
            pc = r.u32("pc")
            if ops is None:
                ops = {}
                for idx, (f, origin) in enumerate(interp.meta):
                    if f is not None:
                        ops.setdefault((f.fid, origin), idx)
            idx = ops.get((fn.fid, pc))
            if idx is None:
                raise r.fail(f"no code of {fn.display} at pc {pc}", at)
            t.append(idx)
        interp.traces[p] = array("i", t[:1025])
    r.done()


__all__ = ["restore", "Restored"]
