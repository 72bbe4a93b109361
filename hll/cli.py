"""The `hll` command: run, compile, disasm, verify.

Owns argument parsing, the mapping of each failure to its exit status
(language.md A11) and the one-line error messages; turning a file into
bytecode modules (the module search path, the compile cache, the standard
library's bytecode) is the `hl` layer's (hl/program.py), compiling
`compiler`'s, running `hllvm`'s.  `hll run x.hlc` with a warm standard
library never imports the compiler.

Exit statuses: 0 success (or main's int / `exit(n)`), 1 uncaught HL error,
2 compile error or bad usage, 3 a bytecode file that fails loading or
verification, 4 fuel or time exhausted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hlbc import LoadError, read_module, write_module
from hlbc.disasm import disassemble

from .options import grants, path_option, vm_options

EXIT_COMPILE, EXIT_LOAD = 2, 3

def _fail(status: int, message: str) -> None:
    click.echo(message, err=True)
    sys.exit(status)


def _read_program(path: Path, search=(), use_cache: bool = True, library: bool | None = False):
    """(modules, entry) for a `.hl` or `.hlc` path, or exit with its status.
    `search`: the `--path` directories (HL_PATH is added here).
    `library`: see compiler.compile_program."""
    if not path.is_file():
        _fail(EXIT_COMPILE, f"hll: {path}: no such file")
    from hl import program
    from hl.resolve import env_path
    extra = [*search, *env_path()]
    try:
        if path.suffix == ".hlc":
            return program.load_bytecode_program(path, extra)
        return program.load_source_program(path, extra, use_cache=use_cache, library=library)
    except LoadError as e:
        _fail(EXIT_LOAD, f"{path}: {e}")
    except OSError as e:
        _fail(EXIT_COMPILE, f"hll: {path}: {e.strerror or e}")
    except Exception as e:
        # Only source compiles (an `.hlc` may import `.hl` files): the
        # compiler's error class is looked up without importing it.
        diagnostics = sys.modules.get("compiler.diagnostics")
        if diagnostics is not None and isinstance(e, diagnostics.CompileError):
            _fail(EXIT_COMPILE, e.format())
        raise


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="hll")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """HL: compile and run HL programs.  Without a command: the REPL."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.commands["repl"])


@cli.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option("--jit", type=click.Choice(["off", "auto", "eager"]), default="auto", show_default=True,
              help="Execution tiers (docs/interpreter.md: the interpreter is the only tier today).")
@vm_options
@path_option
@click.option("--fuel", type=click.IntRange(0), default=None,
              help="End the run (status 4) after N calls plus loop back-edges.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=None, metavar="SECONDS",
              help="End the run (status 4) after SECONDS of wall-clock time.")
@click.option("--no-cache", is_flag=True, help="Compile in memory without the bytecode cache.")
@click.option("--gc-stats", is_flag=True, help="Print the collector's counters on standard error at exit.")
@click.option("--trace-gc", is_flag=True, help="Log each collection on standard error.")
@click.option("--gc-stress", is_flag=True, help="Collect at every allocation (and verify the heap).")
@click.option("--verify-heap", is_flag=True, help="Check the heap after every collection.")
def run(file: Path, args: tuple[str, ...], jit: str, max_heap: int, max_stack: int,
        allow_read: tuple[Path, ...], allow_write: tuple[Path, ...], path: tuple[Path, ...],
        fuel: int | None, timeout: float | None, no_cache: bool, gc_stats: bool, trace_gc: bool,
        gc_stress: bool, verify_heap: bool) -> None:
    """Compile FILE (.hl, cached) or read it (.hlc) and run its main.
    Imported modules are searched in FILE's folder, the --path directories,
    HL_PATH, then the standard library."""
    modules, entry = _read_program(file, path, use_cache=not no_cache)
    from hllvm import VM, VerifyError
    vm = VM(max_heap=max_heap, max_stack=max_stack,
            allow_read=grants(allow_read), allow_write=grants(allow_write),
            fuel=fuel, timeout=timeout, gc_stress=gc_stress, verify_heap=verify_heap or None,
            trace_gc=trace_gc)
    try:
        vm.load(modules)
        status = vm.run_main(entry, list(args))
    except (LoadError, VerifyError) as e:      # also a missing or ill-typed main
        _fail(EXIT_LOAD, f"{file}: {e}")
    finally:
        if gc_stats:
            sys.stdout.flush()
            click.echo(vm.gc_stats(), err=True, nl=False)
    sys.exit(status)


