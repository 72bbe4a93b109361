"""The REPL end to end, as a user meets it (docs/repl.md).

At a terminal: `hll repl` runs in a pseudo-terminal driven by pexpect, which
types keys and reads the screen output (with prompt_toolkit's escape
sequences in it: the patterns match the REPL's own output lines, which are
printed whole).  Each step waits for the output of the previous one and for
the next prompt before typing, so nothing depends on timing but the
generous timeouts.

Scripted: `hll repl` and `hll` with standard input from a pipe.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

try:
    import pexpect
except ImportError:             # the `test` extra installs it; scripted tests run without
    pexpect = None

needs_pty = pytest.mark.skipif(pexpect is None or not hasattr(os, "openpty"),
                               reason="needs pexpect and a pseudo-terminal")

TIMEOUT = 30


def _env(tmp_path, **extra) -> dict:
    env = dict(os.environ)
    env.update(HOME=str(tmp_path), HL_HISTORY=str(tmp_path / "history"), HL_CACHE_DIR=str(tmp_path / "cache"),
               TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", **extra)
    return env


class Terminal:
    """`hll repl` in a pseudo-terminal."""

    def __init__(self, tmp_path, args=("repl",)):
        self.child = pexpect.spawn(sys.executable, ["-m", "hll.cli", *args], cwd=str(tmp_path),
                                   env=_env(tmp_path), encoding="utf-8", timeout=TIMEOUT,
                                   dimensions=(40, 120))
        self.expect("Type :help for help")
        self.prompt()

    def prompt(self) -> None:
        """Wait for a new prompt, ready for keys.  prompt_toolkit switches
        bracketed paste on (ESC [?2004h) once per prompt, after putting the
        terminal in raw mode; redraws while typing repeat only `hl>`."""
        self.child.expect(r"\x1b\[\?2004h.*?hl>")

    def type(self, keys: str) -> None:
        self.child.send(keys)

    def enter(self, line: str) -> None:
        self.child.send(line + "\r")

    def expect(self, text: str) -> None:
        """Wait for `text` (literal) in the output."""
        self.child.expect_exact(text)

    def run(self, line: str, result: str) -> None:
        """Type a line, wait for `result` (if any), then for the next prompt."""
        self.enter(line)
        if result:
            self.expect(result)
        self.prompt()

    def close(self) -> int:
        self.type("\x04")                   # Ctrl-D
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path)
    yield t
    if t.child.isalive():
        t.child.terminate(force=True)


# --- at a terminal ----------------------------------------------------------------------------

@needs_pty
def test_define_a_class_and_use_it(term):
    term.run("class Counter { n: int; fn add(k: int) -> int { self.n += k; return self.n; } }",
             "created class Counter")
    term.run("let c = new Counter()", "c: Counter = <Counter>")
    term.run("c.add(5); c.add(2)", "$2: int = 7")
    assert term.close() == 0


@needs_pty
def test_redefine_a_function_and_use_values(term):
    term.run("fn f(x: int) -> int { return x * 2; }", "created fn f(x: int) -> int")
    term.run("f(21)", "$1: int = 42")
    term.run("fn f(x: int) -> int { return x * 3; }", "replaced fn f(x: int) -> int")
    term.run("f(21)", "$2: int = 63")
    term.run("$1 + $2", "$3: int = 105")


@needs_pty
def test_multi_line_input_with_continuation_prompt(term):
    term.enter("fn fact(n: int) -> int {")
    term.expect("...>")
    term.enter("if n <= 1 { return 1; }")
    term.expect("...>")
    term.enter("return n * fact(n - 1);")
    term.expect("...>")
    term.run("}", "created fn fact(n: int) -> int")
    term.enter("fact(")
    term.expect("...>")
    term.run("20)", "$1: int = 2432902008176640000")


@needs_pty
def test_compile_error_then_fix(term):
    term.enter("let total = 1 + tru")
    term.expect("<repl>:1:17: error: unknown name 'tru'")
    term.expect("^")
    term.prompt()
    term.run("let total = 1 + 2", "total: int = 3")


@needs_pty
def test_runtime_error_then_go_on(term):
    term.run("fn at(xs: int[], i: int) -> int { return xs[i]; }", "created fn at")
    term.enter("at([1, 2, 3], 7)")
    term.expect("Uncaught IndexError: index 7 out of range for length 3")
    term.expect("at at (#1:1)")
    term.prompt()
    term.run("at([1, 2, 3], 2)", "$1: int = 3")


@needs_pty
def test_ctrl_c_interrupts_an_endless_loop(term):
    term.run("import time", "")
    # The sleep flushes the output, so "spinning" on the screen means the loop runs.
    term.enter('var n = 0; println("spinning"); time.sleep(0.01); while true { n += 1; }')
    term.expect("spinning")
    term.type("\x03")
    term.expect("interrupted")
    term.prompt()
    term.run("n > 0", "$1: bool = true")


@needs_pty
def test_ctrl_c_cancels_the_input_being_typed(term):
    term.enter("fn unfinished() {")
    term.expect("...>")
    term.type("\x03")
    term.prompt()
    term.run("1 + 1", "$1: int = 2")


@needs_pty
def test_tab_completion(term):
    term.run("let longname_abc = 5", "longname_abc: int = 5")
    term.type("longn\t")
    term.run(" + 1", "$1: int = 6")
    term.run("import math", "")
    term.type("math.sq\t")
    term.run("(16.0)", "$2: float = 4.0")
    term.type(":hel\t")
    term.run("", "bytecode of a function")


@needs_pty
def test_history_is_kept_across_sessions(tmp_path):
    first = Terminal(tmp_path)
    first.run("let remembered = 40 + 2", "remembered: int = 42")
    assert first.close() == 0
    assert "let remembered = 40 + 2" in (tmp_path / "history").read_text()
    second = Terminal(tmp_path)
    second.type("\x1b[A")                      # Up: the last input of the first session
    second.run("", "remembered: int = 42")
    assert second.close() == 0


@needs_pty
def test_bare_hll_starts_the_repl_and_exit_ends_it(tmp_path):
    t = Terminal(tmp_path, args=())
    t.enter("exit(5)")
    t.child.expect(pexpect.EOF)
    t.child.close()
    assert t.child.exitstatus == 5


# --- scripted: standard input is not a terminal -------------------------------------------------

def _script(tmp_path, text: str, *args: str, cmd=("repl",)) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hll.cli", *cmd, *args], input=text, capture_output=True,
                          text=True, cwd=tmp_path, env=_env(tmp_path), timeout=TIMEOUT)


def test_scripted_values_without_prompts(tmp_path):
    r = _script(tmp_path, "let x = 2; x * 21\n")
    assert (r.stdout, r.stderr, r.returncode) == ("$1: int = 42\n", "", 0)


def test_scripted_multi_line_input_commands_and_output(tmp_path):
    r = _script(tmp_path, 'fn greet(name: string) -> string {\n    return "hi " + name;\n}\n'
                          'greet("you")\nprintln(greet("me"))\n:type greet("x").length\n')
    assert (r.stdout, r.stderr, r.returncode) == ('$1: string = "hi you"\nhi me\nint\n', "", 0)


def test_scripted_errors_go_on_and_set_the_status(tmp_path):
    r = _script(tmp_path, "1 / 0\nlet ok = nope\n40 + 2\n")
    assert r.stdout == "$1: int = 42\n"
    assert r.stderr == ("Uncaught ArithmeticError: division by zero\n  at $init (#1:1)\n"
                        "<repl>:1:10: error: unknown name 'nope'\n    let ok = nope;\n             ^\n")
    assert r.returncode == 1                     # the first failure's status
    assert _script(tmp_path, "let = 3\n").returncode == 2


def test_scripted_input_reads_the_following_line(tmp_path):
    r = _script(tmp_path, "let name = input()\nAda\nname.length\n")
    assert (r.stdout, r.returncode) == ("$1: int = 3\n", 0)


def test_scripted_incomplete_input_at_the_end_is_an_error(tmp_path):
    r = _script(tmp_path, "fn f() {\n")
    assert "unexpected end of file" in r.stderr and r.returncode == 2


def test_scripted_fuel_option(tmp_path):
    r = _script(tmp_path, "while true {}\n7\n", "--fuel", "10000")
    assert r.stdout == "$1: int = 7\n"
    assert r.stderr.startswith("fuel exhausted") and r.returncode == 4


def test_bare_hll_with_piped_input_and_help(tmp_path):
    r = _script(tmp_path, "[1, 2].length\n", cmd=())
    assert (r.stdout, r.returncode) == ("$1: int = 2\n", 0)
    r = subprocess.run([sys.executable, "-m", "hll.cli", "--help"], capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.returncode == 0 and re.search(r"^\s+repl\s", r.stdout, re.M)
