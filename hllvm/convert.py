"""Values across the host boundary: Python values ↔ HL values, by type
descriptor.

| HL type (descriptor) | from Python | to Python |
| --- | --- | --- |
| `int` (`I`) | `int` (not `bool`) in the signed 64-bit range | `int` |
| `float` (`F`) | `float`, or an `int` (converted) | `float` |
| `bool` (`Z`) | `bool` | `bool` |
| `string` (`S`) | `str`, `None` for null | `str`, or `None` |
| `T[]` (`[T`) | a list or tuple of T's values, `None` for null | a new `list` |
| class `C` (`Lm.C;`) | a `Handle` to an instance of `C` or a subclass, from the same VM; `None` for null | a new `Handle` |
| interface `I` (`Lm.I;`) | a `Handle` to an instance of a class implementing `I`; `None` | a new `Handle` |
| erased (`R`) | `int`, `float`, `bool` (boxed), `str`, a `Handle` (an object or a function value), `None` | by what the value is: `int`/`float`/`bool` for a box, `str`, a `list` for an array, else a new `Handle` |
| function type (`(I)I`) | a `Handle` to an HL function value of exactly that type (from an HL result); `None` for null. A Python callable is refused (TypeError): an HL function value is made by HL code only | a new `Handle` (opaque: pass it back to HL) |

A mismatch raises `TypeError` (or `ValueError` for an int out of range) in
the host before any HL code runs.  Converters are built once per descriptor
and cached (`Converters.to_hl`, `Converters.to_python`).

Allocation discipline: a collection may run at any allocation, so a
reference that is not yet reachable from HL must be rooted across the next
allocation.  Arrays of references are allocated first, held in the handle
table while their elements are built, and read back from it after each
allocation; `convert_args` does the same for the arguments of a call.

This module does not decide which values a call takes (that is the
function's signature) and does not own the handle table (`handles.py`).
"""

from __future__ import annotations

from array import array

from .layout import (HEADER_WORDS as HW, LENGTH_WORD, STRING_TIDS, T_BOXF, T_BOXI, T_BOXZ, T_FARR, T_IARR,
                     T_ZARR, payload_byte)
from .runtime import source_name

INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
PRIMITIVE = frozenset("IFZ")


def _store_ints(heap, a, values):
    heap.W[a + HW:a + HW + len(values)] = memoryview(array("q", values))


def _store_floats(heap, a, values):
    heap.D[a + HW:a + HW + len(values)] = memoryview(array("d", values))


def _store_bools(heap, a, values):
    o = payload_byte(a)
    heap.Z[o:o + len(values)] = memoryview(bytes(values)).cast("?")


# Element stores of primitive arrays, by element descriptor (one copy each).
_STORE = {"I": _store_ints, "F": _store_floats, "Z": _store_bools}


def type_name(desc: str) -> str:
    """A descriptor as HL source spells it: `[I` → `int[]`."""
    return source_name(desc)


