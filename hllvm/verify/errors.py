"""The one exception of the verification phase, and its internal signals.

`VerifyError` is what a host sees when a module fails verification: it names
the module, the function (`f`, `Point.norm`, or a class name for a problem of
a class's layout), the byte offset of the instruction (`pc`, or None when the
problem is not in code) and what was expected and found.

The verifier also finds *linkage* problems — a constant or descriptor that
names nothing (an index past the pool, a constant of the wrong kind, an
unknown class, field, method, function, global or native, or one named with
another type or signature than its own).  Those are the loading phase's
`LoadError`, as in the JVM (a `NoSuchFieldError` is a linkage error, not a
`VerifyError`): the module does not fit with the others, whatever its code.

`Bad` (a rule failed) and `Unresolved` (a name did not resolve) are raised by
the verifier's small helpers, which do not know where they are; the caller
that does turns them into the public exception with `located`.  Run-time
errors are `HLError`.
"""

from __future__ import annotations

from hlbc.errors import LoadError


class VerifyError(Exception):
    def __init__(self, detail: str, function: str | None = None, pc: int | None = None,
                 module: str | None = None):
        self.detail = detail
        self.function = function
        self.pc = pc
        self.module = module
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.function is not None:
            where = f"in {self.function}"
        elif self.module is not None:
            where = f"in module {self.module}"
        else:
            where = ""
        if self.pc is not None:
            where += f" at pc {self.pc}"
        return f"VerifyError: {where.strip()}: {self.detail}" if where else f"VerifyError: {self.detail}"

    def __reduce__(self):
        return (VerifyError, (self.detail, self.function, self.pc, self.module))


class Bad(Exception):
    """A rule failed; `detail` says what was expected and found.  Never leaves
    the verifier: it is re-raised as a VerifyError with the location."""

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)


class Unresolved(Bad):
    """A constant or descriptor names nothing, or names it with another type:
    reported as a LoadError."""


def located(e: Bad, module: str | None, function: str | None = None, pc: int | None = None) -> Exception:
    """The public exception for `e` found in `module`/`function` at `pc`."""
    if isinstance(e, Unresolved):
        where = ".".join(x for x in (module, function) if x)
        if pc is not None:
            where += f" at pc {pc}"
        return LoadError(e.detail, where=where or None)
    return VerifyError(e.detail, function=function, pc=pc, module=module)
