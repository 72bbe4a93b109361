"""The native side of tier 1 that only a VM compiling code needs: ctypes
types of compiled functions and of the functions compiled code calls back
(poll, helper), word arrays at fixed addresses, and the shadow stack.

Imported when the first function is compiled (tier.py), so that a run that
compiles nothing does not import ctypes.  It decides nothing.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
import threading
import weakref

from ..state import SHADOW, SHADOW_SP
from .irgen import SHADOW_WORDS

# Value kind (irgen.kind) → its ctypes type at the boundary.
CTYPE = {"I": ctypes.c_int64, "Z": ctypes.c_int64, "F": ctypes.c_double, "R": ctypes.c_int64}
POLL_TYPE = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64)
HELPER_TYPE = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                               ctypes.c_int64)
# A function value's adapter (dispatch.py): (env, function value, argument words) → result word.
ADAPTER_TYPE = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p)


def function_type(params: list[str], ret: str | None):
    """The ctypes type of a compiled function over kinds `params` returning
    kind `ret` (None: void, which returns a word)."""
    return ctypes.CFUNCTYPE(CTYPE[ret] if ret else ctypes.c_int64, ctypes.c_void_p,
                            *[CTYPE[k] for k in params])


class Words:
    """A zeroed array of int64 words at a fixed native address."""

    def __init__(self, n: int) -> None:
        self._buf = mmap.mmap(-1, n * 8)
        self.W = memoryview(self._buf).cast("q")
        self.address = ctypes.addressof(ctypes.c_char.from_buffer(self._buf))


class ShadowFrames:
    """The shadow stack of compiled frames, as the collector's roots see it
    (`slots`, `sp`: hllvm/collector/roots.py); its top is the run state's
    SHADOW_SP word, which compiled code moves."""

    def __init__(self, state) -> None:
        self._words = Words(SHADOW_WORDS)
        self.slots = self._words.W
        self.S = state.W
        state.W[SHADOW] = self._words.address
        state.W[SHADOW_SP] = 0

    @property
    def sp(self) -> int:
        return self.S[SHADOW_SP]


# An exception raised in a callback before its own `try` can catch it — an
# asynchronous one: KeyboardInterrupt, or the SIGTERM handler's — would be
# printed and dropped by ctypes, which then returns 0 to the native code.
# The callbacks are registered here, and the hook below gives such an
# exception to the callback's owner (`on_lost(exc)`), so it stops the call
# as if the callback had caught it.
_owners: dict[int, object] = {}
_lock = threading.Lock()
_previous = None


def _hook(unraisable) -> None:
    ref = _owners.get(id(unraisable.object))
    owner = ref() if ref is not None else None
    if owner is not None and unraisable.exc_value is not None:
        owner(unraisable.exc_value)
        return
    (_previous or sys.__unraisablehook__)(unraisable)


def guard(callback, on_lost) -> None:
    """Route an exception ctypes would drop in `callback` to `on_lost`
    (held weakly: its owner keeps it, and a VM that is gone is forgotten)."""
    global _previous
    with _lock:
        if sys.unraisablehook is not _hook:
            _previous = sys.unraisablehook
            sys.unraisablehook = _hook
        if len(_owners) >= 64:              # forget the VMs that are gone (a host may make many)
            for key in [k for k, ref in _owners.items() if ref() is None]:
                del _owners[key]
        _owners[id(callback)] = weakref.ref(on_lost)


__all__ = ["CTYPE", "POLL_TYPE", "HELPER_TYPE", "ADAPTER_TYPE", "function_type", "Words", "ShadowFrames", "guard"]
