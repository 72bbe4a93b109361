"""Name resolution and type checking of bodies and initialisers (A3–A10, B1–B5).

Given a module whose declarations `declare` has built, this checks every
global initialiser (inferring the types of unannotated globals, lazily, so a
global may be used before its declaration), every function, method and init
body, every function literal in them, and the entry module's `main`.  It
annotates the syntax tree in place for codegen: each expression's `ty`,
what names and members denote (`sym`), what calls call (`target`), and the
operand type of operators; each function literal gets its `LambdaInfo`
(its name and what it captures), listed in `ModuleInfo.lambdas`.  It
reports every error it finds and types the culprit `ERROR` so that one
mistake gives one message.  It does not emit code.

The statements are checked here; expressions in `exprs.py`, calls and
generic inference in `calls.py`, the scopes of functions and literals in
`scopes.py`.

In a REPL snippet (`ModuleInfo.script`) the top-level statements are checked
too, in order with the global initialisers, and a top-level expression with
a value becomes the global `$N` that the REPL shows (`_script`).
"""

from __future__ import annotations

from hlbc.limits import MAX_LOCALS, U8_MAX

from . import syntax as S
from .declare import fn_scope, member_mapping as _member_mapping, resolve_type
from .diagnostics import Reporter
from .exprs import ExprChecker, _hint
from .flow import can_complete
from .scopes import Context
from .symbols import (ARRAY_LENGTH, STRING_LENGTH, ClassInfo, FieldInfo, FunctionInfo, FunctionValue, GlobalInfo,
                      LambdaInfo, LocalVar, ModuleInfo, World)
from .typesys import BOOL, ERROR, INT, NULL, STRING, VOID, ArrayType, ClassType, FnType, Type, assignable, subst


