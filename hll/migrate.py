"""Live migration, the source's side (docs/migration.md): `hll run ...
--migrate-to HOST:PORT` and `hll resume ... --migrate-to` move the running
program to an `hll serve` (hll/migrate_serve.py) and exit once it runs there.

    --migrate-to HOST:PORT         where to
    --migrate-after SECONDS        when: that long after the run starts,
    --migrate-on SIGNAL            and/or when SIGNAL arrives
    --migrate-precopy-rounds N     at most N rounds while the program runs
                                   (0: stop-and-copy)

Pre-copy, as Xen does it: on the trigger a `Migration`'s own thread
connects, then asks the VM for a snapshot in continue mode (the program
stops only while the snapshot is captured, in its own thread, and goes on
at once), sends it, and asks again, sending each time only the delta
against the previous round (hll/migrate_delta.py) — until a round is small
(at most 1/64 of the snapshot, or 512 KiB), stops shrinking, took less
time to send than a capture stops the program (another round would cost
the program more than it could save: over a fast link one round is
enough), or N rounds were sent.  Then it asks for a snapshot in stop
mode: the program ends with `Suspended` at its next safe point, after its
output was flushed, and the last delta goes.  The target restores it and
says RESTORED; only then does the source say GO and leave the run to it
(status 0, one line on standard error: where, the downtime, the bytes of
each round).  A run that cannot
move — the target is unreachable, busy, or breaks the protocol before the
stop: the program just goes on here; it refuses the snapshot or fails
after the stop: the program is resumed here from the final snapshot — is
never lost, and, since the target runs only after GO, never run twice.

This module owns the triggers, the rounds and the decision; the snapshots
are hllvm's, the delta migrate_delta's, the frames migrate_wire's.
"""

from __future__ import annotations

import os
import threading
import time

from hllvm import SnapshotError, Suspended, signals
from hllvm.snapshot import CONTINUE, STOP, Request

from . import migrate_wire as wire
from .migrate_delta import diff
from .options import parse_address

DEFAULT_ROUNDS = 5
SMALL_BYTES = 512 << 10          # a round this small (or 1/64 of the snapshot) ends pre-copy
SHRINK = 0.8                     # a round not below this share of the last one ends it too
PEER_TIMEOUT = 60.0              # how long the target may be silent (it restores at the end)
POLL = 0.05                      # how often the waiting thread looks again


def check_options(to, after, on, rounds, snapshot_on=()) -> str | None:
    """Why these migration options cannot be used together (a usage
    error), or None."""
    if to is None:
        if after is not None or on or rounds is not None:
            return "hll: --migrate-after, --migrate-on and --migrate-precopy-rounds need --migrate-to"
        return None
    if after is None and not on:
        return "hll: --migrate-to needs a trigger: --migrate-after SECONDS or --migrate-on SIGNAL"
    both = sorted(set(on) & set(snapshot_on))
    if both:
        return f"hll: {both[0]} cannot both write a snapshot (--snapshot-on) and migrate (--migrate-on)"
    return None


class Outcome:
    """How a migration ended: `moved` (the target runs the program), or
    not with `reason`; the numbers measured on the way."""

    def __init__(self) -> None:
        self.moved = False
        self.reason = ""
        self.rounds: list[int] = []      # bytes sent in each pre-copy round
        self.pauses: list[float] = []    # how long each pre-copy round stopped the program (s)
        self.final = 0                   # bytes of the final round
        self.snapshot = 0                # size of the final snapshot
        self.capture = 0.0               # stopped → final snapshot made (s)
        self.send = 0.0                  # → final delta sent
        self.restore = 0.0               # the target's restore (s)
        self.downtime: float | None = None
        self.confirmed = False           # the target said RUNNING

    def line(self, where: str) -> str:
        rounds = ", ".join(_size(n) for n in self.rounds) if self.rounds else "none"
        sent = sum(self.rounds) + self.final
        clock = "" if self.confirmed else " (not confirmed by the target)"
        return (f"hll: migrated to {where}: downtime {1000 * self.downtime:.0f} ms{clock} "
                f"(capture {1000 * self.capture:.0f}, send {1000 * self.send:.0f}, "
                f"restore {1000 * self.restore:.0f} ms); {_size(sent)} sent (pre-copy rounds: {rounds}; "
                f"final: {_size(self.final)}) of a {_size(self.snapshot)} snapshot; "
                f"the rounds paused the program {1000 * sum(self.pauses):.0f} ms")


