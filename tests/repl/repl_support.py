"""Helpers of the REPL tests."""

from __future__ import annotations

import threading
from contextlib import contextmanager


@contextmanager
def interrupting(vm, every: float = 0.1):
    """Interrupt `vm` repeatedly while the block runs: an interrupt reaches
    only a call that is running, so one sent too early would be lost."""
    done = threading.Event()

    def keep_interrupting():
        while not done.wait(every):
            vm.interrupt()

    t = threading.Thread(target=keep_interrupting, daemon=True)
    t.start()
    try:
        yield
    finally:
        done.set()
        t.join()
