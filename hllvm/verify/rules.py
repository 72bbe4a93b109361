"""Per-instruction type signatures, read from the instruction table.

Every instruction's effect on the abstract state is a signature

    (pops, pushes, post, load, store, init)

* `pops`: requirements on the operands, deepest first — table letters or
  concrete types (see types.py);
* `pushes`: the types pushed, in order; an int `k` means "the type of the
  k-th popped operand" (how the table's shuffles, DUP, DUP2 and SWAP, move
  types without any bookkeeping of their own);
* `post`: None, or `post(operand types) → pushes` for the results that
  depend on an operand's type (RALOAD's and XALOAD's element, ACOPY's
  array) and the checks that relate operands (RASTORE's and XASTORE's value
  to the element, INSTANCEOF's class to the operand);
* `load` / `store`: the local read (must be definitely assigned) or written,
  or -1;
* `init`: True for a constructor call (CALLSPECIAL C.init): when its
  receiver is an uninitialised object, every copy of it becomes a C.

One generic engine (flow.py) applies them: pop and check, push, track
locals.  Most signatures come straight from `hlbc.opcodes.TABLE`: its pop
letters are the requirements and its push letters the types (`R` pushed is
`R`, any reference — a box, from BOXI/BOXF/BOXZ — except NULL's, which is
the null type `N`: `PUSH_REFINE`), and a shuffle's letters (`ab` → `ba`)
the positions it moves.  `REFINE` narrows the letters where the table's
meaning column is more precise than its letters (IALOAD needs an `int[]`,
THROW an Error).  An instruction with a `types` rule in the table (its
effect has `V` or `*`) gets a small rule in `RULES`, one per table rule it
names, that builds the signature from the operand: a local's or global's
declared type, a call's signature (a method's, an interface method's, a
function type's), a field's class and type, a class or array type, a cast's
type, a closure's remaining parameters.  ICONST and BCONST also have one: a
check of the operand's value.  A rule sees the function being verified and the module's
constant pool (`Pool`), never the stack.
"""

from __future__ import annotations

from hlbc import model as M
from hlbc.opcodes import TABLE

from .errors import Bad, Unresolved
from .types import PRIMITIVES, innermost, show, uninitialised

LANG_ERROR = "Llang.Error;"
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1


def sig(pops=(), pushes=(), post=None, load=-1, store=-1, init=False) -> tuple:
    return (tuple(pops), tuple(pushes), post, load, store, init)


# --- straight from the table --------------------------------------------------------

_PUSH_LETTER = {"I": "I", "F": "F", "Z": "Z", "S": "S", "R": "R"}
# Where the table's push letters are looser than its meaning column: NULL's
# reference is always null, so it fits every reference type.
PUSH_REFINE = {"NULL": ("N",)}

# Where the table's letters are looser than its meaning column.
REFINE = {
    "IALOAD": ("[I", "I"), "FALOAD": ("[F", "I"), "ZALOAD": ("[Z", "I"),
    "IASTORE": ("[I", "I", "I"), "FASTORE": ("[F", "I", "F"), "ZASTORE": ("[Z", "I", "Z"),
    "THROW": (LANG_ERROR,),
}


def _table_sig(d) -> tuple:
    """The signature of an instruction whose table letters say everything."""
    if d.shuffle is not None:                  # any values, moved by position
        return sig("X" * len(d.pops), d.shuffle)
    pops = REFINE.get(d.name, tuple(d.pops))
    return sig(pops, PUSH_REFINE.get(d.name) or tuple(_PUSH_LETTER[c] for c in d.pushes))


STATIC = {d.name: _table_sig(d) for d in TABLE if not d.types}
_NOTHING = sig()


# --- the constant pool, resolved against the world ------------------------------------

