"""What compiled code asks the VM to do in Python: the helper function.

Compiled code calls one function, `helper(code, a, b, c) -> word`, through
the HELPER address of the run state, for the work that needs the heap's
allocator or a Python function: allocating objects and arrays, making and
comparing strings, calling natives.  Arguments and the result are words
(ints, bools as 0/1, floats as their bits, references).  A helper may
collect: compiled code keeps its references in its shadow frame, and a
helper that holds a reference across an allocation holds it in
`heap.temps`, as the interpreter's own ops do.

How a helper ends, in the run state's FAIL word:

    0     done: the result is the word returned
    REDO  it did not do the work (an error the interpreter must raise: a
          null, an index out of range, no room after a collection) — the
          frame is handed back before the instruction, which the
          interpreter runs again; or a native raised an HL error after
          running (`Jit.pending_throw`), which the interpreter throws there
    STOP  a limit or the host stopped the call while it ran (`Jit.pending`)

Each helper is one function of `make(jit)`'s table, by code; the codes are
the ABI between irgen.py and this module.  It does not decide which
instructions use helpers (irgen.py).
"""

from __future__ import annotations

import struct

from ..errors import HLThrow
from ..layout import (HEADER_WORDS, LENGTH_WORD, T_ANY, T_BOXF, T_BOXI, T_BOXZ, T_FARR, T_FILLER, T_IARR, T_STR8,
                      T_ZARR, instance_words, payload_words)
from ..state import FAIL, TLAB_END, TLAB_TOP
from ..strings import equality

(NEW, NEWARRAY, CONCAT, ITOS, FTOS, ZTOS, STOS, SEQ, SNE, SLT, SLE, SGT, SGE, SINDEX, ACOPY, TOSTR,
 NATIVE, COMPILE, ALLOC, ISA, XALOAD, XASTORE, IFACE, FNENTRY, FNNATIVE, SMALLBOX) = range(1, 27)
REDO, STOP = 1, 2
RAN = (NATIVE, FNNATIVE)    # helpers whose HL error is thrown at their call, not redone there
# Words of compiled code's allocation window: a refill is a callback
# (some 3 µs), so a window holds thousands of small objects; what is left
# of it when a collection comes is a filler, freed by that collection.
WINDOW = 16384
MIN_WINDOW = 16         # the smallest window worth a refill

_D = struct.Struct("<d")
_Q = struct.Struct("<q")


def bits(x: float) -> int:
    return _Q.unpack(_D.pack(x))[0]


def unbits(w: int) -> float:
    return _D.unpack(_Q.pack(w))[0]


class _Redo(Exception):
    """The helper did not do the work: the interpreter runs the instruction."""


# An array of primitives' type id → the box its elements come from.
_UNBOX = {T_IARR: T_BOXI, T_FARR: T_BOXF, T_ZARR: T_BOXZ}

# A native's raw HL value from a word, and back, by the kind of its type.
_FROM_WORD = {"I": int, "Z": bool, "F": unbits, "R": int}


def _to_word(v) -> int:
    if v is None or v is False:
        return 0
    if v is True:
        return 1
    if v.__class__ is float:
        return bits(v)
    return v


