"""Instructions one by one: constants, locals, stack, arithmetic, comparisons,
conversions, control flow."""

import math

import pytest

from conftest import eval_code, expr_module, run_module

from hllvm import HLError
from hllvm.lower import handled_opcodes
from hllvm.ops import FACTORIES
from hlbc.opcodes import TABLE

MIN, MAX = -(1 << 63), (1 << 63) - 1


def test_every_opcode_has_an_interpreter_handler():
    names = {d.name for d in TABLE}
    assert names <= handled_opcodes(), names - handled_opcodes()


def test_every_kind_has_a_factory_or_a_template_that_compiles():
    """Templates are compiled when a program first uses their kind: compile
    every one here (superinstructions included), in its closure form."""
    from hllvm.ops import generate
    from hllvm.ops.kinds import KINDS
    assert set(KINDS) == set(FACTORIES)
    for name, k in KINDS.items():
        if k.template:
            lines = generate._body(k) + ([] if k.transfers else ["return nx"])
            generate._compile(["nx"], lines)
        else:
            assert callable(k.factory), name


def test_template_text_is_read_as_the_regular_expressions_read_it():
    """kinds.rename and generate._identifiers are written out (a run imports
    no `re`); they find what `\\b(name|...)\\b` and `[A-Za-z_][A-Za-z0-9_]*`
    find, on every template line and on random text."""
    import random
    import re
    from hllvm.ops import generate
    from hllvm.ops.kinds import KINDS, rename
    lines = [ln for k in KINDS.values() if k.template for ln in k.lines]
    rng = random.Random(2)
    lines += ["".join(rng.choice("ab d_x1R().é9[]+fidt²٠") for _ in range(rng.randrange(24)))
              for _ in range(5000)]
    for names in ({"a": "x", "b": "y"}, {"a": "a0", "ab": "q", "d": "d1", "fid": "fid2", "R": "S"}):
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
        for ln in lines:
            assert rename(ln, names) == pattern.sub(lambda m: names[m.group(1)], ln), ln
    for ln in lines:
        assert generate._identifiers(ln) == re.findall(r"[A-Za-z_][A-Za-z0-9_]*", ln), ln


def test_lowering_emits_only_kinds_of_the_table():
    import re
    from pathlib import Path
    from hllvm import lower
    from hllvm.ops.kinds import KINDS
    emitted = {k for k, _ in lower._SIMPLE.values()} | set(lower._STORES.values())
    src = Path(lower.__file__).read_text()
    emitted |= set(re.findall(r'(?:emit|push_result|Op)\(\s*"(\w+)",', src))
    emitted |= {p + v for p in ("gget", "gset", "getfield") for v in ("_w", "_d", "_z")}
    emitted |= {"putfield_w", "putfield_d"}
    assert emitted <= set(KINDS), emitted - set(KINDS)


def binop(op, a, b, kind="I"):
    c = {"I": "ICONST", "F": "FCONST"}[kind]
    ret = "Z" if op[1:] in ("EQ", "NE", "LT", "LE", "GT", "GE") else kind
    return eval_code([(c, a), (c, b), (op,), ("RETV",)], ret=ret)


@pytest.mark.parametrize("op,a,b,r", [
    ("IADD", 2, 3, 5), ("IADD", MAX, 1, MIN), ("ISUB", MIN, 1, MAX), ("IMUL", MAX, 2, -2),
    ("IMUL", 1 << 62, 4, 0), ("IDIV", 7, 2, 3), ("IDIV", -7, 2, -3), ("IDIV", 7, -2, -3),
    ("IDIV", MIN, -1, MIN), ("IREM", 7, 3, 1), ("IREM", -7, 3, -1), ("IREM", 7, -3, 1),
    ("IREM", MIN, -1, 0), ("IAND", 12, 10, 8), ("IOR", 12, 10, 14), ("IXOR", 12, 10, 6),
    ("ISHL", 1, 63, MIN), ("ISHL", 1, 64, 1), ("ISHL", 1, -1, MIN), ("ISHL", 3, 62, MIN + (1 << 62)),
    ("ISHR", -8, 1, -4), ("ISHR", MIN, 63, -1), ("ISHR", 8, 65, 4),
    ("IEQ", 1, 1, True), ("INE", 1, 1, False), ("ILT", 1, 2, True), ("ILE", 2, 2, True),
    ("IGT", 1, 2, False), ("IGE", 2, 3, False),
])
def test_int_ops(op, a, b, r):
    got = binop(op, a, b)
    assert got == r and type(got) is type(r)


@pytest.mark.parametrize("op", ["IDIV", "IREM"])
def test_int_division_by_zero(op):
    with pytest.raises(HLError) as e:
        binop(op, 1, 0)
    assert e.value.class_name == "ArithmeticError"


def test_int_unary():
    assert eval_code([("ICONST", MIN), ("INEG",), ("RETV",)]) == MIN
    assert eval_code([("ICONST", 5), ("INEG",), ("RETV",)]) == -5
    assert eval_code([("ICONST", 0), ("INOT",), ("RETV",)]) == -1


