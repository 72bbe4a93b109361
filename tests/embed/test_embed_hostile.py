"""Hostile guests: code written to hang, exhaust memory, recurse forever,
escape its file grants or disturb another VM.  Each is stopped, the host
stays within its bounds, and the VM answers the next call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from hllvm import HLError, Interrupted, ResourceExhausted

from embed_fixtures import make_vm, tier  # noqa: F401  (fixtures)


SPIN = "fn spin() -> int { var n = 0; while true { n += 1; } return n; }\nfn ok() -> int { return 42; }\n"


# --- hangs --------------------------------------------------------------------------------

def test_infinite_loop_stopped_by_fuel(make_vm):
    mod = make_vm(fuel=200_000).load_source(SPIN, name="g")
    with pytest.raises(ResourceExhausted):
        mod.call("spin")
    mod.vm.fuel = 100
    assert mod.call("ok") == 42


def test_infinite_loop_stopped_by_timeout(make_vm):
    # The limit is set after the load: loading is under the VM's timeout
    # too, and on a busy machine it can take a quarter of a second itself.
    vm = make_vm()
    mod = vm.load_source(SPIN, name="g")
    vm.timeout = 0.25
    with pytest.raises(ResourceExhausted):
        mod.call("spin")
    assert mod.call("ok") == 42


def test_infinite_loop_stopped_by_interrupt_from_another_thread(make_vm):
    mod = make_vm().load_source(SPIN, name="g")
    threading.Timer(0.25, mod.vm.interrupt).start()
    with pytest.raises(Interrupted):
        mod.call("spin")
    assert mod.call("ok") == 42


def test_endless_mutual_recursion_through_virtual_calls_and_to_string(make_vm):
    mod = make_vm(timeout=5.0).load_source("""
class A { fn to_string() -> string { return "a" + str(self); } }
class B { fn f(n: int) -> int { return self.f(n + 1) + 1; } }
fn via_to_string() -> string { return str(new A()); }
fn via_method() -> int { return new B().f(0); }
fn ok() -> int { return 42; }
""", name="g")
    for fn in ("via_to_string", "via_method"):
        with pytest.raises(HLError) as ei:
            mod.call(fn)
        assert ei.value.class_name == "StackOverflowError"
    assert mod.call("ok") == 42


def test_unbounded_recursion_is_a_stack_overflow(make_vm):
    mod = make_vm(max_stack=5_000).load_source("""
fn down(n: int) -> int { return down(n + 1) + 1; }
fn caught() -> string { try { down(0); } catch e: StackOverflowError { return e.message; } return ""; }
fn ok() -> int { return 42; }
""", name="g")
    with pytest.raises(HLError) as ei:
        mod.call("down", 0)
    assert ei.value.class_name == "StackOverflowError"
    assert mod.call("caught") == "call depth exceeded 5000 frames"
    assert mod.call("ok") == 42


# --- memory: the host's resident size stays bounded ---------------------------------------------

_HEAP = 32 << 20
_BOMBS = {
    # objects kept and written to (every page touched) until the heap is full
    "keep": """fn bomb() -> int { var kept = new int[10000][]; var n = 0;
        while true { let a = new int[100000]; var j = 0; while j < 100000 { a[j] = j; j += 500; }
                     kept[n] = a; n += 1; } return n; }""",
    "concat": 'fn bomb() -> int { var s = "ab"; while true { s = s + s; } return 0; }',
    "wide_concat": 'fn bomb() -> int { var s = "é😀"; while true { s = s + s; } return 0; }',
    "repeat": 'fn bomb() -> int { return "xy".repeat(1 << 40).length; }',
    "replace": 'fn bomb() -> int { let s = "a".repeat(1000000); return s.replace("a", "b".repeat(1000)).length; }',
    "split": 'fn bomb() -> int { return ",".repeat(6000000).split(",").length; }',
    "join": 'fn bomb() -> int { var p = new string[2000000]; for i in 0..2000000 { p[i] = "abcdefgh"; } '
            'return "--------".join(p).length; }',
    # errors thrown from deep recursion and kept: their traces live beside the heap
    "traces": """fn deep(n: int) -> int { if n == 0 { throw new Error("x"); } return deep(n - 1) + 1; }
        fn bomb() -> int { var keep = new Error[6000];
            for i in 0..6000 { try { deep(1000); } catch e { keep[i] = e; } } return 0; }""",
    # frames with thousands of registers: the frame memory is capped too
    "frames": "fn deep(d: int) -> int { " + " ".join(f"var v{i} = {i};" for i in range(2000))
              + " return deep(d + 1) + v1; }\nfn bomb() -> int { return deep(0); }",
    # output kept by the host: bounded by the output quota
    "output": 'fn bomb() -> int { let s = "z".repeat(10000); while true { println(s); } return 0; }',
}

_PROBE = textwrap.dedent("""
    import io, json, resource, sys
    from hl import VM, HLError, ResourceExhausted
    def rss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    vm = VM(max_heap=int(sys.argv[1]), timeout=60.0, max_output=1 << 20,
            stdout=io.StringIO(), stderr=io.StringIO(), stdin="")
    mod = vm.load_source(sys.stdin.read(), name="bomb")
    vm.load_source("fn ok() -> int { return 42; }", name="after")
    base = rss()
    try:
        mod.call("bomb")
        outcome = "returned"
    except HLError as e:
        outcome = e.class_name
    except ResourceExhausted as e:
        outcome = "ResourceExhausted:" + e.resource
    print(json.dumps({"base": base, "peak": rss(), "outcome": outcome,
                      "after": vm.call("after", "ok")}))
