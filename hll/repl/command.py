"""`hll repl` (and `hll` alone): options, the VM they describe, and the
choice between the terminal front end and scripted input.

The VM options are those of `hll run`, so a snippet runs under the same
limits and grants as a program.  `make_command(Size)` (the class of cli.py's size parameter type) builds the click
command; hll/cli.py registers it (taking the size type from cli.py keeps this
module free of an import cycle with it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

VERSION = "0.1.0"


def make_command(size_type) -> click.Command:
    @click.command("repl")
    @click.option("--max-heap", type=size_type(), default="256M", show_default=True, help="Heap limit.")
    @click.option("--max-stack", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True,
                  help="Call depth limit in frames.")
    @click.option("--allow-read", "allow_read", multiple=True, type=click.Path(path_type=Path),
                  help="Grant the io module read access under DIR (repeatable).")
    @click.option("--allow-write", "allow_write", multiple=True, type=click.Path(path_type=Path),
                  help="Grant the io module write access under DIR (repeatable).")
    @click.option("--fuel", type=click.IntRange(1), default=None,
                  help="Limit each input to N calls and loop iterations (also :fuel N).")
    def repl(max_heap: int, max_stack: int, allow_read, allow_write, fuel: int | None) -> None:
        """The interactive HL prompt (docs/repl.md).  When standard input or
        output is not a terminal, read inputs from standard input and print
        only values and errors."""
        def make_vm(stdout=None):
            from hllvm import VM
            return VM(max_heap=max_heap, max_stack=max_stack,
                      allow_read=[str(p) for p in allow_read],
                      allow_write=[str(p) for p in allow_write], stdout=stdout)
        sys.exit(start(make_vm, fuel))
    return repl


def start(make_vm, fuel: int | None = None, stdin=None) -> int:
    """Run a REPL session; its exit status."""
    from compiler import CompileError
    from .engine import Engine
    stdin = stdin or sys.stdin
    interactive = stdin.isatty() and sys.stdout.isatty()
    try:
        engine = Engine(make_vm, interactive=interactive)
    except CompileError as e:          # the standard library itself does not compile
        click.echo(e.format(), err=True)
        return 2
    engine.fuel = fuel
    if interactive:
        from .terminal import run_terminal
        return run_terminal(engine, f"HL {VERSION} REPL. Type :help for help, Ctrl-D to leave.")
    from .script import run_script
    return run_script(engine, stdin)
