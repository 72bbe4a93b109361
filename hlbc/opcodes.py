"""The HL instruction set: every instruction defined once, in one table.

This module owns the list of instructions — name, opcode byte, operands,
exact stack effect, what may happen when it runs (allocate, throw, call),
how its types follow from its operand, and one-line meaning — and the map
from operand kind to constant-pool kind.  The encoder and decoder
(`hlbc.code`), the disassembler, the assemblers, the verifier, the
interpreter's lowering and the JIT all derive what they need from `TABLE`;
nothing else may list instructions or special-case one where the table can
answer.  It does not own what an instruction *does* at run time (that is
`hllvm`'s) nor how source maps to instructions (that is `compiler`'s).

Stack effects (`pops`, `pushes`; the leftmost letter is deepest) name one
stack value per letter, so the counts are exact:

    I int   F float   Z bool   S string   A any array   R any reference
    O any class instance   X any value
    V one value whose type the instruction's `types` rule gives (below)
    a b   a stack shuffle: any values, named so that `pushes` says where
          each goes (DUP "a"→"aa", DUP2 "ab"→"abab", SWAP "ab"→"ba")
    *     the values a call's signature gives: its parameters (popped,
          after the receiver `O` of a method call) or its result (pushed;
          nothing for a void callee).  Only calls have a `*`; every other
          instruction's counts are the lengths of its strings
          (`stack_effect` gives both).

`types` names the rule that types the `V`s and `*`s (or checks the operand
against the function), from `TYPE_RULES`: "local", "global", "return",
"signature", "field", "class", "type", "element", "array", "cast",
"capture", "fntype"; "" for an instruction whose letters say everything.

`fx` is what may happen when the instruction runs, as letters:

    A may_allocate   it allocates on the heap (so the collector may run)
    T may_throw      it may throw an HL error (a call: whatever the callee
                     throws; an allocation: OutOfMemoryError)
    C may_call       it calls HL code or a native (the collector may run,
                     and the frame is suspended there)
    -                none of these

Instructions flagged A or C are the safepoints: where the collector may
find the frame stopped (the verifier records stack maps there).

Operands are encoded little-endian right after the opcode byte:

    local   u16  index of a local slot
    u8      u8   small immediate
    target  u32  absolute byte offset of an instruction in the same function
    int float string type class field method func global native
            u32  index into the module's constant pool; the entry must be of
                 that kind (`POOL_KIND`)
"""

from __future__ import annotations

from . import model as M
from .record import Record, set_field

OPERAND_SIZE = {
    "local": 2, "u8": 1, "target": 4,
    "int": 4, "float": 4, "string": 4, "type": 4, "class": 4, "field": 4,
    "method": 4, "func": 4, "global": 4, "native": 4,
}

# Operand kind → the constant-pool kind its index must name (the other
# operand kinds, local, u8 and target, are not pool references).
POOL_KIND = {
    "int": M.K_INT, "float": M.K_FLOAT, "string": M.K_STRING, "type": M.K_TYPE,
    "class": M.K_CLASS, "field": M.K_FIELD, "method": M.K_METHOD, "func": M.K_FUNC,
    "global": M.K_GLOBAL, "native": M.K_NATIVE,
}

# The rules that type an instruction's `V` and `*` values from its operand.
TYPE_RULES = {
    "local": "the local's declared type",
    "global": "the global's declared type",
    "return": "the function's return type (RET: the function returns void)",
    "signature": "the callee's signature: its parameters popped, its result pushed unless void",
    "field": "the field's class (the object) and declared type (the value)",
    "class": "the class the operand names (NEW: an instance whose init has not run)",
    "type": "an array of the pool type",
    "element": "the element type of the array operand",
    "array": "the array operand's own type",
    "cast": "the pool type itself (the value as that type; an int, float or bool comes out of its box)",
    "capture": "the function's first u8 parameters popped; the function type of the rest pushed",
    "fntype": "the pool function type: the function value and its parameters popped, its result pushed",
}

STACK_LETTERS = "IFZSAROXV"      # one typed value each
SHUFFLE_LETTERS = "ab"           # one value each, moved as is
VARIADIC = "*"                   # a call's parameters or result
FX_LETTERS = {"A": "may_allocate", "T": "may_throw", "C": "may_call"}


