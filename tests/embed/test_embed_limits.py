"""Fuel, time limits, output quota and interrupts (hllvm/limits.py): what
stops a call, that no HL code runs after the stop, and that the VM answers
the next call normally."""

from __future__ import annotations

import _thread
import gc
import random
import signal
import threading
import time

import pytest

from hl import VM, HLError, Interrupted, ResourceExhausted, Stopped

from embed_fixtures import make_vm, tier  # noqa: F401  (fixtures)


SRC = """
import time;
var log = "";
var steps = 0;
fn spin() { while true { steps += 1; } }
fn guarded() -> string {
    try { spin(); } catch e { log = log + "catch;"; } finally { log = log + "finally;"; }
    return "returned";
}
fn work(n: int) -> int { var s = 0; for i in 0..n { s += i; } return s; }
fn rec(n: int) -> int { if n == 0 { return 0; } return 1 + rec(n - 1); }
fn nap(s: float) -> int { time.sleep(s); return 1; }
fn chatter(n: int) { for i in 0..n { println("line " + str(i)); } }
fn get_log() -> string { return log; }
fn get_steps() -> int { return steps; }
"""


@pytest.fixture
def mod(make_vm):
    return make_vm(max_stack=100_000).load_source(SRC, name="t")


# --- fuel ----------------------------------------------------------------------------------

def test_fuel_is_calls_plus_back_edges_exactly(mod):
    vm = mod.vm
    vm.fuel = 1_000_000
    for n, cost in ((0, 1), (10, 11), (5000, 5001)):      # one call + n back-edges
        before = vm.fuel
        mod.call("work", n)
        assert before - vm.fuel == cost
    before = vm.fuel
    mod.call("rec", 3000)
    assert before - vm.fuel == 3001                        # 3001 calls, no loops


def test_exhausted_fuel_runs_no_catch_and_no_finally(mod):
    vm = mod.vm
    vm.fuel = 50_000
    with pytest.raises(ResourceExhausted) as ei:
        mod.call("guarded")
    assert ei.value.resource == "fuel" and str(ei.value) == "fuel exhausted"
    assert isinstance(ei.value, Stopped)
    assert vm.fuel == 0
    with pytest.raises(ResourceExhausted):                  # none left: nothing runs
        mod.call("get_log")
    vm.fuel = None
    assert mod.call("get_log") == ""                        # neither handler ran
    assert 45_000 < mod.call("get_steps") <= 51_024         # charged per 1024 events


def test_fuel_can_be_refilled_and_added(mod):
    vm = mod.vm
    vm.fuel = 0
    with pytest.raises(ResourceExhausted):
        mod.call("work", 1)
    assert vm.add_fuel(100) == 100
    assert mod.call("work", 10) == 45 and vm.fuel == 89
    with pytest.raises(ValueError):
        vm.fuel = -1
    vm.fuel = None
    assert vm.add_fuel(5) == 5


def test_fuel_is_per_vm(make_vm):
    a = make_vm(fuel=20_000).load_source(SRC, name="t")
    b = make_vm().load_source(SRC, name="t")
    with pytest.raises(ResourceExhausted):
        a.call("spin")
    assert b.call("work", 100_000) == 4_999_950_000 and b.vm.fuel is None


def test_fuel_covers_module_initialisers(make_vm):
    vm = make_vm(fuel=10_000)
    with pytest.raises(ResourceExhausted):
        vm.load_source("let x = forever(); fn forever() -> int { while true {} return 0; }", name="m")


# --- wall-clock time -------------------------------------------------------------------------

def test_timeout_stops_an_endless_loop(make_vm):
    vm = make_vm()          # the limit after the load (loading is timed too)
    mod = vm.load_source(SRC, name="t")
    vm.timeout = 0.3
    t0 = time.monotonic()
    with pytest.raises(ResourceExhausted) as ei:
        mod.call("guarded")
    took = time.monotonic() - t0
    assert ei.value.resource == "time" and "0.3 s" in str(ei.value)
    assert 0.29 <= took < 2.0
    assert mod.call("get_log") == ""                        # no handler ran
    assert mod.call("work", 1000) == 499500                 # the next call has its own 0.3 s


