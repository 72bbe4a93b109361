"""An instrumented in-process run of a subject: how many events it runs, and
the event counts worth stopping it at.

Events are what fuel counts (HL calls plus loop back-edges), so `hll run
--snapshot-after N` stops a program at the same place in every tier.  The
probe runs the program once in the interpreter with a fuel limit it cannot
reach, and makes run control's poll (`RunControl.grant`) come at every
event — or every few events in a long run — and look at the VM there.  At
a poll, the events run so far are exactly the N for which `--snapshot-after
N` stops the program at this poll (the event that polled is not yet
charged), so what the poll sees is what such a snapshot holds:

    finally    the running frame is in a `finally` block (from its
               catch-all handler to the dispatch on why it ran)
    try        the running frame is in the range a `finally` protects
    deep       the deepest call stack of the run
    gc         the first poll after a collection
    init       a module initialiser is running (main has not begun)

It also records how much of standard input the program had read at each
read: a snapshot holds no input stream (the resumed program reads the new
process's), so a resumed run is given what was still unread (`unread`).

It uses the VM's internals (the interpreter's frames, its run loop's
current op); it changes nothing the program can see.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass, field

from hllvm.snapshot.tasks import TASK_INIT

from .subjects import ENV_SET, ENV_UNSET, Subject, Workspace

# Polls observed at every event up to this many events, then every
# `1 + events // STRIDE_EVERY` events (a long run is sampled).
STRIDE_EVERY = 200_000
SPECIALS = ("finally", "try", "deep", "gc", "init")


@dataclass
class Probe:
    events: int = 0                    # events of the whole run (its fuel use)
    status: int = 0
    stdout: str = ""
    stderr: str = ""
    specials: dict = field(default_factory=dict)   # kind → event count
    reads: list = field(default_factory=list)      # (events, characters of stdin read by then)
    max_depth: int = 0
    collections: int = 0

    def comparable(self, n: int) -> bool:
        """Whether a stop after `n` events can be compared with the run
        uninterrupted (there is an event after it)."""
        return 0 < n < self.events

    def unread(self, n: int, stdin: str) -> str:
        """What of `stdin` the program had not read when stopped after `n`
        events (a read at the poll count n came before that stop)."""
        done = 0
        for k, pos in self.reads:
            if k > n:
                break
            done = pos
        return stdin[done:]

    def points(self, fractions: int, specials: bool = True) -> list[tuple[str, int]]:
        """(why, event count) of the points to stop at: `fractions` evenly
        spread over the run, then the special ones; comparable and distinct."""
        out: dict[int, str] = {}          # event count → why ("2/4+finally": both)
        cands = [(f"{i}/{fractions + 1}", self.events * i // (fractions + 1)) for i in range(1, fractions + 1)]
        if specials:
            cands += [(k, self.specials[k]) for k in SPECIALS if k in self.specials]
        for why, n in cands:
            if self.comparable(n):
                out[n] = f"{out[n]}+{why}" if n in out and why not in out[n].split("+") else out.get(n, why)
        return [(why, n) for n, why in out.items()]


class _Stdin(io.StringIO):
    """Standard input that tells the probe when it is read."""

    def __init__(self, text: str, watch) -> None:
        super().__init__(text)
        self.watch = watch
        self.read_chars = 0

    def readline(self, size=-1):
        line = super().readline(size)
        self.read_chars += len(line)          # (characters: tell() counts something else)
        self.watch.probe.reads.append((self.watch.events(), self.read_chars))
        return line


class _Watch:
    def __init__(self, vm, start: int, probe: Probe, entry: str) -> None:
        from hllvm.interp import Interpreter
        self.vm = vm
        self.interp = vm.interp
        self.control = vm.control
        self.start = start
        self.probe = probe
        self.entry = entry
        self.loop_code = Interpreter._loop.__code__
        self.grant_real = vm.control.grant
        self.last_gc = 0
        self.finally_pcs: dict = {}          # fid → (pcs in finally blocks, pcs a finally protects)

    def events(self) -> int:
        return self.start - self.control.fuel

    def grant(self, interval: int = 0) -> int:
        k = self.events()
        self.observe(k)
        return self.grant_real(1 + k // STRIDE_EVERY)

    def observe(self, k: int) -> None:
        p = self.probe
        sp = p.specials
        interp = self.interp
        depth = len(interp.frames)
        if depth > p.max_depth and k:
            p.max_depth = depth
            sp["deep"] = k
        n = self.vm.collector.stats.count
        if n != self.last_gc:
            self.last_gc = n
            p.collections = n
            sp.setdefault("gc", k)
        if k and "init" not in sp and interp.task[0] == TASK_INIT:
            sp["init"] = k
        if k == 0 or "finally" in sp:
            return
        pc = self._current_op()
        if pc is None:
            return
        fn, origin = interp.meta[pc]
        if fn is None:
            return
        if fn.handlers:
            body, guarded = self._finally_pcs(fn)
            if origin in body:
                sp.setdefault("finally", k)
            elif origin in guarded:
                sp.setdefault("try", k)

    def _current_op(self):
        """The op the interpreter's run loop is running (its `pc`)."""
        f = sys._getframe(3)
        code = self.loop_code
        while f is not None:
            if f.f_code is code:
                return f.f_locals.get("pc")
            f = f.f_back
        return None

    def _finally_pcs(self, fn):
        got = self.finally_pcs.get(fn.fid)
        if got is None:
            got = self.finally_pcs[fn.fid] = finally_pcs(fn.desc)
        return got


