"""The world a batch is verified against: modules, classes, functions,
globals and natives, as the descriptors declare them.

`World(loaded, batch, native_signature)` sees the modules the VM already
holds (verified when they were loaded) and the batch being verified, by
name.  It answers the questions the instruction rules ask — which class a
constant names and what it looks like (superclass chain, fields with
inherited ones, vtable, init), which function, global or native a constant
names and its signature — and checks the declarations it builds those
answers from:

* a class: its superclass exists and is not an interface, the chain has no cycle and is at most
  MAX_CLASS_DEPTH classes long (the class included); field names are
  unique and do not redeclare inherited ones; field types name known
  classes; its `methods` name methods of this class by their own name; its
  `init` is an F_INIT method of this class returning void; its vtable
  begins with the superclass's slots in the same order with the same names
  and signatures, names each method once, names for each slot this class or
  an ancestor that declares the method, and lists every method the class
  declares with the class itself as the implementation; `init` is never
  virtual; no method is abstract; its `interfaces` name interfaces; its
  itable maps exactly every method of every interface it reaches (its own,
  its ancestors', and the ones those extend) to a vtable method with that
  method's signature (`check_itable`, for the batch's classes);
* an interface (class flag C_INTERFACE): no superclass, fields, init,
  vtable or itable; its methods are F_ABSTRACT methods of it; its
  `interfaces` (those it extends) name interfaces, without a cycle, across
  modules too; a class or interface reaches at most MAX_INTERFACES
  interfaces (each keeps the set of its supertypes, so a hostile file must
  not make that quadratic);
* a module (only the batch's, `check_module`): class, top-level function and
  global names are unique; every function's flags, owner, locals,
  parameter and return types agree (see `_check_function_decl`); the module
  initialiser is the F_MODINIT function `()V`.

It sees only descriptors (`hlbc.model`), never runtime structures.  Problems
in declarations raise `VerifyError` located at the class or function (a name
that resolves to nothing: `LoadError`, see errors.py); problems found while
answering a question from code raise `Bad`/`Unresolved`, which the code
verifier locates.  It does not look at code.
"""

from __future__ import annotations

from hlbc import model as M
from hlbc.limits import MAX_CLASS_DEPTH, MAX_INTERFACES, MAX_LOCALS

from .errors import Bad, Unresolved, VerifyError, located

# Each class keeps its ancestors (the verifier's and the linker's subclass
# tests are O(1) by them), so the depth is bounded (MAX_CLASS_DEPTH, in
# hlbc/limits.py): a hostile file must not make loading quadratic in its size.
_KNOWN_FLAGS = M.F_METHOD | M.F_INIT | M.F_NATIVE | M.F_MODINIT | M.F_ABSTRACT
# Interfaces a class or interface reaches are bounded likewise
# (MAX_INTERFACES, hlbc/limits.py, shared with the compiler).


def _classes_in(desc: str) -> list[str]:
    """The class names of a type descriptor, left to right: what lies
    between each `L` and the next `;` (as the regular expression `L([^;]*);`
    finds them, without importing `re` at a run's start)."""
    found = []
    start = desc.find("L")
    while start >= 0:
        end = desc.find(";", start + 1)
        if end < 0:
            break
        found.append(desc[start + 1:end])
        start = desc.find("L", end + 1)
    return found


