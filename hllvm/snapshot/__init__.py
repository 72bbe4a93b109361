"""Suspend and resume (docs/snapshots.md): one VM's side of it.

`Snapshots` (a VM's `vm.snapshots`) takes requests — from the host thread,
another thread or a signal handler (`request`), or after a count of
events (`after`) — and serves them in the thread running HL code, at the
next poll whose frames it can describe (`suspend_here`, called by the run
loop; compiled frames are handed back to the interpreter first, see
hllvm/jit/tier.py).  A request either lets the program go on
("continue": a checkpoint) or stops the call with `Suspended`.  With no
call running, `capture_idle` describes the VM at once.

The bytes are capture.py's, their checking and the rebuilt state
restore.py's, the container format.py's.  This module decides when, and
runs what a restored VM holds (`run_restored`).
"""

from __future__ import annotations

import threading
import time

from ..errors import SnapshotError, Suspended
from .tasks import TASK_CALL, TASK_IDLE, TASK_INIT, TASK_MAIN

# capture.py and restore.py (and hashlib, hlbc's writer) are imported when a
# snapshot is first made or read: a run that never suspends does not pay for them.

CONTINUE, STOP = "continue", "stop"


class Request:
    """One requested suspension; `done` is set once it was served (`data`:
    the snapshot, or `error`: why none could be made)."""

    def __init__(self, mode: str, deliver=None, handles: dict | None = None) -> None:
        if mode not in (CONTINUE, STOP):
            raise ValueError(f"mode must be {CONTINUE!r} or {STOP!r}, not {mode!r}")
        self.mode = mode
        self.deliver = deliver            # callable(bytes), run in the VM's thread (a file writer)
        self.handles = handles
        self.done = threading.Event()
        self.taken_at: float | None = None    # time.monotonic() when the VM stopped to serve it
        self.data: bytes | None = None
        self.error: BaseException | None = None


