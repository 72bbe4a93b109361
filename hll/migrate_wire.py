"""The live-migration protocol on the wire (docs/migration.md): frames,
message kinds, and reading them from a peer that is not trusted.

Every message is a frame: kind (u8), payload length (u64), payload; every
number is little-endian, a string a u32 byte count and UTF-8.

    source → target                          target → source
    HELLO   magic, version u16, boot id,     READY  boot id
            what is coming (a string)        BUSY   why (another program is here)
    ROUND   round u32, final u8,             ACK    round u32            (not final)
            snapshot size u64,               RESTORED restore time f64 (final)
            stop time f64, delta (the rest)  REFUSED  why              (final)
    GO      (empty)                          RUNNING  run time f64
                                             ERROR  why (the stream was malformed)

The boot id (Linux's /proc/sys/kernel/random/boot_id) says whether both
ends read the same monotonic clock: then the stop time of the source and
the run time of the target measure the downtime exactly.

`Channel.recv` accepts only the kinds the caller expects next, bounds every
payload before allocating it (control messages to 64 KiB, a round to the
receiver's limit), and ends a read that stalls: the header within the idle
timeout, the payload within that timeout plus its size at 1 MiB/s.
Anything else is a ProtocolError naming it.  What the messages mean is
hll/migrate.py's (source) and hll/migrate_serve.py's (target).
"""

from __future__ import annotations

import socket
import struct
import time

MAGIC = b"HLMIGRATE\n"
VERSION = 1

HELLO, ROUND, GO = 1, 2, 3
READY, BUSY, ACK, RESTORED, REFUSED, RUNNING, ERROR = 10, 11, 12, 13, 14, 15, 16
KINDS = {HELLO: "HELLO", ROUND: "ROUND", GO: "GO", READY: "READY", BUSY: "BUSY", ACK: "ACK",
         RESTORED: "RESTORED", REFUSED: "REFUSED", RUNNING: "RUNNING", ERROR: "ERROR"}

CONTROL_LIMIT = 64 << 10         # any message but a round
MIN_RATE = 1 << 20               # bytes per second a payload must at least arrive at
ROUND_HEAD = struct.Struct("<IBQd")
_HEAD = struct.Struct("<BQ")
_F64 = struct.Struct("<d")


class ProtocolError(Exception):
    """The peer broke the protocol, went away or stalled."""


def boot_id() -> str:
    """This machine's boot id, or "" where there is none to read."""
    try:
        with open("/proc/sys/kernel/random/boot_id", "rb") as f:
            return f.read(64).decode("ascii", "replace").strip()
    except OSError:
        return ""


def text(s: str) -> bytes:
    b = s.encode("utf-8", "replace")[:CONTROL_LIMIT - 4]
    return len(b).to_bytes(4, "little") + b


def read_text(payload, at: int = 0) -> tuple[str, int]:
    """A string of `payload` at `at`, and the offset after it."""
    if at + 4 > len(payload):
        raise ProtocolError("a string is cut short")
    n = int.from_bytes(payload[at:at + 4], "little")
    if n > len(payload) - at - 4:
        raise ProtocolError(f"a string of {n} bytes is longer than its message")
    return bytes(payload[at + 4:at + 4 + n]).decode("utf-8", "replace"), at + 4 + n


def f64(x: float) -> bytes:
    return _F64.pack(x)


def read_f64(payload) -> float:
    if len(payload) != 8:
        raise ProtocolError(f"expected 8 bytes, got {len(payload)}")
    return _F64.unpack(payload)[0]


def hello(what: str) -> bytes:
    return MAGIC + VERSION.to_bytes(2, "little") + text(boot_id()) + text(what)