""")


@pytest.mark.parametrize("name", sorted(_BOMBS))
def test_memory_bomb_is_stopped_with_host_memory_bounded(name):
    r = subprocess.run([sys.executable, "-c", _PROBE, str(_HEAP)], input=_BOMBS[name],
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONHASHSEED": "0"})
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    expected = {"output": "ResourceExhausted:output", "frames": "StackOverflowError",
                "traces": "returned"}.get(name, "OutOfMemoryError")
    assert res["outcome"] == expected and res["after"] == 42
    grown = res["peak"] - res["base"]
    # The heap itself, what the host keeps beside it (traces, frames: bounded
    # well below the heap), and at most one transient Python copy of a
    # heap-sized string or array while a native works on it.
    assert grown < 2 * _HEAP + (24 << 20), f"{name}: resident size grew by {grown >> 20} MiB"


# --- files -------------------------------------------------------------------------------------

FILES = """
import io;
fn read(p: string) -> string {
    try { return io.read_file(p); } catch e: PermissionError { return "denied: " + e.message; }
}
fn write(p: string, t: string) -> string {
    try { io.write_file(p, t); return "written"; } catch e: PermissionError { return "denied"; }
}
"""


@pytest.fixture
def jail(tmp_path):
    box = tmp_path / "box"
    (box / "sub").mkdir(parents=True)
    (box / "data.txt").write_text("inside", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", box / "link.txt")
    os.symlink(tmp_path, box / "sub" / "up")
    return box


def test_no_grant_no_files(make_vm, jail):
    mod = make_vm().load_source(FILES, name="f")
    assert mod.call("read", "/etc/passwd") == "denied: read access to '/etc/passwd' denied"
    assert mod.call("read", str(jail / "data.txt")).startswith("denied")


def test_reads_only_under_the_granted_directory(make_vm, jail, monkeypatch):
    monkeypatch.chdir(jail)
    mod = make_vm(allow_read=[str(jail)]).load_source(FILES, name="f")
    assert mod.call("read", str(jail / "data.txt")) == "inside"
    assert mod.call("read", "data.txt") == "inside"                     # relative to the host's cwd
    for escape in ("/etc/passwd", "../secret.txt", "sub/../../secret.txt", str(jail / ".." / "secret.txt"),
                   "link.txt", "sub/up/secret.txt", "/proc/self/environ", "/"):
        assert mod.call("read", escape).startswith("denied"), escape
    assert mod.call("write", "new.txt", "x") == "denied"                  # reading is not writing
    assert not (jail / "new.txt").exists()


def test_writes_only_under_the_granted_directory(make_vm, jail, tmp_path):
    mod = make_vm(allow_write=[str(jail / "sub")]).load_source(FILES, name="f")
    assert mod.call("write", str(jail / "sub" / "out.txt"), "ok") == "written"
    assert (jail / "sub" / "out.txt").read_text() == "ok"
    for escape in (str(jail / "data.txt"), str(jail / "sub" / ".." / "x.txt"), str(jail / "sub" / "up" / "y.txt")):
        assert mod.call("write", escape, "x") == "denied", escape
    assert not (tmp_path / "y.txt").exists() and (jail / "data.txt").read_text() == "inside"


def test_a_guest_has_no_environment_network_or_process_modules(make_vm):
    from compiler import CompileError
    # (`env` is a library module whose reads need the host's allow_env grant.)
    for name in ("os", "sys", "net", "socket", "process", "subprocess"):
        with pytest.raises(CompileError, match="cannot find module"):
            make_vm().load_source(f"import {name}; fn f() {{}}", name="g")


# --- isolation ---------------------------------------------------------------------------------

def test_two_vms_in_two_threads_run_at_once_without_interfering(make_vm):
    src = """
