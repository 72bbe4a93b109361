"""The linker: module descriptors → runtime classes, functions, globals and code.

`Linker.link(descs)` takes modules in initialisation order and, for the whole
batch, checks the imports, builds `RtClass`es (ids, field layout = the
superclass's fields then its own, vtables checked against the superclass's,
ancestor displays for O(1) subclass tests), `RtFunction`s (natives bound by
name with their signature checked), global slots, and resolves constants on
demand (classes by (module, name), fields to slots, methods to vtable slots or
implementations, functions, globals, natives, strings interned in the heap).
Then every function is lowered (lower.py) and its ops become closures in the
interpreter's code list (ops.py).

Before building anything, the batch is verified (hllvm/verify) against the
modules already loaded: `VerifyError` for code or declarations that do not
type-check.  The verifier's stack maps are attached to each `RtFunction`.
Anything unresolved or inconsistent raises `LoadError` naming the module (and
function); nothing of a failed batch becomes visible to the VM.  The linker
does not check types itself and does not run code.
"""

from __future__ import annotations

import re

from hlbc import model as M
from hlbc.errors import LoadError

from .layout import FIRST_CLASS_ID, T_GLOBALS, block_words
from .lower import Lowering
from .ops import FACTORIES, SEQ_ENDS, SEQ_PIECES, Op
from .runtime import RtClass, RtFunction, RtModule
from .verify import verify_modules

_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1
_MAIN_SIGS = ("()V", "()I", "([S)V", "([S)I")
_CALL_KINDS = {"call", "callvirt", "tostr_obj"}
_CLASS_IN_DESC = re.compile(r"L([^;]+);")


class MethodRef:
    """A resolved method constant: the class named, the vtable slot (for
    CALLVIRT) and the implementation that class sees (for CALLSPECIAL)."""
    __slots__ = ("cls", "name", "signature", "params", "ret", "vslot", "special")

    def __init__(self, cls, name, signature, vslot, special):
        self.cls = cls
        self.name = name
        self.signature = signature
        self.params, self.ret = M.parse_signature(signature)
        self.vslot = vslot
        self.special = special


