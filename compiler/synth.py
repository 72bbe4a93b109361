"""The functions the compiler writes itself, beside those of the source
(docs/conventions.md, "Function values", "Generics", "Interfaces"):

- a function literal's module function: its captured values, then its
  parameters (`literal`);
- an adapter: a function value of one erased signature seen as another,
  each argument and the result converted (`adapter`, named by
  `erasure.adapter_name`);
- a bound method's function, calling the method on its first parameter
  (`bound`);
- a bridge method: an interface method's signature over a class method of
  another erasure (`bridge`);
- the prelude's `$str`, which gives a type parameter's value (an erased
  reference: a box, a string, an array, an object, a function value) its
  `str()` at run time (`prelude_helper`; `equals` and `hash` are in line,
  codegen.py).

Each returns the `FunctionDesc`; `modgen` decides when they are made and
where they go.
"""

from __future__ import annotations

from hlbc import model as M

from .assembler import Label
from .builtins import STRING_METHODS
from .codegen import FunctionGen, call_descs
from .erasure import adapter_name, mangle
from .symbols import Bridge, ClassInfo, FunctionInfo, LambdaInfo
from .typesys import BOOL, INT, STRING, VOID, Type

# Name → signature of the prelude's helpers.
PRELUDE_HELPERS = {"$str": "(R)S"}


class _Ret(Type):
    """A return type known only by its descriptor (a synthesized function's)."""

    def __init__(self, desc: str) -> None:
        self.desc = desc

    def __str__(self) -> str:
        return self.desc


def _static(desc: str) -> Type:
    return VOID if desc == "V" else _Ret(desc)


def _finish(mg, g: FunctionGen, name: str, flags: int, owner: int, params, ret: str) -> M.FunctionDesc:
    code, max_stack, handlers, lines, locals_ = g.result()
    return M.FunctionDesc(name, flags, owner, tuple(params), ret, locals_, max_stack, code, handlers, lines)


def _return(g: FunctionGen, ret: str) -> None:
    g.asm.emit("RET" if ret == "V" else "RETV")


def literal(mg, info: LambdaInfo) -> M.FunctionDesc:
    """fn <name>(<captures>, <params>) -> <ret> { <body> }"""
    decl = info.decl
    mg.at = (decl.line, decl.col)
    mg.budget.step(*mg.at)
    params, ret = call_descs(info.desc)
    g = FunctionGen(mg, f"{mg.m.name}.{info.name}", info.ret, ret)
    for v in info.captures:
        g.fixed_local(v, v.type.desc)
    g.asm.position(*mg.at)
    g.parameters(decl.param_vars, info.params, params)
    g.body(decl.body)
    caps = tuple(v.type.desc for v in info.captures)
    return _finish(mg, g, info.name, 0, M.NO_INDEX, caps + params, ret)


def adapter(mg, frm: str, to: str) -> M.FunctionDesc:
    """fn $adapt(f: frm, a1..an: to's params) -> to's result
    { return f(a1..an, each converted) converted }"""
    name = adapter_name(frm, to)
    to_params, to_ret = call_descs(to)
    frm_params, frm_ret = call_descs(frm)
    g = FunctionGen(mg, name, _static(to_ret))
    g.fixed_local(None, frm)
    for d in to_params:
        g.fixed_local(None, d)
    g.asm.emit("LOAD", 0)
    for i, (a, b) in enumerate(zip(to_params, frm_params)):
        g.asm.emit("LOAD", i + 1)
        g.coerce(a, b)
    g.asm.emit("CALLFN", mg.pool.type(frm))
    if frm_ret != "V":
        g.coerce(frm_ret, to_ret)
    _return(g, to_ret)
    return _finish(mg, g, name, 0, M.NO_INDEX, (frm, *to_params), to_ret)


def bound(mg, cls: ClassInfo, f: FunctionInfo) -> M.FunctionDesc:
    """fn $bound$C$m(obj: C, params...) -> ret { return obj.m(params...) }"""
    name = f"$bound${mangle(cls.type.desc)}${f.name}"
    params, ret = call_descs(f.signature)
    g = FunctionGen(mg, f"{cls.name}.{f.name}", _static(ret))
    g.fixed_local(None, cls.type.desc)
    for d in params:
        g.fixed_local(None, d)
    for i in range(len(params) + 1):
        g.asm.emit("LOAD", i)
    g.invoke(cls, f)
    _return(g, ret)
    return _finish(mg, g, name, 0, M.NO_INDEX, (cls.type.desc, *params), ret)


