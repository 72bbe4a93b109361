"""The ops that enter other code: HL calls (direct, virtual, interface,
of a function value, and the implicit `to_string()` call of string
conversion) and native calls.

A call op counts the callee's call event (fuel, hotness: interp.py), checks
the callee's depth cap, pushes the caller's (registers, return index, result
register) on `E.frames`, makes the callee's registers (arguments, then the
callee's frame tail) and returns the callee's entry from the entry table
`E.ENT` — so installing other code for a function is one write there.  The
return index is the op after the call, which a trace uses to find the call.
A native call runs Python code with no frame; it may collect, so it records
`ctx.pc` first.

It owns these factories; their rows (flags) are the kind table's, made by
`@hand` (kinds.py).  Returns are templates (kinds.py)."""

from __future__ import annotations

from ..layout import HEADER_WORDS
from .generate import closure
from .kinds import COUNT, hand


# Calls are made per arity: up to SPREAD arguments are read one by one into
# the callee's register list, more through map (one closure shape each).
SPREAD = 3


def _args(n: int, first: int = 0) -> list[str]:
    """The expressions of arguments first..n-1 (n in all)."""
    if n > SPREAD:
        return [f"*map(R.__getitem__, srcs[{first}:])"] if first else ["*map(R.__getitem__, srcs)"]
    return [f"R[a{k}]" for k in range(first, n)]


def _arg_binds(srcs) -> dict:
    if len(srcs) > SPREAD:
        return {"srcs": tuple(srcs)}
    return {f"a{k}": r for k, r in enumerate(srcs)}


def _enter(args: list[str]) -> list[str]:
    """Push the caller's frame and enter `fid` with registers `args` + tail."""
    return [*COUNT, "frames.append((R, nx, d))", f"ctx.R = [{', '.join([*args, '*tail'])}]",
            "return ENT[fid]"]


@hand("call", safepoint=True, may_throw=True, calls=True)
def f_call(E, o, nx):
    """A call whose callee is known at link time (CALL, CALLSPECIAL).
    extra = the RtFunction; its frame's tail and depth cap are final by now,
    its entry is read from the entry table at each call (a tier that
    installs other code for it writes that one slot)."""
    target = o.extra
    n = len(o.src)
    binds = {"fid": target.fid, "tail": target.tail, "maxd": E.caps[target.fid], "d": o.dst,
             **_arg_binds(o.src), "nx": nx}

    def lines():
        return ["if len(frames) >= maxd:", "    overflow()", *_enter(_args(n))]
    return closure(E, ("call", min(n, SPREAD + 1)), lines, binds)


@hand("callvirt", safepoint=True, may_throw=True, calls=True)
def f_callvirt(E, o, nx):
    """Virtual call: vtable of the receiver's class, slot fixed at link time.
    VT[type id][slot] is (fid, tail, depth cap) of the implementation; its
    entry comes from the entry table."""
    slot, name = o.extra
    n = len(o.src)
    binds = {"slot": slot, "name": name, "d": o.dst, **_arg_binds(o.src), "nx": nx}

    def lines():
        receiver = "R[a0]" if n <= SPREAD else "R[srcs[0]]"
        return [f"r = {receiver}", "if not r:", "    null_call(name)",
                "fid, tail, cap = VT[W[r]][slot]", "if len(frames) >= cap:", "    overflow()",
                *_enter(["r", *_args(n, 1)])]
    return closure(E, ("callvirt", min(n, SPREAD + 1)), lines, binds)


@hand("calliface", safepoint=True, may_throw=True, calls=True)
def f_calliface(E, o, nx):
    """Interface call: the method selector's dispatch table (filled by the
    linker from every class's itable) maps the receiver's type id to the
    call target of the vtable slot its class implements the method with,
    (fid, tail, depth cap) as a virtual call's; its entry comes from the
    entry table."""
    itab, name = o.extra
    n = len(o.src)
    binds = {"itab": itab, "name": name, "d": o.dst, **_arg_binds(o.src), "nx": nx}

    def lines():
        receiver = "R[a0]" if n <= SPREAD else "R[srcs[0]]"
        return [f"r = {receiver}", "if not r:", "    null_call(name)",
                "fid, tail, cap = itab[W[r]]", "if len(frames) >= cap:", "    overflow()",
                *_enter(["r", *_args(n, 1)])]
    return closure(E, ("calliface", min(n, SPREAD + 1)), lines, binds)


