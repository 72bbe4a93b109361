"""Native mirrors of the runtime tables: what compiled code reads about
functions and classes, as int64 words at fixed native addresses.

The interpreter dispatches through Python lists (`Interpreter.ENT`, `VT`,
`ANC`: a list item is read in half the time of a memoryview word), but
machine code cannot read a Python list.  So the linker, the one writer of
those lists, writes the same facts here too, and compiled code reads them
at an address that never changes:

    FUNCS[fid]              native code of function fid (its address), or
                            0 while the interpreter runs it
    CLASS_AT[type id]       word offset of the type's record in CLASSES
                            (0: no record: strings, boxes, the VM's own ids)
    CLASSES[at + ...]       the record of one type id (docs/architecture.md):
        REC_ID              its type id
        REC_DEPTH           d: a class's depth (0 for a root class); -1 for
                            every other kind, so "an instance of C" tests
                            (depth >= C's depth) fail for them unread
        REC_NFIELDS         n: a class's field slots; a function-value
                            shape's bound values (k); else 0
        REC_NSLOTS          v: a class's vtable slots; else 0
        REC_TOSTR           a class's to_string()S vtable slot, or -1
        REC_KIND            KIND_CLASS, KIND_INTERFACE, KIND_ARRAY,
                            KIND_FNTYPE or KIND_SHAPE
        REC_ARG1            class: ni, interfaces it implements;
                            array: element type code (REC_ELEM);
                            shape: fid of its function (REC_FID)
        REC_ARG2            class: nt, its itable entries;
                            array: hash seed (REC_AHASH: VHASH of an array
                            is seed * 31 + length, wrapping);
                            shape: its function type's id (REC_FNTYPE)
        REC_ARG3            shape: the permanent block of a shape with k = 0
                            (REC_CANON: CLOSURE f 0 pushes it), else 0
        REC_ANCESTORS ..    d + 1 words: a class's ancestor type ids, root
                            first (none for the other kinds: d = -1)
        then n words        1 where field slot (a shape: bound value) k holds
                            a reference, else 0
        then v words        fid of the implementation in vtable slot k
        then ni words       (a class) the ids of every interface it
                            implements, ascending
        then 2 nt words     (a class) itable: (method selector, vtable slot)
                            pairs, ascending by selector

An element or type *code* names a type by number: a box's type id for
int/float/bool (T_BOXI, T_BOXF, T_BOXZ), T_STR8 for string, T_ANY for R,
else the type id of the class, interface, array or function type
(hllvm/typeids.py).  A method selector numbers an interface method
(declaring interface, name); CALLIFACE finds the receiver's vtable slot for
its selector in the receiver class's itable.

This module owns the mappings and the record format; it does not decide
what a class is (the verifier's facts, laid out by the linker).
"""

from __future__ import annotations

import mmap

from hlbc.errors import LoadError
from hlbc.limits import CLASS_WORDS, MAX_CLASSES, MAX_FUNCTIONS   # the sizes (one owner)
from hlbc.model import is_ref

(REC_ID, REC_DEPTH, REC_NFIELDS, REC_NSLOTS, REC_TOSTR, REC_KIND, REC_ARG1, REC_ARG2, REC_ARG3,
 REC_ANCESTORS) = range(10)
REC_NIFACES = REC_ELEM = REC_FID = REC_ARG1
REC_NITABLE = REC_AHASH = REC_FNTYPE = REC_ARG2
REC_CANON = REC_ARG3
KIND_CLASS, KIND_INTERFACE, KIND_ARRAY, KIND_FNTYPE, KIND_SHAPE = range(1, 6)


class _Words:
    """A reserved, zero-filled, never-moving array of int64 words."""
    __slots__ = ("_buf", "W", "capacity")

    def __init__(self, capacity: int) -> None:
        self._buf = mmap.mmap(-1, capacity * 8)
        self.W = memoryview(self._buf).cast("q")
        self.capacity = capacity

    @property
    def address(self) -> int:
        import ctypes                     # only when native code asks
        return ctypes.addressof(ctypes.c_char.from_buffer(self._buf))


