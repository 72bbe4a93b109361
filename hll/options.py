"""The options of `hll` commands, declared once as data.

Owns the declarations (name, value type, default, help) of the options
`hll run` takes and of those it shares: the VM options of `hll run` and
`hll repl` (`VM_OPTIONS`), so a program and a REPL session are limited and
granted the same way, and the module search path (`PATH_OPTION`: `--path
DIR`, repeatable, of run, compile, disasm, verify and repl; `HL_PATH` is
added by hl/resolve.py).  Two readers derive from the same records:

- `click_options` (and `vm_options`, `path_option`): the click decorators
  of the commands (click is imported only then);
- `parse_run`: `hll run`'s arguments parsed without click, for a fast
  start.  It accepts only what it can read exactly as click would, with the
  same values, and otherwise declines (None), so that click parses the
  arguments and reports any error: help, usage errors and their messages
  come from click alone.  tests/test_startup.py compares the two readers.

It does not build the VM.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_size(value) -> int:
    """A byte count such as `64M`, `512K`, `1G` or `1048576`; ValueError
    (with the message a user sees) for anything else."""
    if isinstance(value, int):
        return value
    text = str(value).strip().upper().removesuffix("B").removesuffix("I")
    unit = text[-1:] if text[-1:] in _SIZE_UNITS else ""
    number = text[: len(text) - len(unit)]
    try:
        n = int(number) * _SIZE_UNITS[unit]
    except ValueError:
        raise ValueError(f"{value!r} is not a size (e.g. 64M, 512K, 1G)") from None
    if n <= 0:
        raise ValueError(f"{value!r} must be positive")
    return n


# --- value types: each gives its click type and reads a value as that type does --------------
# `convert` returns the value click's type would give, or raises ValueError
# where click's type would report an error (the fast reader then declines).

class Size:
    """`parse_size`, shown as SIZE."""

    def click_type(self):
        return _click_size_type()()

    def convert(self, text: str) -> int:
        return parse_size(text)


class Choice:
    def __init__(self, *choices: str) -> None:
        self.choices = choices

    def click_type(self):
        import click
        return click.Choice(list(self.choices))

    def convert(self, text: str) -> str:
        if text not in self.choices:
            raise ValueError(text)
        return text


class IntRange:
    """An int in [min, max] (either bound may be None)."""

    def __init__(self, min: int | None = None, max: int | None = None) -> None:
        self.min, self.max = min, max

    def click_type(self):
        import click
        return click.IntRange(self.min, self.max)

    def convert(self, text: str) -> int:
        n = int(text)
        if (self.min is not None and n < self.min) or (self.max is not None and n > self.max):
            raise ValueError(text)
        return n


class FloatAbove:
    """A float greater than `min` (as click.FloatRange(min, min_open=True):
    only values <= min are refused, so nan passes as it does there)."""

    def __init__(self, min: float) -> None:
        self.min = min

    def click_type(self):
        import click
        return click.FloatRange(self.min, min_open=True)

    def convert(self, text: str) -> float:
        x = float(text)
        if x <= self.min:
            raise ValueError(text)
        return x


class PathValue:
    """A path (pathlib.Path) that need not exist; one that exists must be
    readable and of an allowed kind."""

    def __init__(self, file_okay: bool = True, dir_okay: bool = True) -> None:
        self.file_okay, self.dir_okay = file_okay, dir_okay

    def click_type(self):
        import click
        return click.Path(path_type=Path, file_okay=self.file_okay, dir_okay=self.dir_okay)

    def convert(self, text: str) -> Path:
        try:
            st = os.stat(text)
        except OSError:
            return Path(text)
        if ((not self.file_okay and stat.S_ISREG(st.st_mode)) or (not self.dir_okay and stat.S_ISDIR(st.st_mode))
                or not os.access(text, os.R_OK)):
            raise ValueError(text)
        return Path(text)


class Option:
    """One `--name` option: a flag (no value), or a value of `type`, given
    once (the last one counts) or `multiple` times (a tuple)."""

    def __init__(self, name: str, type=None, *, default=None, multiple: bool = False,
                 show_default: bool = False, metavar: str | None = None, help: str) -> None:
        self.name = name
        self.dest = name[2:].replace("-", "_")
        self.type = type
        self.flag = type is None
        self.default = False if self.flag else default
        self.multiple = multiple
        self.show_default = show_default
        self.metavar = metavar
        self.help = help

    def click_decorator(self):
        import click
        if self.flag:
            return click.option(self.name, is_flag=True, help=self.help)
        kwargs = {"multiple": True} if self.multiple else {"default": self.default}
        if self.show_default:
            kwargs["show_default"] = True
        if self.metavar:
            kwargs["metavar"] = self.metavar
        return click.option(self.name, self.dest, type=self.type.click_type(), help=self.help, **kwargs)

    def initial(self):
        """The value when the option is not given."""
        if self.multiple:
            return ()
        if self.default is None or self.flag:
            return self.default
        return self.type.convert(str(self.default))


# --- the declarations ----------------------------------------------------------------------

MAX_HEAP = Option("--max-heap", Size(), default="256M", show_default=True, help="Heap limit.")
MAX_STACK = Option("--max-stack", IntRange(1, 1_000_000), default=10_000, show_default=True,
                   help="Call depth limit in frames.")
ALLOW_READ = Option("--allow-read", PathValue(), multiple=True,
                    help="Grant the io module read access under DIR (repeatable).")
ALLOW_WRITE = Option("--allow-write", PathValue(), multiple=True,
                     help="Grant the io module write access under DIR (repeatable).")
VM_OPTIONS = (MAX_HEAP, MAX_STACK, ALLOW_READ, ALLOW_WRITE)

PATH_OPTION = Option("--path", PathValue(file_okay=False), multiple=True, metavar="DIR",
                     help="Search DIR for imported modules, after the entry file's folder "
                          "(repeatable; HL_PATH adds more).")

# `hll run [OPTIONS] FILE [ARGS]...`: the options come before FILE; every
# argument after FILE is the program's (RUN_SETTINGS), options included.
RUN_FILE = PathValue(dir_okay=False)
RUN_SETTINGS = {"ignore_unknown_options": True, "allow_interspersed_args": False}
RUN_OPTIONS = (
    Option("--jit", Choice("off", "auto", "eager"), default="auto", show_default=True,
           help="Execution tiers (docs/interpreter.md: the interpreter is the only tier today)."),
    *VM_OPTIONS,
    PATH_OPTION,
    Option("--fuel", IntRange(0), help="End the run (status 4) after N calls plus loop back-edges."),
    Option("--timeout", FloatAbove(0), metavar="SECONDS",
           help="End the run (status 4) after SECONDS of wall-clock time."),
    Option("--no-cache", help="Compile in memory without the bytecode cache."),
    Option("--gc-stats", help="Print the collector's counters on standard error at exit."),
    Option("--trace-gc", help="Log each collection on standard error."),
    Option("--gc-stress", help="Collect at every allocation (and verify the heap)."),
    Option("--verify-heap", help="Check the heap after every collection."),
)


# --- reader 1: click -----------------------------------------------------------------------

def click_options(options):
    """A decorator adding `options` to a click command, in their order."""
    def decorate(command):
        for option in reversed(options):
            command = option.click_decorator()(command)
        return command
    return decorate


def vm_options(command):
    """Decorate `command` with --max-heap, --max-stack, --allow-read and
    --allow-write."""
    return click_options(VM_OPTIONS)(command)


def path_option(command):
    """Decorate `command` with `--path DIR` (repeatable), passed as `path`."""
    return click_options((PATH_OPTION,))(command)


def run_arguments(command):
    """Decorate `command` with `hll run`'s FILE, ARGS and options."""
    import click
    command = click_options(RUN_OPTIONS)(command)
    command = click.argument("args", nargs=-1, type=click.UNPROCESSED)(command)
    return click.argument("file", type=RUN_FILE.click_type())(command)


