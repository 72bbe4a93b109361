"""What verification established about a batch, as plain data for the linker.

`Verified` is `verify_modules`' result: `.functions` — for every function
with code, its `FunctionResult` (stack maps, instruction counts), keyed by
(module name, function index) — and `.classes` — for every class of the
batch, its `ClassFacts`, keyed by (module name, class name), in the order
the batch declares them (a superclass or interface of the batch before the
classes and interfaces that name it).

The class facts are exactly what the linker needs to lay a class out
without re-checking anything: the verifier has already checked every rule
they satisfy (docs/verifier.md, declarations; hllvm/verify/world.py).
Classes are named by their key (module, class name), functions by their
index in their own module's `functions`, so the facts hold no descriptor
and no runtime structure.

This module owns these records and their construction from the world's
`ClassInfo`; it checks nothing itself.
"""

# Records are collections.namedtuple, not typing.NamedTuple: importing
# typing costs every start of `hll run` some 3 ms.

from collections import namedtuple

from hlbc import model as M

ClassKey = tuple[str, str]          # (module name, class name)
ERROR_CLASS: ClassKey = ("lang", "Error")


# One vtable slot: `name` with `signature`, whose body is the method of
# class `impl` (this class or an ancestor) at `function` in impl's module.
# Fields:
#   name: str
#   signature: str
#   impl: ClassKey
#   function: int
VSlotFacts = namedtuple("VSlotFacts", "name signature impl function")


# One itable entry: the method `name` with `signature` of interface
# `iface` runs what the class's vtable slot `slot` holds (so a subclass's
# override is found through the receiver's own vtable).
# Fields:
#   iface: ClassKey
#   name: str
#   signature: str
#   slot: int
ISlotFacts = namedtuple("ISlotFacts", "iface name signature slot")


# Fields:
#   key: ClassKey
#   index: int  # position in its module's `classes`
#   super: ClassKey | None
#   ancestors: tuple[ClassKey, ...]  # the root first, this class last
#   depth: int  # len(ancestors) - 1: 0 for a root class
#   fields: tuple[tuple[str, str], ...]  # (name, type) by slot: the superclass's first
#   methods: tuple[tuple[str, int], ...]  # own methods: (name, function index in this module)
#   vtable: tuple[VSlotFacts, ...]  # by slot: the superclass's slots first
#   init: int | None  # function index of `init` in this module, or None
#   is_error: bool  # lang.Error or a subclass of it
#   to_string: int | None  # vtable slot of `to_string()S`, or None
#   is_interface: bool  # an interface (C_INTERFACE): no fields, init, vtable or itable
#   interfaces: tuple[ClassKey, ...]  # every interface it reaches: its own, those they
#                                     # extend, its superclasses' (INSTANCEOF, CAST)
#   itable: tuple[ISlotFacts, ...]  # a class: one per method of each of `interfaces`
ClassFacts = namedtuple("ClassFacts", [
    "key",
    "index",
    "super",
    "ancestors",
    "depth",
    "fields",
    "methods",
    "vtable",
    "init",
    "is_error",
    "to_string",
    "is_interface",
    "interfaces",
    "itable",
])


class Verified(dict):
    """`verify_modules`' result.  It is also, as before it had `.classes`,
    the mapping (module, function index) → FunctionResult itself, so callers
    written against that (`.get`, `.values()`) keep working."""

    def __init__(self, functions: dict, classes: dict[ClassKey, ClassFacts]):
        super().__init__(functions)
        self.classes = classes

    @property
    def functions(self) -> dict:
        return self


def class_facts(ci) -> ClassFacts:
    """The facts of a built and checked `world.ClassInfo`."""
    chain = []
    c = ci
    while c is not None:
        chain.append(c.key)
        c = c.super
    ancestors = tuple(reversed(chain))
    slots = []
    own: dict = {}                      # implementing class → its methods by name
    for name in ci.vorder:
        impl, fd = ci.vtable[name]
        index = own.get(impl.key)
        if index is None:               # each class's method table once: slots × methods is quadratic
            index = own[impl.key] = dict(impl.cdesc.methods)
        slots.append(VSlotFacts(name, fd.signature, impl.key, index[name]))
    to_string = next((i for i, s in enumerate(slots) if s.name == "to_string" and s.signature == "()S"), None)
    slot_of = {name: i for i, name in enumerate(ci.vorder)}
    itable = tuple(ISlotFacts(ik, name, slots[slot_of[impl]].signature, slot_of[impl])
                   for (ik, name), impl in ci.itable.items())
    cd = ci.cdesc
    return ClassFacts(
        key=ci.key, index=ci.index, super=ci.super.key if ci.super is not None else None,
        ancestors=ancestors, depth=len(ancestors) - 1, fields=tuple(ci.fields.items()),
        methods=tuple(cd.methods), vtable=tuple(slots),
        init=cd.init if cd.init != M.NO_INDEX else None,
        is_error=ERROR_CLASS in ancestors, to_string=to_string, is_interface=ci.is_interface,
        interfaces=tuple(it.key for it in ci.interfaces), itable=itable)


__all__ = ["Verified", "ClassFacts", "VSlotFacts", "ISlotFacts", "ClassKey", "class_facts"]
