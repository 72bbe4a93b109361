"""The click commands of `hll`: run, resume, serve, compile, disasm, verify (here), test
(hll/testcmd.py) and repl (hll/repl/command.py).

Owns the command group, each command's arguments and help, and which files
`hll compile` writes (the rules are in docs/running.md, "Compiling"); the
options and argument types are declared in hll/options.py, exit statuses,
messages and `hll run` itself in hll/cli.py, which imports this module only
when click is to parse the arguments (`hll run` with well-formed options
starts without it).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from hlbc import LoadError, read_module, write_module
from hlbc.disasm import disassemble
from hllvm.heap import DEFAULT_MAX_HEAP
from hllvm.loadmeter import module_bytes_limit
from hllvm.resolve import read_module_file

from .cli import (EXIT_COMPILE, EXIT_IO, EXIT_LOAD, EXIT_USAGE, ending, fail, read_program, require_file,
                  resume_program, run_program, serve_programs)
from .options import (OUTPUT_FILE, RUN_SETTINGS, SOURCE_FILE, path_option, resume_arguments, run_arguments,
                      serve_arguments)


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
    with ending():
        run_program(**params)


@cli.command()
@resume_arguments
def resume(**params) -> None:
    """Go on with the program that snapshot FILE holds (written by `hll run
    --snapshot-file`), where it stopped, in this process, under these
    limits and tier (docs/snapshots.md).  Its fuel left comes with it
    unless --fuel sets another."""
    with ending():
        resume_program(**params)


@cli.command()
@serve_arguments
def serve(**params) -> None:
    """Accept running programs that `hll run/resume --migrate-to` moves
    here, and run each under these limits, grants and tier, its output on
    this process's standard streams (docs/migration.md).  Each one's exit
    status is reported on standard error."""
    with ending():
        serve_programs(**params)


@cli.command("compile")
@click.argument("file", type=SOURCE_FILE.click_type())
@click.option("-o", "--output", type=OUTPUT_FILE.click_type(),
              help="Output file, ending in .hlc (default: FILE with .hlc).")
@path_option
def compile_cmd(file: str, output: str | None, path: tuple[str, ...]) -> None:
    """Compile FILE to bytecode (a program, or a library module without
    main).  Imported modules of the program (not the standard library) are
    written beside the output as `a/b.hlc`, by module name, where `hll run`
    of the output finds them."""
    file, output = Path(file), (Path(output) if output else None)
    with ending():
        if file.suffix != ".hl":
            fail(EXIT_COMPILE, f"hll: {file}: expected an .hl source file")
        output = output or file.with_suffix(".hlc")
        _check_output(file, output)
        modules, entry = read_program(file, path, use_cache=False, library=None)
        _write_files(_program_files(modules, entry, output))


def _check_output(file: Path, output: Path) -> None:
    """Refuse an output that `hll run` would not read as bytecode, or that
    is the input (as gcc refuses `-o` onto an input file)."""
    if _same_file(file, output):
        fail(EXIT_USAGE, f"hll: {output}: is the input file {file}; it would be overwritten")
    if output.suffix != ".hlc":
        fail(EXIT_USAGE, f"hll: {output}: the output must be a .hlc file "
                         "(hll run tells bytecode from source by the suffix)")


def _program_files(modules, entry: str, output: Path) -> dict[Path, bytes]:
    """What `hll compile` writes, by path: the entry module at `output`,
    every other module of the program (not the standard library's) at
    `a/b.hlc` beside it, where the search path of `hll run output` finds
    it first.  Two modules at one path would leave a program that does
    not run: that is refused."""
    files: dict[Path, bytes] = {}
    owner: dict[Path, str] = {}
    for m in modules:
        if m.name == entry:
            dest = output
        elif _is_stdlib(m):
            continue
        else:
            dest = output.parent / Path(*m.name.split(".")).with_suffix(".hlc")
        key = Path(os.path.abspath(dest))
        if key in owner:
            fail(EXIT_USAGE, f"hll: {dest}: would hold both module '{owner[key]}' and module '{m.name}' "
                             "(imported modules are written beside the output, by name); "
                             "choose another output name")
        owner[key] = m.name
        files[dest] = write_module(m)
    return files


def _write_files(files: dict[Path, bytes]) -> None:
    """Write every file whole or none: each to a temporary file beside it,
    then all renamed into place (a full disk leaves no truncated `.hlc`, and
    an output that is a link to some other file replaces the link, not that
    file).  A file that already holds the same bytes is left alone (a
    module read from that very `.hlc`, an unchanged recompile)."""
    temps: list[tuple[Path, Path]] = []
    dest = None
    try:
        for dest, data in files.items():
            try:
                if dest.read_bytes() == data:
                    continue
            except OSError:
                pass
            dest.parent.mkdir(parents=True, exist_ok=True)
            temp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            temps.append((temp, dest))
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        for temp, dest in temps:
            os.replace(temp, dest)
    except OSError as e:
        for temp, _ in temps:
            try:
                os.unlink(temp)
            except OSError:
                pass
        fail(EXIT_IO, f"hll: cannot write {dest}: {e.strerror or e}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


@cli.command()
@click.argument("file", type=SOURCE_FILE.click_type())
@click.option("--all", "show_all", is_flag=True, help="Also list the modules the program imports.")
@path_option
def disasm(file: str, show_all: bool, path: tuple[str, ...]) -> None:
    """Print the bytecode of FILE (.hl or .hlc) with its source lines."""
    file = Path(file)
    with ending():
        if file.suffix == ".hlc":
            require_file(file)
            try:
                mods = [read_module(read_module_file(file, _FILE_LIMIT, "disasm"))]
            except LoadError as e:
                fail(EXIT_LOAD, f"{file}: {e}")
            entry = mods[0].name
        else:
            mods, entry = read_program(file, path, use_cache=False, library=None)
        for m in mods:
            if m.name == entry or show_all:
                click.echo(disassemble(m, _source_for(file, m)))


@cli.command()
@click.argument("file", type=SOURCE_FILE.click_type())
@path_option
def verify(file: str, path: tuple[str, ...]) -> None:
    """Verify FILE (.hlc, with the modules it imports; or .hl, compiled) without
    running it: one line `OK` and status 0, or the error and status 3."""
    with ending():
        modules, _entry = read_program(file, path, use_cache=False, library=None)
        from hllvm import VM, VerifyError
        try:
            results = VM(max_heap=1 << 20).verify(modules)
        except (LoadError, VerifyError) as e:
            fail(EXIT_LOAD, f"{file}: {e}")
        ninstr = sum(r.instructions for r in results.values())
        click.echo(f"{file}: OK ({len(modules)} modules, {len(results)} functions, "
                   f"{ninstr} instructions verified)")


# The largest file disasm reads: what a VM with the default heap would load.
_FILE_LIMIT = module_bytes_limit(DEFAULT_MAX_HEAP)


def _is_stdlib(m) -> bool:
    """Whether `m` is a standard-library module (compiled from the library's
    own file: a program's module that shadows a library name is not)."""
    import hashlib
    from hl.cache import stdlib_source_dir
    f = Path(stdlib_source_dir(), *m.name.split(".")).with_suffix(".hl")
    try:
        return hashlib.sha256(f.read_bytes()).digest() == m.source_hash
    except OSError:
        return False


def _source_for(file: Path, m) -> str | None:
    """The module's source text when it can be found and still matches.
    The path is the module file's word: only a regular file is read, with a
    bound (a device or FIFO named there would never end)."""
    import hashlib
    for cand in (Path(m.source), file.parent / Path(m.source).name):
        try:
            data = read_module_file(cand, _FILE_LIMIT, "source")
        except LoadError:
            continue
        if not m.source_hash or hashlib.sha256(data).digest() == m.source_hash:
            return data.decode("utf-8", "replace")
    return None


from .testcmd import test as _test_cmd
cli.add_command(_test_cmd)

from .repl import make_command as _make_repl_cmd
cli.add_command(_make_repl_cmd())
