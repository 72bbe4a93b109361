"""Suspend and resume through the embedding API (docs/snapshots.md,
"Embedding"): `vm.suspend()` of an idle VM and, from another thread, of a
running call; named handles; host natives bound again by name; another
heap size; and `request_snapshot(after_events=...)` giving the same bytes
in every tier."""

from __future__ import annotations

import io
import threading
import time

import pytest

from hl import VM
from hllvm import SnapshotError, Suspended

TIERS = ("off", "auto", "eager")


def _vm(**opts) -> VM:
    opts.setdefault("stdout", io.StringIO())
    opts.setdefault("stderr", io.StringIO())
    opts.setdefault("stdin", "")
    return VM(**opts)


STATE = """
var counter = 0;
var names = "a b";
fn bump(n: int) -> int { counter += n; names = names + " " + str(n); return counter; }
fn total() -> int { return counter; }
fn listing() -> string { return names; }
"""


@pytest.mark.parametrize("jit", TIERS)
def test_an_idle_vm_is_suspended_and_resumed(jit):
    vm = _vm(jit=jit)
    vm.load_source(STATE, name="m")
    assert vm.call("m", "bump", 5) == 5
    data = vm.suspend()
    assert isinstance(data, bytes)
    other = VM.resume(data, jit="off" if jit != "off" else "eager", stdout=io.StringIO())
    assert other.suspended_task is None
    assert (other.call("m", "total"), other.call("m", "listing")) == (5, "a b 5")
    assert other.call("m", "bump", 2) == 7
    assert vm.call("m", "total") == 5                  # the two VMs share nothing
    with pytest.raises(RuntimeError):
        other.resume_run()                             # nothing was running


# A call that waits in a loop for the host (`host.go()`, a native) before its
# real work: a suspension requested meanwhile is served at a back-edge of the
# loop, never inside the native.
WAITER = """
import host;
fn sq(x: int) -> int { return x * x % 1009; }
fn work(n: int) -> int {
    var spins = 0;
    while !host.go() { spins += 1; }
    var s = 0;
    for i in 0..n { s = (s + sq(i)) % 1000003; }
    return s;
}
"""
EXPECTED = sum(i * i % 1009 for i in range(5000)) % 1000003


def _host(go, jit="off", **opts) -> VM:
    """A VM whose host defines `host.go` (nothing loaded: ready to restore)."""
    vm = _vm(jit=jit, **opts)
    vm.define_native("host.go", go, "fn() -> bool")
    return vm


def _waiter(go, jit="off", **opts) -> VM:
    vm = _host(go, jit, **opts)
    vm.load_source(WAITER, name="m")
    return vm


@pytest.mark.parametrize("jit", TIERS)
def test_suspend_from_another_thread_stops_the_call(jit):
    vm = _waiter(lambda: False, jit)
    got = {}

    def suspender():
        while not vm.control.running:
            time.sleep(0.001)
        got["data"] = vm.suspend(timeout=30)
    t = threading.Thread(target=suspender)
    t.start()
    with pytest.raises(Suspended) as e:
        vm.call("m", "work", 5000)
    t.join(30)
    assert got["data"] == e.value.snapshot
    # Resumed where it waited, in a VM whose host says go: the call's result.
    other = _host(lambda: True, "eager" if jit == "off" else "off")
    other.restore(got["data"])
    assert other.suspended_task == ("call", "m", "work")
    assert other.resume_run() == EXPECTED
    assert other.suspended_task is None
    assert other.call("m", "work", 10) == sum(i * i % 1009 for i in range(10))


def test_host_natives_are_bound_again_by_name():
    vm = _waiter(lambda: False)
    vm.request_snapshot(lambda data: None, stop=True, after_events=100)
    with pytest.raises(Suspended) as e:
        vm.call("m", "work", 5000)
    data = e.value.snapshot
    calls = []

    def go():
        calls.append(1)
        return True
    other = _host(go)
    other.restore(data)
    assert other.resume_run() == EXPECTED and calls == [1]      # the new host's native ran
    with pytest.raises(SnapshotError, match="host module host"):
        VM.resume(data, stdout=io.StringIO())                     # no host module at all
    wrong = _vm()
    wrong.define_native("host.go", lambda: 1, "fn() -> int")      # another signature
    with pytest.raises(SnapshotError, match="host module host"):
        wrong.restore(data)


OBJECTS = """
class Acc {
    total: int;
    items: int[];
}
fn make(n: int) -> Acc {
    let a = new Acc();
    a.items = new int[n];
    for i in 0..n { a.items[i] = i; a.total += i; }
    return a;
}
fn get(a: Acc) -> int { return a.total + a.items.length; }
"""


def test_named_handles_come_back_by_name():
    vm = _vm()
    vm.load_source(OBJECTS, name="m")
    acc = vm.call("m", "make", 10)
    spare = vm.call("m", "make", 3)
    data = vm.suspend(handles={"acc": acc})
    other = VM.resume(data, stdout=io.StringIO())
    assert set(other.restored_handles) == {"acc"}             # `spare` was not named: not kept
    assert other.call("m", "get", other.restored_handles["acc"]) == 45 + 10
    assert vm.call("m", "get", spare) == 3 + 3
    stranger = _vm()
    stranger.load_source(OBJECTS, name="m")
    with pytest.raises(SnapshotError, match="not a live handle of this VM"):
        vm.suspend(handles={"x": stranger.call("m", "make", 1)})


