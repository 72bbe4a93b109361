"""Running one mutant: read, verify and link, run under a budget, classify.

`Runner(seeds).run_one(seed, index, data)` replaces module `index` of a seed
program by `data` and takes it as far as it goes:

    reader     hlbc.read_module raised LoadError
    loader     VM.load raised LoadError (linking: names that do not resolve)
    verifier   VM.load raised VerifyError
    verified   (with `stop="verify"`) the verifier accepted it; nothing ran
    completed  main ran to its end (any exit status, uncaught HL errors too)
    budget     main was stopped by the VM's own limits (fuel: calls and loop
               back-edges; time; output), or by the harness's wall-clock
               alarm (a native that sleeps)
    crash      anything else: a Python exception escaping the VM, an
               "internal VM error" report, a LoadError that only wraps a
               Python exception ("malformed module", "unreadable module"),
               or a load that does not finish in time (a hang)

With `stop="verify"` a mutant goes only through the reader and
`verify_modules` (no linking, no run): a campaign of the verifier alone,
faster, and independent of what the rest of the VM supports yet.

The VM runs in this process with a small heap, a small stack limit, fuel, a
time and an output limit, no file grants and empty stdin; its output is
captured up to a cap.  The harness's own wall-clock limits (a hang in
loading, a native that sleeps) use SIGALRM, so it runs in the main thread.
"""

from __future__ import annotations

import io
import signal
import traceback
from contextlib import contextmanager

from hlbc import LoadError, read_module
from hllvm import VM, VerifyError
from hllvm.verify import verify_modules

KINDS = ("reader", "loader", "verifier", "verified", "completed", "budget", "crash")


class _Timeout(BaseException):
    """The harness's alarm (not an Exception: the VM's own handlers must not see it)."""


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
    def __init__(self, seeds, fuel: int = 50_000, run_seconds: float = 2.0, load_seconds: float = 20.0,
                 max_heap: int = 16 << 20, max_stack: int = 2000, jit: str = "off", stop: str = "run"):
        self.seeds = seeds
        self.stop = stop        # "run", or "verify": the verifier alone
        self.jit = jit          # the tier the mutants run in ("eager": the JIT compiles each one)
        self.descs = {}      # seed name → its modules, read once
        self.fuel = fuel
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
        if self.stop == "verify":
            return self._verify_only(mods)
        out, err = CappedText(), CappedText()
        vm = VM(max_heap=self.max_heap, max_stack=self.max_stack, stdout=out, stderr=err,
                stdin=io.StringIO(""), fuel=self.fuel, timeout=self.run_seconds, max_output=1 << 16,
                jit=self.jit)
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
            with time_limit(self.run_seconds + 3.0):
                try:
                    status = vm.run_main(seed.entry, list(seed.args))
                except LoadError as e:        # no main, or main of the wrong signature
                    return "loader", str(e)
        except _Timeout:
            return "budget", "wall-clock alarm"
        except Exception:
            return "crash", "run: " + traceback.format_exc()
        if err.internal or out.internal:
            return "crash", "run: " + err.getvalue()[-2000:]
        text = err.getvalue()
        if status == 4 and text and not text.startswith("Uncaught"):   # ResourceExhausted
            return "budget", text.strip()
        return "completed", f"status {status}"

    def _verify_only(self, mods) -> tuple[str, str]:
        try:
            with time_limit(self.load_seconds):
                try:
                    verify_modules(mods, (), self._natives)
                except VerifyError as e:
                    return "verifier", str(e)
                except LoadError as e:
                    return "loader", str(e)
        except _Timeout:
            return "crash", "hang in verify"
        except Exception:
            return "crash", "verify: " + traceback.format_exc()
        return "verified", ""

    @property
    def _natives(self):
        sig = getattr(self, "_native_sig", None)
        if sig is None:
            sig = self._native_sig = VM().native_signature
        return sig


__all__ = ["Runner", "KINDS", "time_limit"]
