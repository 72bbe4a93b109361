"""`VM.load_source` compiles under the VM's limits: its time limit (the
compilation stops with ResourceExhausted("time"), as a load does) and the
compile budget derived from its heap limit (a CompileError naming the
file: the program is too large)."""

from __future__ import annotations

import pytest

from hl import VM, ResourceExhausted
from hl.program import compile_budget
from compiler import CompileError
from compiler.budget import SOURCE_FACTOR

TOO_LARGE = "the program is too large to compile within the memory limit"


def _dense(statements: int) -> str:
    return "fn run() -> int {\n    var x = 0;\n" + "    x=1+x*1-1+1;\n" * statements + "    return x;\n}\n"


def test_compiling_past_the_time_limit_is_resource_exhausted():
    vm = VM(timeout=0.001)
    with pytest.raises(ResourceExhausted) as e:
        vm.load_source(_dense(20_000), name="slow")
    assert e.value.resource == "time"
    assert str(e.value) == "time limit of 0.001 s exceeded while compiling"
    assert "slow" not in vm.modules
    # The VM goes on: the next load compiles and runs.
    vm.timeout = None
    assert vm.load_source(_dense(10), name="quick").call("run") == 10


def test_a_vm_without_a_time_limit_compiles_without_one():
    assert VM().load_source(_dense(5_000), name="long").call("run") == 5_000


def test_a_program_too_large_for_the_heap_limit_is_a_compile_error():
    heap = 1 << 20
    text = "// " + "x" * (compile_budget(heap) // SOURCE_FACTOR) + "\nfn one() -> int { return 1; }\n"
    with pytest.raises(CompileError) as e:
        VM(max_heap=heap).load_source(text, name="big")
    [d] = e.value.diagnostics
    assert (d.file, d.line, d.col) == ("big.hl", 1, 1)
    assert d.message.startswith(TOO_LARGE) and d.message.endswith("raise the VM's max_heap")
    # A larger heap limit gives a larger budget.
    assert VM(max_heap=256 << 20).load_source(text, name="big").call("one") == 1
