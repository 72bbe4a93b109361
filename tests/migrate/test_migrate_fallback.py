"""No run is lost when a program cannot move: a target that cannot be
reached leaves it running where it is; a target that refuses the final
snapshot (it lacks a host module the program uses) or whose connection
breaks after the source stopped makes the source resume it from that
snapshot.  Either way the output and the exit status are an uninterrupted
run's.  Also: `hll resume --migrate-to`, and the usage errors."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

from migrate_support import HLL

from hll import migrate_wire as wire

SMALL = ("1", "600", "2")          # workload: 1 MiB, 600 steps of 2 ms
# In the interpreter alone a request is served within 1024 events (compiled
# code polls every 16384: most of this short run), so the rounds come at once.
JIT = ("--jit", "off")


@pytest.fixture(scope="module")
def small_expected(workload, hl_env):
    r = subprocess.run([*HLL, "run", *JIT, str(workload), *SMALL], capture_output=True, text=True, env=hl_env,
                       timeout=120)
    assert r.returncode == 7, r.stderr
    return r.stdout


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_unreachable_target_leaves_the_program_running(hll, workload, small_expected):
    r = hll("run", *JIT, "--migrate-to", f"127.0.0.1:{closed_port()}", "--migrate-after", "0.2", str(workload),
            *SMALL)
    assert r.returncode == 7
    assert r.stdout == small_expected
    assert "hll: could not migrate to 127.0.0.1:" in r.stderr
    assert "the program goes on here" in r.stderr
    assert "Traceback" not in r.stderr


class FakeTarget:
    """A target that follows the protocol up to the final round, then does
    `final(channel)` instead of restoring."""

    def __init__(self, final) -> None:
        self.final = final
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.rounds = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            self._protocol()
        except wire.ProtocolError:
            pass                                   # (the test looks at what came)

    def _protocol(self) -> None:
        conn, _ = self.listener.accept()
        ch = wire.Channel(conn, 30.0, "source")
        ch.recv({wire.HELLO})
        ch.send(wire.READY, wire.text(""))
        while True:
            _, p = ch.recv({wire.ROUND}, 1 << 30)
            number, final, _size, _stop = wire.ROUND_HEAD.unpack_from(p)
            self.rounds += 1
            if final:
                self.final(ch)
                return
            ch.send(wire.ACK, number.to_bytes(4, "little"))


@pytest.mark.parametrize("final", [
    lambda ch: ch.close(),
    lambda ch: ch.send(wire.REFUSED, wire.text("no room here")),
], ids=["connection-lost", "refused"])
def test_a_failure_after_the_stop_resumes_the_program_at_the_source(hll, workload, small_expected, final):
    target = FakeTarget(final)
    r = hll("run", *JIT, "--migrate-to", target.address, "--migrate-after", "0.2", "--migrate-precopy-rounds", "1",
            str(workload), *SMALL)
    target.thread.join(10)
    assert target.rounds == 2                      # one pre-copy round and the final one came
    assert r.returncode == 7, r.stderr
    assert r.stdout == small_expected
    assert f"hll: could not migrate to {target.address}" in r.stderr
    assert "goes on here" in r.stderr
    if "no room" in r.stderr:
        assert "the target refused the snapshot: no room here" in r.stderr
    assert "Traceback" not in r.stderr


HOST_PROGRAM = """
import host;
import time;

fn main() -> int {
    var total = 0;
    for i in 0..1500 {
        total += host.weight(i);
        if i % 100 == 0 {
            println("at " + str(i) + " total " + str(total));
        }
        time.sleep(0.002);
    }
    println("done " + str(total));
    return 3;
}
"""

EMBEDDER = """
import sys
from hl import VM
from hll.migrate import Migration

def make_vm():
    vm = VM(max_heap=64 << 20)
    vm.define_native("host.weight", lambda i: i % 7 + 1, "fn(int) -> int")
    return vm

vm = make_vm()
vm.load_source(open(sys.argv[1]).read(), name="prog")
go = lambda: vm.run_main("prog")
if len(sys.argv) > 2:
    log = lambda line: print(line, file=sys.stderr, flush=True)
    status = Migration(vm, sys.argv[2], after=0.3, rounds=1, log=log).run(go, make_vm)
