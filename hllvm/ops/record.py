"""The lowered operation record, `Op`: what lowering (lower.py) produces,
link-time fusion (fuse.py) rewrites, and a factory turns into a closure.

It owns the record's fields and nothing else: which kinds exist and what
each does is the kind table's (kinds.py)."""

from __future__ import annotations


class Op:
    """One lowered operation.

    `kind` names its row of the kind table; `origin` is the bytecode pc it
    came from (handler ranges and line numbers are looked up by it); `dst`
    the result register (None when it has none); `src` the source registers
    in order; `targets` the op indices it may jump to (function-relative
    until the linker makes them absolute), `extra` anything else (a field
    offset, a callee, a fid).  `index` is its place in the VM's code list:
    an op that may collect records it in `ctx.pc` first (the collector's
    only way to know where the running frame stopped, as Lua's `savepc`).
    `live`, for safepoint kinds: ((stack position, register), ...) of the
    operand-stack entries (before the op) that live in their own stack
    register, which the collector types by the verifier's stack map."""
    __slots__ = ("kind", "origin", "dst", "src", "targets", "extra", "live", "index")

    def __init__(self, kind: str, origin: int, dst, src: tuple, extra=None, targets: tuple = ()):
        self.index = 0
        self.kind = kind
        self.origin = origin
        self.dst = dst
        self.src = src
        self.targets = targets
        self.extra = extra
        self.live = None

    def __repr__(self) -> str:
        return (f"Op({self.kind}, pc={self.origin}, dst={self.dst}, src={self.src}, "
                f"targets={self.targets}, {self.extra!r})")


__all__ = ["Op"]
