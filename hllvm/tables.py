"""Native mirrors of the runtime tables: what compiled code reads about
functions and classes, as int64 words at fixed native addresses.

The interpreter dispatches through Python lists (`Interpreter.ENT`, `VT`,
`ANC`: a list item is read in half the time of a memoryview word), but
machine code cannot read a Python list.  So the linker, the one writer of
those lists, writes the same facts here too, and compiled code reads them
at an address that never changes:

    FUNCS[fid]              native code of function fid (its address), or
                            0 while the interpreter runs it
    CLASS_AT[type id]       word offset of the class's record in CLASSES
                            (0: no such class)
    CLASSES[at + ...]       the record of one class:
        REC_ID              its type id
        REC_DEPTH           d: its depth (0 for a root class)
        REC_NFIELDS         n: its field slots
        REC_NSLOTS          v: its vtable slots
        REC_TOSTR           its to_string()S vtable slot, or -1
        REC_ANCESTORS ..    d + 1 words: ancestor type ids, root first
        then n words        1 where field slot k holds a reference, else 0
        then v words        fid of the implementation in vtable slot k

Each table is one anonymous mapping reserved at its maximum size (pages
are committed only when written), so it never moves: a VM holds at most
MAX_FUNCTIONS functions, MAX_CLASSES classes and CLASS_WORDS words of class
records, and linking beyond that is a LoadError.  The offsets above are the
ABI: compiled code is written against these names.

This module owns the mappings and the record format; it does not decide
what a class is (the verifier's facts, laid out by the linker).
"""

from __future__ import annotations

import mmap

from hlbc.errors import LoadError
from hlbc.limits import CLASS_WORDS, MAX_CLASSES, MAX_FUNCTIONS   # the sizes (one owner)
from hlbc.model import is_ref

REC_ID, REC_DEPTH, REC_NFIELDS, REC_NSLOTS, REC_TOSTR, REC_ANCESTORS = range(6)


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

    # --- classes -------------------------------------------------------------------------
    def check_classes(self, next_id: int, new_classes) -> None:
        """Room for the records of `new_classes`, ids below `next_id`."""
        if next_id > MAX_CLASSES:
            raise LoadError(f"too many classes: a VM holds at most {MAX_CLASSES}")
        words = sum(REC_ANCESTORS + c.depth + 1 + c.nfields + len(c.vtable) for c in new_classes)
        if self.used + words > CLASS_WORDS:
            raise LoadError(f"class tables full: at most {CLASS_WORDS} words of class records")

    def add_class(self, c, tostr_slot: int) -> None:
        """Write the record of a laid-out class (checked for room first)."""
        W = self.classes.W
        at = self.used
        W[at + REC_ID] = c.id
        W[at + REC_DEPTH] = c.depth
        W[at + REC_NFIELDS] = c.nfields
        W[at + REC_NSLOTS] = len(c.vtable)
        W[at + REC_TOSTR] = tostr_slot
        k = at + REC_ANCESTORS
        for a in c.ancestors:
            W[k] = a
            k += 1
        for t in c.field_types:
            W[k] = 1 if is_ref(t) else 0
            k += 1
        for f in c.vtable:
            W[k] = f.fid
            k += 1
        self.used = k
        self.class_at.W[c.id] = at

    def record(self, type_id: int) -> dict | None:
        """The record of a type id, decoded (for tests and debugging)."""
        at = self.class_at.W[type_id]
        if not at:
            return None
        W = self.classes.W
        d, n, v = W[at + REC_DEPTH], W[at + REC_NFIELDS], W[at + REC_NSLOTS]
        k = at + REC_ANCESTORS
        anc = tuple(W[k:k + d + 1])
        refs = tuple(W[k + d + 1:k + d + 1 + n])
        vt = tuple(W[k + d + 1 + n:k + d + 1 + n + v])
        return {"id": W[at + REC_ID], "depth": d, "nfields": n, "tostr": W[at + REC_TOSTR],
                "ancestors": anc, "refs": refs, "vtable": vt}


__all__ = ["NativeTables", "MAX_FUNCTIONS", "MAX_CLASSES", "CLASS_WORDS", "REC_ID", "REC_DEPTH",
           "REC_NFIELDS", "REC_NSLOTS", "REC_TOSTR", "REC_ANCESTORS"]
