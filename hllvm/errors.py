"""The run phase's exceptions, and the internal signals of the interpreter.

`HLError` is what a host sees when an HL error is not caught by HL code: it
carries the HL class name, the message and the stack trace.
`ResourceExhausted` and `Interrupted` (both `Stopped`) end a run that used
up its fuel, time or output quota, or that the host interrupted.  `LoadError`
(from `hlbc`) is the loading and linking phase's.  `HLThrow`, `ExitProgram`
and `Halt` are signals between the interpreter's pieces and never reach a
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


__all__ = ["HLError", "Stopped", "ResourceExhausted", "Interrupted", "HLThrow", "ExitProgram", "Halt", "LoadError"]
