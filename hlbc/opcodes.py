"""The HL instruction set: every instruction defined once, in one table.

This module owns the list of instructions — name, opcode byte, operands, stack
effect and one-line meaning.  The encoder and decoder (`hlbc.code`), the
disassembler, the verifier, the interpreter and the JIT all derive what they
need from `TABLE`; nothing else may list instructions.  It does not own what
an instruction *does* at run time (that is `hllvm`'s) nor how source maps to
instructions (that is `compiler`'s).

Stack effects are written as type signatures over these letters:

    I int   F float   Z bool   S string   A any array   R any reference
    O any class instance   X any value
    ?  the effect depends on the operand (a call's signature, a field's type,
       a local's declared type, ...); the verifier computes it from the
       constant the operand names.

Operands are encoded little-endian right after the opcode byte:

    local   u16  index of a local slot
    u8      u8   small immediate
    target  u32  absolute byte offset of an instruction in the same function
    int float string type class field method func global native
            u32  index into the module's constant pool; the entry must be of
                 that kind
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

OPERAND_SIZE = {
    "local": 2, "u8": 1, "target": 4,
    "int": 4, "float": 4, "string": 4, "type": 4, "class": 4, "field": 4,
    "method": 4, "func": 4, "global": 4, "native": 4,
}


@dataclass(frozen=True)
class InstrDef:
    name: str
    code: int
    operands: tuple[str, ...]
    pops: str          # types popped, leftmost = deepest ("?" = from operand)
    pushes: str        # types pushed
    doc: str
    flow: str = "next"  # next | jump | branch | return | throw | call

    @property
    def size(self) -> int:
        return 1 + sum(OPERAND_SIZE[k] for k in self.operands)


# (name, operands, pops, pushes, flow, meaning).  Opcode bytes are assigned in
# table order, so append new instructions at the end of their group only when
# the format version changes.
_SPEC: list[tuple[str, tuple[str, ...], str, str, str, str]] = [
    # --- constants -------------------------------------------------------
    ("NOP",        (),          "",   "",   "next", "… → … (nothing)"),
    ("ICONST",     ("int",),    "",   "I",  "next", "… → …, k:int  (pool int)"),
    ("FCONST",     ("float",),  "",   "F",  "next", "… → …, k:float  (pool float)"),
    ("SCONST",     ("string",), "",   "S",  "next", "… → …, s:string  (pool string, interned at link)"),
    ("BCONST",     ("u8",),     "",   "Z",  "next", "… → …, b:bool  (0 false, 1 true)"),
    ("NULL",       (),          "",   "R",  "next", "… → …, null"),
    # --- locals and globals ----------------------------------------------
    ("LOAD",       ("local",),  "",   "?",  "next", "… → …, locals[n]  (typed by the local's declared type)"),
    ("STORE",      ("local",),  "?",  "",   "next", "…, v → …  locals[n] := v"),
    ("GGET",       ("global",), "",   "?",  "next", "… → …, g  (module global)"),
    ("GSET",       ("global",), "?",  "",   "next", "…, v → …  g := v"),
    # --- stack -----------------------------------------------------------
    ("POP",        (),          "X",  "",   "next", "…, v → …"),
    ("DUP",        (),          "X",  "?",  "next", "…, v → …, v, v"),
    ("DUP2",       (),          "XX", "?",  "next", "…, a, b → …, a, b, a, b"),
    ("SWAP",       (),          "XX", "?",  "next", "…, a, b → …, b, a"),
    # --- int arithmetic (wraps modulo 2^64) --------------------------------
    ("IADD",       (),          "II", "I",  "next", "…, a:int, b:int → …, a+b (wraps)"),
    ("ISUB",       (),          "II", "I",  "next", "…, a:int, b:int → …, a-b (wraps)"),
    ("IMUL",       (),          "II", "I",  "next", "…, a:int, b:int → …, a*b (wraps)"),
    ("IDIV",       (),          "II", "I",  "next", "…, a:int, b:int → …, a/b truncated (ArithmeticError if b=0; MIN/-1=MIN)"),
    ("IREM",       (),          "II", "I",  "next", "…, a:int, b:int → …, a%b, sign of a (ArithmeticError if b=0)"),
    ("INEG",       (),          "I",  "I",  "next", "…, a:int → …, -a (wraps)"),
    ("IAND",       (),          "II", "I",  "next", "…, a:int, b:int → …, a&b"),
    ("IOR",        (),          "II", "I",  "next", "…, a:int, b:int → …, a|b"),
    ("IXOR",       (),          "II", "I",  "next", "…, a:int, b:int → …, a^b"),
    ("ISHL",       (),          "II", "I",  "next", "…, a:int, b:int → …, a<<(b&63) (wraps)"),
    ("ISHR",       (),          "II", "I",  "next", "…, a:int, b:int → …, a>>(b&63) arithmetic"),
    ("INOT",       (),          "I",  "I",  "next", "…, a:int → …, ~a"),
    # --- float arithmetic (IEEE 754 binary64) ------------------------------
    ("FADD",       (),          "FF", "F",  "next", "…, a:float, b:float → …, a+b"),
    ("FSUB",       (),          "FF", "F",  "next", "…, a:float, b:float → …, a-b"),
    ("FMUL",       (),          "FF", "F",  "next", "…, a:float, b:float → …, a*b"),
    ("FDIV",       (),          "FF", "F",  "next", "…, a:float, b:float → …, a/b (±inf or nan on zero)"),
    ("FREM",       (),          "FF", "F",  "next", "…, a:float, b:float → …, fmod(a, b)"),
    ("FNEG",       (),          "F",  "F",  "next", "…, a:float → …, -a"),
    # --- comparisons -------------------------------------------------------
    ("IEQ",        (),          "II", "Z",  "next", "…, a:int, b:int → …, a==b"),
    ("INE",        (),          "II", "Z",  "next", "…, a:int, b:int → …, a!=b"),
    ("ILT",        (),          "II", "Z",  "next", "…, a:int, b:int → …, a<b"),
    ("ILE",        (),          "II", "Z",  "next", "…, a:int, b:int → …, a<=b"),
    ("IGT",        (),          "II", "Z",  "next", "…, a:int, b:int → …, a>b"),
    ("IGE",        (),          "II", "Z",  "next", "…, a:int, b:int → …, a>=b"),
    ("FEQ",        (),          "FF", "Z",  "next", "…, a:float, b:float → …, a==b (false on nan)"),
    ("FNE",        (),          "FF", "Z",  "next", "…, a:float, b:float → …, a!=b (true on nan)"),
    ("FLT",        (),          "FF", "Z",  "next", "…, a:float, b:float → …, a<b"),
    ("FLE",        (),          "FF", "Z",  "next", "…, a:float, b:float → …, a<=b"),
    ("FGT",        (),          "FF", "Z",  "next", "…, a:float, b:float → …, a>b"),
    ("FGE",        (),          "FF", "Z",  "next", "…, a:float, b:float → …, a>=b"),
    ("ZEQ",        (),          "ZZ", "Z",  "next", "…, a:bool, b:bool → …, a==b"),
    ("ZNE",        (),          "ZZ", "Z",  "next", "…, a:bool, b:bool → …, a!=b"),
    ("SEQ",        (),          "SS", "Z",  "next", "…, a:string, b:string → …, same content (null only equals null)"),
    ("SNE",        (),          "SS", "Z",  "next", "…, a:string, b:string → …, not SEQ"),
    ("SLT",        (),          "SS", "Z",  "next", "…, a:string, b:string → …, a<b by code point (NullError on null)"),
    ("SLE",        (),          "SS", "Z",  "next", "…, a:string, b:string → …, a<=b by code point"),
    ("SGT",        (),          "SS", "Z",  "next", "…, a:string, b:string → …, a>b by code point"),
    ("SGE",        (),          "SS", "Z",  "next", "…, a:string, b:string → …, a>=b by code point"),
    ("REQ",        (),          "RR", "Z",  "next", "…, a:ref, b:ref → …, a and b are the same object (or both null)"),
    ("RNE",        (),          "RR", "Z",  "next", "…, a:ref, b:ref → …, not REQ"),
    ("NOT",        (),          "Z",  "Z",  "next", "…, a:bool → …, !a"),
    # --- conversions -------------------------------------------------------
    ("I2F",        (),          "I",  "F",  "next", "…, a:int → …, nearest float"),
    ("F2I",        (),          "F",  "I",  "next", "…, a:float → …, truncated toward zero, nan→0, saturating"),
    # --- control -----------------------------------------------------------
    ("JMP",        ("target",), "",   "",   "jump", "… → …  goto target"),
    ("JT",         ("target",), "Z",  "",   "branch", "…, c:bool → …  goto target if c"),
    ("JF",         ("target",), "Z",  "",   "branch", "…, c:bool → …  goto target if !c"),
    ("RET",        (),          "",   "",   "return", "… → (caller)  return from a void function"),
    ("RETV",       (),          "?",  "",   "return", "…, v → (caller), v  return v (typed by the function's return type)"),
    ("THROW",      (),          "O",  "",   "throw", "…, e:Error → unwind to the innermost matching handler"),
    # --- calls -------------------------------------------------------------
    ("CALL",       ("func",),   "?",  "?",  "call", "…, args → …, result  call a module function"),
    ("CALLNATIVE", ("native",), "?",  "?",  "call", "…, args → …, result  call a VM-provided native by name"),
    ("CALLVIRT",   ("method",), "?",  "?",  "call", "…, obj, args → …, result  virtual call through obj's vtable (NullError on null)"),
    ("CALLSPECIAL", ("method",), "?", "?",  "call", "…, obj, args → …, result  non-virtual call of exactly that class's method (super calls, init)"),
    # --- objects -----------------------------------------------------------
    ("NEW",        ("class",),  "",   "?",  "next", "… → …, obj  allocate an instance with zeroed fields (no init runs)"),
    ("GETFIELD",   ("field",),  "?",  "?",  "next", "…, obj → …, obj.f  (NullError on null)"),
    ("PUTFIELD",   ("field",),  "?",  "",   "next", "…, obj, v → …  obj.f := v  (NullError on null)"),
    ("INSTANCEOF", ("class",),  "R",  "Z",  "next", "…, r → …, r is non-null and its class is C or a subclass"),
    ("CHECKCAST",  ("class",),  "R",  "?",  "next", "…, r → …, r typed as C  (CastError unless null or instance)"),
    ("TOSTR_OBJ",  (),          "O",  "S",  "call", "…, obj → …, s  \"null\", obj.to_string() if its class has one (called as HL), else \"<Class>\""),
    # --- arrays ------------------------------------------------------------
    ("NEWARRAY",   ("type",),   "I",  "?",  "next", "…, n:int → …, new T[n] of zero values (T = the pool type; ValueError if n<0)"),
    ("ALEN",       (),          "A",  "I",  "next", "…, a → …, a.length  (NullError on null)"),
    ("IALOAD",     (),          "AI", "I",  "next", "…, a:int[], i → …, a[i]  (NullError, IndexError)"),
    ("FALOAD",     (),          "AI", "F",  "next", "…, a:float[], i → …, a[i]"),
    ("ZALOAD",     (),          "AI", "Z",  "next", "…, a:bool[], i → …, a[i]"),
    ("RALOAD",     (),          "AI", "?",  "next", "…, a:T[] (T a reference type), i → …, a[i]"),
    ("IASTORE",    (),          "AII", "",  "next", "…, a:int[], i, v → …  a[i] := v"),
    ("FASTORE",    (),          "AIF", "",  "next", "…, a:float[], i, v → …  a[i] := v"),
    ("ZASTORE",    (),          "AIZ", "",  "next", "…, a:bool[], i, v → …  a[i] := v"),
    ("RASTORE",    (),          "AI?", "",  "next", "…, a:T[], i, v:T → …  a[i] := v"),
    ("ACOPY",      (),          "A",  "?",  "next", "…, a:T[] → …, shallow copy of a (NullError on null)"),
    # --- strings -----------------------------------------------------------
    ("SLEN",       (),          "S",  "I",  "next", "…, s → …, number of code points (NullError on null)"),
    ("SINDEX",     (),          "SI", "S",  "next", "…, s, i → …, one-character string at code point i (IndexError)"),
    ("CONCAT",     (),          "SS", "S",  "next", "…, a, b → …, a+b  (null operands read as \"null\")"),
    ("ITOS",       (),          "I",  "S",  "next", "…, a:int → …, decimal text"),
    ("FTOS",       (),          "F",  "S",  "next", "…, a:float → …, text as Python's repr(float)"),
    ("ZTOS",       (),          "Z",  "S",  "next", "…, a:bool → …, \"true\" or \"false\""),
    ("STOS",       (),          "S",  "S",  "next", "…, s → …, s, or \"null\" for null"),
]


def _build() -> tuple[list[InstrDef], dict[str, InstrDef]]:
    table: list[InstrDef] = []
    for code, (name, operands, pops, pushes, flow, doc) in enumerate(_SPEC):
        for kind in operands:
            if kind not in OPERAND_SIZE:
                raise ValueError(f"{name}: unknown operand kind {kind!r}")
        table.append(InstrDef(name, code, operands, pops, pushes, doc, flow))
    return table, {d.name: d for d in table}


TABLE, BY_NAME = _build()
BY_CODE: dict[int, InstrDef] = {d.code: d for d in TABLE}

Op = enum.IntEnum("Op", {d.name: d.code for d in TABLE})
Op.__doc__ = "Opcode numbers, derived from TABLE."