class Linker:
    def __init__(self, vm) -> None:
        self.vm = vm
        self.interp = vm.interp

    # --- entry point -------------------------------------------------------------
    def link(self, descs: list[M.ModuleDesc]) -> list[RtModule]:
        vm = self.vm
        self.batch: dict[str, RtModule] = {}
        for d in descs:
            if not isinstance(d, M.ModuleDesc):
                raise LoadError(f"not a module descriptor: {type(d).__name__}")
            if d.name in vm.modules or d.name in self.batch:
                raise LoadError(f"module {d.name} is loaded twice", where=d.name)
            self.batch[d.name] = RtModule(d)
        for m in self.batch.values():
            for imp in m.desc.imports:
                if imp not in vm.modules and imp not in self.batch:
                    raise LoadError(f"imports {imp}, which is not loaded", where=m.name)
        if "lang" not in vm.modules and "lang" not in self.batch:
            raise LoadError("the prelude module lang is not loaded")
        # Verification comes first: the rest of linking may trust types.
        self.verified = verify_modules(descs, [m.desc for m in vm.modules.values()],
                                       vm.native_signature)
        self.new_classes: list[RtClass] = []
        self.new_functions: list[RtFunction] = []
        self.class_by_name = dict(vm.classes)
        next_id = vm.next_class_id
        for m in self.batch.values():
            for cd in m.desc.classes:
                c = RtClass(next_id, m, cd)
                next_id += 1
                key = (m.name, cd.name)
                if key in self.class_by_name:
                    raise LoadError(f"class {cd.name} declared twice", where=m.name)
                self.class_by_name[key] = c
                m.classes.append(c)
                self.new_classes.append(c)
        for m in self.batch.values():
            self._functions(m)
            self._globals(m)
        self._layout_classes()
        for m in self.batch.values():
            m.consts = [None] * len(m.desc.consts)
            if m.desc.init != M.NO_INDEX:
                f = m.functions[m.desc.init]
                if not f.desc.flags & M.F_MODINIT or f.signature != "()V" or f.owner is not None:
                    raise LoadError(f"module initialiser {f.name} must be a ()V function flagged F_MODINIT",
                                    where=m.name)
                m.init = f
        lowered = []
        for f in self.new_functions:
            if f.native is None:
                fc = Lowering(f, self._resolver(f.module)).run()
                resolve = self._resolver(f.module)
                fc.handlers = [(h.start, h.end, fc.pcmap[h.handler],
                                None if h.klass == M.NO_INDEX else
                                resolve(M.K_CLASS, h.klass, "handler", h.handler))
                               for h in f.desc.handlers]
                lowered.append(fc)
        self._commit(lowered, next_id)
        return list(self.batch.values())

    # --- functions, globals ----------------------------------------------------------
    def _functions(self, m: RtModule) -> None:
        interp = self.interp
        ncls = len(m.classes)
        seen_top = set()
        for fd in m.desc.functions:
            owner = None
            if fd.owner != M.NO_INDEX:
                if fd.owner >= ncls:
                    raise LoadError(f"function {fd.name}: owner class {fd.owner} out of range", where=m.name)
                owner = m.classes[fd.owner]
                if not fd.flags & M.F_METHOD:
                    raise LoadError(f"function {fd.name} has an owner but is not a method", where=m.name)
            elif fd.flags & M.F_METHOD:
                raise LoadError(f"method {fd.name} has no owner class", where=m.name)
            else:
                if fd.name in seen_top:
                    raise LoadError(f"function {fd.name} declared twice", where=m.name)
                seen_top.add(fd.name)
            f = RtFunction(-1, m, fd, owner)
            facts = self.verified.get((m.name, len(m.functions)))
            if facts is not None:
                f.stack_maps = facts.stack_maps
            interp.add_function(f)
            if fd.flags & M.F_NATIVE:
                if owner is not None:
                    raise LoadError(f"native method {f.display} is not supported", where=m.name)
                f.native = self.vm.native(f"{m.name}.{fd.name}", fd.signature, where=m.name)
            elif not fd.code:
                raise LoadError(f"function {f.display} has no code", where=m.name)
            m.functions.append(f)
            self.new_functions.append(f)

    def _globals(self, m: RtModule) -> None:
        for i, g in enumerate(m.desc.globals):
            if g.name in m.globals:
                raise LoadError(f"global {g.name} declared twice", where=m.name)
            m.globals[g.name] = (i, g.type)

    # --- classes ------------------------------------------------------------------------
    def _class_const(self, m: RtModule, idx: int, what: str) -> RtClass:
        consts = m.desc.consts
        if idx >= len(consts) or consts[idx].kind != M.K_CLASS:
            raise LoadError(f"{what}: constant {idx} is not a class", where=m.name)
        mod, name = consts[idx].value
        c = self.class_by_name.get((mod, name))
        if c is None:
            raise LoadError(f"{what}: unknown class {mod}.{name}", where=m.name)
        return c

    def _layout_classes(self) -> None:
        state: dict[int, int] = {}      # class id → 1 in progress, 2 done
        for c in self.new_classes:
            self._layout(c, state)

    def _layout(self, c: RtClass, state: dict) -> None:
        if c.id < self.vm.next_class_id or state.get(c.id) == 2:
            return
        m = c.module
        where = f"{m.name}.{c.name}"
        if state.get(c.id) == 1:
            raise LoadError(f"class {c.name} inherits from itself", where=m.name)
        state[c.id] = 1
        d = c.desc
        sup = None
        if d.super != M.NO_INDEX:
            sup = self._class_const(m, d.super, f"superclass of {c.name}")
            self._layout(sup, state)
        c.super = sup
        c.depth = sup.depth + 1 if sup else 0
        c.ancestors = (sup.ancestors if sup else ()) + (c.id,)
        c.fields = dict(sup.fields) if sup else {}
        c.field_types = list(sup.field_types) if sup else []
        for fdesc in d.fields:
            if fdesc.name in c.fields:
                raise LoadError(f"field {fdesc.name} declared twice (or redeclares an inherited one)",
                                where=where)
            c.fields[fdesc.name] = (len(c.field_types), fdesc.type)
            c.field_types.append(fdesc.type)
        c.nfields = len(c.field_types)
        for name, fi in d.methods:
            if fi >= len(m.functions):
                raise LoadError(f"method {name}: function {fi} out of range", where=where)
            f = m.functions[fi]
            if f.owner is not c or f.name != name:
                raise LoadError(f"method {name} names function {f.display}, not a method of {c.name}",
                                where=where)
            if name in c.methods:
                raise LoadError(f"method {name} declared twice", where=where)
            c.methods[name] = f
        if d.init != M.NO_INDEX:
            if d.init >= len(m.functions):
                raise LoadError(f"init function {d.init} out of range", where=where)
            f = m.functions[d.init]
            if f.owner is not c or not f.desc.flags & M.F_INIT or f.ret != "V":
                raise LoadError(f"init names {f.display}, not an F_INIT method of {c.name} returning void",
                                where=where)
            c.init = f
        # vtable: the superclass's slots first, same names and signatures.
        sv = sup.vtable if sup else []
        if len(d.vtable) < len(sv):
            raise LoadError(f"vtable has {len(d.vtable)} slots, the superclass has {len(sv)}", where=where)
        for i, slot in enumerate(d.vtable):
            impl = self._class_const(m, slot.impl, f"vtable slot {slot.name}")
            if impl is not c and not c.is_subclass_of(impl):
                raise LoadError(f"vtable slot {slot.name}: {impl.name} is not {c.name} or an ancestor",
                                where=where)
            f = impl.methods.get(slot.name)
            if f is None:
                raise LoadError(f"vtable slot {slot.name}: {impl.name} has no such method", where=where)
            if i < len(sv):
                if sv[i].name != slot.name:
                    raise LoadError(f"vtable slot {i} is {slot.name}, the superclass has {sv[i].name}",
                                    where=where)
                if sv[i].signature != f.signature:
                    raise LoadError(f"{slot.name}{f.signature} overrides {sv[i].signature}", where=where)
            if slot.name in c.vindex:
                raise LoadError(f"vtable lists {slot.name} twice", where=where)
            c.vindex[slot.name] = i
            c.vtable.append(f)
        for name in c.methods:
            if name not in c.vindex:
                raise LoadError(f"method {name} is missing from the vtable", where=where)
        ts = c.vindex.get("to_string")
        c.tostr = c.vtable[ts] if ts is not None and c.vtable[ts].signature == "()S" else None
        lang_error = self.class_by_name.get(("lang", "Error"))
        c.is_error = lang_error is not None and c.is_subclass_of(lang_error)
        state[c.id] = 2

    # --- constants ---------------------------------------------------------------------------
    def _resolver(self, m: RtModule):
        consts = m.desc.consts
        cache = m.consts

        def resolve(kind: int, idx: int, what: str, pc: int):
            if idx >= len(consts):
                raise LoadError(f"{what} at pc {pc}: constant {idx} out of range", where=m.name)
            c = consts[idx]
            if c.kind != kind:
                raise LoadError(f"{what} at pc {pc}: constant {idx} is a {M.KIND_NAMES.get(c.kind)}, "
                                f"expected a {M.KIND_NAMES[kind]}", where=m.name)
            v = cache[idx]
            if v is None:
                v = self._resolve_const(m, c, f"{what} at pc {pc}")
                cache[idx] = v
            return v
        return resolve

    def _resolve_const(self, m: RtModule, c: M.Const, what: str):
        k, v = c.kind, c.value
        where = m.name
        if k == M.K_INT:
            if not isinstance(v, int) or not _INT_MIN <= v <= _INT_MAX:
                raise LoadError(f"{what}: int constant out of range", where=where)
            return v
        if k == M.K_FLOAT:
            return float(v)
        if k == M.K_STRING:
            return self.vm.heap.intern(v)
        if k == M.K_TYPE:
            for cm in _CLASS_IN_DESC.findall(v):
                mod, _, name = cm.rpartition(".")
                if (mod, name) not in self.class_by_name:
                    raise LoadError(f"{what}: unknown class {cm} in type {v}", where=where)
            return v
        if k == M.K_CLASS:
            cls = self.class_by_name.get(tuple(v))
            if cls is None:
                raise LoadError(f"{what}: unknown class {v[0]}.{v[1]}", where=where)
            return cls
        if k == M.K_FIELD:
            cidx, name, t = v
            cls = self._class_const(m, cidx, what)
            f = cls.fields.get(name)
            if f is None:
                raise LoadError(f"{what}: class {cls.name} has no field {name}", where=where)
            if f[1] != t:
                raise LoadError(f"{what}: field {cls.name}.{name} has type {f[1]}, not {t}", where=where)
            return (cls, f[0], t)
        if k == M.K_METHOD:
            cidx, name, sig = v
            cls = self._class_const(m, cidx, what)
            vslot = cls.vindex.get(name)
            special = None
            if name == "init":
                vslot = None
                special = cls.init
                if special is not None and special.signature != sig:
                    raise LoadError(f"{what}: {cls.name}.init has signature {special.signature}, not {sig}",
                                    where=where)
            elif vslot is not None:
                special = cls.vtable[vslot]
                if special.signature != sig:
                    raise LoadError(f"{what}: {cls.name}.{name} has signature {special.signature}, not {sig}",
                                    where=where)
            if special is None:
                raise LoadError(f"{what}: class {cls.name} has no method {name}{sig}", where=where)
            return MethodRef(cls, name, sig, vslot, special)
        if k == M.K_FUNC:
            mod, name, sig = v
            tm = self.batch.get(mod) or self.vm.modules.get(mod)
            f = tm.function(name) if tm is not None else None
            if f is None:
                raise LoadError(f"{what}: unknown function {mod}.{name}", where=where)
            if f.signature != sig:
                raise LoadError(f"{what}: {mod}.{name} has signature {f.signature}, not {sig}", where=where)
            return f
        if k == M.K_GLOBAL:
            mod, name, t = v
            tm = self.batch.get(mod) or self.vm.modules.get(mod)
            g = tm.globals.get(name) if tm is not None else None
            if g is None:
                raise LoadError(f"{what}: unknown global {mod}.{name}", where=where)
            if g[1] != t:
                raise LoadError(f"{what}: global {mod}.{name} has type {g[1]}, not {t}", where=where)
            return (tm, g[0], t)        # the block's address is known at commit
        if k == M.K_NATIVE:
            name, sig = v
            return self.vm.native(name, sig, where=where)
        raise LoadError(f"{what}: unknown constant kind {k}", where=where)

    # --- commit: code list, class tables ----------------------------------------------------
    def _commit(self, lowered, next_id: int) -> None:
        vm = self.vm
        interp = self.interp
        code, meta = interp.code, interp.meta
        # Entries first: calls bind their callee's entry when their closure is made.
        pos = len(code)
        for fc in lowered:
            fc.fn.entry = pos
            interp.ENT[fc.fn.fid] = pos
            fc.fn.tail = fc.tail
            fc.fn.nregs = fc.nregs
            interp.set_frame_size(fc.fn)
            fc.fn.pcmap = fc.pcmap
            fc.fn.ops = len(fc.ops)
            pos += len(fc.ops)
        # Class tables by type id.
        ntypes = next_id
        for table, fill in ((interp.CLS, None), (interp.ANC, ()), (interp.VT, None), (interp.TOS, 0)):
            table.extend([fill] * (ntypes - len(table)))
        heap = vm.heap
        for c in self.new_classes:
            c.name_ref = heap.intern(f"<{c.name}>")
            interp.CLS[c.id] = c
            interp.ANC[c.id] = c.ancestors
            interp.VT[c.id] = [interp.call_target(f) for f in c.vtable]
            interp.TOS[c.id] = interp.call_target(c.tostr) if c.tostr else c.name_ref
        # Globals blocks: permanent (never moved, so ops bind their words),
        # zero-filled (every global starts at its zero value).
        for m in self.batch.values():
            n = len(m.globals)
            if n:
                m.globals_ref = heap.alloc_perm(T_GLOBALS, n, block_words(T_GLOBALS, n))
        for fc in lowered:
            fn = fc.fn
            base = fn.entry
            ops = fc.ops
            fn.handlers = [(s, e, base + h, k) for s, e, h, k in fc.handlers]

            # Follow forward jumps so ops go straight to the real target (on the
            # function-relative targets, before any is made absolute).
            final = {}
            for i, o in enumerate(ops):
                if o.kind == "jmp":
                    j = o.extra
                    while ops[j].kind == "jmp":
                        j = ops[j].extra
                    final[i] = j

            def thread(i: int) -> int:
                return final.get(i, i)
            _fuse(ops, thread)
            for i, o in enumerate(ops):
                if o.kind == "run":
                    pieces, n = o.extra
                    o.extra = (pieces, [base + i + k for k in range(n)], base + thread(i + n))
                elif o.kind.endswith("_c"):
                    *rest, t, f, fid = o.extra
                    o.extra = (*rest, base + t, base + f, fid)
                elif o.kind.startswith("br"):
                    t, f = o.extra
                    o.extra = (base + thread(t), base + thread(f))
                elif o.kind == "jmp":
                    o.extra = base + thread(o.extra)
                elif o.kind == "loop":
                    t, fid = o.extra
                    o.extra = (base + thread(t), fid)
            # Closures are made once every op's targets are absolute (a run
            # carries later ops of the function as its pieces).
            for i, o in enumerate(ops):
                if i + 1 < len(ops):
                    nx = base + (i + 1 if o.kind in _CALL_KINDS else thread(i + 1))
                else:
                    nx = base + i + 1          # never used: the last op always transfers
                o.index = base + i
                code.append(FACTORIES[o.kind](interp, o, nx))
                meta.append((fn, o.origin))
                interp.live.append(o.live)
        for m in self.batch.values():
            vm.modules[m.name] = m
        vm.classes.update({(c.module.name, c.name): c for c in self.new_classes})
        vm.next_class_id = next_id
        if "lang" in self.batch:
            vm.errors.bind_lang(self.batch["lang"])

    @staticmethod
    def main_of(m: RtModule) -> RtFunction:
        f = m.function("main")
        if f is None:
            raise LoadError("no function main", where=m.name)
        if f.signature not in _MAIN_SIGS:
            raise LoadError(f"main has signature {f.signature}; expected one of {', '.join(_MAIN_SIGS)}",
                            where=m.name)
        return f


