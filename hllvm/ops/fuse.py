"""Link-time superinstructions and relocation of one function's ops.

`fuse(ops, thread)` rewrites a function's lowered ops (function-relative
targets) where the kind table (kinds.py) has a fused row for the pattern:

* a branch whose true side is a back-edge stub (`loop`) counts the back-edge
  itself (`COUNTING_OF`: `br_lt` → `br_lt_c`);
* a value op whose result the next op returns does both (`RETURNING_OF`);
* an `iadd` followed by a counting branch does both (`STEP_OF`: the loop
  step and test);
* each straight-line run of fusable templates (generate.is_piece), ended by
  at most one fusable transfer (generate.is_end), becomes one `run` op at
  the run's first index, at most MAX_RUN pieces long.

The ops a superinstruction absorbs stay in place for other entrants (jump
targets inside a run, the loop's first test).  `relocate` then makes every
target absolute.  It does not make closures (generate.py, calls.py,
alloc.py) and does not decide what any kind does (kinds.py)."""

from __future__ import annotations

from .generate import is_end, is_piece
from .kinds import COUNTING_OF, KINDS, RETURNING_OF, STEP_OF
from .record import Op

# Pieces per run: a run's closure is compiled from source once per shape, so
# an unbounded run (a long array literal) would cost time and memory
# quadratic in nothing but grow with the function; beyond this, another run
# starts.
MAX_RUN = 32


def fuse(ops: list[Op], thread) -> None:
    """`thread(i)`: where a jump to op i really lands (forward jumps followed)."""
    for o in ops:
        counting = COUNTING_OF.get(o.kind)
        if counting is not None:
            t, f = o.targets
            if ops[t].kind == "loop" and ops[f].kind != "loop":
                back = ops[t]
                o.kind = counting
                o.targets = (thread(back.targets[0]), thread(f))
                o.extra = back.extra                 # the fid whose back-edge it counts
    for i, o in enumerate(ops[:-1]):
        if thread(i + 1) != i + 1:
            continue
        nxt = ops[i + 1]
        returning = RETURNING_OF.get(o.kind)
        if returning is not None and nxt.kind == "retv" and nxt.src == (o.dst,):
            o.kind = returning
            continue
        step = STEP_OF.get((o.kind, nxt.kind))
        if step is not None:
            o.kind = step
            o.src = (*o.src, *nxt.src)
            o.targets = nxt.targets
            o.extra = nxt.extra
    i, n_ops = 0, len(ops)
    while i < n_ops:
        j = i
        while j < n_ops and j - i < MAX_RUN and is_piece(ops[j].kind):
            j += 1              # a piece falls through to the next op (a jmp is not a piece)
        if i < j < n_ops and is_end(ops[j].kind):
            j += 1
        if j - i >= 2:
            first = ops[i]
            copy = Op(first.kind, first.origin, first.dst, first.src, first.extra, first.targets)
            first.kind = "run"
            first.targets = ()
            first.extra = ([copy, *ops[i + 1:j]], j - i)
            i = j
        else:
            i += 1


def relocate(ops: list[Op], base: int, thread) -> None:
    """Make targets absolute (code index = base + op index), threaded."""
    for i, o in enumerate(ops):
        if o.kind == "run":
            pieces, n = o.extra
            o.extra = (pieces, [base + i + k for k in range(n)], base + thread(i + n))
        if o.targets:
            o.targets = tuple(base + thread(t) for t in o.targets)


def next_index(ops: list[Op], i: int, base: int, thread) -> int:
    """Where op i goes when it falls through (absolute).  A call returns to
    the op right after it, unthreaded: traces find the call by it."""
    if i + 1 >= len(ops):
        return base + i + 1          # never used: the last op always transfers
    return base + (i + 1 if KINDS[ops[i].kind].calls else thread(i + 1))


__all__ = ["fuse", "relocate", "next_index", "MAX_RUN"]
