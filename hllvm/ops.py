"""What each lowered operation does: one closure factory per op kind.

The pre-decoder (`lower.py`) turns a function's stack code into a list of
`Op` records over frame registers; `FACTORIES[kind](E, op, nx)` turns one
record into a closure with its operands bound.  A closure takes no argument,
reads and writes the current frame's registers through `E.ctx.R`, and returns
the index of the next op to run in the VM's code list.  Calls push the
caller's (registers, return index, result register) on `E.frames` and return
the callee's entry; returns pop it.  Every closure reads all its operands
before it writes its result, so the pre-decoder may make an op write straight
into a local that it also reads.

This module does not decide which ops exist for which instructions (that is
`lower.py`), nor unwind errors or print traces (`interp.py`).  Errors are
thrown through `E.errors`, which raises `HLThrow`.
"""

from __future__ import annotations

import math

from .layout import (HEADER_BYTES, HEADER_WORDS, LENGTH_WORD, T_STR8, field_offset, instance_words,
                     string_words)

# The layout's offsets under short names, for the ops' hot expressions.
HW = HEADER_WORDS               # first payload word of a block, from its address
HB = HEADER_BYTES               # first payload byte, from its address * 8
HU = HEADER_WORDS * 2           # first payload uint32, from its address * 2
LEN = LENGTH_WORD               # the length word

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1
_M64 = (1 << 64) - 1
_S63 = 1 << 63
_INF = math.inf
_NAN = math.nan
_copysign = math.copysign
_fmod = math.fmod


class Op:
    """One lowered operation: kind, origin (bytecode pc), result register,
    source registers and an extra operand (target, field offset, callee...).
    `index` is its place in the code list: an op that may collect records it in
`ctx.pc` first (the collector's only way to know where the running frame
stopped, as Lua's `savepc`).
`live`, for the ops in SAFEPOINT_KINDS: ((stack position, register), ...)
    of the operand-stack entries (before the op) that live in their own
    stack register, which the collector types by the verifier's stack map."""
    __slots__ = ("kind", "origin", "dst", "src", "extra", "live", "index")

    def __init__(self, kind: str, origin: int, dst, src: tuple, extra=None):
        self.index = 0          # its place in the VM's code list (set by the linker)
        self.kind = kind
        self.origin = origin
        self.dst = dst
        self.src = src
        self.extra = extra
        self.live = None

    def __repr__(self) -> str:
        return f"Op({self.kind}, pc={self.origin}, dst={self.dst}, src={self.src}, {self.extra!r})"


# Ops during which the collector may run with the frame's operand stack live:
# the ones that allocate and the calls (the verifier's safepoints).  Any
# other op reaches the collector only by throwing (the error is allocated),
# and a throwing op's operand stack is dead (docs/gc.md).
SAFEPOINT_KINDS = frozenset({"new", "newarray", "acopy", "concat", "sindex", "itos", "ftos", "ztos",
                             "stos", "tostr_obj", "call", "callvirt", "native"})


FACTORIES: dict = {}


def factory(*kinds):
    def reg(f):
        for k in kinds:
            FACTORIES[k] = f
        return f
    return reg


# --- moves, constants, globals ---------------------------------------------------

@factory("move")
def f_move(E, o, nx):
    ctx = E.ctx
    d, = (o.dst,)
    s, = o.src

    def op():
        R = ctx.R
        R[d] = R[s]
        return nx
    return op


@factory("pmove")
def f_pmove(E, o, nx):
    ctx = E.ctx
    dsts = o.dst
    srcs = o.src

    def op():
        R = ctx.R
        vals = [R[s] for s in srcs]
        for d, v in zip(dsts, vals):
            R[d] = v
        return nx
    return op


@factory("gget")
def f_gget(E, o, nx):
    """Read a module global: a word of the module's permanent globals block
    (docs/heap.md), through the view of its type."""
    ctx, d = E.ctx, o.dst
    m, i, t = o.extra
    w = m.globals_ref + field_offset(i)
    if t == "Z":
        Z, z = E.heap.Z, w << 3

        def op():
            ctx.R[d] = Z[z]
            return nx
        return op
    M = E.heap.D if t == "F" else E.heap.W

    def op():
        ctx.R[d] = M[w]
        return nx
    return op


@factory("gset")
def f_gset(E, o, nx):
    ctx = E.ctx
    m, i, t = o.extra
    w = m.globals_ref + field_offset(i)
    s, = o.src
    if t == "Z":
        Z, z = E.heap.Z, w << 3

        def op():
            Z[z] = ctx.R[s]
            return nx
        return op
    M = E.heap.D if t == "F" else E.heap.W

    def op():
        M[w] = ctx.R[s]
        return nx
    return op


@factory("nop")
def f_nop(E, o, nx):
    def op():
        return nx
    return op


# --- int arithmetic (wraps modulo 2^64) ---------------------------------------------