class Pool:
    """One module's constants, resolved on first use (and cached): what a
    class, field, method, function, global, native or type constant names."""

    def __init__(self, world, mdesc: M.ModuleDesc):
        self.world = world
        self.mdesc = mdesc
        self.consts = mdesc.consts
        self.cache: dict[int, object] = {}

    def get(self, idx: int):
        v = self.cache.get(idx)
        if v is None:
            c = self.consts[idx]
            v = self.cache[idx] = _RESOLVE[c.kind](self, c.value)
        return v

    # Each returns what the rules need; Bad when the constant names nothing.
    def _class(self, v):
        return self.world.cls((v[0], v[1]))

    def _field(self, v):
        cidx, name, t = v
        ci = self.world.cls(self.world.class_key(self.mdesc, cidx))
        if ci.is_interface:
            raise Bad(f"field {name} of {ci.qual}: an interface has no fields")
        have = ci.fields.get(name)
        if have is None:
            raise Unresolved(f"class {ci.qual} has no field {name}")
        if have != t:
            raise Unresolved(f"field {ci.qual}.{name} has type {have}, not {t}")
        return (ci, self.world.check_type(t))

    def _method(self, v):
        """(class, name, params, ret, kind): kind is INIT, VIRTUAL (a vtable
        method) or IFACE (a method an interface declares)."""
        cidx, name, s = v
        world = self.world
        ci = world.cls(world.class_key(self.mdesc, cidx))
        params, ret = world.signature(s)
        if ci.is_interface:
            fd = ci.methods.get(name)
            kind = IFACE
        elif name == "init":
            fd = ci.init
            kind = INIT
        else:
            entry = ci.vtable.get(name)
            fd = entry[1] if entry is not None else None
            kind = VIRTUAL
        if fd is None:
            what = "interface" if ci.is_interface else "class"
            raise Unresolved(f"{what} {ci.qual} has no method {name}")
        if fd.signature != s:
            raise Unresolved(f"{ci.qual}.{name} has signature {fd.signature}, not {s}")
        return (ci, name, params, ret, kind)

    def _func(self, v):
        """(params, ret, the FunctionDesc)."""
        mod, name, s = v
        fd = self.world.function(mod, name)
        if fd.signature != s:
            raise Unresolved(f"{mod}.{name} has signature {fd.signature}, not {s}")
        params, ret = self.world.signature(s)
        return (params, ret, fd)

    def _global(self, v):
        mod, name, t = v
        g = self.world.global_(mod, name)
        if g.type != t:
            raise Unresolved(f"global {mod}.{name} has type {g.type}, not {t}")
        self.world.check_type(t)
        return (mod, g)

    def _native(self, v):
        name, s = v
        have = self.world.native(name)
        if have != s:
            raise Unresolved(f"native {name} has signature {have}, not {s}")
        return self.world.signature(s)

    def _type(self, v):
        return self.world.check_type(v)

    def _int(self, v):
        if not isinstance(v, int) or isinstance(v, bool) or not _INT_MIN <= v <= _INT_MAX:
            raise Unresolved(f"int constant {v!r} out of range")
        return v

    def _plain(self, v):
        return True


INIT, VIRTUAL, IFACE = "init", "virtual", "interface"     # what a method constant names

_RESOLVE = {
    M.K_INT: Pool._int, M.K_FLOAT: Pool._plain, M.K_STRING: Pool._plain, M.K_TYPE: Pool._type,
    M.K_CLASS: Pool._class, M.K_FIELD: Pool._field, M.K_METHOD: Pool._method, M.K_FUNC: Pool._func,
    M.K_GLOBAL: Pool._global, M.K_NATIVE: Pool._native,
}


# --- rules for the `?` instructions ------------------------------------------------------
# Each takes (cx, pc, operands) — cx is the function being verified (flow.FunctionCheck:
# .pool, .locals, .ret, .is_modinit, .module) — and returns a signature.

def _load(cx, pc, args):
    n = args[0]
    return sig((), (cx.locals[n],), load=n)


def _store(cx, pc, args):
    n = args[0]
    return sig((cx.locals[n],), (), store=n)


def _gget(cx, pc, args):
    _mod, g = cx.pool.get(args[0])
    return sig((), (g.type,))


