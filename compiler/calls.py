"""Type checking of calls and object creation (A5, A6, A9, B1–B3), a part of
the checker.

`CallChecker` resolves what a call calls and records it on the call
(`Call.target`): a module function, a method (through a class, or an
interface: B1), a super call, a built-in, or a function value (B3: a local,
global or field of function type, or any expression of one; `obj.name(...)`
is the method `name` if the class has one, else its field).  Members of a
generic class are seen with the type arguments of the object's type; the
type arguments of a generic function or method are inferred (`infer.py`)
from the arguments, then from the type the context expects.  `new` needs the
type arguments of a generic class written out (B2).
"""

from __future__ import annotations

from . import builtins as B
from . import hints
from . import syntax as S
from .declare import lookup_top, member_mapping, resolve_type
from .infer import unify
from .scopes import Context
from .symbols import (CallBuiltin, CallFunction, CallMethod, CallSuper, CallValue, ClassInfo, FunctionInfo,
                      GlobalInfo, LocalVar, ModuleInfo)
from .typesys import (BOOL, ERROR, FLOAT, INT, NULL, STRING, VOID, ArrayType, ClassType, FnType, Type, TypeParam,
                      assignable, mentions, related, subst)

_MIX_HINT = " (there is no implicit int/float conversion: use float(x) or int(x))"


