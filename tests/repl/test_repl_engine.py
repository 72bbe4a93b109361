"""The REPL's evaluator and commands, in process (hll/repl/engine.py,
commands.py, values.py): what is printed for each kind of input, the
`:commands`, errors, fuel and interrupts.  The terminal and scripted front
ends are tested end to end in tests/test_repl.py."""

from __future__ import annotations

import io

import pytest
from repl_support import interrupting

from hll.repl.engine import Engine, QuitRepl
from hll.repl.values import quote, type_text, value_text
from hllvm import VM


class Session:
    def __init__(self, tmp_path=None, interactive=True):
        self.out, self.err = io.StringIO(), io.StringIO()
        dirs = [tmp_path] if tmp_path is not None else None
        self.engine = Engine(lambda stdout=None: VM(stdout=stdout, stderr=self.err, stdin=io.StringIO()),
                             interactive=interactive, out=self.out, err=self.err, search_dirs=dirs)

    def __call__(self, text: str) -> tuple[str, str]:
        """Handle one input; (its standard output, its standard error)."""
        o, e = self.out.tell(), self.err.tell()
        self.engine.handle(text)
        return self.out.getvalue()[o:], self.err.getvalue()[e:]


@pytest.fixture
def repl(tmp_path):
    return Session(tmp_path)


def test_values_are_numbered_and_shown_with_their_type(repl):
    assert repl("6 * 7") == ("$1: int = 42\n", "")
    assert repl('"hi" + "!"') == ('$2: string = "hi!"\n', "")
    assert repl("$1 + 1") == ("$3: int = 43\n", "")
    assert repl("1.0 / 4.0; 2 > 1") == ("$4: float = 0.25\n$5: bool = true\n", "")
    assert repl("[[1], []]") == ("$6: int[][] = [[1], []]\n", "")
    assert repl("let s: string = null; s") == ("s: string = null\n$7: string = null\n", "")


def test_declarations_get_feedback(repl):
    assert repl("let x = 2") == ("x: int = 2\n", "")
    assert repl("fn f(a: int, b: float) -> int { return a; }") == ("created fn f(a: int, b: float) -> int\n", "")
    assert repl("fn f() { }") == ("replaced fn f()\n", "")
    assert repl("class A { } class B extends A { }") == ("created class A\ncreated class B extends A\n", "")
    assert repl("import math") == ("", "")


def test_scripted_use_shows_only_values(tmp_path):
    repl = Session(tmp_path, interactive=False)
    assert repl("let x = 2; fn f() {} x * 21") == ("$1: int = 42\n", "")


def test_program_output_comes_first_and_ends_its_line(repl):
    assert repl('print("partial"); 5') == ("partial\n$1: int = 5\n", "")


def test_class_defined_and_used(repl):
    repl("class Point { x: int; y: int; init(x: int, y: int) { self.x = x; self.y = y; }\n"
         "  fn to_string() -> string { return \"(\" + str(self.x) + \", \" + str(self.y) + \")\"; } }")
    assert repl("let p = new Point(1, 2)") == ("p: Point = (1, 2)\n", "")
    assert repl("p.x + p.y") == ("$1: int = 3\n", "")


def test_compile_error_is_located_and_the_session_goes_on(repl):
    out, err = repl("let y = nope + 1")
    assert out == ""
    assert err == ("<repl>:1:9: error: unknown name 'nope'\n"
                   "    let y = nope + 1;\n"
                   "            ^\n")
    assert repl("let y = 1") == ("y: int = 1\n", "")
    assert repl.engine.status == 2


def test_runtime_error_shows_the_trace_and_keeps_definitions(repl):
    repl("fn div(a: int, b: int) -> int { return a / b; }")
    out, err = repl("let q = div(1, 0)")
    assert out == ""
    assert err == ("Uncaught ArithmeticError: division by zero\n"
                   "  at div (#1:1)\n"
                   "  at $init (#2:1)\n")
    assert repl("q") == ("$1: int = 0\n", "")        # declared, never initialised
    assert repl("div(6, 3)") == ("$2: int = 2\n", "")
    assert repl.engine.status == 1


def test_failing_to_string_is_reported(repl):
    repl('class Bad { fn to_string() -> string { throw new ValueError("no"); } }')
    out, err = repl("new Bad()")
    assert out == "" and err.startswith("Uncaught ValueError: no\n  at Bad.to_string")


