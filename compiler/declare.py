"""Module-level declarations: the names a module defines and the shape of its classes.

For one parsed module (its imports already loaded) this builds the top-level
scope, resolves every written type in signatures, fields and annotated
globals, links classes to their superclasses (breaking cycles, and cutting
a chain deeper than the VM allows: `ModuleInfo.cut`), and lays classes out:
fields, methods with their override checks, the constructor (synthesized
when absent) and the vtable.  The limits it checks (hierarchy depth,
parameters, module names) are hlbc's, listed in compiler/limits.py.  Errors
are reported and replaced by `ERROR` so that checking can go on.  Function
bodies and global initialisers are the checker's.
"""

from __future__ import annotations

from hlbc.limits import MAX_CLASS_DEPTH, MAX_LOCALS
from hlbc.modname import MAX_NAME

from . import syntax as S
from .diagnostics import Reporter
from .symbols import ClassInfo, FieldInfo, FunctionInfo, GlobalInfo, ModuleInfo, World
from .typesys import ERROR, PRIMITIVE_NAMES, STRING, VOID, ArrayType, Type


def lookup_top(module: ModuleInfo, world: World, name: str):
    """A top-level name as seen from inside `module`: its own declarations and
    imports first, then (REPL snippets) the earlier snippets', then the
    prelude's public names."""
    sym = lookup_own(module, name)
    if sym is None and world.prelude is not None and world.prelude is not module:
        sym = world.prelude.public(name)
    return sym


def lookup_own(module: ModuleInfo, name: str):
    """A name `module` declares or imports; for a REPL snippet also one that
    an earlier snippet declares or imports, the newest first (so a new
    definition hides the old one).  Snippets share one namespace: their
    `_`-names are visible to later snippets too.  A name found in an earlier
    snippet records the module it belongs to in `module.uses`, which becomes
    an import of the snippet's bytecode.  While a snippet's top-level code
    is checked, its globals are `hidden` until declared, so that
    `let x = x + 1;` reads the earlier snippets' `x`."""
    sym = module.scope.get(name) if name not in module.hidden else None
    if sym is not None or not module.open:
        return sym
    for m in module.open:
        sym = m.scope.get(name)
        if sym is not None:
            owner = sym if isinstance(sym, ModuleInfo) else m
            module.uses.setdefault(owner.name, owner)
            return sym
    return None


def resolve_type(ref: S.TypeRef, module: ModuleInfo, world: World, rep: Reporter,
                 allow_void: bool = False) -> Type:
    base = resolve_base(ref, module, world, rep)
    if base is VOID and (ref.dims or not allow_void):
        rep.at(ref, "'void' is only allowed as a return type")
        return ERROR
    t = base
    for _ in range(ref.dims):
        t = ArrayType(t)
    return t


def resolve_base(ref: S.TypeRef, module: ModuleInfo, world: World, rep: Reporter) -> Type:
    """The type named by `ref.parts` (ignoring its dimensions)."""
    if len(ref.parts) == 1:
        name = ref.parts[0]
        if name in PRIMITIVE_NAMES:
            return PRIMITIVE_NAMES[name]
        sym = lookup_top(module, world, name)
        if isinstance(sym, ClassInfo):
            return sym.type
        if sym is None:
            rep.at(ref, f"unknown type '{name}'")
        else:
            rep.at(ref, f"'{name}' is not a type")
        return ERROR
    alias, name = ref.parts
    mod = lookup_own(module, alias)
    if not isinstance(mod, ModuleInfo):
        rep.at(ref, f"unknown module '{alias}'" if mod is None else f"'{alias}' is not a module")
        return ERROR
    if mod.broken:
        return ERROR
    sym = mod.public(name)
    if isinstance(sym, ClassInfo):
        return sym.type
    rep.at(ref, _missing_member(mod, alias, name, "class"))
    return ERROR


def _missing_member(mod: ModuleInfo, alias: str, name: str, what: str) -> str:
    if name.startswith("_") and name in mod.scope:
        return f"'{name}' is private to module '{mod.name}'"
    if name in mod.scope:
        return f"'{alias}.{name}' is not a {what}"
    return f"module '{mod.name}' has no {what} '{name}'"