class NativeTables:
    __slots__ = ("funcs", "class_at", "classes", "used")

    def __init__(self) -> None:
        self.funcs = _Words(MAX_FUNCTIONS)
        self.class_at = _Words(MAX_CLASSES)
        self.classes = _Words(CLASS_WORDS)
        self.used = 1                   # record offset 0 means "no class"

    # --- functions ----------------------------------------------------------------------
    def check_functions(self, count: int) -> None:
        if count > MAX_FUNCTIONS:
            raise LoadError(f"too many functions: a VM holds at most {MAX_FUNCTIONS}")

    def set_native(self, fid: int, address: int) -> None:
        """Function `fid` now runs the native code at `address` (0: the interpreter)."""
        self.funcs.W[fid] = address

    def native(self, fid: int) -> int:
        return self.funcs.W[fid]

    # --- classes ------------------------------------------------------------------------
    def check_ids(self, next_id: int) -> None:
        if next_id > MAX_CLASSES:
            raise LoadError(f"too many types: a VM holds at most {MAX_CLASSES} type ids")

    def check_classes(self, next_id: int, new_classes) -> None:
        """Room for the records of `new_classes`, ids below `next_id`."""
        self.check_ids(next_id)
        words = sum(REC_ANCESTORS + c.depth + 1 + c.nfields + len(c.vtable) + len(c.implements)
                    + 2 * len(c.itable) for c in new_classes)
        if self.used + words > CLASS_WORDS:
            raise LoadError(f"class tables full: at most {CLASS_WORDS} words of class records")

    def _start(self, tid: int, kind: int, words: int) -> int:
        """A record of `words` words for type id `tid`: its offset, with the
        common header words set for a kind that is not a class."""
        at = self.used
        if at + words > CLASS_WORDS:
            raise LoadError(f"class tables full: at most {CLASS_WORDS} words of class records")
        W = self.classes.W
        W[at + REC_ID] = tid
        W[at + REC_DEPTH] = -1
        W[at + REC_NFIELDS] = 0
        W[at + REC_NSLOTS] = 0
        W[at + REC_TOSTR] = -1
        W[at + REC_KIND] = kind
        W[at + REC_ARG1] = W[at + REC_ARG2] = W[at + REC_ARG3] = 0
        self.used = at + words
        return at

    def add_class(self, c, tostr_slot: int) -> None:
        """Write the record of a laid-out class or interface (checked for room first)."""
        W = self.classes.W
        at = self.used
        W[at + REC_ID] = c.id
        W[at + REC_DEPTH] = c.depth if not c.is_interface else -1
        W[at + REC_NFIELDS] = c.nfields
        W[at + REC_NSLOTS] = len(c.vtable)
        W[at + REC_TOSTR] = tostr_slot
        W[at + REC_KIND] = KIND_INTERFACE if c.is_interface else KIND_CLASS
        ifaces = sorted(c.implements) if not c.is_interface else []
        itable = sorted(c.itable.items())
        W[at + REC_NIFACES] = len(ifaces)
        W[at + REC_NITABLE] = len(itable)
        W[at + REC_ARG3] = 0
        k = at + REC_ANCESTORS
        for a in (c.ancestors if not c.is_interface else ()):
            W[k] = a
            k += 1
        for t in c.field_types:
            W[k] = 1 if is_ref(t) else 0
            k += 1
        for f in c.vtable:
            W[k] = f.fid
            k += 1
        for i in ifaces:
            W[k] = i
            k += 1
        for sel, slot in itable:
            W[k] = sel
            W[k + 1] = slot
            k += 2
        self.used = k
        self.class_at.W[c.id] = at

    def add_array(self, a) -> None:
        """The record of an array type (runtime.RtArrayType)."""
        at = self._start(a.id, KIND_ARRAY, REC_ANCESTORS)
        W = self.classes.W
        W[at + REC_ELEM] = a.elem_code
        W[at + REC_AHASH] = a.hash_seed
        self.class_at.W[a.id] = at

    def add_fntype(self, t) -> None:
        """The record of a function type (runtime.RtFnType)."""
        at = self._start(t.id, KIND_FNTYPE, REC_ANCESTORS)
        self.class_at.W[t.id] = at

    def add_shape(self, s) -> None:
        """The record of a function-value shape (runtime.RtFnShape)."""
        at = self._start(s.id, KIND_SHAPE, REC_ANCESTORS + s.k)
        W = self.classes.W
        W[at + REC_NFIELDS] = s.k
        W[at + REC_FID] = s.fn.fid
        W[at + REC_FNTYPE] = s.fntype.id
        W[at + REC_CANON] = s.canon
        for i, t in enumerate(s.bound):
            W[at + REC_ANCESTORS + i] = 1 if is_ref(t) else 0
        self.class_at.W[s.id] = at

    def record(self, type_id: int) -> dict | None:
        """The record of a type id, decoded (for tests and debugging)."""
        at = self.class_at.W[type_id]
        if not at:
            return None
        W = self.classes.W
        d, n, v = W[at + REC_DEPTH], W[at + REC_NFIELDS], W[at + REC_NSLOTS]
        kind = W[at + REC_KIND]
        k = at + REC_ANCESTORS
        anc = tuple(W[k:k + d + 1])
        refs = tuple(W[k + d + 1:k + d + 1 + n])
        k += d + 1 + n
        vt = tuple(W[k:k + v])
        k += v
        out = {"id": W[at + REC_ID], "kind": kind, "depth": d, "nfields": n, "tostr": W[at + REC_TOSTR],
               "ancestors": anc, "refs": refs, "vtable": vt}
        if kind == KIND_CLASS:
            ni, nt = W[at + REC_NIFACES], W[at + REC_NITABLE]
            out["interfaces"] = tuple(W[k:k + ni])
            k += ni
            out["itable"] = tuple((W[k + 2 * j], W[k + 2 * j + 1]) for j in range(nt))
        elif kind == KIND_ARRAY:
            out["elem"] = W[at + REC_ELEM]
            out["hash_seed"] = W[at + REC_AHASH]
        elif kind == KIND_SHAPE:
            out["fid"] = W[at + REC_FID]
            out["fntype"] = W[at + REC_FNTYPE]
            out["canon"] = W[at + REC_CANON]
        return out


__all__ = ["NativeTables", "MAX_FUNCTIONS", "MAX_CLASSES", "CLASS_WORDS", "REC_ID", "REC_DEPTH",
           "REC_NFIELDS", "REC_NSLOTS", "REC_TOSTR", "REC_KIND", "REC_ARG1", "REC_ARG2", "REC_ARG3",
           "REC_ANCESTORS", "REC_NIFACES", "REC_ELEM", "REC_FID", "REC_NITABLE", "REC_AHASH", "REC_FNTYPE",
           "REC_CANON", "KIND_CLASS", "KIND_INTERFACE", "KIND_ARRAY", "KIND_FNTYPE", "KIND_SHAPE"]
