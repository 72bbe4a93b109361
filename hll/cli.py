"""The `hll` command's entry point: run, compile, disasm, verify, test, repl.

Owns the mapping of each failure to its exit status (language.md A11), the
one-line error messages, and what `hll run` does (`run_program`); turning
a file into bytecode modules (the module search path, the compile cache,
the standard library's bytecode) is the `hl` layer's (hl/program.py),
compiling `compiler`'s, running `hllvm`'s.  `hll run x.hlc` with a warm
standard library never imports the compiler.

Arguments are click's to parse (the commands are in hll/commands.py),
except on `hll run`'s fast path: `main` first asks `options.parse_run`,
which reads a well-formed `hll run` argument list from the same option
declarations without importing click, and runs the program directly; for
anything else (help, a bad or unknown option, another command) click
parses and reports as always, so behaviour, messages and exit statuses do
not depend on the path taken.

Exit statuses: 0 success (or main's int / `exit(n)`), 1 uncaught HL error,
2 compile error or bad usage, 3 a bytecode file that fails loading or
verification, 4 fuel or time exhausted.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from pathlib import Path

from .options import grants, parse_run

EXIT_COMPILE, EXIT_LOAD = 2, 3


def echo_err(message: str, nl: bool = True) -> None:
    """`click.echo(message, err=True, nl=nl)`: written directly where click
    would write it unchanged (a UTF-8 stream and no escape sequence for it
    to strip), else by click."""
    if "\x1b" in message or getattr(sys.stderr, "encoding", None) != "utf-8":
        import click
        click.echo(message, err=True, nl=nl)
        return
    sys.stderr.write(message + "\n" if nl else message)
    sys.stderr.flush()


def fail(status: int, message: str) -> None:
    echo_err(message)
    sys.exit(status)


def read_program(path: Path, search=(), use_cache: bool = True, library: bool | None = False):
    """(modules, entry) for a `.hl` or `.hlc` path, or exit with its status.
    `search`: the `--path` directories (HL_PATH is added here).
    `library`: see compiler.compile_program."""
    if not path.is_file():
        fail(EXIT_COMPILE, f"hll: {path}: no such file")
    from hl import program
    from hl.resolve import env_path
    from hlbc import LoadError
    extra = [*search, *env_path()]
    try:
        if path.suffix == ".hlc":
            return program.load_bytecode_program(path, extra)
        return program.load_source_program(path, extra, use_cache=use_cache, library=library)
    except LoadError as e:
        fail(EXIT_LOAD, f"{path}: {e}")
    except OSError as e:
        fail(EXIT_COMPILE, f"hll: {path}: {e.strerror or e}")
    except Exception as e:
        # Only source compiles (an `.hlc` may import `.hl` files): the
        # compiler's error class is looked up without importing it.
        diagnostics = sys.modules.get("compiler.diagnostics")
        if diagnostics is not None and isinstance(e, diagnostics.CompileError):
            fail(EXIT_COMPILE, e.format())
        raise


def run_program(file: Path, args: tuple[str, ...], jit: str, max_heap: int, max_stack: int,
                allow_read: tuple[Path, ...], allow_write: tuple[Path, ...], path: tuple[Path, ...],
                fuel: int | None, timeout: float | None, no_cache: bool, gc_stats: bool,
                trace_gc: bool, gc_stress: bool, verify_heap: bool) -> None:
    """`hll run`: read FILE's program, run its main, exit with its status."""
    modules, entry = read_program(file, path, use_cache=not no_cache)
    from hllvm import VM, LoadError, VerifyError
    vm = VM(max_heap=max_heap, max_stack=max_stack,
            allow_read=grants(allow_read), allow_write=grants(allow_write),
            fuel=fuel, timeout=timeout, gc_stress=gc_stress, verify_heap=verify_heap or None,
            trace_gc=trace_gc)
    try:
        vm.load(modules)
        # What exists now (modules, the VM, the loaded program) lives until the
        # process ends: Python's collector need not look at it again, during
        # the run or at exit (where traversing it took about 5 ms).
        gc.freeze()
        status = vm.run_main(entry, list(args))
    except (LoadError, VerifyError) as e:      # also a missing or ill-typed main
        fail(EXIT_LOAD, f"{file}: {e}")
    finally:
        if gc_stats:
            sys.stdout.flush()
            echo_err(vm.gc_stats(), nl=False)
    sys.exit(status)


def _run_fast(params: dict) -> None:
    """`run_program` outside click.  What escapes a command and click
    handles (Ctrl-C, end of input, a closed pipe) is handed to click, to be
    reported and mapped to a status by click's own code."""
    try:
        run_program(**params)
    except (KeyboardInterrupt, EOFError, OSError) as e:
        if isinstance(e, OSError) and e.errno != errno.EPIPE:
            raise
        import click

        def escape():
            raise e
        click.Command("run", callback=escape).main([], prog_name="hll")


def main() -> None:
    argv = sys.argv[1:]
    # Not when click would do more than parse: shell completion (its
    # variable is set) or, on Windows, expanding wildcards in the arguments.
    if argv[:1] == ["run"] and "_HLL_COMPLETE" not in os.environ and os.name != "nt":
        params = parse_run(argv[1:])
        if params is not None:
            _run_fast(params)       # exits
            return
    from .commands import cli
    cli(prog_name="hll")


if __name__ == "__main__":
    main()
