"""The command line's side of snapshots (docs/snapshots.md): what makes
`hll run` write one, and `hll resume`.

    --snapshot-file F       where snapshots go (written whole, then renamed)
    --snapshot-on SIGNAL    SIGUSR1/SIGUSR2: write one and go on;
                            SIGTERM/SIGINT/SIGHUP: write one and stop (status 5)
    --checkpoint-every S    write one every S seconds and go on
    --snapshot-after N      write one after N calls plus loop back-edges and
                            stop (status 5): a point that is the same in every tier

A request is served by the VM at the running program's next safe point
(hllvm/snapshot/): within a poll interval, not inside a blocking read.
This module owns the triggers, the file writing and the status; the
snapshot itself is hllvm's.
"""

from __future__ import annotations

import os
import threading

from hllvm import signals

EXIT_SUSPENDED = 5
CONTINUE_SIGNALS = ("SIGUSR1", "SIGUSR2")
STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")
SIGNALS = CONTINUE_SIGNALS + STOP_SIGNALS


def write_file(path: str, data: bytes) -> None:
    """Write `data` to `path` whole: a reader sees the old file or the new
    one, never half of one."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class Triggers:
    """The snapshot triggers of one `hll run` or `hll resume`."""

    def __init__(self, vm, path: str | None, on: tuple[str, ...] = (), every: float | None = None,
                 after: int | None = None) -> None:
        self.vm = vm
        self.path = path
        self.on = on
        self.every = every
        self.after = after
        self.written = 0
        self.error: OSError | None = None
        self._previous: dict = {}
        self._timer: threading.Thread | None = None
        self._done = threading.Event()

    @property
    def wanted(self) -> bool:
        return bool(self.on or self.every or self.after is not None)

    def _write(self, data: bytes) -> None:
        try:
            write_file(self.path, data)
            self.written += 1
        except OSError as e:
            self.error = e
            raise

    def install(self) -> None:
        vm = self.vm
        if self.after is not None:
            vm.request_snapshot(self._write, stop=True, after_events=self.after)
        for name in self.on:
            signum = getattr(signals, name)
            stop = name in STOP_SIGNALS

            def handler(sig, frame, stop=stop, signum=signum):
                if vm.control.running:
                    vm.request_snapshot(self._write, stop=stop)
                else:
                    previous = self._previous.get(signum)
                    if callable(previous):
                        previous(sig, frame)
                    elif stop:
                        raise KeyboardInterrupt
            self._previous[signum] = signals.signal(signum, handler)
        if self.every:
            def tick():
                while not self._done.wait(self.every):
                    if vm.control.running and vm.control.suspend is None:
                        vm.request_snapshot(self._write)
            self._timer = threading.Thread(target=tick, name="hll-checkpoint", daemon=True)
            self._timer.start()

    def remove(self) -> None:
        self._done.set()
        for signum, previous in self._previous.items():
            signals.signal(signum, previous)
        self._previous.clear()


def snapshot_limit(max_heap: int) -> int:
    """The largest snapshot a VM with this heap limit could resume: twice
    the heap plus its modules (a file or a migration bigger than this is
    refused before it is read whole)."""
    return 2 * max_heap + (64 << 20)


def read_snapshot(path: str, max_heap: int) -> bytes:
    """A snapshot file's bytes, read with a bound that does not trust the
    size the OS reports (`snapshot_limit`; OSError otherwise, or as open
    and read give it)."""
    limit = snapshot_limit(max_heap)
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"larger than any snapshot a VM with this --max-heap could resume ({limit} bytes)")
    return data


__all__ = ["Triggers", "EXIT_SUSPENDED", "SIGNALS", "CONTINUE_SIGNALS", "STOP_SIGNALS", "write_file",
           "read_snapshot", "snapshot_limit"]
