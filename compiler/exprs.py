"""Type checking of expressions (A7–A9, B1–B3), a part of the checker.

`ExprChecker` types each expression kind and annotates it for codegen: names
(locals, with the capture rule of function literals; globals; named
functions as values), members (fields with the type arguments of their
object's type, bound methods as values), indexing, arrays, operators
(`==` on a type parameter's values compares as `equals` does), `is`/`as`
(with interfaces; never with a type parameter) and function literals.
Calls are `calls.py`'s; statements and the driving are `checker.py`'s.
"""

from __future__ import annotations

from . import builtins as B
from . import hints
from . import syntax as S
from .calls import CallChecker, _hint, equality_operand, needs_context
from .declare import lookup_own, lookup_top, member_mapping, resolve_base, resolve_type
from .erasure import contains_r
from .literals import INT_MAX
from .scopes import Context, capture_problem
from .symbols import (ARRAY_LENGTH, STRING_LENGTH, BoundMethod, ClassInfo, FunctionInfo, FunctionValue,
                      GlobalInfo, LocalVar, ModuleInfo)
from .typesys import (BOOL, ERROR, FLOAT, INT, NULL, STRING, VOID, ArrayType, ClassType, FnType, Type,
                      TypeParam, assignable, castable, is_numeric, subst)

_ARITH = frozenset("+ - * / %".split())
_BITS = frozenset("& | ^ << >>".split())
_ORDER = frozenset("< <= > >=".split())
_EQUALITY = frozenset(("==", "!="))
_LOGIC = frozenset(("&&", "||"))


