"""The `hll` command's entry point: run, resume, compile, disasm, verify, test, repl.

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

Exit statuses (docs/running.md): 0 success (or main's int / `exit(n)`), 1
uncaught HL error, 2 compile error or bad usage (a heap the OS will not map
included), 3 a bytecode file that fails loading or verification (or a
snapshot that cannot be resumed), 4 fuel or time exhausted, 5 suspended to
a snapshot file (hll/snapshots.py), 74 standard input or output failed, or `hll compile` could
not write its output (EX_IOERR of sysexits.h), 130 interrupted (Ctrl-C),
141 standard output's reader went away (the status of a SIGPIPE death,
with no message), 143 terminated (SIGTERM).  The process's standard
streams are hll/streams.py's.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager

from hlbc.paths import path_suffix
from hllvm import signals

from .options import grants, parse_run, size_text
from .streams import StreamError
from . import streams

EXIT_COMPILE, EXIT_LOAD = 2, 3
EXIT_USAGE = 2
EXIT_LIMIT = 4
EXIT_IO = 74                  # sysexits.h EX_IOERR
EXIT_INTERRUPTED = 130        # 128 + SIGINT, as a shell reports a Ctrl-C death
EXIT_CLOSED_PIPE = 141        # 128 + SIGPIPE
EXIT_TERMINATED = 143         # 128 + SIGTERM


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


def require_file(path) -> None:
    """Exit with status 2 unless `path` (a `str` or any `os.PathLike`) is a
    regular file."""
    if not os.path.isfile(path):
        what = "not a regular file" if os.path.exists(path) else "no such file"
        fail(EXIT_COMPILE, f"hll: {path}: {what}")


_TIMER_MAX = 1e8               # seconds (three years): longer is no limit, and time_t may not hold it


class CompileTimeout(BaseException):
    """The time limit ran out while the program was read or compiled."""


@contextmanager
def within(timeout: float | None):
    """Reading and compiling a program (before the VM exists) under the
    time limit, as loading and running are: a real-time timer interrupts the
    work at the deadline (a POSIX timer on the main thread; elsewhere the
    work is not limited)."""
    if (timeout is None or timeout > _TIMER_MAX or not hasattr(signals, "setitimer")
            or not _main_thread()):
        yield
        return

    def expire(signum, frame):
        raise CompileTimeout
    previous = signals.signal(signals.SIGALRM, expire)
    try:
        signals.setitimer(signals.ITIMER_REAL, timeout)
        try:
            yield
        finally:
            signals.setitimer(signals.ITIMER_REAL, 0)     # the timer may fire up to here
    except CompileTimeout:
        fail(EXIT_LIMIT, f"hll: time limit of {timeout:g} s exceeded while compiling")
    except Exception as e:
        # The timer may fire while the compiler's modules are imported, and
        # Python wraps what a class body's `__set_name__` raises in a
        # RuntimeError: still the time limit.
        if not _caused_by(e, CompileTimeout):
            raise
        fail(EXIT_LIMIT, f"hll: time limit of {timeout:g} s exceeded while compiling")
    finally:
        signals.signal(signals.SIGALRM, previous)


def _caused_by(e: BaseException, kind: type) -> bool:
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, kind):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def read_program(path, search=(), use_cache: bool = True, library: bool | None = False,
                 timeout: float | None = None, max_heap: int | None = None):
    """(modules, entry) for a `.hl` or `.hlc` path (a `str` or any
    `os.PathLike`), or exit with its status.
    `search`: the `--path` directories (HL_PATH is added here).
    `library`: see compiler.compile_program.  `timeout`: the time limit for
    reading and compiling (status 4 when it runs out).  `max_heap`: the
    heap limit of the VM that will run it, which bounds the module files read
    (hllvm/loadmeter.py) and the memory compiling may take (hl/program.py)."""
    with within(timeout):
        return _read_program(path, search, use_cache, library, max_heap)


def _read_program(path, search, use_cache: bool, library: bool | None, max_heap: int | None):
    require_file(path)
    from hl import program
    from hl.resolve import env_path
    from hlbc import LoadError
    extra = [*search, *env_path()]
    try:
        if path_suffix(path) == ".hlc":
            if max_heap is None:
                return program.load_bytecode_program(path, extra)
            return program.load_bytecode_program(path, extra, max_heap)
        return program.load_source_program(path, extra, use_cache=use_cache, library=library,
                                           max_heap=max_heap)
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


def run_program(file: str, args: tuple[str, ...], jit: str, max_heap: int, max_stack: int,
                allow_read: tuple[str, ...], allow_write: tuple[str, ...], allow_env: tuple[str, ...],
                path: tuple[str, ...],
                fuel: int | None, timeout: float | None, no_cache: bool, gc_stats: bool,
                trace_gc: bool, trace_jit: bool, gc_stress: bool, verify_heap: bool,
                snapshot_file: str | None = None, snapshot_on: tuple[str, ...] = (),
                checkpoint_every: float | None = None, snapshot_after: int | None = None,
                migrate_to: str | None = None, migrate_after: float | None = None,
                migrate_on: tuple[str, ...] = (), migrate_precopy_rounds: int | None = None) -> None:
    """`hll run`: read FILE's program, run its main, exit with its status."""
    from .snapshots import Triggers
    _check_snapshot_file(snapshot_file, snapshot_on, checkpoint_every, snapshot_after)
    _check_migration(migrate_to, migrate_after, migrate_on, migrate_precopy_rounds, snapshot_on)
    modules, entry = read_program(file, path, use_cache=not no_cache, timeout=timeout, max_heap=max_heap)
    from hllvm import LoadError, ResourceExhausted, VerifyError
    options = dict(max_heap=max_heap, max_stack=max_stack, allow_read=allow_read, allow_write=allow_write,
                   allow_env=allow_env, timeout=timeout, gc_stress=gc_stress, verify_heap=verify_heap,
                   trace_gc=trace_gc, jit=jit, trace_jit=trace_jit)
    vm = _new_vm(fuel=fuel, **options)
    triggers = Triggers(vm, snapshot_file, snapshot_on, checkpoint_every, snapshot_after)
    try:
        vm.load(modules)
        # What exists now (modules, the VM, the loaded program) lives until the
        # process ends: Python's collector need not look at it again, during
        # the run or at exit (where traversing it took about 5 ms).
        gc.freeze()
        go = _migrating(vm, file, lambda: vm.run_main(entry, [_text_argument(a) for a in args]), options,
                        migrate_to, migrate_after, migrate_on, migrate_precopy_rounds)
        status = _with_triggers(triggers, go)
    except (LoadError, VerifyError) as e:      # also a missing or ill-typed main
        fail(EXIT_LOAD, f"{file}: {e}")
    except ResourceExhausted as e:             # the time limit, while loading (hllvm/loadmeter.py)
        sys.stdout.flush()
        fail(EXIT_LIMIT, str(e))
    finally:
        _diagnostics(vm, gc_stats, trace_jit)
    _exit(status)