class Snapshots:
    def __init__(self, vm) -> None:
        self.vm = vm
        self.restored = None                     # restore.Restored: state of a restore not yet run
        self._waiting = None                     # its references, a collector root until it runs
        self._by_op: dict = {}                   # fid → `_starts` of that function
        self._stop_pcs: dict = {}                # fid → `_stops` of that function
        self._forward: dict = {}                 # fid → `_jumps` of that function

    # --- requests ----------------------------------------------------------------------
    def request(self, req: Request) -> None:
        """Serve `req` at the running call's next describable poll (safe
        from any thread and from a signal handler: one attribute write)."""
        self.vm.control.suspend = req

    def after(self, events: int, req: Request) -> None:
        """Serve `req` once `events` more calls and back-edges have run."""
        self.vm.control.suspend_after(events, req)

    def cancel(self) -> None:
        c = self.vm.control
        c.suspend = None
        if c.trigger is not None:
            rest, c.trigger = c.trigger, None
            c.fuel = None if rest < 0 else rest + (c.fuel or 0)

    # --- serving, in the VM's thread ----------------------------------------------------
    def suspend_here(self, at: int, base: int) -> int:
        """The run loop got SuspendHere: the running frame stopped before op
        `at`.  Capture and serve the request; returns the op to go on at, or
        raises Suspended."""
        vm = self.vm
        interp = vm.interp
        control = vm.control
        req = control.suspend
        point = self._point(at, base) if req is not None else None
        if point is None:
            interp.skip_suspend = True       # not describable here: at the next poll
            return at
        control.suspend = None
        try:
            vm.out.flush()
            vm.err_out.flush()
            from .capture import capture
            req.taken_at = time.monotonic()     # the program stops here (a migration's downtime starts)
            data = capture(vm, point, req.handles)
            if req.deliver is not None:
                req.deliver(data)
        except BaseException as e:   # noqa: BLE001 - the requester learns why; the program goes on
            req.error = e
            req.done.set()
            if req.mode == STOP:
                raise
            return at
        req.data = data
        req.done.set()
        if req.mode == STOP:
            raise Suspended(data)
        return at

    def _point(self, at: int, base: int):
        from .capture import Point, frame_of
        interp = self.vm.interp
        if base != 0 or len(interp.suspended) != 1:
            return None
        meta = interp.meta
        frames = []
        for R, ret, _rd in interp.frames[base + 1:]:
            fn, origin = meta[ret - 1]
            site = fn.sites.get(origin) if fn is not None else None
            if site is None or site[1] < 0 or fn.entry + site[1] != ret - 1:
                return None
            f = frame_of(fn, origin, True, R, popped=len(site[2].src))
            if f is None:
                return None
            frames.append(f)
        fn, _origin = meta[at]
        if fn is None:
            return None
        # The instructions that begin at this op: those before the op's own
        # made no op (pushes of locals and constants held in registers, a
        # branch fused into the compare before it), so the frame stopped
        # before each of them; the first where a snapshot may stop
        # (lower.snapshot_stop: the same pcs whatever the tier, and sites
        # every VM records) and that the stack map can type is its
        # description (a loop's first instruction: an empty stack).
        stops = self._stops(fn)
        for pc in self._starts(fn).get(at - fn.entry, ()):
            f = frame_of(fn, pc, False, interp.ctx.R) if pc in stops else None
            if f is not None:
                break
        else:
            return None
        # Before a forward JMP with an empty stack is before its target: the
        # interpreter's ops jump straight there (the linker threads them),
        # compiled code hands back before the JMP — one description for both.
        jumps = self._jumps(fn)
        while not f[4] and f[1] in jumps:
            f = frame_of(fn, jumps[f[1]], False, interp.ctx.R)
            if f is None:
                return None
        frames.append(f)
        kind, module, function = interp.task
        return Point(frames, kind, module, function)

    def _jumps(self, fn) -> dict:
        """pc → target of `fn`'s forward JMPs (made once per function)."""
        got = self._forward.get(fn.fid)
        if got is None:
            from hlbc.code import decode
            got = self._forward[fn.fid] = {i.pc: i.args[0] for i in decode(fn.desc.code)
                                           if i.op.name == "JMP" and i.args[0] > i.pc}
        return got

    def _stops(self, fn):
        """The pcs of `fn` a frame may be described at: the sites of a VM
        without a JIT (it records those only), computed alike with one."""
        got = self._stop_pcs.get(fn.fid)
        if got is None:
            from ..lower import stop_pcs
            got = self._stop_pcs[fn.fid] = fn.sites.keys() if fn.facts is None else stop_pcs(fn.facts)
        return got

    def _starts(self, fn) -> dict:
        """Op offset in `fn` → the pcs of the instructions that begin there,
        in order (made once per function, when first needed)."""
        m = self._by_op.get(fn.fid)
        if m is None:
            m = {}
            for pc in sorted(fn.pcmap):
                m.setdefault(fn.pcmap[pc], []).append(pc)
            self._by_op[fn.fid] = m
        return m

    def capture_idle(self, handles: dict | None = None) -> bytes:
        """The snapshot of a VM with no call running (its modules, globals,
        heap and named handles)."""
        vm = self.vm
        if vm.interp.frames:
            raise SnapshotError("a call is running: ask for a suspension instead")
        from .capture import Point, capture
        entry = vm.interp.task[1] if vm.interp.task[0] in (TASK_MAIN, TASK_INIT) else ""
        return capture(vm, Point([], TASK_IDLE, entry, ""), handles)

    # --- restoring ----------------------------------------------------------------------
    def restore(self, data):
        from .restore import restore
        r = restore(self.vm, data)
        self.restored = r if r.task != TASK_IDLE else None
        if self.restored is not None:
            self._waiting = _Waiting(self._reference_cells(r))
            self.vm.collector.roots.shadow_stacks.append(self._waiting)
        return r

    def _reference_cells(self, r) -> list:
        """(registers, index) of every reference the restored frames hold:
        what the collector would read of them if they were running — a
        caller stopped at its call op, the innermost frame at the op it
        goes on at, with the stack entries of the instructions that begin
        there."""
        from ..collector.roots import is_ref
        frame_map = self.vm.collector.roots.frame_map
        cells = []
        for R, ret, _rd in r.callers:
            cells += [(R, i) for i in frame_map(ret - 1)]
        R = r.registers
        regs = set(frame_map(r.pc))
        fn = self.vm.interp.meta[r.pc][0]
        stack = range(fn.nlocals, fn.nlocals + fn.max_depth)
        for pc in self._starts(fn).get(r.pc - fn.entry, ()):
            site, sm = fn.sites.get(pc), fn.stack_maps.get(pc)
            if site is not None and sm is not None and len(sm.stack) == len(site[0]):
                regs.update(reg for reg, t in zip(site[0], sm.stack) if reg in stack and is_ref(t))
        return cells + [(R, i) for i in sorted(regs)]

    def run_restored(self):
        """Run the restored call to its end: its HL result (None if it
        returns nothing).  The host task says what it was."""
        r = self.restored
        if r is None:
            raise RuntimeError("no suspended call to go on with (the snapshot was taken idle, "
                               "or it has run)")
        self.restored = None
        vm = self.vm
        interp = vm.interp
        # From here the interpreter's frames hold them (the collector's roots).
        vm.collector.roots.shadow_stacks.remove(self._waiting)
        self._waiting = None
        from ..embed import invoke

        def work(_args):
            interp.task = (r.task, r.task_module, r.task_function)
            return interp.resume(r.callers, r.registers, r.pc)
        later = vm._uninitialised             # the initialisers after the one running go after it
        vm._uninitialised = False
        try:
            return invoke(vm, work, ())
        finally:
            vm._uninitialised = vm._uninitialised or later


class _Waiting:
    """The references of restored frames that have not run yet, as the
    collector sees a shadow stack (hllvm/collector/roots.py, owner 6): slot
    `k` (below `sp`) of `slots`, read and updated in place.  A collection
    between `VM.restore` and `resume_run` (the host's `collect()`, or any
    allocation of the host's) moves what they reference like any root."""

    def __init__(self, cells: list) -> None:
        self.cells = cells
        self.sp = len(cells)

    @property
    def slots(self):
        return self

    def __getitem__(self, k: int):
        R, i = self.cells[k]
        return R[i]

    def __setitem__(self, k: int, v) -> None:
        R, i = self.cells[k]
        R[i] = v


__all__ = ["Snapshots", "Request", "CONTINUE", "STOP", "TASK_IDLE", "TASK_INIT", "TASK_MAIN",
           "TASK_CALL"]
