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

import math
import os
import stat

from hlbc.paths import path_text

# `--max-heap`: the binary units a size may carry (`64M`, `64MB`, `64MiB`).
_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
# The smallest heap the VM maps (hllvm/heap.py MIN_HEAP_BYTES; a test checks
# they agree): a smaller limit would silently be this one.
MIN_HEAP_SIZE = 64 << 10
# The largest `--max-heap`.  The format would allow more (references are word
# offsets in 64-bit words); the bound is the page map, one byte per 4 KiB
# page, allocated at start and scanned by every collection: 256 MiB at 1 TiB.
# Below it, a heap the OS refuses to map is reported at start (hll/cli.py).
MAX_HEAP_SIZE = 1 << 40
# `--fuel`: the run state keeps it in a signed 64-bit word (hllvm/state.py).
MAX_FUEL = (1 << 63) - 1


def size_text(n: int) -> str:
    """`n` bytes in the largest unit that divides it (`64K`, `1T`)."""
    for unit in ("T", "G", "M", "K"):
        if n % _SIZE_UNITS[unit] == 0:
            return f"{n // _SIZE_UNITS[unit]}{unit}"
    return str(n)


def parse_size(value) -> int:
    """A byte count such as `64M`, `512K`, `1G`, `1T` or `1048576` (the units
    are binary; `B` or `iB` may follow them), from MIN_HEAP_SIZE to MAX_HEAP_SIZE;
    ValueError (with the message a user sees) for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        text = str(value).strip()
        digits = text.rstrip("BbIiKkMmGgTt")
        unit = text[len(digits):].upper().removesuffix("B").removesuffix("I")
        # ASCII digits only: int() would also take "1_0", "+1" and other scripts' digits.
        if not (digits.isascii() and digits.isdigit()) or unit not in _SIZE_UNITS:
            raise ValueError(f"{value!r} is not a size (e.g. 64M, 512K, 1G)")
        n = int(digits) * _SIZE_UNITS[unit]
    if n < MIN_HEAP_SIZE:
        raise ValueError(f"{value!r} is below the minimum, {size_text(MIN_HEAP_SIZE)}")
    if n > MAX_HEAP_SIZE:
        raise ValueError(f"{value!r} is above the maximum, {size_text(MAX_HEAP_SIZE)}")
    return n


# --- value types --------------------------------------------------------------------------
# Each type reads a value (`convert`: the value, or ValueError with the message
# a user sees) and gives the click type that reads it the same way: click's
# type calls `convert` (through `_ClickValue`), so both readers accept and
# refuse exactly the same texts, and click only reports.  `range_text`, shown
# in the help, says which values are valid.

class Size:
    """`parse_size`, shown as SIZE."""
    name = "size"
    range_text = f"{size_text(MIN_HEAP_SIZE)} to {size_text(MAX_HEAP_SIZE)}"

    def click_type(self):
        return _click_type(self)

    def convert(self, text: str) -> int:
        return parse_size(text)


class Choice:
    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.range_text = None

    def click_type(self):
        import click
        return click.Choice(list(self.choices))

    def convert(self, text: str) -> str:
        if text not in self.choices:
            raise ValueError(text)
        return text


class IntRange:
    """An int in [min, max], written in decimal (surrounding spaces and `_`
    between digits allowed, as Python's int() reads it)."""
    name = "integer"

    def __init__(self, min: int, max: int) -> None:
        self.min, self.max = min, max
        self.range_text = f"{min} to {max}"

    def click_type(self):
        return _click_type(self)

    def convert(self, text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
        if not self.min <= n <= self.max:
            raise ValueError(f"{text!r} is not in the range {self.range_text}")
        return n


class Seconds:
    """A finite number of seconds greater than 0 (`0.5`, `30`, `1e3`): nan,
    inf and the like are not durations."""
    name = "seconds"
    range_text = "a finite number > 0"

    def click_type(self):
        return _click_type(self)

    def convert(self, text: str) -> float:
        try:
            x = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number of seconds") from None
        if not math.isfinite(x):
            raise ValueError(f"{text!r} is not a finite number of seconds")
        if not x > 0:
            raise ValueError(f"{text!r} is not greater than 0")
        return x


class PathValue:
    """A path that need not exist; one that exists must be of an allowed
    kind, and readable unless it is only written.  Its value is a `str`,
    the text `pathlib.Path` would make of it (`./a//b/` is `a/b`: what
    messages show), without importing pathlib.  An empty path is refused
    (pathlib would read it as `.`: `--allow-read ''` would grant the
    working directory)."""
    name = "path"
    range_text = None

    def __init__(self, file_okay: bool = True, dir_okay: bool = True, readable: bool = True) -> None:
        self.file_okay, self.dir_okay, self.readable = file_okay, dir_okay, readable

    def click_type(self):
        return _click_type(self)

    def convert(self, text: str) -> str:
        if not text:
            raise ValueError("the path is empty")
        try:
            st = os.stat(text)
        except OSError:
            return path_text(text)
        except ValueError:                     # a NUL character: no file has this name
            raise ValueError(f"{text!r} is not a valid path") from None
        if not self.file_okay and stat.S_ISREG(st.st_mode):
            raise ValueError(f"{text!r} is a file, not a directory")
        if not self.dir_okay and stat.S_ISDIR(st.st_mode):
            raise ValueError(f"{text!r} is a directory")
        if self.readable and not os.access(text, os.R_OK):
            raise ValueError(f"{text!r} is not readable")
        return path_text(text)


class EnvName:
    """The name of an environment variable, or `*` for all of them."""
    name = "name"
    range_text = None

    def click_type(self):
        return _click_type(self)

    def convert(self, text: str) -> str:
        if not text or "=" in text or "\0" in text:
            raise ValueError(f"{text!r} is not the name of an environment variable")
        return text


def parse_address(text: str, any_port: bool = False) -> tuple[str, int]:
    """(host, port) of `HOST:PORT` (an IPv6 host in brackets: `[::1]:9000`);
    port 0 (any free one) only with `any_port`.  ValueError says why not."""
    host, colon, port = str(text).rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError(f"{text!r}: write an IPv6 address in brackets, as [::1]:9000")
    if not colon or not host or any(c.isspace() or c in "[]/" for c in host):
        raise ValueError(f"{text!r} is not HOST:PORT")
    low = 0 if any_port else 1
    if not (port.isascii() and port.isdigit()) or not low <= int(port) <= 65535:
        raise ValueError(f"{text!r}: the port must be a number from {low} to 65535")
    return host, int(port)


class Address:
    """`HOST:PORT` (`parse_address`), kept as the text given."""
    name = "host:port"
    range_text = None

    def __init__(self, any_port: bool = False) -> None:
        self.any_port = any_port

    def click_type(self):
        return _click_type(self)

    def convert(self, text: str) -> str:
        parse_address(text, self.any_port)
        return text


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
        help = self.help
        if self.type.range_text:
            help += f"  [{self.type.range_text}]"
        return click.option(self.name, self.dest, type=self.type.click_type(), help=help, **kwargs)

    def initial(self):
        """The value when the option is not given."""
        if self.multiple:
            return ()
        if self.default is None or self.flag:
            return self.default
        return self.type.convert(str(self.default))


# --- the declarations ----------------------------------------------------------------------

MAX_HEAP = Option("--max-heap", Size(), default="256M", show_default=True,
                  help="Heap limit (binary units K, M, G, T).")
MAX_STACK = Option("--max-stack", IntRange(1, 1_000_000), default=10_000, show_default=True,
                   help="Call depth limit in frames.")
ALLOW_READ = Option("--allow-read", PathValue(), multiple=True, metavar="DIR",
                    help="Grant the io module read access under DIR (repeatable).")
ALLOW_WRITE = Option("--allow-write", PathValue(), multiple=True, metavar="DIR",
                     help="Grant the io module write access under DIR (repeatable).")
ALLOW_ENV = Option("--allow-env", EnvName(), multiple=True, metavar="NAME",
                   help="Grant the env module the variable NAME ('*': every variable; repeatable).")
VM_OPTIONS = (MAX_HEAP, MAX_STACK, ALLOW_READ, ALLOW_WRITE, ALLOW_ENV)

PATH_OPTION = Option("--path", PathValue(file_okay=False), multiple=True, metavar="DIR",
                     help="Search DIR for imported modules, after the entry file's folder "
                          "(repeatable; HL_PATH adds more).")

# `hll run [OPTIONS] FILE [ARGS]...`: the options come before FILE; every
# argument after FILE is the program's (RUN_SETTINGS), options included.
RUN_FILE = PathValue(dir_okay=False)
# The FILE of compile, disasm and verify, and compile's `-o`.
SOURCE_FILE = RUN_FILE
OUTPUT_FILE = PathValue(dir_okay=False, readable=False)
RUN_SETTINGS = {"ignore_unknown_options": True, "allow_interspersed_args": False}
JIT_OPTION = Option("--jit", Choice("off", "auto", "eager"), default="auto", show_default=True,
                    help="Execution tiers: the interpreter only, hot functions compiled, or every "
                         "function compiled before it first runs (docs/jit.md).")
LIMIT_OPTIONS = (
    Option("--fuel", IntRange(0, MAX_FUEL), metavar="N",
           help="End the run (status 4) after N calls plus loop back-edges."),
    Option("--timeout", Seconds(), metavar="SECONDS",
           help="End the run (status 4) after SECONDS of wall-clock time."),
)
DIAGNOSTIC_OPTIONS = (
    Option("--gc-stats", help="Print the collector's counters on standard error at exit."),
    Option("--trace-gc", help="Log each collection on standard error."),
    Option("--trace-jit", help="Log on standard error each function compiled (IR size, compile "
                               "time) and each one left to the interpreter, with why."),
    Option("--gc-stress", help="Collect at every allocation (and verify the heap)."),
    Option("--verify-heap", help="Check the heap after every collection."),
)
# Snapshots (docs/snapshots.md, hll/snapshots.py), of `hll run` and `hll resume`.
SNAPSHOT_OPTIONS = (
    Option("--snapshot-file", PathValue(dir_okay=False, readable=False), metavar="FILE",
           help="Where the snapshots the options below ask for are written."),
    Option("--snapshot-on", Choice("SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP"), multiple=True,
           metavar="SIGNAL", help="On SIGNAL write a snapshot: SIGUSR1/SIGUSR2 then go on, "
                                  "SIGTERM/SIGINT/SIGHUP then stop with status 5 (repeatable)."),
    Option("--checkpoint-every", Seconds(), metavar="SECONDS",
           help="Write a snapshot every SECONDS and go on."),
    Option("--snapshot-after", IntRange(0, MAX_FUEL), metavar="N",
           help="Write a snapshot after N calls plus loop back-edges and stop (status 5)."),
)
# Live migration (docs/migration.md, hll/migrate.py), of `hll run` and `hll resume`.
MIGRATE_OPTIONS = (
    Option("--migrate-to", Address(), metavar="HOST:PORT",
           help="Move the running program to the `hll serve` at HOST:PORT when a trigger below "
                "fires; this process then exits (status 0)."),
    Option("--migrate-after", Seconds(), metavar="SECONDS", help="Migrate SECONDS after the run starts."),
    Option("--migrate-on", Choice("SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP"), multiple=True,
           metavar="SIGNAL", help="Migrate when SIGNAL arrives (repeatable)."),
    Option("--migrate-precopy-rounds", IntRange(0, 100), metavar="N",
           help="Send at most N rounds while the program runs before stopping it "
                "(default 5; 0: stop-and-copy)."),
)
RUN_OPTIONS = (
    JIT_OPTION,
    *VM_OPTIONS,
    PATH_OPTION,
    *LIMIT_OPTIONS,
    Option("--no-cache", help="Compile in memory without the bytecode cache."),
    *DIAGNOSTIC_OPTIONS,
    *SNAPSHOT_OPTIONS,
    *MIGRATE_OPTIONS,
)
RESUME_OPTIONS = (JIT_OPTION, *VM_OPTIONS, *LIMIT_OPTIONS, *DIAGNOSTIC_OPTIONS, *SNAPSHOT_OPTIONS,
                  *MIGRATE_OPTIONS)
# `hll serve` (hll/migrate_serve.py): the programs it takes in run under these.
SERVE_OPTIONS = (
    Option("--listen", Address(any_port=True), metavar="HOST:PORT",
           help="Accept migrating programs on HOST:PORT (port 0: any free port; the one "
                "taken is printed on standard error).  Required."),
    JIT_OPTION,
    *VM_OPTIONS,
    *LIMIT_OPTIONS,
    Option("--peer-timeout", Seconds(), default=60, show_default=True, metavar="SECONDS",
           help="End a connection whose peer stays silent this long."),
    Option("--once", help="Exit after the first program that came in ends, with its status."),
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
    """Decorate `command` with --max-heap, --max-stack, --allow-read,
    --allow-write and --allow-env."""
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


def serve_arguments(command):
    """Decorate `command` with `hll serve`'s options."""
    return click_options(SERVE_OPTIONS)(command)


def resume_arguments(command):
    """Decorate `command` with `hll resume`'s FILE and options."""
    import click
    command = click_options(RESUME_OPTIONS)(command)
    return click.argument("file", type=RUN_FILE.click_type())(command)


def _click_type(value_type):
    """The click type of `value_type`: its `convert`, with click reporting
    the ValueError; paths complete as paths in the shell."""
    import click

    class ClickValue(click.ParamType):
        name = value_type.name

        def convert(self, value, param, ctx):
            if isinstance(value, (int, float, os.PathLike)) and not isinstance(value, bool):
                value = str(value)                  # a default given as a number, or a path
            try:
                return value_type.convert(value)
            except ValueError as e:
                self.fail(str(e), param, ctx)

        def shell_complete(self, ctx, param, incomplete):
            if not isinstance(value_type, PathValue):
                return []
            from click.shell_completion import CompletionItem
            kind = "dir" if not value_type.file_okay else "file"
            return [CompletionItem(incomplete, type=kind)]
    return ClickValue()


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