import host;
var total = 0;
fn run(tag: int, n: int) -> int {
    for i in 0..n { total += tag; if i % 20000 == 0 { host.mark(tag); } }
    return total;
}
"""
    marks: list[int] = []
    # Each VM's first mark waits until the other VM has marked too: both are
    # inside HL code at once, however fast either runs (a compiled loop is
    # done in a millisecond).
    meet = threading.Barrier(2, timeout=30)

    def mark(tag):
        if tag not in marks:
            meet.wait()
        marks.append(tag)
    vms = []
    for _ in range(2):
        vm = make_vm()
        vm.define_native("host.mark", mark, "fn(int)")
        vms.append(vm.load_source(src, name="job"))
    results = {}

    def job(i):
        results[i] = vms[i].call("run", i + 1, 300_000)
    threads = [threading.Thread(target=job, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: 300_000, 1: 600_000}        # each VM its own globals
    assert not meet.broken and sorted(set(marks)) == [1, 2]
    assert vms[0].get("total") == 300_000 and vms[1].get("total") == 600_000


def test_vms_are_made_loaded_and_run_in_parallel_threads(make_vm):
    src = "var n = 0; fn count(k: int) -> int { for i in 0..k { n += 1; } return n; }"
    results, errors = [], []

    def life(i):
        try:
            mod = make_vm(fuel=1_000_000).load_source(src, name="c")
            results.append((mod.call("count", 1000 * (i + 1)), mod.call("count", 1)))
        except Exception as e:       # collected: asserted below
            errors.append(e)
    threads = [threading.Thread(target=life, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [(1000 * k, 1000 * k + 1) for k in range(1, 5)]


def test_stopping_one_vm_does_not_touch_another(make_vm):
    a = make_vm().load_source(SPIN, name="g")
    b = make_vm(timeout=10.0).load_source(
        "fn work(n: int) -> int { var s = 0; for i in 0..n { s += i; } return s; }", name="w")
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("b", b.call("work", 2_000_000)))
    t.start()
    threading.Timer(0.2, a.vm.interrupt).start()
    with pytest.raises(Interrupted):
        a.call("spin")
    t.join()
    assert result["b"] == 1_999_999_000_000


def test_vms_share_no_state(make_vm):
    a = make_vm(max_heap=1 << 20, fuel=1000)
    b = make_vm()
    assert a.heap is not b.heap and a.handles is not b.handles and a.control is not b.control
    assert b.fuel is None and b.max_heap != a.max_heap
    ma = a.load_source("var x = 1; fn set(v: int) { x = v; } fn get() -> int { return x; }", name="m")
    mb = b.load_source("var x = 1; fn set(v: int) { x = v; } fn get() -> int { return x; }", name="m")
    ma.call("set", 5)
    assert (ma.call("get"), mb.call("get")) == (5, 1)


def test_time_keeps_moving_while_guests_run(make_vm):
    """A sanity check of the measurements above: the stops are not instant
    by accident (a guest really ran until it was stopped)."""
    vm = make_vm()                  # the limit after the load, as above
    mod = vm.load_source(SPIN, name="g")
    vm.timeout = 0.2
    t0 = time.monotonic()
    with pytest.raises(ResourceExhausted):
        mod.call("spin")
    assert time.monotonic() - t0 >= 0.19