@cli.command("compile")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Output file (default: FILE with .hlc).")
@path_option
def compile_cmd(file: Path, output: Path | None, path: tuple[Path, ...]) -> None:
    """Compile FILE to bytecode (a program, or a library module without
    main).  Imported modules of the program (not the standard library) are
    written beside the output as `a/b.hlc`, by module name."""
    if file.suffix != ".hl":
        _fail(EXIT_COMPILE, f"hll: {file}: expected an .hl source file")
    modules, entry = _read_program(file, path, use_cache=False, library=None)
    output = output or file.with_suffix(".hlc")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        for m in modules:
            if m.name == entry:
                output.write_bytes(write_module(m))
            elif not _is_stdlib(m):
                dest = output.parent / Path(*m.name.split(".")).with_suffix(".hlc")
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(write_module(m))
    except OSError as e:
        _fail(EXIT_COMPILE, f"hll: cannot write {output}: {e.strerror or e}")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list the modules the program imports.")
@path_option
def disasm(file: Path, show_all: bool, path: tuple[Path, ...]) -> None:
    """Print the bytecode of FILE (.hl or .hlc) with its source lines."""
    if file.suffix == ".hlc":
        if not file.is_file():
            _fail(EXIT_COMPILE, f"hll: {file}: no such file")
        try:
            mods, entry = [read_module(file.read_bytes())], None
        except LoadError as e:
            _fail(EXIT_LOAD, f"{file}: {e}")
        entry = mods[0].name
    else:
        mods, entry = _read_program(file, path, use_cache=False, library=None)
    for m in mods:
        if m.name == entry or show_all:
            click.echo(disassemble(m, _source_for(file, m)))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@path_option
def verify(file: Path, path: tuple[Path, ...]) -> None:
    """Verify FILE (.hlc, with the modules it imports; or .hl, compiled) without
    running it: one line `OK` and status 0, or the error and status 3."""
    modules, _entry = _read_program(file, path, use_cache=False, library=None)
    from hllvm import VM, VerifyError
    try:
        results = VM(max_heap=1 << 20).verify(modules)
    except (LoadError, VerifyError) as e:
        _fail(EXIT_LOAD, f"{file}: {e}")
    ninstr = sum(r.instructions for r in results.values())
    click.echo(f"{file}: OK ({len(modules)} modules, {len(results)} functions, "
               f"{ninstr} instructions verified)")


def _is_stdlib(m) -> bool:
    """Whether `m` is a standard-library module (compiled from the library's
    own file: a program's module that shadows a library name is not)."""
    import hashlib
    from hl.cache import stdlib_source_dir
    f = stdlib_source_dir() / Path(*m.name.split(".")).with_suffix(".hl")
    try:
        return hashlib.sha256(f.read_bytes()).digest() == m.source_hash
    except OSError:
        return False


def _source_for(file: Path, m) -> str | None:
    """The module's source text when it can be found and still matches."""
    import hashlib
    for cand in (Path(m.source), file.parent / Path(m.source).name):
        try:
            data = cand.read_bytes()
        except OSError:
            continue
        if not m.source_hash or hashlib.sha256(data).digest() == m.source_hash:
            return data.decode("utf-8", "replace")
    return None


from .testcmd import test as _test_cmd
cli.add_command(_test_cmd)

from .repl import make_command as _make_repl_cmd
cli.add_command(_make_repl_cmd())


def main() -> None:
    cli(prog_name="hll")


if __name__ == "__main__":
    main()