def bridge(mg, c: ClassInfo, index: int, b: Bridge) -> M.FunctionDesc:
    """The bridge method `b` of class `c`: its arguments converted to the
    signature of the method it calls (virtually, so that an override in a
    subclass runs), the result converted back.  The `equals` bridge of
    `lang._Equals` answers false for an argument that is not an instance of
    the class `equals` takes, instead of a CastError (B2)."""
    params, ret = call_descs(b.signature)
    tparams, tret = call_descs(b.target.signature)
    g = FunctionGen(mg, f"{c.name}.{b.name}", _static(ret))
    g.fixed_local(None, c.type.desc)
    for d in params:
        g.fixed_local(None, d)
    if b.equals:
        other = tparams[0]
        ok = Label()
        g.asm.emit("LOAD", 1)
        g.asm.emit("ISA", mg.pool.type(other))
        g.asm.jump("JT", ok)
        g.asm.emit("BCONST", 0)
        g.asm.emit("RETV")
        g.asm.bind(ok)
    g.asm.emit("LOAD", 0)
    for i, (a, t) in enumerate(zip(params, tparams)):
        g.asm.emit("LOAD", i + 1)
        g.coerce(a, t)
    g.asm.emit("CALLVIRT", mg.pool.method(c, b.target))
    if tret != "V":
        g.coerce(tret, ret)
    _return(g, ret)
    return _finish(mg, g, b.name, M.F_METHOD, index, params, ret)


def prelude_helper(mg, name: str) -> M.FunctionDesc:
    return _HELPERS[name](mg)


def return_bracketed(asm, pool, parts: int) -> None:
    """`return "[" + ", ".join(parts) + "]"` for the string[] in local
    `parts`: the end of every array formatter (A9)."""
    asm.emit("SCONST", pool.string("["))
    asm.emit("SCONST", pool.string(", "))
    asm.emit("LOAD", parts)
    join = STRING_METHODS["join"].lower
    asm.emit("CALLNATIVE", pool.native(join.name, join.sig))
    asm.emit("CONCAT")
    asm.emit("SCONST", pool.string("]"))
    asm.emit("CONCAT")
    asm.emit("RETV")


def _str(mg) -> M.FunctionDesc:
    """fn $str(x: R) -> string: str() of any value held as R (A9): an array
    as "[e0, e1, ...]", each element by this same function (XALOAD boxes
    int, float and bool elements); anything else by TOSTR_OBJ (null, boxes,
    strings, objects, function values)."""
    g = FunctionGen(mg, "lang.$str", STRING)
    asm, pool = g.asm, mg.pool
    g.fixed_local(None, "R")
    other = Label()
    asm.emit("LOAD", 0)
    asm.emit("ISA", pool.type("[R"))
    asm.jump("JF", other)
    arr = g.temp("[R")
    parts = g.temp("[S")
    i = g.temp("I")
    asm.emit("LOAD", 0)
    asm.emit("CAST", pool.type("[R"))
    asm.emit("STORE", arr)
    asm.emit("LOAD", arr)
    asm.emit("ALEN")
    asm.emit("NEWARRAY", pool.type("S"))
    asm.emit("STORE", parts)
    asm.emit("ICONST", pool.int(0))
    asm.emit("STORE", i)
    test, top = Label(), Label()
    asm.jump("JMP", test)
    asm.bind_loop_head(top, True)
    asm.emit("LOAD", parts)
    asm.emit("LOAD", i)
    asm.emit("LOAD", arr)
    asm.emit("LOAD", i)
    asm.emit("XALOAD")
    asm.emit("CALL", pool.local_func(mg.m.name, "$str", PRELUDE_HELPERS["$str"]))
    asm.emit("RASTORE")
    asm.emit("LOAD", i)
    asm.emit("ICONST", pool.int(1))
    asm.emit("IADD")
    asm.emit("STORE", i)
    asm.bind(test)
    asm.emit("LOAD", i)
    asm.emit("LOAD", arr)
    asm.emit("ALEN")
    asm.emit("ILT")
    asm.jump("JT", top)
    return_bracketed(asm, pool, parts)
    asm.bind(other)
    asm.emit("LOAD", 0)
    asm.emit("TOSTR_OBJ")
    asm.emit("RETV")
    return _finish(mg, g, "$str", 0, M.NO_INDEX, ("R",), "S")


_HELPERS = {"$str": _str}

__all__ = ["PRELUDE_HELPERS", "literal", "adapter", "bound", "bridge", "prelude_helper"]
