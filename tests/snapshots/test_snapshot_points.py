"""Suspension at the points that are hardest to describe, each resumed in a
new process in every tier pair and compared with the run uninterrupted:
inside a `finally`, 5,000 calls deep, right after a collection, with
compiled frames on the stack, in a module initialiser, between catching an
error and throwing it again, between two identity hashes, under a fuel
limit; and the command line's triggers (`--snapshot-on SIGUSR1` / `SIGTERM`
with real signals, `--checkpoint-every`).

Each test also checks that the point is where it says (the first run's
output stops inside the `finally`, the snapshot holds 5,000 frames, ...),
so that a probe that drifted could not make it pass vacuously."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.snapshots.compare import compare, execute, reference
from tests.snapshots.probe import probe
from tests.snapshots.subjects import Subject, Workspace, environment, hll_command

PAIRS = (("off", "off"), ("eager", "off"), ("off", "eager"), ("auto", "auto"))


def _subject(tmp_path: Path, name: str, text: str, **kw) -> tuple[Subject, Workspace]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    f = src / f"{name}.hl"
    f.write_text(text)
    return Subject(name=name, source=f, **kw), Workspace(tmp_path / "work")


def _agree(s: Subject, ws: Workspace, points, pairs=PAIRS, ref=None) -> list:
    """Compare `s` stopped at each point in each pair; every one must agree."""
    ref = ref or reference(s, ws)
    out = []
    for n in points:
        for pair in pairs:
            c = compare(s, ws, ref, n, pair, "test")
            assert c.same, c.line()
            out.append(c)
    return out


FINALLY = """
fn work(n: int) -> int {
    var s = 0;
    for i in 0..n { s = (s + i * i) % 1000003; }
    return s;
}
fn main() {
    var total = 0;
    try {
        total = work(2000);
        println("body " + str(total));
    } finally {
        var k = 0;
        for j in 0..300 { k += work(5); }
        println("finally " + str(k));
    }
    println("after " + str(total));
}
"""


def test_stop_inside_a_finally(tmp_path):
    s, ws = _subject(tmp_path, "fin", FINALLY)
    p = probe(s, ws)
    assert "finally" in p.specials and "try" in p.specials
    at = p.specials["finally"]
    for c in _agree(s, ws, [at, at + 500, p.specials["try"]]):
        first = c.outcomes[0].stdout
        if c.events >= at:            # stopped in the finally block: its body ran, not its end
            assert b"body 659008" in first and b"finally" not in first


DEEP = """
fn spin(n: int) -> int {
    var s = 0;
    for i in 0..n { s = (s * 31 + i) % 1000003; }
    return s;
}
fn down(n: int) -> int {
    if n == 0 { return spin(3000); }
    return 1 + down(n - 1);
}
fn main() {
    println("before");
    println(down(5000));
    println("after");
}
"""


def test_stop_5000_calls_deep(tmp_path):
    from hllvm.snapshot import format as F
    s, ws = _subject(tmp_path, "deep", DEEP)
    p = probe(s, ws)
    assert p.max_depth >= 5001
    at = p.specials["deep"]
    for c in _agree(s, ws, [at, at + 1500]):
        data = (ws.root / "point.snap").read_bytes()
        assert F.unpack(data)[F.FRAMES].count("frames") >= 5001, c.line()


ALLOC = """
class Node {
    next: Node;
    data: int[];
    init(next: Node, n: int) { self.next = next; self.data = new int[n]; }
}
fn main() {
    var keep: Node = null;
    var total = 0;
    for round in 0..200 {
        var list: Node = null;
        for i in 0..100 { list = new Node(list, 16); list.data[3] = i + round; }
        var n = list;
        while n != null { total = (total + n.data[3]) % 1000003; n = n.next; }
        if round % 50 == 0 { keep = list; }
    }
    var m = 0;
    var n = keep;
    while n != null { m += 1; n = n.next; }
    println(total);
    println(m);
}
"""


def test_stop_right_after_a_collection(tmp_path):
    s, ws = _subject(tmp_path, "alloc", ALLOC, max_heap=256 << 10)
    p = probe(s, ws)
    assert p.collections >= 10 and "gc" in p.specials
    _agree(s, ws, [p.specials["gc"], p.events // 2, p.events - 1])


def test_stop_under_gc_stress(tmp_path):
    small = ALLOC.replace("0..200", "0..6").replace("round % 50", "round % 2")
    s, ws = _subject(tmp_path, "stress", small, gc_stress=True)
    p = probe(s, ws)
    assert p.collections > 100
    _agree(s, ws, [p.events // 3, 2 * p.events // 3], pairs=(("off", "off"), ("eager", "off")))


HOT = """
fn step(i: int) -> int { return i * 7 % 13; }
fn main() {
    var s = 0;
    for i in 0..20000 {
        s += step(i);
        if i % 5000 == 0 { println(i); }
    }
    println(s);
}
"""


def test_stop_with_compiled_frames_on_the_stack(tmp_path):
    """Under --jit=eager the frames are compiled when the request comes:
    they are handed back (the hand-back is counted), and the snapshot is the
    interpreter's byte for byte."""
    from hl import VM
    from hl import program as P
    from hllvm import Suspended
    s, ws = _subject(tmp_path, "hot", HOT)
    modules, entry = P.load_source_program(s.entry)
    at = 12345
    snaps = {}
    for jit in ("off", "eager"):
        vm = VM(jit=jit, stdout=io.StringIO())
        vm.load(modules)
        vm.request_snapshot(lambda data: None, stop=True, after_events=at)
        with pytest.raises(Suspended) as e:
            vm.run_main(entry)
        snaps[jit] = e.value.snapshot
        if jit == "eager":
            assert vm.jit.handbacks, "no compiled frame was handed back"
    assert snaps["off"] == snaps["eager"]
    plain = VM(jit="eager", stdout=io.StringIO())
    plain.load(modules)
    plain.run_main(entry)
    assert not plain.jit.handbacks        # (the hand-back above was the suspension's)
    _agree(s, ws, [at, 3], pairs=(("eager", "off"), ("eager", "eager")))


