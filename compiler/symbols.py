"""What names denote: modules, classes, fields, functions, globals, locals.

These records are built by `declare` (module-level declarations and class
layouts, type parameters, interfaces, erased signatures, bridges and
itables), completed by `checker` (inferred global types, locals, function
literals and what they capture), and read by `codegen`.  They hold no
bytecode-level indices; codegen assigns those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import syntax as S
from .budget import Budget
from .typesys import ClassType, Type, TypeParam


@dataclass(eq=False)
class LocalVar:
    name: str
    type: Type
    mutable: bool
    kind: str = "local"         # local | param | self | for | catch
    line: int = 0
    col: int = 0
    assigned: bool = False      # a parameter assigned somewhere in its function
    # Where a function literal captures this parameter: an error if it is
    # assigned anywhere (found when its function is checked to the end).
    captured_at: list = field(default_factory=list)


@dataclass(eq=False)
class GlobalInfo:
    name: str
    module: ModuleInfo
    decl: S.VarDecl
    mutable: bool
    type: Type | None = None    # None until inferred from the initialiser
    resolving: bool = False     # set while its initialiser is being typed


@dataclass(eq=False)
class FunctionInfo:
    """A top-level function, a method (of a class or, abstract, of an
    interface), or a class's `init`."""
    name: str
    module: ModuleInfo
    params: list[Type]
    param_names: list[str]
    ret: Type
    decl: Any = None            # S.FnDecl / S.InitDecl, None when synthesized
    owner: ClassInfo | None = None
    is_init: bool = False
    native: bool = False
    type_params: list[TypeParam] = field(default_factory=list)
    abstract: bool = False      # an interface method: no body
    # A method overriding one of a superclass keeps the erased signature of
    # the declaration that first introduced it (declare.py); None: its own.
    erased: str | None = None

    @property
    def own_signature(self) -> str:
        """The erasure of its own declared types."""
        return "(" + "".join(p.desc for p in self.params) + ")" + self.ret.desc

    @property
    def signature(self) -> str:
        """Its signature in bytecode."""
        return self.erased if self.erased is not None else self.own_signature

    @property
    def qualified(self) -> str:
        return f"{self.owner.name}.{self.name}" if self.owner else self.name


@dataclass(eq=False)
class FieldInfo:
    name: str
    type: Type
    owner: ClassInfo
    decl: S.FieldDecl | None = None


@dataclass(eq=False)
class Bridge:
    """A method of a class whose signature is an interface method's, for a
    class method of another erased signature (docs/conventions.md,
    "Bridges"): it converts its arguments, calls `target` virtually and
    converts the result.  `equals` bridges (the implicit `lang._Equals`)
    answer false for an argument that is no instance instead of throwing."""
    name: str
    signature: str              # the interface method's
    target: FunctionInfo        # the class's method it calls
    equals: bool = False


@dataclass(eq=False)
class ClassInfo:
    """A class or an interface (`is_interface`)."""
    name: str
    module: ModuleInfo
    decl: S.ClassDecl | None
    super: ClassInfo | None = None
    fields: dict[str, FieldInfo] = field(default_factory=dict)      # own fields, in order
    methods: dict[str, FunctionInfo] = field(default_factory=dict)  # own methods, in order
    init: FunctionInfo | None = None        # declared or synthesized constructor
    vtable: list[tuple[str, ClassInfo]] = field(default_factory=list)  # (method, implementing class)
    laid_out: bool = False
    depth: int = 0              # itself and its superclasses; 0 until declare.py counts them
    is_interface: bool = False
    type_params: list[TypeParam] = field(default_factory=list)
    super_type: ClassType | None = None     # `extends Box<int>`: the superclass with its arguments
    interfaces: list[ClassType] = field(default_factory=list)  # implemented / extended, as written
    bridges: list[Bridge] = field(default_factory=list)        # own bridge methods (in the vtable)
    # (interface, interface method, name of the vtable method that runs it)
    # for every method of every interface the class implements (declare.py).
    itable: list[tuple[ClassInfo, FunctionInfo, str]] = field(default_factory=list)

    @property
    def module_name(self) -> str:
        return self.module.name

    @property
    def type(self) -> ClassType:
        """The type of `self` inside the class: its own type parameters as
        arguments."""
        return ClassType(self, tuple(self.type_params))

    def supertypes(self) -> list[ClassType]:
        """Its direct supertypes: superclass, then the interfaces."""
        return ([self.super_type] if self.super_type is not None else []) + list(self.interfaces)

    def super_interfaces(self):
        """Every interface it implements or extends, directly or through
        superclasses and superinterfaces, each once, nearest first."""
        seen: set[int] = {id(self)}
        out: list[ClassInfo] = []
        work = [t.cls for t in reversed(self.supertypes())]
        while work:
            c = work.pop()
            if id(c) in seen:
                continue
            seen.add(id(c))
            if c.is_interface:
                out.append(c)
            work.extend(t.cls for t in reversed(c.supertypes()))
        return out

    def implements(self, iface: ClassInfo) -> bool:
        return iface is self or iface in self.super_interfaces()

    def is_subclass_of(self, other: ClassInfo) -> bool:
        c: ClassInfo | None = self
        seen = 0
        while c is not None and seen < 10_000:     # bound: cycles are reported, not followed
            if c is other:
                return True
            c = c.super
            seen += 1
        return False

    def ancestors(self):
        """self, its superclass, ... (stops on a cycle)."""
        seen = set()
        c: ClassInfo | None = self
        while c is not None and id(c) not in seen:
            seen.add(id(c))
            yield c
            c = c.super

    def find_field(self, name: str) -> FieldInfo | None:
        for c in self.ancestors():
            if name in c.fields:
                return c.fields[name]
        return None

    def find_method(self, name: str) -> FunctionInfo | None:
        """The method `name` a value of this class runs (its own or an
        inherited one); for an interface, the one it declares or the
        first superinterface's."""
        for c in self.ancestors():
            if name in c.methods:
                return c.methods[name]
        if self.is_interface:
            for c in self.super_interfaces():
                if name in c.methods:
                    return c.methods[name]
        return None