class ExprChecker(CallChecker):

    # --- expressions: entry points -------------------------------------------------

    def expr(self, e: S.Expr, ctx: Context, expected: Type | None = None) -> Type:
        """Type `e` (void allowed), annotate it and return its type."""
        t = getattr(self, S.EXPR_VISIT[type(e)])(e, ctx, expected)
        e.ty = t
        return t

    def value(self, e: S.Expr, ctx: Context, expected: Type | None = None) -> Type:
        """Type `e`, which must produce a value."""
        t = self.expr(e, ctx, expected)
        if t is VOID:
            self.rep.at(e, f"{_describe_call(e)} does not return a value")
            e.ty = ERROR
            return ERROR
        return t

    def _check_value(self, e: S.Expr, want: Type, ctx: Context, what: str) -> None:
        t = self.value(e, ctx, want)
        if not assignable(t, want):
            self.rep.at(e, f"type mismatch for {what}: expected {want}, found {t}{_hint(t, want)}")

    def _infer(self, e: S.Expr, ctx: Context, name: str) -> Type:
        t = self.value(e, ctx)
        if t is NULL:
            self.rep.at(e, f"cannot infer the type of '{name}' from null; declare its type")
            return ERROR
        return t

    # --- literals and names --------------------------------------------------------

    def e_int(self, e: S.IntLit, ctx, expected) -> Type:
        if e.value > INT_MAX:
            self.rep.at(e, "integer literal '9223372036854775808' is too large "
                           "(the maximum is 9223372036854775807)")
        return INT

    def e_float(self, e, ctx, expected) -> Type:
        return FLOAT

    def e_str(self, e, ctx, expected) -> Type:
        return STRING

    def e_bool(self, e, ctx, expected) -> Type:
        return BOOL

    def e_null(self, e, ctx, expected) -> Type:
        return NULL

    def e_name(self, e: S.Name, ctx: Context, expected) -> Type:
        v = ctx.lookup(e.name)
        if v is not None:
            e.sym = v
            self.use_local(v, e, ctx)
            return v.type
        sym = lookup_top(self.m, self.world, e.name)
        e.sym = sym
        if isinstance(sym, GlobalInfo):
            return self.global_type(sym)
        if isinstance(sym, FunctionInfo):
            return self._function_value(e, sym, e.name)
        if sym is None:
            if e.name in B.FUNCTIONS:
                self.rep.at(e, f"built-in function '{e.name}' must be called")
            else:
                self.rep.at(e, f"unknown name '{e.name}'",
                            lambda: hints.unknown_name(e.name, ctx, self.m, self.world))
        else:
            self.rep.at(e, f"{_kind(sym)} '{e.name}' cannot be used as a value")
        return ERROR

    def use_local(self, v: LocalVar, node: S.Node, ctx: Context) -> None:
        """A read of local `v`; from a function literal, a capture (B3)."""
        if not ctx.is_captured(v):
            return
        problem = capture_problem(v)
        if problem is not None:
            self.rep.at(node, problem)
        elif v.kind == "param":
            v.captured_at.append((node.line, node.col))

    def _function_value(self, e: S.Expr, f: FunctionInfo, text: str) -> Type:
        """A named function used as a value (B3)."""
        if f.type_params:
            self.rep.at(e, f"generic function '{text}' cannot be used as a value (its type arguments "
                           f"would be unknown); wrap it in a function literal")
            return ERROR
        e.sym = FunctionValue(f)
        return FnType(tuple(f.params), f.ret)

    def e_self(self, e: S.SelfExpr, ctx: Context, expected) -> Type:
        v = ctx.self_ref()
        if v is None:
            self.rep.at(e, "'self' can only be used inside a method or init")
            return ERROR
        e.sym = v
        return v.type

    def e_super(self, e: S.SuperMember, ctx: Context, expected) -> Type:
        self.rep.at(e, f"'super.{e.name}' can only be called: super.{e.name}(...)")
        return ERROR

    def _module_of(self, e: S.Expr, ctx: Context) -> ModuleInfo | None:
        """`e` names an imported module (and no local hides it)."""
        if isinstance(e, S.Name) and ctx.lookup(e.name) is None:
            sym = lookup_own(self.m, e.name)
            if isinstance(sym, ModuleInfo):
                return sym
        return None

    # --- members and indexing ----------------------------------------------------------

    def e_member(self, e: S.Member, ctx: Context, expected) -> Type:
        mod = self._module_of(e.obj, ctx)
        if mod is not None:
            e.obj.sym = mod
            e.obj.ty = VOID
            if mod.broken:
                return ERROR
            sym = mod.public(e.name)
            e.sym = sym
            if isinstance(sym, GlobalInfo):
                return self.global_type(sym) if sym.module is self.m else (sym.type or ERROR)
            if isinstance(sym, FunctionInfo):
                return self._function_value(e, sym, f"{e.obj.name}.{e.name}")
            self.rep.at(e, _module_member_problem(mod, e.obj.name, e.name, sym))
            return ERROR
        t = self.value(e.obj, ctx)
        if t is ERROR:
            return ERROR
        if e.name == "length" and (t is STRING or isinstance(t, ArrayType)):
            e.sym = STRING_LENGTH if t is STRING else ARRAY_LENGTH
            return INT
        if isinstance(t, ClassType):
            f = t.cls.find_field(e.name)
            if f is not None:
                e.sym = f
                return subst(f.type, member_mapping(t, f.owner))
            m = t.cls.find_method(e.name)
            if m is not None:
                return self._bound_method(e, t, m)
            what = "interface" if t.cls.is_interface else "class"
            self.rep.at(e, f"{what} '{t.cls.name}' has no {'method' if t.cls.is_interface else 'field'} "
                           f"'{e.name}'", lambda: hints.class_member(t.cls, e.name, e.obj, call=False))
            return ERROR
        if t is STRING and e.name in B.STRING_METHODS or isinstance(t, ArrayType) and e.name in B.ARRAY_METHODS:
            self.rep.at(e, f"method '{e.name}' must be called: {e.name}(...)")
            return ERROR
        self.rep.at(e, hints.builtin_member(t, e.name, e.obj, call=False))
        return ERROR

    def _bound_method(self, e: S.Member, t: ClassType, m: FunctionInfo) -> Type:
        """`obj.m` without a call: the method bound to the object (B3)."""
        if m.type_params:
            self.rep.at(e, f"generic method '{m.qualified}' cannot be used as a value (its type arguments "
                           f"would be unknown); wrap it in a function literal")
            return ERROR
        e.sym = BoundMethod(m, t.cls)
        mapping = member_mapping(t, m.owner)
        return FnType(tuple(subst(p, mapping) for p in m.params), subst(m.ret, mapping))

    def e_index(self, e: S.Index, ctx: Context, expected) -> Type:
        t = self.value(e.obj, ctx)
        i = self.value(e.index, ctx)
        if i is not INT and i is not ERROR:
            self.rep.at(e.index, f"an index must be an int, not {i}")
        if isinstance(t, ArrayType):
            return t.elem
        if t is STRING:
            return STRING
        if t is not ERROR:
            self.rep.at(e, f"cannot index a value of type {t}")
        return ERROR

    # --- arrays -----------------------------------------------------------------------

    def _array_of(self, elem: Type, node: S.Node) -> bool:
        """May an array of `elem` be created?  Not when its elements'
        type is erased (B5: `new T[n]`): at run time the array would not
        know it, and a `T[]` whose T is int must be an `int[]`."""
        if contains_r(elem.desc):
            self.rep.at(node, f"cannot create an array of {elem}: the type parameter in it is erased, so "
                              f"the array's element type would not be known at run time")
            return False
        return True

    def e_new_array(self, e: S.NewArray, ctx: Context, expected) -> Type:
        elem = resolve_type(e.elem, self.m, self.world, self.rep, tparams=ctx.tparams)
        n = self.value(e.size, ctx)
        if n is not INT and n is not ERROR:
            self.rep.at(e.size, f"an array size must be an int, not {n}")
        if elem is ERROR:
            return ERROR
        t: Type = elem
        for _ in range(e.extra_dims):
            t = ArrayType(t)
        if not self._array_of(t, e.elem):
            return ERROR
        return ArrayType(t)

    def e_array(self, e: S.ArrayLit, ctx: Context, expected) -> Type:
        if isinstance(expected, ArrayType):
            for i, x in enumerate(e.elems):
                self._check_value(x, expected.elem, ctx, f"array element {i + 1}")
            if not self._array_of(expected.elem, e):
                return ERROR
            return expected
        if needs_context(e):
            what = "an empty array literal" if not e.elems else "this array literal"
            self.rep.at(e, f"cannot infer the type of {what}; declare it (e.g. 'let xs: int[] = [];')")
            for x in e.elems:
                self.expr(x, ctx)
            return ERROR
        # Elements that have a type of their own decide the element type; the
        # others (null, empty literals) are then checked against it.
        elem: Type | None = None
        for x in e.elems:
            if needs_context(x):
                continue
            t = self.value(x, ctx)
            if t is ERROR:
                elem = ERROR
            elif elem is None:
                elem = t
            elif elem is not ERROR and t != elem:
                self.rep.at(x, f"array elements must have one type: found {elem} and {t}")
                elem = ERROR
        for i, x in enumerate(e.elems):
            if needs_context(x):
                self._check_value(x, elem, ctx, f"array element {i + 1}")
        if elem is ERROR or not self._array_of(elem, e):
            return ERROR
        return ArrayType(elem)

    # --- operators -----------------------------------------------------------------------

    def e_unary(self, e: S.Unary, ctx: Context, expected) -> Type:
        t = self.value(e.operand, ctx)
        if t is ERROR:
            return ERROR
        ok = {"-": (INT, FLOAT), "!": (BOOL,), "~": (INT,)}[e.op]
        if t not in ok:
            self.rep.at(e, f"operator '{e.op}' cannot be applied to {t}")
            return ERROR
        return t

    def e_binary(self, e: S.Binary, ctx: Context, expected) -> Type:
        if e.op == "<" and self._explicit_type_arguments(e, ctx):
            return ERROR
        lt = self.value(e.left, ctx)
        rt = self.value(e.right, ctx)
        result, operand = self._binary_type(e.op, lt, rt, e)
        e.operand_ty = operand
        return result

    def _explicit_type_arguments(self, e: S.Binary, ctx: Context) -> bool:
        """`first<int>(xs)` parses as comparisons: said plainly when the
        left side names a generic function (B2: type arguments are inferred
        for calls, written only after `new`)."""
        left = e.left
        f = None
        if isinstance(left, S.Name) and ctx.lookup(left.name) is None:
            f = lookup_top(self.m, self.world, left.name)
        elif isinstance(left, S.Member):
            mod = self._module_of(left.obj, ctx)
            f = mod.public(left.name) if mod is not None and not mod.broken else None
        if not isinstance(f, FunctionInfo) or not f.type_params:
            return False
        self.rep.at(left, f"the type arguments of generic function '{f.name}' are inferred from its arguments: "
                          f"call it as '{f.name}(...)' (only 'new' takes written type arguments)")
        return True

    def _binary_type(self, op: str, lt: Type, rt: Type, node: S.Node) -> tuple[Type, Type]:
        """(result type, operand type) of `lt op rt`; reports misuse."""
        if lt is ERROR or rt is ERROR:
            return ERROR, ERROR
        if op == "+" and (lt is STRING or rt is STRING):
            return STRING, STRING
        if op in _LOGIC:
            if lt is BOOL and rt is BOOL:
                return BOOL, BOOL
        elif op in _ARITH:
            if lt is rt and is_numeric(lt):
                return lt, lt
        elif op in _BITS:
            if lt is INT and rt is INT:
                return INT, INT
        elif op in _ORDER:
            if lt is rt and lt in (INT, FLOAT, STRING):
                return BOOL, lt
        elif op in _EQUALITY:
            operand = equality_operand(lt, rt)
            if operand is not None:
                return BOOL, operand
            self.rep.at(node, f"cannot compare {lt} with {rt} using '{op}'{_hint(lt, rt)}")
            return ERROR, ERROR
        self.rep.at(node, f"operator '{op}' cannot be applied to {lt} and {rt}{_hint(lt, rt)}")
        return ERROR, ERROR

    # --- is / as ----------------------------------------------------------------------------

    def _cast_target(self, ref, what: str, ctx: Context, raw: bool) -> ClassType | None:
        """The class or interface type of `e is C` / `e as C`: `is` may name
        a generic class without type arguments (they are not checked at run
        time either way)."""
        if isinstance(ref, S.FnTypeRef) or ref.dims:
            t = resolve_type(ref, self.m, self.world, self.rep, tparams=ctx.tparams)
        else:
            t = resolve_base(ref, self.m, self.world, self.rep, ctx.tparams, raw=raw)
        if isinstance(t, ClassType):
            return t
        if isinstance(t, TypeParam):
            self.rep.at(ref, f"'{what}' cannot name type parameter '{t}': it is erased, so its type is not "
                             f"known at run time")
        elif t is not ERROR:
            self.rep.at(ref, f"'{what}' needs a class or interface type, not {t}")
        return None

    def _relate(self, e, t: Type, cls: ClassInfo, what: str) -> None:
        if t is ERROR or t is NULL:
            return
        if isinstance(t, TypeParam):
            self.rep.at(e, f"'{what}' cannot test a value of type parameter type {t}: a type parameter's "
                           f"values allow only assignment, passing, ==, str(), hash() and equals()")
            return
        if not castable(t, cls):
            self.rep.at(e, f"'{what}' between unrelated types: {t} is never a {cls.name}")

    def e_is(self, e: S.IsExpr, ctx: Context, expected) -> Type:
        t = self.value(e.expr, ctx)
        target = self._cast_target(e.target, "is", ctx, raw=True)
        if target is not None:
            e.cls = target.cls
            self._relate(e, t, target.cls, "is")
        return BOOL

    def e_as(self, e: S.AsExpr, ctx: Context, expected) -> Type:
        t = self.value(e.expr, ctx)
        target = self._cast_target(e.target, "as", ctx, raw=False)
        if target is None:
            return ERROR
        self._relate(e, t, target.cls, "as")
        return target

    # --- function literals ---------------------------------------------------------------------

    def e_fn(self, e: S.FnLit, ctx: Context, expected) -> Type:
        return self.lambda_body(e, ctx)


def _kind(sym) -> str:
    if isinstance(sym, FunctionInfo):
        return "function"
    if isinstance(sym, ClassInfo):
        return "interface" if sym.is_interface else "class"
    if isinstance(sym, ModuleInfo):
        return "module"
    return "name"


def _module_member_problem(mod: ModuleInfo, alias: str, name: str, sym, want: str = "") -> str:
    if sym is None:
        if name.startswith("_") and name in mod.scope:
            return f"'{name}' is private to module '{mod.name}'"
        return f"module '{mod.name}' has no member '{name}'{hints.module_member(mod, name)}"
    if isinstance(sym, ClassInfo):
        return f"{_kind(sym)} '{alias}.{name}' cannot be used as a value"
    if want:
        return f"'{alias}.{name}' is not a {want}"
    return f"'{alias}.{name}' cannot be used here"


def _describe_call(e: S.Expr) -> str:
    if isinstance(e, S.Call):
        c = e.callee
        if isinstance(c, (S.Name, S.Member, S.SuperMember)):
            return f"'{c.name}(...)'"
    return "this expression"
