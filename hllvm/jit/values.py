"""Erased values in IR (tier 1): boxes, run-time type tests, arrays of any
kind, value equality and hash (docs/bytecode.md, "Erased values").

A mixin of the lowering's writer (irgen.py `_Writer`): each `i_*` method
emits one instruction — BOXI/BOXF/BOXZ, CAST, ISA, XALOAD, XASTORE, VEQ,
VHASH, and INSTANCEOF/CHECKCAST, whose class may be an interface — with
exactly the interpreter's semantics.  The fast paths are inline: a box is
bumped in the allocation window and read back after one type-id compare
(the null block's type id is 0, so that compare also rejects null); type
tests read the native record of the value's type id (hllvm/tables.py);
XALOAD/XASTORE test the array's type id and handle an array of
references inline; VEQ/VHASH of boxes are a few instructions.  Longer
paths — boxing and unboxing the elements of int/float/bool arrays, the
loops over a string's code points, identity and array hashes — are
outlined: a function of their own in the module, called from every site
(irgen.py `with_fallback`).  What needs the VM's Python side — an
allocation when the window is full, a type test against a type loaded
after compiling (helpers.py) — is one helper call.  Whatever must raise
an HL error is handed back before the instruction, and the interpreter
raises it with its own message.

Interfaces: the classes loaded when the function is compiled are known
(their ids are below `known`); a test against an interface is a switch
over the ids of those that implement it, and a class loaded later (an id
at or above `known`) asks the helper.  Class ids are never reused, so
the switch stays true for the life of the VM.

It owns no layout (hllvm/layout.py) and no calling convention (irgen.py).
"""

from __future__ import annotations

from ..layout import (BOX_KIND, HASH_SHIFT, HEADER_WORDS, LENGTH_WORD, MAX_HASH, T_ANY, T_BOXF, T_BOXI,
                      T_BOXZ, T_FARR, T_IARR, T_STR8, T_STR32, T_ZARR, TYPE_MASK)
from ..ops.values import SMALL_INTS
from ..state import CLASS_AT, CLASSES, IDHASH, SMALLINTS, TLAB_END, TLAB_TOP
from ..tables import KIND_ARRAY, KIND_CLASS, KIND_SHAPE, REC_AHASH, REC_ELEM, REC_FNTYPE, REC_KIND, REC_TOSTR
from . import helpers as H

BOX_WORDS = HEADER_WORDS + 1        # a box: its header, then its one value word
VALUE_WORD = HEADER_WORDS           # the word of a box holding its value
# The box of each primitive array's elements (T_IARR, T_FARR, T_ZARR are consecutive).
_ARRAY_BOX = ((T_IARR, "I"), (T_FARR, "F"), (T_ZARR, "Z"))
QNAN_BITS = 0x7FF8000000000000      # VHASH of every nan (ops/values.py `float_bits`)
# Interfaces implemented by more classes than this are tested by the helper
# (and calls reaching more classes skip their switch: dispatch.py).
MAX_SWITCH = 64