def _size(n: int) -> str:
    return f"{n / (1 << 20):.2f} MiB" if n >= 1 << 20 else f"{n / 1024:.1f} KiB"


class Migration:
    """The migration of the program `vm` runs, to `address`."""

    def __init__(self, vm, address: str, after: float | None = None, on: tuple[str, ...] = (),
                 rounds: int | None = None, timeout: float = PEER_TIMEOUT, what: str = "",
                 log=None) -> None:
        self.vm = vm
        self.address = address
        self.host, self.port = parse_address(address)
        self.after = after
        self.on = on
        self.rounds = DEFAULT_ROUNDS if rounds is None else rounds
        self.timeout = timeout
        self.what = what
        self.log = log or (lambda line: None)
        self.outcome = Outcome()
        self._fired = False
        self._ended = threading.Event()      # the run is over (here): give up
        self._done = threading.Event()       # the thread is finished
        self._final = None                   # the stop request, once made
        self._channel: wire.Channel | None = None
        self._thread: threading.Thread | None = None
        self._previous: dict = {}

    # --- around the run ---------------------------------------------------------------
    def run(self, go, make_vm):
        """`go()` (the run: its exit status) with the migration armed.  If
        the program moved: 0.  If it stopped for the migration but could not
        move: it is resumed in `make_vm()` and that run's status is given."""
        self.install()
        try:
            return go()
        except Suspended as e:
            final = self._final
            if final is None or e.snapshot is not final.data:
                raise                              # another snapshot's stop (hll/snapshots.py)
            return self._settle(e.snapshot, make_vm)
        finally:
            self.remove()

    def install(self) -> None:
        for name in self.on:
            signum = getattr(signals, name)
            self._previous[signum] = signals.signal(signum, self._on_signal)
        self._thread = threading.Thread(target=self._work, name="hll-migrate", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        self._ended.set()
        for signum, previous in self._previous.items():
            signals.signal(signum, previous)
        self._previous.clear()
        ch = self._channel
        if ch is not None and not self._done.is_set():
            ch.close()                             # a round being sent ends now
            self.log(f"hll: the program ended before it could move to {self.address}")
        if self._thread is not None:
            self._thread.join(1.0)                 # (a connect still under way is left to its timeout)

    def _on_signal(self, signum, frame) -> None:
        self._fired = True                         # (one write: safe in a handler)

    def _settle(self, data: bytes, make_vm):
        self._done.wait()
        out = self.outcome
        if out.moved:
            self.log(out.line(self.address))
            return 0
        self.log(f"hll: could not migrate to {self.address}: {out.reason}; the program goes on here")
        vm = make_vm()
        try:
            vm.restore(data)
        except SnapshotError as e:                 # (its own snapshot: a VM bug)
            self.log(f"hll: cannot resume the program here either: {e}")
            return 3
        return vm.resume_run()

    # --- the migration's own thread ---------------------------------------------------
    def _work(self) -> None:
        try:
            if self._triggered():
                self._migrate()
        except Exception as e:   # noqa: BLE001 - whatever failed, the program stays (or resumes) here
            if isinstance(e, (OSError, wire.ProtocolError, SnapshotError)):
                reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e) or type(e).__name__
            else:
                reason = f"internal error: {type(e).__name__}: {e}"
            self.outcome.reason = reason
            if self._final is None and not self._ended.is_set():
                self.log(f"hll: could not migrate to {self.address}: {reason}; the program goes on here")
        finally:
            if self._channel is not None:
                self._channel.close()
            self._done.set()

    def _triggered(self) -> bool:
        """Wait for a trigger; False if the run ended first."""
        deadline = None if self.after is None else time.monotonic() + self.after
        while not self._ended.wait(POLL):
            if self._fired or (deadline is not None and time.monotonic() >= deadline):
                return True
        return False

    def _migrate(self) -> None:
        out = self.outcome
        ch = self._channel = wire.Channel.connect(self.host, self.port, self.timeout)
        ch.send(wire.HELLO, wire.hello(self.what or f"a program from process {os.getpid()}"))
        _, p = ch.recv({wire.READY})
        peer_boot, _ = wire.read_text(p)
        same_clock = bool(peer_boot) and peer_boot == wire.boot_id()
        old = b""
        for r in range(self.rounds):
            got = self._snapshot(stop=False)
            if got is None:
                return
            data, taken, done = got
            out.pauses.append(done - taken)
            n = self._send(ch, r, False, old, data, 0.0)
            ch.recv({wire.ACK})
            out.rounds.append(n)
            old = data
            if self._enough(out.rounds, len(data), time.monotonic() - done, done - taken):
                break
        got = self._snapshot(stop=True)
        if got is None:
            return
        data, stop, captured = got
        out.capture = captured - stop
        out.snapshot = len(data)
        out.final = self._send(ch, len(out.rounds), True, old, data, stop)
        out.send = time.monotonic() - captured
        kind, p = ch.recv({wire.RESTORED, wire.REFUSED})
        if kind == wire.REFUSED:
            raise wire.ProtocolError("the target refused the snapshot: " + wire.read_text(p)[0])
        out.restore = wire.read_f64(p)
        ch.send(wire.GO)
        out.moved = True                           # committed: the target runs it from here on
        try:
            _, p = ch.recv({wire.RUNNING})
            running = wire.read_f64(p)
            out.confirmed = True
        except (OSError, wire.ProtocolError):
            running = None
        out.downtime = (running - stop) if running is not None and same_clock else time.monotonic() - stop

    @staticmethod
    def _enough(rounds: list[int], size: int, took: float, pause: float) -> bool:
        """Whether pre-copy stops after a round that sent `rounds[-1]` bytes
        of a `size`-byte snapshot in `took` seconds (the delta made, sent
        and acknowledged), its capture having stopped the program `pause`
        seconds: when the round was small, did not shrink, or took less
        time than a capture (another round would stop the program for
        longer than it could save on the final one)."""
        n = rounds[-1]
        return (n <= max(SMALL_BYTES, size >> 6) or (len(rounds) > 1 and n > SHRINK * rounds[-2])
                or took <= pause)

    def _snapshot(self, stop: bool):
        """(snapshot, the moment the VM stopped to make it, the moment it
        was made) of the running program, after which it goes on, or with
        `stop` ends with Suspended; None if the run ended first."""
        vm = self.vm
        while vm.control.suspend is not None:      # another request (a checkpoint) is served first
            if self._ended.wait(POLL):
                return None
        asked = time.monotonic()
        req = Request(STOP if stop else CONTINUE)
        if stop:
            self._final = req
        vm.snapshots.request(req)
        while not req.done.wait(POLL):
            if self._ended.is_set():
                return None
        if req.error is not None:
            raise SnapshotError(f"the snapshot could not be made: {req.error}")
        return req.data, asked if req.taken_at is None else req.taken_at, time.monotonic()

    def _send(self, ch, r: int, final: bool, old: bytes, data: bytes, stop: float) -> int:
        parts, _carried = diff(old, data)
        before = ch.sent
        ch.send(wire.ROUND, wire.ROUND_HEAD.pack(r, 1 if final else 0, len(data), stop), *parts)
        return ch.sent - before


__all__ = ["Migration", "Outcome", "check_options", "DEFAULT_ROUNDS"]
