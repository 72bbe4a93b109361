"""Live migration, the target's side (docs/migration.md): `hll serve
--listen HOST:PORT` takes in running programs and runs them here.

For each connection: HELLO → READY (then a VM with this server's limits,
grants and tier is made, while the source makes its first snapshot, so
mapping its heap and starting its JIT are not part of the downtime), then the source's rounds, each a delta applied
to the previous one (hll/migrate_delta.py), ACKed, until the final one;
its snapshot is restored into the VM (`VM.restore`: every byte checked,
hllvm/snapshot/restore.py).  A snapshot it cannot restore is REFUSED with
the reason and the source keeps the program; otherwise RESTORED, and on
the source's GO the program runs here (RUNNING, with the time it
started), its output on this process's standard streams, its exit status
reported on standard error (`--once`: this process exits with it).

Everything received is untrusted: a round is at most what a snapshot for
this `--max-heap` can be, a peer silent for `--peer-timeout` (or slower
than 1 MiB/s inside a message) is dropped, and a malformed stream ends
that connection with one line on standard error (and an ERROR to the
peer) — never the server.  One program is taken in at a time; a
connection that arrives meanwhile is answered BUSY.

This module owns the server loop and the target's protocol; the wire
format is migrate_wire's, running the VM's.
"""

from __future__ import annotations

import queue
import socket
import threading
import time

from hllvm import SnapshotError

from . import migrate_wire as wire
from .migrate_delta import DeltaError, apply
from .options import parse_address
from .snapshots import snapshot_limit

WAIT = 0.2                       # how often the main thread looks for a new connection


class Server:
    """`make_vm()`: a new VM as the options say (OSError or MemoryError
    if its heap cannot be mapped).  `fuel`: the fuel a program gets here
    (None: what it had left)."""

    def __init__(self, listen: str, make_vm, max_heap: int, fuel: int | None = None,
                 peer_timeout: float = 60.0, once: bool = False, log=None) -> None:
        self.host, self.port = parse_address(listen, any_port=True)
        self.make_vm = make_vm
        self.limit = snapshot_limit(max_heap)
        self.fuel = fuel
        self.peer_timeout = peer_timeout
        self.once = once
        self.log = log or (lambda line: None)
        self._incoming: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._idle = True
        self._listener: socket.socket | None = None

    def serve(self) -> int | None:
        """Take in programs until interrupted; with `once`, the exit status
        of the first that ran here."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._listener = socket.create_server((self.host, self.port), family=family, backlog=16)
        port = self._listener.getsockname()[1]
        shown = f"[{self.host}]" if family == socket.AF_INET6 else self.host
        self.log(f"hll serve: listening on {shown}:{port}")
        threading.Thread(target=self._accept, name="hll-serve-accept", daemon=True).start()
        try:
            while True:
                try:
                    conn, peer = self._incoming.get(timeout=WAIT)
                except queue.Empty:
                    continue
                try:
                    status = self._take(conn, peer)
                finally:
                    self._free()
                if status is not None and self.once:
                    return status
        finally:
            self._listener.close()

    def _free(self) -> None:
        with self._lock:
            self._idle = True

    def _accept(self) -> None:
        while True:
            try:
                conn, addr = self._listener.accept()
            except OSError:
                return                                 # the listener was closed
            peer = f"{addr[0]}:{addr[1]}"
            with self._lock:
                idle, self._idle = self._idle, False
            if idle:
                self._incoming.put((conn, peer))
                continue
            ch = wire.Channel(conn, 1.0, peer)
            try:
                ch.send(wire.BUSY, wire.text("another program is being taken in or run here"))
            except OSError:
                pass
            ch.close()

    def _take(self, conn, peer: str) -> int | None:
        """Receive, restore and run one program: its exit status, or None
        if none came to run."""
        ch = wire.Channel(conn, self.peer_timeout, peer)
        vm = None
        try:
            vm, what = self._receive(ch)
        except (wire.ProtocolError, DeltaError) as e:
            ch.fail(str(e))
            self.log(f"hll serve: {peer}: {e}")
        except SnapshotError as e:
            self.log(f"hll serve: {peer}: refused the snapshot: {e}")
        except OSError as e:
            self.log(f"hll serve: {peer}: connection failed: {e.strerror or e}")
        except _NoVM as e:
            ch.fail(f"this server cannot make a VM: {e}")
            self.log(f"hll serve: {peer}: cannot make a VM: {e}")
        except MemoryError:
            ch.fail("this server has not enough memory for the snapshot")
            self.log(f"hll serve: {peer}: not enough memory for the snapshot")
        except Exception as e:   # noqa: BLE001 - a bug here ends this connection, not the server
            ch.fail("internal error")
            self.log(f"hll serve: {peer}: internal error: {type(e).__name__}: {e}")
        finally:
            if vm is None:
                self._free()                   # before the peer sees the end: it may come back at once
            ch.close()
        if vm is None:
            return None
        self.log(f"hll serve: running {what} from {peer}")
        status = vm.resume_run()
        status = status if isinstance(status, int) else 0
        self.log(f"hll serve: {what} from {peer} ended with status {status}")
        return status

    def _receive(self, ch):
        """The protocol up to RUNNING: the restored VM and what it holds."""
        _, p = ch.recv({wire.HELLO})
        _boot, what = wire.read_hello(p)
        what = what or "a program"
        ch.send(wire.READY, wire.text(wire.boot_id()))
        try:
            vm = self.make_vm()          # (while the source makes its first snapshot)
        except (OSError, MemoryError) as e:
            raise _NoVM(getattr(e, "strerror", None) or str(e) or "not enough memory") from None
        old = b""
        r = 0
        # A round's delta may carry some op bytes beside a whole snapshot.
        frame_limit = self.limit + (self.limit >> 3) + wire.ROUND_HEAD.size
        while True:
            _, p = ch.recv({wire.ROUND}, frame_limit)
            if len(p) < wire.ROUND_HEAD.size:
                raise wire.ProtocolError("a ROUND is cut short")
            number, final, size, _stop = wire.ROUND_HEAD.unpack_from(p)
            if number != r:
                raise wire.ProtocolError(f"round {number} came where round {r} was expected")
            if final > 1:
                raise wire.ProtocolError(f"round {number}: bad final flag {final}")
            if size > self.limit:
                raise wire.ProtocolError(f"round {number}: a snapshot of {size} bytes is larger than "
                                         f"this server's --max-heap allows ({self.limit})")
            try:
                old = apply(old, p[wire.ROUND_HEAD.size:], size)
            except DeltaError as e:
                raise wire.ProtocolError(f"round {number}: {e}") from None
            del p
            r += 1
            if final:
                break
            ch.send(wire.ACK, number.to_bytes(4, "little"))
        start = time.monotonic()
        try:
            vm.restore(old)
            if vm.suspended_task is None:
                raise SnapshotError("the snapshot holds no running program")
        except SnapshotError as e:
            ch.send(wire.REFUSED, wire.text(str(e)))
            raise
        del old
        if self.fuel is not None:
            vm.fuel = self.fuel
        ch.send(wire.RESTORED, wire.f64(time.monotonic() - start))
        ch.recv({wire.GO})
        try:
            ch.send(wire.RUNNING, wire.f64(time.monotonic()))
        except OSError:
            pass                          # (the source has committed: it runs here all the same)
        return vm, what


class _NoVM(Exception):
    """The VM for a program could not be made (its heap not mapped)."""


__all__ = ["Server"]
