"""Module-level declarations: the names a module defines and the shape of its classes.

For one parsed module (its imports already loaded) this builds the top-level
scope, gives generic declarations their type parameters, resolves every
written type in signatures, fields and annotated globals, links classes to
their superclasses and the interfaces they implement (interfaces to those
they extend), breaking cycles and cutting a chain deeper than the VM allows
(`ModuleInfo.cut`), and lays classes out: fields, methods with their
override checks and erased signatures (an override keeps the erasure of the
declaration it overrides), the constructor (synthesized when absent), the
vtable, and for every interface a class implements, the check that it
implements each method, the itable and the bridge methods it needs
(docs/conventions.md, "Interfaces", "Generics").  Classes that define
`hash()` or `equals(other: C)` implement the prelude's private interfaces
`_Hash` / `_Equals<C>` (B2: the built-ins `hash` and `equals` find them).

The limits it checks (hierarchy depth, parameters, module names) are
hlbc's, listed in compiler/limits.py.  Errors are reported and replaced by
`ERROR` so that checking can go on.  Function bodies and global
initialisers are the checker's.
"""

from __future__ import annotations

from hlbc.limits import MAX_CLASS_DEPTH, MAX_LOCALS
from hlbc.modname import MAX_NAME

from . import hints
from . import syntax as S
from .diagnostics import Reporter
from .erasure import bridge_name
from .limits import MAX_INTERFACES
from .symbols import Bridge, ClassInfo, FieldInfo, FunctionInfo, GlobalInfo, ModuleInfo, World
from .typesys import (BOOL, ERROR, INT, PRIMITIVE_NAMES, STRING, VOID, ArrayType, ClassType, FnType, Type,
                      TypeParam, as_super, is_error, subst)

# The prelude's private interfaces behind the built-ins `hash` and `equals`.
HASH_IFACE, EQUALS_IFACE = "_Hash", "_Equals"


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


def resolve_type(ref, module: ModuleInfo, world: World, rep: Reporter,
                 allow_void: bool = False, tparams: dict | None = None) -> Type:
    """The type a written type (`S.TypeRef` / `S.FnTypeRef`) denotes, with
    the type parameters in scope `tparams` (name → TypeParam)."""
    if isinstance(ref, S.FnTypeRef):
        params = tuple(resolve_type(p, module, world, rep, tparams=tparams) for p in ref.params)
        ret = VOID if ref.ret is None else resolve_type(ref.ret, module, world, rep, True, tparams)
        t: Type = FnType(params, ret)
    else:
        base = resolve_base(ref, module, world, rep, tparams)
        if base is VOID and (ref.dims or not allow_void):
            rep.at(ref, "'void' is only allowed as a return type")
            return ERROR
        t = base
    for _ in range(ref.dims):
        t = ArrayType(t)
    return t


def resolve_base(ref: S.TypeRef, module: ModuleInfo, world: World, rep: Reporter,
                 tparams: dict | None = None, raw: bool = False) -> Type:
    """The type named by `ref.parts` with its type arguments (ignoring its
    dimensions).  `raw`: a generic class may be named without arguments
    (`e is Box`); its type then has none."""
    sym = _named(ref, module, world, rep, tparams)
    if sym is None or isinstance(sym, Type):
        if sym is not None and ref.args:
            rep.at(ref, f"'{sym}' takes no type arguments")
            return ERROR
        return sym if sym is not None else ERROR
    cls: ClassInfo = sym
    if not ref.args:
        if cls.type_params and not raw:
            names = ", ".join(p.name for p in cls.type_params)
            rep.at(ref, f"'{cls.name}' needs type arguments: {cls.name}<{names}>")
            return ERROR
        return ClassType(cls)
    args = []
    for a in ref.args:
        t = resolve_type(a, module, world, rep, tparams=tparams)
        args.append(t)
    if not cls.type_params:
        rep.at(ref, f"'{cls.name}' is not generic: it takes no type arguments")
        return ERROR
    if len(args) != len(cls.type_params):
        n = len(cls.type_params)
        rep.at(ref, f"'{cls.name}' takes {n} type argument{'' if n == 1 else 's'}, got {len(args)}")
        return ERROR
    return ClassType(cls, tuple(args))


