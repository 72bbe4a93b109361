"""The checks of the arguments a host gives `VM(...)`: one table, argument →
check, each raising TypeError (`ArgumentTypeError`: a wrong kind of value)
or ValueError (out of range) that names the argument, before anything is
built.

The ranges are the command line's (hll/options.py): a heap of 64 KiB
(hllvm/heap.py MIN_HEAP_BYTES) to 1 TiB (the page map, one byte per 4 KiB
page, is allocated at start and scanned by every collection), 1 to 1,000,000
frames, fuel that fits the run state's signed 64-bit word.  A grant is a
list of directory paths: a lone string is refused (iterating it would grant
one directory per character), and so is an empty path, which `realpath`
would turn into the current directory.  What the VM does with valid values
is its own business (hllvm/vm.py); hllvm/limits.py checks a call's
`timeout` with `check_timeout` too.
"""

from __future__ import annotations

import os

from .heap import MIN_HEAP_BYTES

MAX_HEAP_BYTES = 1 << 40
MAX_STACK_FRAMES = 1_000_000
MAX_FUEL = (1 << 63) - 1


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong kind.  Also a ValueError: the VM raised
    ValueError for these before it told the two apart, and hosts catch it."""


def check_int(name: str, value, least: int, most: int, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        none = " (or None)" if optional else ""
        raise ArgumentTypeError(f"{name} must be an int{none}, not {value!r}")
    if not least <= value <= most:
        raise ValueError(f"{name} must be from {least} to {most}, not {value!r}")


def check_env_grant(names) -> tuple[str, ...]:
    """The environment variables of the `allow_env` grant, as a tuple of
    names (`"*"`: all)."""
    if isinstance(names, (str, bytes)):
        raise ArgumentTypeError(f"allow_env must be a list of variable names, not one name ({names!r}): "
                                f"write allow_env=[{names!r}]")
    try:
        items = list(names)
    except TypeError:
        raise ArgumentTypeError(f"allow_env must be a list of variable names, not {names!r}") from None
    for n in items:
        if not isinstance(n, str):
            raise ArgumentTypeError(f"allow_env: a variable name must be a str, not {n!r}")
        if not n or "=" in n or "\0" in n:
            raise ValueError(f"allow_env: {n!r} is not the name of an environment variable")
    return tuple(items)


def check_grants(name: str, dirs) -> tuple[str, ...]:
    """The directories of grant `name` as strings."""
    if isinstance(dirs, (str, bytes, os.PathLike)):
        raise ArgumentTypeError(f"{name} must be a list of directories, not one path ({dirs!r}): "
                        f"write {name}=[{dirs!r}]")
    try:
        items = list(dirs)
    except TypeError:
        raise ArgumentTypeError(f"{name} must be a list of directories, not {dirs!r}") from None
    paths = []
    for d in items:
        p = os.fspath(d) if isinstance(d, os.PathLike) else d
        if not isinstance(p, str):
            raise ArgumentTypeError(f"{name}: a directory must be a str or a path, not {d!r}")
        if not p:
            raise ValueError(f"{name}: an empty path is not a directory (write '.' to grant "
                             "the current one)")
        if "\0" in p:
            raise ValueError(f"{name}: {p!r} contains a NUL character")
        paths.append(p)
    return tuple(paths)


def check_timeout(name: str, t) -> None:
    """Unless `t` is None or a positive, finite number of seconds."""
    if t is None:
        return
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise ArgumentTypeError(f"{name} must be a number of seconds (or None), not {t!r}")
    if not 0 < t < float("inf"):
        raise ValueError(f"{name} must be a positive, finite number of seconds (or None), not {t!r}")


def _stdin(value) -> None:
    if value is None or isinstance(value, str):
        return
    if not callable(getattr(value, "readline", None)):
        raise ArgumentTypeError(f"stdin must be a str, a file-like object with readline(), or None, "
                        f"not {value!r}")


def _flag(name: str, optional: bool = False):
    def check(value) -> None:
        if not (isinstance(value, bool) or (optional and value is None)):
            none = ", or None" if optional else ""
            raise ArgumentTypeError(f"{name} must be True or False{none}, not {value!r}")
    return check


def _trace(name: str):
    def check(value) -> None:
        if not (value is None or isinstance(value, bool) or callable(value)):
            raise ArgumentTypeError(f"{name} must be a callable taking a line, True, False or None, "
                                    f"not {value!r}")
    return check


JIT_MODES = ("off", "auto", "eager")


def _jit(value) -> None:
    if not isinstance(value, str):
        raise ArgumentTypeError(f"jit must be one of {', '.join(map(repr, JIT_MODES))}, not {value!r}")
    if value not in JIT_MODES:
        raise ValueError(f"jit must be one of {', '.join(map(repr, JIT_MODES))}, not {value!r}")


# Argument → its check.  Grants are checked (and converted) by `check_grants`;
# stdout and stderr by the writers (hllvm/output.py), which take them.
CHECKS = {
    "max_heap": lambda v: check_int("max_heap", v, MIN_HEAP_BYTES, MAX_HEAP_BYTES),
    "max_stack": lambda v: check_int("max_stack", v, 1, MAX_STACK_FRAMES),
    "fuel": lambda v: check_int("fuel", v, 0, MAX_FUEL, optional=True),
    "max_output": lambda v: check_int("max_output", v, 0, MAX_FUEL, optional=True),
    "timeout": lambda v: check_timeout("timeout", v),
    "stdin": _stdin,
    "gc_stress": _flag("gc_stress"),
    "verify_heap": _flag("verify_heap", optional=True),
    "trace_gc": _trace("trace_gc"),
    "jit": _jit,
    "trace_jit": _trace("trace_jit"),
}


def check_arguments(**values) -> None:
    """Check each argument by its entry in CHECKS."""
    for name, value in values.items():
        CHECKS[name](value)
