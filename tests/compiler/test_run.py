"""Compiled code behaves as the language says, checked by running it on the
VM (skipped when `hllvm` is not importable): the lowerings that are the
compiler's own (finally on every exit, compound assignment, loops,
str() of arrays and objects, short-circuit operators, literal folding)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from compiler import compile_program, compile_source

hllvm = pytest.importorskip("hllvm")
HERE = Path(__file__).resolve().parent


def run(prog, args=()):
    out, err = io.StringIO(), io.StringIO()
    vm = hllvm.VM(stdout=out, stderr=err)
    vm.load(prog.modules)
    status = vm.run_main(prog.entry, list(args))
    return status, out.getvalue(), err.getvalue()


def test_semantics_program():
    status, out, err = run(compile_program(HERE / "run_semantics.hl"))
    assert (status, err) == (0, "")
    assert out == (HERE / "run_semantics.expected").read_text()


@pytest.mark.parametrize("src, expected", [
    ("fn main() { var i = 0; var log = \"\"; while i < 10 { i += 1; if i % 2 == 0 { continue; } if i > 7 { break; } log += str(i); } println(log); }", "1357\n"),
    ("fn main() { let a = [3, 1, 2]; var s = 0; for x in a { a[2] = 10; s = s * 100 + x; } println(s); }", "30110\n"),
    ("fn n(x: int) -> int { println(\"eval \" + str(x)); return x; }\nfn main() { for i in n(0)..n(2) { println(i); } }", "eval 0\neval 2\n0\n1\n"),
    ("fn t(x: bool, s: string) -> bool { print(s); return x; }\nfn main() { println(t(false, \"a\") && t(true, \"b\")); println(t(true, \"c\") || t(true, \"d\")); }", "afalse\nctrue\n"),
    ("fn i(x: int) -> int { print(x); return x; }\nfn main() { let a = [0, 0]; a[i(1)] += i(5); println(\"\"); println(a); }", "15\n[0, 5]\n"),
    ("class E extends Error { init() { super.init(\"boom\"); } }\nfn main() { try { throw new E(); } catch e: Error { println(e); } }", "E: boom\n"),
    ("fn main() { println(str([[1.5], null])); println([\"a\", null]); let n: int[] = null; println(n); }", "[[1.5], null]\n[a, null]\nnull\n"),
    ("fn f() -> int { var x = 1; try { return x; } finally { x = 2; println(x); } }\nfn main() { println(f()); }", "2\n1\n"),
])
def test_programs(src, expected):
    status, out, err = run(compile_source(src))
    assert (status, err, out) == (0, "", expected)


def test_uncaught_error_trace_points_at_lines():
    src = "fn boom() {\n  let a = [1];\n  println(a[5]);\n}\nfn main() {\n  boom();\n}\n"
    status, out, err = run(compile_source(src, filename="t.hl"))
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith("Uncaught IndexError")
    assert "boom" in lines[1] and ":3)" in lines[1]
    assert "main" in lines[2] and ":6)" in lines[2]