class InstrDef(Record):
    __slots__ = ("name", "code", "operands", "pops", "pushes", "doc", "flow", "types", "may_allocate",
                 "may_throw", "may_call")

    def __init__(self, name: str, code: int, operands: tuple[str, ...],
                 pops: str,             # values popped, leftmost = deepest (letters above)
                 pushes: str,           # values pushed
                 doc: str,
                 flow: str = "next",    # next | jump | branch | return | throw | call
                 types: str = "",       # the TYPE_RULES entry typing V and *, or ""
                 may_allocate: bool = False, may_throw: bool = False, may_call: bool = False) -> None:
        set_field(self, "name", name)
        set_field(self, "code", code)
        set_field(self, "operands", operands)
        set_field(self, "pops", pops)
        set_field(self, "pushes", pushes)
        set_field(self, "doc", doc)
        set_field(self, "flow", flow)
        set_field(self, "types", types)
        set_field(self, "may_allocate", may_allocate)
        set_field(self, "may_throw", may_throw)
        set_field(self, "may_call", may_call)

    @property
    def size(self) -> int:
        return 1 + sum(OPERAND_SIZE[k] for k in self.operands)

    @property
    def variadic(self) -> bool:
        """Whether its counts come from a call's signature."""
        return VARIADIC in self.pops or VARIADIC in self.pushes

    @property
    def shuffle(self) -> tuple[int, ...] | None:
        """For DUP, DUP2, SWAP: which popped value each pushed one is
        (indices into `pops`, deepest first); None for the rest."""
        if not self.pushes or any(c not in SHUFFLE_LETTERS for c in self.pushes):
            return None
        return tuple(self.pops.index(c) for c in self.pushes)

    @property
    def safepoint(self) -> bool:
        """The collector may run here (it allocates or calls)."""
        return self.may_allocate or self.may_call

    @property
    def fx(self) -> str:
        return "".join(k for k, f in FX_LETTERS.items() if getattr(self, f)) or "-"


def stack_effect(d: InstrDef, signature: str | None = None, captures: int | None = None) -> tuple[int, int]:
    """Exact (values popped, values pushed) of `d`; a call (`d.variadic`)
    needs the callee's `signature`, e.g. "(IS)V" (CALLFN: its function
    type, which is a signature); CLOSURE needs its u8 operand, `captures`."""
    if not d.variadic:
        return len(d.pops), len(d.pushes)
    if d.types == "capture":
        if captures is None:
            raise ValueError(f"{d.name}: the stack effect depends on the number of captured values")
        return len(d.pops) - 1 + captures, len(d.pushes)
    if signature is None:
        raise ValueError(f"{d.name}: the stack effect depends on the callee's signature")
    params, ret = M.parse_signature(signature)
    npops = len(d.pops) - 1 + len(params) if VARIADIC in d.pops else len(d.pops)
    npushes = (len(d.pushes) - 1 + (ret != "V")) if VARIADIC in d.pushes else len(d.pushes)
    return npops, npushes