BIG = """
var data: int[] = null;
fn fill(n: int) { data = new int[n]; for i in 0..n { data[i] = i % 7; } }
fn sum() -> int { var s = 0; for i in 0..data.length { s += data[i]; } return s; }
"""


def test_resumed_with_a_smaller_heap_when_the_data_fits():
    vm = _vm(max_heap=64 << 20)
    vm.load_source(BIG, name="m")
    vm.call("m", "fill", 250_000)                              # 2 MB of live data
    expected = vm.call("m", "sum")
    data = vm.suspend()
    small = VM.resume(data, max_heap=8 << 20, stdout=io.StringIO())
    assert small.call("m", "sum") == expected
    with pytest.raises(SnapshotError, match="does not fit in this VM's heap"):
        VM.resume(data, max_heap=1 << 20, stdout=io.StringIO())


MAIN = """
class P { x: int; }
fn sq(x: int) -> int { return x * x % 1009; }
fn main() {
    let ps = new P[30];
    var s = 0;
    for i in 0..3000 {
        s = (s + sq(i)) % 1000003;
        if i % 100 == 0 { let p = new P(); p.x = s; ps[i / 100] = p; println(hash(p) % 5); }
    }
    println(s);
    println(ps.length);
}
"""


@pytest.mark.parametrize("stop", [True, False])
def test_after_events_gives_the_same_bytes_in_every_tier(stop):
    """Stopping (`stop`) or going on, the snapshot after n events is the
    same in every tier, and the output with it."""
    for n in (1, 57, 1234, 2999, 4500):
        snaps = {}
        for jit in TIERS:
            out = io.StringIO()
            vm = _vm(jit=jit, stdout=out)
            vm.load_source(MAIN, name="prog")
            got = []
            vm.request_snapshot(got.append, stop=stop, after_events=n)
            if stop:
                with pytest.raises(Suspended) as e:
                    vm.run_main("prog")
                assert got == [e.value.snapshot]
                rest = io.StringIO()
                resumed = VM.resume(e.value.snapshot, jit=jit, stdout=rest)
                assert resumed.resume_run() == 0
                assert out.getvalue() + rest.getvalue() == _output(MAIN)
            else:
                assert vm.run_main("prog") == 0 and out.getvalue() == _output(MAIN)
            assert len(got) == 1
            snaps[jit] = got[0]
        assert snaps["off"] == snaps["auto"] == snaps["eager"], n


_outputs: dict = {}


def _output(src: str) -> str:
    if src not in _outputs:
        out = io.StringIO()
        vm = _vm(stdout=out)
        vm.load_source(src, name="prog")
        vm.run_main("prog")
        _outputs[src] = out.getvalue()
    return _outputs[src]


LINKED = """
class Node { next: Node; v: int; }
fn main() {
    var head: Node = null;
    for i in 0..2000 { let n = new Node(); n.v = i; n.next = head; head = n; }
    var s = 0;
    var p = head;
    while p != null { s += p.v; p = p.next; }
    println(s);
}
"""


@pytest.mark.parametrize("n", [1500, 3500])
def test_collections_between_restore_and_resume_keep_the_frames(n):
    """The restored frames are the collector's roots before they run: the
    host may collect (or allocate, which may collect) in between."""
    vm = _vm()
    vm.load_source(LINKED, name="prog")
    vm.request_snapshot(lambda data: None, stop=True, after_events=n)
    with pytest.raises(Suspended) as e:
        vm.run_main("prog")
    out = io.StringIO()
    other = VM(stdout=out, gc_stress=True)          # (the heap is verified after every collection)
    other.restore(e.value.snapshot)
    other.collect()
    other.to_hl("a string the host makes", "S")
    other.collect()
    assert other.resume_run() == 0
    assert out.getvalue().endswith(f"{sum(range(2000))}\n")


MARKED = """
import host;
fn sq(x: int) -> int { return x * x % 7; }
fn main() {
    var s = 0;
    for i in 0..20000 { if i == 1000 { host.mark(); } s += sq(i); }
    println(s);
}
"""


@pytest.mark.parametrize("fuel", [None, 1_000_000])
def test_a_checkpoint_while_a_later_stop_waits_holds_the_programs_fuel(fuel):
    """An `after_events` request counts its events on the fuel counter; a
    checkpoint taken before it fires holds the program's own fuel."""
    vm = _vm(fuel=fuel)
    got, left = [], []

    def deliver(data):
        got.append(data)
        left.append(vm.fuel)         # (the trigger's count: events until the stop)
    vm.define_native("host.mark", lambda: vm.request_snapshot(deliver) and None, "fn()")
    vm.load_source(MARKED, name="prog")
    vm.request_snapshot(lambda data: None, stop=True, after_events=30_000)
    with pytest.raises(Suspended):
        vm.run_main("prog")
    out = io.StringIO()
    other = _vm(stdout=out)
    other.define_native("host.mark", lambda: None, "fn()")
    other.restore(got[0])
    used = 30_000 - left[0]
    assert 2000 < used < 30_000
    assert other.fuel == (None if fuel is None else fuel - used)
    assert other.resume_run() == 0 and out.getvalue() == f"{sum(i * i % 7 for i in range(20000))}\n"
