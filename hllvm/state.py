"""The run state shared by every execution tier: one small block of native words.

Compiled code cannot read Python attributes, so the facts about a running
call that every tier must see — the fuel not yet handed out, the budget of
events compiled code may run before it polls, the stop request, the depth
of compiled frames — live in one array of int64 words at a fixed native
address (`RunState.address`), with one named slot each.  Python reads and
writes them through a memoryview (`RunState.W`); machine code through the
address.  The slot numbers are the ABI: compiled code is written against
`SLOTS` and must not hard-code them.

    FUEL    units of fuel not handed out to any counter (UNLIMITED: no limit)
    BUDGET  events compiled code may still run before it polls (its counter;
            the interpreter's per-function countdowns are the other counters)
    STOP    the epoch of the call an interrupt was requested for (-1: none);
            the running call stops at its next poll when it is its own
    DEPTH   frames of compiled code on the native stack (the interpreter's
            own frames are `len(Interpreter.frames)`)
    BASE    the interpreter's frame count when compiled code was entered
            (so BASE + DEPTH is the depth the interpreter would be at)
    STATUS  how the compiled code just left: 0 returned, DEOPTED (its
            frames are described in the hand-back buffer) or STOPPED (a
            poll stopped the call: nothing to resume)
    WORDS   words of the hand-back buffer its native frames may need
    POLL    address of the poll function compiled code calls when BUDGET
            runs out: it takes the counter and returns the next chunk plus
            one, or 0 to stop (hllvm/jit/tier.py)
    BACK    address of the hand-back buffer (hllvm/jit/deopt.py)
    BACK_AT words written to it so far
    FUNCS   address of the native function table (hllvm/tables.py)
    HEAP    address of the heap's memory (word 0)
    SHADOW  address of the shadow stack (compiled frames' references: a
            root of the collector); SHADOW_SP its slots in use
    HELPER  address of the helper function (hllvm/jit/helpers.py); FAIL
            how the last helper call ended (0: done)
    ARGS    address of the buffer of a native call's arguments
    CLASS_AT, CLASSES  addresses of the class tables (hllvm/tables.py)
    FMETA   address of the per-function facts compiled calls check
            (hllvm/jit/irgen.py META_*)
    TLAB_TOP, TLAB_END  compiled code's allocation window in the heap
            (hllvm/jit/helpers.py): objects are bumped from TOP up to END
    CHARS   address of 256 words: the interned one-character strings of
            code points 0..255 (permanent blocks, never moved)
    IDHASH  the last identity hash handed out (VHASH of an instance or a
            function value, hllvm/ops/values.py): the next is
            IDHASH % MAX_HASH + 1, written back here and into the block's
            word 1 (layout.HASH_SHIFT), by whichever tier asks first
    EDGE    what compiled code's poll is for: 1 a back-edge (taken: counted
            even if the poll suspends), 0 a call (run again after a
            suspension, so not counted then); written before each poll
    SMALLINTS  address of the shared boxes of the ints -128..1023, one word
            each (0: not made yet): permanent blocks, made by whichever tier
            boxes the int first (hllvm/ops/values.py)

This module owns the block and its slot numbers; what the slots mean for
limits is decided in hllvm/limits.py, which is the only writer of FUEL and
STOP.  It does not count anything itself.
"""

from __future__ import annotations

import mmap

(FUEL, BUDGET, STOP, DEPTH, BASE, STATUS, WORDS, POLL, BACK, BACK_AT, FUNCS, HEAP, SHADOW, SHADOW_SP,
 HELPER, FAIL, ARGS, CLASS_AT, CLASSES, FMETA, TLAB_TOP, TLAB_END, CHARS, IDHASH, EDGE, SMALLINTS) = range(26)
SLOTS = {name: i for i, name in enumerate((
    "FUEL", "BUDGET", "STOP", "DEPTH", "BASE", "STATUS", "WORDS", "POLL", "BACK", "BACK_AT", "FUNCS",
    "HEAP", "SHADOW", "SHADOW_SP", "HELPER", "FAIL", "ARGS", "CLASS_AT", "CLASSES", "FMETA",
    "TLAB_TOP", "TLAB_END", "CHARS", "IDHASH", "EDGE", "SMALLINTS"))}
NSLOTS = 32                     # room for what the JIT adds, without moving the block
RETURNED, DEOPTED, STOPPED = 0, 1, 2    # values of STATUS
UNLIMITED = -1                  # FUEL when there is no fuel limit


class RunState:
    """The native block of one VM.  It never moves and lives as long as the VM."""
    __slots__ = ("_buf", "W")

    def __init__(self) -> None:
        # An anonymous mapping: zeroed, page-aligned, never moved.
        self._buf = mmap.mmap(-1, NSLOTS * 8)
        self.W = memoryview(self._buf).cast("q")
        self.W[FUEL] = UNLIMITED

    @property
    def address(self) -> int:
        """The block's native address, for compiled code (ctypes is imported
        only here: the interpreter alone never asks)."""
        import ctypes
        return ctypes.addressof(ctypes.c_char.from_buffer(self._buf))
