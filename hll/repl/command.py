"""`hll repl` (and `hll` alone): options, the VM they describe, and the
choice between the terminal front end and scripted input.

The VM options are those of `hll run`, so a snippet runs under the same
limits and grants as a program (hll/options.py declares them once); so is
the module search path: imports are searched in the working directory, the
`--path` directories and `HL_PATH` (hl/resolve.py), then the standard
library.
`make_command()` builds the click command; hll/commands.py registers it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..options import MAX_FUEL, grants, path_option, vm_options

VERSION = "0.1.0"


def make_command() -> click.Command:
    @click.command("repl")
    @vm_options
    @path_option
    @click.option("--fuel", type=click.IntRange(1, MAX_FUEL), default=None,
                  help="Limit each input to N calls and loop iterations (also :fuel N).")
    def repl(max_heap: int, max_stack: int, allow_read, allow_write, allow_env, path,
             fuel: int | None) -> None:
        """The interactive HL prompt (docs/repl.md).  When standard input or
        output is not a terminal, read inputs from standard input and print
        only values and errors."""
        def make_vm(stdout=None):
            from hllvm import VM
            return VM(max_heap=max_heap, max_stack=max_stack,
                      allow_read=grants(allow_read), allow_write=grants(allow_write),
                      allow_env=list(allow_env), stdout=stdout)
        sys.exit(start(make_vm, fuel, search_path=path))
    return repl


def start(make_vm, fuel: int | None = None, stdin=None, search_path=()) -> int:
    """Run a REPL session; its exit status.  `search_path`: directories
    searched for imports after the working directory (HL_PATH follows)."""
    from compiler import CompileError
    from hl.resolve import program_path
    from .engine import Engine
    stdin = stdin or sys.stdin
    interactive = stdin.isatty() and sys.stdout.isatty()
    try:
        engine = Engine(make_vm, interactive=interactive,
                        search_dirs=list(program_path(Path.cwd(), search_path).dirs))
    except CompileError as e:          # the standard library itself does not compile
        click.echo(e.format(), err=True)
        return 2
    engine.fuel = fuel
    if interactive:
        from .terminal import run_terminal
        return run_terminal(engine, f"HL {VERSION} REPL. Type :help for help, Ctrl-D to leave.")
    from .script import run_script
    return run_script(engine, stdin)
