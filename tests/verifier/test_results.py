"""What the verifier gives back and how it is wired in: every instruction has
a rule, compiler output verifies, stack maps land on the runtime functions
with the documented content, errors read as documented, and `hll verify`."""

import subprocess
import sys
from pathlib import Path

import pytest

import compiler
from hlbc import write_module
from hlbc.code import decode
from hlbc.opcodes import TABLE
from hllvm.verify import SAFEPOINTS, UNSET, StackMap, verify_modules
from hllvm.verify.rules import REFINE, RULES, STATIC, covered, typed_by_rule
from hllvm.verify.types import Types
from hllvm.verify.world import World
from vhelp import VM, VerifyError, module

ROOT = Path(__file__).resolve().parents[2]


def test_every_instruction_has_a_rule():
    names = {d.name for d in TABLE}
    assert covered() == names
    # An effect the table types by a rule has a rule here; the rest are the
    # table's own letters (no verifier-side special case).
    assert typed_by_rule() <= set(RULES)
    assert set(STATIC) == names - typed_by_rule()
    assert set(RULES) - typed_by_rule() == {"ICONST", "BCONST"}     # operand value checks only


def test_shuffles_move_types_as_the_table_says():
    for name, moves in (("DUP", (0, 0)), ("DUP2", (0, 1, 0, 1)), ("SWAP", (1, 0))):
        pops, pushes = STATIC[name][:2]
        assert pushes == moves and len(pops) == len(set(moves)), name


def test_safepoints_are_the_instructions_that_allocate_or_call():
    flagged = {d.name for d in TABLE if d.may_call or d.may_allocate}
    assert SAFEPOINTS == flagged
    assert {"NEW", "NEWARRAY", "CONCAT", "CALL", "CALLVIRT", "TOSTR_OBJ"} <= SAFEPOINTS
    assert not {"IADD", "GETFIELD", "PUTFIELD", "DUP", "JMP", "THROW"} & SAFEPOINTS


def test_refinements_are_narrower_than_the_table():
    lang = compiler.compile_source("fn main() {}").modules[0]
    types = Types(World([], [lang], lambda n: None))
    by_name = {d.name: d for d in TABLE}
    for name, reqs in REFINE.items():
        letters = by_name[name].pops
        assert len(reqs) == len(letters), name
        for letter, req in zip(letters, reqs):
            assert types.ok(letter, req), (name, letter, req)


def test_error_reads_as_documented():
    e = VerifyError("expected float, found int", "Point.norm", 14, "geo")
    assert str(e) == "VerifyError: in Point.norm at pc 14: expected float, found int"
    assert (e.function, e.pc, e.detail, e.module) == ("Point.norm", 14, "expected float, found int", "geo")
    assert str(VerifyError("class A declared twice", module="t")) == "VerifyError: in module t: class A declared twice"


def programs():
    paths = sorted((ROOT / "examples").glob("*.hl")) + [ROOT / "examples" / "modules" / "main.hl"]
    paths += sorted((ROOT / "bench" / "programs").glob("*.hl"))
    return paths


@pytest.mark.parametrize("path", programs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiler_output_verifies(path):
    prog = compiler.compile_program(path)
    vm = VM()
    results = verify_modules(prog.modules, (), vm.native_signature)
    assert results


def test_every_stdlib_module_verifies():
    src = "import math; import io; import time;\nfn main() { println(str(math.sqrt(2.0))); }"
    prog = compiler.compile_source(src)
    assert {"lang", "math", "io", "time"} <= {m.name for m in prog.modules}
    verify_modules(prog.modules, (), VM().native_signature)


SRC = """
class P { x: int; init(x: int) { self.x = x; } }
fn f(n: int) -> int {
    var s = 0;
    var i = 0;
    while i < n { s = s + i; i = i + 1; }
    let p = new P(s);
    try { s = s / (n - n); } catch e: ArithmeticError { s = 0; }
    return p.x + s;
}
fn main() { println(str(f(3))); }
"""


def test_stack_maps_on_the_runtime_function():
    prog = compiler.compile_source(SRC, name="t")
    vm = VM()
    vm.load(prog.modules)
    fn = vm.modules["t"].function("f")
    maps = fn.stack_maps
    code = decode(fn.desc.code)
    by_pc = {ins.pc: ins for ins in code}
    assert maps and all(isinstance(v, StackMap) for v in maps.values())
    assert all(len(v.locals) == len(fn.desc.locals) for v in maps.values())
    # Only safepoints: calls, allocations, back-edges, handler entries.
    handler_pcs = {h.handler for h in fn.desc.handlers}
    for pc in maps:
        ins = by_pc[pc]
        back = ins.op.flow in ("jump", "branch") and ins.args[0] <= pc
        assert ins.op.name in SAFEPOINTS or back or pc in handler_pcs, ins
    # Every call, allocation and back-edge has one.
    for ins in code:
        if ins.op.name in SAFEPOINTS or (ins.op.flow in ("jump", "branch") and ins.args[0] <= ins.pc):
            assert ins.pc in maps, ins
    # The constructor call sees the object twice (uninitialised) and the argument.
    new = next(ins for ins in code if ins.op.name == "NEW")
    init = next(ins for ins in code if ins.op.name == "CALLSPECIAL")
    assert maps[init.pc].stack == (f"!{new.pc}Lt.P;", f"!{new.pc}Lt.P;", "I")
    # At the NEW, `p` and the catch variable are not assigned yet; n, s and i are.
    loc = maps[new.pc].locals
    assert loc[:3] == ("I", "I", "I") and UNSET in loc[3:]
    # The handler starts with the caught class on the stack.
    (h,) = fn.desc.handlers
    assert maps[h.handler].stack == ("Llang.ArithmeticError;",)
    assert maps[h.handler].locals[3] == "Lt.P;"


def test_record_all_keeps_a_map_at_every_reachable_pc():
    prog = compiler.compile_source(SRC, name="t")
    results = verify_modules(prog.modules, (), VM().native_signature, record_all=True)
    t = next(m for m in prog.modules if m.name == "t")
    i = next(i for i, f in enumerate(t.functions) if f.name == "f")
    r = results[("t", i)]
    assert set(r.stack_maps) == {ins.pc for ins in decode(t.functions[i].code)}
    assert r.reachable == r.instructions


def test_native_functions_have_no_maps_and_methods_do():
    prog = compiler.compile_source(SRC, name="t")
    vm = VM()
    vm.load(prog.modules)
    lang = vm.modules["lang"]
    assert all(f.stack_maps == {} for f in lang.functions if f.native is not None)
    to_string = next(f for f in lang.functions if f.display == "Error.to_string")
    assert to_string.stack_maps


def hll(*args):
    return subprocess.run([sys.executable, "-m", "hll.cli", *args], capture_output=True, text=True, timeout=120)


def test_hll_verify(tmp_path):
    good = tmp_path / "good.hlc"
    r = hll("compile", str(ROOT / "examples" / "hello.hl"), "-o", str(good))
    assert r.returncode == 0, r.stderr
    r = hll("verify", str(good))
    assert r.returncode == 0 and r.stdout.count("\n") == 1 and "OK" in r.stdout, r
    bad = tmp_path / "bad.hlc"
    b = module([("ICONST", 1), ("ICONST", 2), ("FADD",), ("POP",), ("RET",)], name="main")
    bad.write_bytes(write_module(b.build()))
    for cmd in ("verify", "run"):
        r = hll(cmd, str(bad))
        assert r.returncode == 3, r
        assert "VerifyError: in main at pc 10: expected float, found int" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
