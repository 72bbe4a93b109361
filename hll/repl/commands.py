"""The REPL's `:commands`: one table of name, argument, help and handler.

Each handler takes the engine (hll/repl/engine.py) and the text after the
command's name.  A command may be abbreviated to any unambiguous prefix
(`:q`, `:d f`).  Completion (terminal.py) and `:help` read the same table.
This module does not compile or run snippets itself: it asks the engine and
its compiler session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from compiler import CompileError
from compiler.session import describe
from compiler.symbols import ClassInfo, FunctionInfo, GlobalInfo
from hlbc.disasm import disassemble, disassemble_function
from ..options import MAX_FUEL


@dataclass(frozen=True)
class Command:
    name: str
    arg: str            # how the argument is written in :help ("" if none)
    help: str
    handler: Callable


def _help(engine, arg: str) -> None:
    lines = ["Type HL declarations, statements or expressions; the final ';' is optional.",
             "An expression's value is kept as $1, $2, ...; a new definition of a name replaces the old.",
             "Enter on an incomplete input continues it on the next line; Ctrl-C cancels the input",
             "or interrupts a running snippet; Ctrl-D (or :quit) leaves.", ""]
    width = max(len(f":{c.name} {c.arg}") for c in COMMANDS)
    for c in COMMANDS:
        lines.append(f"  {f':{c.name} {c.arg}':<{width}}  {c.help}")
    engine.out("\n".join(lines) + "\n")


def _vars(engine, arg: str) -> None:
    for name, sym in engine.session.visible():
        if isinstance(sym, GlobalInfo):
            shown = engine.show(sym.module.name, name)
            engine.out(f"{name}: {sym.type} = {shown if shown is not None else '?'}\n")


def _fns(engine, arg: str) -> None:
    for name, sym in engine.session.visible():
        if isinstance(sym, FunctionInfo):
            engine.out(describe(sym, name) + "\n")


def _classes(engine, arg: str) -> None:
    for name, sym in engine.session.visible():
        if isinstance(sym, ClassInfo):
            engine.out(describe(sym, name) + "\n")


def _type(engine, arg: str) -> None:
    if not arg:
        engine.err("usage: :type EXPR\n")
        return
    try:
        engine.out(engine.session.type_of(arg) + "\n")
    except CompileError as e:
        engine.err(e.format() + "\n")


def _disasm(engine, arg: str) -> None:
    session = engine.session
    if not arg:
        if engine.last is None:
            engine.err("nothing to disassemble yet: :disasm NAME shows a function or class\n")
            return
        desc = session.descs[engine.last.module]
        engine.out(disassemble(desc, session.source_of(desc.name)))
        return
    found = session.function(arg)
    if found is None:
        engine.err(f"no function or class '{arg}' (try :fns or :classes)\n")
        return
    desc, fns = found
    src = session.source_of(desc.name)
    engine.out("\n".join(disassemble_function(desc, f, src) for f in fns))


def _load(engine, arg: str) -> None:
    if not arg:
        engine.err("usage: :load FILE\n")
        return
    path = Path(arg).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        engine.err(f"cannot read {arg}: {getattr(e, 'strerror', None) or e}\n")
        engine.fail(2)
        return
    engine.evaluate(text, display=str(path), source_name=path.name,
                    search_dirs=[path.resolve().parent, *engine.search_dirs])


def _reset(engine, arg: str) -> None:
    engine.reset()
    engine.out("session reset: every definition and value is gone\n")


def _fuel(engine, arg: str) -> None:
    if arg:
        if arg in ("off", "none"):
            engine.fuel = None
        else:
            try:
                n = int(arg.replace("_", ""))
                if not 0 < n <= MAX_FUEL:          # the run state's 64-bit word
                    raise ValueError
            except ValueError:
                engine.err("usage: :fuel N (a positive number) or :fuel off\n")
                return
            engine.fuel = n
    if engine.fuel is None:
        engine.out("fuel: unlimited\n")
    else:
        engine.out(f"fuel: {engine.fuel:_} calls and loop iterations per input\n")


def _quit(engine, arg: str) -> None:
    engine.quit()


COMMANDS = (
    Command("help", "", "this list", _help),
    Command("vars", "", "variables in scope, with their values", _vars),
    Command("fns", "", "functions in scope", _fns),
    Command("classes", "", "classes in scope", _classes),
    Command("type", "EXPR", "the static type of an expression (not run)", _type),
    Command("disasm", "[NAME]", "bytecode of a function, a class or C.method (default: the last input)",
            _disasm),
    Command("load", "FILE", "run a file's declarations and statements as one input", _load),
    Command("fuel", "[N|off]", "limit each input to N calls and loop iterations", _fuel),
    Command("reset", "", "forget everything: a new session on a new VM", _reset),
    Command("quit", "", "leave (also Ctrl-D)", _quit),
)


def find(name: str) -> list[Command]:
    """The commands `name` may abbreviate (exactly one if it is a command)."""
    exact = [c for c in COMMANDS if c.name == name]
    return exact or [c for c in COMMANDS if c.name.startswith(name)]


def run(engine, text: str) -> None:
    """Run `:name arg`."""
    name, _, arg = text[1:].strip().partition(" ")
    matches = find(name)
    if len(matches) != 1:
        hint = ", ".join(f":{c.name}" for c in matches) if matches else "try :help"
        engine.err(f"unknown command ':{name}' ({'which one? ' if matches else ''}{hint})\n")
        return
    matches[0].handler(engine, arg.strip())
