"""Type ids beyond classes: arrays by element type, function types, the
shapes of function values; interface method selectors; and the run-time
type test every tier's CAST, ISA and XASTORE mean.

One id space (docs/heap.md): the fixed ids of hllvm/layout.py below
FIRST_CLASS_ID, then ids handed out in order to classes and interfaces
(the linker asks `new_id`), to arrays of references by element descriptor
(`array`), to function types by signature (`fntype`) and to function-value
shapes by (function, number of bound values) (`shape`).  Each id has one
record (`Interpreter.TYPES[tid]`: `RtClass`, `RtArrayType`, `RtFnType`,
`RtFnShape`, hllvm/runtime.py) and one native record (hllvm/tables.py).

Every type also has a *type code*, the number records use to name it
(`code(desc)`): a box's type id for I/F/Z (an int in an erased slot is an
int box), T_STR8 for string (either string kind), T_ANY for R, and the
type id itself for classes, interfaces, arrays and function types.  So
"value v has type T" is one question over type ids (`fits`).

While the linker links a batch (`begin` … `commit` or `abort`), new ids
come from the batch and their records join the VM's tables only at
`commit`: nothing of a batch that fails to link stays visible.  Outside a
link (the host converting a list to `Point[]`) a new array type is
committed at once.

This module owns the ids, the records' creation and the per-type-id lists
of the interpreter they fill (`Interpreter.grow_types`); the class records
themselves are laid out by the linker.
"""

from __future__ import annotations

from hlbc import model as M
from hlbc.errors import LoadError

from .layout import (ARRAY_KIND, BOX_KIND, ELEMENT_CODE, HEADER_WORDS, STRING_TIDS, T_ANY,
                     T_SARR, T_STR8, field_offset)
from .runtime import RtArrayType, RtClass, RtFnShape, RtFnType, TypeRef
from .strings import text_hash

_M64 = (1 << 64) - 1


def _signed(v: int) -> int:
    v &= _M64
    return v - (1 << 64) if v >> 63 else v


def array_hash(seed: int, length: int) -> int:
    """VHASH of an array: its type's seed and its length (word 1 of an array
    is its length, read by every bounds check, so it has no room for an
    identity hash: arrays of one type and length hash alike)."""
    return _signed(seed * 31 + length)


