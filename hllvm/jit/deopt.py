"""Handing compiled frames back to the interpreter.

When compiled code stops short of something it does not do itself (see
irgen.py), the stopped frames are described in the hand-back buffer,
innermost first, one record each:

    fid, site code, n, then n words: the locals, then for each depth of
    the operand stack its int, float and reference slot (the site's kinds
    say which one holds the entry; ints and bools as themselves, floats as
    their bits)

The site (the function's `Site` list, by code) says whether the frame
stopped *before* the instruction at its pc (the innermost frame only) or
*after* the call at its pc (every frame above it), and the types of its
stack entries.  `rebuild` turns the records into interpreter frames: the
outermost record is the frame the interpreter entered compiled code with
(its registers are `ctx.R`); each frame that stopped after a call is pushed
as the interpreter's call op would have pushed it (registers, the op after
the call, the result register); the innermost becomes the running frame,
and the interpreter goes on at the op where that instruction begins.  The
lowering's sites (lower.py: the registers holding each stack entry at that
pc) say where each value goes.

A hand-back that a poll asked for because a suspension is due
(`HandBack.suspending`, set by the poll in tier.py) stops the interpreter
right there, before that op, as the interpreter's own poll would have: the
op SUSPEND with `stop_at` (interp.py).  Waiting for the interpreter's next
poll instead would stop it later than the same point in the interpreter —
or never, when the hand-back came at the program's last event.

It owns the buffer and its format; it does not decide when to leave
(irgen.py) or what runs next (the interpreter).
"""

from __future__ import annotations

import mmap
import struct

from ..interp import SUSPEND
from ..state import BACK, BACK_AT, STATUS
from .irgen import BACK_WORDS, OSR_CODES, RECORD_HEADER, kind

_DOUBLE = struct.Struct("<d")
_WORD = struct.Struct("<q")


def _float(w: int) -> float:
    return _DOUBLE.unpack(_WORD.pack(w))[0]


# A record holds, per stack depth, the int, float and reference slot of that depth.
_SLOT = {"I": 0, "Z": 0, "F": 1, "R": 2}
# Value kind (irgen.kind) → the interpreter's value of a word.
CONVERT = {"I": int, "Z": bool, "F": _float, "R": int}


class HandBack:
    """The buffer of one VM, at a fixed address (BACK in the run state)."""

    def __init__(self, state) -> None:
        self._buf = mmap.mmap(-1, BACK_WORDS * 8)
        self.W = memoryview(self._buf).cast("q")
        import ctypes
        state.W[BACK] = ctypes.addressof(ctypes.c_char.from_buffer(self._buf))
        state.W[BACK_AT] = 0
        self.suspending = False          # the records were written for a suspension

    def records(self, S) -> list[tuple[int, int, list]]:
        """The records written, innermost first; the buffer is emptied."""
        n = S[BACK_AT]
        S[BACK_AT] = 0
        W = self.W
        out = []
        at = 0
        while at < n:
            fid, code, count = W[at:at + RECORD_HEADER].tolist()
            at += RECORD_HEADER
            out.append((fid, code, W[at:at + count].tolist()))
            at += count
        return out


def rebuild(interp, compiled: dict, back: HandBack, S, counts: dict | None = None) -> int:
    """Make interpreter frames of the records (see the module docstring);
    the op index the interpreter continues at.  `counts`, if given, counts
    the innermost frame's (fid, pc): where compiled code stopped short."""
    S[STATUS] = 0
    records = back.records(S)
    frames, ctx, functions = interp.frames, interp.ctx, interp.functions
    R = ctx.R
    last = len(records) - 1
    for i, (fid, code, words) in enumerate(reversed(records)):
        fn = functions[fid]
        c = compiled[fid]
        site = c.sites[code] if code < OSR_CODES else c.osr.sites[code - OSR_CODES]
        if i:
            R = [0] * fn.nargs + list(fn.tail)
        types = fn.desc.locals
        for j, t in enumerate(types):
            R[j] = CONVERT[kind(t)](words[j])
        regs, call_index, call, _ret = fn.sites[site.pc]
        t0, end = fn.nlocals, fn.nlocals + fn.facts.max_depth
        nl = len(types)
        if not i:
            # The frame the interpreter entered compiled code with kept its
            # stack registers from before (compiled code never updated them:
            # only its locals were the collector's).  A frame stopped after
            # a call is a root with the call's operands in them, which the
            # callee has consumed: they must read as null, not as what a
            # collection since has moved.
            R[t0:end] = [0] * (end - t0)
        for d, t in enumerate(site.stack):
            r = regs[d]
            if t0 <= r < end:
                R[r] = CONVERT[t](words[nl + 3 * d + _SLOT[t]])
        if site.after and i < last:
            frames.append((R, fn.entry + call_index + 1, call.dst))
        else:
            ctx.R = R
            if counts is not None:
                key = (fid, site.pc)
                counts[key] = counts.get(key, 0) + 1
            at = fn.entry + fn.pcmap[site.pc]
            if back.suspending:
                back.suspending = False
                interp.stop_at = at
                return SUSPEND
            return at
    raise AssertionError("no frame to go on with")


__all__ = ["HandBack", "rebuild", "CONVERT"]
