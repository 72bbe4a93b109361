"""The REPL's evaluator: one compiler session and one VM, one input at a time.

An input is either a `:command` (hll/repl/commands.py) or a snippet of HL.
A snippet is compiled by the session (compiler/session.py) into a new module,
loaded into the same long-lived VM and initialised; the initialiser is the
snippet's code.  Then the values it stored (`$1`, ...) are shown, and in
interactive use also the variables, functions and classes it defined.  A
compile error, an uncaught HL error, an interrupt or exhausted fuel is
reported and the session goes on; `exit(n)` and `:quit` end it with
`QuitRepl`.

While HL code runs, Ctrl-C asks the VM to stop (`VM.interrupt`, which takes
effect at the VM's next poll, between two operations) instead of raising
KeyboardInterrupt wherever Python happens to be; a second Ctrl-C during the
same run raises KeyboardInterrupt at once, for code stuck in a native call.

This module does not read input or edit lines (terminal.py, script.py).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from compiler import CompileError
from compiler.parser import InputStatus, input_status
from compiler.session import Session, show_name
from hlbc.errors import LoadError
from hllvm import HLError, Interrupted, ResourceExhausted, VerifyError
from hllvm.errors import ExitProgram

from . import commands
from .values import value_text

# Exit statuses of a scripted session (language.md A11; 130 is the shell's
# status for SIGINT).
EXIT_RUNTIME, EXIT_COMPILE, EXIT_LOAD, EXIT_FUEL, EXIT_INTERRUPT = 1, 2, 3, 4, 130


class QuitRepl(Exception):
    """End the session: `exit(n)` with status n, `:quit` with None (the
    session's own status)."""

    def __init__(self, status: int | None = None):
        super().__init__(status)
        self.status = status


class _ProgramOutput:
    """The VM's standard output: the current sys.stdout (or the engine's
    stream), remembering whether the program left a line unfinished, so
    that what the REPL prints next starts on a line of its own."""

    def __init__(self, engine):
        self.engine = engine
        self.open_line = False

    def write(self, text: str) -> None:
        if text:
            self.engine.stdout().write(text)
            self.open_line = not text.endswith("\n")

    def flush(self) -> None:
        self.engine.stdout().flush()

    def end_line(self) -> None:
        if self.open_line:
            self.write("\n")
            self.flush()


class Engine:
    def __init__(self, make_vm, interactive: bool = True, out=None, err=None, search_dirs=None):
        """`make_vm(stdout=...)` builds a fresh VM (at start and on `:reset`);
        `interactive` adds feedback on declarations; `out`/`err` default to
        the current sys.stdout/sys.stderr."""
        self.make_vm = make_vm
        self.interactive = interactive
        self._out = out
        self._err = err
        self.search_dirs = list(search_dirs) if search_dirs is not None else [Path.cwd()]
        self.fuel: int | None = None
        self.status = 0             # exit status of the first failure, for scripts
        self.reset()

    def reset(self) -> None:
        """Start over: a new compiler session and a new VM."""
        self.session = Session(search_dirs=self.search_dirs)
        self.program_output = _ProgramOutput(self)
        self.vm = self.make_vm(stdout=self.program_output)
        self.vm.load(self.session.prelude)
        self.count = 0              # inputs compiled, numbering `#N` in traces
        self.last = None            # the last snippet loaded

    # --- output ---------------------------------------------------------------------------
    def stdout(self):
        return self._out or sys.stdout

    def out(self, text: str) -> None:
        stream = self.stdout()
        stream.write(text)
        stream.flush()

    def err(self, text: str) -> None:
        stream = self._err or sys.stderr
        stream.write(text)
        stream.flush()

    def quit(self) -> None:
        raise QuitRepl(None)

    def fail(self, status: int) -> None:
        if not self.status:
            self.status = status

    # --- input ----------------------------------------------------------------------------
    def handle(self, text: str) -> None:
        """One complete input: a command or a snippet."""
        stripped = text.strip()
        if not stripped:
            return
        if stripped.startswith(":"):
            commands.run(self, stripped)
        else:
            self.evaluate(text)

    def evaluate(self, text: str, display: str = "<repl>", source_name: str | None = None,
                 search_dirs=None) -> bool:
        """Compile, load and run one snippet, then show what it defined.
        True if it ran to its end."""
        status, end = input_status(text)
        if status is InputStatus.NEEDS_SEMICOLON:
            text = text[:end] + ";" + text[end:]
        self.count += 1
        try:
            snippet = self.session.compile(text, display, source_name or f"#{self.count}",
                                           search_dirs=search_dirs)
        except CompileError as e:
            self.err(e.format() + "\n")
            self.fail(EXIT_COMPILE)
            return False
        try:
            self.vm.load(snippet.modules)
        except (LoadError, VerifyError) as e:
            # The compiler produced bytecode the VM refuses: a bug, not the user's.
            self.session.discard(snippet)
            self.err(f"internal error: the compiled input does not load: {e}\n")
            self.fail(EXIT_LOAD)
            return False
        self.session.commit(snippet)
        self.last = snippet
        ok, _ = self.run(self.vm.initialise)
        if not ok:
            self.session.retract_values(snippet)
        self._feedback(snippet, ok)
        return ok

    def _feedback(self, snippet, ran: bool) -> None:
        for d in snippet.definitions:
            if d.kind == "value" or d.kind in ("let", "var") and self.interactive:
                if ran:
                    shown = self.show(snippet.module, d.name)
                    if shown is not None:
                        self.out(f"{d.name}: {d.text} = {shown}\n")
            elif d.kind in ("fn", "class") and self.interactive:
                self.out(f"{'replaced' if d.replaces else 'created'} {d.text}\n")

    def show(self, module: str, name: str) -> str | None:
        """The text of global `name` of snippet `module`, or None if showing
        it failed (its `to_string` threw, for instance: that is reported)."""
        desc = self.session.descs[module]
        gtype = next(g.type for g in desc.globals if g.name == name)
        ok, value = self.run(lambda: self.vm.call(module, show_name(name)))
        return value_text(gtype, value) if ok else None

    # --- running HL code ------------------------------------------------------------------
    def run(self, work):
        """Run `work()` (which runs HL code) under the session's fuel, with
        Ctrl-C interrupting it.  (True, its result), or (False, None) after
        reporting why it stopped."""
        self.vm.fuel = self.fuel
        interrupts = [0]

        def on_sigint(signum, frame):
            interrupts[0] += 1
            if interrupts[0] > 1:
                raise KeyboardInterrupt
            self.vm.interrupt()

        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, on_sigint) if main else None
        try:
            return True, work()
        except HLError as e:
            self.err(e.report())
            self.fail(EXIT_RUNTIME)
        except (Interrupted, KeyboardInterrupt):
            self.err("interrupted\n")
            self.fail(EXIT_INTERRUPT)
        except ResourceExhausted as e:
            self.err(f"{e} (the limit is {self.fuel} calls and loop iterations: see :fuel)\n")
            self.fail(EXIT_FUEL)
        except ExitProgram as e:
            raise QuitRepl(e.status) from None
        except RecursionError:
            self.err("internal VM error: Python recursion limit reached\n")
            self.fail(EXIT_RUNTIME)
        except Exception as e:          # a VM bug: report it, keep the session
            if os.environ.get("HLLVM_DEBUG"):
                raise
            self.err(f"internal VM error: {type(e).__name__}: {e}\n")
            self.fail(EXIT_RUNTIME)
        finally:
            self.program_output.end_line()
            if main:
                signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
            self.vm.fuel = None
        return False, None