def finally_pcs(desc) -> tuple[frozenset, frozenset]:
    """The pcs of `desc`'s code inside its `finally` blocks, and those in
    the ranges a `finally` protects.  A `finally` is compiled as a catch-all
    handler `STORE exc; ICONST why; STORE reason`, the block, then a
    dispatch that reads `reason` (or rethrows `exc`) — compiler/codegen.py."""
    from hlbc.code import decode
    from hlbc.model import NO_INDEX
    ins = decode(desc.code)
    at = {i.pc: k for k, i in enumerate(ins)}
    body, guarded = set(), set()
    for h in desc.handlers:
        k = at.get(h.handler)
        if h.klass != NO_INDEX or k is None or k + 3 > len(ins):
            continue
        a, b, c = ins[k:k + 3]
        if (a.op.name, b.op.name, c.op.name) != ("STORE", "ICONST", "STORE"):
            continue
        exc, reason = a.args[0], c.args[0]
        j = k + 3
        while j < len(ins):
            i = ins[j]
            if i.op.name == "LOAD" and (i.args[0] == reason or
                                        (i.args[0] == exc and j + 1 < len(ins) and ins[j + 1].op.name == "THROW")):
                break
            body.add(i.pc)
            j += 1
        guarded.update(i.pc for i in ins if h.start <= i.pc < h.end)
    return frozenset(body), frozenset(guarded - body)


class InProcess:
    """A subject's program run in this process: its modules (compiled
    once) and VMs made as `hll run` makes them."""

    def __init__(self, s: Subject, ws: Workspace) -> None:
        from hl import program as P
        self.s, self.ws = s, ws
        path = ws.program(s)
        if path.suffix == ".hlc":
            self.modules, self.entry = P.load_bytecode_program(path)
        else:
            self.modules, self.entry = P.load_source_program(path)

    def vm(self, jit: str = "off", fuel: int | None = None, stdin: str | None = None):
        """A VM with the program loaded (its folder granted afresh), its
        output captured (`vm.out_text`, `vm.err_text`), and the
        arguments of its main (`vm.main_args`)."""
        from hllvm import VM
        s = self.s
        if s.allow_env:                   # what every run's environment holds (subjects.environment)
            os.environ[ENV_SET] = "hl"
            os.environ.pop(ENV_UNSET, None)
        folder = self.ws.granted(s)
        grants = [folder] if folder is not None else []
        sizes = {"max_heap": s.max_heap} if s.max_heap is not None else {}
        out, err = io.StringIO(), io.StringIO()
        vm = VM(stdout=out, stderr=err, stdin=s.stdin if stdin is None else stdin, jit=jit,
                fuel=s.fuel if fuel is None else fuel, gc_stress=s.gc_stress, **sizes,
                allow_read=grants if s.allow_read else [], allow_write=grants if s.allow_write else [],
                allow_env=[ENV_SET, ENV_UNSET] if s.allow_env else [])
        vm.load(self.modules)
        vm.out_text, vm.err_text = out, err
        vm.main_args = self.ws.args(s, folder)
        return vm

    def snapshot(self, jit: str, events: int) -> bytes | None:
        """The snapshot `--snapshot-after events` takes in tier `jit` (None:
        the program ended first)."""
        from hllvm import Suspended
        vm = self.vm(jit)
        vm.request_snapshot(lambda data: None, stop=True, after_events=events)
        try:
            vm.run_main(self.entry, vm.main_args)
        except Suspended as e:
            return e.snapshot
        return None


def probe(s: Subject, ws: Workspace, program: InProcess | None = None) -> Probe:
    """Run `s` once in this process, watching every poll (see the module
    docstring)."""
    from hllvm.arguments import MAX_FUEL
    program = program or InProcess(s, ws)
    p = Probe()
    start = s.fuel if s.fuel is not None else MAX_FUEL
    vm = program.vm("off", fuel=start)
    watch = _Watch(vm, start, p, program.entry)
    vm._stdin = _Stdin(s.stdin, watch)
    vm.control.grant = watch.grant
    try:
        p.status = vm.run_main(program.entry, vm.main_args)
    except SystemExit as e:          # (an exit() the VM does not turn into a status)
        p.status = e.code if isinstance(e.code, int) else 1
    p.events = start - (vm.fuel or 0)
    p.stdout, p.stderr = vm.out_text.getvalue(), vm.err_text.getvalue()
    return p


__all__ = ["Probe", "probe", "InProcess", "finally_pcs", "SPECIALS"]
