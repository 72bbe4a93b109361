"""`hll serve` trusts no byte it receives: garbage, forged frames, huge
announced sizes, deltas that point outside the previous snapshot, a
snapshot that does not restore, a peer that stalls or vanishes — each ends
that connection with one line on the server's standard error (and an
ERROR or REFUSED to the peer where it still listens), never the server,
which then takes in a real program.  A connection that comes while another
is being taken in is answered BUSY.  And `hll serve`'s own usage errors."""

from __future__ import annotations

import random
import socket
import struct
import subprocess
import time

import pytest

from migrate_support import HLL

from hll import migrate_wire as wire
from hll.migrate_delta import diff

HEAD = struct.Struct("<BQ")


def frame(kind: int, payload: bytes = b"") -> bytes:
    return HEAD.pack(kind, len(payload)) + payload


def hello() -> bytes:
    return frame(wire.HELLO, wire.hello("a test"))


def round_(number: int, final: int, size: int, delta: bytes) -> bytes:
    return frame(wire.ROUND, wire.ROUND_HEAD.pack(number, final, size, 0.0) + delta)


def delta_of(data: bytes, old: bytes = b"") -> bytes:
    parts, _ = diff(old, data)
    return b"".join(bytes(p) for p in parts)


def talk(address: tuple, data: bytes, wait: float = 10.0) -> bytes:
    """Send `data` and end the sending side, then read what the server
    answers until it closes."""
    with socket.create_connection(address, timeout=wait) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        got = b""
        try:
            while True:
                b = s.recv(1 << 16)
                if not b:
                    break
                got += b
        except OSError:
            pass
        return got


def kinds(reply: bytes) -> list[int]:
    out, at = [], 0
    while at + HEAD.size <= len(reply):
        kind, n = HEAD.unpack_from(reply, at)
        out.append(kind)
        at += HEAD.size + n
    return out


FORGED = {
    "http": (b"GET / HTTP/1.0\r\n\r\n", "unknown message kind 71"),
    "bad-magic": (frame(wire.HELLO, b"NOTHLMIGR\n" + b"\0" * 12), "bad magic"),
    "wrong-version": (frame(wire.HELLO, wire.MAGIC + (9).to_bytes(2, "little") + wire.text("") + wire.text("")),
                      "protocol version 9"),
    "round-first": (round_(0, 1, 4, b"\x01\x04abcd"), "expected HELLO, got ROUND"),
    "huge-hello": (HEAD.pack(wire.HELLO, 1 << 40), "HELLO of 1099511627776 bytes is larger"),
    "huge-round": (hello() + HEAD.pack(wire.ROUND, 1 << 60), "ROUND of 1152921504606846976 bytes is larger"),
    "huge-snapshot": (hello() + round_(0, 1, 1 << 50, b""), "larger than this server's --max-heap allows"),
    "copy-outside": (hello() + round_(0, 1, 16, b"\x00\x00\x10"), "outside the previous snapshot"),
    "data-overrun": (hello() + round_(0, 1, 16, b"\x01\x10abc"), "16 bytes of data announced, 3 left"),
    "too-short": (hello() + round_(0, 1, 16, b"\x01\x04abcd"), "makes 4 bytes, 16 were announced"),
    "bad-op": (hello() + round_(0, 1, 16, b"\x07"), "unknown op 7"),
    "long-number": (hello() + round_(0, 1, 16, b"\x01" + b"\xff" * 12), "longer than 64 bits"),
    "round-order": (hello() + round_(3, 0, 0, b""), "round 3 came where round 0 was expected"),
    "bad-final": (hello() + round_(0, 2, 0, b""), "bad final flag 2"),
    "cut-short": (hello() + HEAD.pack(wire.ROUND, 100) + b"x" * 10, "the connection ended inside ROUND"),
    "hangs-up": (b"", "the peer closed the connection while a message was expected"),
    "go-too-soon": (hello() + frame(wire.GO), "expected ROUND, got GO"),
}


@pytest.fixture
def target(serve):
    return serve("--once", "--peer-timeout", "2", "--max-heap", "64M", stdout=subprocess.PIPE)


def test_forged_streams_end_their_connection_not_the_server(target, hll, workload, hl_env):
    address = ("127.0.0.1", target.port)
    for name, (data, message) in FORGED.items():
        reply = talk(address, data)
        assert wire.ERROR in kinds(reply), (name, reply[:200])
        target.wait_for(f"127.0.0.1:\\d+: .*{message}")
        assert target.proc.poll() is None, name
    # Random bytes, and random bytes after a good HELLO.
    rng = random.Random(14)
    for i in range(40):
        junk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 300)))
        talk(address, (hello() if i % 2 else b"") + junk, wait=5.0)
        assert target.proc.poll() is None
    # A snapshot that is well delivered but is no snapshot: refused, not run.
    garbage = bytes(rng.getrandbits(8) for _ in range(5000))
    reply = talk(address, hello() + round_(0, 0, len(garbage), delta_of(garbage))
                 + round_(1, 1, len(garbage), delta_of(garbage, garbage)))
    assert kinds(reply) == [wire.READY, wire.ACK, wire.REFUSED]
    target.wait_for("refused the snapshot: .*not an HL snapshot")
    assert "Traceback" not in target.err
    # After all that, a real program still moves in, runs and sets the status.
    r = hll("run", "--jit", "off", "--migrate-to", target.address, "--migrate-after", "0.2", str(workload),
            "1", "600", "2")
    assert r.returncode == 0, r.stderr
    status, out = target.finish()
    assert status == 7
    assert out.endswith("\n") and "done" in out
    assert "Traceback" not in target.err


def test_a_silent_peer_times_out(target):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", target.port)) as s:
        s.sendall(hello())
        got = b""
        while True:
            b = s.recv(1 << 16)
            if not b:
                break
            got += b
    assert kinds(got) == [wire.READY, wire.ERROR]
    assert time.monotonic() - started < 30
    target.wait_for(r"timed out reading a message")


def test_a_second_source_is_told_busy(target):
    with socket.create_connection(("127.0.0.1", target.port)) as first:
        first.sendall(hello())
        assert HEAD.unpack(first.recv(HEAD.size))[0] == wire.READY
        reply = talk(("127.0.0.1", target.port), hello())
        assert kinds(reply) == [wire.BUSY]
        assert b"another program" in reply
    assert target.proc.poll() is None


def test_serve_usage_errors(hll):
    r = hll("serve")
    assert r.returncode == 2 and "--listen HOST:PORT is required" in r.stderr
    r = hll("serve", "--listen", "localhost")
    assert r.returncode == 2 and "is not HOST:PORT" in r.stderr
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        r = hll("serve", "--listen", f"127.0.0.1:{port}", timeout=60)
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    assert "Traceback" not in r.stderr
