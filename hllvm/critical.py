"""Critical sections: work that must run to its end once begun — the
collector moving objects, the heap's page accounting.

A Ctrl-C that arrives inside one (a real SIGINT, or `_thread.interrupt_main`,
which trips the same Python-level handler) is held and handed to whatever
handler was installed when the section ends, so a KeyboardInterrupt can
never leave half the heap moved or a page counted twice.  Sections nest.
Only the main thread runs signal handlers: elsewhere a section costs
nothing.  This module knows nothing about the heap.

    token = critical.enter()
    try:
        ...
    finally:
        critical.leave(token)
"""

from __future__ import annotations

import threading

from . import signals

_MAIN = threading.main_thread()
_current = threading.current_thread
_getsignal = signals.getsignal
_setsignal = signals.signal
_SIGINT = signals.SIGINT


def enter():
    """Begin holding Ctrl-C; returns the token for `leave`."""
    if _current() is not _MAIN:
        return None
    previous = _getsignal(_SIGINT)
    if not callable(previous):          # SIG_IGN, SIG_DFL or not Python's: nothing to hold
        return None
    held: list = []
    _setsignal(_SIGINT, lambda signum, frame: held.append(frame))
    return previous, held


def leave(token) -> None:
    """End the section: restore the handler, then deliver a held Ctrl-C to it
    (which may raise KeyboardInterrupt here, with everything consistent)."""
    if token is None:
        return
    previous, held = token
    _setsignal(_SIGINT, previous)
    if held:
        previous(_SIGINT, held[0])