def resume_program(file: str, jit: str, max_heap: int, max_stack: int,
                   allow_read: tuple[str, ...], allow_write: tuple[str, ...], allow_env: tuple[str, ...],
                   fuel: int | None, timeout: float | None, gc_stats: bool,
                   trace_gc: bool, trace_jit: bool, gc_stress: bool, verify_heap: bool,
                   snapshot_file: str | None = None, snapshot_on: tuple[str, ...] = (),
                   checkpoint_every: float | None = None, snapshot_after: int | None = None,
                   migrate_to: str | None = None, migrate_after: float | None = None,
                   migrate_on: tuple[str, ...] = (), migrate_precopy_rounds: int | None = None) -> None:
    """`hll resume`: go on with the program a snapshot file holds, where it
    stopped; exit with its status (a snapshot that cannot be resumed: 3)."""
    from .snapshots import Triggers, read_snapshot
    from hllvm import SnapshotError
    _check_snapshot_file(snapshot_file, snapshot_on, checkpoint_every, snapshot_after)
    _check_migration(migrate_to, migrate_after, migrate_on, migrate_precopy_rounds, snapshot_on)
    require_file(file)
    try:
        data = read_snapshot(file, max_heap)
    except OSError as e:
        fail(EXIT_LOAD, f"hll: {file}: {e.strerror or e}")
    options = dict(max_heap=max_heap, max_stack=max_stack, allow_read=allow_read, allow_write=allow_write,
                   allow_env=allow_env, timeout=timeout, gc_stress=gc_stress, verify_heap=verify_heap,
                   trace_gc=trace_gc, jit=jit, trace_jit=trace_jit)
    vm = _new_vm(fuel=None, **options)
    triggers = Triggers(vm, snapshot_file, snapshot_on, checkpoint_every, snapshot_after)
    try:
        try:
            vm.restore(data)
        except SnapshotError as e:
            fail(EXIT_LOAD, f"{file}: cannot resume: {e}")
        if fuel is not None:
            vm.fuel = fuel
        gc.freeze()
        if vm.suspended_task is None:
            fail(EXIT_LOAD, f"{file}: cannot resume: the snapshot holds no running program")
        go = _migrating(vm, file, vm.resume_run, options, migrate_to, migrate_after, migrate_on,
                        migrate_precopy_rounds)
        status = _with_triggers(triggers, go)
    finally:
        _diagnostics(vm, gc_stats, trace_jit)
    _exit(status if isinstance(status, int) else 0)


