"""A checked module → `hlbc.model.ModuleDesc`.

Owns the module's layout in bytecode: the constant pool, globals, classes
(own fields, methods, vtable with the superclass's slots first, `init`,
synthesized when the source has none; flags, interfaces and itable) and
interfaces (abstract methods), the function table (top-level functions,
then per class its init, methods and bridges, then `$init`, then the
functions the code asked for, in the order it asked: function literals,
adapters, bound methods, the `$str_...` helpers that format arrays; in the
prelude also `$str`, `$equals`, `$hash`), and the order of all of these.
Function bodies are lowered by `codegen.FunctionGen`, the synthesized ones
by `synth.py`.  A program beyond a limit of the format (compiler/limits.py)
stops generation with a diagnostic at the position that goes beyond it.

A REPL snippet (`ModuleInfo.script`, compiler/session.py) differs in two
ways: its `$init` runs its global initialisers and its statements in source
order, and each of its globals gets a `show$<name>()` function, through
which the REPL shows the global's value.  Its imports also list the earlier
snippets (and their imported modules) it takes names from.
"""

from __future__ import annotations

from hlbc import model as M

from . import synth
from . import syntax as S
from .assembler import Label
from .codegen import ELEM_LOAD, FunctionGen, call_descs, kind
from .diagnostics import CompileError, Reporter
from .erasure import adapter_name, mangle
from .limits import LimitError
from .pool import Pool
from .symbols import ClassInfo, FunctionInfo, LambdaInfo, ModuleInfo, World
from .typesys import STRING, VOID, ArrayType


def generate(module: ModuleInfo, world: World, rep: Reporter) -> M.ModuleDesc:
    """The module's bytecode; CompileError (reported to `rep`, the module's
    reporter) if it goes beyond a limit of the format."""
    gen = ModuleGen(module, world)
    try:
        return gen.build()
    except LimitError as e:
        line, col = (e.line, e.col) if e.line else gen.at
        rep.error(line, col, e.message)
        raise CompileError(rep.sorted()) from None


def _release_body(decl) -> None:
    """Drop a function's body once its code is generated: nothing after
    generation reads it (diagnostics point at declarations), and a big
    module's syntax then shrinks as its bytecode grows instead of both
    being held at the peak."""
    decl.body = S.Block(decl.body.line, decl.body.col, [])


def show_name(global_name: str) -> str:
    """The function through which the REPL shows a snippet's global.  The
    REPL calls it as an embedding host does, and hosts cannot see functions
    whose names start with `$` (hllvm/embed.py); a `$` inside the name still
    keeps it apart from every name HL source can declare."""
    return "show$" + global_name


def helper_name(t: ArrayType) -> str:
    """`$str_` + the descriptor with `[` → `A` and `.`/`;` → `$`: an
    identifier, and distinct for distinct types (class names contain no `$`)."""
    return "$str_" + t.desc.replace("[", "A").replace(".", "$").replace(";", "$")