class ValueCode:
    """The erased-value instructions of `_Writer` (see the module docstring)."""

    # --- type ids and boxes -------------------------------------------------------------
    def type_id(self, ref: str) -> str:
        """The type id of the block at `ref` (0 for null: the null block)."""
        return self.op(f"and i64 {self.load_header(self.heap_word(ref))}, {TYPE_MASK}")

    def allocate(self, tid: int, length: str, size: str, pc: int, stack: list) -> str:
        """A block of `size` words with its header (tid, length) bumped in
        the allocation window, else from the helper (which may collect, or
        hand the frame back before `pc` when there is no room); its payload
        is the caller's to write before anything else may collect."""
        e = self.emit
        k = self.label_id()
        top = self.load_env(TLAB_TOP)
        new = self.op(f"add i64 {top}, {size}")
        fits = self.op(f"icmp sle i64 {new}, {self.load_env(TLAB_END)}")
        e(f"br i1 {fits}, label %abump{k}, label %aslow{k}")
        self.label(f"abump{k}")
        e(f"store i64 {tid}, i64* {self.heap_word(top)}{self.HEADER}")
        e(f"store i64 {length}, i64* {self.heap_word(self.op(f'add i64 {top}, {LENGTH_WORD}'))}{self.HEADER}")
        self.store_env(TLAB_TOP, new)
        e(f"br label %amade{k}")
        self.label(f"aslow{k}")
        slow = self.helper(H.ALLOC, [str(tid), length, size], pc, stack)
        slow_block = self.current_block()
        e(f"br label %amade{k}")
        self.label(f"amade{k}")
        return self.op(f"phi i64 [{top}, %abump{k}], [{slow}, %{slow_block}]")

    def box(self, k: str, value: str, pc: int, stack: list) -> str:
        """A box of kind `k` ("I" or "F") holding `value` (of that kind): a
        reference; the VM's shared box for a small int, else a new one.
        `stack` is the stack before the instruction."""
        if k == "I":
            return self.int_box(value, pc, stack)
        return self.new_box(k, value, pc, stack)

    def int_box(self, v: str, pc: int, stack: list) -> str:
        """The shared box of a small int (from the table in SMALLINTS, made
        by the helper the first time), else a new box."""
        low, high = SMALL_INTS
        j = self.label_id()
        i = self.op(f"sub i64 {v}, {low}")
        self.emit(f"br i1 {self.op(f'icmp ult i64 {i}, {high - low}')}, label %bs{j}, label %bn{j}")
        self.label(f"bs{j}")
        shared = self.word_or_made(self.word_at(self.load_env(SMALLINTS), i), H.SMALLBOX, [v], pc, stack)
        shared_in = self.current_block()
        self.emit(f"br label %bd{j}")
        self.label(f"bn{j}")
        new = self.new_box("I", v, pc, stack)
        new_in = self.current_block()
        self.emit(f"br label %bd{j}")
        self.label(f"bd{j}")
        return self.op(f"phi i64 [{shared}, %{shared_in}], [{new}, %{new_in}]")

    def new_box(self, k: str, value: str, pc: int, stack: list) -> str:
        """A new box of kind `k` holding `value`."""
        r = self.allocate(BOX_KIND[k], "1", str(BOX_WORDS), pc, stack)
        self.emit(f"store i64 {self.as_word(k, value)}, i64* "
                  f"{self.heap_word(self.op(f'add i64 {r}, {VALUE_WORD}'))}{self.HEAP_MEM}")
        return r

    def unboxed(self, k: str, ref: str) -> str:
        """The value of the box at `ref` (known to be of kind `k`)."""
        w = self.op(f"load i64, i64* {self.heap_word(self.op(f'add i64 {ref}, {VALUE_WORD}'))}{self.HEAP_MEM}")
        return self.from_word(k, w)

    def bool_box(self, z: str) -> str:
        """The VM's box of bool `z` (0 or 1): one of its two permanent boxes."""
        false, true = self.world.bool_boxes()
        return self.op(f"select i1 {self.op(f'icmp ne i64 {z}, 0')}, i64 {true}, i64 {false}")

    def i_box(self, pc, d, args, stack):
        """A box of the value: the VM's own for a bool or a small int, as
        the interpreter's, else a new one (a box's identity is never
        observable: `==` of erased values is VEQ)."""
        k = {"BOXI": "I", "BOXF": "F", "BOXZ": "Z"}[d.name]
        if k == "Z":
            r = self.bool_box(self.peek(stack, 0))
        else:
            r = self.box(k, self.peek(stack, 0), pc, stack)
        self.pop(stack)
        self.push(stack, "R", r)

    # --- type tests ---------------------------------------------------------------------
    def record(self, tid: str) -> str:
        """Word offset of the native record of type id `tid` (0: none, as
        for strings and boxes): hllvm/tables.py."""
        return self.load_word(self.word_at(self.load_env(CLASS_AT), tid))

    def record_word(self, at: str, field: int) -> str:
        return self.load_word(self.word_at(self.load_env(CLASSES), self.op(f"add i64 {at}, {field}")))

    def is_type(self, ref: str, t: str, pc: int, stack: list) -> str:
        """An i1: `ref` is non-null and of type `t` (a descriptor; I/F/Z: a
        box of that kind), as the interpreter's ISA decides.  (`pc`,
        `stack`: where a helper this needs hands the frame back should a
        stop find it.)"""
        if t in BOX_KIND:
            return self.op(f"icmp eq i64 {self.type_id(ref)}, {BOX_KIND[t]}")
        if t == "R":
            return self.op(f"icmp ne i64 {ref}, 0")
        if t == "S":
            return self.op(f"icmp ult i64 {self.op(f'sub i64 {self.type_id(ref)}, {T_STR8}')}, 2")
        if t[0] == "L":
            return self.is_class(ref, self.world.class_named(t), pc, stack)
        code = self.world.type_code(t)
        tid = self.type_id(ref)
        if t[0] == "(":                     # a function value of that type: its shape's
            at = self.record(tid)
            shape = self.op(f"icmp eq i64 {self.record_word(at, REC_KIND)}, {KIND_SHAPE}")
            typed = self.op(f"icmp eq i64 {self.record_word(at, REC_FNTYPE)}, {code}")
            return self.op(f"and i1 {self.op(f'and i1 {shape}, {typed}')}, {self.op(f'icmp ne i64 {at}, 0')}")
        # An array: of exactly that type, or (arrays are covariant towards R
        # only) of a type whose elements fit: any array for R[], else the helper.
        k = self.label_id()
        before = self.current_block()
        self.emit(f"br i1 {self.op(f'icmp eq i64 {tid}, {code}')}, label %ta{k}, label %tn{k}")
        self.label(f"tn{k}")
        at = self.record(tid)
        array = self.op(f"and i1 {self.op(f'icmp ne i64 {at}, 0')}, "
                        f"{self.op(f'icmp eq i64 {self.record_word(at, REC_KIND)}, {KIND_ARRAY}')}")
        if self.world.array_element_code(t) == T_ANY:
            self.emit(f"br label %ta{k}")
            self.label(f"ta{k}")
            return self.op(f"phi i1 [true, %{before}], [{array}, %tn{k}]")
        self.emit(f"br i1 {array}, label %tq{k}, label %ta{k}")
        self.label(f"tq{k}")
        asked = self.asked_type(ref, t, pc, stack)
        asked_block = self.current_block()
        self.emit(f"br label %ta{k}")
        self.label(f"ta{k}")
        return self.op(f"phi i1 [true, %{before}], [false, %tn{k}], [{asked}, %{asked_block}]")

    def is_class(self, ref: str, cls, pc: int, stack: list) -> str:
        """An i1: `ref` is non-null and an instance of class or interface `cls`."""
        if not cls.is_interface:
            return self.is_instance(ref, cls)
        known, ids = self.world.implementors(cls)
        if len(ids) > MAX_SWITCH:
            return self.asked_type(ref, f"L{cls.module.name}.{cls.name};", pc, stack)
        # The switch over the classes known now; a class loaded later asks.
        tid = self.type_id(ref)
        k = self.label_id()
        cases = " ".join(f"i64 {i}, label %ityes{k}" for i in ids)
        self.emit(f"switch i64 {tid}, label %itno{k} [ {cases} ]")
        self.label(f"itno{k}")
        late = self.op(f"icmp uge i64 {tid}, {known}")
        self.emit(f"br i1 {late}, label %itask{k}, label %itdone{k}")
        self.label(f"itask{k}")
        asked = self.asked_type(ref, f"L{cls.module.name}.{cls.name};", pc, stack)
        asked_block = self.current_block()
        self.emit(f"br label %itdone{k}")
        self.label(f"ityes{k}")
        self.emit(f"br label %itdone{k}")
        self.label(f"itdone{k}")
        return self.op(f"phi i1 [true, %ityes{k}], [false, %itno{k}], [{asked}, %{asked_block}]")

    def asked_type(self, ref: str, t: str, pc: int, stack: list) -> str:
        """An i1: the helper's answer to `ref` is non-null and of type `t`
        (a type this code does not decide itself).  The helper neither
        allocates nor throws."""
        r = self.helper(H.ISA, [ref, str(self.world.type_code(t))], pc, stack)
        return self.op(f"icmp ne i64 {r}, 0")

    def i_cast(self, pc, d, args, stack):
        t = self.c(d.name, args)
        r = self.peek(stack, 0)
        if t in BOX_KIND:
            # NullError or CastError: the interpreter raises it, with its message.
            self.check(self.op(f"icmp ne i64 {self.type_id(r)}, {BOX_KIND[t]}"), pc, stack)
            self.pop(stack)
            self.push(stack, t, self.unboxed(t, r))
            return
        if t == "R":
            return                          # every reference is one
        ok = self.op(f"or i1 {self.is_type(r, t, pc, stack)}, {self.op(f'icmp eq i64 {r}, 0')}")
        self.check(self.op(f"xor i1 {ok}, true"), pc, stack)       # CastError

    def i_isa(self, pc, d, args, stack):
        t = self.c(d.name, args)
        v = self.op(f"zext i1 {self.is_type(self.peek(stack, 0), t, pc, stack)} to i64")
        self.pop(stack)
        self.push(stack, "Z", v)

    def i_instanceof(self, pc, d, args, stack):
        cls = self.c(d.name, args)
        v = self.op(f"zext i1 {self.is_class(self.peek(stack, 0), cls, pc, stack)} to i64")
        self.pop(stack)
        self.push(stack, "Z", v)

    def i_checkcast(self, pc, d, args, stack):
        cls = self.c(d.name, args)
        r = self.peek(stack, 0)
        fine = self.op(f"or i1 {self.is_class(r, cls, pc, stack)}, {self.op(f'icmp eq i64 {r}, 0')}")
        self.check(self.op(f"xor i1 {fine}, true"), pc, stack)     # CastError

    # --- arrays of any kind -----------------------------------------------------------------
    def is_primitive_array(self, tid: str) -> str:
        """An i1: type id `tid` is int[], float[] or bool[] (consecutive ids)."""
        return self.op(f"icmp ult i64 {self.op(f'sub i64 {tid}, {T_IARR}')}, 3")

    def i_xaload(self, pc, d, args, stack):
        """An element of an array of any kind: a reference as it is (inline:
        the generic code's case), an int, float or bool in a box (an
        outlined path: `fast_xbox`, else the helper)."""
        a, i = self.peek(stack, 1), self.peek(stack, 0)
        self.bounds(a, i, pc, stack)            # (null's length word is 0)
        k = self.label_id()
        self.emit(f"br i1 {self.is_primitive_array(self.type_id(a))}, label %xlp{k}, label %xlr{k}, !prof !0")
        self.label(f"xlr{k}")
        _ll, p = self.element_ptr("RALOAD", a, i)
        ref = self.op(f"load i64, i64* {p}{self.HEAP_MEM}")
        self.emit(f"br label %xlj{k}")
        self.label(f"xlp{k}")
        boxed = self.with_fallback(ValueCode.fast_xbox, [a, i], lambda: self.helper(H.XALOAD, [a, i], pc, stack))
        boxed_block = self.current_block()
        self.emit(f"br label %xlj{k}")
        self.label(f"xlj{k}")
        v = self.op(f"phi i64 [{ref}, %xlr{k}], [{boxed}, %{boxed_block}]")
        self.pops(stack, 2)
        self.push(stack, "R", v)

    def fast_xbox(self, vals, slow, join):
        """Element i of int/float/bool array a (in bounds), boxed: a bool in
        the VM's own box, an int or float in a new box bumped in the window
        (`slow` when it has no room)."""
        a, i = vals
        k = self.label_id()
        out = []
        cases = " ".join(f"i64 {t}, label %xb{k}{kk}" for t, kk in _ARRAY_BOX)
        self.emit(f"switch i64 {self.type_id(a)}, label %{slow} [ {cases} ]")
        for _t, kk in _ARRAY_BOX:
            self.label(f"xb{k}{kk}")
            ll, p = self.element_ptr(kk + "ALOAD", a, i)
            v = self.op(f"load {ll}, {ll}* {p}{self.HEAP_MEM}")
            if kk == "Z":
                out.append(self.done(self.bool_box(self.op(f"zext i8 {v} to i64")), join))
                continue
            r = self.bump(BOX_KIND[kk], "1", str(BOX_WORDS), slow)
            self.emit(f"store i64 {self.as_word(kk, v)}, i64* "
                      f"{self.heap_word(self.op(f'add i64 {r}, {VALUE_WORD}'))}{self.HEAP_MEM}")
            out.append(self.done(r, join))
        return out

    def bump(self, tid: int, length: str, size: str, slow: str) -> str:
        """A block bumped in the allocation window (its header written), or
        a branch to `slow` when the window has no room."""
        top = self.load_env(TLAB_TOP)
        new = self.op(f"add i64 {top}, {size}")
        k = self.label_id()
        self.emit(f"br i1 {self.op(f'icmp sle i64 {new}, {self.load_env(TLAB_END)}')}, label %bp{k}, label %{slow}")
        self.label(f"bp{k}")
        self.emit(f"store i64 {tid}, i64* {self.heap_word(top)}{self.HEADER}")
        self.emit(f"store i64 {length}, i64* {self.heap_word(self.op(f'add i64 {top}, {LENGTH_WORD}'))}{self.HEADER}")
        self.store_env(TLAB_TOP, new)
        return top

    def i_xastore(self, pc, d, args, stack):
        """Store into an array of any kind: a reference into an array of
        references inline when it plainly fits (null, an R[], exactly the
        element type); the value of a box into an int, float or bool array
        (outlined: `fast_xunbox`); anything else by the helper, which stores
        or has the frame handed back (the interpreter throws)."""
        a, i, v = self.peek(stack, 2), self.peek(stack, 1), self.peek(stack, 0)   # (v: a reference, verified)
        self.bounds(a, i, pc, stack)
        tid = self.type_id(a)
        k = self.label_id()
        self.emit(f"br i1 {self.is_primitive_array(tid)}, label %xsp{k}, label %xsr{k}, !prof !0")
        self.label(f"xsr{k}")
        code = self.record_word(self.record(tid), REC_ELEM)
        plain = self.op(f"or i1 {self.op(f'icmp eq i64 {v}, 0')}, {self.op(f'icmp eq i64 {code}, {T_ANY}')}")
        fits = self.op(f"or i1 {plain}, {self.op(f'icmp eq i64 {self.type_id(v)}, {code}')}")
        self.emit(f"br i1 {fits}, label %xss{k}, label %xsh{k}, !prof !1")
        self.label(f"xss{k}")
        _ll, p = self.element_ptr("RASTORE", a, i)
        self.emit(f"store i64 {v}, i64* {p}{self.HEAP_MEM}")
        self.emit(f"br label %xsj{k}")
        self.label(f"xsp{k}")
        self.with_fallback(ValueCode.fast_xunbox, [a, i, v], lambda: self.helper(H.XASTORE, [a, i, v], pc, stack))
        self.emit(f"br label %xsj{k}")
        self.label(f"xsh{k}")
        self.helper(H.XASTORE, [a, i, v], pc, stack)
        self.emit(f"br label %xsj{k}")
        self.label(f"xsj{k}")
        self.pops(stack, 3)

    def fast_xunbox(self, vals, slow, join):
        """a[i] := the value of box v, for an int, float or bool array a (in
        bounds) and a box of its kind (else `slow`)."""
        a, i, v = vals
        k = self.label_id()
        out = []
        cases = " ".join(f"i64 {t}, label %xu{k}{kk}" for t, kk in _ARRAY_BOX)
        vt = self.type_id(v)
        self.emit(f"switch i64 {self.type_id(a)}, label %{slow} [ {cases} ]")
        for _t, kk in _ARRAY_BOX:
            self.label(f"xu{k}{kk}")
            self.emit(f"br i1 {self.op(f'icmp eq i64 {vt}, {BOX_KIND[kk]}')}, label %xv{k}{kk}, label %{slow}")
            self.label(f"xv{k}{kk}")
            w = self.unboxed(kk, v)
            ll, p = self.element_ptr(kk + "ASTORE", a, i)
            if ll == "i8":
                w = self.op(f"trunc i64 {w} to i8")
            self.emit(f"store {ll} {w}, {ll}* {p}{self.HEAP_MEM}")
            out.append(self.done("0", join))
        return out

    # --- value equality and hash -----------------------------------------------------------
    def i_veq(self, pc, d, args, stack):
        """Value equality: the same reference; else two boxes of one kind
        with equal values, or two strings of equal content (outlined:
        `fast_text_eq`) — both of one type id (null's is 0)."""
        a, b = self.pops(stack, 2)
        e = self.emit
        k = self.label_id()
        out = []
        e(f"br i1 {self.op(f'icmp eq i64 {a}, {b}')}, label %vqt{k}, label %vq1{k}")
        self.label(f"vq1{k}")
        ta = self.type_id(a)
        e(f"br i1 {self.op(f'icmp eq i64 {ta}, {self.type_id(b)}')}, label %vq2{k}, label %vqf{k}")
        self.label(f"vq2{k}")
        cases = (f"i64 {T_BOXI}, label %vqw{k} i64 {T_BOXZ}, label %vqw{k} i64 {T_BOXF}, label %vqd{k} "
                 f"i64 {T_STR8}, label %vqs{k} i64 {T_STR32}, label %vqs{k}")
        e(f"switch i64 {ta}, label %vqf{k} [ {cases} ]")
        self.label(f"vqw{k}")
        out.append((self.op(f"icmp eq i64 {self.unboxed('I', a)}, {self.unboxed('I', b)}"), f"vqw{k}"))
        e(f"br label %vqj{k}")
        self.label(f"vqd{k}")                # nan is unequal to itself, 0.0 equal to -0.0
        out.append((self.op(f"fcmp oeq double {self.unboxed('F', a)}, {self.unboxed('F', b)}"), f"vqd{k}"))
        e(f"br label %vqj{k}")
        self.label(f"vqs{k}")
        out.append((self.op(f"icmp ne i64 {self.outlined(ValueCode.fast_text_eq, [a, b, ta])}, 0"), f"vqs{k}"))
        e(f"br label %vqj{k}")
        self.label(f"vqt{k}")
        e(f"br label %vqj{k}")
        self.label(f"vqf{k}")
        e(f"br label %vqj{k}")
        self.label(f"vqj{k}")
        v = self.op(f"phi i1 [true, %vqt{k}], [false, %vqf{k}], " + ", ".join(f"[{x}, %{blk}]" for x, blk in out))
        self.push(stack, "Z", self.op(f"zext i1 {v} to i64"))

    def outlined(self, fast, vals: list) -> str:
        """The value of fast path `fast`, which never fails (see
        `with_fallback`: a function of its own in the module)."""
        name = f"@hl_{fast.__name__}_{self.fn.fid}{'o' if self.osr else ''}"
        if name not in self.outlines:
            self.outlines[name] = self.outline(name, fast, len(vals))
        words = [*vals, "0", "0", "0"][:3]
        r = self.op(f"call {{i64, i1}} {name}(i64* %env, {', '.join(f'i64 {w}' for w in words)})")
        return self.op(f"extractvalue {{i64, i1}} {r}, 0")

    def fast_text_eq(self, vals, slow, join):
        """1 if strings a and b, both of type id t, hold the same code points
        (in canonical form: the same length and bytes), else 0."""
        a, b, tid = vals
        e = self.emit
        n = self.length_of(a)
        k = self.label_id()
        e(f"br i1 {self.op(f'icmp eq i64 {n}, {self.length_of(b)}')}, label %stb{k}, label %stx{k}")
        self.label(f"stb{k}")
        wide = self.op(f"icmp ne i64 {tid}, {T_STR8}")
        nbytes = self.op(f"select i1 {wide}, i64 {self.op(f'shl i64 {n}, 2')}, i64 {n}")
        pa, pb = self.bytes_of(a), self.bytes_of(b)
        e(f"br label %sth{k}")
        self.label(f"sth{k}")
        i, nxt = self.tmp(), self.tmp()
        e(f"{i} = phi i64 [0, %stb{k}], [{nxt}, %stn{k}]")
        e(f"br i1 {self.op(f'icmp slt i64 {i}, {nbytes}')}, label %stl{k}, label %sty{k}")
        self.label(f"stl{k}")
        x = self.op(f"load i8, i8* {self.op(f'getelementptr i8, i8* {pa}, i64 {i}')}")
        y = self.op(f"load i8, i8* {self.op(f'getelementptr i8, i8* {pb}, i64 {i}')}")
        e(f"br i1 {self.op(f'icmp eq i8 {x}, {y}')}, label %stn{k}, label %stx{k}")
        self.label(f"stn{k}")
        e(f"{nxt} = add i64 {i}, 1")
        e(f"br label %sth{k}")
        self.label(f"sty{k}")
        out = [self.done("1", join)]
        self.label(f"stx{k}")
        out.append(self.done("0", join))
        return out

    def fast_seq(self, vals, slow, join):
        """SEQ (code 0) / SNE (code 1): the same reference (null included)
        is equal; else null on one side, or two type ids (canonical
        strings: a compact and a wide string always differ), is unequal;
        else `fast_text_eq`."""
        a, b, code = vals
        k = self.label_id()
        out = []
        same = self.op(f"icmp eq i64 {a}, {b}")
        ne = self.op(f"icmp ne i64 {code}, 0")
        self.done_if(same, self.op(f"zext i1 {self.op(f'xor i1 {ne}, true')} to i64"), join, out)
        one_null = self.op(f"or i1 {self.op(f'icmp eq i64 {a}, 0')}, {self.op(f'icmp eq i64 {b}, 0')}")
        ta = self.type_id(a)
        differ = self.op(f"or i1 {one_null}, {self.op(f'icmp ne i64 {ta}, {self.type_id(b)}')}")
        self.done_if(differ, self.op(f"zext i1 {ne} to i64"), join, out)
        eq = [v for v in self.fast_text_eq([a, b, ta], slow, f"teq{k}")]
        self.label(f"teq{k}")
        v = self.op("phi i64 " + ", ".join(f"[{x}, %{blk}]" for x, blk in eq))
        out.append(self.done(self.op(f"xor i64 {v}, {code}"), join))
        return out

    def fast_scmp(self, vals, slow, join):
        """SLT SLE SGT SGE (codes 2-5) of two non-null strings, by code point
        (compact: bytes, wide: u32), then by length; a null side: `slow`."""
        a, b, code = vals
        e = self.emit
        k = self.label_id()
        nulls = self.op(f"or i1 {self.op(f'icmp eq i64 {a}, 0')}, {self.op(f'icmp eq i64 {b}, 0')}")
        e(f"br i1 {nulls}, label %{slow}, label %sc0{k}")
        self.label(f"sc0{k}")
        na, nb = self.length_of(a), self.length_of(b)
        n = self.op(f"select i1 {self.op(f'icmp slt i64 {na}, {nb}')}, i64 {na}, i64 {nb}")
        wa = self.op(f"icmp ne i64 {self.type_id(a)}, {T_STR8}")
        wb = self.op(f"icmp ne i64 {self.type_id(b)}, {T_STR8}")
        pa, pb = self.bytes_of(a), self.bytes_of(b)
        qa = self.op(f"bitcast i8* {pa} to i32*")
        qb = self.op(f"bitcast i8* {pb} to i32*")
        before = self.current_block()
        e(f"br label %sch{k}")
        self.label(f"sch{k}")
        i, i1 = self.tmp(), self.tmp()
        e(f"{i} = phi i64 [0, %{before}], [{i1}, %scn{k}]")
        e(f"br i1 {self.op(f'icmp slt i64 {i}, {n}')}, label %scl{k}, label %sce{k}")
        self.label(f"scl{k}")
        ca = self.code_point(wa, pa, qa, i, f"sca{k}")
        cb = self.code_point(wb, pb, qb, i, f"scb{k}")
        e(f"br i1 {self.op(f'icmp eq i64 {ca}, {cb}')}, label %scn{k}, label %scd{k}")
        self.label(f"scn{k}")
        e(f"{i1} = add i64 {i}, 1")
        e(f"br label %sch{k}")
        self.label(f"scd{k}")                 # the first code point that differs decides
        d1 = self.op(f"select i1 {self.op(f'icmp ult i64 {ca}, {cb}')}, i64 -1, i64 1")
        e(f"br label %scr{k}")
        self.label(f"sce{k}")                 # one is a prefix of the other: the shorter first
        d2 = self.op(f"sub i64 {na}, {nb}")
        e(f"br label %scr{k}")
        self.label(f"scr{k}")
        c = self.op(f"phi i64 [{d1}, %scd{k}], [{d2}, %sce{k}]")
        le = self.op(f"icmp sle i64 {c}, 0")
        gt = self.op(f"icmp sgt i64 {c}, 0")
        ge = self.op(f"icmp sge i64 {c}, 0")
        lt = self.op(f"icmp slt i64 {c}, 0")
        upper = self.op(f"select i1 {self.op(f'icmp eq i64 {code}, 4')}, i1 {gt}, i1 {ge}")
        lower = self.op(f"select i1 {self.op(f'icmp eq i64 {code}, 2')}, i1 {lt}, i1 {le}")
        r = self.op(f"select i1 {self.op(f'icmp slt i64 {code}, 4')}, i1 {lower}, i1 {upper}")
        return [self.done(self.op(f"zext i1 {r} to i64"), join)]

    def code_point(self, wide: str, p8: str, p32: str, i: str, name: str) -> str:
        """Code point i of a string: a u32 of a wide one, a byte of a compact one."""
        e = self.emit
        e(f"br i1 {wide}, label %{name}w, label %{name}c")
        self.label(f"{name}w")
        w = self.op(f"zext i32 {self.op(f'load i32, i32* ' + self.op(f'getelementptr i32, i32* {p32}, i64 {i}'))} to i64")
        e(f"br label %{name}j")
        self.label(f"{name}c")
        c = self.op(f"zext i8 {self.op(f'load i8, i8* ' + self.op(f'getelementptr i8, i8* {p8}, i64 {i}'))} to i64")
        e(f"br label %{name}j")
        self.label(f"{name}j")
        return self.op(f"phi i64 [{w}, %{name}w], [{c}, %{name}c]")

    def i_vhash(self, pc, d, args, stack):
        """The value hash: 0 for null, a box's value (a float's bits, -0.0
        as 0.0 and every nan as one) inline; a string's, an array's and an
        identity (outlined: `fast_vhash`)."""
        r = self.pop(stack)
        e = self.emit
        k = self.label_id()
        out = []
        tid = self.type_id(r)                # (null: 0)
        cases = (f"i64 0, label %vhz{k} i64 {T_BOXI}, label %vhw{k} i64 {T_BOXZ}, label %vhw{k} "
                 f"i64 {T_BOXF}, label %vhd{k}")
        e(f"switch i64 {tid}, label %vho{k} [ {cases} ]")
        self.label(f"vhz{k}")
        out.append(("0", f"vhz{k}"))
        e(f"br label %vhj{k}")
        self.label(f"vhw{k}")
        out.append((self.unboxed("I", r), f"vhw{k}"))
        e(f"br label %vhj{k}")
        self.label(f"vhd{k}")
        x = self.unboxed("F", r)
        bits = self.op(f"select i1 {self.op(f'fcmp oeq double {x}, 0.0')}, i64 0, i64 {self.as_word('F', x)}")
        out.append((self.op(f"select i1 {self.op(f'fcmp uno double {x}, 0.0')}, i64 {QNAN_BITS}, i64 {bits}"),
                    f"vhd{k}"))
        e(f"br label %vhj{k}")
        self.label(f"vho{k}")
        out.append((self.outlined(ValueCode.fast_vhash, [r, tid]), f"vho{k}"))
        e(f"br label %vhj{k}")
        self.label(f"vhj{k}")
        self.push(stack, "I", self.op("phi i64 " + ", ".join(f"[{x}, %{blk}]" for x, blk in out)))

    def fast_vhash(self, vals, slow, join):
        """VHASH of non-null r (type id t) that is no box: a string's h * 31 +
        c over its code points; an array's type seed * 31 + its length; an
        object's or a function value's identity hash, kept in the high half
        of its word 1 and given, the first time, from the run state's
        counter (the next after IDHASH, wrapping at MAX_HASH)."""
        r, tid = vals
        e = self.emit
        k = self.label_id()
        out = []
        e(f"switch i64 {tid}, label %fvo{k} [ i64 {T_STR8}, label %fvs{k} i64 {T_STR32}, label %fvu{k} ]")
        for label, unit in ((f"fvs{k}", "i8"), (f"fvu{k}", "i32")):
            self.label(label)
            out.append(self.done(self.string_hash(r, unit), join))
        self.label(f"fvo{k}")
        at = self.record(tid)
        n = self.load_header(self.heap_word(self.op(f"add i64 {r}, {LENGTH_WORD}")))
        e(f"br i1 {self.op(f'icmp eq i64 {self.record_word(at, REC_KIND)}, {KIND_ARRAY}')}, "
          f"label %fva{k}, label %fvi{k}")
        self.label(f"fva{k}")
        seed = self.record_word(at, REC_AHASH)
        out.append(self.done(self.op(f"add i64 {self.op(f'mul i64 {seed}, 31')}, {n}"), join))
        self.label(f"fvi{k}")
        h = self.op(f"lshr i64 {n}, {HASH_SHIFT}")
        e(f"br i1 {self.op(f'icmp ne i64 {h}, 0')}, label %fvk{k}, label %fvn{k}")
        self.label(f"fvk{k}")
        out.append(self.done(h, join))
        self.label(f"fvn{k}")
        given = self.op(f"add i64 {self.op(f'urem i64 {self.load_env(IDHASH)}, {MAX_HASH}')}, 1")
        self.store_env(IDHASH, given)
        e(f"store i64 {self.op(f'or i64 {n}, ' + self.op(f'shl i64 {given}, {HASH_SHIFT}'))}, i64* "
          f"{self.heap_word(self.op(f'add i64 {r}, {LENGTH_WORD}'))}{self.HEADER}")
        out.append(self.done(given, join))
        return out

    def string_hash(self, s: str, unit: str) -> str:
        """h = h * 31 + c over the code points of string `s`, each an `unit`
        (i8 compact, i32 wide), wrapping."""
        n = self.length_of(s)
        first = self.op(f"bitcast i8* {self.bytes_of(s)} to {unit}*")
        k = self.label_id()
        before = self.current_block()
        self.emit(f"br label %shh{k}")
        self.label(f"shh{k}")
        i, h, i1, h1 = self.tmp(), self.tmp(), self.tmp(), self.tmp()
        self.emit(f"{i} = phi i64 [0, %{before}], [{i1}, %shl{k}]")
        self.emit(f"{h} = phi i64 [0, %{before}], [{h1}, %shl{k}]")
        self.emit(f"br i1 {self.op(f'icmp slt i64 {i}, {n}')}, label %shl{k}, label %shx{k}")
        self.label(f"shl{k}")
        at = self.op(f"getelementptr {unit}, {unit}* {first}, i64 {i}")
        c = self.op(f"zext {unit} {self.op(f'load {unit}, {unit}* {at}')} to i64")
        self.emit(f"{h1} = add i64 {self.op(f'mul i64 {h}, 31')}, {c}")
        self.emit(f"{i1} = add i64 {i}, 1")
        self.emit(f"br label %shh{k}")
        self.label(f"shx{k}")
        return h

    # --- to_string of any reference ----------------------------------------------------------
    def i_tostr_obj(self, pc, d, args, stack):
        """`str()` of any reference: a string is itself; an instance whose
        class has `to_string()` calls it (compiled, through its class's
        slot); an array and a function value are "<array>" and "<fn>"; the
        rest — null, a class without one, a box — is the VM's text (a
        helper)."""
        r = self.peek(stack, 0)
        e = self.emit
        k = self.label_id()
        tid = self.type_id(r)
        out = []
        is_str = self.op(f"icmp ult i64 {self.op(f'sub i64 {tid}, {T_STR8}')}, 2")
        e(f"br i1 {is_str}, label %tss{k}, label %tsc{k}")
        self.label(f"tss{k}")
        out.append((r, f"tss{k}"))
        e(f"br label %tsj{k}")
        self.label(f"tsc{k}")
        at = self.record(tid)                   # (0 for null and boxes: no record, kind 0)
        kind = self.op(f"select i1 {self.op(f'icmp eq i64 {at}, 0')}, i64 0, i64 {self.record_word(at, REC_KIND)}")
        e(f"switch i64 {kind}, label %tsh{k} [ i64 {KIND_CLASS}, label %tsr{k} "
          f"i64 {KIND_ARRAY}, label %tsa{k} i64 {KIND_SHAPE}, label %tsf{k} ]")
        for label, text in ((f"tsa{k}", self.world.text_of("array")), (f"tsf{k}", self.world.text_of("fn"))):
            self.label(label)
            out.append((str(text), label))      # interned: permanent
            e(f"br label %tsj{k}")
        self.label(f"tsr{k}")
        slot = self.record_word(at, REC_TOSTR)
        e(f"br i1 {self.op(f'icmp sge i64 {slot}, 0')}, label %tsv{k}, label %tsh{k}")
        self.label(f"tsh{k}")
        out.append((self.helper(H.TOSTR, [r], pc, stack), self.current_block()))
        e(f"br label %tsj{k}")
        self.label(f"tsv{k}")
        fid = self.vtable_fid(at, slot)
        out.append((self.compiled_call(pc, fid, ["R"], "S", list(stack), keep=True), self.current_block()))
        e(f"br label %tsj{k}")
        self.label(f"tsj{k}")
        v = self.op("phi i64 " + ", ".join(f"[{x}, %{blk}]" for x, blk in out))
        self.pop(stack)
        self.push(stack, "R", v)


__all__ = ["ValueCode", "BOX_WORDS", "VALUE_WORD", "MAX_SWITCH", "QNAN_BITS"]
