"""Run control: the limits a host puts on each call into a VM, and the one
check every execution tier makes to enforce them.

Owns fuel (a budget of HL calls plus loop back-edges), the wall-clock limit
of a call, the output quota of a call, host interrupts (`interrupt()` from any
thread), and the bookkeeping of a host call into the VM (`enter`/`leave`:
one thread at a time, nested calls from natives allowed).  It does not own
the heap limit (the heap's `on_oom`) or the stack-depth limit (the call ops'
frame count); those are HL errors, not stops.

How the tiers reach it.  Events are calls of HL functions and loop
back-edges.  Every tier counts them on a *counter* that it decrements at
each event, and polls when the counter goes below zero: the interpreter has
one countdown per function (`Interpreter.ctr[fid]`, a Python list: its
fastest form), compiled code has the BUDGET word of the shared run state
(hllvm/state.py).  A poll comes here (`grant`), which decides stops and
hands the counter its next chunk of events.  So the fast path is one
decrement and one compare in every tier, and the slow path is one function.

Fuel is exact, as wasmtime's: a program that needs N units finishes with
N and stops with N - 1.  Units are handed out in advance: the FUEL word of
the run state holds the units no counter holds; a poll takes one unit for
the event that polled and gives its counter a chunk of up to
`POLL_INTERVAL` more.  When FUEL is empty, a poll first takes back every
unit handed out but not used (`reclaim`; it visits only the counters given
units since the last reclaim, so it costs no more than the polls before
it), so a stop happens exactly at the first event with no unit left,
whichever counter it is counted on.  The fuel a host reads between
calls or from a native (`fuel`) is FUEL plus what the counters hold.

Stops are not HL errors: `grant` and `check` raise `ResourceExhausted` (fuel, time,
output) or `Interrupted` out of the interpreter loop; no HL `catch` or
`finally` runs (as a WebAssembly trap), the frames of the call are dropped,
and the VM answers the next call normally.  A stop is sticky for the rest of
its call: a native that swallows it only sees the next poll raise it again.

Interrupts use an epoch per outermost call.  `interrupt()` reads the epoch of
the call running at that moment (0: none) and marks that epoch stopped; a
call checks for its own epoch only, so a request can never stop a later
call, and a request made while nothing runs is dropped.

Natives that wait (`time.sleep`, `input()` on a pipe or terminal) wait
through `sleep` and `wait`, which end at the call's deadline or an
interrupt as a poll would.

One thread at a time.  A VM is used by one thread at a time (as wasmtime's
`Store`, which is not `Sync`); only `interrupt()` may come from any thread.
`enter` claims the VM for a call, `claim` for the other host operations that
touch its state (loading, collecting, releasing a handle's entry, refuelling):
either raises `VMBusyError` when another live thread holds the VM, instead
of letting two threads meet inside it.
"""

from __future__ import annotations

import threading
import time

from .arguments import check_timeout
from .errors import Interrupted, ResourceExhausted
from .snapshot.tasks import ANON_TASK
from .state import BUDGET, FUEL, STOP, UNLIMITED

# Events a counter gets per poll when fuel does not say fewer: the
# interpreter's chunk (a poll costs it about as much as 50 events), and
# compiled code's (a poll is a callback into Python, some 2 µs, while an
# event is a few nanoseconds: 16,384 events keep polls under 1% of the
# time and still poll every 0.1 ms or so in a tight loop).
POLL_INTERVAL = 1024
NATIVE_POLL_INTERVAL = 16384
# Seconds a waiting native sleeps between two looks at the stop request.
WAIT_POLL = 0.02


