"""Running one mutant: read, verify and link, run under a budget, classify.

`Runner(seeds).run_one(seed, index, data)` replaces module `index` of a seed
program by `data` and takes it as far as it goes:

    reader     hlbc.read_module raised LoadError
    loader     VM.load raised LoadError (linking: names that do not resolve)
    verifier   VM.load raised VerifyError
    completed  main ran to its end (any exit status, uncaught HL errors too)
    budget     main was stopped: too many polls (calls and loop back-edges,
               counted by the interpreter's poll hook) or too long a wall time
    crash      anything else: a Python exception escaping the VM, an
               "internal VM error" report, a LoadError that only wraps a
               Python exception ("malformed module", "unreadable module"),
               or a load that does not finish in time (a hang)

The VM runs in this process with a small heap, a small stack limit, no file
grants, empty stdin and output captured up to a cap.  Wall-clock limits use
SIGALRM (main thread only).
"""

from __future__ import annotations

import io
import signal
import traceback
from contextlib import contextmanager

from hlbc import LoadError, read_module
from hllvm import VM, VerifyError

KINDS = ("reader", "loader", "verifier", "completed", "budget", "crash")


class Stop(BaseException):
    """The budget ran out (not an Exception: the VM's own handlers must not see it)."""


class _Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise _Timeout()


@contextmanager
def time_limit(seconds: float):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class CappedText(io.TextIOBase):
    """A text sink that keeps the first `cap` characters and notices an
    internal-error report anywhere."""

    def __init__(self, cap: int = 1 << 16):
        self.parts: list[str] = []
        self.kept = 0
        self.cap = cap
        self.internal = False

    def write(self, s: str) -> int:
        if "internal VM error" in s:
            self.internal = True
        if self.kept < self.cap:
            self.parts.append(s[: self.cap - self.kept])
            self.kept += min(len(s), self.cap - self.kept)
        return len(s)

    def getvalue(self) -> str:
        return "".join(self.parts)


class Runner:
    def __init__(self, seeds, max_polls: int = 48, run_seconds: float = 2.0, load_seconds: float = 20.0,
                 max_heap: int = 16 << 20, max_stack: int = 2000):
        self.seeds = seeds
        self.descs = {}      # seed name → its modules, read once
        self.max_polls = max_polls
        self.run_seconds = run_seconds
        self.load_seconds = load_seconds
        self.max_heap = max_heap
        self.max_stack = max_stack

    def modules_of(self, seed):
        d = self.descs.get(seed.name)
        if d is None:
            d = self.descs[seed.name] = [read_module(b) for b in seed.modules]
        return d

    def run_one(self, seed, index: int, data: bytes) -> tuple[str, str]:
        """(kind, detail) for `seed` with module `index` replaced by `data`."""
        try:
            with time_limit(self.load_seconds):
                try:
                    desc = read_module(data)
                except LoadError as e:
                    return "reader", str(e)
        except _Timeout:
            return "crash", "hang in the reader"
        except Exception:
            return "crash", "reader: " + traceback.format_exc()
        mods = list(self.modules_of(seed))
        mods[index] = desc
        out, err = CappedText(), CappedText()
        vm = VM(max_heap=self.max_heap, max_stack=self.max_stack, stdout=out, stderr=err,
                stdin=io.StringIO(""))
        polls = [0]
        original = vm.interp.poll
        limit = self.max_polls

        def poll(fid: int) -> None:
            original(fid)
            polls[0] += 1
            if polls[0] > limit:
                raise Stop()
        vm.interp.poll = poll            # before linking: ops bind the hook when they are made
        try:
            with time_limit(self.load_seconds):
                try:
                    vm.load(mods)
                except VerifyError as e:
                    return "verifier", str(e)
                except LoadError as e:
                    msg = str(e)
                    if "malformed module:" in msg or "unreadable module:" in msg:
                        return "crash", "load: " + msg
                    return "loader", msg
        except _Timeout:
            return "crash", "hang in verify/link"
        except Exception:
            return "crash", "load: " + traceback.format_exc()
        try:
            with time_limit(self.run_seconds):
                try:
                    status = vm.run_main(seed.entry, list(seed.args))
                except LoadError as e:        # no main, or main of the wrong signature
                    return "loader", str(e)
        except (Stop, _Timeout):
            return "budget", f"{polls[0]} polls"
        except Exception:
            return "crash", "run: " + traceback.format_exc()
        if err.internal or out.internal:
            return "crash", "run: " + err.getvalue()[-2000:]
        return "completed", f"status {status}"


__all__ = ["Runner", "KINDS", "time_limit"]