# (name, operands, pops, pushes, flow, fx, types, meaning).  Opcode bytes are
# assigned in table order, so append new instructions at the end of their
# group only when the format version changes.
_SPEC: list[tuple[str, tuple[str, ...], str, str, str, str, str, str]] = [
    # --- constants -------------------------------------------------------
    ("NOP",         (),          "",    "",     "next",   "-",   "",          "… → … (nothing)"),
    ("ICONST",      ("int",),    "",    "I",    "next",   "-",   "",          "… → …, k:int  (pool int)"),
    ("FCONST",      ("float",),  "",    "F",    "next",   "-",   "",          "… → …, k:float  (pool float)"),
    ("SCONST",      ("string",), "",    "S",    "next",   "-",   "",          "… → …, s:string  (pool string, interned at link)"),
    ("BCONST",      ("u8",),     "",    "Z",    "next",   "-",   "",          "… → …, b:bool  (0 false, 1 true)"),
    ("NULL",        (),          "",    "R",    "next",   "-",   "",          "… → …, null"),
    # --- locals and globals ----------------------------------------------
    ("LOAD",        ("local",),  "",    "V",    "next",   "-",   "local",     "… → …, locals[n]  (typed by the local's declared type)"),
    ("STORE",       ("local",),  "V",   "",     "next",   "-",   "local",     "…, v → …  locals[n] := v"),
    ("GGET",        ("global",), "",    "V",    "next",   "-",   "global",    "… → …, g  (module global)"),
    ("GSET",        ("global",), "V",   "",     "next",   "-",   "global",    "…, v → …  g := v"),
    # --- stack -----------------------------------------------------------
    ("POP",         (),          "X",   "",     "next",   "-",   "",          "…, v → …"),
    ("DUP",         (),          "a",   "aa",   "next",   "-",   "",          "…, v → …, v, v"),
    ("DUP2",        (),          "ab",  "abab", "next",   "-",   "",          "…, a, b → …, a, b, a, b"),
    ("SWAP",        (),          "ab",  "ba",   "next",   "-",   "",          "…, a, b → …, b, a"),
    # --- int arithmetic (wraps modulo 2^64) --------------------------------
    ("IADD",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a+b (wraps)"),
    ("ISUB",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a-b (wraps)"),
    ("IMUL",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a*b (wraps)"),
    ("IDIV",        (),          "II",  "I",    "next",   "T",   "",          "…, a:int, b:int → …, a/b truncated (ArithmeticError if b=0; MIN/-1=MIN)"),
    ("IREM",        (),          "II",  "I",    "next",   "T",   "",          "…, a:int, b:int → …, a%b, sign of a (ArithmeticError if b=0)"),
    ("INEG",        (),          "I",   "I",    "next",   "-",   "",          "…, a:int → …, -a (wraps)"),
    ("IAND",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a&b"),
    ("IOR",         (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a|b"),
    ("IXOR",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a^b"),
    ("ISHL",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a<<(b&63) (wraps)"),
    ("ISHR",        (),          "II",  "I",    "next",   "-",   "",          "…, a:int, b:int → …, a>>(b&63) arithmetic"),
    ("INOT",        (),          "I",   "I",    "next",   "-",   "",          "…, a:int → …, ~a"),
    # --- float arithmetic (IEEE 754 binary64) ------------------------------
    ("FADD",        (),          "FF",  "F",    "next",   "-",   "",          "…, a:float, b:float → …, a+b"),
    ("FSUB",        (),          "FF",  "F",    "next",   "-",   "",          "…, a:float, b:float → …, a-b"),
    ("FMUL",        (),          "FF",  "F",    "next",   "-",   "",          "…, a:float, b:float → …, a*b"),
    ("FDIV",        (),          "FF",  "F",    "next",   "-",   "",          "…, a:float, b:float → …, a/b (±inf or nan on zero)"),
    ("FREM",        (),          "FF",  "F",    "next",   "-",   "",          "…, a:float, b:float → …, fmod(a, b)"),
    ("FNEG",        (),          "F",   "F",    "next",   "-",   "",          "…, a:float → …, -a"),
    # --- comparisons -------------------------------------------------------
    ("IEQ",         (),          "II",  "Z",    "next",   "-",   "",          "…, a:int, b:int → …, a==b"),
    ("INE",         (),          "II",  "Z",    "next",   "-",   "",          "…, a:int, b:int → …, a!=b"),
    ("ILT",         (),          "II",  "Z",    "next",   "-",   "",          "…, a:int, b:int → …, a<b"),
    ("ILE",         (),          "II",  "Z",    "next",   "-",   "",          "…, a:int, b:int → …, a<=b"),
    ("IGT",         (),          "II",  "Z",    "next",   "-",   "",          "…, a:int, b:int → …, a>b"),
    ("IGE",         (),          "II",  "Z",    "next",   "-",   "",          "…, a:int, b:int → …, a>=b"),
    ("FEQ",         (),          "FF",  "Z",    "next",   "-",   "",          "…, a:float, b:float → …, a==b (false on nan)"),
    ("FNE",         (),          "FF",  "Z",    "next",   "-",   "",          "…, a:float, b:float → …, a!=b (true on nan)"),
    ("FLT",         (),          "FF",  "Z",    "next",   "-",   "",          "…, a:float, b:float → …, a<b"),
    ("FLE",         (),          "FF",  "Z",    "next",   "-",   "",          "…, a:float, b:float → …, a<=b"),
    ("FGT",         (),          "FF",  "Z",    "next",   "-",   "",          "…, a:float, b:float → …, a>b"),
    ("FGE",         (),          "FF",  "Z",    "next",   "-",   "",          "…, a:float, b:float → …, a>=b"),
    ("ZEQ",         (),          "ZZ",  "Z",    "next",   "-",   "",          "…, a:bool, b:bool → …, a==b"),
    ("ZNE",         (),          "ZZ",  "Z",    "next",   "-",   "",          "…, a:bool, b:bool → …, a!=b"),
    ("SEQ",         (),          "SS",  "Z",    "next",   "-",   "",          "…, a:string, b:string → …, same content (null only equals null)"),
    ("SNE",         (),          "SS",  "Z",    "next",   "-",   "",          "…, a:string, b:string → …, not SEQ"),
    ("SLT",         (),          "SS",  "Z",    "next",   "T",   "",          "…, a:string, b:string → …, a<b by code point (NullError on null)"),
    ("SLE",         (),          "SS",  "Z",    "next",   "T",   "",          "…, a:string, b:string → …, a<=b by code point"),
    ("SGT",         (),          "SS",  "Z",    "next",   "T",   "",          "…, a:string, b:string → …, a>b by code point"),
    ("SGE",         (),          "SS",  "Z",    "next",   "T",   "",          "…, a:string, b:string → …, a>=b by code point"),
    ("REQ",         (),          "RR",  "Z",    "next",   "-",   "",          "…, a:ref, b:ref → …, a and b are the same object (or both null)"),
    ("RNE",         (),          "RR",  "Z",    "next",   "-",   "",          "…, a:ref, b:ref → …, not REQ"),
    ("NOT",         (),          "Z",   "Z",    "next",   "-",   "",          "…, a:bool → …, !a"),
    # --- conversions -------------------------------------------------------
    ("I2F",         (),          "I",   "F",    "next",   "-",   "",          "…, a:int → …, nearest float"),
    ("F2I",         (),          "F",   "I",    "next",   "-",   "",          "…, a:float → …, truncated toward zero, nan→0, saturating"),
    # --- control -----------------------------------------------------------
    ("JMP",         ("target",), "",    "",     "jump",   "-",   "",          "… → …  goto target"),
    ("JT",          ("target",), "Z",   "",     "branch", "-",   "",          "…, c:bool → …  goto target if c"),
    ("JF",          ("target",), "Z",   "",     "branch", "-",   "",          "…, c:bool → …  goto target if !c"),
    ("RET",         (),          "",    "",     "return", "-",   "return",    "… → (caller)  return from a void function"),
    ("RETV",        (),          "V",   "",     "return", "-",   "return",    "…, v → (caller), v  return v (typed by the function's return type)"),
    ("THROW",       (),          "O",   "",     "throw",  "T",   "",          "…, e:Error → unwind to the innermost matching handler"),
    # --- calls -------------------------------------------------------------
    ("CALL",        ("func",),   "*",   "*",    "call",   "CT",  "signature", "…, args → …, result  call a module function"),
    ("CALLNATIVE",  ("native",), "*",   "*",    "call",   "CT",  "signature", "…, args → …, result  call a VM-provided native by name"),
    ("CALLVIRT",    ("method",), "O*",  "*",    "call",   "CT",  "signature", "…, obj, args → …, result  virtual call through obj's vtable (NullError on null)"),
    ("CALLSPECIAL", ("method",), "O*",  "*",    "call",   "CT",  "signature", "…, obj, args → …, result  non-virtual call of exactly that class's method (super calls, init)"),
    # --- objects -----------------------------------------------------------
    ("NEW",         ("class",),  "",    "V",    "next",   "AT",  "class",     "… → …, obj  allocate an instance with zeroed fields (no init runs)"),
    ("GETFIELD",    ("field",),  "O",   "V",    "next",   "T",   "field",     "…, obj → …, obj.f  (NullError on null)"),
    ("PUTFIELD",    ("field",),  "OV",  "",     "next",   "T",   "field",     "…, obj, v → …  obj.f := v  (NullError on null)"),
    ("INSTANCEOF",  ("class",),  "R",   "Z",    "next",   "-",   "class",     "…, r → …, r is non-null and its class is C or a subclass (C an interface: implements it)"),
    ("CHECKCAST",   ("class",),  "R",   "V",    "next",   "T",   "class",     "…, r → …, r typed as C  (CastError unless null or instance; C may be an interface)"),
    ("TOSTR_OBJ",   (),          "R",   "S",    "call",   "CAT", "",          "…, r → …, s  \"null\"; an object: r.to_string() if its class has one (called as HL), else \"<Class>\"; a string: itself; a box: its value as str(); a function value: \"<fn>\"; an array: \"<array>\" (the compiler formats arrays itself)"),
    # --- arrays ------------------------------------------------------------
    ("NEWARRAY",    ("type",),   "I",   "V",    "next",   "AT",  "type",      "…, n:int → …, new T[n] of zero values (T = the pool type; ValueError if n<0)"),
    ("ALEN",        (),          "A",   "I",    "next",   "T",   "",          "…, a → …, a.length  (NullError on null)"),
    ("IALOAD",      (),          "AI",  "I",    "next",   "T",   "",          "…, a:int[], i → …, a[i]  (NullError, IndexError)"),
    ("FALOAD",      (),          "AI",  "F",    "next",   "T",   "",          "…, a:float[], i → …, a[i]"),
    ("ZALOAD",      (),          "AI",  "Z",    "next",   "T",   "",          "…, a:bool[], i → …, a[i]"),
    ("RALOAD",      (),          "AI",  "V",    "next",   "T",   "element",   "…, a:T[] (T a reference type), i → …, a[i]"),
    ("IASTORE",     (),          "AII", "",     "next",   "T",   "",          "…, a:int[], i, v → …  a[i] := v"),
    ("FASTORE",     (),          "AIF", "",     "next",   "T",   "",          "…, a:float[], i, v → …  a[i] := v"),
    ("ZASTORE",     (),          "AIZ", "",     "next",   "T",   "",          "…, a:bool[], i, v → …  a[i] := v"),
    ("RASTORE",     (),          "AIV", "",     "next",   "T",   "element",   "…, a:T[], i, v:T → …  a[i] := v"),
    ("ACOPY",       (),          "A",   "V",    "next",   "AT",  "array",     "…, a:T[] → …, shallow copy of a (NullError on null)"),
    # --- strings -----------------------------------------------------------
    ("SLEN",        (),          "S",   "I",    "next",   "T",   "",          "…, s → …, number of code points (NullError on null)"),
    ("SINDEX",      (),          "SI",  "S",    "next",   "AT",  "",          "…, s, i → …, one-character string at code point i (IndexError)"),
    ("CONCAT",      (),          "SS",  "S",    "next",   "AT",  "",          "…, a, b → …, a+b  (null operands read as \"null\")"),
    ("ITOS",        (),          "I",   "S",    "next",   "AT",  "",          "…, a:int → …, decimal text"),
    ("FTOS",        (),          "F",   "S",    "next",   "AT",  "",          "…, a:float → …, text as Python's repr(float)"),
    ("ZTOS",        (),          "Z",   "S",    "next",   "AT",  "",          "…, a:bool → …, \"true\" or \"false\""),
    ("STOS",        (),          "S",   "S",    "next",   "AT",  "",          "…, s → …, s, or \"null\" for null"),
    # --- Part B: erased generics (docs/bytecode.md "Erased values") ---------
    ("BOXI",        (),          "I",   "R",    "next",   "AT",  "",          "…, a:int → …, r  a new int box (R: the erasure of a type parameter)"),
    ("BOXF",        (),          "F",   "R",    "next",   "AT",  "",          "…, a:float → …, r  a new float box"),
    ("BOXZ",        (),          "Z",   "R",    "next",   "AT",  "",          "…, a:bool → …, r  a new bool box"),
    ("CAST",        ("type",),   "R",   "V",    "next",   "T",   "cast",      "…, r → …, r as T for any type T: I/F/Z unbox (NullError on null, CastError on another kind); references: CastError unless null or of type T"),
    ("ISA",         ("type",),   "R",   "Z",    "next",   "-",   "cast",      "…, r → …, r is non-null and of type T (I/F/Z: a box of that kind)"),
    ("XALOAD",      (),          "AI",  "V",    "next",   "AT",  "element",   "…, a, i → …, a[i] of an array of any kind (int/float/bool elements boxed)  (NullError, IndexError)"),
    ("XASTORE",     (),          "AIV", "",     "next",   "T",   "element",   "…, a, i, v → …  a[i] := v for an array of any kind (boxes unboxed; CastError unless v fits a's element type)"),
    ("VEQ",         (),          "RR",  "Z",    "next",   "-",   "",          "…, a, b → …, value equality: same object, or boxes of one kind with == values, or strings of equal content"),
    ("VHASH",       (),          "R",   "I",    "next",   "-",   "",          "…, r → …, hash: of the value for boxes and strings, identity for others, 0 for null (docs/bytecode.md)"),
    # --- Part B: interfaces -------------------------------------------------
    ("CALLIFACE",   ("method",), "O*",  "*",    "call",   "CT",  "signature", "…, obj, args → …, result  interface call: the method the receiver's class maps the interface method to (NullError on null)"),
    # --- Part B: function values ----------------------------------------------
    ("CLOSURE",     ("func", "u8"), "*", "V",   "next",   "AT",  "capture",   "…, c1..ck → …, f  a function value of func with its first k parameters bound to c1..ck"),
    ("CALLFN",      ("type",),   "V*",  "*",    "call",   "CT",  "fntype",    "…, f, args → …, result  call the function value f of the pool function type (NullError on null)"),
]


def _check(name, operands, pops, pushes, flow, fx, types) -> None:
    """Each row states every fact in the notation above (a malformed row
    fails at import, not in some user of the table)."""
    for kind in operands:
        if kind not in OPERAND_SIZE:
            raise ValueError(f"{name}: unknown operand kind {kind!r}")
    for c in pops + pushes:
        if c not in STACK_LETTERS + SHUFFLE_LETTERS + VARIADIC:
            raise ValueError(f"{name}: unknown stack letter {c!r}")
    if any(c in SHUFFLE_LETTERS for c in pushes) and not set(pushes) <= set(pops) <= set(SHUFFLE_LETTERS):
        raise ValueError(f"{name}: a shuffle pushes only values it pops")
    if ("V" in pops + pushes or VARIADIC in pops + pushes) and not types:
        raise ValueError(f"{name}: V or * without a types rule")
    if types and types not in TYPE_RULES:
        raise ValueError(f"{name}: unknown types rule {types!r}")
    if VARIADIC in pops + pushes and types not in ("signature", "fntype", "capture"):
        raise ValueError(f"{name}: only a call's or a closure's effect depends on a signature")
    if fx != "-" and (not fx or any(c not in FX_LETTERS for c in fx)):
        raise ValueError(f"{name}: fx {fx!r} is not '-' or letters of {''.join(FX_LETTERS)}")
    if ("C" in fx) != (flow == "call"):
        raise ValueError(f"{name}: may_call and flow 'call' go together")
    if ("A" in fx or "C" in fx) and "T" not in fx:
        raise ValueError(f"{name}: what allocates or calls may throw")


def _build() -> tuple[list[InstrDef], dict[str, InstrDef]]:
    table: list[InstrDef] = []
    for code, (name, operands, pops, pushes, flow, fx, types, doc) in enumerate(_SPEC):
        _check(name, operands, pops, pushes, flow, fx, types)
        table.append(InstrDef(name, code, operands, pops, pushes, doc, flow, types,
                              may_allocate="A" in fx, may_throw="T" in fx, may_call="C" in fx))
    return table, {d.name: d for d in table}


TABLE, BY_NAME = _build()
BY_CODE: dict[int, InstrDef] = {d.code: d for d in TABLE}



def __getattr__(name: str):
    """`Op`: the opcode numbers as an IntEnum, derived from TABLE when first
    asked for (building it costs a millisecond the VM's start-up need not pay)."""
    if name == "Op":
        import enum
        global Op
        Op = enum.IntEnum("Op", {d.name: d.code for d in TABLE})
        Op.__doc__ = "Opcode numbers, derived from TABLE."
        return Op
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
