"""Closures made at a function's first run, not at link time.

Making an op's closure costs Python work (and, for each new shape, a
`compile` of its source: generate.py), and most functions a program loads
— the prelude's, a library's — never run.  So the linker puts a *stub* at
each of a function's code indices; the first stub that runs makes the
closures of all the function's ops, puts them in place, and returns its
own index, so the interpreter's loop runs the real op next.  A function is
entered at its entry op by calls, but the interpreter may also start at
any of its ops — a frame compiled code hands back, a snapshot's frame —
hence a stub at every index.

Making is idempotent: should it be stopped half-way (Ctrl-C), the ops not
made yet still have their stubs, and the next one makes them all again
(factories only bind; they change nothing).  The ops' records, kept until
then, are dropped once made.

It owns the stubs; what an op's closure is remains the factories' (ops/).
"""

from __future__ import annotations

from . import FACTORIES
from .fuse import next_index


def stubs(E, ops: list, base: int, thread) -> list:
    """The stubs for `ops` (placed at `base`.. in `E.code`; `thread`: the
    function's jump threading, as fuse.next_index takes it)."""
    code = E.code
    left = [ops]

    def make() -> None:
        pending = left[0]
        if pending is None:
            return
        for i, o in enumerate(pending):
            code[base + i] = FACTORIES[o.kind](E, o, next_index(pending, i, base, thread))
        left[0] = None

    def stub(at: int):
        def op() -> int:
            make()
            return at
        return op
    return [stub(base + i) for i in range(len(ops))]