def _click_size_type():
    import click

    class SizeType(click.ParamType):
        """A byte count such as `64M`, `512K`, `1G` or `1048576`."""
        name = "size"

        def convert(self, value, param, ctx):
            try:
                return parse_size(value)
            except ValueError as e:
                self.fail(str(e), param, ctx)
    return SizeType


# --- reader 2: `hll run` without click -------------------------------------------------------

_RUN_BY_NAME = {o.name: o for o in RUN_OPTIONS}


def parse_run(argv: list[str]) -> dict | None:
    """The parameters click would pass to `hll run` for `argv` (the
    arguments after `run`): `file`, `args` and one per option; or None when
    `argv` is anything but options this reader knows, with valid values,
    then FILE, then the program's arguments (help, `--`, an unknown or
    malformed option, a bad value, no FILE: click's to read and report)."""
    params = {o.dest: o.initial() for o in RUN_OPTIONS}
    i = 0
    try:
        while i < len(argv) and argv[i].startswith("-"):
            name, eq, value = argv[i].partition("=")
            option = _RUN_BY_NAME.get(name)
            if option is None:
                return None
            i += 1
            if option.flag:
                if eq:
                    return None
                params[option.dest] = True
                continue
            if not eq:
                if i == len(argv):
                    return None
                value = argv[i]
                i += 1
            value = option.type.convert(value)
            params[option.dest] = params[option.dest] + (value,) if option.multiple else value
        if i == len(argv):
            return None
        params["file"] = RUN_FILE.convert(argv[i])
    except ValueError:
        return None
    params["args"] = tuple(argv[i + 1:])
    return params


def grants(dirs) -> list[str]:
    return [str(p) for p in dirs]