def read_hello(payload) -> tuple[str, str]:
    """(the peer's boot id, what it sends) of a HELLO."""
    n = len(MAGIC)
    if bytes(payload[:n]) != MAGIC:
        raise ProtocolError("not an HL migration (bad magic)")
    if len(payload) < n + 2:
        raise ProtocolError("HELLO is cut short")
    version = int.from_bytes(payload[n:n + 2], "little")
    if version != VERSION:
        raise ProtocolError(f"protocol version {version}; this hll speaks {VERSION}")
    boot, at = read_text(payload, n + 2)
    what, at = read_text(payload, at)
    if at != len(payload):
        raise ProtocolError("bytes left over after HELLO")
    # (shown in the server's log: one line, printable)
    return boot, "".join(c if c.isprintable() else "?" for c in what[:200])


class Channel:
    """One connection, framed.  `timeout`: how long a peer may be silent."""

    def __init__(self, sock: socket.socket, timeout: float, peer: str) -> None:
        try:
            # Small replies go at once: Nagle's wait for the peer's delayed
            # ACK would add some 40 ms to every exchange, downtime included.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.sock = sock
        self.timeout = timeout
        self.peer = peer
        self.sent = 0                   # bytes of frames sent

    @classmethod
    def connect(cls, host: str, port: int, timeout: float) -> "Channel":
        sock = socket.create_connection((host, port), timeout=timeout)
        return cls(sock, timeout, f"{host}:{port}")

    def send(self, kind: int, *parts) -> None:
        n = sum(len(p) for p in parts)
        self.sock.settimeout(self.timeout + n / MIN_RATE)
        self.sock.sendall(_HEAD.pack(kind, n))
        for p in parts:
            self.sock.sendall(p)
        self.sent += _HEAD.size + n

    def recv(self, expect, limit: int = CONTROL_LIMIT) -> tuple[int, memoryview]:
        """The next frame, whose kind must be one of `expect` (an ERROR or
        BUSY from the peer is a ProtocolError carrying its reason)."""
        head = self._read(_HEAD.size, self.timeout, "a message")
        kind, n = _HEAD.unpack(head)
        name = KINDS.get(kind)
        if name is None:
            raise ProtocolError(f"unknown message kind {kind}")
        bound = limit if kind == ROUND else CONTROL_LIMIT
        if n > bound:
            raise ProtocolError(f"{name} of {n} bytes is larger than the {bound} allowed")
        payload = self._read(n, self.timeout + n / MIN_RATE, name)
        if kind in (ERROR, BUSY) and kind not in expect:
            reason, _ = read_text(payload)
            raise ProtocolError(("busy: " if kind == BUSY else "") + reason)
        if kind not in expect:
            wanted = " or ".join(KINDS[k] for k in expect)
            raise ProtocolError(f"expected {wanted}, got {name}")
        return kind, payload

    def _read(self, n: int, within: float, what: str) -> memoryview:
        buf = bytearray(n)
        view = memoryview(buf)
        deadline = time.monotonic() + within
        got = 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"timed out reading {what} ({got} of {n} bytes in {within:.0f} s)")
            self.sock.settimeout(left)
            try:
                k = self.sock.recv_into(view[got:])
            except socket.timeout:
                raise ProtocolError(f"timed out reading {what} ({got} of {n} bytes in {within:.0f} s)") \
                    from None
            except OSError as e:
                raise ProtocolError(f"connection failed reading {what}: {e.strerror or e}") from None
            if k == 0:
                raise ProtocolError(f"the peer closed the connection while {what} was expected"
                                    if got == 0 else f"the connection ended inside {what}")
            got += k
        return view

    def fail(self, reason: str) -> None:
        """Tell the peer why the connection ends (if it still listens)."""
        payload = text(reason)
        try:
            self.sock.settimeout(1.0)
            self.sock.sendall(_HEAD.pack(ERROR, len(payload)) + payload)
        except OSError:
            pass

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


__all__ = ["Channel", "ProtocolError", "boot_id", "hello", "read_hello", "text", "read_text", "f64",
           "read_f64", "ROUND_HEAD", "HELLO", "ROUND", "GO", "READY", "BUSY", "ACK", "RESTORED",
           "REFUSED", "RUNNING", "ERROR", "KINDS", "CONTROL_LIMIT"]
