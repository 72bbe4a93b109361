"""Every root of the collector, in one place.

A root is a slot outside the heap that may hold a reference.  `Roots.gather`
reads them all into one array of values (the collector's input: a value is
0 or the word index of a block) and remembers where each came from;
`Roots.update` writes the collected values back (moved objects have new
addresses).  The owners, in the order `gather` visits them:

1. Interpreter frames.  Each suspended frame `(R, return op, result reg)`
   of `Interpreter.frames` stopped at its call op (`return op - 1`; entries
   whose return op is 0 are host-call sentinels holding no frame), and the
   running frame `ctx.R` stopped at the op recorded in `ctx.pc`: the
   *safepoint state*.  An op that may collect writes its own index there
   before it allocates or calls Python (as Lua's `savepc`); an op that only
   throws never allocates (its error is pending until the run loop, which
   records the faulting op first, builds it).  Each run loop in progress
   (a host call nested in a native) saved the frame and safepoint it
   interrupted on `Interpreter.suspended`.  Which registers of a
   frame stopped at op `i` hold references (`frame_map`): the locals whose
   declared type is a reference (a local always holds a value of its type),
   plus the operand-stack entries that live in their own stack register at
   that op (`Interpreter.live[i]`, recorded by the lowering) and whose type
   in the verifier's stack map at the op's pc is a reference.  Stack entries
   that the lowering left in a local's or a constant's register are covered
   by the locals, or are constants (interned, permanent).  An op that is not
   a safepoint can only reach the collector by throwing (building the error
   allocates); its frame's stack is dead then, so only its locals count.
2. Module globals: the words of each module's permanent globals block
   (`RtModule.globals_ref`) whose declared type is a reference.
3. Objects under construction: `Heap.temps`, where the VM's own Python code
   (natives, conversions, `Errors.make`) keeps a reference across an
   allocation.
4. Fields of permanent class instances (the preallocated errors: HL code
   may store into their fields).
5. Host handles: the VM's `HandleTable` (`VM.handles`).
6. Frames of compiled code: the `ShadowStack`s registered here.  Compiled
   code spills every reference it holds across a call or an allocation into
   its shadow stack (slot values are references or 0) and reloads them
   after: the collector updates them in place.

Weak tables (not roots; an entry whose key dies is dropped, a moved key is
renamed): `Interpreter.traces` and `Interpreter.causes`, keyed by thrown
error objects.

Not roots because they never move and are never freed: permanent blocks —
interned strings (`Heap.interned`, `Strings`, `RtClass.name_ref`, string
constants in frame templates and op closures) and preallocated errors.

This module finds roots; it does not trace, copy or free anything.
"""

from __future__ import annotations

from array import array

from ..layout import FIRST_CLASS_ID, field_offset


def is_ref(t: str) -> bool:
    """Whether a type (descriptor or verifier type) is a reference that may
    be non-null: strings, arrays, classes and interfaces, "R", function
    values ("(..)T"), uninitialised objects ("!")."""
    return t[:1] in _REF_FIRST


_REF_FIRST = frozenset("S[LR(!")
HALT = 0        # the return op of a host-call sentinel frame (interp.HALT)


class RootsError(Exception):
    """The collector cannot type a frame (a VM bug, never an HL error)."""