def test_fuel_limits_each_input(repl):
    assert repl(":fuel 20000") == ("fuel: 20_000 calls and loop iterations per input\n", "")
    out, err = repl("var n = 0; while true { n += 1; }")
    assert err == "fuel exhausted (the limit is 20000 calls and loop iterations: see :fuel)\n"
    assert repl("var k = 0; for i in 0..1000 { k += i; } k") == ("k: int = 499500\n$1: int = 499500\n", "")
    assert repl(":fuel off") == ("fuel: unlimited\n", "")
    assert repl(":fuel -3")[1].startswith("usage: :fuel")


def test_interrupt_stops_a_running_snippet(repl):
    with interrupting(repl.engine.vm):
        out, err = repl("while true { }")
    assert err == "interrupted\n"
    assert repl("1") == ("$1: int = 1\n", "")


def test_exit_ends_the_session(repl):
    with pytest.raises(QuitRepl) as ei:
        repl("exit(3)")
    assert ei.value.status == 3
    with pytest.raises(QuitRepl) as ei:
        repl(":q")
    assert ei.value.status is None


def test_listing_commands(repl):
    repl("let a = 1; var b = \"x\"; fn f(n: int) -> bool { return n > 0; } class C { } 9")
    repl("let a = 2.5")
    assert repl(":vars") == ('b: string = "x"\n$1: int = 9\na: float = 2.5\n', "")
    assert repl(":fns") == ("fn f(n: int) -> bool\n", "")
    assert repl(":cl") == ("class C\n", "")
    assert repl(":type f(a > 1.0 ? 1 : 0)")[1].startswith("<type>:1:")
    assert repl(":type [f(1)]") == ("bool[]\n", "")
    assert repl(":type println(1)") == ("void\n", "")


def test_disasm(repl):
    repl("fn sq(x: int) -> int {\n    return x * x;\n}")
    out, _ = repl(":disasm sq")
    assert out.splitlines()[:3] == ["fn sq(I)I", "  locals 1 (I), max stack 2", "    // line 2: return x * x;"]
    assert "IMUL" in out
    assert repl(":disasm nope") == ("", "no function or class 'nope' (try :fns or :classes)\n")
    out, _ = repl(":disasm")
    assert out.startswith("module $repl1   // from #1")


def test_load_runs_a_file(repl, tmp_path):
    (tmp_path / "lib.hl").write_text('import helper;\nfn twice(x: int) -> int { return helper.add(x, x); }\n'
                                     'println("loaded");\n')
    (tmp_path / "helper.hl").write_text("fn add(a: int, b: int) -> int { return a + b; }\n")
    out, err = repl(f":load {tmp_path / 'lib.hl'}")
    assert (out, err) == ("loaded\ncreated fn twice(x: int) -> int\n", "")
    assert repl("twice(21)") == ("$1: int = 42\n", "")
    (tmp_path / "bad.hl").write_text("fn f() -> int { }\n")
    out, err = repl(f":load {tmp_path / 'bad.hl'}")
    assert err.startswith(f"{tmp_path / 'bad.hl'}:1:4: error: missing return")
    assert repl(":load /no/such/file.hl")[1].startswith("cannot read /no/such/file.hl")


def test_reset_forgets_everything(repl):
    repl("let a = 1; 2")
    assert repl(":reset") == ("session reset: every definition and value is gone\n", "")
    assert repl("a")[1].startswith("<repl>:1:1: error: unknown name 'a'")
    assert repl("3") == ("$1: int = 3\n", "")


def test_unknown_and_ambiguous_commands(repl):
    assert repl(":nope") == ("", "unknown command ':nope' (try :help)\n")
    assert repl(":") [1].startswith("unknown command ':' (which one?")
    out, _ = repl(":help")
    assert ":disasm [NAME]" in out and ":quit" in out


def test_value_and_type_text():
    assert type_text("I") == "int" and type_text("[[Lgeo.Point;") == "Point[][]"
    assert type_text("L$repl3.Dog;") == "Dog"
    assert value_text("F", 1e100) == "1e+100" and value_text("F", float("nan")) == "nan"
    assert value_text("Z", False) == "false" and value_text("S", None) == "null"
    assert quote('a"b\\c\n\t\0\x01é') == '"a\\"b\\\\c\\n\\t\\0\\u{1}é"'