else:
    status = go()
sys.stdout.flush()
sys.exit(status)
"""


def test_target_lacking_a_host_module_refuses_and_the_program_goes_on(tmp_path, hl_env, serve):
    """An embedder's program that calls its host's native cannot run in
    `hll serve`, which has no such host module: the target says why, the
    source resumes the program, and the server keeps serving."""
    prog, script = tmp_path / "prog.hl", tmp_path / "embed.py"
    prog.write_text(HOST_PROGRAM)
    script.write_text(EMBEDDER)

    def run(*args):
        return subprocess.run([sys.executable, str(script), str(prog), *args], capture_output=True, text=True,
                              env=hl_env, timeout=120)
    plain = run()
    assert plain.returncode == 3, plain.stderr
    target = serve("--once")
    moved = run(target.address)
    assert moved.returncode == 3, moved.stderr
    assert moved.stdout == plain.stdout
    assert "the target refused the snapshot" in moved.stderr and "host module host" in moved.stderr
    assert "goes on here" in moved.stderr
    target.wait_for(r"refused the snapshot: .*host module host")
    assert target.proc.poll() is None              # (a refusal does not end even a --once server)


def test_resume_moves_too(hll, tmp_path, workload, serve):
    """`hll resume FILE --migrate-to`: a program resumed from a snapshot
    file moves on like one started by `hll run`."""
    snap = tmp_path / "s.snap"
    first = hll("run", *JIT, "--snapshot-file", str(snap), "--snapshot-after", "2000", str(workload), *SMALL)
    assert first.returncode == 5, first.stderr
    plain = hll("resume", *JIT, str(snap))
    assert plain.returncode == 7
    target = serve("--once")
    moved = hll("resume", *JIT, "--migrate-to", target.address, "--migrate-after", "0.2", str(snap))
    assert moved.returncode == 0, moved.stderr
    assert "hll: migrated to" in moved.stderr
    status, out = target.finish()
    assert status == 7
    assert moved.stdout + out == plain.stdout


@pytest.mark.parametrize("args, message", [
    (("--migrate-after", "1"), "need --migrate-to"),
    (("--migrate-precopy-rounds", "0"), "need --migrate-to"),
    (("--migrate-to", "127.0.0.1:9"), "needs a trigger"),
    (("--migrate-to", "nowhere", "--migrate-after", "1"), "is not HOST:PORT"),
    (("--migrate-to", "127.0.0.1:70000", "--migrate-after", "1"), "port must be a number from 1 to 65535"),
    (("--migrate-to", "::1:9000", "--migrate-after", "1"), "IPv6 address in brackets"),
    (("--migrate-to", "127.0.0.1:9", "--migrate-on", "SIGUSR1", "--snapshot-file", "x",
      "--snapshot-on", "SIGUSR1"), "SIGUSR1 cannot both"),
    (("--migrate-precopy-rounds", "101", "--migrate-to", "127.0.0.1:9", "--migrate-after", "1"),
     "not in the range 0 to 100"),
])
def test_usage_errors(hll, workload, args, message):
    r = hll("run", *args, str(workload), *SMALL)
    assert r.returncode == 2
    assert message in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("source_jit, target_jit", [("eager", "off"), ("off", "eager")])
def test_a_program_moves_across_tiers(hll, workload, small_expected, serve, source_jit, target_jit):
    """Compiled frames are handed back before a snapshot, and the target
    compiles afresh under its own tier: the output is the same."""
    target = serve("--once", "--jit", target_jit)
    r = hll("run", "--jit", source_jit, "--migrate-to", target.address, "--migrate-after", "0.2",
            str(workload), "1", "2000", "2")
    assert r.returncode == 0, r.stderr
    status, out = target.finish()
    assert status == 7
    plain = hll("run", "--jit", "off", str(workload), "1", "2000", "0")
    assert "hll: migrated to" in r.stderr and out     # (eager compiling may take the source's whole time)
    assert r.stdout + out == plain.stdout