class Declarer:
    """Builds the `ModuleInfo` of one module; see the module docstring."""

    def __init__(self, module: ModuleInfo, world: World, rep: Reporter):
        self.m = module
        self.world = world
        self.rep = rep

    def run(self) -> None:
        tree = self.m.syntax
        self._collect(tree)
        for c in self.m.classes:
            self._link_super(c)
        self._hierarchy()
        for f in self.m.functions:
            self._signature(f, f.decl)
        for c in self.m.classes:
            self._members(c)
        for c in self.m.classes:
            self._layout(c)
        for g in self.m.globals:
            if g.decl.type_ref is not None:
                g.type = resolve_type(g.decl.type_ref, self.m, self.world, self.rep)

    # --- the top-level scope ------------------------------------------------

    def _declare(self, name: str, sym, node: S.Node) -> None:
        if name in self.m.scope:
            self.rep.at(node, f"'{name}' is already declared in this module")
            return
        self.m.scope[name] = sym

    def _collect(self, tree: S.Module) -> None:
        for imp in tree.imports:
            if len(imp.module_name) > MAX_NAME:     # the VM would not resolve it from bytecode
                self.rep.at(imp, f"module name too long: a module name may have at most {MAX_NAME} "
                                 f"characters, this one has {len(imp.module_name)}")
            mod = self.m.imports.get(imp.alias)
            if mod is not None and imp.alias not in self.m.scope:
                self.m.scope[imp.alias] = mod
            elif imp.alias in self.m.scope:
                self.rep.at(imp, f"'{imp.alias}' is already declared in this module")
        for item in tree.items:
            if isinstance(item, S.ClassDecl):
                if item.name in PRIMITIVE_NAMES:
                    self.rep.at(item, f"'{item.name}' is a built-in type and cannot be redefined")
                    continue
                c = ClassInfo(item.name, self.m, item)
                item.info = c
                self.m.classes.append(c)
                self._declare(item.name, c, item)
            elif isinstance(item, S.FnDecl):
                f = FunctionInfo(item.name, self.m, [], [], VOID, decl=item)
                item.info = f
                self.m.functions.append(f)
                self._declare(item.name, f, item)
                if item.body is None:
                    if self.m.is_stdlib:
                        f.native = True
                    else:
                        self.rep.at(item, "function without a body")
            elif isinstance(item, S.VarDecl):
                g = GlobalInfo(item.name, self.m, item, item.mutable)
                item.var = g
                self.m.globals.append(g)
                self._declare(item.name, g, item)

    # --- classes --------------------------------------------------------------

    def _link_super(self, c: ClassInfo) -> None:
        ref = c.decl.super_ref
        if ref is None:
            return
        t = resolve_base(ref, self.m, self.world, self.rep)
        if t is ERROR:
            return
        if not hasattr(t, "cls"):
            self.rep.at(ref, f"a class can only extend a class, not '{t}'")
            return
        c.super = t.cls

    def _hierarchy(self) -> None:
        """Breaks each inheritance cycle (reported at its class declared
        first) and gives every class its depth (itself and its superclasses),
        cutting a chain at the first class deeper than the VM allows.  Each
        class is walked over once: chains as long as the program stay linear."""
        order = {id(c): i for i, c in enumerate(self.m.classes)}
        for c in self.m.classes:
            while c.depth == 0:
                path: list[ClassInfo] = [c]
                at: dict[int, int] = {id(c): 0}      # position on the path, by class
                k = c.super
                while k is not None and k.depth == 0 and id(k) not in at:
                    at[id(k)] = len(path)
                    path.append(k)
                    k = k.super
                if k is not None and id(k) in at:
                    cycle = path[at[id(k)]:]
                    first = min(cycle, key=lambda x: order[id(x)])
                    self.rep.at(first.decl, f"class '{first.name}' inherits from itself")
                    first.super = None
                    continue            # walk again: the chain now ends at `first`
                depth = k.depth if k is not None else 0
                for cls in reversed(path):
                    depth += 1
                    if depth > MAX_CLASS_DEPTH:
                        ref = cls.decl.super_ref
                        self.rep.at(ref, f"class '{cls.name}' would be {depth} classes deep with its "
                                         f"superclasses: a class hierarchy may be at most "
                                         f"{MAX_CLASS_DEPTH} deep")
                        cls.super = None
                        self.m.cut = True
                        depth = 1
                    cls.depth = depth

    def _signature(self, f: FunctionInfo, decl) -> None:
        # Parameters take local slots after the receiver (hlbc/limits.py).
        most = MAX_LOCALS - (1 if f.owner is not None else 0)
        if len(decl.params) > most:
            self.rep.at(decl.params[most], f"too many parameters: a {'method' if f.owner else 'function'} "
                                           f"may have at most {most}")
        seen: set[str] = set()
        for p in decl.params:
            if p.name in seen:
                self.rep.at(p, f"parameter '{p.name}' is declared twice")
            seen.add(p.name)
            f.params.append(resolve_type(p.type_ref, self.m, self.world, self.rep))
            f.param_names.append(p.name)
        if isinstance(decl, S.FnDecl) and decl.ret is not None:
            f.ret = resolve_type(decl.ret, self.m, self.world, self.rep, allow_void=True)

    def _members(self, c: ClassInfo) -> None:
        """Own fields, methods and init of `c`, with their types."""
        d = c.decl
        for fd in d.fields:
            if fd.name in c.fields:
                self.rep.at(fd, f"field '{fd.name}' is declared twice in class '{c.name}'")
                continue
            t = resolve_type(fd.type_ref, self.m, self.world, self.rep)
            c.fields[fd.name] = FieldInfo(fd.name, t, c, fd)
        for md in d.methods:
            f = FunctionInfo(md.name, self.m, [], [], VOID, decl=md, owner=c)
            md.info = f
            self._signature(f, md)
            if md.body is None:
                self.rep.at(md, "method without a body")
            if md.name in c.methods:
                self.rep.at(md, f"method '{md.name}' is declared twice in class '{c.name}'")
                continue
            if md.name in c.fields:
                self.rep.at(md, f"'{md.name}' is already a field of class '{c.name}'")
                continue
            c.methods[md.name] = f
        for extra in d.inits[1:]:
            self.rep.at(extra, f"class '{c.name}' has more than one init")
        if d.inits:
            idecl = d.inits[0]
            c.init = FunctionInfo("init", self.m, [], [], VOID, decl=idecl, owner=c, is_init=True)
            idecl.info = c.init
            self._signature(c.init, idecl)
        else:
            c.init = FunctionInfo("init", self.m, [], [], VOID, decl=None, owner=c, is_init=True)

    def _layout(self, c: ClassInfo) -> None:
        """Checks against the superclass and builds the vtable; superclasses
        first (those of other modules are laid out already)."""
        if c.laid_out:
            return
        c.laid_out = True
        sup = c.super
        if sup is not None and sup.module is self.m:
            self._layout(sup)
        for name, fi in c.fields.items():
            if sup is None:
                break
            inherited = sup.find_field(name)
            if inherited is not None:
                self.rep.at(fi.decl, f"field '{name}' is already declared in superclass '{inherited.owner.name}'")
            elif sup.find_method(name) is not None:
                self.rep.at(fi.decl, f"'{name}' is already a method of superclass '{sup.name}'")
        for name, f in c.methods.items():
            if name == "to_string" and (f.params or f.ret not in (STRING, ERROR)):
                self.rep.at(f.decl, "to_string must be declared as 'fn to_string() -> string'")
            if sup is None:
                continue
            if sup.find_field(name) is not None:
                self.rep.at(f.decl, f"'{name}' is already a field of superclass '{sup.name}'")
                continue
            base = sup.find_method(name)
            if base is not None and (base.params != f.params or base.ret != f.ret):
                self.rep.at(f.decl, f"method '{name}' overrides '{base.qualified}' with a different "
                                    f"signature: expected {_sig_text(base)}, found {_sig_text(f)}")
        if sup is not None and c.decl is not None and not c.decl.inits and sup.init is not None and sup.init.params:
            self.rep.at(c.decl, f"class '{c.name}' must declare init: the init of its superclass "
                                f"'{sup.name}' takes parameters")
        vtable = list(sup.vtable) if sup is not None else []
        slots = {name: i for i, (name, _) in enumerate(vtable)}
        for name in c.methods:
            if name in slots:
                vtable[slots[name]] = (name, c)
            else:
                slots[name] = len(vtable)
                vtable.append((name, c))
        c.vtable = vtable


def _sig_text(f: FunctionInfo) -> str:
    params = ", ".join(str(p) for p in f.params)
    return f"fn({params}) -> {f.ret}"