class ShadowStack:
    """A rooted area for the references of compiled frames.

    Compiled code reserves `n` slots on entry (`push(n)` → base index),
    stores every reference it must keep across a call or allocation in
    `slots[base + i]`, reloads them after (the collector may have moved
    the objects), and releases them on exit (`pop(base)`).  Slots hold a
    reference or 0.  `address` is the slots' native address for machine
    code; the buffer never moves (its capacity is fixed)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.slots = array("q", bytes(8 * capacity))
        self.sp = 0

    @property
    def address(self) -> int:
        return self.slots.buffer_info()[0]

    def push(self, n: int) -> int:
        base = self.sp
        if base + n > len(self.slots):
            raise MemoryError("shadow stack overflow")
        self.sp = base + n
        return base

    def pop(self, base: int) -> None:
        self.slots[base:self.sp] = array("q", bytes(8 * (self.sp - base)))
        self.sp = base


class RootSet:
    """The values of every root of one collection, and where they go back."""
    __slots__ = ("values", "places", "handles")

    def __init__(self) -> None:
        self.values = array("q")
        self.places: list = []        # (container, keys, start in values)
        self.handles = None           # the HandleTable, relocated after the trace

    def add(self, container, keys) -> None:
        if keys:
            self.places.append((container, keys, len(self.values)))
            self.values.extend([container[k] for k in keys])


class Roots:
    def __init__(self, vm) -> None:
        self.vm = vm
        self.interp = vm.interp
        self.heap = vm.heap
        self.shadow_stacks: list[ShadowStack] = []
        self._maps: dict[int, tuple] = {}            # op index → registers holding references
        self._local_maps: dict[int, tuple] = {}      # fid → ref locals
        self._globals: tuple = ()
        self._nglobals = -1

    # --- the root owners ----------------------------------------------------------
    def gather(self) -> RootSet:
        rs = RootSet()
        self._frames(rs)
        rs.add(self.heap.W, self._global_words())
        temps = self.heap.temps
        rs.add(temps, range(len(temps)))
        self._permanent_instances(rs)
        handles = getattr(self.vm, "handles", None)
        if handles is not None and len(handles):
            rs.handles = handles
            rs.values.extend(handles.refs())
        for s in self.shadow_stacks:
            rs.add(s.slots, range(s.sp))
        return rs

    def update(self, rs: RootSet, forward) -> None:
        """Write the collected values back; `forward(old)` gives the new
        address of a live block (for owners that are not written back)."""
        vals = rs.values
        for container, keys, start in rs.places:
            i = start
            for k in keys:
                container[k] = vals[i]
                i += 1
        if rs.handles is not None:
            rs.handles.relocate(forward)

    def sweep_weak(self, survivor) -> None:
        """Drop or rename the entries of the weak tables; `survivor(old)` is
        the new address of a live block, or 0 for a dead one."""
        interp = self.interp
        for table in (interp.traces, getattr(interp, "causes", None)):
            if not table:
                continue
            kept = {}
            for ref, v in table.items():
                n = survivor(ref)
                if n:
                    kept[n] = v
            table.clear()
            table.update(kept)

    # --- 1. frames ---------------------------------------------------------------------
    def _frames(self, rs: RootSet) -> None:
        interp = self.interp
        suspended = interp.suspended
        if interp.frames and not suspended:
            raise RootsError("interpreter frames exist but no run loop is in progress")
        frame_map = self.frame_map
        if suspended:
            # The innermost loop runs ctx.R at ctx.pc; each outer loop was
            # interrupted (in a native) at the safepoint its inner one saved.
            # The outermost entry is the host's, holding no frame.
            rs.add(interp.ctx.R, frame_map(interp.ctx.pc))
            for R, pc in suspended[1:]:
                rs.add(R, frame_map(pc))
        for R, ret, _d in interp.frames:
            if ret != HALT:
                rs.add(R, frame_map(ret - 1))

    def frame_map(self, op: int) -> tuple:
        """Registers holding references in a frame stopped at op `op`."""
        m = self._maps.get(op)
        if m is None:
            m = self._maps[op] = self._make_frame_map(op)
        return m

    def _make_frame_map(self, op: int) -> tuple:
        interp = self.interp
        fn, origin = interp.meta[op]
        locs = self._local_maps.get(fn.fid)
        if locs is None:
            locs = self._local_maps[fn.fid] = tuple(
                i for i, t in enumerate(fn.desc.locals) if is_ref(t))
        live = interp.live[op]
        if not live:
            return locs
        sm = fn.stack_maps.get(origin)
        if sm is None:
            raise RootsError(f"no stack map for {fn.display} at pc {origin}")
        types = sm.stack
        if max(k for k, _r in live) >= len(types):
            raise RootsError(f"stack map of {fn.display} at pc {origin} has {len(types)} entries; "
                             f"the lowering has more")
        regs = set(locs)
        regs.update(r for k, r in live if is_ref(types[k]))
        return tuple(sorted(regs))

    # --- 2. globals ----------------------------------------------------------------------
    def _global_words(self) -> tuple:
        modules = self.vm.modules
        if len(modules) != self._nglobals:
            words = []
            for m in modules.values():
                for slot, t in m.globals.values():
                    if m.globals_ref and is_ref(t):
                        words.append(m.globals_ref + field_offset(slot))
            self._globals = tuple(sorted(words))
            self._nglobals = len(modules)
        return self._globals

    # --- 4. permanent instances --------------------------------------------------------
    def _permanent_instances(self, rs: RootSet) -> None:
        W = self.heap.W
        CLS = self.interp.CLS
        for obj in self.heap.perm_objects:
            tid = W[obj]
            if tid >= FIRST_CLASS_ID and CLS[tid] is not None:
                offs = [obj + field_offset(s) for s, t in enumerate(CLS[tid].field_types) if is_ref(t)]
                rs.add(W, offs)
