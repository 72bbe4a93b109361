"""The native side of tier 1 that only a VM compiling code needs: ctypes
types of compiled functions and of the functions compiled code calls back
(poll, helper), word arrays at fixed addresses, and the shadow stack.

Imported when the first function is compiled (tier.py), so that a run that
compiles nothing does not import ctypes.  It decides nothing.
"""

from __future__ import annotations

import ctypes
import mmap

from ..state import SHADOW, SHADOW_SP
from .irgen import SHADOW_WORDS

# Value kind (irgen.kind) → its ctypes type at the boundary.
CTYPE = {"I": ctypes.c_int64, "Z": ctypes.c_int64, "F": ctypes.c_double, "R": ctypes.c_int64}
POLL_TYPE = ctypes.CFUNCTYPE(ctypes.c_int64)
HELPER_TYPE = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                               ctypes.c_int64)


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


__all__ = ["CTYPE", "POLL_TYPE", "HELPER_TYPE", "function_type", "Words", "ShadowFrames"]