class ModuleGen:
    def __init__(self, module: ModuleInfo, world: World):
        self.m = module
        self.world = world
        self.pool = Pool()
        self.budget = world.budget
        self.functions: list[M.FunctionDesc] = []
        # Functions the code asks for (literals, adapters, bound methods,
        # array formatting), by name, each once: how to make each, in
        # the order they were first asked for.
        self._wanted: dict[str, object] = {}
        self._made = 0
        self.at = (1, 1)            # where the function being generated is declared
        err = world.lang_class("Error")
        self.error_desc = err.type.desc if err is not None else "Llang.Error;"

    def lang_class(self, name: str) -> ClassInfo:
        return self.world.lang_class(name)

    # --- the module ------------------------------------------------------------------------

    def build(self) -> M.ModuleDesc:
        m = self.m
        globals_ = tuple(M.GlobalDesc(g.name, g.type.desc, 0 if g.mutable else M.G_CONST) for g in m.globals)
        for f in m.functions:
            self.functions.append(self._function(f, M.NO_INDEX))
        classes = tuple(self._class(c, i) for i, c in enumerate(m.classes))
        init = M.NO_INDEX
        if m.script:
            init = len(self.functions)
            self.functions.append(self._script_init())
            for g in m.globals:
                self.functions.append(self._show(g))
        elif any(g.decl.init is not None for g in m.globals):
            init = len(self.functions)
            self.functions.append(self._module_init())
        if m is self.world.prelude:
            for name in synth.PRELUDE_HELPERS:
                self.prelude_helper(name)
        while self._made < len(self._wanted):
            make = list(self._wanted.values())[self._made]
            self._made += 1
            self.functions.append(make())
        imports = tuple(dict.fromkeys(
            ([] if m is self.world.prelude else ["lang"]) + [mod.name for mod in m.imports.values()]
            + [name for name in m.uses if name != m.name]))
        return M.ModuleDesc(m.name, m.source_name, imports, tuple(self.pool.consts), globals_,
                            classes, tuple(self.functions), init, m.source_hash)

    def _class(self, c: ClassInfo, index: int) -> M.ClassDesc:
        interfaces = tuple(self.pool.klass(t.cls) for t in c.interfaces)
        if c.is_interface:
            methods = []
            for name, f in c.methods.items():
                methods.append((name, len(self.functions)))
                self.functions.append(self._abstract(f, c, index))
            return M.ClassDesc(c.name, M.NO_INDEX, (), tuple(methods), (), M.NO_INDEX, M.C_INTERFACE,
                               interfaces, ())
        init_index = len(self.functions)
        self.functions.append(self._method(c.init, c, index))
        methods = []
        for name, f in c.methods.items():
            methods.append((name, len(self.functions)))
            self.functions.append(self._method(f, c, index))
        for b in c.bridges:
            methods.append((b.name, len(self.functions)))
            self.functions.append(synth.bridge(self, c, index, b))
        fields = tuple(M.FieldDesc(f.name, f.type.desc) for f in c.fields.values())
        vtable = tuple(M.VSlot(name, self.pool.klass(impl)) for name, impl in c.vtable)
        sup = self.pool.klass(c.super) if c.super is not None else M.NO_INDEX
        itable = tuple(M.ISlot(self.pool.klass(iface), m.name, impl) for iface, m, impl in c.itable)
        return M.ClassDesc(c.name, sup, fields, tuple(methods), vtable, init_index, 0, interfaces, itable)

    def _abstract(self, f: FunctionInfo, c: ClassInfo, index: int) -> M.FunctionDesc:
        """An interface method: its signature, no code."""
        params, ret = call_descs(f.signature)
        return M.FunctionDesc(f.name, M.F_METHOD | M.F_ABSTRACT, index, params, ret,
                              (c.type.desc, *params), 0, b"")

    # --- functions --------------------------------------------------------------------------

    def _function(self, f: FunctionInfo, owner: int) -> M.FunctionDesc:
        self.at = (f.decl.line, f.decl.col)
        self.budget.step(*self.at)
        params = tuple(p.desc for p in f.params)
        if f.native:
            return M.FunctionDesc(f.name, M.F_NATIVE, owner, params, f.ret.desc, params, 0, b"")
        g = FunctionGen(self, f.qualified, f.ret)
        g.parameters(f.decl.param_vars, f.params, params)
        g.body(f.decl.body)
        _release_body(f.decl)
        return self._desc(g, f.name, 0, owner, params, f.ret.desc)

    def _method(self, f: FunctionInfo, c: ClassInfo, index: int) -> M.FunctionDesc:
        flags = M.F_METHOD | (M.F_INIT if f.is_init else 0)
        decl = f.decl or c.decl
        if decl is not None:
            self.at = (decl.line, decl.col)
        self.budget.step(*self.at)
        params, ret = call_descs(f.signature)
        g = FunctionGen(self, f.qualified, f.ret, ret)
        if f.decl is None:          # synthesized init: run the superclass's zero-argument init
            g.fixed_local(None, c.type.desc)
            if c.super is not None and not c.super.init.params:
                g.asm.emit("LOAD", 0)
                g.asm.emit("CALLSPECIAL", self.pool.method(c.super, c.super.init))
            g.finish_void()
        else:
            g.fixed_local(f.decl.self_var, c.type.desc)
            g.asm.position(*self.at)
            g.parameters(f.decl.param_vars, f.params, params)
            g.body(f.decl.body)
            _release_body(f.decl)
        return self._desc(g, f.name, flags, index, params, ret)

    def _module_init(self) -> M.FunctionDesc:
        g = FunctionGen(self, f"{self.m.name}.$init", VOID)
        for gl in self.m.globals:
            d = gl.decl
            if d.init is None:
                continue
            self.at = (d.line, d.col)
            g.asm.statement(*S.stmt_start(d))
            g.value_as(d.init, gl.type.desc)
            g.asm.emit("GSET", self.pool.global_(gl))
        g.finish_void()
        return self._desc(g, "$init", M.F_MODINIT, M.NO_INDEX, (), "V")

    # --- REPL snippets ---------------------------------------------------------------------

    def _script_init(self) -> M.FunctionDesc:
        """The initialiser of a REPL snippet: its global initialisers and its
        statements, in source order.  The VM runs it once, when the REPL
        asks for the initialisation of the modules it has just loaded."""
        g = FunctionGen(self, f"{self.m.name}.$init", VOID)
        for item in self.m.syntax.items:
            if isinstance(item, S.VarDecl):
                if item.init is not None:
                    g.asm.statement(*S.stmt_start(item))
                    g.value_as(item.init, item.var.type.desc)
                    g.asm.emit("GSET", self.pool.global_(item.var))
            elif isinstance(item, S.Stmt):
                g.stmt(item)
        if g.asm.reachable:
            g.finish_void()
        return self._desc(g, "$init", M.F_MODINIT, M.NO_INDEX, (), "V")

    def _show(self, gl) -> M.FunctionDesc:
        """`show$<name>`: what the REPL prints for a snippet's global.  Ints,
        floats, bools and strings come back as they are (the REPL formats
        them, quoting strings); anything else as its `str()`."""
        t = gl.type
        plain = t.desc in ("I", "F", "Z", "S")
        name = show_name(gl.name)
        g = FunctionGen(self, f"{self.m.name}.{name}", t if plain else STRING)
        g.asm.emit("GGET", self.pool.global_(gl))
        if not plain:
            g.convert_to_string(t)
        g.asm.emit("RETV")
        return self._desc(g, name, 0, M.NO_INDEX, (), t.desc if plain else "S")

    @staticmethod
    def _desc(g: FunctionGen, name: str, flags: int, owner: int, params: tuple, ret: str) -> M.FunctionDesc:
        code, max_stack, handlers, lines, locals_ = g.result()
        return M.FunctionDesc(name, flags, owner, params, ret, locals_, max_stack, code, handlers, lines)

    # --- functions the code asks for ------------------------------------------------------

    def want(self, name: str, sig: str, make) -> int:
        """The pool index of this module's function `name` of signature
        `sig`, made by `make()` at the end of the module (once)."""
        self._wanted.setdefault(name, make)
        return self.pool.local_func(self.m.name, name, sig)

    def lambda_function(self, info: LambdaInfo) -> int:
        """The module function a function literal is compiled to: its
        captured values, then its parameters."""
        params, ret = call_descs(info.desc)
        sig = "(" + "".join(v.type.desc for v in info.captures) + "".join(params) + ")" + ret
        return self.want(info.name, sig, lambda: synth.literal(self, info))

    def adapter(self, frm: str, to: str) -> int:
        """The function turning a function value of signature `frm` into
        one of signature `to` (erasure.py)."""
        params, ret = call_descs(to)
        sig = "(" + frm + "".join(params) + ")" + ret
        return self.want(adapter_name(frm, to), sig, lambda: synth.adapter(self, frm, to))

    def bound_method(self, cls: ClassInfo, f: FunctionInfo) -> int:
        """The function a bound method `obj.m` closes over: it calls `m`
        on its first parameter."""
        params, ret = call_descs(f.signature)
        name = f"$bound${mangle(cls.type.desc)}${f.name}"
        sig = "(" + cls.type.desc + "".join(params) + ")" + ret
        return self.want(name, sig, lambda: synth.bound(self, cls, f))

    def prelude_helper(self, name: str) -> int:
        """`$str`, `$equals` or `$hash` of the prelude (synth.py)."""
        sig = synth.PRELUDE_HELPERS[name]
        if self.m is self.world.prelude:
            return self.want(name, sig, lambda: synth.prelude_helper(self, name))
        return self.pool.local_func(self.world.prelude.name, name, sig)

    # --- str() of arrays -------------------------------------------------------------------

    def array_to_string(self, t: ArrayType) -> int:
        """The pool index of this module's `$str_...` helper for `t`
        (generated at the end of the module)."""
        return self.want(helper_name(t), f"({t.desc})S", lambda: self._array_to_string(t))

    def _array_to_string(self, t: ArrayType) -> M.FunctionDesc:
        """fn $str_T(a: T[]) -> string: "null", or "[e0, e1, ...]" with each
        element formatted by the rules of str().  The elements' strings are
        joined by the native `string.join` (which reads a null element as
        "null", as CONCAT does): concatenating them one by one would copy the
        text so far for every element, quadratic in the array's length."""
        name = helper_name(t)
        g = FunctionGen(self, name, STRING)
        asm, pool = g.asm, self.pool
        g.fixed_local(None, t.desc)             # 0: the array
        not_null = Label()
        asm.emit("LOAD", 0)
        asm.emit("NULL")
        asm.emit("REQ")
        asm.jump("JF", not_null)
        asm.emit("SCONST", pool.string("null"))
        asm.emit("RETV")
        asm.bind(not_null)
        # A string array is its own parts; the loop runs with an empty stack.
        parts = 0 if t.elem.desc == "S" else self._element_strings(g, t)
        synth.return_bracketed(asm, pool, parts)
        return self._desc(g, name, 0, M.NO_INDEX, (t.desc,), "S")

    def _element_strings(self, g: FunctionGen, t: ArrayType) -> int:
        """A new string[] holding str() of each element of the array in local
        0, in a local: its slot."""
        asm, pool = g.asm, self.pool
        parts = g.temp("[S")
        i = g.temp("I")
        test, top = Label(), Label()
        asm.emit("LOAD", 0)
        asm.emit("ALEN")
        asm.emit("NEWARRAY", pool.type("S"))
        asm.emit("STORE", parts)
        asm.emit("ICONST", pool.int(0))
        asm.emit("STORE", i)
        asm.jump("JMP", test)
        asm.bind_loop_head(top, True)
        asm.emit("LOAD", parts)
        asm.emit("LOAD", i)
        asm.emit("LOAD", 0)
        asm.emit("LOAD", i)
        asm.emit(ELEM_LOAD[kind(t.elem)])
        g.convert_to_string(t.elem)
        asm.emit("RASTORE")
        asm.emit("LOAD", i)
        asm.emit("ICONST", pool.int(1))
        asm.emit("IADD")
        asm.emit("STORE", i)
        asm.bind(test)
        asm.emit("LOAD", i)
        asm.emit("LOAD", 0)
        asm.emit("ALEN")
        asm.emit("ILT")
        asm.jump("JT", top)
        return parts