@hand("callfn", safepoint=True, may_throw=True, calls=True)
def f_callfn(E, o, nx):
    """Call of a function value (src[0]) with the other sources as its
    arguments: the callee's first locals are the k values bound in the
    block, then the arguments.  The shape's call record (`Interpreter.CLO`
    by the block's type id, `fn_value_target`) gives (fid, tail, depth cap,
    k, fix); a native function (fid -1) is called at once, without a frame
    (`_callfn_native`).  One closure shape per arity, as the other calls;
    no bound value and one bound word (a closure over one int or
    reference) are read without a slice."""
    fs, *args = o.src
    n = len(args)
    binds = {"fs": fs, "d": o.dst, **_arg_binds(args), "nx": nx, "HW": HEADER_WORDS,
             "native": _callfn_native(E, o, nx)}

    def lines():
        a = _args(n)
        return ["f = R[fs]", "if not f:", "    null_fn()",
                "fid, tail, cap, k, fix = CLO[W[f]]",
                "if fid < 0:", "    return native(R, f, tail, k, fix)",
                "if len(frames) >= cap:", "    overflow()",
                *COUNT, "frames.append((R, nx, d))",
                "if not k:", f"    ctx.R = [{', '.join([*a, '*tail'])}]",
                "elif k == 1 and fix is None:", f"    ctx.R = [{', '.join(['W[f + HW]', *a, '*tail'])}]",
                "else:", "    b = W[f + HW:f + HW + k].tolist()", "    if fix is not None:",
                "        fix(b, f)", f"    ctx.R = [{', '.join(['*b', *a, '*tail'])}]",
                "return ENT[fid]"]
    return closure(E, ("callfn", min(n, SPREAD + 1)), lines, binds)


def _callfn_native(E, o, nx):
    """A function value of a native function: the native is called with
    the bound values and the arguments (it may collect: the op records
    itself first)."""
    ctx, W = E.ctx, E.heap.W
    args = tuple(o.src[1:])
    d = o.dst
    here = o.index
    HW = HEADER_WORDS

    def native(R, f, call, k, fix):
        ctx.pc = here
        b = W[f + HW:f + HW + k].tolist() if k else []
        if fix is not None:
            fix(b, f)
        v = call(*b, *[R[a] for a in args])
        if d is not None:
            R[d] = v
        return nx
    return native


@hand("native", safepoint=True, may_throw=True)
def f_native(E, o, nx):
    """A native call: Python code, no frame.  extra = NativeBinding.  It may
    collect: it records where it is first."""
    n = len(o.src)
    has_result = o.dst is not None
    binds = {"here": o.index, "fn": o.extra.call, **_arg_binds(o.src), "nx": nx}
    if has_result:
        binds["d"] = o.dst

    def lines():
        call = f"fn({', '.join(_args(n))})"
        return ["ctx.pc = here", f"R[d] = {call}" if has_result else call, "return nx"]
    return closure(E, ("native", has_result, min(n, SPREAD + 1)), lines, binds)


@hand("tostr_obj", safepoint=True, may_throw=True, calls=True)
def f_tostr_obj(E, o, nx):
    """"null"; by the value's type id (Interpreter.TOS): an interned string
    (a class's "<Name>", "<fn>", "<array>"), a pushed frame calling the
    class's to_string(), the string itself (None), or a box's text (a
    function, which may allocate)."""
    ctx, frames, ctr, poll, W, TOS, ENT = E.ctx, E.frames, E.ctr, E.poll, E.heap.W, E.TOS, E.ENT
    overflow = E.errors.stack_overflow
    NULLSTR = E.strings.null
    d = o.dst
    s, = o.src
    here = o.index

    def op():
        R = ctx.R
        r = R[s]
        if not r:
            R[d] = NULLSTR
            return nx
        t = TOS[W[r]]
        if t.__class__ is int:
            R[d] = t
            return nx
        if t is None:
            R[d] = r
            return nx
        if t.__class__ is not tuple:
            ctx.pc = here                      # a box's text: it may collect
            R[d] = t(r)
            return nx
        fid, tail, cap = t
        if len(frames) >= cap:
            overflow()
        c = ctr[fid] - 1
        ctr[fid] = c
        if c < 0:
            poll(fid)
        frames.append((R, nx, d))
        ctx.R = [r, *tail]
        return ENT[fid]
    return op