INIT = """
fn build() -> int[] {
    println("building");
    let t = new int[500];
    for i in 0..500 { t[i] = square(i) % 97; }
    println("built");
    return t;
}
fn square(x: int) -> int { return x * x; }
let table = build();
fn main() {
    var s = 0;
    for i in 0..500 { s += table[i]; }
    println("main " + str(s));
}
"""


def test_stop_in_a_module_initialiser(tmp_path):
    s, ws = _subject(tmp_path, "init", INIT)
    p = probe(s, ws)
    at = p.specials["init"]
    for c in _agree(s, ws, [at, at + 400]):
        assert b"built" not in c.outcomes[0].stdout              # stopped in the initialiser
        assert c.outcomes[1].stdout.endswith(b"built\nmain 23713\n")   # then main ran


RETHROW = """
fn fail(n: int) {
    if n == 0 { throw new ValueError("from the bottom"); }
    fail(n - 1);
}
fn sq(x: int) -> int { return x * x % 1009; }
fn main() {
    var e: Error = null;
    try { fail(5); } catch x: ValueError { e = x; }
    println("caught " + e.message);
    var s = 0;
    for i in 0..3000 { s = (s + sq(i)) % 1000003; }
    println(s);
    throw e;
}
"""


def test_a_caught_error_thrown_again_keeps_its_trace(tmp_path):
    s, ws = _subject(tmp_path, "rethrow", RETHROW)
    ref = reference(s, ws)
    assert ref.status == 1
    assert ref.stderr.count(b"at fail (rethrow.hl:") == 4 and b"repeated 2 more times" in ref.stderr
    p = probe(s, ws)
    for c in _agree(s, ws, [p.events // 3, 2 * p.events // 3], ref=ref):
        assert c.outcomes[0].stdout == b"caught from the bottom\n"   # between the catch and the throw


HASHES = """
class Box {
    v: int;
    init(v: int) { self.v = v; }
}
fn sq(x: int) -> int { return x * x % 1009; }
fn main() {
    let a = new Box(1);
    let b = new Box(2);
    println(hash(a));
    var s = 0;
    for i in 0..3000 { s = (s + sq(i)) % 1000003; }
    println(hash(b));
    println(hash(a));
    let c = new Box(3);
    println(hash(c));
    println(hash(new Box(4)));
    println(s);
}
"""


def test_identity_hashes_survive(tmp_path):
    s, ws = _subject(tmp_path, "hashes", HASHES)
    ref = reference(s, ws)
    lines = ref.stdout.split()
    assert lines[0] == lines[2] and len(set(lines[:5])) == 4      # a's twice; b, c and the last differ
    p = probe(s, ws)
    for c in _agree(s, ws, [p.events // 2], ref=ref):
        assert c.outcomes[0].stdout.count(b"\n") == 1                 # a hashed before, the rest after


FUEL = """
fn step(i: int) -> int { return i * 7 % 13; }
fn main() {
    var s = 0;
    for i in 0..100000 {
        s += step(i);
        if i % 500 == 0 { println(i); }
    }
    println(s);
}
"""


def test_fuel_is_exact_across_a_suspension(tmp_path):
    """Run with --fuel F, the program stops at the same event with and
    without a suspension in between (the snapshot carries the fuel left)."""
    from hl import VM
    from hl import program as P
    from hllvm import Suspended
    fuel = 30_001
    s, ws = _subject(tmp_path, "fuel", FUEL, fuel=fuel)
    ref = reference(s, ws)
    assert ref.status == 4 and b"fuel exhausted" in ref.stderr
    assert ref.stdout.endswith(b"14500\n") and b"15000" not in ref.stdout
    _agree(s, ws, [1, 12_345, fuel - 1], ref=ref)
    modules, entry = P.load_source_program(s.entry)
    for jit in ("off", "eager"):
        vm = VM(jit=jit, fuel=fuel, stdout=io.StringIO())
        vm.load(modules)
        vm.request_snapshot(lambda data: None, stop=True, after_events=12_345)
        with pytest.raises(Suspended) as e:
            vm.run_main(entry)
        # 12,345 events ran, and the event that polled if it was a back-edge
        # (taken and counted: the frame stops before the loop's first instruction).
        assert fuel - vm.fuel in (12_345, 12_346)
        assert VM.resume(e.value.snapshot, jit=jit, stdout=io.StringIO()).fuel == vm.fuel


# --- the command line's triggers, with real signals -----------------------------------------
WAIT = """
import io;
fn main(args: string[]) {
    println("start");
    io.write_file(args[0] + "/started", "");
    var n = 0;
    while !io.exists(args[0] + "/go") { n += 1; }
    println("end");
}
"""


def _start(tmp_path: Path, *options: str) -> tuple[subprocess.Popen, Path, Path]:
    """`hll run OPTIONS wait.hl DIR`: prints "start", writes DIR/started,
    loops until DIR/go exists, prints "end"."""
    prog = tmp_path / "wait.hl"
    prog.write_text(WAIT)
    snap = tmp_path / "wait.snap"
    p = subprocess.Popen([*hll_command(), "run", "--jit", "off", "--allow-read", str(tmp_path),
                          "--allow-write", str(tmp_path), "--snapshot-file", str(snap), *options,
                          str(prog), str(tmp_path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment())
    try:
        _wait_for(lambda: (tmp_path / "started").exists() or p.poll() is not None)
    except BaseException:
        p.kill()
        raise
    assert p.poll() is None, p.communicate()
    return p, snap, tmp_path / "go"


def _wait_for(cond, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _resume(tmp_path: Path, snap: Path, jit: str = "eager"):
    return execute([*hll_command(), "resume", "--jit", jit, "--allow-read", str(tmp_path),
                    "--allow-write", str(tmp_path), str(snap)], "", tmp_path)


def test_snapshot_on_sigusr1_writes_one_and_goes_on(tmp_path):
    p, snap, go = _start(tmp_path, "--snapshot-on", "SIGUSR1")
    try:
        p.send_signal(signal.SIGUSR1)
        _wait_for(snap.exists)
        go.touch()
        out, err = p.communicate(timeout=60)
    finally:
        p.kill()
    assert (p.returncode, out, err) == (0, b"start\nend\n", b"")
    r = _resume(tmp_path, snap)                  # a new process goes on from the loop
    assert (r.status, r.stdout, r.stderr) == (0, b"end\n", b"")


def test_snapshot_on_sigterm_writes_one_and_stops(tmp_path):
    p, snap, go = _start(tmp_path, "--snapshot-on", "SIGTERM")
    try:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
    finally:
        p.kill()
    assert (p.returncode, out) == (5, b"start\n")
    assert err == f"hll: suspended; snapshot written to {snap}\n".encode()
    go.touch()
    r = _resume(tmp_path, snap, "off")
    assert (r.status, r.stdout, r.stderr) == (0, b"end\n", b"")


def test_checkpoint_every_replaces_the_file(tmp_path):
    p, snap, go = _start(tmp_path, "--checkpoint-every", "0.1")
    try:
        _wait_for(snap.exists)
        first = os.stat(snap).st_ino
        _wait_for(lambda: snap.exists() and os.stat(snap).st_ino != first)   # written again, whole
        go.touch()
        out, err = p.communicate(timeout=60)
    finally:
        p.kill()
    assert (p.returncode, out, err) == (0, b"start\nend\n", b"")
    r = _resume(tmp_path, snap)
    assert (r.status, r.stdout, r.stderr) == (0, b"end\n", b"")


def test_a_resumed_program_is_suspended_again(tmp_path):
    """Suspended, resumed and suspended again, three times over in three
    tiers: the pieces of output make the whole."""
    s, ws = _subject(tmp_path, "chain", HASHES.replace("0..3000", "0..30000"))
    ref = reference(s, ws)
    snaps = [tmp_path / f"{i}.snap" for i in range(3)]
    first = ws.run_argv(s, "eager", None, ("--snapshot-file", str(snaps[0]), "--snapshot-after", "9000"))
    runs = [execute(first, "", ws.root)]
    for i, jit in enumerate(("off", "auto")):
        runs.append(execute(ws.resume_argv(s, jit, None, snaps[i], ("--snapshot-file", str(snaps[i + 1]),
                                                                     "--snapshot-after", "9000")), "", ws.root))
    runs.append(execute(ws.resume_argv(s, "eager", None, snaps[2]), "", ws.root))
    assert [r.status for r in runs] == [5, 5, 5, ref.status]
    assert b"".join(r.stdout for r in runs) == ref.stdout
    assert runs[0].stdout and runs[-1].stdout          # output before the first stop and after the last
