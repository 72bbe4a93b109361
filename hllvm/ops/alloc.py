"""The ops that allocate on the heap: objects, arrays, array copies, the
string results of `s[i]`, `+` and int/float conversion, boxes (BOXI,
BOXF, and XALOAD of a primitive element) and function values (CLOSURE).

Each may collect, and the collector may move the blocks it reads, so each
records where it is (`ctx.pc = here`, Lua's `savepc`) before allocating and
reads its operand registers again after the allocation (the collector
updates registers, not Python locals).  The layout's offsets come from
hllvm/layout.py.

It owns these factories; their rows (flags) are the kind table's, made by
`@hand` (kinds.py)."""

from __future__ import annotations

from ..layout import (HEADER_BYTES, HEADER_WORDS, LENGTH_WORD, T_FARR, T_IARR, T_STR8, T_ZARR, instance_words,
                      payload_words, string_words)
from .kinds import hand

# The layout's offsets under short names, for the ops' hot expressions.
HW = HEADER_WORDS               # first payload word of a block, from its address
HB = HEADER_BYTES               # first payload byte, from its address * 8
HU = HEADER_WORDS * 2           # first payload uint32, from its address * 2
LEN = LENGTH_WORD               # the length word


@hand("new", safepoint=True, may_throw=True)
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

@hand("newarray", safepoint=True, may_throw=True)
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

@hand("acopy", safepoint=True, may_throw=True)
def f_acopy(E, o, nx):
    here = o.index
    ctx, heap, null = E.ctx, E.heap, E.errors.null_copy
    W = heap.W
    d = o.dst
    s, = o.src

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

@hand("sindex", safepoint=True, may_throw=True)
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


@hand("concat", safepoint=True, may_throw=True)
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


def _number_to_string(text):
    def make(E, o, nx):
        here = o.index
        ctx, new_str = E.ctx, E.heap.new_str
        d = o.dst
        s, = o.src

        def op():
            ctx.pc = here          # may collect
            R = ctx.R
            R[d] = new_str(text(R[s]))
            return nx
        return op
    return make


# An int prints as Python's str(); a float as repr() (shortest round trip).
hand("itos", safepoint=True, may_throw=True)(_number_to_string(str))
hand("ftos", safepoint=True, may_throw=True)(_number_to_string(repr))


# --- Part B: boxes and function values ------------------------------------------------------

def _boxing(which):
    def make(E, o, nx):
        here = o.index
        ctx = E.ctx
        box = getattr(E.vm.boxes, which)
        d = o.dst
        s, = o.src

        def op():
            ctx.pc = here          # may collect
            R = ctx.R
            R[d] = box(R[s])
            return nx
        return op
    return make


hand("box_i", safepoint=True, may_throw=True)(_boxing("box_int"))
hand("box_f", safepoint=True, may_throw=True)(_boxing("box_float"))


@hand("xaload", safepoint=True, may_throw=True)
def f_xaload(E, o, nx):
    """a[i] of an array of any kind: int, float and bool elements boxed."""
    here = o.index
    ctx, heap, bad = E.ctx, E.heap, E.errors.bad_index
    W, D, Z = heap.W, heap.D, heap.Z
    boxes = E.vm.boxes
    box_int, box_float, TBOX, FBOX = boxes.box_int, boxes.box_float, boxes.true, boxes.false
    d = o.dst
    sa, si = o.src

    def op():
        R = ctx.R
        arr = R[sa]
        i = R[si]
        if not 0 <= i < W[arr + LEN]:
            bad(arr, i)
        t = W[arr]
        if t > T_ZARR:             # every array of references (the others are 3, 4, 5)
            R[d] = W[arr + HW + i]
        elif t == T_IARR:
            ctx.pc = here          # may collect
            R[d] = box_int(W[arr + HW + i])
        elif t == T_FARR:
            ctx.pc = here
            R[d] = box_float(D[arr + HW + i])
        else:
            R[d] = TBOX if Z[(arr << 3) + HB + i] else FBOX
        return nx
    return op


@hand("closure", safepoint=True, may_throw=True)
def f_closure(E, o, nx):
    """A function value with k >= 1 bound values (k = 0 is a constant: the
    shape's permanent block).  extra = the shape (runtime.RtFnShape); the
    bound values are read from their registers after the allocation (which
    may move the references among them)."""
    here = o.index
    ctx, alloc = E.ctx, E.heap.alloc
    W, D = E.heap.W, E.heap.D
    shape = o.extra
    tid, k = shape.id, shape.k
    size = HW + k
    words = tuple((HW + i, s) for i, (s, t) in enumerate(zip(o.src, shape.bound)) if t != "F")
    floats = tuple((HW + i, s) for i, (s, t) in enumerate(zip(o.src, shape.bound)) if t == "F")
    d = o.dst

    def op():
        ctx.pc = here              # may collect
        p = alloc(tid, k, size)
        R = ctx.R
        for off, s in words:
            W[p + off] = R[s]
        for off, s in floats:
            D[p + off] = R[s]
        R[d] = p
        return nx
    return op