def _named(ref: S.TypeRef, module: ModuleInfo, world: World, rep: Reporter, tparams):
    """What `ref.parts` names: a Type (primitive, type parameter), a
    ClassInfo, or None (reported)."""
    if len(ref.parts) == 1:
        name = ref.parts[0]
        if tparams and name in tparams:
            return tparams[name]
        if name in PRIMITIVE_NAMES:
            return PRIMITIVE_NAMES[name]
        sym = lookup_top(module, world, name)
        if isinstance(sym, ClassInfo):
            return sym
        if sym is None:
            rep.at(ref, f"unknown type '{name}'", lambda: hints.unknown_type(name, module, world, tparams))
        else:
            rep.at(ref, f"'{name}' is not a type")
        return None
    alias, name = ref.parts
    mod = lookup_own(module, alias)
    if not isinstance(mod, ModuleInfo):
        if mod is None:
            rep.at(ref, f"unknown module '{alias}'", lambda: hints.unknown_module(alias, module))
        else:
            rep.at(ref, f"'{alias}' is not a module")
        return None
    if mod.broken:
        return None
    sym = mod.public(name)
    if isinstance(sym, ClassInfo):
        return sym
    rep.at(ref, _missing_member(mod, alias, name, "class"))
    return None


def _missing_member(mod: ModuleInfo, alias: str, name: str, what: str) -> str:
    if name.startswith("_") and name in mod.scope:
        return f"'{name}' is private to module '{mod.name}'"
    if name in mod.scope:
        return f"'{alias}.{name}' is not a {what}"
    return f"module '{mod.name}' has no {what} '{name}'{hints.module_member(mod, name)}"


def type_params(decls: list[S.TypeParamDecl], owner: str, rep: Reporter,
                outer: dict | None = None) -> list[TypeParam]:
    """The TypeParams of `<T, U>`; a name declared twice, or already a type
    parameter of the enclosing class, or a built-in type's, is reported."""
    out: list[TypeParam] = []
    seen: set[str] = set()
    for d in decls:
        if d.name in PRIMITIVE_NAMES:
            rep.at(d, f"'{d.name}' is a built-in type and cannot name a type parameter")
        elif d.name in seen:
            rep.at(d, f"type parameter '{d.name}' is declared twice")
        elif outer and d.name in outer:
            rep.at(d, f"type parameter '{d.name}' is already a type parameter of the class")
        seen.add(d.name)
        out.append(TypeParam(d.name, owner))
    return out


def class_scope(c: ClassInfo) -> dict:
    return {p.name: p for p in c.type_params}


def fn_scope(f: FunctionInfo) -> dict:
    scope = class_scope(f.owner) if f.owner is not None else {}
    for p in f.type_params:
        scope[p.name] = p
    return scope