_COUNTABLE = {"br_lt", "br_le", "br_gt", "br_ge", "br_ne", "br_eq", "br", "br_not"}
_RET_FUSABLE = {"iadd", "isub", "fadd", "fsub", "fmul", "getfield_w", "getfield_d"}
_IADD_FUSABLE = {"br_lt_c", "br_le_c", "br_gt_c", "br_ge_c", "br_ne_c"}


def _fuse(ops, thread) -> None:
    """Link-time superinstructions on one function's ops (relative targets):
    a branch whose true side is a back-edge stub counts the back-edge itself
    (`br_lt_c`...), and an `iadd` whose next op is such a branch does both
    (`iadd_lt_c`...), then each straight-line run of ops becomes one `run` op
    (ops.f_run).  The ops they absorb stay in place for other entrants."""
    for o in ops:
        if o.kind in _COUNTABLE:
            t, f = o.extra
            if ops[t].kind == "loop" and not (isinstance(f, int) and ops[f].kind == "loop"):
                target, fid = ops[t].extra
                o.kind += "_c"
                o.extra = (thread(target), thread(f), fid)
    for i, o in enumerate(ops):
        if o.kind in _RET_FUSABLE and i + 1 < len(ops) and thread(i + 1) == i + 1:
            r = ops[i + 1]
            if r.kind == "retv" and r.src == (o.dst,):
                o.kind += "_ret"
                continue
        if o.kind == "iadd" and i + 1 < len(ops) and thread(i + 1) == i + 1 and ops[i + 1].kind in _IADD_FUSABLE:
            br = ops[i + 1]
            o.kind = "iadd_" + br.kind[3:]
            o.extra = (br.src, *br.extra)
    # Straight-line runs: two or more ops in SEQ_PIECES (each falling through
    # to the next), optionally ended by one in SEQ_ENDS, become one `run` op
    # at the run's first index; every op of the run also stays in place.
    i, n_ops = 0, len(ops)
    while i < n_ops:
        j = i
        while j < n_ops and ops[j].kind in SEQ_PIECES:
            j += 1              # a piece falls through to j unless j is a jmp (not a piece)
        if i < j < n_ops and ops[j].kind in SEQ_ENDS:
            j += 1
        if j - i >= 2:
            first = ops[i]
            copy = Op(first.kind, first.origin, first.dst, first.src, first.extra)
            first.kind = "run"
            first.extra = ([copy, *ops[i + 1:j]], j - i)
            i = j
        else:
            i += 1


__all__ = ["Linker", "MethodRef", "FIRST_CLASS_ID"]
