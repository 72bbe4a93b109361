"""Natives of `time`: wall-clock seconds and sleeping (a negative or nan
duration throws ValueError; a sleep ends early, stopping the call, when the
host interrupts it or its time limit passes)."""

from __future__ import annotations

import time


def natives(vm):
    err = vm.errors

    def sleep(seconds):
        if not seconds >= 0.0:
            err.throw("ValueError", f"sleep: invalid duration {seconds!r}")
        vm.out.flush()
        # Cut short by VM.interrupt() or the call's time limit (hllvm/limits.py).
        vm.control.sleep(min(seconds, 1e9))

    return {
        "time.now": ("()F", time.time),
        "time.sleep": ("(F)V", sleep),
    }