class CallChecker:

    def e_call(self, e: S.Call, ctx: Context, expected) -> Type:
        callee = e.callee
        if isinstance(callee, S.Name):
            return self._call_name(e, callee, ctx, expected)
        if isinstance(callee, S.SuperMember):
            return self._call_super(e, callee, ctx, expected)
        if isinstance(callee, S.Member):
            mod = self._module_of(callee.obj, ctx)
            if mod is not None:
                return self._call_module(e, callee, mod, ctx, expected)
            return self._call_method(e, callee, ctx, expected)
        t = self.value(callee, ctx)
        if isinstance(t, FnType):
            return self._call_value(e, t, "the function value", ctx)
        self._args_only(e, ctx)
        if t is not ERROR:
            self.rep.at(e, f"this expression cannot be called: its type is {t}, not a function type")
        return ERROR

    def _call_value(self, e: S.Call, t: FnType, what: str, ctx: Context) -> Type:
        """Calling a value of function type `t` (CALLFN)."""
        e.target = CallValue(t)
        return self._args(e, list(t.params), t.ret, what, ctx)

    def _call_name(self, e: S.Call, callee: S.Name, ctx: Context, expected) -> Type:
        v = ctx.lookup(callee.name)
        sym = v if v is not None else lookup_top(self.m, self.world, callee.name)
        callee.sym = sym
        if isinstance(sym, FunctionInfo):
            e.target = CallFunction(sym)
            return self._generic_call(e, sym, {}, expected, f"'{sym.name}'", ctx)
        if isinstance(sym, (LocalVar, GlobalInfo)):
            t = sym.type if isinstance(sym, LocalVar) else self.global_type(sym)
            if isinstance(sym, LocalVar):
                self.use_local(sym, callee, ctx)
            callee.ty = t
            if isinstance(t, FnType):
                return self._call_value(e, t, f"'{callee.name}'", ctx)
            self._args_only(e, ctx)
            if t is not ERROR:
                self.rep.at(callee, f"'{callee.name}' is a variable, not a function (its type is {t})")
            return ERROR
        if sym is None and callee.name in B.FUNCTIONS:
            return self._call_builtin(e, callee.name, ctx)
        self._args_only(e, ctx)
        if sym is None:
            self.rep.at(callee, f"unknown function '{callee.name}'",
                        lambda: hints.unknown_name(callee.name, ctx, self.m, self.world, call=e))
        elif isinstance(sym, ClassInfo):
            if sym.is_interface:
                self.rep.at(callee, f"'{callee.name}' is an interface: it cannot be called")
            else:
                self.rep.at(callee, f"'{callee.name}' is a class: create instances with 'new {callee.name}(...)'")
        else:
            self.rep.at(callee, f"{_kind(sym)} '{callee.name}' cannot be called")
        return ERROR

    def _call_module(self, e: S.Call, callee: S.Member, mod: ModuleInfo, ctx: Context, expected) -> Type:
        callee.obj.sym = mod
        callee.obj.ty = VOID
        if mod.broken:
            self._args_only(e, ctx)
            return ERROR
        sym = mod.public(callee.name)
        callee.sym = sym
        what = f"'{callee.obj.name}.{callee.name}'"
        if isinstance(sym, FunctionInfo):
            e.target = CallFunction(sym)
            return self._generic_call(e, sym, {}, expected, what, ctx)
        if isinstance(sym, GlobalInfo):
            t = self.global_type(sym) if sym.module is self.m else (sym.type or ERROR)
            callee.ty = t
            if isinstance(t, FnType):
                return self._call_value(e, t, what, ctx)
            self._args_only(e, ctx)
            if t is not ERROR:
                self.rep.at(callee, f"{what} is a variable, not a function (its type is {t})")
            return ERROR
        self._args_only(e, ctx)
        if isinstance(sym, ClassInfo) and not sym.is_interface:
            self.rep.at(callee, f"'{callee.obj.name}.{callee.name}' is a class: create instances with "
                                f"'new {callee.obj.name}.{callee.name}(...)'")
        elif sym is None and callee.name.startswith("_") and callee.name in mod.scope:
            self.rep.at(callee, f"'{callee.name}' is private to module '{mod.name}'")
        elif sym is None:
            self.rep.at(callee, f"module '{mod.name}' has no member '{callee.name}'",
                        lambda: hints.module_member(mod, callee.name))
        else:
            self.rep.at(callee, f"'{callee.obj.name}.{callee.name}' is not a function")
        return ERROR

    def _call_method(self, e: S.Call, callee: S.Member, ctx: Context, expected) -> Type:
        t = self.value(callee.obj, ctx)
        name = callee.name
        if isinstance(t, ClassType):
            f = t.cls.find_method(name)
            if f is not None:
                e.target = CallMethod(f, t.cls)
                callee.ty = VOID
                return self._generic_call(e, f, member_mapping(t, f.owner), expected, f"'{f.qualified}'", ctx)
            fld = t.cls.find_field(name)
            if fld is not None:
                ft = subst(fld.type, member_mapping(t, fld.owner))
                callee.sym = fld
                callee.ty = ft
                if isinstance(ft, FnType):        # B5: no method `name`: its field of function type
                    return self._call_value(e, ft, f"field '{name}'", ctx)
                self._args_only(e, ctx)
                self.rep.at(callee, f"'{name}' is a field of class '{t.cls.name}', not a method "
                                    f"(its type is {ft}, not a function type)")
                return ERROR
            self._args_only(e, ctx)
            what = "interface" if t.cls.is_interface else "class"
            self.rep.at(callee, f"{what} '{t.cls.name}' has no method '{name}'",
                        lambda: hints.class_member(t.cls, name, callee.obj, call=True))
            return ERROR
        if t is STRING and name in B.STRING_METHODS:
            o = B.STRING_METHODS[name]
            e.target = CallBuiltin(name, o, receiver=True)
            callee.ty = VOID
            return self._args(e, list(B.string_method_params(o)), o.ret, f"'string.{name}'", ctx)
        if isinstance(t, ArrayType) and name == "copy":
            e.target = CallBuiltin(name, None, receiver=True)
            callee.ty = VOID
            return self._args(e, [], t, "'copy'", ctx)
        self._args_only(e, ctx)
        if t is not ERROR:
            self.rep.at(callee, hints.builtin_member(t, name, callee.obj, call=True))
        return ERROR

    def _call_super(self, e: S.Call, callee: S.SuperMember, ctx: Context, expected) -> Type:
        callee.ty = VOID
        cls = ctx.cls
        if cls is None or ctx.self_var is None:
            self._args_only(e, ctx)
            self.rep.at(callee, "'super' can only be used inside a method or init")
            return ERROR
        if cls.super is None:
            self._args_only(e, ctx)
            self.rep.at(callee, f"class '{cls.name}' has no superclass")
            return ERROR
        if callee.name == "init":
            if ctx.fn is None or not ctx.fn.is_init:
                self._args_only(e, ctx)
                self.rep.at(callee, "'super.init(...)' can only be called inside init")
                return ERROR
            f = cls.super.init
        else:
            f = cls.super.find_method(callee.name)
            if f is None:
                self._args_only(e, ctx)
                self.rep.at(callee, f"superclass '{cls.super.name}' has no method '{callee.name}'",
                            lambda: hints.class_member(cls.super, callee.name, callee, call=True))
                return ERROR
        e.target = CallSuper(f, ctx.self_ref())
        return self._generic_call(e, f, member_mapping(cls.type, f.owner), expected, f"'{f.qualified}'", ctx)

    def _call_builtin(self, e: S.Call, name: str, ctx: Context) -> Type:
        overloads = B.FUNCTIONS[name]
        types = [self.value(a, ctx) for a in e.args]
        if ERROR in types:
            e.ty = ERROR
            return ERROR
        for o in overloads:
            if len(o.params) == len(types) and all(p is B.ANY or assignable(t, p)
                                                  for p, t in zip(o.params, types)):
                if o.lower.kind == "equals" and equality_operand(types[0], types[1]) is None:
                    self.rep.at(e, f"'equals' cannot compare {types[0]} with {types[1]}{_hint(*types)}")
                    return ERROR
                e.target = CallBuiltin(name, o)
                return o.ret
        arities = sorted({len(o.params) for o in overloads})
        if len(types) not in arities:
            want = " or ".join(str(a) for a in arities)
            self.rep.at(e, f"'{name}' expects {want} argument{'s' if arities[-1] != 1 else ''}, got {len(types)}")
        else:
            forms = " or ".join("(" + ", ".join(_param_text(p) for p in o.params) + ")"
                                for o in overloads if len(o.params) == len(types))
            got = "(" + ", ".join(str(t) for t in types) + ")"
            self.rep.at(e, f"'{name}' cannot take {got}; it takes {forms}")
        return ERROR

    # --- arguments -----------------------------------------------------------------------

    def _generic_call(self, e: S.Call | S.NewObject, f: FunctionInfo, mapping: dict, expected, what: str,
                      ctx: Context) -> Type:
        """A call of `f` whose class's type parameters `mapping` gives; the
        type arguments of a generic `f` are inferred."""
        params = [subst(p, mapping) for p in f.params]
        ret = subst(f.ret, mapping)
        free = f.type_params
        if not free:
            return self._args(e, params, ret, what, ctx)
        if len(e.args) != len(params):
            return self._arity(e, params, ret, what, ctx)
        bindings: dict = {}
        typed: list = [None] * len(params)
        for i, (a, p) in enumerate(zip(e.args, params)):
            if not mentions(p, free):
                self._check_value(a, p, ctx, f"argument {i + 1} of {what}")
                typed[i] = True
            elif not needs_context(a):
                typed[i] = self.value(a, ctx)
                unify(p, typed[i], free, bindings)
        if expected is not None and expected is not ERROR:
            unify(ret, expected, free, bindings)
        missing = [tp for tp in free if tp not in bindings]
        if missing:
            names = ", ".join(f"'{tp.name}'" for tp in missing)
            self.rep.at(e, f"cannot infer the type argument{'s' if len(missing) > 1 else ''} {names} of {what}: "
                           f"no argument shows {'them' if len(missing) > 1 else 'it'}; declare the type of "
                           f"the variable the result goes to")
            bindings.update((tp, ERROR) for tp in missing)
        for i, (a, p) in enumerate(zip(e.args, params)):
            want = subst(p, bindings)
            if typed[i] is None:
                self._check_value(a, want, ctx, f"argument {i + 1} of {what}")
            elif typed[i] is not True and not assignable(typed[i], want):
                self.rep.at(a, f"type mismatch for argument {i + 1} of {what}: expected {want}, "
                               f"found {typed[i]}{_hint(typed[i], want)}")
        return subst(ret, bindings)

    def _arity(self, e, params: list[Type], ret: Type, what: str, ctx: Context) -> Type:
        self._args_only(e, ctx)
        self.rep.at(e, f"{what} expects {len(params)} argument{'' if len(params) == 1 else 's'}, "
                       f"got {len(e.args)}")
        return ret

    def _args(self, e: S.Call | S.NewObject, params: list[Type], ret: Type, what: str, ctx: Context) -> Type:
        if len(e.args) != len(params):
            return self._arity(e, params, ret, what, ctx)
        for i, (a, p) in enumerate(zip(e.args, params)):
            self._check_value(a, p, ctx, f"argument {i + 1} of {what}")
        return ret

    def _args_only(self, e: S.Call | S.NewObject, ctx: Context) -> None:
        for a in e.args:
            self.expr(a, ctx)

    def e_new(self, e: S.NewObject, ctx: Context, expected) -> Type:
        t = resolve_type(e.cls, self.m, self.world, self.rep, tparams=ctx.tparams)
        if not isinstance(t, ClassType) or t.cls.is_interface:
            self._args_only(e, ctx)
            if isinstance(t, ClassType):
                self.rep.at(e.cls, f"cannot create an instance of interface '{t.cls.name}'")
            elif t is not ERROR:
                arrays = f" (arrays: new {t}[n])" if t is not VOID else ""
                self.rep.at(e.cls, f"'new' needs a class, not {t}{arrays}")
            return ERROR
        init = t.cls.init
        self._args(e, [subst(p, member_mapping(t, t.cls)) for p in init.params], VOID, f"'new {t}'", ctx)
        return t