def make(jit):
    """The helper function of `jit`'s VM (a Python callable over words)."""
    vm = jit.vm
    interp, heap = vm.interp, vm.heap
    W, B, U = heap.W, heap.B, heap.U
    S = vm.state.W
    strings = vm.strings
    NULLSTR, TRUE, FALSE, chars = strings.null, strings.true, strings.false, strings.chars
    str_eq = equality(heap)
    plain_text = interp.plain_text
    fits = vm.types.fits
    boxes, AEL = vm.boxes, interp.AEL
    get_str, new_str, temps = heap.get_str, heap.new_str, heap.temps
    args_of = jit.args_view

    def new(cid, _b, _c):
        cls = interp.CLS[cid]
        p = heap.alloc(cid, cls.nfields, instance_words(cls.nfields))
        refill()                                 # the window was full: a new one
        return p

    def refill():
        """Give compiled code a new allocation window: up to WINDOW words of
        the heap's current run (a filler until it is sealed), the end of a
        run included, taken only where no collection is due — it never
        makes a collection happen or an OutOfMemoryError be thrown, and
        under GC stress (every allocation collects) there is none."""
        seal()
        w, size = heap.take_window(WINDOW, MIN_WINDOW)
        if w >= 0:
            S[TLAB_TOP] = w
            S[TLAB_END] = w + size - HEADER_WORDS   # room for the seal's filler header

    def seal():
        """Before a collection walks the heap, and before a new window: what
        is left of the window becomes a filler block, and it is closed."""
        top, end = S[TLAB_TOP], S[TLAB_END]
        if end:
            W[top] = T_FILLER
            W[top + LENGTH_WORD] = end - top
            S[TLAB_TOP] = S[TLAB_END] = 0
    vm.collector.before_collect.append(seal)

    def newarray(tid, n, _c):
        return heap.new_array(tid, n)

    def concat(x, y, _c):
        x, y = x or NULLSTR, y or NULLSTR
        if not W[x + LENGTH_WORD]:
            return y
        if not W[y + LENGTH_WORD]:
            return x
        text = get_str(x) + get_str(y)
        vm.errors.reserve_chars(len(text) * 4)
        return new_str(text)

    def compare(op):
        def cmp(x, y, _c):
            if not x or not y:
                raise _Redo
            return op(get_str(x), get_str(y))
        return cmp

    def sindex(s, i, _c):
        if not s or not 0 <= i < W[s + LENGTH_WORD]:
            raise _Redo
        if W[s] == T_STR8:
            return chars[B[((s + HEADER_WORDS) << 3) + i]]
        c = U[((s + HEADER_WORDS) << 1) + i]
        return chars[c] if c < 256 else new_str(chr(c))

    def acopy(a, _b, _c):
        if not a:
            raise _Redo
        tid, n = W[a], W[a + LENGTH_WORD]
        words = payload_words(tid, n)
        depth = len(temps)
        temps.append(a)
        try:
            p = heap.alloc(tid, n, HEADER_WORDS + words)
            a = temps[-1]                        # the allocation may have moved it
        finally:
            del temps[depth:]
        W[p + HEADER_WORDS:p + HEADER_WORDS + words] = W[a + HEADER_WORDS:a + HEADER_WORDS + words]
        return p

    def tostr(r, _b, _c):
        if not r:
            return NULLSTR
        t = plain_text(r)
        if t is None:                            # it has a to_string(): compiled code calls it
            raise _Redo
        return t

    def alloc(tid, length, nwords):
        """A block of any kind whose payload compiled code fills at once
        (a box, a function value): the window was full."""
        p = heap.alloc(tid, length, nwords)
        refill()
        return p

    def isa(r, code, _c):
        """Non-null `r` is of the type with this code (typeids.py)."""
        return r != 0 and fits(r, code)

    def xaload(a, i, _c):
        """XALOAD as the interpreter's op does it (an element boxed where
        compiled code had no room for the box)."""
        if not 0 <= i < W[a + LENGTH_WORD]:
            raise _Redo
        t = W[a]
        if t == T_IARR:
            return boxes.box_int(W[a + HEADER_WORDS + i])
        if t == T_FARR:
            return boxes.box_float(heap.D[a + HEADER_WORDS + i])
        if t == T_ZARR:
            return boxes.true if heap.Z[((a + HEADER_WORDS) << 3) + i] else boxes.false
        return W[a + HEADER_WORDS + i]

    def xastore(a, i, v):
        """XASTORE as the interpreter's op does it; what it would throw for
        is redone there."""
        if not 0 <= i < W[a + LENGTH_WORD]:
            raise _Redo
        t = W[a]
        box = _UNBOX.get(t)
        if box is not None:
            if W[v] != box:
                raise _Redo
            if t == T_ZARR:
                heap.Z[((a + HEADER_WORDS) << 3) + i] = W[v + HEADER_WORDS] != 0
            else:
                W[a + HEADER_WORDS + i] = W[v + HEADER_WORDS]     # (a float's bits as they are)
            return 0
        e = AEL[t]
        if v and e != T_ANY and W[v] != e and not fits(v, e):
            raise _Redo
        W[a + HEADER_WORDS + i] = v
        return 0

    def iface(tid, code, _c):
        """The fid class `tid` runs for interface method `code`: its itable."""
        m = jit.methods_asked[code]
        c = interp.CLS[tid]
        return c.vtable[c.itable[m.cls.imethods[m.name][0]]].fid

    def fn_entry(tid, _b, _c):
        """The adapter of function-value shape `tid` (its function compiled
        first; tier.py `Jit.adapter`), or 0 if it cannot be made."""
        return jit.adapter(interp.TYPES[tid])

    def native(fid, code, n):
        binding = jit.native_binding(fid, code)
        words = args_of[:n].tolist()
        kinds = jit.param_kinds(binding)
        return _to_word(binding.call(*[_FROM_WORD[k](w) for k, w in zip(kinds, words)]))

    def fn_native(f, n, _c):
        """Call the native function value `f` (a block of a native's shape):
        its bound words, then the n arguments in the argument buffer."""
        shape = interp.TYPES[W[f]]
        binding = shape.fn.native
        k = shape.k
        words = W[f + HEADER_WORDS:f + HEADER_WORDS + k].tolist() + args_of[:n].tolist()
        kinds = jit.param_kinds(binding)
        return _to_word(binding.call(*[_FROM_WORD[kk](w) for kk, w in zip(kinds, words)]))

    def compile_now(fid, _b, _c):
        """A compiled caller found `fid` not compiled: compile it now; its
        native address, or 0 if it stays interpreted."""
        jit.compile(interp.functions[fid])
        return vm.interp.tables.native(fid)

    table = {
        NEW: new, NEWARRAY: newarray, CONCAT: concat,
        ITOS: lambda v, _b, _c: new_str(str(v)),
        FTOS: lambda v, _b, _c: new_str(repr(unbits(v))),
        ZTOS: lambda v, _b, _c: TRUE if v else FALSE,
        STOS: lambda v, _b, _c: v or NULLSTR,
        SEQ: lambda x, y, _c: str_eq(x, y), SNE: lambda x, y, _c: not str_eq(x, y),
        SLT: compare(lambda a, b: a < b), SLE: compare(lambda a, b: a <= b),
        SGT: compare(lambda a, b: a > b), SGE: compare(lambda a, b: a >= b),
        SINDEX: sindex, ACOPY: acopy, TOSTR: tostr, NATIVE: native, COMPILE: compile_now,
        ALLOC: alloc, ISA: isa, XALOAD: xaload, XASTORE: xastore, IFACE: iface, FNENTRY: fn_entry,
        FNNATIVE: fn_native,
        SMALLBOX: lambda v, _b, _c: boxes.box_int(v),    # makes the shared box of a small int
    }

    def helper(code: int, a: int, b: int, c: int) -> int:
        try:
            r = _to_word(table[code](a, b, c))
            if S[TLAB_END] - S[TLAB_TOP] < WINDOW // 16:
                # Closed by a collection, or too full for what compiled code
                # asked (a string): a new one, so its allocations are inline
                # again (what is left, under a sixteenth, is a filler).
                refill()
            return r
        except _Redo:
            S[FAIL] = REDO
        except HLThrow as t:
            if code in RAN:                      # it ran: throw its error where it was called
                jit.pending_throw = t
            S[FAIL] = REDO
        except MemoryError as e:
            if code in RAN:
                jit.pending_throw = e
            S[FAIL] = REDO
        except BaseException as e:               # a stop, Ctrl-C, or a fault: raised by the entry op
            jit.pending = e
            S[FAIL] = STOP
        return 0
    return helper


__all__ = ["make", "bits", "unbits", "REDO", "STOP", "NEW", "NEWARRAY", "CONCAT", "ITOS", "FTOS", "ZTOS",
           "STOS", "SEQ", "SNE", "SLT", "SLE", "SGT", "SGE", "SINDEX", "ACOPY", "TOSTR", "NATIVE", "COMPILE",
           "ALLOC", "ISA", "XALOAD", "XASTORE", "IFACE", "FNENTRY", "FNNATIVE", "SMALLBOX"]
