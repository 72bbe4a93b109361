"""The compile budget (compiler/budget.py): a program too large for the
memory its caller allows is a compile error at the point the budget ran
out, a compilation past its time limit ends with CompileTimeout, and every
realistic program compiles within the smallest budget a VM derives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import compiler
from compiler.budget import CHECK_EVERY, SOURCE_FACTOR, TOKEN_BYTES, Budget
from compiler.libpath import STDLIB_DIR
from hl.program import compile_budget

ROOT = Path(__file__).resolve().parents[2]
TOO_LARGE = "the program is too large to compile within the memory limit"


def _dense(statements: int) -> str:
    """Many short tokens per character: `x=1+2*x-3;` is 10 tokens in 11."""
    return "fn main() {\n    var x = 0;\n" + "    x=1+2*x-3;\n" * statements + "    println(x);\n}\n"


def test_sources_beyond_the_budget_are_refused_before_parsing_at_line_1():
    budget = 1 << 20
    text = "// " + "x" * (budget // SOURCE_FACTOR) + "\nfn main() {}\n"
    for _ in range(2):          # deterministic: refused the same way every time
        with pytest.raises(compiler.CompileError) as e:
            compiler.compile_source(text, name="big", filename="big.hl",
                                    budget=Budget(memory=budget, hint="raise --max-heap"))
        [d] = e.value.diagnostics
        assert (d.file, d.line, d.col) == ("big.hl", 1, 1)
        assert d.message.startswith(TOO_LARGE) and d.message.endswith("; raise --max-heap")
        assert f"the budget allows {budget // SOURCE_FACTOR:,}" in d.message
        assert "the compile budget is 1 MiB" in d.message


def test_the_same_source_compiles_within_a_larger_budget():
    text = "// " + "x" * ((1 << 20) // SOURCE_FACTOR) + "\nfn main() {}\n"
    prog = compiler.compile_source(text, name="big", budget=Budget(memory=64 << 20))
    assert prog.entry == "big"


def test_dense_code_is_refused_at_the_token_where_the_budget_runs_out():
    # Few enough characters to pass the first check, more tokens than the
    # budget's estimate of TOKEN_BYTES each allows.
    budget = 4 << 20
    text = _dense(8_000)
    assert len(text) < budget // SOURCE_FACTOR
    assert (len(text) // 11 * 10) * TOKEN_BYTES > budget
    with pytest.raises(compiler.CompileError) as e:
        compiler.compile_source(text, name="dense", filename="dense.hl", budget=Budget(memory=budget))
    [d] = e.value.diagnostics
    assert d.file == "dense.hl" and d.message.startswith(TOO_LARGE)
    assert 2 < d.line < 8_003             # inside the body, where the parse got to
    assert d.source_line.strip() == "x=1+2*x-3;"


def test_no_budget_means_no_limit():
    assert compiler.compile_source(_dense(8_000), name="dense").entry == "dense"


def test_a_compilation_past_its_time_limit_ends_with_compile_timeout():
    text = _dense(CHECK_EVERY)          # more tokens than one look at the clock
    with pytest.raises(compiler.CompileTimeout) as e:
        compiler.compile_source(text, name="slow", budget=Budget(timeout=0.0))
    assert str(e.value) == "time limit of 0 s exceeded while compiling"
    assert e.value.timeout == 0.0
    # A CompileTimeout is not a program's error: not a CompileError.
    assert not isinstance(e.value, compiler.CompileError)


def test_the_checker_and_the_code_generator_look_at_the_clock_too():
    # Few tokens, many statements: the parser's looks are not reached.
    budget = Budget(timeout=3600.0)
    calls = []
    real = budget.check_time

    def counted():
        calls.append(budget.tokens)
        real()
    budget.check_time = counted
    text = "fn main() {\n    var x = 0;\n" + "    x += 1;\n" * (2 * CHECK_EVERY) + "}\n"
    compiler.compile_source(text, name="steps", budget=budget)
    assert len(calls) >= 3              # tokens, checked statements, generated statements


def test_every_realistic_program_compiles_within_the_smallest_budget():
    """The standard library, the examples and the conformance programs
    within the budget of the smallest heap a VM takes (64 KiB)."""
    smallest = compile_budget(64 << 10)
    files = sorted((ROOT / "examples").rglob("*.hl")) + sorted((ROOT / "tests" / "conformance").rglob("*.hl"))
    assert files
    for path in files:
        try:
            compiler.compile_program(path, budget=Budget(memory=smallest), library=True)
        except compiler.CompileError as e:
            assert TOO_LARGE not in str(e), path
    for name in compiler.stdlib_module_names():
        src = Path(STDLIB_DIR, *name.split(".")).with_suffix(".hl")
        compiler.compile_program(src, budget=Budget(memory=smallest), library=True)


def test_compile_budget_is_half_the_heap_limit_with_a_floor():
    assert compile_budget(256 << 20) == 128 << 20
    assert compile_budget(1 << 30) == 512 << 20
    assert compile_budget(64 << 10) == 32 << 20


def _hll(*args, cwd):
    return subprocess.run([sys.executable, "-m", "hll.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_hll_run_refuses_a_program_too_large_for_its_heap_limit(tmp_path):
    src = tmp_path / "big.hl"
    src.write_text("// " + "x" * (compile_budget(1 << 20) // SOURCE_FACTOR) + "\nfn main() { println(1); }\n")
    r = _hll("run", "--no-cache", "--max-heap", "1M", str(src), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(f"{src}:1:1: error: {TOO_LARGE}")
    assert "raise the heap limit (--max-heap)" in r.stderr
    r = _hll("run", "--no-cache", "--max-heap", "256M", str(src), cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "1\n")
