"""The interpreter's lowered operations: what each op kind does, as closures.

The pre-decoder (`hllvm/lower.py`) turns a function's stack code into a list
of `Op` records over frame registers; `FACTORIES[kind](E, op, nx)` turns one
record into a closure with its operands bound.  A closure takes no argument,
reads and writes the current frame's registers through `E.ctx.R`, and
returns the index of the next op to run in the VM's code list.  Every
closure reads all its operands before it writes its result, so the
pre-decoder may make an op write straight into a local that it also reads.

Rooms:

    record.py    the `Op` record
    kinds.py     the kind table: every kind's operands, template or factory,
                 and flags (safepoint, may throw, transfers, fusable, calls);
                 the superinstructions derived from the templates
    numeric.py   HL's int/float semantics the templates use
    generate.py  closures and fused runs made from the templates
    calls.py     calls (direct, virtual, to_string, native)
    alloc.py     the allocating ops
    fuse.py      where superinstructions and runs apply; relocation

Nothing here decides which ops an instruction becomes (lower.py), unwinds
errors or prints traces (interp.py); errors are thrown through `E.errors`,
which raises `HLThrow`.
"""

from __future__ import annotations

from . import alloc, calls  # noqa: F401  (their @hand rows join the table)
from .generate import f_run, pmove, template_factory
from .kinds import KINDS, hand
from .record import Op

hand("pmove")(pmove)
hand("run")(f_run)       # its pieces' flags are their own kinds'

FACTORIES: dict = {name: (k.factory or template_factory) for name, k in KINDS.items()}

# Ops during which the collector may run with the frame's operand stack live:
# the ones that allocate and the calls.  Any other op reaches the collector
# only by throwing (the error is allocated), and a throwing op's operand
# stack is dead (docs/gc.md).
SAFEPOINT_KINDS = frozenset(name for name, k in KINDS.items() if k.safepoint)

__all__ = ["Op", "FACTORIES", "KINDS", "SAFEPOINT_KINDS"]