def test_per_call_timeout_and_sleep_cut_short(mod):
    t0 = time.monotonic()
    with pytest.raises(ResourceExhausted):
        mod.call("nap", 1000.0, timeout=0.2)
    assert time.monotonic() - t0 < 1.0
    assert mod.call("nap", 0.01) == 1                       # no limit left over
    with pytest.raises(ValueError):
        mod.call("nap", 0.0, timeout=0)


# --- output ------------------------------------------------------------------------------------

def test_output_quota_per_call(make_vm):
    vm = make_vm(max_output=100)
    mod = vm.load_source(SRC, name="t")
    mod.call("chatter", 5)                                  # 35 characters
    with pytest.raises(ResourceExhausted) as ei:
        mod.call("chatter", 1000)
    assert ei.value.resource == "output"
    assert len(vm.test_out.getvalue()) <= 35 + 100
    mod.call("chatter", 5)                                  # a fresh quota


# --- interrupts ----------------------------------------------------------------------------------

def test_interrupt_from_another_thread(mod):
    timer = threading.Timer(0.2, mod.vm.interrupt)
    timer.start()
    t0 = time.monotonic()
    with pytest.raises(Interrupted):
        mod.call("guarded")
    assert time.monotonic() - t0 < 2.0
    timer.join()
    assert mod.call("get_log") == ""
    assert mod.call("work", 100_000) == 4_999_950_000       # the next call runs normally


def test_interrupt_wakes_a_sleeping_guest(mod):
    threading.Timer(0.1, mod.vm.interrupt).start()
    t0 = time.monotonic()
    with pytest.raises(Interrupted):
        mod.call("nap", 1000.0)
    assert time.monotonic() - t0 < 1.0
    assert mod.call("nap", 0.05) == 1


def test_an_interrupt_never_reaches_a_later_call(mod):
    vm = mod.vm
    assert vm.interrupt() is False                          # nothing runs: nothing to stop
    assert mod.call("work", 200_000) == 19_999_900_000
    # An interrupt aimed at one call, arriving after it ended, is not kept.
    gate = threading.Event()

    def late():
        gate.wait()
        vm.interrupt()
    t = threading.Thread(target=late)
    t.start()
    assert mod.call("work", 10) == 45
    gate.set()
    t.join()
    assert mod.call("work", 300_000) == 44_999_850_000


def test_interrupts_race_with_many_short_calls(mod):
    """Interrupts fired at random moments stop at most the call running at
    that moment; every call either completes correctly or is Interrupted."""
    vm = mod.vm
    stop = threading.Event()

    def fire():
        while not stop.is_set():
            vm.interrupt()
            time.sleep(random.random() * 0.002)
    t = threading.Thread(target=fire)
    t.start()
    outcomes = {"ok": 0, "stopped": 0}
    try:
        for _ in range(300):
            try:
                assert mod.call("work", 3000) == 4_498_500
                outcomes["ok"] += 1
            except Interrupted:
                outcomes["stopped"] += 1
    finally:
        stop.set()
        t.join()
    assert outcomes["ok"] + outcomes["stopped"] == 300
    assert mod.call("work", 10) == 45


LOST_AFTER = 20.0      # seconds after which a simulated Ctrl-C counts as lost

# Every Timer of the test is kept alive to its end: a Thread that dies is taken
# out of threading's WeakSet of threads by a weakref callback, which the cyclic
# collector may run at any allocation inside `work()`; CPython swallows a
# KeyboardInterrupt raised inside such a callback ("Exception ignored in
# WeakSet._remove"), so the Ctrl-C would be lost by the harness, not the VM.
_TIMERS_KEPT: list = []


