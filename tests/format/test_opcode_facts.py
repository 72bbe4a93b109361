"""The instruction table carries every fact its users need, filled in for
every instruction: exact stack effect (or the rule that gives it), what may
happen when it runs, and the constant-pool kind of each operand."""

import pytest

from hlbc import model as M
from hlbc.opcodes import (BY_NAME, OPERAND_SIZE, POOL_KIND, TABLE, TYPE_RULES, InstrDef, _check,
                          stack_effect)

# What allocates, by the interpreter's behaviour (written out here so that a
# change in the table is a deliberate one).
ALLOCATES = {"NEW", "NEWARRAY", "ACOPY", "CONCAT", "SINDEX", "ITOS", "FTOS", "ZTOS", "STOS", "TOSTR_OBJ",
             "BOXI", "BOXF", "BOXZ", "XALOAD", "CLOSURE"}
CALLS = {"CALL", "CALLNATIVE", "CALLVIRT", "CALLSPECIAL", "TOSTR_OBJ", "CALLIFACE", "CALLFN"}
NEVER_THROW = {"NOP", "ICONST", "LOAD", "STORE", "DUP", "SWAP", "IADD", "FDIV", "SEQ", "REQ", "I2F", "F2I",
               "JMP", "JT", "RET", "RETV", "INSTANCEOF", "ISA", "VEQ", "VHASH"}


@pytest.mark.parametrize("d", TABLE, ids=lambda d: d.name)
def test_every_instruction_has_its_facts(d: InstrDef):
    assert "?" not in d.pops + d.pushes
    assert d.types == "" or d.types in TYPE_RULES
    assert all(isinstance(f, bool) for f in (d.may_allocate, d.may_throw, d.may_call))
    assert d.fx == "-" or set(d.fx) <= set("ATC")
    if d.variadic:
        assert (d.flow == "call" and d.types in ("signature", "fntype")) or d.types == "capture"
        with pytest.raises(ValueError):
            stack_effect(d)
    else:
        assert stack_effect(d) == (len(d.pops), len(d.pushes))
    assert ("V" in d.pops + d.pushes) <= bool(d.types)
    for k in d.operands:
        assert k in POOL_KIND or k in ("local", "u8", "target")


def test_part_b_effects():
    assert stack_effect(BY_NAME["CALLFN"], "(IS)F") == (3, 1)
    assert stack_effect(BY_NAME["CALLFN"], "()V") == (1, 0)
    assert stack_effect(BY_NAME["CALLIFACE"], "(I)Z") == (2, 1)
    assert stack_effect(BY_NAME["CLOSURE"], captures=0) == (0, 1)
    assert stack_effect(BY_NAME["CLOSURE"], captures=3) == (3, 1)


def test_effects_the_users_used_to_special_case():
    assert stack_effect(BY_NAME["DUP"]) == (1, 2) and BY_NAME["DUP"].shuffle == (0, 0)
    assert stack_effect(BY_NAME["DUP2"]) == (2, 4) and BY_NAME["DUP2"].shuffle == (0, 1, 0, 1)
    assert stack_effect(BY_NAME["SWAP"]) == (2, 2) and BY_NAME["SWAP"].shuffle == (1, 0)
    assert stack_effect(BY_NAME["PUTFIELD"]) == (2, 0) and BY_NAME["PUTFIELD"].types == "field"
    assert stack_effect(BY_NAME["GETFIELD"]) == (1, 1)
    assert stack_effect(BY_NAME["LOAD"]) == (0, 1) and BY_NAME["LOAD"].types == "local"
    assert stack_effect(BY_NAME["RASTORE"]) == (3, 0)
    assert stack_effect(BY_NAME["CALL"], "(IF)I") == (2, 1)
    assert stack_effect(BY_NAME["CALLNATIVE"], "()V") == (0, 0)
    assert stack_effect(BY_NAME["CALLVIRT"], "(S)V") == (2, 0)
    assert stack_effect(BY_NAME["CALLSPECIAL"], "(IZ)S") == (3, 1)
    assert BY_NAME["IADD"].shuffle is None


def test_flags():
    assert {d.name for d in TABLE if d.may_allocate} == ALLOCATES
    assert {d.name for d in TABLE if d.may_call} == CALLS
    assert not {d.name for d in TABLE if d.may_throw} & NEVER_THROW
    for d in TABLE:
        assert d.safepoint == (d.name in ALLOCATES | CALLS)
        if d.may_allocate or d.may_call:
            assert d.may_throw, d.name            # OutOfMemoryError, or the callee's errors


def test_pool_kinds():
    assert set(POOL_KIND) == set(OPERAND_SIZE) - {"local", "u8", "target"}
    assert all(M.KIND_NAMES[k] == name for name, k in POOL_KIND.items())


@pytest.mark.parametrize("row,text", [
    (("X", (), "?", "", "next", "-", ""), "unknown stack letter"),
    (("X", (), "", "V", "next", "-", ""), "V or \\* without a types rule"),
    (("X", (), "a", "ab", "next", "-", ""), "a shuffle pushes only values it pops"),
    (("X", (), "*", "", "next", "-", "local"), "only a call's or a closure's effect"),
    (("X", (), "", "", "next", "", ""), "fx"),
    (("X", (), "", "", "call", "T", ""), "may_call and flow"),
    (("X", (), "", "", "next", "A", ""), "may throw"),
])
def test_a_malformed_row_is_refused(row, text):
    with pytest.raises(ValueError, match=text):
        _check(*row)
