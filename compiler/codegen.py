"""Checked syntax → bytecode for one function body (docs/conventions.md).

`FunctionGen` lowers the statements and expressions of one function, method,
init or module initialiser into an `Assembler`: locals get slots (reused only
by locals of the same type), `for` loops get hidden locals, `&&`/`||` become
branches, compound assignments evaluate their target once (DUP/DUP2), and
each `finally` block is compiled once, outside its `try`'s own handler
ranges: every way out of the `try` (its normal end, an exception, a `break`,
`continue` or `return`) stores why in a hidden local and jumps to it, and
the code after it dispatches on that local.  (Copying the block onto every
exit, as javac does, makes a `finally` nested in a `finally` double the
code per level.)  Operator choice is by table, keyed by operator and
operand kind.

Every expression leaves its value in the representation of its static type
(its descriptor: `I` for an int, `R` for a type parameter's value...).
Where a value meets a declaration compiled for another erasure (a member of
a generic class, a generic function's parameter or result, a method whose
signature is the erasure of the method it overrides), `coerce` converts it
as `erasure.conversion` says: boxes, `CAST`s, and adapter closures for
function values (docs/conventions.md, "Generics").  Function literals,
named functions and bound methods become `CLOSURE`s of module functions
that `modgen` generates.

It trusts the checker's annotations and reports nothing (but a conversion
no instruction can make, `erasure.Unconvertible`, is a compile error at the
expression); the module's layout (classes, vtables, helpers, the
descriptor) is `modgen`'s.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from hlbc import model as M
from hlbc.limits import MAX_LOCALS

from . import syntax as S
from .assembler import Assembler, InternalError, Label, Region
from .calls import equality_operand
from .declare import EQUALS_IFACE, HASH_IFACE
from .erasure import Unconvertible, contains_r, conversion
from .limits import LimitError
from .symbols import (ARRAY_LENGTH, STRING_LENGTH, BoundMethod, CallBuiltin, CallFunction, CallMethod, CallSuper,
                      CallValue, ClassInfo, FieldInfo, FunctionInfo, FunctionValue, GlobalInfo, LocalVar)
from .typesys import NULL, STRING, VOID, ArrayType, ClassType, FnType, Type, TypeParam, assignable

# Operand kinds: I F Z S for the primitives and strings, R for other references.
ARITH = {
    ("+", "I"): "IADD", ("-", "I"): "ISUB", ("*", "I"): "IMUL", ("/", "I"): "IDIV", ("%", "I"): "IREM",
    ("&", "I"): "IAND", ("|", "I"): "IOR", ("^", "I"): "IXOR", ("<<", "I"): "ISHL", (">>", "I"): "ISHR",
    ("+", "F"): "FADD", ("-", "F"): "FSUB", ("*", "F"): "FMUL", ("/", "F"): "FDIV", ("%", "F"): "FREM",
}
COMPARE = {
    ("==", "I"): "IEQ", ("!=", "I"): "INE", ("<", "I"): "ILT", ("<=", "I"): "ILE", (">", "I"): "IGT", (">=", "I"): "IGE",
    ("==", "F"): "FEQ", ("!=", "F"): "FNE", ("<", "F"): "FLT", ("<=", "F"): "FLE", (">", "F"): "FGT", (">=", "F"): "FGE",
    ("==", "S"): "SEQ", ("!=", "S"): "SNE", ("<", "S"): "SLT", ("<=", "S"): "SLE", (">", "S"): "SGT", (">=", "S"): "SGE",
    ("==", "Z"): "ZEQ", ("!=", "Z"): "ZNE",
    ("==", "R"): "REQ", ("!=", "R"): "RNE",
}
NEGATE = {"I": "INEG", "F": "FNEG"}
ELEM_LOAD = {"I": "IALOAD", "F": "FALOAD", "Z": "ZALOAD", "S": "RALOAD", "R": "RALOAD"}
ELEM_STORE = {"I": "IASTORE", "F": "FASTORE", "Z": "ZASTORE", "S": "RASTORE", "R": "RASTORE"}
TO_STRING = {"I": "ITOS", "F": "FTOS", "Z": "ZTOS", "S": "STOS"}


def kind(t: Type) -> str:
    d = t.desc[0]
    return d if d in "IFZS" else "R"


def elem_load(elem_desc: str) -> str:
    """The instruction reading an element of an array whose element
    descriptor is `elem_desc` (an `R[]` may be any array: XALOAD)."""
    if elem_desc == "R":
        return "XALOAD"
    d = elem_desc[0]
    return ELEM_LOAD[d if d in "IFZS" else "R"]


def elem_store(elem_desc: str) -> str:
    """The instruction writing one (into `R[]`, `R[][]`...: XASTORE, which
    checks the value against the array's element type at run time)."""
    if elem_desc.lstrip("[") == "R":
        return "XASTORE"
    d = elem_desc[0]
    return ELEM_STORE[d if d in "IFZS" else "R"]


def call_descs(sig: str) -> tuple[tuple[str, ...], str]:
    return M.parse_signature(sig)


@dataclass
class _Loop:
    break_to: Label
    continue_to: Label


@dataclass
class _Try:
    """A `try` being compiled: the regions currently protecting its code and
    the `finally` block to run on any exit.  With a `finally`: the label of
    its one copy, the locals saying why it runs (`reason`: NORMAL, THROWN
    with the exception in `exc`, or EXITS + k for the k-th of `exits`, each
    a callable that emits the rest of that exit, after the `finally`), and
    whether the `try` can end normally."""
    regions: list[Region]
    finally_: S.Block | None
    entry: Label | None = None
    reason: int = -1
    exc: int = -1
    exits: list = field(default_factory=list)
    normal: bool = False


# Why a `finally` runs: the values of `_Try.reason`.
NORMAL, THROWN, EXITS = 0, 1, 2


@dataclass
class _Scope:
    slots: list[int] = field(default_factory=list)
    vars: list[LocalVar] = field(default_factory=list)


class FunctionGen:
    def __init__(self, mg, where: str, ret: Type, ret_desc: str | None = None):
        self.mg = mg                      # the ModuleGen: pool and helper functions
        self.pool = mg.pool
        self.where = where
        self.ret = ret
        # What the function returns in bytecode: the erasure of the method it
        # overrides, or the descriptor a function literal is compiled for.
        self.ret_desc = ret.desc if ret_desc is None else ret_desc
        self.asm = Assembler(self.pool.consts)
        self.locals: list[str] = []
        self.slots: dict[LocalVar, int] = {}
        self._free: dict[str, list[int]] = {}
        self._scopes: list[_Scope] = [_Scope()]
        self.ctx: list[_Loop | _Try] = []
        self._ret_slot: int | None = None     # a value returned through a `finally`

    # --- locals -------------------------------------------------------------------------

    def fixed_local(self, var: LocalVar | None, desc: str) -> int:
        """Receiver and parameters: the next slot, never reused."""
        slot = self._new_slot(desc, var)
        if var is not None:
            self.slots[var] = slot
        return slot

    def parameters(self, vars_, types: list[Type], descs: tuple[str, ...]) -> None:
        """The parameters after the receiver: slots of the bytecode
        signature's types (`descs`); a parameter whose static type has
        another representation is converted into a slot of its own."""
        fix = []
        for v, t, d in zip(vars_, types, descs):
            slot = self.fixed_local(v, d)
            if d != t.desc:
                fix.append((v, t, d, slot))
        for v, t, d, slot in fix:
            self.asm.emit("LOAD", slot)
            self.coerce(d, t.desc)
            new = self._new_slot(t.desc, v)
            self.asm.emit("STORE", new)
            if v is not None:
                self.slots[v] = new

    def _new_slot(self, desc: str, var: LocalVar | None) -> int:
        slot = len(self.locals)
        if slot == MAX_LOCALS:
            line, col = (var.line, var.col) if var is not None and var.line else self.asm.here()
            raise LimitError(line, col, f"too many local variables: '{self.where}' would need more than "
                                        f"{MAX_LOCALS} local slots (parameters, variables and the hidden "
                                        f"ones of loops and try blocks)")
        self.locals.append(desc)
        return slot

    def _slot(self, desc: str, var: LocalVar | None = None) -> int:
        free = self._free.get(desc)
        slot = free.pop() if free else self._new_slot(desc, var)
        self._scopes[-1].slots.append(slot)
        return slot

    def declare(self, var: LocalVar) -> int:
        slot = self._slot(var.type.desc, var)
        self.slots[var] = slot
        self._scopes[-1].vars.append(var)
        return slot

    def temp(self, desc: str) -> int:
        return self._slot(desc)

    @contextmanager
    def scope(self):
        self._scopes.append(_Scope())
        try:
            yield
        finally:
            sc = self._scopes.pop()
            for slot in sc.slots:
                self._free.setdefault(self.locals[slot], []).append(slot)
            for v in sc.vars:
                self.slots.pop(v, None)

    # --- finishing ------------------------------------------------------------------------

    def finish_void(self) -> None:
        self.asm.emit("RET")

    def result(self):
        code, max_stack, handlers, lines = self.asm.finish(self.where)
        return code, max_stack, handlers, lines, tuple(self.locals)

    # --- statements ------------------------------------------------------------------------

    def body(self, block: S.Block) -> None:
        self.stmts(block.stmts)
        if self.asm.reachable:
            if self.ret is not VOID:
                raise InternalError(f"{self.where}: the end of a non-void body is reachable")
            self.finish_void()

    def stmts(self, stmts: list[S.Stmt]) -> None:
        for s in stmts:
            self.stmt(s)

    def stmt(self, s: S.Stmt) -> None:
        self.mg.budget.step(s.line, s.col)
        self.asm.statement(*S.stmt_start(s))
        getattr(self, S.STMT_VISIT[type(s)])(s)

    def block(self, b: S.Block) -> None:
        with self.scope():
            self.stmts(b.stmts)

    def s_block(self, b: S.Block) -> None:
        self.block(b)

    def s_var(self, d: S.VarDecl) -> None:
        if d.init is not None:
            self.value_as(d.init, d.var.type.desc)
        else:
            self.zero(d.var.type)
        slot = self.declare(d.var)
        self.asm.emit("STORE", slot)

    def zero(self, t: Type) -> None:
        self.zero_desc(t.desc)

    def zero_desc(self, desc: str) -> None:
        if desc == "I":
            self.asm.emit("ICONST", self.pool.int(0))
        elif desc == "F":
            self.asm.emit("FCONST", self.pool.float(0.0))
        elif desc == "Z":
            self.asm.emit("BCONST", 0)
        else:
            self.asm.emit("NULL")

    def s_expr(self, s: S.ExprStmt) -> None:
        self.expr(s.expr)
        if s.expr.ty is not VOID:
            self.asm.emit("POP")

    def s_assign(self, s: S.Assign) -> None:
        t = s.target
        compound = s.op != "="
        if isinstance(t, S.Name) or (isinstance(t, S.Member) and isinstance(t.sym, GlobalInfo)):
            load, store = self._var_access(t.sym)
            if compound:
                self.asm.emit(*load)
            self._assigned_value(s, compound, t.sym.type.desc)
            self.asm.emit(*store)
        elif isinstance(t, S.Member):
            self.expr(t.obj)
            fld = self.pool.field(t.sym)
            declared = t.sym.type.desc
            if compound:
                self.asm.emit("DUP")
                self.asm.emit("GETFIELD", fld)
                self.coerce(declared, t.ty.desc)
            self._assigned_value(s, compound, declared, t.ty.desc)
            self.asm.emit("PUTFIELD", fld)
        elif isinstance(t, S.Index):
            elem = t.obj.ty.desc[1:]
            self.expr(t.obj)
            self.expr(t.index)
            if compound:
                self.asm.emit("DUP2")
                self.asm.emit(elem_load(elem))
                self.coerce(elem, t.ty.desc)
            self._assigned_value(s, compound, elem, t.ty.desc)
            self.asm.position(s.line, s.col)
            self.asm.emit(elem_store(elem))
        else:
            raise InternalError(f"{self.where}: unexpected assignment target")

    def _var_access(self, sym) -> tuple[tuple, tuple]:
        if isinstance(sym, LocalVar):
            slot = self.slots[sym]
            return ("LOAD", slot), ("STORE", slot)
        g = self.pool.global_(sym)
        return ("GGET", g), ("GSET", g)

    def _assigned_value(self, s: S.Assign, compound: bool, desc: str, natural: str | None = None) -> None:
        """The value to store, as `desc`; for `x op= v` the current value
        is on the stack (as `natural`, its static type's descriptor)."""
        if not compound:
            self.value_as(s.value, desc)
            return
        op = s.op[:-1]
        if s.operand_ty is STRING:
            self.string_operand(s.value)
            self.asm.emit("CONCAT")
        else:
            self.expr(s.value)
            self.asm.position(s.line, s.col)
            self.asm.emit(ARITH[op, kind(s.operand_ty)])
        self.coerce(natural or desc, desc)

    def s_if(self, s: S.If) -> None:
        else_l, end = Label(), Label()
        self.branch(s.cond, else_l, False)
        self.block(s.then)
        if s.else_ is None:
            self.asm.bind(else_l)
            return
        self.asm.jump("JMP", end)
        self.asm.bind(else_l)
        if isinstance(s.else_, S.Block):
            self.block(s.else_)
        else:
            self.stmt(s.else_)
        self.asm.bind(end)

    def s_while(self, s: S.While) -> None:
        top, test, end = Label(), Label(), Label()
        forever = isinstance(s.cond, S.BoolLit) and s.cond.value
        never = isinstance(s.cond, S.BoolLit) and not s.cond.value
        live = self.asm.reachable and not never
        if not forever:
            self.asm.jump("JMP", test)
        self.asm.bind_loop_head(top, live)
        self.ctx.append(_Loop(end, top if forever else test))
        self.block(s.body)
        self.ctx.pop()
        if forever:
            self.asm.jump("JMP", top)
        else:
            self.asm.bind(test)
            self.asm.statement(s.line, s.col)
            self.branch(s.cond, top, True)
        self.asm.bind(end)

    def s_for_range(self, s: S.ForRange) -> None:
        top, step, test, end = Label(), Label(), Label(), Label()
        with self.scope():
            self.expr(s.start)
            self.expr(s.end)
            limit = self.temp("I")
            self.asm.emit("STORE", limit)
            i = self.declare(s.var)
            self.asm.emit("STORE", i)
            live = self.asm.reachable
            self.asm.jump("JMP", test)
            self.asm.bind_loop_head(top, live)
            self.ctx.append(_Loop(end, step))
            self.block(s.body)
            self.ctx.pop()
            self.asm.bind(step)
            self.asm.statement(s.line, s.col)
            self.asm.emit("LOAD", i)
            self.asm.emit("ICONST", self.pool.int(1))
            self.asm.emit("IADD")
            self.asm.emit("STORE", i)
            self.asm.bind(test)
            self.asm.statement(s.line, s.col)
            self.asm.emit("LOAD", i)
            self.asm.emit("LOAD", limit)
            self.asm.emit("ILT")
            self.asm.jump("JT", top)
            self.asm.bind(end)

    def s_for_each(self, s: S.ForEach) -> None:
        if s.iter_methods is not None:
            self._for_indexed(s)
            return
        arr_t = s.iterable.ty
        with self.scope():
            self.expr(s.iterable)
            arr = self.temp(arr_t.desc)
            n = self.temp("I")
            # The length is read once: arrays never change length, and a null
            # array throws NullError here, before the first iteration.
            self.asm.emit("DUP")
            self.asm.emit("STORE", arr)
            self.asm.emit("ALEN")
            self.asm.emit("STORE", n)
            elem = arr_t.desc[1:]

            def element(idx: int) -> str:
                self.asm.emit("LOAD", arr)
                self.asm.emit("LOAD", idx)
                self.asm.emit(elem_load(elem))
                return elem
            self._index_loop(s, element, lambda: self.asm.emit("LOAD", n))

    def _for_indexed(self, s: S.ForEach) -> None:
        """`for x in obj` over an object with `length()` and `get(i)` (B4):
        `length()` is called before every step, as an indexed Java loop
        `for (i = 0; i < list.size(); i++)` does, so an element added by the
        body is reached and a removal ends the loop early
        (docs/conventions.md)."""
        cls, length, get = s.iter_methods
        with self.scope():
            self.expr(s.iterable)
            obj = self.temp(s.iterable.ty.desc)
            self.asm.emit("STORE", obj)

            def element(idx: int) -> str:
                self.asm.emit("LOAD", obj)
                self.asm.emit("LOAD", idx)
                params, ret = call_descs(get.signature)
                self.coerce("I", params[0])
                self.invoke(cls, get)
                return ret

            def bound() -> None:
                self.asm.emit("LOAD", obj)
                self.invoke(cls, length)
                self.coerce(call_descs(length.signature)[1], "I")
            self._index_loop(s, element, bound)

    def _index_loop(self, s: S.ForEach, element, bound) -> None:
        """The loop of both `for x in` forms, inside their scope: a hidden
        index from 0 while it is below what `bound()` pushes, the loop
        variable set at the top of every step from what `element(index's
        local)` pushes (it returns that value's descriptor)."""
        top, step, test, end = Label(), Label(), Label(), Label()
        idx = self.temp("I")
        self.asm.emit("ICONST", self.pool.int(0))
        self.asm.emit("STORE", idx)
        live = self.asm.reachable
        self.asm.jump("JMP", test)
        self.asm.bind_loop_head(top, live)
        var = self.declare(s.var)
        self.coerce(element(idx), s.var.type.desc)
        self.asm.emit("STORE", var)
        self.ctx.append(_Loop(end, step))
        self.block(s.body)
        self.ctx.pop()
        self.asm.bind(step)
        self.asm.statement(s.line, s.col)
        self.asm.emit("LOAD", idx)
        self.asm.emit("ICONST", self.pool.int(1))
        self.asm.emit("IADD")
        self.asm.emit("STORE", idx)
        self.asm.bind(test)
        self.asm.statement(s.line, s.col)
        self.asm.emit("LOAD", idx)
        bound()
        self.asm.emit("ILT")
        self.asm.jump("JT", top)
        self.asm.bind(end)

    def s_break(self, s: S.Break) -> None:
        self._exit_to_loop(lambda loop: loop.break_to)

    def s_continue(self, s: S.Continue) -> None:
        self._exit_to_loop(lambda loop: loop.continue_to)

    def _exit_to_loop(self, which) -> None:
        k = max(i for i, c in enumerate(self.ctx) if isinstance(c, _Loop))
        target = which(self.ctx[k])
        self._exit(k + 1, lambda: self.asm.jump("JMP", target))

    def s_return(self, s: S.Return) -> None:
        def ret() -> None:
            self.asm.statement(s.line, s.col)
            if s.value is not None:
                self.asm.emit("LOAD", self._return_slot())
            self.asm.emit("RETV" if s.value is not None else "RET")
        if s.value is None:
            self._exit(0, ret)
            return
        self.value_as(s.value, self.ret_desc)
        if not any(isinstance(c, _Try) and c.finally_ is not None for c in self.ctx):
            self.asm.emit("RETV")
            return
        self.asm.emit("STORE", self._return_slot())
        self._exit(0, ret)

    def _return_slot(self) -> int:
        """The local holding a value returned through a `finally` (one per
        function, never reused: every `try` with a `finally` sets it first,
        so it is assigned wherever a dispatch reads it)."""
        if self._ret_slot is None:
            self._ret_slot = self._new_slot(self.ret_desc, None)
        return self._ret_slot

    def _exit(self, depth: int, final) -> None:
        """Leave every `try` above `depth` in the context stack: through the
        innermost one's `finally`, whose dispatch goes on with the rest of
        the exit (the next `finally` out, ...); with none left, `final()`
        emits the jump or return itself."""
        if not self.asm.reachable:
            return
        for i in range(len(self.ctx) - 1, depth - 1, -1):
            c = self.ctx[i]
            if isinstance(c, _Try) and c.finally_ is not None:
                c.exits.append(lambda: self._exit(depth, final))
                self._to_finally(c, EXITS + len(c.exits) - 1)
                return
        final()

    def _to_finally(self, t: _Try, reason: int) -> None:
        self.asm.emit("ICONST", self.pool.int(reason))
        self.asm.emit("STORE", t.reason)
        self.asm.jump("JMP", t.entry)

    def s_throw(self, s: S.Throw) -> None:
        self.expr(s.value)
        self.asm.position(s.line, s.col)
        self.asm.emit("THROW")

    def s_try(self, s: S.Try) -> None:
        asm = self.asm
        end = Label()
        body_r = asm.region()          # covered by the catch clauses
        all_r = asm.region()           # covered by the finally's catch-all
        fin = s.finally_
        t = _Try([body_r, all_r] if fin is not None else [body_r], fin)
        with self.scope():
            if fin is not None:
                self._enter_finally(t)
            body_r.start()
            if fin is not None:
                all_r.start()
            self.ctx.append(t)
            self.block(s.body)
            self.ctx.pop()
            body_r.stop()
            all_r.stop()
            self._normal_exit(t, end)

            t.regions = [all_r] if fin is not None else []
            for c in s.catches:
                label = Label()
                asm.add_handler(body_r, label, self.pool.klass(c.cls) if c.cls is not None else M.NO_INDEX)
                asm.bind(label)
                if fin is not None:
                    all_r.start()
                with self.scope():
                    self.asm.statement(c.line, c.col)
                    asm.emit("STORE", self.declare(c.var))
                    self.ctx.append(t)
                    self.stmts(c.body.stmts)
                    self.ctx.pop()
                all_r.stop()
                self._normal_exit(t, end)

            if fin is not None:
                self._finally(t, all_r, end)
        asm.bind(end)

    def _enter_finally(self, t: _Try) -> None:
        """The `finally`'s locals, assigned before the `try`: its dispatch
        reads the exception and the returned value on paths the verifier
        cannot tell from the others."""
        t.entry = Label()
        t.reason = self.temp("I")
        t.exc = self.temp(self.mg.error_desc)
        self.asm.emit("NULL")
        self.asm.emit("STORE", t.exc)
        if self.ret is not VOID:
            self.zero_desc(self.ret_desc)
            self.asm.emit("STORE", self._return_slot())

    def _normal_exit(self, t: _Try, end: Label) -> None:
        if t.finally_ is None:
            self.asm.jump("JMP", end)
        elif self.asm.reachable:
            t.normal = True
            self._to_finally(t, NORMAL)

    def _finally(self, t: _Try, all_r: Region, end: Label) -> None:
        """The catch-all, the one copy of the `finally` block, then the
        dispatch on why it ran (the last case needs no test)."""
        asm = self.asm
        catch_all = Label()
        asm.add_handler(all_r, catch_all, M.NO_INDEX)
        asm.bind(catch_all)
        asm.emit("STORE", t.exc)
        asm.emit("ICONST", self.pool.int(THROWN))
        asm.emit("STORE", t.reason)
        asm.bind(t.entry)
        self.block(t.finally_)

        def rethrow() -> None:
            asm.emit("LOAD", t.exc)
            asm.emit("THROW")
        cases = [(NORMAL, lambda: asm.jump("JMP", end))] if t.normal else []
        cases.append((THROWN, rethrow))
        cases += [(EXITS + k, rest) for k, rest in enumerate(t.exits)]
        for reason, rest in cases[:-1]:
            other = Label()
            asm.emit("LOAD", t.reason)
            asm.emit("ICONST", self.pool.int(reason))
            asm.emit("IEQ")
            asm.jump("JF", other)
            rest()
            asm.bind(other)
        cases[-1][1]()

    # --- conditions --------------------------------------------------------------------------

    def branch(self, e: S.Expr, label: Label, when: bool) -> None:
        """Jump to `label` if `e` evaluates to `when`; fall through otherwise."""
        if isinstance(e, S.BoolLit):
            if e.value == when:
                self.asm.jump("JMP", label)
            return
        if isinstance(e, S.Unary) and e.op == "!":
            self.branch(e.operand, label, not when)
            return
        if isinstance(e, S.Binary) and e.op in ("&&", "||"):
            # a && b jumps on false as soon as a is false; a || b on true.
            short = e.op == "||"
            if when == short:
                self.branch(e.left, label, when)
                self.branch(e.right, label, when)
            else:
                skip = Label()
                self.branch(e.left, skip, not when)
                self.branch(e.right, label, when)
                self.asm.bind(skip)
            return
        self.expr(e)
        self.asm.jump("JT" if when else "JF", label)

    # --- representations -------------------------------------------------------------------

    def value_as(self, e: S.Expr, desc: str) -> None:
        """`e`'s value, converted to the representation `desc`.  A function
        literal is compiled for `desc` itself (`sort_by(fn(a: int, b: int)
        -> int {...})` takes an `(RR)I`), which spares the adapter."""
        if isinstance(e, S.FnLit) and M.is_fn(desc) and desc != e.ty.desc:
            self.asm.position(e.line, e.col)
            self.e_fn(e, desc)
            return
        self.expr(e)
        self.coerce(e.ty.desc, desc)

    def coerce(self, frm: str, to: str) -> None:
        """The value on the stack, held as `frm`, becomes one held as `to`
        (erasure.py)."""
        try:
            steps = conversion(frm, to)
        except Unconvertible:
            line, col = self.asm.here()
            raise LimitError(line, col, "an array of function values cannot be used where an array of "
                                        "functions of a generic type is expected: each element would need "
                                        "converting (copy the elements into a new array)") from None
        for step in steps:
            if step[0] == "BOX":
                self.asm.emit(step[1])
            elif step[0] == "CAST":
                self.asm.emit("CAST", self.pool.type(step[1]))
            else:
                self._adapt(step[1], step[2])

    def _adapt(self, frm: str, to: str) -> None:
        """A function value of signature `frm` as one of signature `to`: a
        closure of the adapter function over it (null stays null)."""
        wrap, done = Label(), Label()
        self.asm.emit("DUP")
        self.asm.emit("NULL")
        self.asm.emit("REQ")
        self.asm.jump("JF", wrap)
        self.asm.emit("POP")
        self.asm.emit("NULL")
        self.asm.jump("JMP", done)
        self.asm.bind(wrap)
        self.asm.emit("CLOSURE", self.mg.adapter(frm, to), 1)
        self.asm.bind(done)

    def invoke(self, cls: ClassInfo, f: FunctionInfo) -> None:
        """Call method `f` on the receiver and arguments on the stack
        (already in its signature's representations): through the
        interface that declares it (CALLIFACE) when the receiver's static
        type `cls` is an interface, else virtually."""
        if cls.is_interface:
            self.asm.emit("CALLIFACE", self.pool.method(f.owner, f))
        else:
            self.asm.emit("CALLVIRT", self.pool.method(cls, f))

    def call_args(self, args: list[S.Expr], descs) -> None:
        for a, d in zip(args, descs):
            self.value_as(a, d)

    # --- expressions -------------------------------------------------------------------------

    def expr(self, e: S.Expr) -> None:
        self.asm.position(e.line, e.col)
        getattr(self, S.EXPR_VISIT[type(e)])(e)

    def e_int(self, e: S.IntLit) -> None:
        self.asm.emit("ICONST", self.pool.int(e.value))

    def e_float(self, e: S.FloatLit) -> None:
        self.asm.emit("FCONST", self.pool.float(e.value))

    def e_str(self, e: S.StrLit) -> None:
        self.asm.emit("SCONST", self.pool.string(e.value))

    def e_bool(self, e: S.BoolLit) -> None:
        self.asm.emit("BCONST", 1 if e.value else 0)

    def e_null(self, e: S.NullLit) -> None:
        self.asm.emit("NULL")

    def e_name(self, e: S.Name) -> None:
        if isinstance(e.sym, FunctionValue):
            self._function_value(e.sym.fn)
            return
        load, _ = self._var_access(e.sym)
        self.asm.emit(*load)

    def _function_value(self, f: FunctionInfo) -> None:
        self.asm.emit("CLOSURE", self.pool.func(f), 0)

    def e_self(self, e: S.SelfExpr) -> None:
        self.asm.emit("LOAD", self.slots.get(e.sym, 0))

    def e_member(self, e: S.Member) -> None:
        sym = e.sym
        if isinstance(sym, GlobalInfo):
            self.asm.emit("GGET", self.pool.global_(sym))
            return
        if isinstance(sym, FunctionValue):
            self._function_value(sym.fn)
            return
        self.expr(e.obj)
        self.asm.position(e.line, e.col)
        if sym == STRING_LENGTH:
            self.asm.emit("SLEN")
        elif sym == ARRAY_LENGTH:
            self.asm.emit("ALEN")
        elif isinstance(sym, FieldInfo):
            self.asm.emit("GETFIELD", self.pool.field(sym))
            self.coerce(sym.type.desc, e.ty.desc)
        elif isinstance(sym, BoundMethod):
            self._bound_method(e, sym)
        else:
            raise InternalError(f"{self.where}: unresolved member '{e.name}'")

    def _bound_method(self, e: S.Member, b: BoundMethod) -> None:
        """`obj.m` as a value: NullError now if obj is null (B3), else a
        closure of the module's function that calls `m` on its first
        parameter."""
        ok = Label()
        self.asm.emit("DUP")
        self.asm.emit("NULL")
        self.asm.emit("REQ")
        self.asm.jump("JF", ok)
        self.throw_new("NullError", f"cannot take method {b.fn.name}() of null")
        self.asm.bind(ok)
        self.asm.emit("CLOSURE", self.mg.bound_method(b.cls, b.fn), 1)
        params, ret = call_descs(b.fn.signature)
        self.coerce("(" + "".join(params) + ")" + ret, e.ty.desc)

    def throw_new(self, cls_name: str, message: str) -> None:
        """throw new lang.<cls_name>(message)"""
        cls = self.mg.lang_class(cls_name)
        self.asm.emit("NEW", self.pool.klass(cls))
        self.asm.emit("DUP")
        self.asm.emit("SCONST", self.pool.string(message))
        self.asm.emit("CALLSPECIAL", self.pool.method(cls, cls.init))
        self.asm.emit("THROW")

    def e_index(self, e: S.Index) -> None:
        self.expr(e.obj)
        self.expr(e.index)
        self.asm.position(e.line, e.col)
        if e.obj.ty is STRING:
            self.asm.emit("SINDEX")
        else:
            elem = e.obj.ty.desc[1:]
            self.asm.emit(elem_load(elem))
            self.coerce(elem, e.ty.desc)

    def args(self, args: list[S.Expr]) -> None:
        for a in args:
            self.expr(a)

    def e_call(self, e: S.Call) -> None:
        t = e.target
        if isinstance(t, CallFunction):
            params, ret = call_descs(t.fn.signature)
            self.call_args(e.args, params)
            self.asm.position(e.line, e.col)
            self.asm.emit("CALL", self.pool.func(t.fn))
            self._result(ret, e.ty)
        elif isinstance(t, CallMethod):
            params, ret = call_descs(t.fn.signature)
            self.expr(e.callee.obj)
            self.call_args(e.args, params)
            self.asm.position(e.line, e.col)
            self.invoke(t.cls, t.fn)
            self._result(ret, e.ty)
        elif isinstance(t, CallSuper):
            params, ret = call_descs(t.fn.signature)
            self.asm.emit("LOAD", self.slots.get(t.recv, 0))
            self.call_args(e.args, params)
            self.asm.position(e.line, e.col)
            self.asm.emit("CALLSPECIAL", self.pool.method(t.fn.owner, t.fn))
            self._result(ret, e.ty)
        elif isinstance(t, CallValue):
            self.expr(e.callee)
            self.call_args(e.args, [p.desc for p in t.ty.params])
            self.asm.position(e.line, e.col)
            self.asm.emit("CALLFN", self.pool.type(t.ty.desc))
        elif isinstance(t, CallBuiltin):
            self._builtin(e, t)
        else:
            raise InternalError(f"{self.where}: unresolved call")

    def _result(self, ret: str, t: Type) -> None:
        """A call's result, held as its signature's `ret`, as its static type."""
        if ret != "V":
            self.coerce(ret, t.desc)

    def _builtin(self, e: S.Call, t: CallBuiltin) -> None:
        if t.receiver:
            self.expr(e.callee.obj)
        if t.overload is None:                  # a.copy()
            self.asm.position(e.line, e.col)
            self.asm.emit("ACOPY")
            return
        low = t.overload.lower
        if low.kind == "op":
            self.args(e.args)
            self.asm.emit(low.name)
        elif low.kind == "native":
            self.args(e.args)
            self.asm.position(e.line, e.col)
            self.asm.emit("CALLNATIVE", self.pool.native(low.name, low.sig))
        elif low.kind == "str":
            self.to_string(e.args[0])
        elif low.kind == "print":
            if e.args:
                self.to_string(e.args[0])
            else:
                self.asm.emit("SCONST", self.pool.string(""))
            self.asm.emit("CALLNATIVE", self.pool.native(low.name, low.sig))
        elif low.kind == "assert":
            self._assert(e)
        elif low.kind == "hash":
            self._hash(e.args[0])
        elif low.kind == "equals":
            self.args(e.args)
            self.asm.position(e.line, e.col)
            self._equals(equality_operand(e.args[0].ty, e.args[1].ty))
        else:
            raise InternalError(f"{self.where}: unknown lowering {low.kind}")

    def _hash(self, a: S.Expr) -> None:
        """hash(x) (B2): an int is its own hash; a float or bool as VHASH
        hashes its box; strings, arrays and function values by VHASH; an
        object or a type parameter's value by the class's own `hash()`, if
        it has one (`_through_lang_iface`)."""
        self.expr(a)
        d = a.ty.desc
        if d == "I":
            return
        if d in ("F", "Z"):
            self.asm.emit("BOXF" if d == "F" else "BOXZ")
        if isinstance(a.ty, (ClassType, TypeParam)):
            self._through_lang_iface(HASH_IFACE, "hash", 1, "VHASH")
        else:
            self.asm.emit("VHASH")

    def _equals(self, operand: Type) -> None:
        """equals(a, b) or `==` on a type parameter's values (B2, B5), the
        two values on the stack: primitives and strings by value, objects
        and type parameters' values by the class's own `equals`, if it has
        one (`_through_lang_iface`), others by identity."""
        k = kind(operand)
        if isinstance(operand, (ClassType, TypeParam)):
            self._through_lang_iface(EQUALS_IFACE, "equals", 2, "VEQ")
        else:
            self.asm.emit(COMPARE["==", k])

    def _through_lang_iface(self, iface_name: str, method: str, nargs: int, fallback: str) -> None:
        """hash / equals of an object or erased value, in line (it runs for
        every key a Map looks at, and a call costs more than the test): the
        receiver (the deeper of `nargs` values on the stack) calls `method`
        of the private prelude interface when its class implements it (it
        defines hash / equals), else `fallback` (VHASH / VEQ) takes the
        values.  Its result is on the stack either way."""
        iface = self.mg.lang_class(iface_name)
        m = iface.methods[method]
        other, end = Label(), Label()
        a = self.asm
        if nargs == 2:
            a.emit("SWAP")                   # b, x
        a.emit("DUP")
        a.emit("INSTANCEOF", self.mg.pool.klass(iface))
        a.jump("JF", other)
        a.emit("CHECKCAST", self.mg.pool.klass(iface))
        if nargs == 2:
            a.emit("SWAP")                   # x, b
        a.emit("CALLIFACE", self.mg.pool.method(iface, m))
        a.jump("JMP", end)
        a.bind(other)
        if nargs == 2:
            a.emit("SWAP")
        a.emit(fallback)
        a.bind(end)

    def _assert(self, e: S.Call) -> None:
        ok = Label()
        self.branch(e.args[0], ok, True)
        cls = self.mg.lang_class("AssertionError")
        self.asm.position(e.line, e.col)
        self.asm.emit("NEW", self.pool.klass(cls))
        self.asm.emit("DUP")
        if len(e.args) > 1:
            self.expr(e.args[1])
        else:
            self.asm.emit("SCONST", self.pool.string("assertion failed"))
        self.asm.emit("CALLSPECIAL", self.pool.method(cls, cls.init))
        self.asm.emit("THROW")
        self.asm.bind(ok)

    def e_new(self, e: S.NewObject) -> None:
        cls: ClassInfo = e.ty.cls
        self.asm.emit("NEW", self.pool.klass(cls))
        self.asm.emit("DUP")
        self.call_args(e.args, call_descs(cls.init.signature)[0])
        self.asm.position(e.line, e.col)
        self.asm.emit("CALLSPECIAL", self.pool.method(cls, cls.init))

    def e_new_array(self, e: S.NewArray) -> None:
        self.expr(e.size)
        self.asm.position(e.line, e.col)
        self.asm.emit("NEWARRAY", self.pool.type(e.ty.elem.desc))

    def e_array(self, e: S.ArrayLit) -> None:
        elem = e.ty.elem.desc
        store = elem_store(elem)
        self.asm.emit("ICONST", self.pool.int(len(e.elems)))
        self.asm.emit("NEWARRAY", self.pool.type(elem))
        for i, x in enumerate(e.elems):
            self.asm.emit("DUP")
            self.asm.emit("ICONST", self.pool.int(i))
            self.value_as(x, elem)
            self.asm.emit(store)

    def e_unary(self, e: S.Unary) -> None:
        if e.op == "!":
            self._bool_value(e)
            return
        self.expr(e.operand)
        self.asm.position(e.line, e.col)
        self.asm.emit(NEGATE[kind(e.ty)] if e.op == "-" else "INOT")

    def _bool_value(self, e: S.Expr) -> None:
        """A bool computed by branching (`!`, `&&`, `||`)."""
        if isinstance(e, S.Unary) and not (isinstance(e.operand, S.Binary) and e.operand.op in ("&&", "||")):
            self.expr(e.operand)
            self.asm.emit("NOT")
            return
        false_l, end = Label(), Label()
        self.branch(e, false_l, False)
        self.asm.emit("BCONST", 1)
        self.asm.jump("JMP", end)
        self.asm.bind(false_l)
        self.asm.emit("BCONST", 0)
        self.asm.bind(end)

    def e_binary(self, e: S.Binary) -> None:
        op = e.op
        if op in ("&&", "||"):
            self._bool_value(e)
            return
        if isinstance(e.operand_ty, TypeParam):     # B5: compared as equals does
            self.expr(e.left)
            self.expr(e.right)
            self.asm.position(e.line, e.col)
            self._equals(e.operand_ty)
            if op == "!=":
                self.asm.emit("NOT")
            return
        k = kind(e.operand_ty)
        if op == "+" and k == "S":
            self.string_operand(e.left)
            self.string_operand(e.right)
            self.asm.position(e.line, e.col)
            self.asm.emit("CONCAT")
            return
        self.expr(e.left)
        self.expr(e.right)
        self.asm.position(e.line, e.col)
        self.asm.emit(COMPARE[op, k] if (op, k) in COMPARE else ARITH[op, k])

    def e_is(self, e: S.IsExpr) -> None:
        self.expr(e.expr)
        self.asm.position(e.line, e.col)
        self.asm.emit("INSTANCEOF", self.pool.klass(e.cls))

    def e_as(self, e: S.AsExpr) -> None:
        self.expr(e.expr)
        src = e.expr.ty
        if src is NULL or assignable(src, e.ty):
            return                              # an upcast needs no check
        self.asm.position(e.line, e.col)
        self.asm.emit("CHECKCAST", self.pool.klass(e.ty.cls))

    def e_fn(self, e: S.FnLit, desc: str | None = None) -> None:
        """A function literal: its captured values, then CLOSURE of the
        module function it is compiled to, for the signature `desc` (by
        default its own type's)."""
        info = e.info
        info.desc = desc or e.ty.desc
        for v in info.captures:
            self.asm.emit("LOAD", self.slots[v])
        self.asm.position(e.line, e.col)
        self.asm.emit("CLOSURE", self.mg.lambda_function(info), len(info.captures))

    # --- strings -------------------------------------------------------------------------

    def string_operand(self, e: S.Expr) -> None:
        """An operand of string `+`: CONCAT reads a null string as "null", so
        strings go as they are; anything else is converted."""
        if e.ty is STRING:
            self.expr(e)
        else:
            self.to_string(e)

    def to_string(self, e: S.Expr) -> None:
        """`str(e)` (A9), by static type."""
        t = e.ty
        if t is NULL:
            self.asm.emit("SCONST", self.pool.string("null"))
            return
        self.expr(e)
        if t is STRING and _never_null(e):
            return
        self.convert_to_string(t)

    def convert_to_string(self, t: Type) -> None:
        """The value on the stack, of type `t`, becomes its `str()`: by the
        static type, or at run time through the prelude's `$str` for a type
        parameter's value and arrays of them (or of function values)."""
        k = kind(t)
        if isinstance(t, TypeParam) or (isinstance(t, ArrayType) and (contains_r(t.desc) or "(" in t.desc)):
            self.asm.emit("CALL", self.mg.prelude_helper("$str"))
        elif k in TO_STRING:
            self.asm.emit(TO_STRING[k])
        elif isinstance(t, ArrayType):
            self.asm.emit("CALL", self.mg.array_to_string(t))
        elif isinstance(t, (ClassType, FnType)):
            self.asm.emit("TOSTR_OBJ")
        else:
            raise InternalError(f"{self.where}: no string conversion for {t}")


def _never_null(e: S.Expr) -> bool:
    """A string expression that cannot be null (so `str()` of it is itself)."""
    return isinstance(e, S.StrLit) or (isinstance(e, S.Binary) and e.op == "+")