def _until_ctrl_c(work, delay: float) -> None:
    """Run `work()` until a simulated Ctrl-C, `delay` seconds from now, stops
    it.  Any other exception is raised only once the Ctrl-C has landed (a
    KeyboardInterrupt let loose in the test runner would end the whole run)."""
    timer = threading.Timer(delay, _thread.interrupt_main)
    # A Ctrl-C that never arrives would leave `work()` running for ever:
    # after LOST_AFTER seconds a second one ends it, and the test fails
    # saying what SIGINT's handler was, instead of hanging the run.
    lost: list = []

    def rescue():
        lost.append(signal.getsignal(signal.SIGINT))
        _thread.interrupt_main()
    watchdog = threading.Timer(delay + LOST_AFTER, rescue)
    _TIMERS_KEPT.extend((timer, watchdog))
    other = None
    watchdog.start()
    try:
        timer.start()
        work()
    except KeyboardInterrupt:
        timer.join()
        watchdog.cancel()
        watchdog.join()
        assert not lost, f"a Ctrl-C was lost (SIGINT's handler then: {lost[0]!r})"
        return
    except BaseException as e:       # noqa: BLE001  (re-raised below)
        other = e
    try:
        timer.join()
        watchdog.cancel()
        time.sleep(0.2)              # the pending KeyboardInterrupt lands here
    except KeyboardInterrupt:
        pass
    raise other


def test_keyboard_interrupt_anywhere_leaves_the_vm_usable(mod, tier):
    """KeyboardInterrupt raised asynchronously at random points (as Ctrl-C
    does): inside ops, conversions, allocation, the run control's own
    bookkeeping.  The next calls answer normally and nothing is left over."""
    vm = mod.vm
    rng = random.Random(7)
    gc.collect()        # garbage of earlier tests is not freed inside `work()`

    def calls():
        while True:
            mod.call("rec", 200)
            mod.call("chatter", 3)
            mod.call("work", 5)
    for _ in range(150):
        _until_ctrl_c(calls, rng.random() * 0.005)
        assert mod.call("work", 100) == 4950
        assert mod.call("rec", 500) == 500
        assert not vm.interp.frames and not vm.control.running and vm.control.depth == 0


def test_ctrl_c_becomes_an_interrupt_at_a_safe_point(mod):
    """With `interrupt_on_sigint`, Ctrl-C (SIGINT) during a call stops it with
    Interrupted; with no call running it is a KeyboardInterrupt as usual."""
    vm = mod.vm
    with vm.interrupt_on_sigint():
        threading.Timer(0.2, _thread.interrupt_main).start()
        with pytest.raises(Interrupted):
            mod.call("spin")
        assert mod.call("work", 10) == 45
        with pytest.raises(KeyboardInterrupt):
            _thread.interrupt_main()
            time.sleep(1)
    assert mod.call("work", 10) == 45


def test_a_vm_runs_one_call_at_a_time(make_vm):
    vm = make_vm()
    mod = vm.load_source(SRC, name="t")
    errors = []

    def other():
        try:
            mod.call("work", 10)
        except RuntimeError as e:
            errors.append(e)
    t = threading.Timer(0.1, other)
    t.start()
    threading.Timer(0.4, vm.interrupt).start()
    with pytest.raises(Interrupted):
        mod.call("spin")
    t.join()
    assert len(errors) == 1 and "another thread" in str(errors[0])


def test_limits_are_checked_on_construction():
    for bad in ({"fuel": -1}, {"timeout": 0}, {"timeout": "1"}, {"max_output": -5}, {"fuel": 1.5}):
        with pytest.raises(ValueError):
            VM(**bad)


def test_stack_overflow_is_an_hl_error_not_a_stop(mod):
    with pytest.raises(HLError) as ei:
        mod.call("rec", 1_000_000)
    assert ei.value.class_name == "StackOverflowError"