def member_mapping(receiver: ClassType, owner: ClassInfo) -> dict:
    """Type parameter → argument for a member declared in `owner`, reached
    through a value of type `receiver` (a subtype of `owner`)."""
    up = as_super(receiver, owner)
    if up is None or not up.args:
        return {}
    return dict(zip(owner.type_params, up.args))


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
        self._interface_cycles()
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
                c = ClassInfo(item.name, self.m, item, is_interface=item.is_interface)
                c.type_params = type_params(item.type_params, item.name, self.rep)
                item.info = c
                self.m.classes.append(c)
                self._declare(item.name, c, item)
            elif isinstance(item, S.FnDecl):
                f = FunctionInfo(item.name, self.m, [], [], VOID, decl=item)
                f.type_params = type_params(item.type_params, item.name, self.rep)
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

    # --- classes and interfaces -------------------------------------------------

    def _supertype(self, ref: S.TypeRef, c: ClassInfo) -> ClassType | None:
        t = resolve_base(ref, self.m, self.world, self.rep, class_scope(c))
        if t is ERROR:
            # Wrong type arguments (reported): still the class, its
            # arguments unknown, so that inherited members raise no more
            # errors.
            sym = _named(ref, self.m, self.world, Reporter(""), class_scope(c))
            if isinstance(sym, ClassInfo) and sym.type_params:
                return ClassType(sym, (ERROR,) * len(sym.type_params))
            return None
        if not isinstance(t, ClassType):
            return t                    # reported by the caller
        if ref.dims:
            self.rep.at(ref, f"'{ref.text()}' is an array type, not a class or interface")
            return None
        return t

    def _link_super(self, c: ClassInfo) -> None:
        d = c.decl
        if d.super_ref is not None:
            t = self._supertype(d.super_ref, c)
            if t is not None and not isinstance(t, ClassType):
                self.rep.at(d.super_ref, f"a class can only extend a class, not '{t}'")
            elif t is not None and t.cls.is_interface:
                self.rep.at(d.super_ref, f"a class can only extend a class: '{t.cls.name}' is an interface "
                                         f"(write 'implements {t.cls.name}')")
            elif t is not None:
                c.super = t.cls
                c.super_type = t
        seen: set[int] = set()
        for ref in d.interfaces:
            t = self._supertype(ref, c)
            if t is None:
                continue
            if not isinstance(t, ClassType) or not t.cls.is_interface:
                what = "extend" if c.is_interface else "implement"
                self.rep.at(ref, f"an interface can only {what} interfaces: '{t}' is not one"
                            if c.is_interface else f"a class can only implement interfaces: '{t}' is not one")
                continue
            if id(t.cls) in seen:
                self.rep.at(ref, f"interface '{t.cls.name}' is listed twice")
                continue
            seen.add(id(t.cls))
            c.interfaces.append(t)

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
                    first.super_type = None
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
                        cls.super_type = None
                        self.m.cut = True
                        depth = 1
                    cls.depth = depth

    def _interface_cycles(self) -> None:
        """An interface that extends itself (through others) is reported at
        the interface declared first on the cycle, which loses the
        offending `extends`.  Only this module's interfaces can close a
        cycle (imported modules were declared before)."""
        own = [c for c in self.m.classes if c.is_interface]
        order = {id(c): i for i, c in enumerate(own)}
        state: dict[int, int] = {}          # 1: on the path, 2: done
        path: list[ClassInfo] = []

        def visit(c: ClassInfo) -> None:
            state[id(c)] = 1
            path.append(c)
            for t in list(c.interfaces):
                k = t.cls
                if k.module is not self.m:
                    continue
                if state.get(id(k)) == 1:
                    cycle = path[path.index(k):]
                    first = min(cycle, key=lambda x: order[id(x)])
                    self.rep.at(first.decl, f"interface '{first.name}' extends itself")
                    nxt = cycle[(cycle.index(first) + 1) % len(cycle)]
                    first.interfaces[:] = [s for s in first.interfaces if s.cls is not nxt]
                elif id(k) not in state:
                    visit(k)
            path.pop()
            state[id(c)] = 2
        for c in own:
            if id(c) not in state:
                visit(c)

    def _signature(self, f: FunctionInfo, decl) -> None:
        # Parameters take local slots after the receiver (hlbc/limits.py).
        most = MAX_LOCALS - (1 if f.owner is not None else 0)
        if len(decl.params) > most:
            self.rep.at(decl.params[most], f"too many parameters: a {'method' if f.owner else 'function'} "
                                           f"may have at most {most}")
        scope = fn_scope(f)
        seen: set[str] = set()
        for p in decl.params:
            if p.name in seen:
                self.rep.at(p, f"parameter '{p.name}' is declared twice")
            seen.add(p.name)
            f.params.append(resolve_type(p.type_ref, self.m, self.world, self.rep, tparams=scope))
            f.param_names.append(p.name)
        if isinstance(decl, S.FnDecl) and decl.ret is not None:
            f.ret = resolve_type(decl.ret, self.m, self.world, self.rep, allow_void=True, tparams=scope)

    def _members(self, c: ClassInfo) -> None:
        """Own fields, methods and init of `c`, with their types."""
        d = c.decl
        scope = class_scope(c)
        if c.is_interface:
            for fd in d.fields:
                self.rep.at(fd, f"an interface cannot declare fields: '{fd.name}' in interface '{c.name}'")
            for idecl in d.inits:
                self.rep.at(idecl, f"an interface cannot declare init: interface '{c.name}'")
        else:
            for fd in d.fields:
                if fd.name in c.fields:
                    self.rep.at(fd, f"field '{fd.name}' is declared twice in class '{c.name}'")
                    continue
                t = resolve_type(fd.type_ref, self.m, self.world, self.rep, tparams=scope)
                c.fields[fd.name] = FieldInfo(fd.name, t, c, fd)
        for md in d.methods:
            f = FunctionInfo(md.name, self.m, [], [], VOID, decl=md, owner=c, abstract=c.is_interface)
            f.type_params = type_params(md.type_params, f"{c.name}.{md.name}", self.rep, scope)
            md.info = f
            self._signature(f, md)
            if c.is_interface:
                if md.body is not None:
                    self.rep.at(md, f"an interface method has no body: write "
                                    f"'fn {md.name}(...);' in interface '{c.name}'")
            elif md.body is None:
                self.rep.at(md, "method without a body")
            if md.name in c.methods:
                self.rep.at(md, f"method '{md.name}' is declared twice in {_kind(c)} '{c.name}'")
                continue
            if md.name in c.fields:
                self.rep.at(md, f"'{md.name}' is already a field of class '{c.name}'")
                continue
            c.methods[md.name] = f
        if c.is_interface:
            return
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
        (and, for an interface, the interfaces it extends) first: those of
        other modules are laid out already."""
        if c.laid_out:
            return
        c.laid_out = True
        for t in c.supertypes():
            if t.cls.module is self.m:
                self._layout(t.cls)
        if c.is_interface:
            self._interface_layout(c)
            self._interface_count(c)
            return
        sup = c.super
        for name, fi in c.fields.items():
            if sup is None:
                break
            inherited = sup.find_field(name)
            if inherited is not None:
                self.rep.at(fi.decl, f"field '{name}' is already declared in superclass '{inherited.owner.name}'")
            elif sup.find_method(name) is not None:
                self.rep.at(fi.decl, f"'{name}' is already a method of superclass '{sup.name}'")
        for name, f in c.methods.items():
            if name == "to_string" and (f.params or f.type_params or f.ret not in (STRING, ERROR)):
                self.rep.at(f.decl, "to_string must be declared as 'fn to_string() -> string'")
            if sup is None:
                continue
            if sup.find_field(name) is not None:
                self.rep.at(f.decl, f"'{name}' is already a field of superclass '{sup.name}'")
                continue
            base = sup.find_method(name)
            if base is None:
                continue
            expected = self._seen_from(base, c, f)
            if expected is not None and _differ(expected, (f.params, f.ret)):
                self.rep.at(f.decl, f"method '{name}' overrides '{base.qualified}' with a different "
                                    f"signature: expected {_sig_text(*expected)}, found {_sig_text(f.params, f.ret)}")
            f.erased = base.signature
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
        self._implicit_interfaces(c)
        self._interfaces(c, slots)
        self._interface_count(c)

    def _interface_count(self, c: ClassInfo) -> None:
        n = len(c.super_interfaces())
        if n > MAX_INTERFACES:
            self.rep.at(c.decl, f"{_kind(c)} '{c.name}' reaches {n} interfaces (its own, its superclasses' "
                                f"and those they extend): at most {MAX_INTERFACES} are allowed")

    def _seen_from(self, base: FunctionInfo, c: ClassInfo, f: FunctionInfo | None = None):
        """(params, ret) of method `base` as class `c` sees it (the type
        arguments `c` gives base's class, and `f`'s type parameters for
        base's), or None when their numbers of type parameters differ
        (reported)."""
        mapping = member_mapping(c.type, base.owner)
        if f is not None and base.type_params:
            if len(f.type_params) != len(base.type_params):
                self.rep.at(f.decl, f"method '{f.name}' must have {len(base.type_params)} type parameter"
                                    f"{'' if len(base.type_params) == 1 else 's'}, as '{base.qualified}' has")
                return None
            mapping.update(zip(base.type_params, f.type_params))
        elif f is not None and f.type_params:
            self.rep.at(f.decl, f"method '{f.name}' must have no type parameters, as '{base.qualified}' has none")
            return None
        return [subst(p, mapping) for p in base.params], subst(base.ret, mapping)

    def _interface_layout(self, c: ClassInfo) -> None:
        """An interface redeclaring a method of an interface it extends must
        keep its signature; two extended interfaces must agree on a method
        they both declare."""
        for name, f in c.methods.items():
            for sup in c.super_interfaces():
                base = sup.methods.get(name)
                if base is None:
                    continue
                expected = self._seen_from(base, c, f)
                if expected is not None and _differ(expected, (f.params, f.ret)):
                    self.rep.at(f.decl, f"method '{name}' redeclares '{base.qualified}' with a different "
                                        f"signature: expected {_sig_text(*expected)}, found "
                                        f"{_sig_text(f.params, f.ret)}")
                break
        inherited: dict[str, tuple[FunctionInfo, tuple]] = {}
        for sup in c.super_interfaces():
            for name, base in sup.methods.items():
                if name in c.methods:
                    continue
                seen = self._seen_from(base, c)
                key = (tuple(seen[0]), seen[1], len(base.type_params))
                if name in inherited and inherited[name][1] != key:
                    first = inherited[name][0]
                    self.rep.at(c.decl, f"interface '{c.name}' inherits '{name}' from '{first.owner.name}' and "
                                        f"'{sup.name}' with different signatures")
                inherited.setdefault(name, (base, key))

    def _implicit_interfaces(self, c: ClassInfo) -> None:
        """`fn hash() -> int` makes a class a `lang._Hash`, `fn equals(other:
        C) -> bool` (C the class, a superclass, or an interface it
        implements) a `lang._Equals<C>`: the built-ins `hash` and `equals`
        call them through these interfaces (B2)."""
        hash_i = self.world.lang_class(HASH_IFACE)
        eq_i = self.world.lang_class(EQUALS_IFACE)
        if hash_i is not None and not c.implements(hash_i):
            f = c.find_method("hash")
            if f is not None and not f.params and not f.type_params and f.ret is INT:
                c.interfaces.append(ClassType(hash_i))
        if eq_i is not None and not c.implements(eq_i):
            f = c.find_method("equals")
            if f is not None and len(f.params) == 1 and not f.type_params and f.ret is BOOL:
                other = subst(f.params[0], member_mapping(c.type, f.owner))
                if isinstance(other, ClassType) and (c.is_subclass_of(other.cls) or c.implements(other.cls)):
                    c.interfaces.append(ClassType(eq_i, (other,)))

    def _interfaces(self, c: ClassInfo, slots: dict[str, int]) -> None:
        """The itable of class `c`: for each method of each interface it
        implements, the vtable method that runs it, checked against the
        interface's signature; a bridge where the erasures differ.  A
        missing method is reported at the class's name, for the interfaces
        its superclass does not implement already."""
        eq_i = self.world.lang_class(EQUALS_IFACE)
        inherited = set(map(id, c.super.super_interfaces())) if c.super is not None else set()
        self._type_args_agree(c)
        bridges = {b.name: b for k in c.ancestors() for b in k.bridges}
        for iface in c.super_interfaces():
            for name, m in iface.methods.items():
                impl = c.find_method(name)
                if impl is None:
                    if id(iface) not in inherited:
                        expected = self._seen_from(m, c)
                        wanted = {n for i in c.super_interfaces() for n in i.methods}
                        self.rep.at(c.decl, f"class '{c.name}' does not implement method '{name}' of interface "
                                            f"'{iface.name}' ({_sig_text(*expected)})"
                                            f"{hints.missing_method(c, name, wanted)}")
                    continue
                same_arity = len(impl.type_params) == len(m.type_params)
                # A generic method's type parameters are matched in order.
                expected = self._seen_from(m, c, impl if same_arity and m.type_params else None)
                got = self._seen_from(impl, c)
                if _differ(got, expected) or not same_arity:
                    if id(iface) not in inherited or impl.owner is c:
                        where = impl.decl if impl.owner is c else c.decl
                        self.rep.at(where, f"'{impl.qualified}' does not match method '{name}' of interface "
                                           f"'{iface.name}': expected {_sig_text(*expected)}, "
                                           f"found {_sig_text(*got)}")
                    continue
                target = name
                if impl.signature != m.signature:
                    equals = iface is eq_i
                    target = bridge_name(name, m.signature, equals)
                    if target not in bridges:
                        b = Bridge(target, m.signature, impl, equals)
                        bridges[target] = b
                        c.bridges.append(b)
                        slots[target] = len(c.vtable)
                        c.vtable.append((target, c))
                c.itable.append((iface, m, target))

    def _type_args_agree(self, c: ClassInfo) -> None:
        """A class may not reach one generic interface with two different
        argument lists (`implements Ordered<int>` and, through its
        superclass, `Ordered<string>`): one method could not be both."""
        found: dict[int, ClassType] = {}
        work = [c.type]
        seen: set[ClassType] = set()        # each supertype walked once, however many paths reach it
        while work:
            t = work.pop()
            if t in seen:
                continue
            seen.add(t)
            if t.cls.is_interface:
                prev = found.get(id(t.cls))
                if prev is not None and prev.args != t.args:
                    self.rep.at(c.decl, f"class '{c.name}' implements '{t.cls.name}' twice, as {prev} and as {t}")
                    return
                found[id(t.cls)] = t
            mapping = dict(zip(t.cls.type_params, t.args))
            work.extend(subst(s, mapping) for s in t.cls.supertypes())


def _differ(a, b) -> bool:
    """Do two (params, ret) signatures differ?  A part that is already
    wrong (reported) matches anything."""
    pa, ra = a
    pb, rb = b
    if len(pa) != len(pb):
        return True
    return any(x != y and not is_error(x) and not is_error(y) for x, y in zip([*pa, ra], [*pb, rb]))


def _kind(c: ClassInfo) -> str:
    return "interface" if c.is_interface else "class"


def _sig_text(params, ret) -> str:
    text = ", ".join(str(p) for p in params)
    return f"fn({text}) -> {ret}"