@dataclass(eq=False)
class ModuleInfo:
    name: str
    file: str                   # path for diagnostics
    source_name: str            # name recorded in the bytecode, for traces
    is_stdlib: bool = False
    syntax: S.Module | None = None
    broken: bool = False        # did not parse: lookups into it stay silent
    # A class hierarchy was cut at its depth limit (declare.py): checking
    # bodies would only report what the cut takes away.
    cut: bool = False
    imports: dict[str, ModuleInfo] = field(default_factory=dict)    # alias → module
    scope: dict[str, Any] = field(default_factory=dict)             # top-level names
    classes: list[ClassInfo] = field(default_factory=list)
    functions: list[FunctionInfo] = field(default_factory=list)
    globals: list[GlobalInfo] = field(default_factory=list)
    source_hash: bytes = b""
    # REPL snippets (compiler/session.py): the earlier snippets whose names
    # this one sees, newest first, and the modules it took names from.
    script: bool = False
    open: list[ModuleInfo] = field(default_factory=list)
    uses: dict[str, ModuleInfo] = field(default_factory=dict)
    next_value: int = 1         # number of the next `$N` value this snippet stores
    lambdas: list = field(default_factory=list)     # LambdaInfo of every function literal, in order
    hidden: set[str] = field(default_factory=set)   # own globals not yet declared (checker._script)

    def public(self, name: str):
        """A top-level name visible from other modules (not `_`-prefixed)."""
        if name.startswith("_"):
            return None
        return self.scope.get(name)


# --- resolved members and calls (set on syntax nodes by the checker) ----------

STRING_LENGTH = "string.length"     # Member.sym of `s.length`
ARRAY_LENGTH = "array.length"       # Member.sym of `a.length`


@dataclass(frozen=True, eq=False)
class CallFunction:
    """A top-level function of some module: CALL."""
    fn: FunctionInfo


@dataclass(frozen=True, eq=False)
class CallMethod:
    """`e.m(args)`: CALLVIRT through the static class `cls` of `e`, or
    CALLIFACE of the interface that declares `fn` when `cls` is an
    interface."""
    fn: FunctionInfo
    cls: ClassInfo


@dataclass(frozen=True, eq=False)
class CallValue:
    """Calling a function value: the callee expression (a name, a field of
    function type, any expression) is evaluated, then CALLFN."""
    ty: Any                     # its FnType


@dataclass(frozen=True, eq=False)
class FunctionValue:
    """A named function used as a value (`Name.sym` / `Member.sym`)."""
    fn: FunctionInfo


@dataclass(frozen=True, eq=False)
class BoundMethod:
    """`obj.m` used as a value: `m` bound to the object (`Member.sym`)."""
    fn: FunctionInfo
    cls: ClassInfo


@dataclass(eq=False)
class LambdaInfo:
    """A function literal: compiled to the module function `name`, whose
    first parameters are the values it captures (`captures`, in order),
    then its own."""
    name: str
    module: ModuleInfo
    params: list[Type]
    ret: Type
    decl: Any                   # S.FnLit
    captures: list[LocalVar] = field(default_factory=list)
    qualified: str = ""         # its name as messages give it
    # The signature it is compiled for (its captures left out): its own
    # type's, or the erasure of the parameter it is passed to (codegen).
    desc: str | None = None


@dataclass(frozen=True, eq=False)
class CallSuper:
    """`super.m(args)` / `super.init(args)`: CALLSPECIAL of exactly `fn` on
    `recv`, the method's receiver (in a function literal, captured)."""
    fn: FunctionInfo
    recv: LocalVar | None = None


@dataclass(frozen=True, eq=False)
class CallBuiltin:
    """A built-in function or a string/array method (`compiler.builtins`)."""
    name: str
    overload: Any               # builtins.Overload, or None for `a.copy()`
    receiver: bool = False      # the callee is `recv.name`: receiver goes first


@dataclass(eq=False)
class World:
    """Everything one compilation knows: modules by name, and the prelude's
    classes the language itself refers to (`throw`, `catch`, `assert`)."""
    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    prelude: ModuleInfo | None = None
    budget: Budget = field(default_factory=Budget)     # what compiling may cost (budget.py)

    def lang_class(self, name: str) -> ClassInfo | None:
        c = self.prelude.scope.get(name) if self.prelude else None
        return c if isinstance(c, ClassInfo) else None
