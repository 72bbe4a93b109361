"""The run phase's exceptions, and the internal signals of the interpreter.

`HLError` is what a host sees when an HL error is not caught by HL code: it
carries the HL class name, the message and the stack trace.
`ResourceExhausted` and `Interrupted` (both `Stopped`) end a run that used
up its fuel, time or output quota, or that the host interrupted;
`Suspended` one that was frozen into a snapshot, and `SnapshotError` a
snapshot that cannot be made or resumed.  `LoadError`
(from `hlbc`) is the loading and linking phase's.  `HLThrow`, `ExitProgram`
and `Halt` (and `SuspendHere`) are signals between the interpreter's pieces and never reach a
host.  This module does not build HL error objects (that is the VM's
`Errors` helper in interp.py).
"""

from __future__ import annotations

from hlbc.errors import LoadError


class HLError(Exception):
    """An HL error that no HL handler caught."""

    def __init__(self, class_name: str, message: str | None, trace: list[str]):
        self.class_name = class_name
        self.message = message
        self.trace = trace            # "  at f (file.hl:3)" lines, innermost first
        super().__init__(f"{class_name}: {message}")
        if trace:                     # shown under the message in a Python traceback
            self.add_note("HL stack trace (innermost first):\n" + "\n".join(trace))

    def report(self) -> str:
        return "\n".join([f"Uncaught {self.class_name}: {self.message}", *self.trace]) + "\n"


class Stopped(Exception):
    """The host's control ended a call: no HL code (no `catch`, no `finally`)
    ran after the stop, and the VM is ready for the next call."""


class ResourceExhausted(Stopped):
    """The call used up a resource the host limited: `resource` is "fuel"
    (`VM.fuel`), "time" (`timeout`) or "output" (`max_output`).  HL code
    cannot catch this (exit status 4 on the command line)."""

    def __init__(self, message: str = "fuel exhausted", resource: str = "fuel"):
        super().__init__(message)
        self.resource = resource


class Interrupted(Stopped):
    """The host interrupted the call (`VM.interrupt`); HL code cannot catch it."""


class Suspended(Stopped):
    """The call was suspended (`VM.suspend`, a snapshot signal, a checkpoint
    that ends the run): `snapshot` holds its bytes (docs/snapshots.md).
    Like any stop, no HL code ran after it in this VM; the snapshot goes on
    where it stopped when resumed."""

    def __init__(self, snapshot: bytes, message: str = "suspended"):
        super().__init__(message)
        self.snapshot = snapshot


class SnapshotError(Exception):
    """A snapshot cannot be made (the VM is not at a point it can describe)
    or cannot be resumed (it is malformed, forged, from another version, or
    needs what this VM lacks): `what` is the reason, `where` the section and
    offset or the object it concerns."""

    def __init__(self, what: str, where: str = ""):
        self.what = what
        self.where = where
        super().__init__(f"{where}: {what}" if where else what)


class SuspendHere(Exception):
    """Signal from a poll to the run loop: a suspension was requested and
    this is a point the frames can be described at (never reaches a host)."""


class HLThrow(Exception):
    """Unwinding signal: the HL error object `ref` is being thrown.  An error
    the VM raises itself may be *pending* (ref 0, `pending` = (class name,
    message)): the run loop builds the object, where it knows which op
    threw, so that an op that is not a safepoint never allocates (and so
    never collects) with its frame half-described."""
    __slots__ = ("ref", "pending")

    def __init__(self, ref: int, pending: tuple | None = None):
        self.ref = ref
        self.pending = pending


class ExitProgram(Exception):
    """`exit(n)`: end the program now with status n (no handler runs)."""

    def __init__(self, status: int):
        self.status = status


class Halt(Exception):
    """The host-call sentinel frame was returned to: leave the run loop."""


__all__ = ["HLError", "Stopped", "ResourceExhausted", "Interrupted", "Suspended", "SnapshotError", "SuspendHere", "HLThrow", "ExitProgram", "Halt", "LoadError"]
