"""The linker: module descriptors → runtime classes, functions, globals and code.

`Linker.link(descs)` takes modules in initialisation order.  It checks that
the batch's imports are loaded (`LoadError` naming the module), then has the
batch verified (hllvm/verify) against the modules already loaded
(`VerifyError` for declarations or code that do not check) and from then on
trusts the verifier's result and re-checks nothing: it builds `RtClass`es
from the verifier's class facts (ids, field slots, vtables, ancestor
displays for O(1) subclass tests, the set of interfaces each class
implements, itables as interface method selector → vtable slot),
`RtFunction`s (natives bound by name; abstract interface methods are never
bound or lowered), global slots, and links constants on demand (classes by
(module, name), fields to slots, methods to vtable slots, selectors or
implementations, functions, globals, natives, types to their type ids,
strings interned in the heap).  Type ids beyond classes (arrays by element
type, function types, function-value shapes) come from hllvm/typeids.py,
within the batch.  Then every function is lowered (lower.py, from the
verifier's decoding and stack depths) and its ops take their places in
the interpreter's code list, as closures made when the function first runs
(ops/lazy.py).

Nothing of a failed batch becomes visible to the VM.  The linker does not
run code.
"""

from __future__ import annotations

from hlbc import model as M
from hlbc.errors import LoadError

from .layout import FIRST_CLASS_ID, T_GLOBALS, block_words
from .loadmeter import LoadMeter, load_budget
from .lower import Lowering
from .ops.fuse import fuse, relocate
from .ops.lazy import stubs
from .runtime import RtClass, RtFunction, RtModule
from .verify import verify_modules

_MAIN_SIGS = ("()V", "()I", "([S)V", "([S)I")


