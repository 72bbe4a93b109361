"""The VM's output writer: buffered text to a host file-like object.

HL output (`print`, `println`) is collected here and written in large pieces;
it is flushed when the buffer is full, before reading input or sleeping, before
an error trace is written, and when the program ends.  A target is a
file-like object, a callable taking text, or None, which means "the current
sys.stdout / sys.stderr", looked up at flush time (so a host that swaps
sys.stdout, as test runners do, still captures it).  Text the target's
encoding cannot represent is written with replacement characters rather
than failing: a lone surrogate as U+FFFD, then whatever the target's own
encoding lacks (an ASCII stream, say) as that encoding's replacement.  A
host's per-call output quota (`max_output`) is enforced here: writing past
it stops the call.

A target that fails (OSError from its write or flush: a closed pipe, a
full disk) is the host's to handle: the error propagates from the write or
flush that met it, and the text of that flush is dropped.  `hll` gives the
VM standard streams whose failures end the process with a status of their
own (hll/streams.py); a target without `flush`, or one already closed,
is not flushed.
"""

from __future__ import annotations

import sys

from .errors import ResourceExhausted

_LIMIT = 1 << 16
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")     # each lone one: U+FFFD


class _Sink:
    """A callable taking each flushed piece of text, used as a target."""

    def __init__(self, fn) -> None:
        self.write = fn


class Writer:
    def __init__(self, target=None, stream: str = "stdout") -> None:
        if target is not None and not hasattr(target, "write"):
            if not callable(target):
                raise TypeError(f"{stream} must be a file-like object or a callable, not {target!r}")
            target = _Sink(target)
        self.target = target
        self.stream = stream
        self.buf: list[str] = []
        self.size = 0
        self.quota: int | None = None     # characters the running call may still write

    def write(self, s: str) -> None:
        if self.quota is not None:
            # The host's `max_output` for the current call (hllvm/limits.py).
            self.quota -= len(s)
            if self.quota < 0:
                self.quota = 0
                raise ResourceExhausted("output limit exceeded", "output")
        self.buf.append(s)
        self.size += len(s)
        if self.size > _LIMIT:
            self.flush()

    def flush(self) -> None:
        target = self.target if self.target is not None else getattr(sys, self.stream)
        if self.buf:
            data = "".join(self.buf)
            self.buf.clear()
            self.size = 0
            try:
                target.write(data)
            except UnicodeEncodeError:
                _write_replacing(target, data)
        try:
            flush = target.flush
        except AttributeError:
            return
        try:
            flush()
        except ValueError:        # closed: nothing of ours is left in it
            pass


def _write_replacing(target, data: str) -> None:
    """Write `data` with replacement characters for what the target cannot
    encode (the module docstring)."""
    data = data.translate(_SURROGATES)
    try:
        target.write(data)
    except UnicodeEncodeError:
        encoding = getattr(target, "encoding", None) or "ascii"
        target.write(data.encode(encoding, "replace").decode(encoding))
