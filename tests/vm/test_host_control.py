"""The host's control of a running VM: `VM.interrupt()`, `VM.fuel`, and
`VM.initialise()` (used by the REPL; docs/repl.md).  Programs are compiled
from source for brevity."""

from __future__ import annotations

import io
import threading

import pytest

from compiler import compile_source
from hllvm import VM, HLError, Interrupted, ResourceExhausted

LOOPS = """
var count = 0;
fn spin() { while true { count += 1; } }
fn work(n: int) -> int { var s = 0; for i in 0..n { s += i; } return s; }
fn calls(n: int) -> int { if n == 0 { return 0; } return 1 + calls(n - 1); }
fn get() -> int { return count; }
fn main() { spin(); }
"""


def _vm(src: str = LOOPS, **opts) -> VM:
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), **opts)
    vm.load(compile_source(src, name="t").modules)
    return vm


def test_interrupt_from_another_thread_stops_an_endless_loop():
    vm = _vm()
    done = threading.Event()

    def keep_interrupting():        # a request reaches only a running call
        while not done.wait(0.1):
            vm.interrupt()
    t = threading.Thread(target=keep_interrupting, daemon=True)
    t.start()
    try:
        with pytest.raises(Interrupted):
            vm.call("t", "spin")
    finally:
        done.set()
        t.join()
    assert vm.call("t", "get") > 0             # the VM is usable afterwards
    assert vm.call("t", "work", 10) == 45


def test_interrupt_request_does_not_leak_into_the_next_call():
    vm = _vm()
    vm.interrupt()                              # nothing runs: dropped at the next start
    assert vm.call("t", "work", 100_000) == 4_999_950_000


def test_fuel_ends_a_loop_and_can_be_lifted():
    vm = _vm()
    vm.fuel = 50_000
    with pytest.raises(ResourceExhausted):
        vm.call("t", "spin")
    assert vm.fuel == 0
    vm.fuel = None
    assert vm.call("t", "work", 100_000) == 4_999_950_000


def test_fuel_counts_calls_too_and_is_not_catchable_by_hl():
    src = LOOPS + """
fn guarded() -> int { try { return calls(5000); } catch e { return -1; } }
"""
    vm = _vm(src, max_stack=100_000)
    vm.fuel = 2_000
    with pytest.raises(ResourceExhausted):
        vm.call("t", "guarded")


def test_enough_fuel_lets_work_finish():
    vm = _vm()
    vm.fuel = 1_000_000
    assert vm.call("t", "work", 10_000) == 49_995_000
    assert 0 < vm.fuel < 1_000_000


def test_run_main_out_of_fuel_is_status_4():
    err = io.StringIO()
    vm = VM(stdout=io.StringIO(), stderr=err)
    vm.load(compile_source(LOOPS, name="t").modules)
    vm.fuel = 10_000
    assert vm.run_main("t") == 4
    assert "fuel exhausted" in err.getvalue()


def test_initialise_runs_new_module_initialisers_once():
    out = io.StringIO()
    vm = VM(stdout=out, stderr=io.StringIO())
    vm.load(compile_source('let x = f(); fn f() -> int { println("init"); return 3; }\n'
                           'fn main() {}', name="t").modules)
    vm.initialise()
    vm.initialise()
    assert out.getvalue() == "init\n"


def test_initialise_reports_an_uncaught_error():
    vm = _vm('let x = 1 / zero(); fn zero() -> int { return 0; } fn main() {}')
    with pytest.raises(HLError) as ei:
        vm.initialise()
    assert ei.value.class_name == "ArithmeticError"
