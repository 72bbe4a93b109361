"""The REPL at a terminal: line editing, history, completion (prompt_toolkit).

prompt_toolkit rather than readline: it works the same on every platform
(readline is missing on Windows and is libedit on macOS, with different
completion and history behaviour), edits a multi-line input as one buffer
(so Up recalls a whole function, not its last line), lets Enter decide
between "run" and "new line" by asking the parser, and needs no C library.

Enter runs the input when it is complete (compiler.parser.input_status: a
`:command`, complete input, or input missing only its final `;`, or input
with a syntax error to report) and otherwise opens a continuation line
`...> `, indented by the open brackets.  Escape then Enter always opens a new
line.  Tab completes (names in scope, keywords, members after `name.`,
`:commands`, file names after `:load`), or indents at the start of a line.
Ctrl-C cancels the input being typed (and interrupts a running snippet,
engine.py); Ctrl-D on an empty line leaves.  History is kept in
`$HL_HISTORY`, else `~/.hl_history` (an empty HL_HISTORY keeps none).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings

from compiler.parser import InputStatus, input_status

from . import commands
from .engine import QuitRepl

PROMPT = "hl> "
CONTINUATION = "...> "
INDENT = "    "

_NAME_BEFORE = re.compile(r"[A-Za-z_$][A-Za-z0-9_]*$")
_MEMBER_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_]*)$")


def history_path() -> Path | None:
    env = os.environ.get("HL_HISTORY")
    if env is not None:
        return Path(env).expanduser() if env else None
    return Path.home() / ".hl_history"


class _History(FileHistory):
    """A history file that is best-effort: unreadable or unwritable, the
    session goes on with what it has."""

    def load_history_strings(self):
        try:
            yield from super().load_history_strings()
        except (OSError, UnicodeDecodeError):
            return

    def store_string(self, string: str) -> None:
        try:
            super().store_string(string)
        except OSError:
            pass


class HLCompleter(Completer):
    def __init__(self, engine):
        self.engine = engine
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event):
        text = document.text_before_cursor
        stripped = text.lstrip()
        if stripped.startswith(":") and "\n" not in stripped:
            yield from self._command(stripped[1:], complete_event)
            return
        if _in_string_or_comment(text):
            return
        m = _MEMBER_BEFORE.search(text)
        if m is not None:
            obj, part = m.groups()
            for name in self.engine.session.members(obj):
                if name.startswith(part):
                    yield Completion(name, -len(part))
            return
        m = _NAME_BEFORE.search(text)
        if m is None:
            return
        part = m.group(0)
        for name in self.engine.session.completions():
            if name.startswith(part) and name != part:
                yield Completion(name, -len(part))

    def _command(self, body: str, event):
        name, space, arg = body.partition(" ")
        if not space:
            for c in commands.COMMANDS:
                if c.name.startswith(name):
                    yield Completion(c.name, -len(name), display=":" + c.name, display_meta=c.help)
            return
        found = commands.find(name)
        if len(found) != 1:
            return
        arg = arg.lstrip()
        if found[0].name == "load":
            yield from self.paths.get_completions(Document(arg), event)
        elif found[0].name in ("disasm", "type"):
            part = _NAME_BEFORE.search(arg)
            part = part.group(0) if part else ""
            for n, _ in self.engine.session.visible():
                if n.startswith(part) and n != part:
                    yield Completion(n, -len(part))


def _scan(text: str):
    """(open bracket depth, inside a string or comment at the end) of
    `text`, skipping string literals and comments as the lexer would."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return depth, True
            i = j + 1
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            if j < 0:
                return depth, True
            i = j + 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return depth, True
            i = j + 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]" and depth:
            depth -= 1
        i += 1
    return depth, False


def _in_string_or_comment(text: str) -> bool:
    return _scan(text)[1]


def is_ready(text: str) -> bool:
    """Should Enter run this input (rather than continue it)?"""
    if text.lstrip().startswith(":"):
        return True
    return input_status(text)[0] is not InputStatus.INCOMPLETE


def _key_bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("enter")
    def _enter(event):
        buf = event.current_buffer
        if is_ready(buf.text):
            buf.validate_and_handle()
        else:
            depth, _ = _scan(buf.document.text_before_cursor)
            buf.insert_text("\n" + INDENT * depth)

    @kb.add("escape", "enter")
    def _newline(event):
        buf = event.current_buffer
        depth, _ = _scan(buf.document.text_before_cursor)
        buf.insert_text("\n" + INDENT * depth)

    @kb.add("tab")
    def _tab(event):
        buf = event.current_buffer
        if not buf.document.current_line_before_cursor.strip():
            buf.insert_text(INDENT)
        elif buf.complete_state:
            buf.complete_next()
        else:
            buf.start_completion(insert_common_part=True)

    @kb.add("}")
    def _close(event):
        # A `}` alone on its line goes back to the indentation it closes.
        buf = event.current_buffer
        line = buf.document.current_line_before_cursor
        if line and not line.strip() and len(line) >= len(INDENT):
            buf.delete_before_cursor(len(INDENT))
        buf.insert_text("}")

    return kb


def run_terminal(engine, banner: str) -> int:
    path = history_path()
    history = _History(str(path)) if path is not None else InMemoryHistory()
    session = PromptSession(
        history=history, completer=HLCompleter(engine), complete_while_typing=False,
        multiline=True, key_bindings=_key_bindings(),
        prompt_continuation=lambda width, line_number, soft_wrap: "" if soft_wrap else CONTINUATION,
        enable_history_search=False)
    engine.out(banner + "\n")
    while True:
        try:
            text = session.prompt(PROMPT)
        except KeyboardInterrupt:
            continue                    # drop the input being typed
        except EOFError:
            engine.out("\n")
            return 0
        try:
            engine.handle(text)
        except QuitRepl as q:
            return 0 if q.status is None else q.status
        except KeyboardInterrupt:       # while compiling (a run handles its own)
            engine.err("interrupted\n")
