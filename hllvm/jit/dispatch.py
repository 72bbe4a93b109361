"""Method calls and function values in IR (tier 1): CALLVIRT, CALLIFACE,
CLOSURE, CALLFN.

A mixin of the lowering's writer (irgen.py `_Writer`).  Each call ends in
the writer's `compiled_call` — the same depth, stack and fuel checks, the
same hand-back, as CALL and CALLVIRT — so limits hold through every call
kind.

Interface dispatch.  Interfaces have no vtable slot of their own: each
class maps an interface method to one of its vtable slots (its itable).
A call site dispatches on the receiver's type id, in three steps:

1. the classes loaded when the function is compiled are known, and so is
   the method each of them runs for the call (`world.iface_targets`): a
   switch on the type id — a polymorphic inline cache filled at compile
   time — inlines the methods that are small leaves (at most
   INLINE_TARGETS of them) and gives the fid of the others, which one
   general call then calls;
2. a class loaded later (a type id not in the switch) meets the site's
   own cache cell (type id → fid, one per site, in the JIT's words);
3. a miss there searches the class's itable in its native record
   (hllvm/tables.py; an outlined loop, `fast_itable`) and fills the cell.
Class ids are never reused and a class's itable never changes, so what
steps 1 and 2 know stays true.  A virtual call (CALLVIRT) is dispatched
the same way, its step 3 the receiver class's vtable: a switch on the type
id is one load, where reading the fid from the vtable is a chain of four.

Function values.  A function value is a block whose type id names its
*shape* — the module function it calls and how many of its parameters it
binds (k) — and whose k payload words are the bound values
(hllvm/runtime.py `RtFnShape`).  CLOSURE with k = 0 is the shape's one
permanent block (a constant here); with k > 0 it is bumped in the
allocation window and filled.  CALLFN dispatches on the type id as
CALLIFACE does: the shapes of its function type known when the function
is compiled are called directly (their bound values loaded from the
block as the first arguments, a small leaf inlined), at most
INLINE_TARGETS of them; any other shape goes through its *adapter*, a
small compiled function of the shape (`adapter_ir`) that takes the
function value and the arguments in a buffer, loads the bound values and
calls the function's entry.  Adapters are made when a call first needs
one (the helper FNENTRY), and the JIT's words hold (adapter, fid) by
type id for every call site to read; a native's function value has
NATIVE_SHAPE for its adapter, and the helper FNNATIVE calls the native as
the interpreter does (no frame, no event), its arguments in the
native-argument buffer.

It owns none of the tables it reads (hllvm/tables.py, the JIT's words:
tier.py) and no calling convention (irgen.py).
"""

from __future__ import annotations

from hlbc import model as M

from ..layout import HEADER_WORDS
from ..state import ARGS, CLASSES, FMETA, FUNCS, HEAP
from ..tables import (KIND_CLASS, REC_ANCESTORS, REC_DEPTH, REC_KIND, REC_NFIELDS, REC_NIFACES, REC_NITABLE,
                      REC_NSLOTS)
from . import helpers as H
from .values import MAX_SWITCH      # classes a site's switch names (more: the cache cell and the itable)

INLINE_TARGETS = 4          # methods a site calls directly, each behind a test of the type id
IC_WORDS = 2                # a site's cache cell: type id, fid
FN_WORDS = 2                # by a function value's type id: its adapter's address, its function's fid
ADAPTER = "hl_a"            # the adapter's symbol
NATIVE_SHAPE = -1           # the "adapter" of a native's function value: the helper FNNATIVE calls it
_LL = {"I": "i64", "Z": "i64", "F": "double", "R": "i64"}