class VMBusyError(RuntimeError):
    """The VM is in use by another thread (a VM is used by one thread at a
    time; only `interrupt()` may be called from any thread)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"cannot {what}: this VM is in use by another thread (a VM is used by "
                         "one thread at a time; only interrupt() may be called from any thread)")


_clock = time.monotonic
_get_ident = threading.get_ident


class RunControl:
    """The limits and stop requests of one VM."""

    def __init__(self, interp, state, fuel: int | None = None, timeout: float | None = None,
                 max_output: int | None = None) -> None:
        self.interp = interp
        self.S = state.W                    # the shared run state's words (hllvm/state.py)
        self.out = interp.vm.out            # the writer whose quota a call sets
        self.fuel = fuel                    # units left; None: no limit (a property)
        self.timeout = timeout              # seconds per outermost call; None: no limit
        self.max_output = max_output        # characters written per outermost call
        self.deadline: float | None = None  # monotonic time the current call must end by
        self.limit_text = ""                # the current call's time limit, for messages
        self.epoch = 0                      # of the latest outermost call
        self.active = 0                     # epoch of the running call; 0 while idle
        self.stopped = -1                   # epoch an interrupt was requested for (STOP)
        self.wake = threading.Event()       # cuts short a sleeping native on interrupt
        self.woken = False                  # `wake` was set since the last call began
        self.owner: int | None = None       # ident of the thread running the VM; None while idle
        self.depth = 0                      # host calls in progress (nested by natives)
        self.claims = 0                     # host operations (`claim`) in progress in `owner`
        # A suspension requested (hllvm/snapshot/): None, or the Request the
        # next poll that can describe its frames takes; and the fuel-count
        # trigger of `suspend_after` (units to restore when it fires).
        self.suspend = None
        self.trigger: int | None = None

    # --- the poll every tier makes ----------------------------------------------------
    def grant(self, interval: int = POLL_INTERVAL) -> int:
        """A counter went below zero: stop the call if a limit is reached or
        an interrupt was requested, else charge the event that polled and
        return the counter's next chunk of events (at most `interval`)."""
        self.check()
        S = self.S
        f = S[FUEL]
        if f == UNLIMITED:
            return interval
        if f == 0:
            f = self.reclaim()
            if f == 0 and self.trigger is not None:
                f = self._fire()
            if f == 0:
                raise ResourceExhausted("fuel exhausted", "fuel")
            if f == UNLIMITED:
                return interval
        f -= 1                                  # the event that polled
        # Half of what is left when little is: two functions taking turns
        # then reclaim O(log n) times, not once per event.
        chunk = min(interval, (f + 1) >> 1)
        S[FUEL] = f - chunk
        return chunk

    def give_back(self, n: int) -> None:
        """Return `n` units a poll charged or granted (a suspension: that
        event runs again, those units are counted again when the frame goes
        on)."""
        S = self.S
        if S[FUEL] != UNLIMITED and n > 0:
            S[FUEL] += n

    def poll_soon(self) -> None:
        """A suspension is due while a native waits (a program that mostly
        sleeps may not reach a poll for a long time): every countdown, and
        compiled code's budget, is emptied — exactly, the units they held
        go back to the fuel — so that the next call or back-edge polls.
        Only from the thread running the VM, inside a native: no countdown
        is being updated then."""
        S = self.S
        back = self.interp.reclaim_counters(every=True) + max(S[BUDGET], 0)
        S[BUDGET] = 0
        self.give_back(back)

    def suspend_after(self, n: int, request) -> None:
        """Make `request` due once `n` more events have run (a fuel count:
        exact in every tier, as fuel is); the fuel limit, if any, holds as
        before."""
        real = self.fuel
        self.fuel = min(n, real) if real is not None else n
        self.trigger = UNLIMITED if real is None else real - self.S[FUEL]
        self.pending_request = request

    def _fire(self) -> int:
        """The trigger's count ran out: the real fuel comes back and its
        suspension is requested."""
        rest, self.trigger = self.trigger, None
        self.interp.metered = rest != UNLIMITED
        self.S[FUEL] = rest
        self.suspend = self.pending_request
        return rest

    @property
    def stopped(self) -> int:
        """The epoch of the call an interrupt was requested for (-1: none),
        kept in the run state's STOP word so that compiled code sees it."""
        return self.S[STOP]

    @stopped.setter
    def stopped(self, epoch: int) -> None:
        self.S[STOP] = epoch

    def check(self) -> None:
        """Stop the call if an interrupt was requested for it or its time is
        up (natives that wait call this; fuel is charged by `grant`)."""
        if self.stopped == self.active:
            raise Interrupted("interrupted")
        d = self.deadline
        if d is not None and _clock() >= d:
            raise ResourceExhausted(f"time limit of {self.limit_text} exceeded", "time")

    def reclaim(self) -> int:
        """Take back every unit handed out to a counter and not used; returns
        the new FUEL."""
        S = self.S
        f = S[FUEL] + self.interp.reclaim_counters()
        b = S[BUDGET]
        if b > 0:
            f += b
            S[BUDGET] = 0
        S[FUEL] = f
        return f

    @property
    def fuel(self) -> int | None:
        """Units left (None: no limit): exact at any moment."""
        S = self.S
        f = S[FUEL]
        if f == UNLIMITED:
            return None
        return f + self.interp.outstanding() + max(S[BUDGET], 0)

    @fuel.setter
    def fuel(self, n: int | None) -> None:
        # Every countdown starts again from zero (O(functions), once per
        # change of the budget): units handed out unmetered are not free.
        self.interp.reclaim_counters(every=True)
        self.S[BUDGET] = 0
        self.S[FUEL] = UNLIMITED if n is None else max(n, 0)
        self.interp.metered = n is not None

    # --- host calls ------------------------------------------------------------------
    def enter(self, timeout: float | None = None) -> None:
        """Begin a host call (an outermost one, or one nested in a native).
        RuntimeError if another thread is running this VM."""
        me = _get_ident()
        if self.owner == me and self.depth > 0 and self.interp.frames:
            # Nested: a native called back into the VM while HL code runs.
            # (Without frames it is the debris of a call a host exception cut
            # short between `enter` and its `try`: start afresh.)
            self.check()                            # a stopped call stays stopped
            self.depth += 1
            return
        # Claiming the VM: no call happens between the read and the write, so
        # under the GIL no other thread runs in between (a lock here would
        # cost more than the rest of a host call).
        o = self.owner
        if o is not None and o != me and _alive(o):
            raise VMBusyError("call a function")
        if o != me:
            self.claims = 0                 # (left by a thread that died holding the VM)
        self.owner = me
        # From here on this thread owns the VM.  State left by a call that a
        # host exception (KeyboardInterrupt) cut short anywhere is reset here.
        frames = self.interp.frames
        if frames:
            frames.clear()
        jit = self.interp.jit
        if jit is not None:
            jit.reset()
        self.interp.task = ANON_TASK        # (the caller names its task after `enter`)
        self.depth = 1
        try:
            t = self.timeout if timeout is None else timeout
            if t is not None:
                check_timeout("timeout", t)
                self.deadline = _clock() + t
                self.limit_text = f"{t:g} s"
            else:
                self.deadline = None
            if self.max_output is not None:
                self.out.quota = self.max_output
            if self.woken:
                self.woken = False
                self.wake.clear()
            self.epoch += 1
            self.active = self.epoch
            if self.S[FUEL] == 0 and self.reclaim() == 0:
                raise ResourceExhausted("fuel exhausted", "fuel")
        except BaseException:
            self._release()
            raise

    def leave(self) -> None:
        """End the host call begun by the matching `enter`."""
        d = self.depth - 1
        if d > 0:
            self.depth = d
            return
        self.depth = 0
        self.active = 0
        self.deadline = None
        self.out.quota = None
        if not self.claims:
            self.owner = None           # last: the VM is free

    def _release(self) -> None:
        self.active = 0
        self.deadline = None
        self.depth = 0
        self.out.quota = None
        if not self.claims:
            self.owner = None           # last: the VM is free

    # --- host operations other than calls ---------------------------------------------
    def claim(self, what: str) -> None:
        """Hold the VM for a host operation that is not a call (`what`, for
        the message); VMBusyError if another thread holds it.  Ends with
        `unclaim`.  The thread running a call may claim it (a native that
        loads or collects), and a call may begin inside a claim (a load runs
        initialisers)."""
        me = _get_ident()
        o = self.owner
        if o is not None and o != me and _alive(o):
            raise VMBusyError(what)
        if o != me:
            self.claims = 0                 # (left by a thread that died holding the VM)
        self.owner = me
        self.claims += 1

    def unclaim(self) -> None:
        c = self.claims - 1
        self.claims = c
        if not c and not self.depth:
            self.owner = None

    def check_thread(self, what: str) -> None:
        """VMBusyError if a thread other than this one holds the VM."""
        o = self.owner
        if o is not None and o != _get_ident() and _alive(o):
            raise VMBusyError(what)

    @property
    def running(self) -> bool:
        return self.active != 0

    # --- stop requests -----------------------------------------------------------------
    def interrupt(self) -> bool:
        """Stop the call running now at its next poll; True if one was running.
        Safe from any thread and from signal handlers (no lock is taken)."""
        e = self.active                     # one read: the call running at this instant
        if not e:
            return False
        self.stopped = e
        self.woken = True
        self.wake.set()
        return True

    def sleep(self, seconds: float) -> None:
        """Sleep for a native (`time.sleep`), cut short by an interrupt or the
        call's deadline, which then stop the call as a poll would."""
        end = _clock() + seconds
        while True:
            self.check()
            if self.suspend is not None:
                self.poll_soon()
            now = _clock()
            wait = end - now
            if self.deadline is not None:
                wait = min(wait, self.deadline - now)
            if wait <= 0:
                self.check()
                return
            self.wake.wait(min(wait, 1e6))
            if self.stopped != self.active:   # a stale wake-up meant for an earlier call
                self.wake.clear()

    def wait(self, ready) -> None:
        """Wait for a native until `ready(timeout=s)` returns true (an Event's
        `wait`, a Lock's `acquire`), stopping the call as a poll would at its
        deadline or on an interrupt (looked at every WAIT_POLL seconds)."""
        while True:
            self.check()
            if self.suspend is not None:
                self.poll_soon()
            wait = WAIT_POLL
            if self.deadline is not None:
                wait = max(0.0, min(wait, self.deadline - _clock()))
            if ready(timeout=wait):
                return


def _alive(ident: int) -> bool:
    """Whether thread `ident` still runs (a dead owner left by a thread that
    ended mid-call does not lock the VM forever)."""
    return any(t.ident == ident for t in threading.enumerate())
