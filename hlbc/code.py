"""Encoding and decoding of one function's code bytes, driven by the table.

`encode` turns (name, operands) pairs into bytes; `decode` turns bytes back
into `Instr` records and raises `LoadError` for a truncated instruction or an
unknown opcode.  Neither knows what an instruction means.
"""

from __future__ import annotations

import struct

from .errors import LoadError
from .opcodes import BY_CODE, BY_NAME, OPERAND_SIZE, InstrDef
from .record import Record, set_field

_FMT = {1: "<B", 2: "<H", 4: "<I"}


class Instr(Record):
    __slots__ = ("pc", "op", "args")

    def __init__(self, pc: int,             # byte offset of the opcode
                 op: InstrDef, args: tuple[int, ...]) -> None:
        set_field(self, "pc", pc)
        set_field(self, "op", op)
        set_field(self, "args", args)

    @property
    def next_pc(self) -> int:
        return self.pc + self.op.size


def encode_one(name: str, *args: int) -> bytes:
    d = BY_NAME[name]
    if len(args) != len(d.operands):
        raise ValueError(f"{name} takes {len(d.operands)} operands, got {len(args)}")
    out = bytearray([d.code])
    for kind, a in zip(d.operands, args):
        out += struct.pack(_FMT[OPERAND_SIZE[kind]], a)
    return bytes(out)


def encode(instrs) -> bytes:
    return b"".join(encode_one(name, *args) for name, *args in instrs)


def decode(code: bytes, where: str = "") -> list[Instr]:
    out: list[Instr] = []
    pc = 0
    n = len(code)
    while pc < n:
        d = BY_CODE.get(code[pc])
        if d is None:
            raise LoadError(f"unknown opcode 0x{code[pc]:02x} at pc {pc}", where=where)
        if pc + d.size > n:
            raise LoadError(f"truncated {d.name} at pc {pc}", where=where)
        args = []
        p = pc + 1
        for kind in d.operands:
            size = OPERAND_SIZE[kind]
            args.append(int.from_bytes(code[p:p + size], "little"))
            p += size
        out.append(Instr(pc, d, tuple(args)))
        pc = p
    return out