@pytest.mark.parametrize("op,a,b,r", [
    ("FADD", 0.1, 0.2, 0.1 + 0.2), ("FSUB", 1.0, 0.5, 0.5), ("FMUL", 1e308, 10.0, math.inf),
    ("FDIV", 1.0, 0.0, math.inf), ("FDIV", -1.0, 0.0, -math.inf), ("FDIV", 1.0, -0.0, -math.inf),
    ("FREM", 7.5, 2.0, 1.5), ("FREM", -7.5, 2.0, -1.5),
    ("FEQ", 1.0, 1.0, True), ("FNE", 1.0, 2.0, True), ("FLT", 1.0, 2.0, True),
])
def test_float_ops(op, a, b, r):
    assert binop(op, a, b, "F") == r


def test_float_nan_cases():
    assert math.isnan(binop("FDIV", 0.0, 0.0, "F"))
    assert math.isnan(binop("FREM", 1.0, 0.0, "F"))
    assert math.isnan(binop("FREM", math.inf, 1.0, "F"))
    assert binop("FEQ", math.nan, math.nan, "F") is False
    assert binop("FNE", math.nan, math.nan, "F") is True
    assert binop("FLT", math.nan, 1.0, "F") is False
    assert eval_code([("FCONST", 2.0), ("FNEG",), ("RETV",)], ret="F") == -2.0


@pytest.mark.parametrize("x,r", [(1.9, 1), (-1.9, -1), (math.nan, 0), (1e300, MAX), (-1e300, MIN),
                                 (math.inf, MAX), (-math.inf, MIN), (9.3e18, MAX), (-9.3e18, MIN)])
def test_f2i(x, r):
    assert eval_code([("FCONST", x), ("F2I",), ("RETV",)]) == r


def test_i2f():
    assert eval_code([("ICONST", MAX), ("I2F",), ("RETV",)], ret="F") == 9.223372036854775807e18


def test_bools():
    assert eval_code([("BCONST", 1), ("NOT",), ("RETV",)], ret="Z") is False
    assert eval_code([("BCONST", 1), ("BCONST", 0), ("ZEQ",), ("RETV",)], ret="Z") is False
    assert eval_code([("BCONST", 1), ("BCONST", 0), ("ZNE",), ("RETV",)], ret="Z") is True


def test_stack_ops():
    # (2, 3) DUP2 → 2 3 2 3; ISUB → 2 3 -1; SWAP → 2 -1 3; IMUL → 2 -3; IADD → -1
    code = [("ICONST", 2), ("ICONST", 3), ("DUP2",), ("ISUB",), ("SWAP",), ("IMUL",), ("IADD",), ("RETV",)]
    assert eval_code(code) == -1
    assert eval_code([("ICONST", 4), ("DUP",), ("IMUL",), ("ICONST", 9), ("POP",), ("RETV",)]) == 16


def test_swap_of_temps():
    # a = 10 - 1, b = 20 - 2 as temps; SWAP; ISUB → b - a
    code = [("ICONST", 10), ("ICONST", 1), ("ISUB",), ("ICONST", 20), ("ICONST", 2), ("ISUB",),
            ("SWAP",), ("ISUB",), ("RETV",)]
    assert eval_code(code) == 9


def test_locals_and_deferred_load_then_store():
    # LOAD 0 stays on the stack while local 0 is overwritten: must keep the old value.
    code = [("ICONST", 5), ("STORE", 0), ("LOAD", 0), ("ICONST", 7), ("STORE", 0),
            ("LOAD", 0), ("ISUB",), ("RETV",)]
    assert eval_code(code, locals_=["I"]) == -2


def test_store_into_local_it_reads():
    code = [("ICONST", 5), ("STORE", 0), ("LOAD", 0), ("LOAD", 0), ("IADD",), ("STORE", 0),
            ("LOAD", 0), ("RETV",)]
    assert eval_code(code, locals_=["I"]) == 10


def test_locals_are_written_before_read():
    # The VM zero-initialises locals, but verified code cannot observe it:
    # reading a local that was never written is a verification error.
    from hllvm import VerifyError
    for t in ("F", "Z", "S"):
        with pytest.raises(VerifyError, match="read before it is written"):
            eval_code([("LOAD", 0), ("RETV",)], ret=t, locals_=[t])


def test_loop_sum():
    # s = 0; i = 0; while i < 100 { s += i; i += 1 }
    code = [("ICONST", 0), ("STORE", 0), ("ICONST", 0), ("STORE", 1),
            "top:", ("LOAD", 1), ("ICONST", 100), ("ILT",), ("JF", "end"),
            ("LOAD", 0), ("LOAD", 1), ("IADD",), ("STORE", 0),
            ("LOAD", 1), ("ICONST", 1), ("IADD",), ("STORE", 1), ("JMP", "top"),
            "end:", ("LOAD", 0), ("RETV",)]
    assert eval_code(code, locals_=["I", "I"]) == 4950