def _check_migration(to, after, on, rounds, snapshot_on) -> None:
    if to is not None or after is not None or on or rounds is not None:
        from .migrate import check_options
        problem = check_options(to, after, on, rounds, snapshot_on)
        if problem:
            fail(EXIT_USAGE, problem)


def _migrating(vm, file: str, go, options: dict, to, after, on, rounds):
    """`go` (a run, giving its exit status), or with --migrate-to the run
    that moves to the target when a trigger fires (hll/migrate.py): a
    program that cannot move after it stopped goes on in a new VM made
    with the same `options`."""
    if to is None:
        return go
    from .migrate import Migration
    migration = Migration(vm, to, after=after, on=on, rounds=rounds, what=os.path.basename(file),
                          log=_flushed_line)
    return lambda: migration.run(go, lambda: _new_vm(fuel=None, **options))


def _flushed_line(line: str) -> None:
    """One line on standard error after the output so far (from any thread)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    echo_err(line)


def serve_programs(listen: str | None, jit: str, max_heap: int, max_stack: int,
                   allow_read: tuple[str, ...], allow_write: tuple[str, ...], allow_env: tuple[str, ...],
                   fuel: int | None, timeout: float | None, peer_timeout: float, once: bool) -> None:
    """`hll serve`: take in migrating programs and run them here
    (hll/migrate_serve.py); with --once, exit with the first one's status."""
    if listen is None:
        fail(EXIT_USAGE, "hll serve: --listen HOST:PORT is required")
    from .migrate_serve import Server
    options = dict(max_heap=max_heap, max_stack=max_stack, allow_read=allow_read, allow_write=allow_write,
                   allow_env=allow_env, timeout=timeout, gc_stress=False, verify_heap=False,
                   trace_gc=False, jit=jit, trace_jit=False)
    _new_vm(fuel=None, **options)          # a heap the OS will not map is a usage error now, not per program
    server = Server(listen, lambda: _vm_or_error(options), max_heap, fuel=fuel, peer_timeout=peer_timeout,
                    once=once, log=_flushed_line)
    try:
        status = server.serve()
    except OSError as e:
        fail(EXIT_USAGE, f"hll serve: cannot listen on {listen}: {e.strerror or e}")
    _exit(status if status is not None else 0)


def _vm_or_error(options: dict):
    from hllvm import VM
    return VM(max_heap=options["max_heap"], max_stack=options["max_stack"],
              allow_read=grants(options["allow_read"]), allow_write=grants(options["allow_write"]),
              allow_env=list(options["allow_env"]), timeout=options["timeout"], jit=options["jit"])


def _check_snapshot_file(path, on, every, after) -> None:
    if path is None and (on or every or after is not None):
        fail(EXIT_USAGE, "hll: --snapshot-on, --checkpoint-every and --snapshot-after need --snapshot-file")


def _new_vm(max_heap: int, allow_read, allow_write, allow_env, **options):
    from hllvm import VM
    try:
        return VM(max_heap=max_heap, allow_read=grants(allow_read), allow_write=grants(allow_write),
                  allow_env=list(allow_env), verify_heap=options.pop("verify_heap") or None, **options)
    except (OSError, MemoryError) as e:
        # The heap is mapped whole at start (docs/heap.md): the OS refuses a
        # mapping larger than it will ever back (overcommit, `ulimit -v`).
        reason = getattr(e, "strerror", None) or "not enough memory"
        fail(EXIT_USAGE, f"hll: cannot reserve a heap of {size_text(max_heap)} (--max-heap): {reason}")


def _with_triggers(triggers, go) -> int:
    """Run `go()` (a program's whole run: its exit status) with the snapshot
    triggers installed; a snapshot that stopped it is status 5."""
    from hllvm import Suspended
    from .snapshots import EXIT_SUSPENDED
    if not triggers.wanted:
        return go()
    triggers.install()
    try:
        return go()
    except Suspended:
        sys.stdout.flush()
        echo_err(f"hll: suspended; snapshot written to {triggers.path}")
        return EXIT_SUSPENDED
    finally:
        triggers.remove()
        if triggers.error is not None:
            sys.stdout.flush()
            echo_err(f"hll: cannot write the snapshot to {triggers.path}: "
                     f"{triggers.error.strerror or triggers.error}")


