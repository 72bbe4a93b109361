"""The options that `hll` commands share.

Owns their click declarations (names, types, defaults, help): the VM options
of `hll run` and `hll repl` (`vm_options`) and the `Size` parameter type, so
a program and a REPL session are limited and granted the same way; and the
module search path (`path_option`: `--path DIR`, repeatable, of run,
compile, disasm, verify and repl; `HL_PATH` is added by hl/resolve.py).
It does not build the VM.
"""

from __future__ import annotations

from pathlib import Path

import click

_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


class Size(click.ParamType):
    """A byte count such as `64M`, `512K`, `1G` or `1048576`."""
    name = "size"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        unit = text[-1:] if text[-1:] in _SIZE_UNITS else ""
        number = text[: len(text) - len(unit)]
        try:
            n = int(number) * _SIZE_UNITS[unit]
        except ValueError:
            self.fail(f"{value!r} is not a size (e.g. 64M, 512K, 1G)", param, ctx)
        if n <= 0:
            self.fail(f"{value!r} must be positive", param, ctx)
        return n


_SHARED = [
    click.option("--max-heap", type=Size(), default="256M", show_default=True, help="Heap limit."),
    click.option("--max-stack", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True,
                 help="Call depth limit in frames."),
    click.option("--allow-read", "allow_read", multiple=True, type=click.Path(path_type=Path),
                 help="Grant the io module read access under DIR (repeatable)."),
    click.option("--allow-write", "allow_write", multiple=True, type=click.Path(path_type=Path),
                 help="Grant the io module write access under DIR (repeatable)."),
]


def vm_options(command):
    """Decorate `command` with --max-heap, --max-stack, --allow-read and
    --allow-write."""
    for option in reversed(_SHARED):
        command = option(command)
    return command


def grants(dirs) -> list[str]:
    return [str(p) for p in dirs]


def path_option(command):
    """Decorate `command` with `--path DIR` (repeatable), passed as `path`."""
    return click.option("--path", "path", multiple=True, type=click.Path(path_type=Path, file_okay=False),
                        metavar="DIR",
                        help="Search DIR for imported modules, after the entry file's folder "
                             "(repeatable; HL_PATH adds more).")(command)
