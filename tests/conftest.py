"""What every test may assume of the process it runs in.

Ctrl-C: a shell that starts a command as a background job (`cmd &`, in a
script or under `nohup`) starts it with SIGINT ignored, and Python then
keeps it ignored instead of installing its KeyboardInterrupt handler.
Tests that simulate a Ctrl-C (`_thread.interrupt_main`) would then wait
for ever for an interrupt that does nothing, so the suite installs
Python's usual handler for its run, as in a foreground terminal.
"""

from __future__ import annotations

import signal
import threading

import pytest


@pytest.fixture(autouse=True, scope="session")
def python_handles_ctrl_c():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
