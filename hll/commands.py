"""The click commands of `hll`: run, compile, disasm, verify (here), test
(hll/testcmd.py) and repl (hll/repl/command.py).

Owns the command group, each command's arguments and help; the options
`hll run` shares with other commands are declared in hll/options.py, exit
statuses, messages and `hll run` itself in hll/cli.py, which imports this
module only when click is to parse the arguments (`hll run` with
well-formed options starts without it).
"""

from __future__ import annotations

from pathlib import Path

import click

from hlbc import LoadError, read_module, write_module
from hlbc.disasm import disassemble

from .cli import EXIT_COMPILE, EXIT_LOAD, fail, read_program, run_program
from .options import RUN_SETTINGS, path_option, run_arguments


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="hll")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """HL: compile and run HL programs.  Without a command: the REPL."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.commands["repl"])


@cli.command(context_settings=RUN_SETTINGS)
@run_arguments
def run(**params) -> None:
    """Compile FILE (.hl, cached) or read it (.hlc) and run its main.
    Imported modules are searched in FILE's folder, the --path directories,
    HL_PATH, then the standard library."""
    run_program(**params)


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
        fail(EXIT_COMPILE, f"hll: {file}: expected an .hl source file")
    modules, entry = read_program(file, path, use_cache=False, library=None)
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
        fail(EXIT_COMPILE, f"hll: cannot write {output}: {e.strerror or e}")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list the modules the program imports.")
@path_option
def disasm(file: Path, show_all: bool, path: tuple[Path, ...]) -> None:
    """Print the bytecode of FILE (.hl or .hlc) with its source lines."""
    if file.suffix == ".hlc":
        if not file.is_file():
            fail(EXIT_COMPILE, f"hll: {file}: no such file")
        try:
            mods, entry = [read_module(file.read_bytes())], None
        except LoadError as e:
            fail(EXIT_LOAD, f"{file}: {e}")
        entry = mods[0].name
    else:
        mods, entry = read_program(file, path, use_cache=False, library=None)
    for m in mods:
        if m.name == entry or show_all:
            click.echo(disassemble(m, _source_for(file, m)))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@path_option
def verify(file: Path, path: tuple[Path, ...]) -> None:
    """Verify FILE (.hlc, with the modules it imports; or .hl, compiled) without
    running it: one line `OK` and status 0, or the error and status 3."""
    modules, _entry = read_program(file, path, use_cache=False, library=None)
    from hllvm import VM, VerifyError
    try:
        results = VM(max_heap=1 << 20).verify(modules)
    except (LoadError, VerifyError) as e:
        fail(EXIT_LOAD, f"{file}: {e}")
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