def _gset(cx, pc, args):
    mod, g = cx.pool.get(args[0])
    if g.flags & M.G_CONST and not (cx.is_modinit and mod == cx.module):
        raise Bad(f"global {mod}.{g.name} is a let binding: only {mod}'s initialiser may set it")
    return sig((g.type,), ())


def _retv(cx, pc, args):
    if cx.ret == "V":
        raise Bad("RETV in a function that returns void")
    return sig((cx.ret,), ())


def _ret(cx, pc, args):
    if cx.ret != "V":
        raise Bad(f"RET in a function that returns {show(cx.ret)}")
    return _NOTHING


def _iconst(cx, pc, args):
    cx.pool.get(args[0])           # an int constant in the 64-bit range
    return STATIC["ICONST"]


def _bconst(cx, pc, args):
    if args[0] > 1:
        raise Bad(f"BCONST {args[0]} is not 0 or 1")
    return STATIC["BCONST"]


def _result(ret: str) -> tuple:
    return () if ret == "V" else (ret,)


def _call(cx, pc, args):
    params, ret = cx.pool.get(args[0])[:2]
    return sig(params, _result(ret))


def _callvirt(cx, pc, args):
    ci, name, params, ret, kind = cx.pool.get(args[0])
    if kind != VIRTUAL:
        raise Bad(f"CALLVIRT of {ci.qual}.{name}: not a virtual method"
                  + (" (an interface method: CALLIFACE)" if kind == IFACE else ""))
    return sig((ci.desc,) + params, _result(ret))


def _callspecial(cx, pc, args):
    ci, name, params, ret, kind = cx.pool.get(args[0])
    if kind == IFACE:
        raise Bad(f"CALLSPECIAL of {ci.qual}.{name}: an interface method has no body")
    if kind == INIT:          # a constructor: initialises a fresh object (or re-runs on self)
        return sig(("!" + ci.desc,) + params, (), init=True)
    return sig((ci.desc,) + params, _result(ret))


def _calliface(cx, pc, args):
    ci, name, params, ret, kind = cx.pool.get(args[0])
    if kind != IFACE:
        raise Bad(f"CALLIFACE of {ci.qual}.{name}: {ci.qual} is not an interface")
    return sig((ci.desc,) + params, _result(ret))


def _new(cx, pc, args):
    ci = cx.pool.get(args[0])
    if ci.is_interface:
        raise Bad(f"NEW of interface {ci.qual}")
    return sig((), (uninitialised(pc, ci.desc),))


def _getfield(cx, pc, args):
    ci, t = cx.pool.get(args[0])
    return sig((ci.desc,), (t,))


def _putfield(cx, pc, args):
    ci, t = cx.pool.get(args[0])
    return sig((ci.desc, t), ())


def _checkcast(cx, pc, args):
    return sig("R", (cx.pool.get(args[0]).desc,))


STATIC_ISA = sig("R", ("Z",))


def _instanceof(cx, pc, args):
    want = cx.pool.get(args[0]).desc
    types = cx.types

    def related(args):
        t = args[0]
        if t[0] != "L" and t not in ("N", "R") or t[0] == "L" and not types.related(t, want):
            raise Bad(f"INSTANCEOF {show(want)} of a {show(t)}: unrelated types")
        return ("Z",)
    return sig("R", (), related)


def _newarray(cx, pc, args):
    return sig("I", ("[" + cx.pool.get(args[0]),))


def _raload(cx, pc, args):
    types = cx.types

    def element(args):
        e = types.element(args[0], "RALOAD")
        if e in PRIMITIVES:
            raise Bad(f"RALOAD: expected an array of references, found {show(args[0])}")
        if e == "R":        # an R[] may be an int[] (arrays are covariant towards R)
            raise Bad(f"RALOAD of a {show(args[0])}: it may hold ints, floats or bools; use XALOAD")
        return (e,)
    return sig("AI", (), element)