class ClassInfo:
    """What the rules need of one class, with its inherited parts."""
    __slots__ = ("key", "qual", "desc", "mdesc", "index", "cdesc", "super", "ancestors",
                 "fields", "methods", "vtable", "vorder", "init", "is_interface", "direct",
                 "interfaces", "supers", "itable")

    def __init__(self, key, mdesc: M.ModuleDesc, index: int, cdesc: M.ClassDesc, sup):
        self.key = key
        self.qual = f"{key[0]}.{key[1]}"
        self.desc = f"L{self.qual};"
        self.mdesc = mdesc
        self.index = index
        self.cdesc = cdesc
        self.super: ClassInfo | None = sup
        self.ancestors: tuple[str, ...] = (self.desc,) + (sup.ancestors if sup else ())
        self.fields: dict[str, str] = dict(sup.fields) if sup else {}
        self.methods: dict[str, M.FunctionDesc] = {}
        self.vtable: dict[str, tuple[ClassInfo, M.FunctionDesc]] = {}
        self.vorder: tuple[str, ...] = ()
        self.init: M.FunctionDesc | None = None
        self.is_interface = bool(cdesc.flags & M.C_INTERFACE)
        self.direct: tuple = ()             # the interfaces it lists (ClassInfos), once closed
        # Every interface it reaches (ClassInfos, a fixed order: its own, each
        # followed by those it extends, then its superclass's), and the
        # descriptors of all its supertypes, itself included: None until
        # `World.cls` has closed it.
        self.interfaces: tuple | None = None
        self.supers: frozenset | None = None
        # (interface key, method name) → the vtable method implementing it:
        # filled by World.check_itable (the batch's classes).
        self.itable: dict = {}


class ModuleIndex:
    """Names declared by one module: classes, top-level functions, globals."""
    __slots__ = ("desc", "classes", "functions", "globals")

    def __init__(self, desc: M.ModuleDesc):
        self.desc = desc
        self.classes = {c.name: i for i, c in reversed(list(enumerate(desc.classes)))}
        self.functions = {f.name: (i, f) for i, f in reversed(list(enumerate(desc.functions)))
                          if f.owner == M.NO_INDEX and not f.flags & M.F_METHOD}
        self.globals = {g.name: g for g in reversed(desc.globals)}