def equality_operand(lt: Type, rt: Type) -> Type | None:
    """The kind of `==` (INT/FLOAT/BOOL/STRING, a type parameter — compared
    as `equals` does —, or a reference type), or None when the two types may
    not be compared (A7, B5).  `equals(a, b)` takes what `==` takes."""
    if lt in (INT, FLOAT, BOOL) or rt in (INT, FLOAT, BOOL):
        return lt if lt is rt else None
    if lt is STRING and rt in (STRING, NULL) or rt is STRING and lt is NULL:
        return STRING
    if isinstance(lt, TypeParam) or isinstance(rt, TypeParam):
        if lt is rt or rt is NULL:
            return lt
        return rt if lt is NULL else None
    if lt.is_ref and rt.is_ref and related(lt, rt):
        return lt if lt is not NULL else rt
    return None


def needs_context(e: S.Expr) -> bool:
    """An expression whose type comes only from where it is used: `null`, and
    array literals made only of such expressions (`[]`, `[[], null]`)."""
    if isinstance(e, S.NullLit):
        return True
    return isinstance(e, S.ArrayLit) and all(needs_context(x) for x in e.elems)


def _kind(sym) -> str:
    if isinstance(sym, FunctionInfo):
        return "function"
    if isinstance(sym, ModuleInfo):
        return "module"
    return "name"


def _param_text(p) -> str:
    return "any" if p is B.ANY else str(p)


def _hint(a: Type, b: Type) -> str:
    return _MIX_HINT if {a, b} == {INT, FLOAT} else hints.call_result(a, b)