def _diagnostics(vm, gc_stats: bool, trace_jit: bool) -> None:
    if gc_stats:
        sys.stdout.flush()
        echo_err(vm.gc_stats(), nl=False)
    if trace_jit and vm.jit is not None:
        sys.stdout.flush()
        echo_err(vm.jit.summary())


def _exit(status: int) -> None:
    # The OS keeps the low 8 bits of a status (exit(256) is 0, as in C and
    # Java); said here, so a status Python cannot pass whole is not left to it.
    sys.exit(status if os.name == "nt" else status & 0xFF)


def _text_argument(arg: str) -> str:
    """A program argument as UTF-8 text, whatever the locale Python decoded
    it with: the original bytes again (os.fsencode undoes Python's
    decoding), read as UTF-8 with U+FFFD for what is not, as standard input
    is (hll/streams.py).  An HL string holds no lone surrogate."""
    return os.fsencode(arg).decode("utf-8", "replace")


class Terminated(BaseException):
    """SIGTERM arrived: raised by the handler `ending` installs, to unwind
    as Ctrl-C's KeyboardInterrupt does (a blocked read included)."""


def _on_sigterm(signum, frame):
    raise Terminated


@contextmanager
def ending():
    """Around a command's work: the ends a user causes from outside, each
    to its status with one line on standard error (docs/running.md): Ctrl-C
    (130, not click's `Aborted!` and status 1) and SIGTERM (143), after the
    output written so far is flushed (the VM flushes on its way out); a
    closed pipe that is not a standard stream's (141, quietly).  Both
    paths of `hll run` and the other commands use it, so they end alike.
    A SIGTERM the parent set to be ignored stays ignored (as Python leaves
    an ignored SIGINT)."""
    previous = None
    if _main_thread() and signals.getsignal(signals.SIGTERM) == signals.SIG_DFL:
        previous = signals.signal(signals.SIGTERM, _on_sigterm)
    try:
        yield
    except KeyboardInterrupt:
        interrupted()
    except Terminated:
        _leaving()
        fail(EXIT_TERMINATED, "hll: terminated")
    except BrokenPipeError:
        sys.exit(EXIT_CLOSED_PIPE)
    finally:
        if previous is not None:
            signals.signal(signals.SIGTERM, previous)


def interrupted() -> None:
    """Exit as Ctrl-C ends a command: 130, one line."""
    _leaving()
    fail(EXIT_INTERRUPTED, "hll: interrupted")


def _leaving() -> None:
    """The process is ending: a second Ctrl-C or SIGTERM while it reports
    the first must not cut the report short with a traceback."""
    if _main_thread():
        for signum in (signals.SIGINT, signals.SIGTERM):
            if signals.getsignal(signum) not in (signals.SIG_IGN, None):
                signals.signal(signum, signals.SIG_IGN)


def _main_thread() -> bool:
    import threading
    return threading.current_thread() is threading.main_thread()


def stream_failed(e: StreamError) -> int:
    """The exit status for a failed standard stream, after its message: a
    reader of standard output that went away ends the run quietly, as a
    SIGPIPE death would (`hll run prog.hl | head -1`)."""
    if e.closed_pipe:
        return EXIT_CLOSED_PIPE
    verb = "read" if e.fd == 0 else "write"
    echo_err(f"hll: cannot {verb} {e.name}: {e.error.strerror or e.error}")
    return EXIT_IO


def _run_fast(params: dict) -> None:
    """`run_program` outside click, ending as `hll run` under click does."""
    try:
        with ending():
            run_program(**params)
    except EOFError as e:
        # Not from a run (input() returns null at the end of its input);
        # reported by click's own code, as under click.
        import click

        def escape():
            raise e
        click.Command("run", callback=escape).main([], prog_name="hll")


def main() -> None:
    argv = sys.argv[1:]
    streams.install()
    try:
        try:
            _dispatch(argv)
        finally:
            # Here rather than at exit, so that a failure is reported as any other.
            if sys.stdout is not None:
                sys.stdout.flush()
    except StreamError as e:
        sys.exit(stream_failed(e))
    except KeyboardInterrupt:          # outside a command (the last flush of a slow pipe)
        interrupted()


def _dispatch(argv: list[str]) -> None:
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