class World:
    def __init__(self, loaded, batch, native_signature) -> None:
        """`loaded`: ModuleDescs already in the VM; `batch`: the ones being
        verified; `native_signature(name)` → signature or None."""
        self.modules: dict[str, ModuleIndex] = {}
        for d in list(loaded) + list(batch):
            self.modules[d.name] = ModuleIndex(d)
        self.native_signature = native_signature
        self._classes: dict[tuple[str, str], ClassInfo] = {}
        self._types: set[str] = set()
        self._sigs: dict[str, tuple[tuple[str, ...], str]] = {}
        self._listed: dict[int, frozenset] = {}     # id(ClassDesc) → its (name, function) pairs

    # --- classes ----------------------------------------------------------------------
    def cls(self, key) -> ClassInfo:
        """The class `key` = (module, name), built with its ancestors and
        closed over its interfaces; Bad if there is no such class."""
        ci = self._classes.get(key)
        if ci is None:
            ci = self._chain(key)
        if ci.supers is None:
            self._close(ci)
        return ci

    def _chain(self, key) -> ClassInfo:
        """The class `key` built with its superclass chain, its interfaces
        not yet followed."""
        chain = []
        seen = set()
        k = key
        sub = None
        while k not in self._classes:
            if k in seen:
                raise VerifyError(f"class {k[0]}.{k[1]} inherits from itself", function=sub[1], module=sub[0])
            seen.add(k)
            found = self._find(k)
            if found is None:
                if sub is None:
                    raise Unresolved(f"unknown class {k[0]}.{k[1]}")
                raise located(Unresolved(f"superclass: unknown class {k[0]}.{k[1]}"), sub[0], sub[1])
            mdesc, idx, cdesc = found
            chain.append((k, mdesc, idx, cdesc))
            if cdesc.super == M.NO_INDEX:
                break
            sub = k
            try:
                k = self.class_key(mdesc, cdesc.super)
            except Bad as e:
                raise located(e, mdesc.name, cdesc.name) from None
        for k, mdesc, idx, cdesc in reversed(chain):
            sup = None if cdesc.super == M.NO_INDEX else self._classes[self.class_key(mdesc, cdesc.super)]
            if sup is not None and len(sup.ancestors) >= MAX_CLASS_DEPTH:
                raise VerifyError(f"class hierarchy deeper than {MAX_CLASS_DEPTH} classes",
                                  function=cdesc.name, module=mdesc.name)
            self._classes[k] = _build_class(self, k, mdesc, idx, cdesc, sup)
        return self._classes[key]

    def _close(self, root: ClassInfo) -> None:
        """Set `interfaces` and `supers` of `root` and of every class and
        interface it reaches that has none yet.  Iterative (an interface
        may extend a long chain of them) and in post-order, so each node is
        closed from its already closed successors; an interface met again
        while it is being closed extends itself."""
        GREY = 1
        colour: dict = {}
        stack = [(root, False)]
        while stack:
            ci, done = stack.pop()
            if ci.supers is not None:
                continue
            if done:
                self._close_one(ci)
                colour.pop(ci.key, None)
                continue
            if colour.get(ci.key) == GREY:
                continue
            colour[ci.key] = GREY
            stack.append((ci, True))
            direct = self._direct(ci)
            for nxt in ([ci.super] if ci.super is not None else []) + list(direct):
                if nxt.supers is not None:
                    continue
                if colour.get(nxt.key) == GREY:
                    raise VerifyError(f"interface {nxt.qual} extends itself (through {ci.qual})",
                                      function=ci.cdesc.name, module=ci.mdesc.name)
                stack.append((nxt, False))

    def _direct(self, ci: ClassInfo) -> tuple:
        """The interfaces `ci` lists, built (not closed) and checked to be
        interfaces, each once."""
        if ci.direct or not ci.cdesc.interfaces:
            return ci.direct
        out = []
        for idx in ci.cdesc.interfaces:
            try:
                k = self.class_key(ci.mdesc, idx)
                it = self._classes.get(k) or self._chain_named(k)
                if not it.is_interface:
                    raise Bad(f"{'extends' if ci.is_interface else 'implements'} {it.qual}, "
                              f"which is not an interface")
                if it in out:
                    raise Bad(f"lists interface {it.qual} twice")
            except Bad as e:
                raise located(e, ci.mdesc.name, ci.cdesc.name) from None
            out.append(it)
        ci.direct = tuple(out)
        return ci.direct

    def _chain_named(self, key) -> ClassInfo:
        """`_chain` for a class named by another class's declaration: an
        unknown one is an Unresolved naming it."""
        if self._find(key) is None:
            raise Unresolved(f"unknown class {key[0]}.{key[1]}")
        return self._chain(key)

    def _close_one(self, ci: ClassInfo) -> None:
        """`interfaces` and `supers` of `ci`, from its closed successors."""
        seen: dict = {}
        for it in ci.direct:
            seen.setdefault(it.key, it)
            for sub in it.interfaces:
                seen.setdefault(sub.key, sub)
        if ci.super is not None:
            for sub in ci.super.interfaces:
                seen.setdefault(sub.key, sub)
        if len(seen) > MAX_INTERFACES:
            raise VerifyError(f"reaches {len(seen)} interfaces (at most {MAX_INTERFACES})",
                              function=ci.cdesc.name, module=ci.mdesc.name)
        ci.interfaces = tuple(seen.values())
        ci.supers = frozenset(ci.ancestors + tuple(it.desc for it in ci.interfaces))

    def check_itable(self, ci: ClassInfo) -> None:
        """A class's itable maps exactly every method of every interface it
        reaches to a vtable method with that method's signature; an
        interface's is empty.  Fills `ci.itable`."""
        entries = ci.cdesc.itable
        if ci.is_interface:
            if entries:
                raise Bad("an interface has no itable")
            return
        want: dict = {}
        for it in ci.interfaces:
            for name, fd in it.methods.items():
                want[(it.key, name)] = fd
        got: dict = {}
        for e in entries:
            ik = self.class_key(ci.mdesc, e.iface)
            where = f"itable entry {ik[0]}.{ik[1]}.{e.name}"
            if (ik, e.name) in got:
                raise Bad(f"{where} listed twice")
            fd = want.get((ik, e.name))
            if fd is None:
                if self._find(ik) is None:
                    raise Unresolved(f"{where}: unknown class {ik[0]}.{ik[1]}")
                it = self.cls(ik)
                if not it.is_interface:
                    raise Bad(f"{where}: {ik[0]}.{ik[1]} is not an interface {ci.cdesc.name} implements")
                if it not in ci.interfaces:
                    raise Bad(f"{where}: {ci.cdesc.name} does not implement {it.qual}")
                raise Bad(f"{where}: {it.qual} declares no method {e.name}")
            slot = ci.vtable.get(e.impl)
            if slot is None:
                raise Bad(f"{where}: {ci.cdesc.name} has no virtual method {e.impl}")
            if slot[1].signature != fd.signature:
                raise Bad(f"{where}: {e.impl}{slot[1].signature} does not have the interface "
                          f"method's signature {fd.signature}")
            got[(ik, e.name)] = e.impl
        for (ik, name), fd in want.items():
            if (ik, name) not in got:
                raise Bad(f"itable has no entry for {ik[0]}.{ik[1]}.{name}{fd.signature}")
        ci.itable = got

    def _find(self, key):
        mi = self.modules.get(key[0])
        if mi is None:
            return None
        idx = mi.classes.get(key[1])
        if idx is None:
            return None
        return mi.desc, idx, mi.desc.classes[idx]

    @staticmethod
    def class_key(mdesc: M.ModuleDesc, idx: int) -> tuple[str, str]:
        """The (module, name) a class constant names; Bad if it is not one."""
        consts = mdesc.consts
        if not 0 <= idx < len(consts) or consts[idx].kind != M.K_CLASS:
            raise Unresolved(f"constant {idx} is not a class")
        mod, name = consts[idx].value
        return (mod, name)

    def class_of(self, desc: str) -> ClassInfo:
        """The class of a class descriptor `Lm.C;`."""
        mod, _, name = desc[1:-1].rpartition(".")
        return self.cls((mod, name))

    def ancestors(self, desc: str) -> tuple[str, ...]:
        """The descriptors of the class and its superclasses, self first."""
        return self.class_of(desc).ancestors

    def supers(self, desc: str) -> frozenset:
        """The descriptors of every type a class or interface is assignable
        to: its ancestors and every interface it reaches."""
        return self.class_of(desc).supers

    def is_interface(self, desc: str) -> bool:
        return self.class_of(desc).is_interface

    def listed_methods(self, cdesc: M.ClassDesc) -> frozenset:
        """The (name, function index) pairs a class lists, as a set: asking
        the tuple for each of its methods would be quadratic."""
        pairs = self._listed.get(id(cdesc))
        if pairs is None:
            pairs = self._listed[id(cdesc)] = frozenset(cdesc.methods)
        return pairs

    # --- types --------------------------------------------------------------------------
    def check_type(self, t: str, allow_void: bool = False) -> str:
        """`t` is a well-formed descriptor whose classes all exist; Bad if not."""
        if t in self._types:
            return t
        try:
            M.check_type(t, allow_void)
        except (ValueError, TypeError, AttributeError):
            raise Unresolved(f"bad type descriptor {t!r}") from None
        for inner in _classes_in(t):
            mod, _, name = inner.rpartition(".")
            self.cls((mod, name))
        if t != "V":                # void is a type only where allowed: never cache it as checked
            self._types.add(t)
        return t

    def signature(self, sig: str) -> tuple[tuple[str, ...], str]:
        """(params, return type) of a checked signature; Bad if malformed or
        naming unknown classes."""
        r = self._sigs.get(sig)
        if r is None:
            try:
                params, ret = M.parse_signature(sig)
            except (ValueError, TypeError, AttributeError):
                raise Unresolved(f"bad signature {sig!r}") from None
            for p in params:
                self.check_type(p)
            self.check_type(ret, allow_void=True)
            r = self._sigs[sig] = (params, ret)
        return r

    # --- functions, globals, natives ------------------------------------------------------
    def function(self, mod: str, name: str) -> M.FunctionDesc:
        mi = self.modules.get(mod)
        f = mi.functions.get(name) if mi is not None else None
        if f is None:
            raise Unresolved(f"unknown function {mod}.{name}")
        return f[1]

    def global_(self, mod: str, name: str) -> M.GlobalDesc:
        mi = self.modules.get(mod)
        g = mi.globals.get(name) if mi is not None else None
        if g is None:
            raise Unresolved(f"unknown global {mod}.{name}")
        return g

    def native(self, name: str) -> str:
        sig = self.native_signature(name)
        if sig is None:
            raise Unresolved(f"unknown native {name}")
        return sig

    # --- module declarations (batch modules only) ------------------------------------------
    def check_module(self, mdesc: M.ModuleDesc) -> None:
        mod = mdesc.name
        seen = set()
        for c in mdesc.classes:
            if c.name in seen:
                raise VerifyError(f"class {c.name} declared twice", module=mod)
            seen.add(c.name)
        for c in mdesc.classes:
            self.cls((mod, c.name))
        for c in mdesc.classes:
            try:
                self.check_itable(self.cls((mod, c.name)))
            except Bad as e:
                raise located(e, mod, c.name) from None
        for c in mdesc.classes:       # after building them all: fields may name each other
            for f in c.fields:
                try:
                    self.check_type(f.type)
                except Bad as e:
                    e.detail = f"field {f.name}: {e.detail}"
                    raise located(e, mod, c.name) from None
        seen = set()
        for g in mdesc.globals:
            if g.name in seen:
                raise VerifyError(f"global {g.name} declared twice", module=mod)
            seen.add(g.name)
            try:
                self.check_type(g.type)
            except Bad as e:
                e.detail = f"global {g.name}: {e.detail}"
                raise located(e, mod) from None
        seen = set()
        for i, fd in enumerate(mdesc.functions):
            name = display_name(mdesc, fd)
            try:
                _check_function_decl(self, mdesc, i, fd)
            except Bad as e:
                raise located(e, mod, name) from None
            if fd.owner == M.NO_INDEX:
                if fd.name in seen:
                    raise VerifyError(f"function {fd.name} declared twice", module=mod)
                seen.add(fd.name)
        if mdesc.init != M.NO_INDEX:
            if mdesc.init >= len(mdesc.functions):
                raise VerifyError(f"module initialiser names function {mdesc.init} "
                                  f"(only {len(mdesc.functions)})", module=mod)
            if not mdesc.functions[mdesc.init].flags & M.F_MODINIT:
                raise VerifyError(f"module initialiser {mdesc.functions[mdesc.init].name} "
                                  f"is not flagged F_MODINIT", module=mod)