class DispatchCode:
    """CALLVIRT, CALLIFACE, CLOSURE and CALLFN of `_Writer` (see the module docstring)."""

    def i_calliface(self, pc, d, args, stack):
        m = self.c(d.name, args)
        self.typed_call(pc, m, self.world.iface_targets(m),
                        lambda tid: self.iface_cached(tid, m, pc, stack), stack)

    def i_callvirt(self, pc, d, args, stack):
        """A virtual call: as an interface call, by the receiver's type id
        (cheaper than reading the fid from its class's vtable: one load and
        a switch), a class loaded later through its vtable."""
        m = self.c(d.name, args)
        self.typed_call(pc, m, self.world.virtual_targets(m),
                        lambda tid: self.vtable_fid(self.record(tid), str(m.vslot)), stack)

    def typed_call(self, pc: int, m, targets: dict, late, stack: list) -> None:
        """Call method `m` on the receiver below its arguments, dispatched
        on the receiver's type id: `targets` (type id → fid) for the classes
        known now — the small leaves among them inlined, at most
        INLINE_TARGETS, the others' fids given to one general call — and
        `late(tid)`, the fid of a class loaded later."""
        params, ret = ["R", *m.params], m.ret
        n = len(params)
        r = self.peek(stack, n - 1)
        self.null_check(r, pc, stack)          # NullError
        tid = self.type_id(r)
        if len(targets) > MAX_SWITCH:
            targets = {}
        leaves: dict[int, list[int]] = {}      # a small leaf's fid → the classes that run it
        for t, f in sorted(targets.items()):
            if self.inline_of is not None and self.inline_of(f) is not None:
                leaves.setdefault(f, []).append(t)
        if len(leaves) > INLINE_TARGETS:
            leaves = {}
        k = self.label_id()
        results = []
        # The switch: each small leaf inlined; the other known classes give
        # their method's fid; a class loaded later goes to `late`.
        cases = [f"i64 {t}, label %icl{k}_{j}" for j, ts in enumerate(leaves.values()) for t in ts]
        others = sorted(t for t, f in targets.items() if f not in leaves)
        cases += [f"i64 {t}, label %ick{k}_{t}" for t in others]
        self.emit(f"switch i64 {tid}, label %icm{k} [ {' '.join(cases)} ]")
        for j, f in enumerate(leaves):
            self.label(f"icl{k}_{j}")
            results.append((self.compiled_call(pc, str(f), params, ret, list(stack), keep=True),
                            self.current_block()))
            self.emit(f"br label %icj{k}")
        for t in others:
            self.label(f"ick{k}_{t}")
            self.emit(f"br label %icc{k}")
        self.label(f"icm{k}")
        fid_late = late(tid)
        late_block = self.current_block()
        self.emit(f"br label %icc{k}")
        self.label(f"icc{k}")
        fid = self.op("phi i64 " + ", ".join([*(f"[{targets[t]}, %ick{k}_{t}]" for t in others),
                                              f"[{fid_late}, %{late_block}]"]))
        results.append((self.compiled_call(pc, fid, params, ret, list(stack), keep=True), self.current_block()))
        self.emit(f"br label %icj{k}")
        self.label(f"icj{k}")
        if ret != "V":
            v = self.op(f"phi {self.ll(ret)} " + ", ".join(f"[{v}, %{b}]" for v, b in results))
        self.pops(stack, n)
        if ret != "V":
            self.push(stack, self.kind_of(ret), v)

    # --- function values -----------------------------------------------------------------
    def i_closure(self, pc, d, args, stack):
        f, k = self.c(d.name, args), args[1]
        shape = self.world.closure_shape(f, k)
        if k == 0:                          # its one permanent block: never moves
            return self.push(stack, "R", str(self.world.canonical(shape)))
        r = self.allocate(shape.id, str(k), str(HEADER_WORDS + k), pc, stack)
        kinds = stack[len(stack) - k:]
        for j in range(k):                  # read after the allocation, which may collect
            v = self.as_word(kinds[j], self.peek(stack, k - 1 - j))
            p = self.heap_word(self.op(f"add i64 {r}, {HEADER_WORDS + j}"))
            self.emit(f"store i64 {v}, i64* {p}{self.HEAP_MEM}")
        self.pops(stack, k)
        self.push(stack, "R", r)

    def bound_value(self, f: str, j: int, t: str) -> str:
        """Bound value j (of type `t`) of function value `f`."""
        w = self.op(f"load i64, i64* {self.heap_word(self.op(f'add i64 {f}, {HEADER_WORDS + j}'))}{self.HEAP_MEM}")
        if t == "Z":                        # a bool word: anything nonzero is true
            return self.op(f"zext i1 {self.op(f'icmp ne i64 {w}, 0')} to i64")
        return self.from_word(self.kind_of(t), w)

    def i_callfn(self, pc, d, args, stack):
        sig = self.c(d.name, args)
        params, ret = M.parse_signature(sig)
        n = len(params)
        f = self.peek(stack, n)
        self.null_check(f, pc, stack)           # NullError
        tid = self.type_id(f)
        shapes = self.world.fn_shapes(sig)      # type id → shape, for the shapes known now
        k = self.label_id()
        results = []
        direct = sorted(shapes)[:INLINE_TARGETS] if len(shapes) <= INLINE_TARGETS else []
        if direct:
            cases = " ".join(f"i64 {t}, label %fc{k}_{t}" for t in direct)
            self.emit(f"switch i64 {tid}, label %fcg{k} [ {cases} ]")
            for t in direct:
                shape = shapes[t]
                self.label(f"fc{k}_{t}")
                if shape.fn.native is not None:
                    results.append((self.fn_native(pc, shape, params, ret, stack), self.current_block()))
                    self.emit(f"br label %fcj{k}")
                    continue

                def lead(shape=shape):
                    g = self.peek(stack, n)     # again: the checks may have collected
                    return [self.bound_value(g, j, b) for j, b in enumerate(shape.bound)]
                results.append((self.compiled_call(pc, str(shape.fn.fid), [*shape.bound, *params], ret,
                                                   list(stack), keep=True, lead=lead, drop=n + 1),
                                self.current_block()))
                self.emit(f"br label %fcj{k}")
            self.label(f"fcg{k}")
        # Any other shape: through its adapter.
        at = self.word_at(self.load_env(FMETA), self.op(f"add i64 {self.op(f'mul i64 {tid}, {FN_WORDS}')}, "
                                                         f"{self.world.fn_base()}"))
        adapter = self.word_or_made(at, H.FNENTRY, [tid], pc, stack)
        # A native's function value (its "adapter" is NATIVE_SHAPE): the
        # helper calls it, as the interpreter does (no frame, no event).
        self.emit(f"br i1 {self.op(f'icmp eq i64 {adapter}, {NATIVE_SHAPE}')}, label %fcn{k}, label %fca{k}")
        self.label(f"fcn{k}")
        argv = self.load_env(ARGS)
        for j, t in enumerate(params):
            w = self.as_word(self.kind_of(t), self.peek(stack, n - 1 - j))
            self.emit(f"store i64 {w}, i64* {self.word_at(argv, str(j))}")
        w = self.helper(H.FNNATIVE, [self.peek(stack, n), str(n)], pc, stack)
        results.append((self.from_word(self.kind_of(ret), w) if ret != "V" else w, self.current_block()))
        self.emit(f"br label %fcj{k}")
        self.label(f"fca{k}")
        fid = self.load_word(self.op(f"getelementptr i64, i64* {at}, i64 1"))
        results.append((self.compiled_call(pc, fid, params, ret, list(stack), keep=True, drop=n + 1,
                                           adapter=adapter), self.current_block()))
        self.emit(f"br label %fcj{k}")
        self.label(f"fcj{k}")
        if ret != "V":
            v = self.op(f"phi {self.ll(ret)} " + ", ".join(f"[{v}, %{b}]" for v, b in results))
        self.pops(stack, n + 1)
        if ret != "V":
            self.push(stack, self.kind_of(ret), v)

    def fn_native(self, pc: int, shape, params, ret: str, stack: list) -> str:
        """Call the native a function value of `shape` binds (as the
        interpreter does: no frame, no event): its bound words, then the
        arguments, in the native-argument buffer; the result in its kind."""
        n = len(params)
        f = self.peek(stack, n)
        args = self.load_env(ARGS)
        k = len(shape.bound)
        for j in range(k):
            w = self.load_word(self.heap_word(self.op(f"add i64 {f}, {HEADER_WORDS + j}")))
            self.emit(f"store i64 {w}, i64* {self.word_at(args, str(j))}")
        for j, t in enumerate(params):
            w = self.as_word(self.kind_of(t), self.peek(stack, n - 1 - j))
            self.emit(f"store i64 {w}, i64* {self.word_at(args, str(k + j))}")
        binding = shape.fn.native
        self.natives.append(binding)
        code = self.base + len(self.natives) - 1
        r = self.helper(H.NATIVE, [str(self.fn.fid), str(code), str(k + n)], pc, stack)
        return self.from_word(self.kind_of(ret), r) if ret != "V" else r

    # --- interface calls ------------------------------------------------------------------
    def iface_cached(self, tid: str, m, pc: int, stack: list) -> str:
        """The fid a class loaded after the function was compiled runs for
        interface method `m`: the site's cache cell, else a search of the
        class's itable (`fast_itable`, outlined), which fills the cell."""
        selector = str(m.selector)
        cell = self.world.ic_cell()
        if cell is None:                    # no cells left: the itable every time
            return self.itable_fid(tid, selector, m, pc, stack)
        at = self.word_at(self.load_env(FMETA), str(cell))
        at1 = self.op(f"getelementptr i64, i64* {at}, i64 1")
        k = self.label_id()
        have_tid, have_fid = self.load_word(at), self.load_word(at1)
        before = self.current_block()
        self.emit(f"br i1 {self.op(f'icmp eq i64 {have_tid}, {tid}')}, label %ich{k}, label %ics{k}")
        self.label(f"ics{k}")
        found = self.itable_fid(tid, selector, m, pc, stack)
        self.emit(f"store i64 {tid}, i64* {at}")
        self.emit(f"store i64 {found}, i64* {at1}")
        searched = self.current_block()
        self.emit(f"br label %ich{k}")
        self.label(f"ich{k}")
        return self.op(f"phi i64 [{have_fid}, %{before}], [{found}, %{searched}]")

    def itable_fid(self, tid: str, selector: str, m, pc: int, stack: list) -> str:
        """The fid of the method class `tid` maps `selector` to: its
        record's itable, searched in native code (the helper should the
        record not have it, which a verified receiver's always does)."""
        return self.with_fallback(DispatchCode.fast_itable, [tid, selector],
                                  lambda: self.helper(H.IFACE, [tid, str(self.world.method_code(m))], pc, stack))

    def fast_itable(self, vals, slow, join):
        """Search the itable of class `tid`'s record (hllvm/tables.py: after
        the ancestors, the field map, the vtable and the interface ids,
        (selector, vtable slot) pairs ascending by selector) for
        `selector`; the fid in that vtable slot."""
        tid, selector = vals
        e = self.emit
        at = self.record(tid)
        depth = self.record_word(at, REC_DEPTH)
        nf = self.record_word(at, REC_NFIELDS)
        vt = self.op(f"add i64 {self.op(f'add i64 {at}, {REC_ANCESTORS + 1}')}, {self.op(f'add i64 {depth}, {nf}')}")
        first = self.op(f"add i64 {self.op(f'add i64 {vt}, {self.record_word(at, REC_NSLOTS)}')}, "
                        f"{self.record_word(at, REC_NIFACES)}")
        n = self.record_word(at, REC_NITABLE)
        ok = self.op(f"and i1 {self.op(f'icmp ne i64 {at}, 0')}, {self.op(f'icmp eq i64 {self.record_word(at, REC_KIND)}, {KIND_CLASS}')}")
        k = self.label_id()
        before = self.current_block()
        e(f"br i1 {ok}, label %its{k}, label %{slow}")
        self.label(f"its{k}")
        j, j1 = self.tmp(), self.tmp()
        e(f"{j} = phi i64 [0, %{before}], [{j1}, %itn{k}]")
        e(f"br i1 {self.op(f'icmp slt i64 {j}, {n}')}, label %itl{k}, label %{slow}")
        self.label(f"itl{k}")
        pair = self.op(f"add i64 {first}, {self.op(f'shl i64 {j}, 1')}")
        e(f"br i1 {self.op(f'icmp eq i64 {self.record_word(pair, 0)}, {selector}')}, label %itf{k}, label %itn{k}")
        self.label(f"itn{k}")
        e(f"{j1} = add i64 {j}, 1")
        e(f"br label %its{k}")
        self.label(f"itf{k}")
        slot = self.record_word(pair, 1)
        return [self.done(self.load_word(self.word_at(self.load_env(CLASSES), self.op(f"add i64 {vt}, {slot}"))), join)]