class TypeIds:
    def __init__(self, vm) -> None:
        self.vm = vm
        self.interp = vm.interp
        self.arrays: dict[str, RtArrayType] = {}      # element descriptor → record
        self.fntypes: dict[str, RtFnType] = {}        # signature → record
        self.shapes: dict[tuple[int, int], RtFnShape] = {}   # (fid, k) → record
        self.selectors: dict[tuple[int, str], int] = {}   # (interface id, method) → selector
        self._assignable: dict[tuple[int, int], bool] = {}
        self._batch: dict | None = None             # class lookup of the batch being linked
        self._next = 0                               # next id of that batch
        self._pending: list = []                     # records of that batch, in id order
        self._pending_keys: list = []                # (dict, key) added by the batch
        interp = self.interp
        for elem, tid in ARRAY_KIND.items():
            rec = RtArrayType(tid, elem, ELEMENT_CODE[elem], text_hash("[" + elem))
            self.arrays[elem] = rec
            self._install(rec)
        interp.types_version += 1

    # --- a link ---------------------------------------------------------------------------
    def begin(self, class_by_name: dict) -> None:
        """The linker starts a batch: `class_by_name` ((module, name) → RtClass)
        covers the loaded classes and the batch's."""
        self._batch = class_by_name
        self._next = self.vm.next_class_id
        self._pending = []
        self._pending_keys = []

    def new_id(self) -> int:
        """The next type id (of the batch, during a link)."""
        if self._batch is None:
            tid = self.vm.next_class_id
            self.vm.interp.tables.check_ids(tid + 1)
            self.vm.next_class_id = tid + 1
            return tid
        tid = self._next
        self._next = tid + 1
        return tid

    def commit(self) -> int:
        """Make the batch's records visible (after the linker has filled the
        class tables); returns the next free id."""
        interp = self.interp
        interp.grow_types(self._next)
        for rec in self._pending:
            self._install(rec)
        interp.types_version += 1
        self.vm.next_class_id = self._next
        self._batch = None
        self._pending = []
        self._pending_keys = []
        return self._next

    def abort(self) -> None:
        """Forget the batch's records (its link failed)."""
        for table, key in self._pending_keys:
            table.pop(key, None)
        for rec in self._pending:
            if isinstance(rec, RtFnShape) and rec.canon:
                # Its permanent block stays; an empty string[] is what it now is.
                self.vm.heap.W[rec.canon] = T_SARR
        self._batch = None
        self._pending = []
        self._pending_keys = []

    def _added(self, table: dict, key, rec) -> None:
        table[key] = rec
        if self._batch is not None:
            self._pending.append(rec)
            self._pending_keys.append((table, key))
        else:
            self.interp.grow_types(rec.id + 1)
            self._install(rec)
            self.interp.types_version += 1

    # --- codes --------------------------------------------------------------------------
    def code(self, desc: str) -> int:
        """The type code of a descriptor (the module docstring)."""
        c = ELEMENT_CODE.get(desc)
        if c is not None:
            return c
        k = desc[:1]
        if k == "L":
            return self.class_named(desc).id
        if k == "[":
            return self.array(desc[1:]).id
        if k == "(":
            return self.fntype(desc).id
        raise LoadError(f"no type code for {desc!r}")

    def class_named(self, desc: str) -> RtClass:
        key = M.split_class_desc(desc)
        c = (self._batch if self._batch is not None else self.vm.classes).get(key)
        if c is None:
            raise LoadError(f"type {desc} names a class that is not loaded", where=key[0])
        return c

    def type_ref(self, desc: str) -> TypeRef:
        """A linked `type` constant (runtime.TypeRef)."""
        t = TypeRef(desc)
        t.code = self.code(desc) if desc != "V" else 0
        t._types = self
        t._array_tid = 0
        return t

    def array(self, elem: str) -> RtArrayType:
        """The array type with element descriptor `elem` (made on first use)."""
        rec = self.arrays.get(elem)
        if rec is not None:
            return rec
        # Innermost element type first, without recursion (`[[[[…` may nest deep).
        dims = len(elem) - len(elem.lstrip("["))
        code = self.code(elem[dims:])
        for d in range(dims, -1, -1):
            e = elem[d:]
            rec = self.arrays.get(e)
            if rec is None:
                rec = RtArrayType(self.new_id(), e, code, text_hash("[" + e))
                self._added(self.arrays, e, rec)
            code = rec.id
        return rec

    def array_tid(self, elem: str) -> int:
        return self.array(elem).id

    def fntype(self, sig: str) -> RtFnType:
        rec = self.fntypes.get(sig)
        if rec is None:
            rec = RtFnType(self.new_id(), sig)
            self._added(self.fntypes, sig, rec)
        return rec

    def shape(self, fn, k: int) -> RtFnShape:
        """The shape of function values of module function `fn` with its
        first `k` parameters bound."""
        key = (fn.fid, k)
        rec = self.shapes.get(key)
        if rec is None:
            params = fn.params
            rest = "(" + "".join(params[k:]) + ")" + fn.ret
            fntype = self.fntype(rest)
            refs = tuple(field_offset(i) for i, t in enumerate(params[:k]) if M.is_ref(t))
            rec = RtFnShape(self.new_id(), fn, k, fntype, refs)
            if k == 0:
                # One permanent value per function: CLOSURE f 0 is a constant.
                rec.canon = self.vm.heap.alloc_perm(rec.id, 0, HEADER_WORDS)
            self._added(self.shapes, key, rec)
        return rec

    def selector(self, iface_id: int, name: str) -> int:
        """The number of interface method `name` declared by interface
        `iface_id` (itables map selectors to vtable slots)."""
        key = (iface_id, name)
        s = self.selectors.get(key)
        if s is None:
            s = len(self.selectors) + 1
            self.selectors[key] = s
            if self._batch is not None:
                self._pending_keys.append((self.selectors, key))
        return s

    # --- the interpreter's tables -------------------------------------------------------
    def _install(self, rec) -> None:
        """Write a non-class record into the per-type-id lists and the native
        tables (classes: the linker, which lays them out)."""
        interp = self.interp
        tid = rec.id
        interp.TYPES[tid] = rec
        if isinstance(rec, RtArrayType):
            interp.AEL[tid] = rec.elem_code
            interp.REFS[tid] = None if rec.ref else ()
            interp.TOS[tid] = interp.strings.array
            interp.tables.add_array(rec)
        elif isinstance(rec, RtFnShape):
            interp.REFS[tid] = rec.refs
            interp.FNT[tid] = rec.fntype.id
            interp.TOS[tid] = interp.strings.fn
            interp.CLO[tid] = interp.fn_value_target(rec)
            interp.tables.add_shape(rec)
        elif isinstance(rec, RtFnType):
            interp.tables.add_fntype(rec)
        interp.TEST[tid] = self._test(rec)

    def class_installed(self, c: RtClass) -> None:
        """The linker has laid out class `c` in the tables: its type test."""
        interp = self.interp
        interp.TYPES[c.id] = c
        interp.REFS[c.id] = tuple(field_offset(s) for s, t in enumerate(c.field_types) if M.is_ref(t))
        interp.TEST[c.id] = self._test(c)

    # --- the run-time type test ------------------------------------------------------------
    def _test(self, rec):
        """fn(ref) → bool: a non-null reference is of the type whose code is
        `rec.id` (None for a shape: no value is "of" a shape)."""
        interp = self.interp
        W = self.vm.heap.W
        code = rec.id
        if isinstance(rec, RtClass):
            if rec.is_interface:
                IFS = interp.IFS
                return lambda r: code in IFS[W[r]]
            ANC = interp.ANC
            depth = rec.depth
            return lambda r: depth < len(a := ANC[W[r]]) and a[depth] == code
        if isinstance(rec, RtArrayType):
            ok = self.assignable
            return lambda r: W[r] == code or ok(W[r], code)
        if isinstance(rec, RtFnType):
            FNT = interp.FNT
            return lambda r: FNT[W[r]] == code
        return None

    def fixed_tests(self) -> None:
        """The tests of the codes that are not type ids of records."""
        TEST = self.interp.TEST
        W = self.vm.heap.W
        for c in BOX_KIND.values():
            TEST[c] = (lambda c: lambda r: W[r] == c)(c)
        TEST[T_STR8] = lambda r: W[r] in STRING_TIDS
        TEST[T_ANY] = lambda r: True

    def assignable(self, src: int, dst: int) -> bool:
        """An array of type id `src` is of the array type `dst`: the same
        type, or element types that fit (any element type to R, `[[I` to
        `[[R`...; arrays are otherwise invariant)."""
        key = (src, dst)
        v = self._assignable.get(key)
        if v is None:
            TYPES = self.interp.TYPES
            s = TYPES[src] if src < len(TYPES) else None
            d = TYPES[dst] if dst < len(TYPES) else None
            v = (src == dst or (isinstance(s, RtArrayType) and isinstance(d, RtArrayType)
                                and self._elements_fit(s.elem_code, d.elem_code)))
            self._assignable[key] = v
        return v

    def _elements_fit(self, se: int, de: int) -> bool:
        if se == de or de == T_ANY:
            return True
        return self.assignable(se, de)          # arrays of arrays (the others: False)

    def fits(self, ref: int, code: int) -> bool:
        """A non-null reference is of the type with this code."""
        return self.interp.TEST[code](ref)


__all__ = ["TypeIds", "array_hash"]
