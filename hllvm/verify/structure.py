"""Structural checks of one function's code, before any typing.

`shape(mdesc, fd)` decodes the code and checks, for every instruction
(reachable or not): the operand of each pool reference is an index in the
constant pool of the kind the instruction table names (`POOL_KIND`); each
local operand is below the function's local count; each branch target is
the start of an instruction.  Each exception handler covers `[start, end)` with
`start < end <= len(code)`, both on instruction boundaries, and its handler
begins on an instruction; its class (if any) is a class constant; all the
ranges together cover at most 32 (instruction, handler) pairs per
instruction (plus 4096): hlbc/limits.py, `handler_cover_limit`.

It returns a `Shape`: the instructions and, by instruction index, the
control-flow facts the data-flow pass walks with (flow kind, branch target
index, the handlers covering it, whether it begins a block).  It raises
`BadAt` (the problem and its pc); it does not look at types.
"""

from __future__ import annotations

import struct

from hlbc import model as M
from hlbc.limits import MAX_COVER_PER_INSTRUCTION, handler_cover_limit
from hlbc.opcodes import OPERAND_SIZE, POOL_KIND, TABLE

from .errors import Bad, Unresolved

# Flow kinds, by the table's `flow` column.
NEXT, JUMP, BRANCH, END = 0, 1, 2, 3
_FLOW = {"next": NEXT, "call": NEXT, "jump": JUMP, "branch": BRANCH, "return": END, "throw": END}
_FLOW_OF = {d.code: _FLOW[d.flow] for d in TABLE}


class BadAt(Exception):
    """A structural problem (`error`, a Bad or Unresolved) at a known pc."""

    def __init__(self, error: Bad, pc: int | None):
        super().__init__(error.detail)
        self.error = error
        self.pc = pc


# By opcode byte: (InstrDef, size, struct unpacking the operands or None).
_FMT = {1: "B", 2: "H", 4: "I"}
_DECODE: list = [None] * 256
for _d in TABLE:
    _DECODE[_d.code] = (_d, _d.size,
                        struct.Struct("<" + "".join(_FMT[OPERAND_SIZE[k]] for k in _d.operands)).unpack_from
                        if _d.operands else None)


def decode(code: bytes) -> tuple[list[int], list, list[tuple]]:
    """(pcs, InstrDefs, operand tuples), by instruction index; Unresolved for
    an unknown opcode or a truncated instruction (the reader's own checks,
    repeated for descriptors built by hand).  A faster twin of
    hlbc.code.decode: it runs on every load."""
    pcs, defs, args = [], [], []
    n = len(code)
    pc = 0
    table = _DECODE
    while pc < n:
        e = table[code[pc]]
        if e is None:
            raise BadAt(Unresolved(f"unknown opcode 0x{code[pc]:02x} at pc {pc}"), pc)
        d, size, unpack = e
        if pc + size > n:
            raise BadAt(Unresolved(f"truncated {d.name} at pc {pc}"), pc)
        pcs.append(pc)
        defs.append(d)
        args.append(unpack(code, pc + 1) if unpack is not None else ())
        pc += size
    return pcs, defs, args


class Shape:
    __slots__ = ("pcs", "defs", "args", "index", "flow", "target", "cover", "leader", "handlers",
                 "ncode")

    def __init__(self, pcs, defs, args, index, flow, target, cover, leader, handlers, ncode):
        self.pcs = pcs              # pc of each instruction, by index
        self.defs = defs            # its InstrDef
        self.args = args            # its operands
        self.index = index          # pc → instruction index
        self.flow = flow            # flow kind by index
        self.target = target        # branch target index by index, or -1
        self.cover = cover          # tuple of handler numbers covering each instruction
        self.leader = leader        # bytearray: 1 where a block begins (jump target, handler)
        self.handlers = handlers    # (start, end, handler index, class const or NO_INDEX)
        self.ncode = ncode


def shape(mdesc: M.ModuleDesc, fd: M.FunctionDesc) -> Shape:
    code = fd.code
    pcs, defs, argv = decode(code)
    if not pcs:
        raise BadAt(Bad("function has no code"), None)
    consts = mdesc.consts
    nconst = len(consts)
    nlocals = len(fd.locals)
    n = len(pcs)
    index = {pc: k for k, pc in enumerate(pcs)}
    flow = [_FLOW_OF[d.code] for d in defs]
    target = [-1] * n
    leader = bytearray(n)
    leader[0] = 1
    for k in range(n):
        d = defs[k]
        if not d.operands:
            continue
        pc = pcs[k]
        for kind, a in zip(d.operands, argv[k]):
            if kind == "local":
                if a >= nlocals:
                    raise BadAt(Bad(f"{d.name}: local {a} out of range ({nlocals} locals)"), pc)
            elif kind == "target":
                t = index.get(a)
                if t is None:
                    raise BadAt(Bad(f"{d.name} target {a} is not an instruction start"), pc)
                target[k] = t
                leader[t] = 1
            elif kind in POOL_KIND:
                want = POOL_KIND[kind]
                if a >= nconst:
                    raise BadAt(Unresolved(f"{d.name}: constant {a} out of range ({nconst} constants)"),
                                pc)
                if consts[a].kind != want:
                    raise BadAt(Unresolved(f"{d.name}: constant {a} is a {M.KIND_NAMES.get(consts[a].kind)}, "
                                           f"expected a {M.KIND_NAMES[want]}"), pc)
    handlers = []
    cover = [()] * n
    ncode = len(code)
    covered = 0
    cover_limit = handler_cover_limit(n)
    for hn, h in enumerate(fd.handlers):
        where = f"handler {hn} [{h.start}, {h.end}) -> {h.handler}"
        if h.start not in index:
            raise BadAt(Bad(f"{where}: start {h.start} is not an instruction start"), None)
        if h.end != ncode and h.end not in index:
            raise BadAt(Bad(f"{where}: end {h.end} is not an instruction boundary"), None)
        if not h.start < h.end:
            raise BadAt(Bad(f"{where}: empty range"), None)
        hk = index.get(h.handler)
        if hk is None:
            raise BadAt(Bad(f"{where}: handler {h.handler} is not an instruction start"), None)
        if h.klass != M.NO_INDEX and (h.klass >= nconst or consts[h.klass].kind != M.K_CLASS):
            raise BadAt(Unresolved(f"{where}: constant {h.klass} is not a class"), None)
        leader[hk] = 1
        handlers.append((h.start, h.end, hk, h.klass))
        stop = index[h.end] if h.end != ncode else n
        covered += stop - index[h.start]
        if covered > cover_limit:
            raise BadAt(Bad(f"exception handlers cover too much code (more than "
                            f"{MAX_COVER_PER_INSTRUCTION} handlers per instruction on average)"), None)
        for k in range(index[h.start], stop):
            cover[k] = cover[k] + (hn,)
    return Shape(pcs, defs, argv, index, flow, target, cover, leader, handlers, ncode)


__all__ = ["shape", "Shape", "BadAt", "NEXT", "JUMP", "BRANCH", "END"]