class Checker(ExprChecker):
    def __init__(self, module: ModuleInfo, world: World, rep: Reporter):
        self.m = module
        self.world = world
        self.rep = rep
        self.error_class = world.lang_class("Error")
        self._init_ctx: Context | None = None

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
                if f.decl.body is not None and not c.is_interface:
                    self._body(f, c)
            if c.init is not None and c.init.decl is not None:
                self._body(c.init, c)
        if entry:
            self._check_main()

    def _global_context(self) -> Context:
        """Where global initialisers (and REPL statements) are checked: the
        module initialiser, whose function literals are named after it."""
        return Context(None, name="$init")

    def _script(self) -> None:
        """REPL input: global initialisers and statements in source order.
        A top-level expression with a value becomes the global `$N` (a let
        binding initialised by that expression) so that the REPL can show
        it and later input can use it.

        As statements run in order, a global of the snippet is visible to
        its top-level code only from its declaration on; before that its
        name means an earlier snippet's definition (if any).  Functions and
        classes, whose bodies run later, see every name at once."""
        ctx = self._global_context()
        self._init_ctx = ctx
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

    def _init_context(self) -> Context:
        """The context of global initialisers: one for the module, so that
        their function literals are numbered once."""
        ctx = self._init_ctx
        if ctx is None:
            ctx = self._init_ctx = self._global_context()
        return ctx

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
            t = self._infer(init, self._init_context(), g.name)
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
            self._check_value(d.init, g.type, self._init_context(), f"'{g.name}'")

    def _body(self, f: FunctionInfo, cls: ClassInfo | None) -> None:
        name = f"{cls.name}${f.name}" if cls is not None else f.name
        ctx = Context(f, cls, tparams=fn_scope(f), ret=f.ret, name=name)
        if cls is not None:
            ctx.self_var = LocalVar("self", cls.type, False, "self")
        scope = ctx.scopes[0]
        for name, t, p in zip(f.param_names, f.params, f.decl.params):
            if name not in scope:
                scope[name] = LocalVar(name, t, True, "param", p.line, p.col)
        f.decl.param_vars = [scope.get(n) for n in f.param_names]
        ctx.params = [v for v in f.decl.param_vars if v is not None]
        f.decl.self_var = ctx.self_var
        self._stmts(f.decl.body.stmts, ctx)
        self._assigned_captures(ctx)
        if f.ret is not VOID and f.ret is not ERROR and can_complete(f.decl.body):
            self.rep.at(f.decl, f"missing return in '{f.qualified}': the end of its body is reachable")

    def lambda_body(self, e: S.FnLit, outer: Context) -> Type:
        """A function literal: its own context inside `outer`, its
        parameters (which may not shadow a local of an enclosing function),
        its body; registered as a function of the module."""
        params = [resolve_type(p.type_ref, self.m, self.world, self.rep, tparams=outer.tparams)
                  for p in e.params]
        ret = VOID if e.ret is None else resolve_type(e.ret, self.m, self.world, self.rep, True, outer.tparams)
        name = outer.literal_name()
        info = LambdaInfo(name, self.m, params, ret, e, qualified=name)
        e.info = info
        self.m.lambdas.append(info)
        ctx = Context(None, outer.cls, outer.self_var, tparams=outer.tparams, ret=ret, outer=outer,
                      lam=info, name=name)
        scope = ctx.scopes[0]
        for p, t in zip(e.params, params):
            if p.name in scope:
                self.rep.at(p, f"parameter '{p.name}' is declared twice")
                continue
            self._no_shadow(ctx, p.name, p)
            scope[p.name] = LocalVar(p.name, t, True, "param", p.line, p.col)
        e.param_vars = [scope.get(p.name) for p in e.params]
        ctx.params = [v for v in scope.values()]
        self._stmts(e.body.stmts, ctx)
        self._assigned_captures(ctx)
        if ret is not VOID and ret is not ERROR and can_complete(e.body):
            self.rep.at(e, "missing return in a function literal: the end of its body is reachable")
        n = len(info.captures)
        if n > U8_MAX:
            self.rep.at(e, f"this function literal captures {n} values: at most {U8_MAX} may be captured")
        elif n + len(params) > MAX_LOCALS:
            self.rep.at(e, f"this function literal captures {n} values and has {len(params)} parameters: "
                           f"together at most {MAX_LOCALS}")
        return FnType(tuple(params), ret)

    def _no_shadow(self, ctx: Context, name: str, node: S.Node) -> None:
        if ctx.outer is not None and ctx.visible_outside(name) is not None:
            self.rep.at(node, f"'{name}' is already a local of an enclosing function: a function literal's "
                              f"parameters and locals may not shadow it")

    def _assigned_captures(self, ctx: Context) -> None:
        """Parameters of this function that a literal captures must never be
        assigned (B3): reported at each capturing use."""
        for v in ctx.params:
            if v.assigned:
                for line, col in v.captured_at:
                    self.rep.error(line, col, f"cannot capture parameter '{v.name}': it is assigned in its "
                                              f"function (only parameters that are never assigned may be "
                                              f"captured)")

    def _check_main(self) -> None:
        main = self.m.scope.get("main")
        if not isinstance(main, FunctionInfo):
            self.rep.error(1, 1, "the program has no 'fn main()'" if main is None
                           else "'main' must be a function")
            return
        ok_params = (main.params == [] or main.params == [ArrayType(STRING)]
                     or ERROR in main.params)
        if not ok_params or main.ret not in (VOID, INT, ERROR) or main.type_params:
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
        self._no_shadow(ctx, v.name, node)
        scope[v.name] = v

    def _loop_var(self, ctx: Context, v: LocalVar) -> dict[str, LocalVar]:
        """The scope of a `for` or `catch` body, holding its variable."""
        self._no_shadow(ctx, v.name, v)
        return {v.name: v}

    def s_var(self, d: S.VarDecl, ctx: Context) -> None:
        if d.type_ref is not None:
            t = resolve_type(d.type_ref, self.m, self.world, self.rep, tparams=ctx.tparams)
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
            v = ctx.lookup(e.name)
            if v is not None:
                e.sym = v
                e.ty = v.type
                if ctx.is_captured(v):
                    self.rep.at(e, f"cannot assign to '{e.name}' inside a function literal: it is a local of "
                                   f"an enclosing function")
                elif v.kind == "param":
                    v.assigned = True
                elif not v.mutable:
                    self.rep.at(e, f"cannot assign to '{e.name}': {_immutable_kind(v)}")
                return v.type
            t = self.expr(e, ctx)
            sym = e.sym
            if isinstance(sym, GlobalInfo):
                if not sym.mutable:
                    self.rep.at(e, f"cannot assign to '{e.name}': it is a let binding")
            elif isinstance(sym, FunctionValue):
                self.rep.at(e, f"cannot assign to '{e.name}': it is a function")
                return ERROR
            return t
        if isinstance(e, S.Member):
            t = self.expr(e, ctx)
            if e.sym in (STRING_LENGTH, ARRAY_LENGTH):
                self.rep.at(e, "cannot assign to 'length': it is read-only")
                return ERROR
            if isinstance(e.sym, GlobalInfo) and not e.sym.mutable:
                self.rep.at(e, f"cannot assign to '{e.name}': it is a let binding")
            elif isinstance(e.sym, FunctionValue):
                self.rep.at(e, f"cannot assign to '{e.name}': it is a function")
                return ERROR
            elif t is not ERROR and not isinstance(e.sym, (GlobalInfo,)) and not _is_field(e.sym):
                self.rep.at(e, f"cannot assign to '{e.name}': it is a method")
                return ERROR
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
        """`for x in e`: an array, or an object with `fn length() -> int`
        and `fn get(i: int) -> X` (B4), whose element type is X."""
        t = self.value(s.iterable, ctx)
        elem: Type = ERROR
        if isinstance(t, ArrayType):
            elem = t.elem
        elif isinstance(t, ClassType):
            elem = self._indexed(s, t)
        elif t is not ERROR:
            self.rep.at(s.iterable, f"'for ... in' needs an array, a range 'a..b', or an object with "
                                    f"'fn length() -> int' and 'fn get(i: int)', not {t}")
        s.var = LocalVar(s.var_name, elem, False, "for", s.var_line, s.var_col)
        self._loop_body(s, s.var, ctx)

    def _indexed(self, s: S.ForEach, t: ClassType) -> Type:
        """The element type of an object `for` walks with `length()` and
        `get(i)`; the methods are recorded on `s` for codegen."""
        length, get = t.cls.find_method("length"), t.cls.find_method("get")
        problem = None
        if length is None or get is None:
            problem = f"'{t}' has no method '{'length' if length is None else 'get'}'"
        else:
            lmap = _member_mapping(t, length.owner)
            gmap = _member_mapping(t, get.owner)
            if length.params or length.type_params or subst(length.ret, lmap) is not INT:
                problem = f"its 'length' is not 'fn length() -> int'"
            elif get.type_params or len(get.params) != 1 or subst(get.params[0], gmap) is not INT \
                    or get.ret is VOID:
                problem = f"its 'get' is not 'fn get(i: int)' returning a value"
        if problem is not None:
            self.rep.at(s.iterable, f"'for ... in' needs an array, a range 'a..b', or an object with "
                                    f"'fn length() -> int' and 'fn get(i: int)': {problem}")
            return ERROR
        s.iter_methods = (t.cls, length, get)
        return subst(get.ret, gmap)

    def _loop_body(self, s, var: LocalVar, ctx: Context) -> None:
        ctx.loops += 1
        self._block(s.body, ctx, self._loop_var(ctx, var))
        ctx.loops -= 1

    def s_break(self, s: S.Break, ctx: Context) -> None:
        if not ctx.loops:
            self.rep.at(s, "'break' outside a loop")

    def s_continue(self, s: S.Continue, ctx: Context) -> None:
        if not ctx.loops:
            self.rep.at(s, "'continue' outside a loop")

    def s_return(self, s: S.Return, ctx: Context) -> None:
        if ctx.ret is None:         # a REPL statement outside any function
            self.rep.at(s, "'return' outside a function")
            return
        ret = ctx.ret
        what = f"'{ctx.fn.qualified}'" if ctx.fn is not None else "this function literal"
        if s.value is None:
            if ret is not VOID and ret is not ERROR:
                self.rep.at(s, f"missing return value: {what} returns {ret}")
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
                t = resolve_type(c.type_ref, self.m, self.world, self.rep, tparams=ctx.tparams)
                if t is not ERROR and not (isinstance(t, ClassType) and self._is_error_class(t.cls)):
                    self.rep.at(c.type_ref, f"can only catch Error classes, not {t}")
                    t = ERROR
                if isinstance(t, ClassType):
                    c.cls = t.cls
            c.var = LocalVar(c.name, t, False, "catch", c.line, c.col)
            self._block(c.body, ctx, self._loop_var(ctx, c.var))
        if s.finally_ is not None:
            self._block(s.finally_, ctx)

    def s_block(self, s: S.Block, ctx: Context) -> None:
        self._block(s, ctx)

    def _is_error_class(self, c: ClassInfo) -> bool:
        return self.error_class is not None and not c.is_interface and c.is_subclass_of(self.error_class)

    def _condition(self, e: S.Expr, ctx: Context) -> None:
        t = self.value(e, ctx)
        if t is not BOOL and t is not ERROR:
            self.rep.at(e, f"a condition must be a bool, not {t}")


def _is_field(sym) -> bool:
    return isinstance(sym, FieldInfo)


def _immutable_kind(v: LocalVar) -> str:
    return {"for": "loop variables are immutable", "catch": "catch variables are immutable",
            "self": "'self' cannot be assigned"}.get(v.kind, "it is a let binding")


__all__ = ["Checker", "Context", "_hint"]
