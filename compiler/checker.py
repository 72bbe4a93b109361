"""Name resolution and type checking of bodies and initialisers (A3–A10).

Given a module whose declarations `declare` has built, this checks every
global initialiser (inferring the types of unannotated globals, lazily, so a
global may be used before its declaration), every function, method and init
body, and the entry module's `main`.  It annotates the syntax tree in place
for codegen: each expression's `ty`, what names and members denote (`sym`),
what calls call (`target`), and the operand type of operators.  It reports
every error it finds and types the culprit `ERROR` so that one mistake gives
one message.  It does not emit code.

In a REPL snippet (`ModuleInfo.script`) the top-level statements are checked
too, in order with the global initialisers, and a top-level expression with
a value becomes the global `$N` that the REPL shows (`_script`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import builtins as B
from . import syntax as S
from .declare import lookup_own, lookup_top, resolve_type
from .diagnostics import Reporter
from .flow import can_complete
from .literals import INT_MAX
from .symbols import (ARRAY_LENGTH, STRING_LENGTH, CallBuiltin, CallFunction, CallMethod, CallSuper,
                      ClassInfo, FunctionInfo, GlobalInfo, LocalVar, ModuleInfo, World)
from .typesys import (BOOL, ERROR, FLOAT, INT, NULL, STRING, VOID, ArrayType, ClassType, Type,
                      assignable, is_numeric, related)

_ARITH = frozenset("+ - * / %".split())
_BITS = frozenset("& | ^ << >>".split())
_ORDER = frozenset("< <= > >=".split())
_EQUALITY = frozenset(("==", "!="))
_LOGIC = frozenset(("&&", "||"))
_MIX_HINT = " (there is no implicit int/float conversion: use float(x) or int(x))"


@dataclass
class Context:
    """Where an expression or statement is checked."""
    fn: FunctionInfo | None             # None in a global initialiser
    cls: ClassInfo | None = None
    self_var: LocalVar | None = None
    scopes: list[dict[str, LocalVar]] = field(default_factory=lambda: [{}])
    loops: int = 0

    def lookup(self, name: str) -> LocalVar | None:
        for scope in reversed(self.scopes):
            v = scope.get(name)
            if v is not None:
                return v
        return None


class Checker:
    def __init__(self, module: ModuleInfo, world: World, rep: Reporter):
        self.m = module
        self.world = world
        self.rep = rep
        self.error_class = world.lang_class("Error")

    # --- driving -----------------------------------------------------------------

    def run(self, entry: bool = False) -> None:
        if self.m.script:
            self._script()
        else:
            for g in self.m.globals:
                self.global_type(g)
                self._global_init(g)
        for f in self.m.functions:
            if f.decl.body is not None:
                self._body(f, None)
        for c in self.m.classes:
            for f in c.methods.values():
                if f.decl.body is not None:
                    self._body(f, c)
            if c.init.decl is not None:
                self._body(c.init, c)
        if entry:
            self._check_main()

    def _script(self) -> None:
        """REPL input: global initialisers and statements in source order.
        A top-level expression with a value becomes the global `$N` (a let
        binding initialised by that expression) so that the REPL can show
        it and later input can use it.

        As statements run in order, a global of the snippet is visible to
        its top-level code only from its declaration on; before that its
        name means an earlier snippet's definition (if any).  Functions and
        classes, whose bodies run later, see every name at once."""
        ctx = Context(None)
        items = self.m.syntax.items
        self.m.hidden = {it.name for it in items if isinstance(it, S.VarDecl)}
        try:
            for i, item in enumerate(items):
                if isinstance(item, S.VarDecl):
                    self.global_type(item.var)
                    self._global_init(item.var)
                    self.m.hidden.discard(item.name)
                elif isinstance(item, S.ExprStmt):
                    t = self.expr(item.expr, ctx)
                    if t not in (VOID, ERROR, NULL):
                        items[i] = self._value_global(item, t)
                elif isinstance(item, S.Stmt):
                    self._stmt(item, ctx)
        finally:
            self.m.hidden = set()

    def _value_global(self, s: S.ExprStmt, t: Type) -> S.VarDecl:
        name = f"${self.m.next_value}"
        self.m.next_value += 1
        d = S.VarDecl(s.line, s.col, False, name, None, s.expr, (s.line, s.col))
        g = GlobalInfo(name, self.m, d, False, t)
        d.var = g
        self.m.globals.append(g)
        self.m.scope[name] = g
        return d

    def global_type(self, g: GlobalInfo) -> Type:
        """The type of a global, inferring it from its initialiser on first
        use (which may come from a function body checked earlier)."""
        if g.type is not None:
            return g.type
        if g.resolving:
            self.rep.at(g.decl, f"the type of '{g.name}' depends on its own value; declare its type")
            g.type = ERROR
            return ERROR
        g.resolving = True
        init = g.decl.init
        if init is None:
            self.rep.at(g.decl, f"'{g.name}' needs a type or an initial value")
            t = ERROR
        else:
            t = self._infer(init, Context(None), g.name)
        g.resolving = False
        if g.type is None:
            g.type = t
        return g.type

    def _global_init(self, g: GlobalInfo) -> None:
        d = g.decl
        if d.init is None:
            if not d.mutable and g.type is not ERROR:
                self.rep.at(d, f"let binding '{g.name}' needs a value")
            return
        if d.init.ty is None:        # not typed yet by inference
            self._check_value(d.init, g.type, Context(None), f"'{g.name}'")

    def _body(self, f: FunctionInfo, cls: ClassInfo | None) -> None:
        ctx = Context(f, cls)
        if cls is not None:
            ctx.self_var = LocalVar("self", cls.type, False, "self")
        scope = ctx.scopes[0]
        for name, t, p in zip(f.param_names, f.params, f.decl.params):
            if name not in scope:
                scope[name] = LocalVar(name, t, True, "param", p.line, p.col)
        f.decl.param_vars = [scope.get(n) for n in f.param_names]
        f.decl.self_var = ctx.self_var
        self._stmts(f.decl.body.stmts, ctx)
        if f.ret is not VOID and f.ret is not ERROR and can_complete(f.decl.body):
            self.rep.at(f.decl, f"missing return in '{f.qualified}': the end of its body is reachable")

    def _check_main(self) -> None:
        main = self.m.scope.get("main")
        if not isinstance(main, FunctionInfo):
            self.rep.error(1, 1, "the program has no 'fn main()'" if main is None
                           else "'main' must be a function")
            return
        ok_params = (main.params == [] or main.params == [ArrayType(STRING)]
                     or ERROR in main.params)
        if not ok_params or main.ret not in (VOID, INT, ERROR):
            self.rep.at(main.decl, "main must be 'fn main()' or 'fn main(args: string[])', "
                                   "returning void or int")

    # --- statements ------------------------------------------------------------------

    def _stmts(self, stmts: list[S.Stmt], ctx: Context) -> None:
        for s in stmts:
            self._stmt(s, ctx)

    def _stmt(self, s: S.Stmt, ctx: Context) -> None:
        self.world.budget.step(s.line, s.col)
        getattr(self, S.STMT_VISIT[type(s)])(s, ctx)

    def _block(self, b: S.Block, ctx: Context, extra: dict[str, LocalVar] | None = None) -> None:
        ctx.scopes.append(dict(extra or {}))
        try:
            self._stmts(b.stmts, ctx)
        finally:
            ctx.scopes.pop()

    def _declare_local(self, ctx: Context, v: LocalVar, node: S.Node) -> None:
        scope = ctx.scopes[-1]
        if v.name in scope:
            self.rep.at(node, f"'{v.name}' is already declared in this scope")
            return
        scope[v.name] = v

    def s_var(self, d: S.VarDecl, ctx: Context) -> None:
        if d.type_ref is not None:
            t = resolve_type(d.type_ref, self.m, self.world, self.rep)
            if d.init is not None:
                self._check_value(d.init, t, ctx, f"'{d.name}'")
            elif not d.mutable:
                self.rep.at(d, f"let binding '{d.name}' needs a value")
        elif d.init is not None:
            t = self._infer(d.init, ctx, d.name)
        else:
            self.rep.at(d, f"'{d.name}' needs a type or an initial value")
            t = ERROR
        v = LocalVar(d.name, t, d.mutable, "local", d.line, d.col)
        d.var = v
        self._declare_local(ctx, v, d)

    def s_assign(self, s: S.Assign, ctx: Context) -> None:
        t = self._target(s.target, ctx)
        if s.op == "=":
            self._check_value(s.value, t, ctx, "the assignment")
            return
        op = s.op[:-1]
        r = self.value(s.value, ctx)
        result, operand = self._binary_type(op, t, r, s)
        s.operand_ty = operand
        if result is not ERROR and not assignable(result, t):
            self.rep.at(s, f"'{s.op}' gives {result}, which cannot be stored in {t}")

    def _target(self, e: S.Expr, ctx: Context) -> Type:
        """Type an assignment target and check it may be assigned."""
        if isinstance(e, S.Name):
            t = self.expr(e, ctx)
            sym = e.sym
            if isinstance(sym, LocalVar):
                if not sym.mutable:
                    self.rep.at(e, f"cannot assign to '{e.name}': {_immutable_kind(sym)}")
            elif isinstance(sym, GlobalInfo):
                if not sym.mutable:
                    self.rep.at(e, f"cannot assign to '{e.name}': it is a let binding")
            return t
        if isinstance(e, S.Member):
            t = self.expr(e, ctx)
            if e.sym in (STRING_LENGTH, ARRAY_LENGTH):
                self.rep.at(e, "cannot assign to 'length': it is read-only")
                return ERROR
            if isinstance(e.sym, GlobalInfo) and not e.sym.mutable:
                self.rep.at(e, f"cannot assign to '{e.name}': it is a let binding")
            return t
        if isinstance(e, S.Index):
            t = self.expr(e, ctx)
            if e.obj.ty is STRING:
                self.rep.at(e, "cannot assign to a character of a string: strings are immutable")
                return ERROR
            return t
        line, col = S.start_of(e)
        self.rep.error(line, col, "cannot assign to this expression")
        self.expr(e, ctx)
        return ERROR

    def s_expr(self, s: S.ExprStmt, ctx: Context) -> None:
        self.expr(s.expr, ctx)

    def s_if(self, s: S.If, ctx: Context) -> None:
        self._condition(s.cond, ctx)
        self._block(s.then, ctx)
        if isinstance(s.else_, S.Block):
            self._block(s.else_, ctx)
        elif s.else_ is not None:
            self._stmt(s.else_, ctx)

    def s_while(self, s: S.While, ctx: Context) -> None:
        self._condition(s.cond, ctx)
        ctx.loops += 1
        self._block(s.body, ctx)
        ctx.loops -= 1

    def s_for_range(self, s: S.ForRange, ctx: Context) -> None:
        for bound in (s.start, s.end):
            t = self.value(bound, ctx)
            if t is not INT and t is not ERROR:
                self.rep.at(bound, f"a range bound must be an int, not {t}")
        s.var = LocalVar(s.var_name, INT, False, "for", s.var_line, s.var_col)
        self._loop_body(s, s.var, ctx)

    def s_for_each(self, s: S.ForEach, ctx: Context) -> None:
        t = self.value(s.iterable, ctx)
        if isinstance(t, ArrayType):
            elem = t.elem
        else:
            if t is not ERROR:
                self.rep.at(s.iterable, f"'for ... in' needs an array or a range 'a..b', not {t}")
            elem = ERROR
        s.var = LocalVar(s.var_name, elem, False, "for", s.var_line, s.var_col)
        self._loop_body(s, s.var, ctx)

    def _loop_body(self, s, var: LocalVar, ctx: Context) -> None:
        ctx.loops += 1
        self._block(s.body, ctx, {var.name: var})
        ctx.loops -= 1

    def s_break(self, s: S.Break, ctx: Context) -> None:
        if not ctx.loops:
            self.rep.at(s, "'break' outside a loop")

    def s_continue(self, s: S.Continue, ctx: Context) -> None:
        if not ctx.loops:
            self.rep.at(s, "'continue' outside a loop")

    def s_return(self, s: S.Return, ctx: Context) -> None:
        if ctx.fn is None:          # a REPL statement outside any function
            self.rep.at(s, "'return' outside a function")
            return
        ret = ctx.fn.ret
        if s.value is None:
            if ret is not VOID and ret is not ERROR:
                self.rep.at(s, f"missing return value: '{ctx.fn.qualified}' returns {ret}")
            return
        if ret is VOID:
            self.expr(s.value, ctx)
            self.rep.at(s.value, "a void function cannot return a value")
            return
        self._check_value(s.value, ret, ctx, "the return value")

    def s_throw(self, s: S.Throw, ctx: Context) -> None:
        t = self.value(s.value, ctx)
        if t is ERROR:
            return
        if not (isinstance(t, ClassType) and self._is_error_class(t.cls)):
            self.rep.at(s.value, f"can only throw an Error instance, not {t}")

    def s_try(self, s: S.Try, ctx: Context) -> None:
        if not s.catches and s.finally_ is None:
            self.rep.at(s, "'try' needs at least one 'catch' or a 'finally'")
        self._block(s.body, ctx)
        for c in s.catches:
            t: Type = self.error_class.type if self.error_class else ERROR
            if c.type_ref is not None:
                t = resolve_type(c.type_ref, self.m, self.world, self.rep)
                if t is not ERROR and not (isinstance(t, ClassType) and self._is_error_class(t.cls)):
                    self.rep.at(c.type_ref, f"can only catch Error classes, not {t}")
                    t = ERROR
                if isinstance(t, ClassType):
                    c.cls = t.cls
            c.var = LocalVar(c.name, t, False, "catch", c.line, c.col)
            self._block(c.body, ctx, {c.name: c.var})
        if s.finally_ is not None:
            self._block(s.finally_, ctx)

    def s_block(self, s: S.Block, ctx: Context) -> None:
        self._block(s, ctx)

    def _is_error_class(self, c: ClassInfo) -> bool:
        return self.error_class is not None and c.is_subclass_of(self.error_class)

    def _condition(self, e: S.Expr, ctx: Context) -> None:
        t = self.value(e, ctx)
        if t is not BOOL and t is not ERROR:
            self.rep.at(e, f"a condition must be a bool, not {t}")

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

    # --- expressions: one method per node ---------------------------------------------

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
            return v.type
        sym = lookup_top(self.m, self.world, e.name)
        e.sym = sym
        if isinstance(sym, GlobalInfo):
            return self.global_type(sym)
        if sym is None:
            if e.name in B.FUNCTIONS:
                self.rep.at(e, f"built-in function '{e.name}' must be called")
            else:
                self.rep.at(e, f"unknown name '{e.name}'")
        else:
            self.rep.at(e, f"{_kind(sym)} '{e.name}' cannot be used as a value")
        return ERROR

    def e_self(self, e: S.SelfExpr, ctx: Context, expected) -> Type:
        if ctx.self_var is None:
            self.rep.at(e, "'self' can only be used inside a method or init")
            return ERROR
        e.sym = ctx.self_var
        return ctx.self_var.type

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
                return f.type
            if t.cls.find_method(e.name) is not None:
                self.rep.at(e, f"method '{e.name}' must be called: {e.name}(...)")
            else:
                self.rep.at(e, f"class '{t.cls.name}' has no field '{e.name}'")
            return ERROR
        if t is STRING and e.name in B.STRING_METHODS or isinstance(t, ArrayType) and e.name in B.ARRAY_METHODS:
            self.rep.at(e, f"method '{e.name}' must be called: {e.name}(...)")
            return ERROR
        self.rep.at(e, f"{t} has no member '{e.name}'")
        return ERROR

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

    def e_call(self, e: S.Call, ctx: Context, expected) -> Type:
        callee = e.callee
        if isinstance(callee, S.Name):
            return self._call_name(e, callee, ctx)
        if isinstance(callee, S.SuperMember):
            return self._call_super(e, callee, ctx)
        if isinstance(callee, S.Member):
            mod = self._module_of(callee.obj, ctx)
            if mod is not None:
                return self._call_module(e, callee, mod, ctx)
            return self._call_method(e, callee, ctx)
        self.value(callee, ctx)
        self._args_only(e, ctx)
        if callee.ty is not ERROR:
            self.rep.at(e, "this expression cannot be called")
        return ERROR

    def _call_name(self, e: S.Call, callee: S.Name, ctx: Context) -> Type:
        v = ctx.lookup(callee.name)
        sym = v if v is not None else lookup_top(self.m, self.world, callee.name)
        callee.sym = sym
        if isinstance(sym, FunctionInfo):
            e.target = CallFunction(sym)
            return self._args(e, sym.params, sym.ret, f"'{sym.name}'", ctx)
        if sym is None and callee.name in B.FUNCTIONS:
            return self._call_builtin(e, callee.name, ctx)
        self._args_only(e, ctx)
        if sym is None:
            self.rep.at(callee, f"unknown function '{callee.name}'")
        elif isinstance(sym, ClassInfo):
            self.rep.at(callee, f"'{callee.name}' is a class: create instances with 'new {callee.name}(...)'")
        elif isinstance(sym, (LocalVar, GlobalInfo)):
            self.rep.at(callee, f"'{callee.name}' is a variable, not a function")
        else:
            self.rep.at(callee, f"{_kind(sym)} '{callee.name}' cannot be called")
        return ERROR

    def _call_module(self, e: S.Call, callee: S.Member, mod: ModuleInfo, ctx: Context) -> Type:
        callee.obj.sym = mod
        callee.obj.ty = VOID
        if mod.broken:
            self._args_only(e, ctx)
            return ERROR
        sym = mod.public(callee.name)
        callee.sym = sym
        if isinstance(sym, FunctionInfo):
            e.target = CallFunction(sym)
            return self._args(e, sym.params, sym.ret, f"'{callee.obj.name}.{sym.name}'", ctx)
        self._args_only(e, ctx)
        if isinstance(sym, ClassInfo):
            self.rep.at(callee, f"'{callee.obj.name}.{callee.name}' is a class: create instances with "
                                f"'new {callee.obj.name}.{callee.name}(...)'")
        else:
            self.rep.at(callee, _module_member_problem(mod, callee.obj.name, callee.name, sym, "function"))
        return ERROR

    def _call_method(self, e: S.Call, callee: S.Member, ctx: Context) -> Type:
        t = self.value(callee.obj, ctx)
        name = callee.name
        if isinstance(t, ClassType):
            f = t.cls.find_method(name)
            if f is not None:
                e.target = CallMethod(f, t.cls)
                callee.ty = VOID
                return self._args(e, f.params, f.ret, f"'{f.qualified}'", ctx)
            self._args_only(e, ctx)
            if t.cls.find_field(name) is not None:
                self.rep.at(callee, f"'{name}' is a field of class '{t.cls.name}', not a method")
            else:
                self.rep.at(callee, f"class '{t.cls.name}' has no method '{name}'")
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
            self.rep.at(callee, f"{t} has no method '{name}'")
        return ERROR

    def _call_super(self, e: S.Call, callee: S.SuperMember, ctx: Context) -> Type:
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
                self.rep.at(callee, f"superclass '{cls.super.name}' has no method '{callee.name}'")
                return ERROR
        e.target = CallSuper(f)
        return self._args(e, f.params, f.ret, f"'{f.qualified}'", ctx)

    def _call_builtin(self, e: S.Call, name: str, ctx: Context) -> Type:
        overloads = B.FUNCTIONS[name]
        types = [self.value(a, ctx) for a in e.args]
        if ERROR in types:
            e.ty = ERROR
            return ERROR
        for o in overloads:
            if len(o.params) == len(types) and all(p is B.ANY or assignable(t, p)
                                                  for p, t in zip(o.params, types)):
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

    def _args(self, e: S.Call | S.NewObject, params: list[Type], ret: Type, what: str, ctx: Context) -> Type:
        if len(e.args) != len(params):
            self._args_only(e, ctx)
            self.rep.at(e, f"{what} expects {len(params)} argument{'' if len(params) == 1 else 's'}, "
                           f"got {len(e.args)}")
            return ret
        for i, (a, p) in enumerate(zip(e.args, params)):
            self._check_value(a, p, ctx, f"argument {i + 1} of {what}")
        return ret

    def _args_only(self, e: S.Call | S.NewObject, ctx: Context) -> None:
        for a in e.args:
            self.expr(a, ctx)

    def e_new(self, e: S.NewObject, ctx: Context, expected) -> Type:
        t = resolve_type(e.cls, self.m, self.world, self.rep)
        if not isinstance(t, ClassType):
            self._args_only(e, ctx)
            if t is not ERROR:
                arrays = f" (arrays: new {t}[n])" if t is not VOID else ""
                self.rep.at(e.cls, f"'new' needs a class, not {t}{arrays}")
            return ERROR
        self._args(e, t.cls.init.params, VOID, f"'new {t.cls.name}'", ctx)
        return t

    def e_new_array(self, e: S.NewArray, ctx: Context, expected) -> Type:
        elem = resolve_type(e.elem, self.m, self.world, self.rep)
        n = self.value(e.size, ctx)
        if n is not INT and n is not ERROR:
            self.rep.at(e.size, f"an array size must be an int, not {n}")
        if elem is ERROR:
            return ERROR
        t: Type = elem
        for _ in range(e.extra_dims + 1):
            t = ArrayType(t)
        return t

    def e_array(self, e: S.ArrayLit, ctx: Context, expected) -> Type:
        if isinstance(expected, ArrayType):
            for i, x in enumerate(e.elems):
                self._check_value(x, expected.elem, ctx, f"array element {i + 1}")
            return expected
        if _needs_context(e):
            what = "an empty array literal" if not e.elems else "this array literal"
            self.rep.at(e, f"cannot infer the type of {what}; declare it (e.g. 'let xs: int[] = [];')")
            for x in e.elems:
                self.expr(x, ctx)
            return ERROR
        # Elements that have a type of their own decide the element type; the
        # others (null, empty literals) are then checked against it.
        elem: Type | None = None
        for x in e.elems:
            if _needs_context(x):
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
            if _needs_context(x):
                self._check_value(x, elem, ctx, f"array element {i + 1}")
        return ERROR if elem is ERROR else ArrayType(elem)

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
        lt = self.value(e.left, ctx)
        rt = self.value(e.right, ctx)
        result, operand = self._binary_type(e.op, lt, rt, e)
        e.operand_ty = operand
        return result

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
            operand = _equality_operand(lt, rt)
            if operand is not None:
                return BOOL, operand
            self.rep.at(node, f"cannot compare {lt} with {rt} using '{op}'{_hint(lt, rt)}")
            return ERROR, ERROR
        self.rep.at(node, f"operator '{op}' cannot be applied to {lt} and {rt}{_hint(lt, rt)}")
        return ERROR, ERROR

    def _class_target(self, ref: S.TypeRef, what: str) -> ClassInfo | None:
        t = resolve_type(ref, self.m, self.world, self.rep)
        if isinstance(t, ClassType):
            return t.cls
        if t is not ERROR:
            self.rep.at(ref, f"'{what}' needs a class type, not {t}")
        return None

    def _relate(self, e, t: Type, cls: ClassInfo, what: str) -> None:
        if t is ERROR or t is NULL:
            return
        if not isinstance(t, ClassType) or not related(t, cls.type):
            self.rep.at(e, f"'{what}' between unrelated types: {t} is never a {cls.name}")

    def e_is(self, e: S.IsExpr, ctx: Context, expected) -> Type:
        t = self.value(e.expr, ctx)
        cls = self._class_target(e.target, "is")
        if cls is not None:
            e.cls = cls
            self._relate(e, t, cls, "is")
        return BOOL

    def e_as(self, e: S.AsExpr, ctx: Context, expected) -> Type:
        t = self.value(e.expr, ctx)
        cls = self._class_target(e.target, "as")
        if cls is None:
            return ERROR
        self._relate(e, t, cls, "as")
        return cls.type


def _equality_operand(lt: Type, rt: Type) -> Type | None:
    """The kind of `==` (INT/FLOAT/BOOL/STRING, or a reference type), or None
    when the two types may not be compared (A7)."""
    if lt in (INT, FLOAT, BOOL) or rt in (INT, FLOAT, BOOL):
        return lt if lt is rt else None
    if lt is STRING and rt in (STRING, NULL) or rt is STRING and lt is NULL:
        return STRING
    if lt.is_ref and rt.is_ref and related(lt, rt):
        return lt if lt is not NULL else rt
    return None


def _needs_context(e: S.Expr) -> bool:
    """An expression whose type comes only from where it is used: `null`, and
    array literals made only of such expressions (`[]`, `[[], null]`)."""
    if isinstance(e, S.NullLit):
        return True
    return isinstance(e, S.ArrayLit) and all(_needs_context(x) for x in e.elems)


def _immutable_kind(v: LocalVar) -> str:
    return {"for": "loop variables are immutable", "catch": "catch variables are immutable",
            "self": "'self' cannot be assigned"}.get(v.kind, "it is a let binding")


def _kind(sym) -> str:
    if isinstance(sym, FunctionInfo):
        return "function"
    if isinstance(sym, ClassInfo):
        return "class"
    if isinstance(sym, ModuleInfo):
        return "module"
    return "name"


def _module_member_problem(mod: ModuleInfo, alias: str, name: str, sym, want: str = "") -> str:
    if sym is None:
        if name.startswith("_") and name in mod.scope:
            return f"'{name}' is private to module '{mod.name}'"
        return f"module '{mod.name}' has no member '{name}'"
    if isinstance(sym, FunctionInfo):
        return f"function '{alias}.{name}' must be called: {alias}.{name}(...)"
    if isinstance(sym, ClassInfo):
        return f"class '{alias}.{name}' cannot be used as a value"
    if want:
        return f"'{alias}.{name}' is not a {want}"
    return f"'{alias}.{name}' cannot be used here"


def _describe_call(e: S.Expr) -> str:
    if isinstance(e, S.Call):
        c = e.callee
        if isinstance(c, (S.Name, S.Member, S.SuperMember)):
            return f"'{c.name}(...)'"
    return "this expression"


def _param_text(p) -> str:
    return "any" if p is B.ANY else str(p)


def _hint(a: Type, b: Type) -> str:
    return _MIX_HINT if {a, b} == {INT, FLOAT} else ""