@factory("iadd")
def f_iadd(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        v = R[a] + R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        return nx
    return op


@factory("isub")
def f_isub(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        v = R[a] - R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        return nx
    return op


@factory("imul")
def f_imul(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        v = R[a] * R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        return nx
    return op


@factory("idiv")
def f_idiv(E, o, nx):
    ctx, d, zero = E.ctx, o.dst, E.errors.div_zero
    a, b = o.src

    def op():
        R = ctx.R
        x = R[a]
        y = R[b]
        if y > 0 and x >= 0:
            R[d] = x // y
        else:
            if y == 0:
                zero()
            q = abs(x) // abs(y)
            if (x < 0) != (y < 0):
                q = -q
            R[d] = q if q <= INT_MAX else INT_MIN      # MIN / -1 wraps to MIN
        return nx
    return op


@factory("irem")
def f_irem(E, o, nx):
    ctx, d, zero = E.ctx, o.dst, E.errors.rem_zero
    a, b = o.src

    def op():
        R = ctx.R
        x = R[a]
        y = R[b]
        if y > 0 and x >= 0:
            R[d] = x % y
        else:
            if y == 0:
                zero()
            r = abs(x) % abs(y)
            R[d] = -r if x < 0 else r                  # sign of the dividend
        return nx
    return op


@factory("iand")
def f_iand(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] & R[b]
        return nx
    return op


@factory("ior")
def f_ior(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] | R[b]
        return nx
    return op


@factory("ixor")
def f_ixor(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] ^ R[b]
        return nx
    return op


@factory("ishl")
def f_ishl(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        v = R[a] << (R[b] & 63)
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        return nx
    return op


@factory("ishr")
def f_ishr(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] >> (R[b] & 63)
        return nx
    return op


@factory("ineg")
def f_ineg(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, = o.src

    def op():
        R = ctx.R
        v = R[a]
        R[d] = -v if v != INT_MIN else INT_MIN
        return nx
    return op


@factory("inot")
def f_inot(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, = o.src

    def op():
        R = ctx.R
        R[d] = ~R[a]
        return nx
    return op


# --- float arithmetic (IEEE 754) ------------------------------------------------------

@factory("fadd")
def f_fadd(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] + R[b]
        return nx
    return op


@factory("fsub")
def f_fsub(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] - R[b]
        return nx
    return op


@factory("fmul")
def f_fmul(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] * R[b]
        return nx
    return op


def fdiv(x: float, y: float) -> float:
    """x / y with IEEE results for a zero divisor."""
    if y:
        return x / y
    if x != x or x == 0.0:
        return _NAN
    return _copysign(_INF, x) * _copysign(1.0, y)


def frem(x: float, y: float) -> float:
    """C's fmod: nan when y is 0 or x is infinite."""
    try:
        return _fmod(x, y)
    except ValueError:
        return _NAN


@factory("fdiv")
def f_fdiv(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        y = R[b]
        R[d] = R[a] / y if y else fdiv(R[a], y)
        return nx
    return op


@factory("frem")
def f_frem(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = frem(R[a], R[b])
        return nx
    return op


@factory("fneg")
def f_fneg(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, = o.src

    def op():
        R = ctx.R
        R[d] = -R[a]
        return nx
    return op


@factory("i2f")
def f_i2f(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, = o.src

    def op():
        R = ctx.R
        R[d] = float(R[a])
        return nx
    return op


def f2i(x: float) -> int:
    """Truncate toward zero; nan → 0; saturate at the int range."""
    if x != x:
        return 0
    if x >= 9.223372036854775807e18:
        return INT_MAX
    if x <= -9.223372036854775808e18:
        return INT_MIN
    return int(x)


@factory("f2i")
def f_f2i(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, = o.src

    def op():
        R = ctx.R
        x = R[a]
        R[d] = int(x) if -9e18 < x < 9e18 else f2i(x)
        return nx
    return op


@factory("not")
def f_not(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, = o.src

    def op():
        R = ctx.R
        R[d] = not R[a]
        return nx
    return op


# --- comparisons (int, float, bool and reference identity share Python's) -------------

@factory("eq")
def f_eq(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] == R[b]
        return nx
    return op


@factory("ne")
def f_ne(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] != R[b]
        return nx
    return op


@factory("lt")
def f_lt(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] < R[b]
        return nx
    return op


@factory("le")
def f_le(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] <= R[b]
        return nx
    return op


@factory("gt")
def f_gt(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] > R[b]
        return nx
    return op


@factory("ge")
def f_ge(E, o, nx):
    ctx, d = E.ctx, o.dst
    a, b = o.src

    def op():
        R = ctx.R
        R[d] = R[a] >= R[b]
        return nx
    return op


# --- control ------------------------------------------------------------------------------
# Branch ops carry extra = (index when true, index when false), already absolute.

@factory("jmp")
def f_jmp(E, o, nx):
    t = o.extra

    def op():
        return t
    return op


@factory("loop")
def f_loop(E, o, nx):
    """A back-edge: count it for the function and poll every interval."""
    t, fid = o.extra
    ctr, poll = E.ctr, E.poll

    def op():
        c = ctr[fid] - 1
        ctr[fid] = c
        if c < 0:
            poll(fid)
        return t
    return op


@factory("br")
def f_br(E, o, nx):
    ctx = E.ctx
    c, = o.src
    t, f = o.extra

    def op():
        return t if ctx.R[c] else f
    return op


@factory("br_eq")
def f_br_eq(E, o, nx):
    ctx = E.ctx
    a, b = o.src
    t, f = o.extra

    def op():
        R = ctx.R
        return t if R[a] == R[b] else f
    return op


@factory("br_ne")
def f_br_ne(E, o, nx):
    ctx = E.ctx
    a, b = o.src
    t, f = o.extra

    def op():
        R = ctx.R
        return t if R[a] != R[b] else f
    return op


@factory("br_lt")
def f_br_lt(E, o, nx):
    ctx = E.ctx
    a, b = o.src
    t, f = o.extra

    def op():
        R = ctx.R
        return t if R[a] < R[b] else f
    return op


@factory("br_le")
def f_br_le(E, o, nx):
    ctx = E.ctx
    a, b = o.src
    t, f = o.extra

    def op():
        R = ctx.R
        return t if R[a] <= R[b] else f
    return op


@factory("br_gt")
def f_br_gt(E, o, nx):
    ctx = E.ctx
    a, b = o.src
    t, f = o.extra

    def op():
        R = ctx.R
        return t if R[a] > R[b] else f
    return op


@factory("br_ge")
def f_br_ge(E, o, nx):
    ctx = E.ctx
    a, b = o.src
    t, f = o.extra

    def op():
        R = ctx.R
        return t if R[a] >= R[b] else f
    return op


@factory("br_not")
def f_br_not(E, o, nx):
    ctx = E.ctx
    c, = o.src
    t, f = o.extra

    def op():
        return f if ctx.R[c] else t
    return op


@factory("ret")
def f_ret(E, o, nx):
    ctx, frames = E.ctx, E.frames

    def op():
        R, pc, d = frames.pop()
        ctx.R = R
        return pc
    return op


@factory("retv")
def f_retv(E, o, nx):
    ctx, frames = E.ctx, E.frames
    s, = o.src

    def op():
        v = ctx.R[s]
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


@factory("throw")
def f_throw(E, o, nx):
    ctx, throw_ref = E.ctx, E.errors.throw_ref
    s, = o.src

    def op():
        throw_ref(ctx.R[s])
    return op


@factory("halt")
def f_halt(E, o, nx):
    from .errors import Halt

    def op():
        raise Halt()
    return op


# --- calls ------------------------------------------------------------------------------------

def _call_factory(E, srcs, d, nx, target):
    """A call whose callee is known at link time (CALL, CALLSPECIAL).
    `target` is the RtFunction; its frame's tail and depth cap are final by
    now, its entry is read from the entry table at each call (a tier that
    installs other code for it writes that one slot)."""
    ctx, frames, ctr, poll, ENT = E.ctx, E.frames, E.ctr, E.poll, E.ENT
    maxd, overflow = E.caps[target.fid], E.errors.stack_overflow   # depth cap of this callee
    tail, fid = target.tail, target.fid
    n = len(srcs)
    if n == 0:
        def op():
            if len(frames) >= maxd:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((ctx.R, nx, d))
            ctx.R = tail[:]
            return ENT[fid]
    elif n == 1:
        a0, = srcs

        def op():
            R = ctx.R
            if len(frames) >= maxd:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [R[a0], *tail]
            return ENT[fid]
    elif n == 2:
        a0, a1 = srcs

        def op():
            R = ctx.R
            if len(frames) >= maxd:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [R[a0], R[a1], *tail]
            return ENT[fid]
    elif n == 3:
        a0, a1, a2 = srcs

        def op():
            R = ctx.R
            if len(frames) >= maxd:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [R[a0], R[a1], R[a2], *tail]
            return ENT[fid]
    else:
        def op():
            R = ctx.R
            if len(frames) >= maxd:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [*map(R.__getitem__, srcs), *tail]
            return ENT[fid]
    return op


@factory("call")
def f_call(E, o, nx):
    return _call_factory(E, o.src, o.dst, nx, o.extra)


@factory("callvirt")
def f_callvirt(E, o, nx):
    """Virtual call: vtable of the receiver's class, slot fixed at link time.
    VT[type id][slot] is (fid, tail, depth cap) of the implementation; its
    entry comes from the entry table."""
    ctx, frames, ctr, poll, W, VT, ENT = E.ctx, E.frames, E.ctr, E.poll, E.heap.W, E.VT, E.ENT
    overflow = E.errors.stack_overflow
    slot, name = o.extra
    null = E.errors.null_call
    d = o.dst
    srcs = o.src
    n = len(srcs)
    a0 = srcs[0]
    if n == 1:
        def op():
            R = ctx.R
            r = R[a0]
            if not r:
                null(name)
            fid, tail, cap = VT[W[r]][slot]
            if len(frames) >= cap:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [r, *tail]
            return ENT[fid]
    elif n == 2:
        a1 = srcs[1]

        def op():
            R = ctx.R
            r = R[a0]
            if not r:
                null(name)
            fid, tail, cap = VT[W[r]][slot]
            if len(frames) >= cap:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [r, R[a1], *tail]
            return ENT[fid]
    else:
        def op():
            R = ctx.R
            r = R[a0]
            if not r:
                null(name)
            fid, tail, cap = VT[W[r]][slot]
            if len(frames) >= cap:
                overflow()
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            frames.append((R, nx, d))
            ctx.R = [*map(R.__getitem__, srcs), *tail]
            return ENT[fid]
    return op


@factory("native")
def f_native(E, o, nx):
    """A native call: Python code, no frame.  extra = NativeBinding."""
    here = o.index
    ctx = E.ctx
    fn = o.extra.call
    d = o.dst
    srcs = o.src
    n = len(srcs)
    if d is None:
        if n == 0:
            def op():
                ctx.pc = here          # may collect
                fn()
                return nx
        elif n == 1:
            a0, = srcs

            def op():
                ctx.pc = here          # may collect
                fn(ctx.R[a0])
                return nx
        else:
            def op():
                ctx.pc = here          # may collect
                fn(*map(ctx.R.__getitem__, srcs))
                return nx
    else:
        if n == 0:
            def op():
                ctx.pc = here          # may collect
                ctx.R[d] = fn()
                return nx
        elif n == 1:
            a0, = srcs

            def op():
                ctx.pc = here          # may collect
                R = ctx.R
                R[d] = fn(R[a0])
                return nx
        elif n == 2:
            a0, a1 = srcs

            def op():
                ctx.pc = here          # may collect
                R = ctx.R
                R[d] = fn(R[a0], R[a1])
                return nx
        else:
            def op():
                ctx.pc = here          # may collect
                R = ctx.R
                R[d] = fn(*map(R.__getitem__, srcs))
                return nx
    return op


# --- objects --------------------------------------------------------------------------------------

@factory("new")
def f_new(E, o, nx):
    here = o.index
    ctx, alloc = E.ctx, E.heap.alloc
    d = o.dst
    cls = o.extra
    cid, nf = cls.id, cls.nfields
    size = instance_words(nf)

    def op():
        ctx.pc = here          # may collect
        ctx.R[d] = alloc(cid, nf, size)
        return nx
    return op


@factory("getfield_w", "getfield_d", "getfield_z")
def f_getfield(E, o, nx):
    ctx = E.ctx
    d = o.dst
    s, = o.src
    off, name = o.extra
    null = E.errors.null_field
    if o.kind == "getfield_d":
        D = E.heap.D

        def op():
            R = ctx.R
            r = R[s]
            if not r:
                null(name)
            R[d] = D[r + off]
            return nx
    else:
        W = E.heap.W
        if o.kind == "getfield_z":
            def op():
                R = ctx.R
                r = R[s]
                if not r:
                    null(name)
                R[d] = W[r + off] != 0
                return nx
        else:
            def op():
                R = ctx.R
                r = R[s]
                if not r:
                    null(name)
                R[d] = W[r + off]
                return nx
    return op


@factory("putfield_w", "putfield_d")
def f_putfield(E, o, nx):
    ctx = E.ctx
    s, v = o.src
    off, name = o.extra
    null = E.errors.null_field
    M = E.heap.D if o.kind == "putfield_d" else E.heap.W

    def op():
        R = ctx.R
        r = R[s]
        if not r:
            null(name)
        M[r + off] = R[v]
        return nx
    return op


@factory("instanceof")
def f_instanceof(E, o, nx):
    ctx, W, ANC = E.ctx, E.heap.W, E.ANC
    d = o.dst
    s, = o.src
    cls = o.extra
    depth, cid = cls.depth, cls.id

    def op():
        R = ctx.R
        a = ANC[W[R[s]]]
        R[d] = depth < len(a) and a[depth] == cid
        return nx
    return op


@factory("checkcast")
def f_checkcast(E, o, nx):
    ctx, W, ANC = E.ctx, E.heap.W, E.ANC
    s, = o.src
    cls = o.extra
    depth, cid = cls.depth, cls.id
    fail = E.errors.cast_fail

    def op():
        r = ctx.R[s]
        if r:
            a = ANC[W[r]]
            if not (depth < len(a) and a[depth] == cid):
                fail(r, cls)
        return nx
    return op


@factory("tostr_obj")
def f_tostr_obj(E, o, nx):
    """"null", the class's "<Name>", or a pushed frame calling to_string()."""
    ctx, frames, ctr, poll, W, TOS, ENT = E.ctx, E.frames, E.ctr, E.poll, E.heap.W, E.TOS, E.ENT
    overflow = E.errors.stack_overflow
    NULLSTR = E.strings.null
    d = o.dst
    s, = o.src

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


# --- arrays -----------------------------------------------------------------------------------------

@factory("newarray")
def f_newarray(E, o, nx):
    here = o.index
    ctx, new_array, neg = E.ctx, E.heap.new_array, E.errors.negative_size
    d = o.dst
    s, = o.src
    tid = o.extra

    def op():
        ctx.pc = here          # may collect
        R = ctx.R
        n = R[s]
        if n < 0:
            neg(n)
        R[d] = new_array(tid, n)
        return nx
    return op


@factory("alen")
def f_alen(E, o, nx):
    ctx, W, null = E.ctx, E.heap.W, E.errors.null_length
    d = o.dst
    s, = o.src

    def op():
        R = ctx.R
        a = R[s]
        if not a:
            null()
        R[d] = W[a + LEN]
        return nx
    return op


@factory("aload_w", "aload_d", "aload_z")
def f_aload(E, o, nx):
    ctx, W, bad = E.ctx, E.heap.W, E.errors.bad_index
    d = o.dst
    sa, si = o.src
    if o.kind == "aload_w":
        def op():
            R = ctx.R
            a = R[sa]
            i = R[si]
            if 0 <= i < W[a + LEN]:
                R[d] = W[a + HW + i]
                return nx
            bad(a, i)
    elif o.kind == "aload_d":
        D = E.heap.D

        def op():
            R = ctx.R
            a = R[sa]
            i = R[si]
            if 0 <= i < W[a + LEN]:
                R[d] = D[a + HW + i]
                return nx
            bad(a, i)
    else:
        Z = E.heap.Z

        def op():
            R = ctx.R
            a = R[sa]
            i = R[si]
            if 0 <= i < W[a + LEN]:
                R[d] = Z[(a << 3) + HB + i]
                return nx
            bad(a, i)
    return op


@factory("astore_w", "astore_d", "astore_z")
def f_astore(E, o, nx):
    ctx, W, bad = E.ctx, E.heap.W, E.errors.bad_index
    sa, si, sv = o.src
    if o.kind == "astore_w":
        def op():
            R = ctx.R
            a = R[sa]
            i = R[si]
            if 0 <= i < W[a + LEN]:
                W[a + HW + i] = R[sv]
                return nx
            bad(a, i)
    elif o.kind == "astore_d":
        D = E.heap.D

        def op():
            R = ctx.R
            a = R[sa]
            i = R[si]
            if 0 <= i < W[a + LEN]:
                D[a + HW + i] = R[sv]
                return nx
            bad(a, i)
    else:
        Z = E.heap.Z

        def op():
            R = ctx.R
            a = R[sa]
            i = R[si]
            if 0 <= i < W[a + LEN]:
                Z[(a << 3) + HB + i] = R[sv]
                return nx
            bad(a, i)
    return op


@factory("acopy")
def f_acopy(E, o, nx):
    here = o.index
    ctx, heap, null = E.ctx, E.heap, E.errors.null_copy
    W = heap.W
    d = o.dst
    s, = o.src
    from .layout import payload_words

    def op():
        ctx.pc = here          # may collect
        R = ctx.R
        a = R[s]
        if not a:
            null()
        tid = W[a]
        n = W[a + LEN]
        words = payload_words(tid, n)
        p = heap.alloc(tid, n, HW + words)
        a = R[s]                                   # re-read: the allocation may collect
        W[p + HW:p + HW + words] = W[a + HW:a + HW + words]
        R[d] = p
        return nx
    return op


# --- strings ------------------------------------------------------------------------------------------

@factory("slen")
def f_slen(E, o, nx):
    ctx, W, null = E.ctx, E.heap.W, E.errors.null_string
    d = o.dst
    s, = o.src

    def op():
        R = ctx.R
        r = R[s]
        if not r:
            null()
        R[d] = W[r + LEN]
        return nx
    return op


@factory("sindex")
def f_sindex(E, o, nx):
    ctx, heap, bad = E.ctx, E.heap, E.errors.bad_string_index
    W, B, U = heap.W, heap.B, heap.U
    chars = E.strings.chars
    d = o.dst
    ss, si = o.src
    here = o.index

    def op():
        R = ctx.R
        r = R[ss]
        i = R[si]
        if 0 <= i < W[r + LEN]:
            if W[r] == T_STR8:
                R[d] = chars[B[(r << 3) + HB + i]]
            else:
                c = U[(r << 1) + HU + i]
                if c < 256:
                    R[d] = chars[c]
                else:
                    ctx.pc = here          # may collect
                    R[d] = heap.new_str(chr(c))
            return nx
        bad(r, i)
    return op


@factory("concat")
def f_concat(E, o, nx):
    here = o.index
    ctx, heap = E.ctx, E.heap
    W, B = heap.W, heap.B
    NULLSTR = E.strings.null
    reserve = E.errors.reserve_chars
    d = o.dst
    sa, sb = o.src

    def op():
        ctx.pc = here          # may collect
        R = ctx.R
        x = R[sa] or NULLSTR
        y = R[sb] or NULLSTR
        n1 = W[x + LEN]
        if not n1:
            R[d] = y
            return nx
        n2 = W[y + LEN]
        if not n2:
            R[d] = x
            return nx
        n = n1 + n2
        if W[x] == T_STR8 and W[y] == T_STR8:
            p = heap.alloc(T_STR8, n, string_words(n, False))
            x = R[sa] or NULLSTR                    # re-read: the allocation may collect
            y = R[sb] or NULLSTR
            q = (p << 3) + HB
            xo = (x << 3) + HB
            yo = (y << 3) + HB
            B[q:q + n1] = B[xo:xo + n1]
            B[q + n1:q + n] = B[yo:yo + n2]
            R[d] = p
        else:
            reserve(n * 4)
            R[d] = heap.new_str(heap.get_str(x) + heap.get_str(y))
        return nx
    return op


@factory("itos")
def f_itos(E, o, nx):
    here = o.index
    ctx, new_str = E.ctx, E.heap.new_str
    d = o.dst
    s, = o.src

    def op():
        ctx.pc = here          # may collect
        R = ctx.R
        R[d] = new_str(str(R[s]))
        return nx
    return op


@factory("ftos")
def f_ftos(E, o, nx):
    here = o.index
    ctx, new_str = E.ctx, E.heap.new_str
    d = o.dst
    s, = o.src

    def op():
        ctx.pc = here          # may collect
        R = ctx.R
        R[d] = new_str(repr(R[s]))
        return nx
    return op


@factory("ztos")
def f_ztos(E, o, nx):
    ctx = E.ctx
    T, F = E.strings.true, E.strings.false
    d = o.dst
    s, = o.src

    def op():
        R = ctx.R
        R[d] = T if R[s] else F
        return nx
    return op


@factory("stos")
def f_stos(E, o, nx):
    ctx = E.ctx
    NULLSTR = E.strings.null
    d = o.dst
    s, = o.src

    def op():
        R = ctx.R
        R[d] = R[s] or NULLSTR
        return nx
    return op


def make_str_eq(heap):
    W, B = heap.W, heap.B

    def str_eq(x: int, y: int) -> bool:
        if x == y:
            return True
        if not x or not y:
            return False
        n = W[x + LEN]
        if W[x] != W[y] or W[y + LEN] != n:
            return False
        if W[x] != T_STR8:
            n *= 4
        xo = (x << 3) + HB
        yo = (y << 3) + HB
        return B[xo:xo + n] == B[yo:yo + n]
    return str_eq


@factory("seq", "sne")
def f_seq(E, o, nx):
    ctx = E.ctx
    eq = make_str_eq(E.heap)
    d = o.dst
    a, b = o.src
    if o.kind == "seq":
        def op():
            R = ctx.R
            R[d] = eq(R[a], R[b])
            return nx
    else:
        def op():
            R = ctx.R
            R[d] = not eq(R[a], R[b])
            return nx
    return op


@factory("slt", "sle", "sgt", "sge")
def f_scmp(E, o, nx):
    import operator
    ctx, get, null = E.ctx, E.heap.get_str, E.errors.null_compare
    cmp = {"slt": operator.lt, "sle": operator.le, "sgt": operator.gt, "sge": operator.ge}[o.kind]
    d = o.dst
    a, b = o.src

    def op():
        R = ctx.R
        x = R[a]
        y = R[b]
        if not x or not y:
            null()
        R[d] = cmp(get(x), get(y))
        return nx
    return op


# --- superinstructions made at link time (see linker._fuse) -----------------------------
# `<cmp>_c`: a compare-and-branch whose true target is a loop back-edge: it
# counts the back-edge like `loop` does.  extra = (true index, false index, fid).

def _counting_branch(test):
    def make(E, o, nx):
        ctx, ctr, poll = E.ctx, E.ctr, E.poll
        a, b = o.src
        t, f, fid = o.extra
        return test(ctx, ctr, poll, a, b, t, f, fid)
    return make


def _c_lt(ctx, ctr, poll, a, b, t, f, fid):
    def op():
        R = ctx.R
        if R[a] < R[b]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _c_le(ctx, ctr, poll, a, b, t, f, fid):
    def op():
        R = ctx.R
        if R[a] <= R[b]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _c_gt(ctx, ctr, poll, a, b, t, f, fid):
    def op():
        R = ctx.R
        if R[a] > R[b]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _c_ge(ctx, ctr, poll, a, b, t, f, fid):
    def op():
        R = ctx.R
        if R[a] >= R[b]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _c_ne(ctx, ctr, poll, a, b, t, f, fid):
    def op():
        R = ctx.R
        if R[a] != R[b]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _c_eq(ctx, ctr, poll, a, b, t, f, fid):
    def op():
        R = ctx.R
        if R[a] == R[b]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


for _k, _f in (("lt", _c_lt), ("le", _c_le), ("gt", _c_gt), ("ge", _c_ge), ("ne", _c_ne), ("eq", _c_eq)):
    FACTORIES[f"br_{_k}_c"] = _counting_branch(_f)


@factory("br_c", "br_not_c")
def f_br_counting(E, o, nx):
    ctx, ctr, poll = E.ctx, E.ctr, E.poll
    c, = o.src
    t, f, fid = o.extra
    want = o.kind == "br_c"

    def op():
        if (not ctx.R[c]) is not want:
            n = ctr[fid] - 1
            ctr[fid] = n
            if n < 0:
                poll(fid)
            return t
        return f
    return op


# `iadd_<cmp>_c`: an int add followed by the counting compare-and-branch that is
# its next op (the loop step `i += k` and the loop test).  The branch op stays in
# place for the loop's first entry.  extra = (branch src, true, false, fid).

def _iadd_then(cmp):
    def make(E, o, nx):
        ctx, ctr, poll = E.ctx, E.ctr, E.poll
        d = o.dst
        a, b = o.src
        (x, y), t, f, fid = o.extra
        return cmp(ctx, ctr, poll, d, a, b, x, y, t, f, fid)
    return make


def _ia_lt(ctx, ctr, poll, d, a, b, x, y, t, f, fid):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        if R[x] < R[y]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _ia_le(ctx, ctr, poll, d, a, b, x, y, t, f, fid):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        if R[x] <= R[y]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _ia_gt(ctx, ctr, poll, d, a, b, x, y, t, f, fid):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        if R[x] > R[y]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _ia_ge(ctx, ctr, poll, d, a, b, x, y, t, f, fid):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        if R[x] >= R[y]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


def _ia_ne(ctx, ctr, poll, d, a, b, x, y, t, f, fid):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        R[d] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63
        if R[x] != R[y]:
            c = ctr[fid] - 1
            ctr[fid] = c
            if c < 0:
                poll(fid)
            return t
        return f
    return op


for _k, _f in (("lt", _ia_lt), ("le", _ia_le), ("gt", _ia_gt), ("ge", _ia_ge), ("ne", _ia_ne)):
    FACTORIES[f"iadd_{_k}_c"] = _iadd_then(_f)


# `<kind>_ret`: an op whose result is returned at once (`return a * b;`, getters).
# extra = the original extra; the op's dst is unused.

def _ret_binary(compute):
    def make(E, o, nx):
        ctx, frames = E.ctx, E.frames
        a, b = o.src
        return compute(ctx, frames, a, b)
    return make


def _r_iadd(ctx, frames, a, b):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        if not INT_MIN <= v <= INT_MAX:
            v = ((v + _S63) & _M64) - _S63
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


def _r_isub(ctx, frames, a, b):
    def op():
        R = ctx.R
        v = R[a] - R[b]
        if not INT_MIN <= v <= INT_MAX:
            v = ((v + _S63) & _M64) - _S63
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


def _r_fadd(ctx, frames, a, b):
    def op():
        R = ctx.R
        v = R[a] + R[b]
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


def _r_fsub(ctx, frames, a, b):
    def op():
        R = ctx.R
        v = R[a] - R[b]
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


def _r_fmul(ctx, frames, a, b):
    def op():
        R = ctx.R
        v = R[a] * R[b]
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


for _k, _f in (("iadd", _r_iadd), ("isub", _r_isub), ("fadd", _r_fadd), ("fsub", _r_fsub),
               ("fmul", _r_fmul)):
    FACTORIES[f"{_k}_ret"] = _ret_binary(_f)


@factory("getfield_w_ret", "getfield_d_ret")
def f_getfield_ret(E, o, nx):
    ctx, frames = E.ctx, E.frames
    s, = o.src
    off, name = o.extra
    null = E.errors.null_field
    M = E.heap.D if o.kind == "getfield_d_ret" else E.heap.W

    def op():
        r = ctx.R[s]
        if not r:
            null(name)
        v = M[r + off]
        R, pc, d = frames.pop()
        R[d] = v
        ctx.R = R
        return pc
    return op


# `run`: a straight-line run of ops fused into one closure (linker._fuse).
# extra = (pieces, fallbacks, next): `pieces` are the run's ops in order (the
# last may be a branch), `fallbacks[k]` the code index of piece k's own op,
# which stays in place.  Each piece is the exact body of its op.  Only piece
# 0 throws itself; when a later piece would throw, the run returns that
# piece's own op instead (the pieces before it done), so the error comes from
# the op with the right origin.  Runs are compiled once per shape (the kinds
# in order); registers and operands are bound as closure variables.

def _piece_move(k, o):
    return [f"R[d{k}] = R[s{k}]"], {f"d{k}": o.dst, f"s{k}": o.src[0]}


def _piece_fbin(sym):
    def piece(k, o):
        a, b = o.src
        return [f"R[d{k}] = R[a{k}] {sym} R[b{k}]"], {f"d{k}": o.dst, f"a{k}": a, f"b{k}": b}
    return piece


def _piece_ibin(sym):
    def piece(k, o):
        a, b = o.src
        return ([f"v = R[a{k}] {sym} R[b{k}]",
                 f"R[d{k}] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63"],
                {f"d{k}": o.dst, f"a{k}": a, f"b{k}": b})
    return piece


def _piece_getfield(mem, conv=""):
    def piece(k, o):
        off, name = o.extra
        return ([f"r = R[s{k}]", "if not r:", f"    @FAIL@ null(n{k})",
                 f"R[d{k}] = {mem}[r + o{k}]{conv}"],
                {f"d{k}": o.dst, f"s{k}": o.src[0], f"o{k}": off, f"n{k}": name})
    return piece


def _piece_putfield(mem):
    def piece(k, o):
        off, name = o.extra
        s, v = o.src
        return ([f"r = R[s{k}]", "if not r:", f"    @FAIL@ null(n{k})",
                 f"{mem}[r + o{k}] = R[v{k}]"],
                {f"s{k}": s, f"v{k}": v, f"o{k}": off, f"n{k}": name})
    return piece


def _elem(kind: str) -> str:
    return {"w": f"W[a + {HEADER_WORDS} + i]", "d": f"D[a + {HEADER_WORDS} + i]",
            "z": f"Z[(a << 3) + {HEADER_BYTES} + i]"}[kind[-1]]


def _piece_aload(k, o):
    sa, si = o.src
    return ([f"a = R[sa{k}]", f"i = R[si{k}]", f"if not 0 <= i < W[a + {LENGTH_WORD}]:", "    @FAIL@ bad(a, i)",
             f"R[d{k}] = {_elem(o.kind)}"], {f"d{k}": o.dst, f"sa{k}": sa, f"si{k}": si})


def _piece_astore(k, o):
    sa, si, sv = o.src
    return ([f"a = R[sa{k}]", f"i = R[si{k}]", f"if not 0 <= i < W[a + {LENGTH_WORD}]:", "    @FAIL@ bad(a, i)",
             f"{_elem(o.kind)} = R[sv{k}]"], {f"sa{k}": sa, f"si{k}": si, f"sv{k}": sv})


def _piece_fdiv(k, o):
    a, b = o.src
    return ([f"y = R[b{k}]", f"R[d{k}] = R[a{k}] / y if y else fdiv(R[a{k}], y)"],
            {f"d{k}": o.dst, f"a{k}": a, f"b{k}": b})


_CMP_SYM = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "ne": "!=", "eq": "=="}


def _count_lines(k):
    return [f"    c = ctr[fid{k}] - 1", f"    ctr[fid{k}] = c", "    if c < 0:", f"        poll(fid{k})"]


def _piece_br_c(k, o):
    a, b = o.src
    t, f, fid = o.extra
    sym = _CMP_SYM[o.kind.split("_")[1]]
    return ([f"if R[a{k}] {sym} R[b{k}]:", *_count_lines(k), f"    return t{k}", f"return f{k}"],
            {f"a{k}": a, f"b{k}": b, f"t{k}": t, f"f{k}": f, f"fid{k}": fid})


def _piece_iadd_c(k, o):
    a, b = o.src
    (x, y), t, f, fid = o.extra
    sym = _CMP_SYM[o.kind.split("_")[1]]
    return ([f"v = R[a{k}] + R[b{k}]",
             f"R[d{k}] = v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63",
             f"if R[x{k}] {sym} R[y{k}]:", *_count_lines(k), f"    return t{k}", f"return f{k}"],
            {f"d{k}": o.dst, f"a{k}": a, f"b{k}": b, f"x{k}": x, f"y{k}": y,
             f"t{k}": t, f"f{k}": f, f"fid{k}": fid})


def _piece_br(k, o):
    c, = o.src
    t, f = o.extra
    if o.kind == "br_not":
        t, f = f, t
    return [f"return t{k} if R[c{k}] else f{k}"], {f"c{k}": c, f"t{k}": t, f"f{k}": f}


# Kinds that may appear in a run (straight-line, no allocation, no call).
SEQ_PIECES = {
    "move": _piece_move,
    "fadd": _piece_fbin("+"), "fsub": _piece_fbin("-"), "fmul": _piece_fbin("*"),
    "fdiv": _piece_fdiv,
    "iadd": _piece_ibin("+"), "isub": _piece_ibin("-"),
    "getfield_d": _piece_getfield("D"), "getfield_w": _piece_getfield("W"),
    "getfield_z": _piece_getfield("W", " != 0"),
    "putfield_d": _piece_putfield("D"), "putfield_w": _piece_putfield("W"),
    "aload_w": _piece_aload, "aload_d": _piece_aload, "aload_z": _piece_aload,
    "astore_w": _piece_astore, "astore_d": _piece_astore, "astore_z": _piece_astore,
}
# Kinds that may end a run (they transfer control themselves).
SEQ_ENDS = {"br": _piece_br, "br_not": _piece_br,
            **{f"br_{c}_c": _piece_br_c for c in _CMP_SYM},
            **{f"iadd_{c}_c": _piece_iadd_c for c in ("lt", "le", "gt", "ge", "ne")}}

_run_makers: dict = {}


@factory("run")
def f_run(E, o, nx):
    pieces, fallbacks, nxt = o.extra
    lines, binds = [], {}
    for k, p in enumerate(pieces):
        body, b = (SEQ_PIECES.get(p.kind) or SEQ_ENDS[p.kind])(k, p)
        if k:
            b[f"fb{k}"] = fallbacks[k]
        for ln in body:
            if "@FAIL@" in ln:
                ln = ln.replace("@FAIL@ ", "") if k == 0 else ln[:ln.index("@FAIL@")] + f"return fb{k}"
            lines.append(ln)
        binds.update(b)
    if pieces[-1].kind not in SEQ_ENDS:
        lines.append("return nx")
        binds["nx"] = nxt
    names = sorted(binds)
    src = "\n".join(lines)
    maker = _run_makers.get((tuple(names), src))
    if maker is None:
        text = (f"def make(ctx, W, D, Z, null, bad, ctr, poll, {', '.join(names)}):\n"
                "    def op():\n        R = ctx.R\n"
                + "".join(f"        {ln}\n" for ln in lines)
                + "    return op\n")
        ns = {"INT_MIN": INT_MIN, "INT_MAX": INT_MAX, "_S63": _S63, "_M64": _M64, "fdiv": fdiv}
        exec(compile(text, "<run>", "exec"), ns)
        maker = _run_makers[(tuple(names), src)] = ns["make"]
    heap = E.heap
    return maker(E.ctx, heap.W, heap.D, heap.Z, E.errors.null_field, E.errors.bad_index, E.ctr, E.poll,
                 **binds)