def test_jt_and_backward_branch():
    # do { i += 1 } while i < 10 (backward JT)
    code = [("ICONST", 0), ("STORE", 0), "top:", ("LOAD", 0), ("ICONST", 1), ("IADD",), ("STORE", 0),
            ("LOAD", 0), ("ICONST", 10), ("ILT",), ("JT", "top"), ("LOAD", 0), ("RETV",)]
    assert eval_code(code, locals_=["I"]) == 10
    code = [("ICONST", 0), ("STORE", 0), "top:", ("LOAD", 0), ("ICONST", 1), ("IADD",), ("DUP",), ("STORE", 0),
            ("ICONST", 10), ("IGE",), ("NOT",), ("JT", "top"), ("LOAD", 0), ("RETV",)]
    assert eval_code(code, locals_=["I"]) == 10


def test_value_on_stack_across_branch():
    # 1 + (c ? 10 : 20), with the 1 pushed before the branch
    code = [("BCONST", 0), ("STORE", 0),
            ("ICONST", 1), ("LOAD", 0), ("JF", "else"), ("ICONST", 10), ("JMP", "join"),
            "else:", ("ICONST", 20), "join:", ("IADD",), ("RETV",)]
    assert eval_code(code, locals_=["Z"]) == 21


def test_globals_and_module_init():
    b = expr_module([("GGET", ("t", "g", "I")), ("RETV",)])
    b.global_("g", "I")
    b.modinit([("ICONST", 41), ("ICONST", 1), ("IADD",), ("GSET", ("t", "g", "I")), ("RET",)])
    import io
    from asm import make_lang
    from hllvm import VM
    vm = VM(stdout=io.StringIO())
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "f") == 42


def test_main_int_status_and_args():
    b = expr_module([("ICONST", 0), ("RETV",)])
    b.functions = [f for f in b.functions if f[0] != "main"]
    b.func("main", ["[S"], "I", ["[S"], [
        ("LOAD", 0), ("ICONST", 1), ("RALOAD",), ("CALLNATIVE", ("lang.println", "(S)V")),
        ("LOAD", 0), ("ALEN",), ("RETV",)])
    r = run_module(b, args=["a", "bé", "c"])
    assert r.status == 3 and r.out == "bé\n"


def test_nop_and_constants():
    assert eval_code([("NOP",), ("SCONST", "hé"), ("RETV",)], ret="S") == "hé"
    assert eval_code([("NULL",), ("RETV",)], ret="S") is None


def test_bottom_tested_nested_loops_with_threaded_jumps():
    # The compiler's loop shape: JMP to the test at the bottom, JT back to the body,
    # whose first instruction is itself a JMP (inner loop).  total = 4 * 3.
    code = [("ICONST", 0), ("STORE", 0), ("ICONST", 0), ("STORE", 1), ("ICONST", 0), ("STORE", 2),
            ("JMP", "oc"),
            "ob:", ("JMP", "ic"),
            "ib:", ("LOAD", 2), ("ICONST", 1), ("IADD",), ("STORE", 2),
            ("LOAD", 0), ("ICONST", 1), ("IADD",), ("STORE", 0),
            "ic:", ("LOAD", 0), ("ICONST", 3), ("ILT",), ("JT", "ib"),
            ("ICONST", 0), ("STORE", 0), ("LOAD", 1), ("ICONST", 1), ("IADD",), ("STORE", 1),
            "oc:", ("LOAD", 1), ("ICONST", 4), ("ILT",), ("JT", "ob"),
            ("LOAD", 2), ("RETV",)]
    assert eval_code(code, locals_=["I", "I", "I"]) == 12


def test_compound_field_update_with_dup():
    # self.pos += 1 as the compiler emits it: LOAD; DUP; GETFIELD; ICONST; IADD; PUTFIELD
    from asm import ModBuilder
    b = ModBuilder("t")
    b.cls("P", fields=[("pos", "I")])
    b.method("P", "init", [], "V", [], [("RET",)], init=True)
    b.func("f", [], "I", ["Lt.P;", "I"], [
        ("NEW", "P"), ("DUP",), ("CALLSPECIAL", ("P", "init", "()V")), ("STORE", 0), ("JMP", "c"),
        "b:", ("LOAD", 0), ("DUP",), ("GETFIELD", ("P", "pos", "I")), ("ICONST", 1), ("IADD",),
        ("PUTFIELD", ("P", "pos", "I")),
        "c:", ("LOAD", 0), ("GETFIELD", ("P", "pos", "I")), ("ICONST", 5), ("ILT",), ("JT", "b"),
        ("LOAD", 0), ("GETFIELD", ("P", "pos", "I")), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    import io
    from asm import make_lang
    from hllvm import VM
    vm = VM(stdout=io.StringIO(), jit="off")       # hotness: the interpreter's count
    vm.load([make_lang(), b.build()])
    assert vm.call("t", "f") == 5
    assert vm.hotness("t", "f") == 1 + 5      # one call, five back-edges