class MethodRef:
    """A resolved method constant: the class named, the vtable slot (for
    CALLVIRT) and the implementation that class sees (for CALLSPECIAL); of
    an interface method, its selector and the dispatch table of that
    selector (`itab`: receiver type id → call target, for CALLIFACE)."""
    __slots__ = ("cls", "name", "signature", "params", "ret", "vslot", "special", "selector", "itab")

    def __init__(self, cls, name, signature, vslot, special, selector=None, itab=None):
        self.cls = cls
        self.name = name
        self.signature = signature
        self.params, self.ret = M.parse_signature(signature)
        self.vslot = vslot
        self.special = special
        self.selector = selector
        self.itab = itab


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
        # Verification comes first: the rest of linking trusts its result
        # (declarations, layouts, vtables, constants, code structure).
        meter = self.meter = LoadMeter(vm.control.timeout, load_budget(vm.max_heap))
        self.verified = verify_modules(descs, [m.desc for m in vm.modules.values()],
                                       vm.native_signature, meter=meter)
        self.new_classes: list[RtClass] = []
        self.new_functions: list[RtFunction] = []
        self.to_lower: list = []        # (RtFunction, its FunctionResult)
        self.class_by_name = dict(vm.classes)
        types = self.types = vm.types
        types.begin(self.class_by_name)
        try:
            return self._link_batch()
        except BaseException:
            types.abort()               # nothing of a failed batch stays
            raise

    def _link_batch(self) -> list[RtModule]:
        types = self.types
        for m in self.batch.values():
            for cd in m.desc.classes:
                c = RtClass(types.new_id(), m, cd)
                self.class_by_name[(m.name, cd.name)] = c
                m.classes.append(c)
                self.new_classes.append(c)
        self.interp.tables.check_functions(len(self.interp.functions) +
                                           sum(len(m.desc.functions) for m in self.batch.values()))
        for m in self.batch.values():
            self._functions(m)
            m.globals = {g.name: (i, g.type) for i, g in enumerate(m.desc.globals)}
        for key, facts in self.verified.classes.items():
            c = self.class_by_name[key]
            if not c.is_interface:
                self._lay_out(c, facts)
            self._interfaces(c, facts)
        for m in self.batch.values():
            m.consts = [None] * len(m.desc.consts)
            if m.desc.init != M.NO_INDEX:
                m.init = m.functions[m.desc.init]
        lowered = []
        for f, facts in self.to_lower:
            resolve = self._resolver(f.module)
            fc = Lowering(f, resolve, facts, self.meter, sites=True if self.vm.jit is not None else "calls",
                          types=types).run()
            fc.handlers = [(h.start, h.end, fc.pcmap[h.handler],
                            None if h.klass == M.NO_INDEX else resolve(M.K_CLASS, h.klass))
                           for h in f.desc.handlers]
            lowered.append(fc)
        self.interp.tables.check_classes(types._next, self.new_classes)
        self._commit(lowered)
        return list(self.batch.values())

    # --- functions ------------------------------------------------------------------
    def _functions(self, m: RtModule) -> None:
        interp = self.interp
        for i, fd in enumerate(m.desc.functions):
            owner = m.classes[fd.owner] if fd.owner != M.NO_INDEX else None
            f = RtFunction(-1, m, fd, owner)
            interp.add_function(f)
            if owner is None:
                m.top[fd.name] = f
            if fd.flags & M.F_NATIVE:
                f.native = self.vm.native(f"{m.name}.{fd.name}", fd.signature, where=m.name)
            elif fd.flags & M.F_ABSTRACT:
                pass                        # an interface method: a signature, never called
            else:
                facts = self.verified[(m.name, i)]
                f.stack_maps = facts.stack_maps
                f.max_depth = facts.max_depth
                if self.vm.jit is not None:
                    f.facts = facts         # the JIT lowers from them (hllvm/jit/)
                self.to_lower.append((f, facts))
            m.functions.append(f)
            self.new_functions.append(f)

    # --- classes ------------------------------------------------------------------------
    def _lay_out(self, c: RtClass, facts) -> None:
        """Fill a class from the verifier's facts about it (verify/facts.py):
        its superclass and every class a vtable slot names are laid out
        already (the facts come superclasses first)."""
        by_key = self.class_by_name
        functions = c.module.functions
        sup = by_key[facts.super] if facts.super is not None else None
        c.super = sup
        c.depth = facts.depth
        c.ancestors = tuple(by_key[k].id for k in facts.ancestors)
        c.fields = {name: (slot, t) for slot, (name, t) in enumerate(facts.fields)}
        c.field_types = [t for _name, t in facts.fields]
        c.nfields = len(facts.fields)
        c.methods = {name: functions[fi] for name, fi in facts.methods}
        c.init = functions[facts.init] if facts.init is not None else None
        c.vtable = [by_key[s.impl].module.functions[s.function] for s in facts.vtable]
        c.vindex = {s.name: i for i, s in enumerate(facts.vtable)}
        c.tostr = c.vtable[facts.to_string] if facts.to_string is not None else None
        c.is_error = facts.is_error

    # --- interfaces ------------------------------------------------------------------------
    def _interfaces(self, c: RtClass, facts) -> None:
        """A class's or interface's interfaces from the verifier's facts
        (which come interfaces first): the ids it implements (an interface:
        itself and those it extends), and an interface's methods by name
        with their selectors (own methods: this interface's; inherited: the
        declaring interface's), a class's itable as selector → vtable slot."""
        by_key = self.class_by_name
        reached = [by_key[k] for k in facts.interfaces]
        if c.is_interface:
            c.depth = 0
            c.ancestors = ()
            c.interfaces = tuple(reached)
            functions = c.module.functions
            imethods = {name: (self.types.selector(c.id, name), functions[fi].signature)
                        for name, fi in facts.methods}
            for i in reached:
                for name, entry in i.imethods.items():
                    imethods.setdefault(name, entry)
            c.imethods = imethods
            c.implements = frozenset([c.id, *(i.id for i in reached)])
            return
        c.interfaces = tuple(reached)
        c.implements = frozenset(i.id for i in reached)
        c.itable = {by_key[s.iface].imethods[s.name][0]: s.slot for s in facts.itable}

    # --- constants ---------------------------------------------------------------------------
    def _resolver(self, m: RtModule):
        """`resolve(kind, idx)`: constant `idx` of `m`, linked on first use.
        The verifier has checked that it is of that kind and names what it
        claims (a class with that field of that type, a method or function
        with that signature, a known native), so these are lookups only."""
        consts = m.desc.consts
        cache = m.consts

        def resolve(kind: int, idx: int):
            v = cache[idx]
            if v is None:
                v = cache[idx] = self._link_const(m, consts[idx])
            return v
        return resolve

    def _link_const(self, m: RtModule, c: M.Const):
        k, v = c.kind, c.value
        if k == M.K_STRING:
            return self.vm.heap.intern(v)
        if k == M.K_CLASS:
            return self.class_by_name[tuple(v)]
        if k == M.K_FIELD:
            cidx, name, t = v
            cls = self.class_by_name[tuple(m.desc.consts[cidx].value)]
            return (cls, cls.fields[name][0], t, name)
        if k == M.K_METHOD:
            cidx, name, sig = v
            cls = self.class_by_name[tuple(m.desc.consts[cidx].value)]
            if cls.is_interface:
                entry = cls.imethods.get(name)
                if entry is None:
                    raise LoadError(f"no interface method {cls.qualname}.{name}", where=m.name)
                sel = entry[0]
                return MethodRef(cls, name, sig, None, None, sel, self.interp.ITAB.setdefault(sel, {}))
            if name == "init":
                return MethodRef(cls, name, sig, None, cls.init)
            vslot = cls.vindex[name]
            return MethodRef(cls, name, sig, vslot, cls.vtable[vslot])
        if k == M.K_FUNC:
            mod, name, _sig = v
            return self._module(mod).function(name)
        if k == M.K_GLOBAL:
            mod, name, t = v
            tm = self._module(mod)
            return (tm, tm.globals[name][0], t)    # the block's address is known at commit
        if k == M.K_NATIVE:
            name, sig = v
            return self.vm.native(name, sig, where=m.name)
        if k == M.K_FLOAT:
            return float(v)
        if k == M.K_TYPE:
            return self.types.type_ref(v)
        return v                                    # K_INT

    def _module(self, name: str) -> RtModule:
        return self.batch.get(name) or self.vm.modules[name]

    # --- commit: code list, class tables ----------------------------------------------------
    def _commit(self, lowered) -> None:
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
            fc.fn.sites = fc.sites
            fc.fn.ops = len(fc.ops)
            pos += len(fc.ops)
        # Class tables by type id.
        interp.grow_types(self.types._next)
        heap = vm.heap
        types = self.types
        for c in self.new_classes:
            c.name_ref = heap.intern(f"<{c.name}>")
            interp.CLS[c.id] = c
            interp.ANC[c.id] = c.ancestors
            interp.VT[c.id] = [interp.call_target(f) for f in c.vtable]
            interp.TOS[c.id] = interp.call_target(c.tostr) if c.tostr else c.name_ref
            if not c.is_interface:
                interp.IFS[c.id] = c.implements
                for sel, slot in c.itable.items():
                    interp.ITAB.setdefault(sel, {})[c.id] = interp.VT[c.id][slot]
            facts = self.verified.classes.get((c.module.name, c.name))
            interp.tables.add_class(c, facts.to_string if c.tostr else -1)
            types.class_installed(c)
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
                    j = o.targets[0]
                    while ops[j].kind == "jmp":
                        j = ops[j].targets[0]
                    final[i] = j

            # Bound to this function's own map: its ops' closures are made
            # later (ops/lazy.py), when `final` names another function's.
            def thread(i: int, final=final) -> int:
                return final.get(i, i)
            fuse(ops, thread)
            relocate(ops, base, thread)
            # Closures are made once every op's targets are absolute (a run
            # carries later ops of the function as its pieces), when the
            # function first runs (ops/lazy.py).
            meter = self.meter
            meter.tick(len(ops))
            for i, o in enumerate(ops):
                if not i & 4095:
                    meter.check()
                o.index = base + i
                meta.append((fn, o.origin))
                interp.live.append(o.live)
            code.extend(stubs(interp, ops, base, thread))
        # Arrays, function types and function-value shapes of the batch (the
        # functions' frame tails are set: a shape's call record needs them).
        types.commit()
        for m in self.batch.values():
            vm.modules[m.name] = m
        vm.classes.update({(c.module.name, c.name): c for c in self.new_classes})
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


__all__ = ["Linker", "MethodRef", "FIRST_CLASS_ID"]
