"""Loading through the embedding API (hllvm/embed.py): source, files, `.hlc`
bytes; every load verified; modules shared between loads only when they are
the same module."""

from __future__ import annotations

import pytest

import compiler
from hlbc import write_module
from hll import hlasm
from hllvm import HLError, LoadError, ResourceExhausted, VerifyError

from embed_fixtures import make_vm, tier  # noqa: F401  (fixtures)


BAD = """
module bad
func f ()I
  ICONST 1
  IADD
  RETV
end
"""


def test_load_file_finds_imports_beside_it(make_vm, tmp_path):
    (tmp_path / "util.hl").write_text("fn twice(x: int) -> int { return 2 * x; }\n")
    (tmp_path / "plugin.hl").write_text("import util;\nfn f(x: int) -> int { return util.twice(x) + 1; }\n")
    mod = make_vm().load_file(tmp_path / "plugin.hl")
    assert mod.name == "plugin" and mod.call("f", 20) == 41


def test_two_plugins_share_the_library_and_a_common_module(make_vm, tmp_path):
    (tmp_path / "util.hl").write_text("var n = 0; fn bump() -> int { n += 1; return n; }\n")
    vm = make_vm()
    a = vm.load_source("import util; import math; fn f() -> int { return util.bump(); }", name="a",
                       search_dirs=[tmp_path])
    b = vm.load_source("import util; import math; fn g() -> int { return util.bump(); }", name="b",
                       search_dirs=[tmp_path])
    assert (a.call("f"), b.call("g"), a.call("f")) == (1, 2, 3)     # one util module, one n


def test_a_different_module_of_the_same_name_is_refused(make_vm, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "util.hl").write_text("fn k() -> int { return 1; }\n")
    (two / "util.hl").write_text("fn k() -> int { return 2; }\n")
    vm = make_vm()
    vm.load_source("import util; fn f() -> int { return util.k(); }", name="a", search_dirs=[one])
    with pytest.raises(LoadError, match="already loaded"):
        vm.load_source("import util; fn g() -> int { return util.k(); }", name="b", search_dirs=[two])
    with pytest.raises(LoadError, match="already loaded"):
        vm.load_source("fn h() {}", name="a")


def test_hlc_bytes_are_verified(make_vm):
    lang = compiler.compile_modules("lang")
    data = write_module(hlasm.assemble(BAD, others={m.name: m for m in lang}))
    vm = make_vm()
    with pytest.raises(VerifyError, match="in f at pc"):
        vm.load_bytecode(data)
    with pytest.raises(LoadError):
        vm.load_bytecode(data[:-3])                    # damaged: the checksum says so
    assert "bad" not in vm.modules
    assert vm.load_source("fn ok() -> int { return 1; }", name="ok").call("ok") == 1


def test_compiled_program_round_trip(make_vm, tmp_path):
    prog = compiler.compile_source("import math; fn r(x: float) -> float { return math.sqrt(x); }",
                                   name="calc", library=True)
    (tmp_path / "calc.hlc").write_bytes(write_module(prog.modules[-1]))
    assert make_vm().load_file(tmp_path / "calc.hlc").call("r", 16.0) == 4.0


def test_initialisers_run_at_load_under_the_limits(make_vm):
    vm = make_vm()
    with pytest.raises(HLError) as ei:
        vm.load_source("let x = 1 / zero(); fn zero() -> int { return 0; }", name="m")
    assert ei.value.class_name == "ArithmeticError"
    vm2 = make_vm(timeout=0.2)
    with pytest.raises(ResourceExhausted):
        vm2.load_source("let x = spin(); fn spin() -> int { while true {} return 0; }", name="m")
    vm2.timeout = 10.0          # the next load, on a busy machine, must not meet the 0.2 s
    assert vm2.load_source("fn ok() -> int { return 7; }", name="ok").call("ok") == 7


def test_compile_errors_name_the_file(make_vm):
    with pytest.raises(compiler.CompileError, match="plugin.hl:1:"):
        make_vm().load_source("fn f( {", name="plugin")