class Converters:
    """The converters of one VM, by descriptor."""

    def __init__(self, vm, handle_type) -> None:
        """`handle_type`: the class of host handles to HL objects (the
        embedding layer's `Handle`, passed in so that this module stays
        below it)."""
        self.vm = vm
        self.heap = vm.heap
        self.handle_type = handle_type
        self._to_hl: dict[str, object] = {}
        self._to_py: dict[str, object] = {}

    # --- Python → HL ------------------------------------------------------------------
    def to_hl(self, desc: str):
        """fn(python value) → HL value of type `desc`."""
        c = self._to_hl.get(desc)
        if c is None:
            c = self._to_hl[desc] = self._make_to_hl(desc)
        return c

    def _make_to_hl(self, desc: str):
        if desc == "I":
            def to_int(v):
                if type(v) is not int:
                    if isinstance(v, bool) or not isinstance(v, int):
                        raise TypeError(f"expected an int, got {_shown(v)}")
                    v = int(v)
                if not INT_MIN <= v <= INT_MAX:
                    raise ValueError(f"{v} is outside HL's 64-bit int range")
                return v
            return to_int
        if desc == "F":
            def to_float(v):
                if type(v) is float:
                    return v
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    raise TypeError(f"expected a float, got {_shown(v)}")
                return float(v)
            return to_float
        if desc == "Z":
            def to_bool(v):
                if v is True or v is False:
                    return v
                raise TypeError(f"expected a bool, got {_shown(v)}")
            return to_bool
        if desc == "S":
            return self._to_str
        if desc.startswith("["):
            return self._array_to_hl(desc[1:])
        if desc.startswith("L") and desc.endswith(";"):
            return self._object_to_hl(desc)
        if desc == "R":
            return self._erased_to_hl
        if desc.startswith("("):
            return self._fn_to_hl(desc)
        raise TypeError(f"cannot pass a Python value as {desc}")

    def _erased_to_hl(self, v):
        """A value for an erased (type parameter) slot: primitives boxed."""
        if v is None:
            return 0
        boxes = self.vm.boxes
        if v is True or v is False:
            return boxes.box_bool(v)
        if type(v) is int or (isinstance(v, int) and not isinstance(v, bool)):
            return boxes.box_int(self.to_hl("I")(v))
        if isinstance(v, float):
            return boxes.box_float(v)
        if isinstance(v, str):
            return self._to_str(v)
        if isinstance(v, self.handle_type):
            if v.vm is not self.vm:
                raise ValueError(f"{_shown(v)} belongs to another VM")
            return v.ref
        raise TypeError(f"expected an int, float, bool, str, handle or None for a generic value, got {_shown(v)}")

    def _fn_to_hl(self, desc: str):
        vm = self.vm
        name = source_name(desc)
        handle_type = self.handle_type

        def fn_value(v):
            if v is None:
                return 0
            if not isinstance(v, handle_type):
                what = "a Python callable" if callable(v) else _shown(v)
                raise TypeError(f"expected a handle to an HL {name} value (or None), got {what}: "
                                "function values are made by HL code")
            if v.vm is not vm:
                raise ValueError(f"{_shown(v)} belongs to another VM")
            rec = vm.types.fntypes.get(desc)
            if rec is None or vm.interp.FNT[vm.heap.W[v.ref]] != rec.id:
                raise TypeError(f"expected an HL {name} value, got a handle to {v.class_name}")
            return v.ref
        return fn_value

    def _to_str(self, v):
        if v is None:
            return 0
        if type(v) is not str:
            if not isinstance(v, str):
                raise TypeError(f"expected a str, got {_shown(v)}")
            v = str(v)
        self.vm.errors.reserve_chars(len(v))
        return self.heap.new_str(v)

    def _array_to_hl(self, elem: str):
        heap = self.heap
        tid = self.vm.types.array_tid(elem)
        conv = self.to_hl(elem)
        name = type_name("[" + elem)
        handles = self.vm.handles

        def items_of(v):
            if isinstance(v, (list, tuple)):
                return v
            raise TypeError(f"expected a list for {name}, got {_shown(v)}")

        if elem in PRIMITIVE:
            store = _STORE[elem]

            def prim_array(v):
                if v is None:
                    return 0
                values = [conv(x) for x in items_of(v)]
                a = heap.new_array(tid, len(values))
                if values:
                    store(heap, a, values)
                return a
            return prim_array

        def ref_array(v):
            if v is None:
                return 0
            items = items_of(v)
            n = len(items)
            a = heap.new_array(tid, n)
            if not n:
                return a
            hid = handles.add(a)           # rooted while the elements are made
            try:
                W = heap.W
                for i, x in enumerate(items):
                    r = conv(x)
                    W[handles.get(hid) + HW + i] = r
                return handles.get(hid)
            finally:
                handles.release(hid)
        return ref_array

    def _object_to_hl(self, desc: str):
        vm = self.vm
        qual = desc[1:-1]
        mod, _, cname = qual.rpartition(".")
        handle_type = self.handle_type

        def obj(v):
            if v is None:
                return 0
            if not isinstance(v, handle_type):
                raise TypeError(f"expected a handle to an HL {cname} (or None), got {_shown(v)}")
            if v.vm is not vm:
                raise ValueError(f"{_shown(v)} belongs to another VM")
            ref = v.ref
            want = vm.classes.get((mod, cname))
            if want is None or not vm.types.fits(ref, want.id):
                raise TypeError(f"expected an HL {cname}, got a handle to {v.class_name}")
            return ref
        return obj

    def convert_args_rooted(self, convs, refs, args) -> list:
        """Convert a call's arguments when several are references
        (`refs[i]`: parameter i is one): each reference made is rooted while
        later arguments allocate, and read back at the end."""
        handles = self.vm.handles
        held = []
        out = []
        try:
            for c, is_ref, a in zip(convs, refs, args):
                v = c(a)
                if is_ref and v:
                    hid = handles.add(v)
                    held.append((len(out), hid))
                out.append(v)
            for i, hid in held:
                out[i] = handles.get(hid)
            return out
        finally:
            for _i, hid in held:
                handles.release(hid)

    # --- HL → Python ------------------------------------------------------------------
    def to_python(self, desc: str):
        """fn(HL value of type `desc`) → Python value."""
        c = self._to_py.get(desc)
        if c is None:
            c = self._to_py[desc] = self._make_to_py(desc)
        return c

    def _make_to_py(self, desc: str):
        if desc in PRIMITIVE:
            return _same
        if desc == "V":
            return _none
        heap = self.heap
        if desc == "S":
            get = heap.get_str
            return lambda r: get(r) if r else None
        if desc.startswith("["):
            return self._array_to_py(desc[1:])
        if desc == "R":
            return self._erased_to_py
        return self._object_to_py

    def _array_to_py(self, elem: str):
        heap = self.heap
        conv = self.to_python(elem)

        def arr(a):
            if not a:
                return None
            W = heap.W
            tid = W[a]
            n = W[a + LENGTH_WORD]
            if tid == T_IARR:
                return W[a + HW:a + HW + n].tolist()
            if tid == T_FARR:
                return heap.D[a + HW:a + HW + n].tolist()
            if tid == T_ZARR:
                o = payload_byte(a)
                return heap.Z[o:o + n].tolist()
            if elem == "S":
                return str_items(heap, a)
            return [conv(r) for r in W[a + HW:a + HW + n].tolist()]
        return arr

    def _object_to_py(self, r):
        """An object or a function value: a new handle."""
        if not r:
            return None
        vm = self.vm
        rec = vm.interp.TYPES[vm.heap.W[r]]
        if getattr(rec, "kind", None) not in ("class", "closure"):   # (verified code never gets here)
            raise TypeError(f"an HL {vm.type_name(r)} cannot be handed out as an object")
        return self.handle_type(vm, vm.handles.add(r), rec.name)

    def _erased_to_py(self, r):
        """A value of an erased slot, by what it is at run time."""
        if not r:
            return None
        heap = self.heap
        tid = heap.W[r]
        if tid == T_BOXI:
            return heap.W[r + HW]
        if tid == T_BOXF:
            return heap.D[r + HW]
        if tid == T_BOXZ:
            return heap.W[r + HW] != 0
        if tid in STRING_TIDS:
            return heap.get_str(r)
        rec = self.vm.interp.TYPES[tid]
        if getattr(rec, "kind", None) == "array":
            return self.to_python(rec.desc)(r)
        return self._object_to_py(r)


def str_items(heap, a: int) -> list:
    """The Python strings of string[] `a` (null → None).  Elements that are
    the same heap string become the same Python string: a guest cannot turn
    an array of a million references to one string into a million copies
    in host memory."""
    n = heap.W[a + LENGTH_WORD]
    get = heap.get_str
    seen: dict[int, str] = {}
    out = []
    for r in heap.W[a + HW:a + HW + n]:        # not tolist(): no million ints at once
        s = seen.get(r)
        if s is None:
            s = seen[r] = None if r == 0 else get(r)
        out.append(s)
    return out


def _same(v):
    return v


def _none(_v):
    return None


def _shown(v) -> str:
    """A host value as an error message shows it: its repr, or its type's
    name when its repr fails or is long (a host object's __repr__ is host
    code and may raise)."""
    try:
        text = repr(v)
    except Exception:
        return f"a {type(v).__name__}"
    return text if len(text) <= 80 else f"a {type(v).__name__}"
