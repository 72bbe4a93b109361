"""The bytecode format: table integrity, writer/reader round trip, and the
reader's answer to hostile bytes (a module or a LoadError, nothing else)."""

from __future__ import annotations

import random

import pytest

from hlbc import LoadError, read_module, write_module
from hlbc import model as M
from hlbc.code import decode, encode
from hlbc.docgen import DOC, updated
from hlbc.opcodes import BY_CODE, OPERAND_SIZE, TABLE


def sample_module() -> M.ModuleDesc:
    consts = (
        M.Const(M.K_INT, -(1 << 63)), M.Const(M.K_FLOAT, 0.1), M.Const(M.K_STRING, "héllo \U0001F600"),
        M.Const(M.K_CLASS, ("main", "P")), M.Const(M.K_FIELD, (3, "x", "F")),
        M.Const(M.K_METHOD, (3, "norm", "()F")), M.Const(M.K_FUNC, ("main", "f", "(I)I")),
        M.Const(M.K_GLOBAL, ("main", "g", "I")), M.Const(M.K_NATIVE, ("lang.println", "(S)V")),
        M.Const(M.K_TYPE, "[[Lmain.P;"),
    )
    code = encode([("LOAD", 0), ("ICONST", 0), ("IADD",), ("RETV",)])
    f = M.FunctionDesc("f", 0, M.NO_INDEX, ("I",), "I", ("I",), 2, code,
                       (M.Handler(0, 5, 5, 3),), (M.LineEntry(0, 3, 5),))
    norm = M.FunctionDesc("norm", M.F_METHOD, 0, (), "F", ("Lmain.P;",), 1,
                          encode([("LOAD", 0), ("GETFIELD", 4), ("RETV",)]))
    init = M.FunctionDesc("init", M.F_METHOD | M.F_INIT, 0, (), "V", ("Lmain.P;",), 0, encode([("RET",)]))
    cls = M.ClassDesc("P", M.NO_INDEX, (M.FieldDesc("x", "F"),), (("norm", 1),), (M.VSlot("norm", 3),), 2)
    return M.ModuleDesc("main", "main.hl", ("lang",), consts, (M.GlobalDesc("g", "I", M.G_CONST),),
                        (cls,), (f, norm, init), M.NO_INDEX, b"\x01" * 32)


def test_table_is_consistent():
    assert len({d.code for d in TABLE}) == len(TABLE)
    assert len({d.name for d in TABLE}) == len(TABLE)
    for d in TABLE:
        assert BY_CODE[d.code] is d
        assert all(k in OPERAND_SIZE for k in d.operands)
        assert set(d.pops + d.pushes) <= set("IFZSAROXVab*"), d.name
        assert d.flow in {"next", "jump", "branch", "return", "throw", "call"}


def test_docs_table_is_current():
    text = DOC.read_text(encoding="utf-8")
    assert updated(text) == text, "run python -m hlbc.docgen"


def test_round_trip_is_identical():
    m = sample_module()
    data = write_module(m)
    back = read_module(data)
    assert back == m
    assert write_module(back) == data


def test_encode_decode_every_instruction():
    for d in TABLE:
        args = tuple(range(1, len(d.operands) + 1))
        (ins,) = decode(encode([(d.name, *args)]))
        assert ins.op is d and ins.args == args


@pytest.mark.parametrize("cut", [0, 3, 11, 20, 57, -5, -1])
def test_truncated_file_is_a_load_error(cut):
    data = write_module(sample_module())
    with pytest.raises(LoadError):
        read_module(data[:cut])


def test_bad_magic_version_and_checksum():
    data = bytearray(write_module(sample_module()))
    with pytest.raises(LoadError, match="magic"):
        read_module(b"XXXX" + bytes(data[4:]))
    with pytest.raises(LoadError, match="version"):
        read_module(bytes(data[:4]) + b"\x09\x00" + bytes(data[6:]))
    data[30] ^= 0xFF
    with pytest.raises(LoadError, match="checksum"):
        read_module(bytes(data))


def _rechecksum(body: bytes) -> bytes:
    import zlib
    return body + zlib.crc32(body).to_bytes(4, "little")


def test_mutations_give_module_or_load_error():
    """Mutated files with a valid checksum exercise every field's check."""
    rng = random.Random(1234)
    body = write_module(sample_module())[:-4]
    outcomes = {"ok": 0, "error": 0}
    for _ in range(3000):
        b = bytearray(body)
        kind = rng.randrange(4)
        pos = rng.randrange(len(b))
        if kind == 0:
            b[pos] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del b[pos:pos + rng.randrange(1, 9)]
        elif kind == 2:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        else:
            b[pos] = rng.randrange(256)
        try:
            read_module(_rechecksum(bytes(b)))
            outcomes["ok"] += 1
        except LoadError as e:
            assert str(e).startswith("LoadError")
            outcomes["error"] += 1
    assert outcomes["error"] > 1000


def test_random_bytes_with_header_are_load_errors():
    rng = random.Random(99)
    for n in range(200):
        junk = b"HLBC\x01\x00\x00\x00" + bytes(rng.randrange(256) for _ in range(n))
        with pytest.raises(LoadError):
            read_module(_rechecksum(junk))