def adapter_ir(shape, funcs_slot: int = FUNCS, heap_slot: int = HEAP) -> str:
    """The adapter of function-value shape `shape` (see the module
    docstring): `i64 @hl_a(i64* env, i64 f, i64* args)` loads f's bound
    values and the arguments, calls the function's entry (compiled: its
    address is in the function table) with the run state's depth, words
    and counter as the caller left them, and returns its result as a word
    (a float's bits; 0 for a void function)."""
    fn = shape.fn
    params = list(fn.desc.params)
    k = len(shape.bound)
    lines = [f"define i64 @{ADAPTER}(i64* %env, i64 %f, i64* %args) {{", "entry:",
             f"  %hp = getelementptr i64, i64* %env, i64 {heap_slot}", "  %ha = load i64, i64* %hp",
             "  %heap = inttoptr i64 %ha to i64*"]
    argv = []
    for j, t in enumerate(params):
        if j < k:
            lines += [f"  %o{j} = add i64 %f, {HEADER_WORDS + j}",
                      f"  %p{j} = getelementptr i64, i64* %heap, i64 %o{j}"]
        else:
            lines.append(f"  %p{j} = getelementptr i64, i64* %args, i64 {j - k}")
        lines.append(f"  %w{j} = load i64, i64* %p{j}")
        kk = "R" if M.is_ref(t) else t
        if kk == "F":
            lines.append(f"  %v{j} = bitcast i64 %w{j} to double")
        elif kk == "Z" and j < k:
            lines += [f"  %z{j} = icmp ne i64 %w{j}, 0", f"  %v{j} = zext i1 %z{j} to i64"]
        else:
            lines.append(f"  %v{j} = add i64 %w{j}, 0")
        argv.append(f"{_LL[kk]} %v{j}")
    rk = "R" if M.is_ref(fn.ret) else fn.ret
    ret_ll = "i64" if rk == "V" else _LL[rk]
    lines += [f"  %fp = getelementptr i64, i64* %env, i64 {funcs_slot}", "  %fa = load i64, i64* %fp",
              "  %ft = inttoptr i64 %fa to i64*", f"  %ep = getelementptr i64, i64* %ft, i64 {fn.fid}",
              "  %ea = load i64, i64* %ep",
              f"  %e = inttoptr i64 %ea to {ret_ll} (i64*{''.join(', ' + a.split()[0] for a in argv)})*",
              f"  %r = call {ret_ll} %e(i64* %env{''.join(', ' + a for a in argv)})"]
    if ret_ll == "double":
        lines += ["  %rw = bitcast double %r to i64", "  ret i64 %rw", "}"]
    else:
        lines += ["  ret i64 %r", "}"]
    return "\n".join(lines) + "\n"


__all__ = ["DispatchCode", "INLINE_TARGETS", "IC_WORDS", "FN_WORDS", "ADAPTER", "NATIVE_SHAPE", "adapter_ir"]