def display_name(mdesc: M.ModuleDesc, fd: M.FunctionDesc) -> str:
    """`f`, or `Class.m` for a method (as stack traces name it)."""
    if fd.owner != M.NO_INDEX and 0 <= fd.owner < len(mdesc.classes):
        return f"{mdesc.classes[fd.owner].name}.{fd.name}"
    return fd.name


def receiver_count(fd: M.FunctionDesc) -> int:
    return 1 if fd.flags & M.F_METHOD else 0


def _check_function_decl(world: World, mdesc: M.ModuleDesc, i: int, fd: M.FunctionDesc) -> None:
    """Flags, owner, locals and types of one function (not its code)."""
    flags = fd.flags
    if flags & ~_KNOWN_FLAGS:
        raise Bad(f"unknown function flags 0x{flags:02x}")
    is_method = bool(flags & M.F_METHOD)
    if is_method != (fd.owner != M.NO_INDEX):
        raise Bad("a method needs an owner class and only a method has one")
    if is_method and not 0 <= fd.owner < len(mdesc.classes):
        raise Bad(f"owner class {fd.owner} out of range")
    if flags & M.F_INIT and not is_method:
        raise Bad("a constructor must be a method")
    if flags & M.F_ABSTRACT:
        if not is_method or flags & (M.F_INIT | M.F_NATIVE | M.F_MODINIT):
            raise Bad("an abstract function must be a plain interface method")
        if not mdesc.classes[fd.owner].flags & M.C_INTERFACE:
            raise Bad(f"abstract method of {mdesc.classes[fd.owner].name}, which is not an interface")
        if fd.code or fd.handlers or fd.max_stack:
            raise Bad("an abstract method has no code, no handlers and max stack 0")
    elif is_method and mdesc.classes[fd.owner].flags & M.C_INTERFACE:
        raise Bad(f"method of interface {mdesc.classes[fd.owner].name} is not abstract")
    if flags & M.F_MODINIT:
        if is_method or flags & (M.F_INIT | M.F_NATIVE) or fd.params or fd.ret != "V":
            raise Bad("the module initialiser must be a plain ()V function")
        if mdesc.init != i:
            raise Bad("function flagged F_MODINIT is not the module's initialiser")
    if is_method:
        cdesc = mdesc.classes[fd.owner]
        if flags & M.F_INIT:
            if cdesc.init != i:
                raise Bad(f"constructor is not the init of class {cdesc.name}")
        elif (fd.name, i) not in world.listed_methods(cdesc):
            raise Bad(f"method is not listed by class {cdesc.name}")
    for p in fd.params:
        world.check_type(p)
    world.check_type(fd.ret, allow_void=True)
    for t in fd.locals:
        world.check_type(t)
    nargs = len(fd.params) + (1 if is_method else 0)
    if len(fd.locals) > MAX_LOCALS:
        raise Bad(f"{len(fd.locals)} locals (at most {MAX_LOCALS})")
    if len(fd.locals) < nargs:
        raise Bad(f"{nargs} arguments but only {len(fd.locals)} locals")
    if is_method:
        own = f"L{mdesc.name}.{mdesc.classes[fd.owner].name};"
        if fd.locals[0] != own:
            raise Bad(f"receiver local 0 is {fd.locals[0]}, expected {own}")
    base = 1 if is_method else 0
    for k, p in enumerate(fd.params):
        if fd.locals[base + k] != p:
            raise Bad(f"local {base + k} is {fd.locals[base + k]} but parameter {k} is {p}")
    if flags & M.F_NATIVE:
        if is_method:
            raise Bad("a native cannot be a method")
        if fd.code or fd.handlers:
            raise Bad("a native function has no code")
        qual = f"{mdesc.name}.{fd.name}"
        sig = world.native(qual)
        if sig != fd.signature:
            raise Unresolved(f"native {qual} has signature {sig}, not {fd.signature}")
    elif not fd.code and not flags & M.F_ABSTRACT:
        raise Bad("function has no code")