def _rastore(cx, pc, args):
    types = cx.types

    def check(args):
        a, _i, v = args
        e = types.element(a, "RASTORE")
        if e in PRIMITIVES:
            raise Bad(f"RASTORE: expected an array of references, found {show(a)}")
        if innermost(e) == "R":     # a slot typed R[] (R[][]...) may hold an array of another type
            raise Bad(f"RASTORE into a {show(a)}: its element type is not exact; use XASTORE")
        if not types.ok(e, v):
            raise Bad(f"RASTORE into {show(a)}: expected {show(e)}, found {show(v)}")
        return ()
    return sig("AIR", (), check)


def _xaload(cx, pc, args):
    types = cx.types

    def element(args):
        e = types.element(args[0], "XALOAD")
        return ("R",) if e in PRIMITIVES else (e,)
    return sig("AI", (), element)


def _xastore(cx, pc, args):
    types = cx.types

    def check(args):
        a, _i, v = args
        e = types.element(a, "XASTORE")
        # Into an array of primitives goes a box (any reference: checked when it runs).
        want = "R" if e in PRIMITIVES or e == "N" else e
        if not types.ok(want, v):
            raise Bad(f"XASTORE into {show(a)}: expected {show(want)}, found {show(v)}")
        return ()
    return sig("AIR", (), check)


def _cast(cx, pc, args):
    # The pool type is any type but void (the pool's own check: a type
    # constant `V` is malformed), primitives included: CAST I unboxes.
    return sig("R", (cx.pool.get(args[0]),))


def _isa(cx, pc, args):
    cx.pool.get(args[0])
    return STATIC_ISA


def _closure(cx, pc, args):
    params, ret, fd = cx.pool.get(args[0])
    k = args[1]
    if fd.flags & (M.F_METHOD | M.F_INIT | M.F_MODINIT | M.F_ABSTRACT):
        raise Bad(f"CLOSURE of {fd.name}: not a plain module function")
    if k > len(params):
        raise Bad(f"CLOSURE binds {k} values but {fd.name} has {len(params)} parameters")
    return sig(params[:k], ("(" + "".join(params[k:]) + ")" + ret,))


def _callfn(cx, pc, args):
    t = cx.pool.get(args[0])
    if not M.is_fn(t):
        raise Bad(f"CALLFN of {show(t)}: not a function type")
    params, ret = cx.world.signature(t)
    return sig((t,) + params, _result(ret))


def _acopy(cx, pc, args):
    return sig("A", (), _same)


def _same(args):
    return (args[0],)


RULES = {
    "LOAD": _load, "STORE": _store, "GGET": _gget, "GSET": _gset,
    "RETV": _retv, "RET": _ret, "BCONST": _bconst, "ICONST": _iconst,
    "CALL": _call, "CALLNATIVE": _call, "CALLVIRT": _callvirt, "CALLSPECIAL": _callspecial,
    "NEW": _new, "GETFIELD": _getfield, "PUTFIELD": _putfield,
    "CHECKCAST": _checkcast, "INSTANCEOF": _instanceof, "NEWARRAY": _newarray,
    "RALOAD": _raload, "RASTORE": _rastore, "ACOPY": _acopy,
    "CAST": _cast, "ISA": _isa, "XALOAD": _xaload, "XASTORE": _xastore,
    "CALLIFACE": _calliface, "CLOSURE": _closure, "CALLFN": _callfn,
}


def rule_for(name: str):
    """The rule of an instruction: a function of (cx, pc, operands), or a fixed signature."""
    return RULES.get(name) or STATIC[name]


# By opcode byte, for the data-flow pass's inner loop.
RULE_BY_CODE = [rule_for(d.name) for d in TABLE]


def covered() -> set[str]:
    """Every instruction with a rule or a table signature (tests: all of TABLE)."""
    return set(RULES) | set(STATIC)


def typed_by_rule() -> set[str]:
    """The instructions whose table effect names a `types` rule (tests: each
    has an entry in RULES)."""
    return {d.name for d in TABLE if d.types}


__all__ = ["sig", "STATIC", "RULES", "REFINE", "Pool", "rule_for", "RULE_BY_CODE", "covered", "typed_by_rule",
           "LANG_ERROR"]
