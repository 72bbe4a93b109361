"""The ops that enter other code: HL calls (direct, virtual, and the
implicit `to_string()` call of string conversion) and native calls.

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

from .kinds import hand


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


@hand("call", safepoint=True, may_throw=True, calls=True)
def f_call(E, o, nx):
    return _call_factory(E, o.src, o.dst, nx, o.extra)


@hand("callvirt", safepoint=True, may_throw=True, calls=True)
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


@hand("native", safepoint=True, may_throw=True)
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


@hand("tostr_obj", safepoint=True, may_throw=True, calls=True)
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