def _build_class(world: World, key, mdesc: M.ModuleDesc, idx: int, cdesc: M.ClassDesc, sup) -> ClassInfo:
    ci = ClassInfo(key, mdesc, idx, cdesc, sup)
    try:
        _fill_class(world, ci)
    except Bad as e:
        raise located(e, mdesc.name, cdesc.name) from None
    return ci


def _fill_class(world: World, ci: ClassInfo) -> None:
    mdesc, cdesc, idx = ci.mdesc, ci.cdesc, ci.index
    funcs = mdesc.functions
    if cdesc.flags & ~M.C_INTERFACE:
        raise Bad(f"unknown class flags 0x{cdesc.flags:02x}")
    if ci.is_interface:
        if cdesc.super != M.NO_INDEX or cdesc.fields or cdesc.init != M.NO_INDEX or cdesc.vtable:
            raise Bad("an interface has no superclass, fields, init or vtable")
    elif ci.super is not None and ci.super.is_interface:
        raise Bad(f"superclass {ci.super.qual} is an interface")
    for f in cdesc.fields:
        if f.name in ci.fields:
            raise Bad(f"field {f.name} declared twice (or redeclares an inherited one)")
        ci.fields[f.name] = f.type
        # Only the syntax here: a field may name a class not built yet (or this
        # one); check_module checks the classes once all are built.
        if f.type not in world._types:
            try:
                M.check_type(f.type)
            except (ValueError, TypeError, AttributeError):
                raise Unresolved(f"field {f.name}: bad type descriptor {f.type!r}") from None
    for name, fi in cdesc.methods:
        if not 0 <= fi < len(funcs):
            raise Unresolved(f"method {name} names function {fi} (only {len(funcs)})")
        fd = funcs[fi]
        if not fd.flags & M.F_METHOD or fd.owner != idx or fd.name != name or fd.flags & M.F_INIT:
            raise Bad(f"method {name} names function {fd.name}, not a method {name} of {cdesc.name}")
        if bool(fd.flags & M.F_ABSTRACT) != ci.is_interface:
            raise Bad(f"method {name}: " + ("an interface's methods are abstract" if ci.is_interface
                                            else "only an interface has abstract methods"))
        if name == "init":
            raise Bad("init is not an ordinary method")
        if name in ci.methods:
            raise Bad(f"method {name} declared twice")
        ci.methods[name] = fd
    if cdesc.init != M.NO_INDEX:
        if not 0 <= cdesc.init < len(funcs):
            raise Unresolved(f"init names function {cdesc.init} (only {len(funcs)})")
        fd = funcs[cdesc.init]
        if not fd.flags & M.F_METHOD or not fd.flags & M.F_INIT or fd.owner != idx or fd.ret != "V":
            raise Bad(f"init names {fd.name}, not an F_INIT method of {cdesc.name} returning void")
        ci.init = fd
    sup = ci.super
    sorder = sup.vorder if sup else ()
    if len(cdesc.vtable) < len(sorder):
        raise Bad(f"vtable has {len(cdesc.vtable)} slots, the superclass has {len(sorder)}")
    order = []
    for i, slot in enumerate(cdesc.vtable):
        name = slot.name
        if name in ci.vtable:
            raise Bad(f"vtable lists {name} twice")
        if name == "init":
            raise Bad("init cannot be a vtable slot")
        ikey = world.class_key(mdesc, slot.impl)
        if ikey == ci.key:
            impl, fd = ci, ci.methods.get(name)
        else:
            impl = world._classes.get(ikey)
            if impl is None or sup is None or impl.desc not in sup.ancestors:
                raise Bad(f"vtable slot {name}: {ikey[0]}.{ikey[1]} is not {cdesc.name} or an ancestor")
            fd = impl.methods.get(name)
        if fd is None:
            raise Bad(f"vtable slot {name}: {impl.qual} has no such method")
        if i < len(sorder):
            if sorder[i] != name:
                raise Bad(f"vtable slot {i} is {name}, the superclass has {sorder[i]}")
            want = sup.vtable[name][1].signature
            if fd.signature != want:
                raise Bad(f"{name}{fd.signature} overrides {name}{want}: signatures differ")
        ci.vtable[name] = (impl, fd)
        order.append(name)
    ci.vorder = tuple(order)
    if ci.is_interface:
        return                      # its methods are abstract: reached through itables only
    for name in ci.methods:
        entry = ci.vtable.get(name)
        if entry is None or entry[0] is not ci:
            raise Bad(f"method {name} is declared but its vtable slot does not name {cdesc.name}")


__all__ = ["World", "ClassInfo", "display_name", "receiver_count"]
