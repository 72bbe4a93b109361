"""Interfaces: their declarations (flags, abstract methods, what they extend,
no cycles), the itables of the classes that implement them, assignability
and joins with interface types, and the instructions on them (CALLIFACE,
INSTANCEOF/CHECKCAST; NEW, CALLVIRT, CALLSPECIAL and GETFIELD refused).
Positive modules are checked with `verify_modules` (and their facts); the
negative ones load into a VM and must fail at the named place."""

import pytest

from hllvm.verify import ISlotFacts, verify_modules
from hllvm.verify.types import Types
from hllvm.verify.world import MAX_INTERFACES, World
from vhelp import VM, M, ModBuilder, make_lang, rejects, unresolved, with_class, with_function

SHAPE, NAMED = ("t", "Shape"), ("t", "Named")


def verify(*mods):
    return verify_modules([make_lang(), *mods], (), VM().native_signature)


def shapes(main=None) -> ModBuilder:
    """Shape (area()F), Named extends Shape (name()S), Base (no interface),
    Circle extends Base implements Named, Square implements Shape, Plain."""
    b = ModBuilder("t")
    b.iface("Shape")
    b.abstract("Shape", "area", [], "F")
    b.iface("Named", extends=["Shape"])
    b.abstract("Named", "name", [], "S")
    b.cls("Base")
    b.method("Base", "init", [], "V", [], [("RET",)], init=True)
    b.method("Base", "area", [], "F", [], [("FCONST", 0.0), ("RETV",)])
    b.cls("Circle", super="Base", implements=["Named"])
    b.method("Circle", "init", [], "V", [], [("LOAD", 0), ("CALLSPECIAL", ("Base", "init", "()V")), ("RET",)],
             init=True)
    b.method("Circle", "name", [], "S", [], [("SCONST", "circle"), ("RETV",)])
    b.cls("Square", implements=["Shape"])
    b.method("Square", "init", [], "V", [], [("RET",)], init=True)
    b.method("Square", "area", [], "F", [], [("FCONST", 1.0), ("RETV",)])
    b.cls("Plain")
    b.method("Plain", "init", [], "V", [], [("RET",)], init=True)
    b.func("main", [], "V", [], main or [("RET",)])
    b.class_ref("Plain")            # a pool entry the tests below may point at
    return b


def new(cls):
    return [("NEW", cls), ("DUP",), ("CALLSPECIAL", (cls, "init", "()V"))]


def fn(b, code, params=(), ret="V", locals_=(), name="f"):
    b.func(name, list(params), ret, list(params) + list(locals_), code)
    return b


# --- valid modules and their facts ---------------------------------------------------------

def test_interfaces_verify_and_their_facts():
    b = shapes()
    fn(b, [*new("Circle"), ("STORE", 0),
           ("LOAD", 0), ("CALLIFACE", ("Shape", "area", "()F")), ("POP",),      # Named is a Shape
           ("LOAD", 0), ("CALLIFACE", ("Named", "name", "()S")), ("POP",),
           *new("Square"), ("CALLIFACE", ("Shape", "area", "()F")), ("POP",),
           ("RET",)], locals_=["Lt.Named;"])
    m = b.build()
    v = verify(m)
    facts = v.classes
    order = list(facts)
    assert order.index(SHAPE) < order.index(NAMED) < order.index(("t", "Circle"))
    shape, named, circle = facts[SHAPE], facts[NAMED], facts[("t", "Circle")]
    assert shape.is_interface and shape.vtable == () and shape.itable == () and shape.init is None
    assert named.interfaces == (SHAPE,) and shape.interfaces == ()
    assert not circle.is_interface and circle.interfaces == (NAMED, SHAPE)
    slot = {s.name: i for i, s in enumerate(circle.vtable)}
    assert set(circle.itable) == {ISlotFacts(NAMED, "name", "()S", slot["name"]),
                                  ISlotFacts(SHAPE, "area", "()F", slot["area"])}
    assert circle.vtable[slot["area"]].impl == ("t", "Base")       # inherited implementation
    # Abstract methods have no code, so no FunctionResult.
    abstract = [i for i, f in enumerate(m.functions) if f.flags & M.F_ABSTRACT]
    assert len(abstract) == 2 and all(("t", i) not in v for i in abstract)


def test_a_subclass_inherits_its_superclass_interfaces():
    b = shapes()
    b.cls("Big", super="Square")
    b.method("Big", "area", [], "F", [], [("FCONST", 9.0), ("RETV",)])
    fn(b, [("NULL",), ("CHECKCAST", "Big"), ("CALLIFACE", ("Shape", "area", "()F")), ("POP",), ("RET",)])
    big = verify(b.build()).classes[("t", "Big")]
    assert big.interfaces == (SHAPE,) and [e.iface for e in big.itable] == [SHAPE]


def test_interfaces_across_modules():
    lib = ModBuilder("lib")
    lib.iface("Shape")
    lib.abstract("Shape", "area", [], "F")
    lib.func("main", [], "V", [], [("RET",)])
    lib = lib.build()
    b = ModBuilder("t", others={"lib": lib})
    b.cls("Square", implements=[("lib", "Shape")])
    b.method("Square", "area", [], "F", [], [("FCONST", 1.0), ("RETV",)])
    fn(b, [("LOAD", 0), ("CALLIFACE", (("lib", "Shape"), "area", "()F")), ("POP",), ("RET",)],
       params=["Lt.Square;"])
    b.func("main", [], "V", [], [("RET",)])
    v = verify(lib, b.build())
    assert v.classes[("t", "Square")].interfaces == (("lib", "Shape"),)


def test_interface_chains_are_followed_without_recursion():
    """A long chain of interfaces, each extending the next, is closed by an
    iterative walk (a recursive one would overflow Python's stack)."""
    b = ModBuilder("t")
    n = MAX_INTERFACES
    for k in range(n):
        b.iface(f"I{k}", extends=[f"I{k + 1}"] if k + 1 < n else [])
    b.cls("C", implements=["I0"])
    fn(b, [("LOAD", 0), ("STORE", 1), ("RET",)], params=["Lt.C;"], locals_=[f"Lt.I{n - 1};"])
    b.func("main", [], "V", [], [("RET",)])
    facts = verify(b.build()).classes
    assert len(facts[("t", "C")].interfaces) == n
    assert list(facts).index(("t", f"I{n - 1}")) < list(facts).index(("t", "I0"))


def test_too_many_interfaces():
    b = ModBuilder("t")
    n = MAX_INTERFACES + 1
    for k in range(n):
        b.iface(f"I{k}")
    b.iface("All", extends=[f"I{k}" for k in range(n)])
    b.func("main", [], "V", [], [("RET",)])
    rejects(b, "All", None, f"reaches {n} interfaces (at most {MAX_INTERFACES})")


# --- assignability and joins ----------------------------------------------------------------

@pytest.fixture(scope="module")
def types():
    world = World([], [make_lang(), shapes().build()], lambda name: None)
    return Types(world)


@pytest.mark.parametrize("req,t,ok", [
    ("Lt.Shape;", "Lt.Circle;", True),      # through Named, which extends Shape
    ("Lt.Named;", "Lt.Circle;", True),
    ("Lt.Shape;", "Lt.Named;", True),       # an interface to the ones it extends
    ("Lt.Named;", "Lt.Shape;", False),
    ("Lt.Shape;", "Lt.Square;", True),
    ("Lt.Named;", "Lt.Square;", False),
    ("Lt.Shape;", "Lt.Base;", False),       # Base has area() but does not declare Shape
    ("Lt.Shape;", "Lt.Plain;", False),
    ("Lt.Circle;", "Lt.Shape;", False),
    ("R", "Lt.Shape;", True),
    ("O", "Lt.Shape;", True),
    ("Lt.Shape;", "N", True),
    ("Lt.Shape;", "R", False),
    ("[Lt.Shape;", "[Lt.Square;", False),   # arrays stay invariant
    ("[R", "[Lt.Shape;", True),
])
def test_assignability(types, req, t, ok):
    assert types.ok(req, t) is ok


@pytest.mark.parametrize("a,b,join", [
    ("Lt.Circle;", "Lt.Square;", "Lt.Shape;"),     # no common class; one common interface
    ("Lt.Circle;", "Lt.Named;", "Lt.Named;"),
    ("Lt.Named;", "Lt.Square;", "Lt.Shape;"),
    ("Lt.Circle;", "Lt.Base;", "Lt.Base;"),
    ("Lt.Circle;", "Lt.Plain;", "R"),
    ("Lt.Shape;", "Lt.Plain;", "R"),
    ("Lt.Shape;", "N", "Lt.Shape;"),
])
def test_joins(types, a, b, join):
    assert types.join(a, b) == join and types.join(b, a) == join


def test_join_with_several_minimal_supertypes_is_the_common_superclass():
    """Two subclasses of Base that both implement Shape (Base does not):
    Base and Shape are both minimal, and the join is Base."""
    b = shapes()
    for c in ("S1", "S2"):
        b.cls(c, super="Base", implements=["Shape"])
    world = World([], [make_lang(), b.build()], lambda name: None)
    assert Types(world).join("Lt.S1;", "Lt.S2;") == "Lt.Base;"


def test_join_at_a_merge_gives_the_common_interface():
    b = shapes()
    fn(b, [("LOAD", 0), ("JF", "sq"), *new("Circle"), ("JMP", "out"), "sq:", *new("Square"),
           "out:", ("STORE", 1), ("RET",)], params=["Z"], locals_=["Lt.Shape;"])
    verify(b.build())
    b = shapes()
    code = [("LOAD", 0), ("JF", "sq"), *new("Circle"), ("JMP", "out"), "sq:", *new("Square"),
            "out:", ("STORE", 1), ("RET",)]
    fn(b, code, params=["Z"], locals_=["Lt.Named;"])
    rejects(b, "f", at(b, code, "out"), "expected t.Named, found t.Shape")


def at(b, code, label):
    _raw, labels, _lines = b.assemble(code)
    return labels[label]


# --- declarations -----------------------------------------------------------------------------

def idx(m, name):
    return next(i for i, c in enumerate(m.classes) if c.name == name)


def class_const(m, mod, name):
    return next(i for i, c in enumerate(m.consts) if c.kind == M.K_CLASS and c.value == (mod, name))


@pytest.mark.parametrize("change,text", [
    ({"fields": (M.FieldDesc("x", "I"),)}, "an interface has no superclass, fields, init or vtable"),
    ({"init": 0}, "an interface has no superclass, fields, init or vtable"),
    ({"flags": 3}, "unknown class flags 0x03"),
])
def test_interface_declarations(change, text):
    m = shapes().build()
    rejects([with_class(m, "Shape", **change)], "Shape", None, text)


def test_interface_with_a_superclass_or_vtable():
    m = shapes().build()
    plain = class_const(m, "t", "Plain")
    rejects([with_class(m, "Shape", super=plain)], "Shape", None, "an interface has no superclass")
    rejects([with_class(m, "Shape", vtable=(M.VSlot("area", class_const(m, "t", "Base")),))], "Shape", None,
            "an interface has no superclass, fields, init or vtable")


def test_interface_with_an_itable():
    m = shapes().build()
    entry = M.ISlot(class_const(m, "t", "Shape"), "area", "area")
    rejects([with_class(m, "Named", itable=(entry,))], "Named", None, "an interface has no itable")


def test_interface_method_must_be_abstract():
    m = shapes().build()
    rejects([with_function(m, "name", flags=M.F_METHOD, code=b"\x3c", max_stack=1)], "Named", None,
            "method name: an interface's methods are abstract")


def test_only_interfaces_have_abstract_methods():
    b = shapes()
    b.method("Plain", "m", [], "V", [], [("RET",)])
    m = with_function(b.build(), "m", flags=M.F_METHOD | M.F_ABSTRACT, code=b"", max_stack=0)
    rejects([m], "Plain", None, "method m: only an interface has abstract methods")


@pytest.mark.parametrize("change,text", [
    ({"code": b"\x3c"}, "an abstract method has no code, no handlers and max stack 0"),
    ({"max_stack": 2}, "an abstract method has no code, no handlers and max stack 0"),
    ({"flags": M.F_METHOD | M.F_ABSTRACT | M.F_NATIVE}, "an abstract function must be a plain interface method"),
])
def test_abstract_function_declarations(change, text):
    m = shapes().build()
    i = next(i for i, f in enumerate(m.functions) if f.flags & M.F_ABSTRACT and f.name == "area")
    fs = list(m.functions)
    fs[i] = fs[i].replace(**change)
    rejects([m.replace(functions=tuple(fs))], "Shape.area", None, text)


def test_a_top_level_function_cannot_be_abstract():
    m = shapes().build()
    rejects([with_function(m, "main", flags=M.F_ABSTRACT, code=b"", max_stack=0)], "main", None,
            "an abstract function must be a plain interface method")


def test_implements_must_name_interfaces():
    m = shapes().build()
    rejects([with_class(m, "Square", interfaces=(class_const(m, "t", "Base"),))], "Square", None,
            "implements t.Base, which is not an interface")
    rejects([with_class(m, "Named", interfaces=(class_const(m, "t", "Base"),))], "Named", None,
            "extends t.Base, which is not an interface")


def test_superclass_may_not_be_an_interface():
    b = shapes()
    b.cls("Odd", super="Shape")
    rejects(b, "Odd", None, "superclass t.Shape is an interface")


def test_interface_listed_twice():
    m = shapes().build()
    s = class_const(m, "t", "Shape")
    rejects([with_class(m, "Square", interfaces=(s, s))], "Square", None, "lists interface t.Shape twice")


def test_unknown_interface_is_a_linkage_error():
    m = shapes().build()
    consts = m.consts + (M.Const(M.K_CLASS, ("t", "Nope")),)
    m = with_class(m.replace(consts=consts), "Square", interfaces=(len(consts) - 1,))
    unresolved([m], "unknown class t.Nope", where="t.Square")


def test_interface_cycles():
    b = ModBuilder("t")
    b.iface("I", extends=["J"])
    b.iface("J", extends=["K"])
    b.iface("K", extends=["I"])
    b.func("main", [], "V", [], [("RET",)])
    err = rejects(b, "K", None, "extends itself")
    assert "t.I" in err.detail
    b = ModBuilder("t")
    b.iface("I", extends=["I"])
    b.func("main", [], "V", [], [("RET",)])
    rejects(b, "I", None, "interface t.I extends itself")


def test_interface_cycle_across_modules():
    a = ModBuilder("a", imports=("lang", "t"))
    a.iface("I", extends=[("t", "J")])
    a.func("main", [], "V", [], [("RET",)])
    b = ModBuilder("t")
    b.iface("J", extends=[("a", "I")])
    b.func("main", [], "V", [], [("RET",)])
    with pytest.raises(Exception) as e:
        verify(b.build(), a.build())
    assert "extends itself" in str(e.value)


# --- itables ----------------------------------------------------------------------------------

def itable(m, cls, *entries):
    return with_class(m, cls, itable=tuple(M.ISlot(class_const(m, *k), name, impl) for k, name, impl in entries))


@pytest.mark.parametrize("entries,text", [
    ([], "itable has no entry for t.Shape.area()F"),
    ([(SHAPE, "area", "area"), (SHAPE, "area", "area")], "itable entry t.Shape.area listed twice"),
    ([(SHAPE, "area", "nope")], "itable entry t.Shape.area: Square has no virtual method nope"),
    ([(SHAPE, "area", "area"), (NAMED, "name", "area")],
     "itable entry t.Named.name: Square does not implement t.Named"),
    ([(SHAPE, "area", "area"), (("t", "Plain"), "area", "area")],
     "itable entry t.Plain.area: t.Plain is not an interface Square implements"),
    ([(SHAPE, "size", "area")], "itable entry t.Shape.size: t.Shape declares no method size"),
])
def test_itable_rules(entries, text):
    rejects([itable(shapes().build(), "Square", *entries)], "Square", None, text)


def test_itable_impl_signature_must_match():
    b = shapes()
    b.method("Square", "wrong", [], "I", [], [("ICONST", 1), ("RETV",)])
    m = itable(b.build(), "Square", (SHAPE, "area", "wrong"))
    rejects([m], "Square", None,
            "itable entry t.Shape.area: wrong()I does not have the interface method's signature ()F")


def test_itable_covers_interfaces_extended_and_inherited():
    m = shapes().build()
    # Circle implements Named, which extends Shape: both methods are needed.
    rejects([itable(m, "Circle", (NAMED, "name", "name"))], "Circle", None,
            "itable has no entry for t.Shape.area()F")
    b = shapes()
    b.cls("Big", super="Square", itable=[])     # Square's Shape is Big's too
    rejects(b, "Big", None, "itable has no entry for t.Shape.area()F")


def test_itable_entry_naming_an_unknown_class():
    m = shapes().build()
    consts = m.consts + (M.Const(M.K_CLASS, ("t", "Nope")),)
    m = with_class(m.replace(consts=consts), "Square",
                   itable=(M.ISlot(len(consts) - 1, "area", "area"),))
    unresolved([m], "unknown class t.Nope", where="t.Square")


# --- instructions -----------------------------------------------------------------------------

def bad(b, code, text, **kw):
    fn(b, code, **kw)
    rejects(b, "f", at(b, code, "bad"), text)


def test_calliface_needs_an_interface_method():
    bad(shapes(), [*new("Square"), "bad:", ("CALLIFACE", ("Square", "area", "()F")), ("POP",), ("RET",)],
        "CALLIFACE of t.Square.area: t.Square is not an interface")


def test_calliface_receiver_must_implement_it():
    bad(shapes(), [*new("Plain"), "bad:", ("CALLIFACE", ("Shape", "area", "()F")), ("POP",), ("RET",)],
        "expected t.Shape, found t.Plain (operand 1 of CALLIFACE)")
    bad(shapes(), [*new("Base"), "bad:", ("CALLIFACE", ("Shape", "area", "()F")), ("POP",), ("RET",)],
        "expected t.Shape, found t.Base (operand 1 of CALLIFACE)")


def test_calliface_names_the_declaring_interface():
    b = shapes()
    fn(b, [("NULL",), ("CALLIFACE", ("Named", "area", "()F")), ("POP",), ("RET",)])
    unresolved(b, "interface t.Named has no method area")


def test_calliface_signature_must_match():
    b = shapes()
    fn(b, [("NULL",), ("CALLIFACE", ("Shape", "area", "()I")), ("POP",), ("RET",)])
    unresolved(b, "t.Shape.area has signature ()F, not ()I")


def test_callvirt_and_callspecial_refuse_interface_methods():
    bad(shapes(), [("NULL",), "bad:", ("CALLVIRT", ("Shape", "area", "()F")), ("POP",), ("RET",)],
        "CALLVIRT of t.Shape.area: not a virtual method (an interface method: CALLIFACE)")
    bad(shapes(), [("NULL",), "bad:", ("CALLSPECIAL", ("Shape", "area", "()F")), ("POP",), ("RET",)],
        "CALLSPECIAL of t.Shape.area: an interface method has no body")


def test_new_of_an_interface():
    bad(shapes(), ["bad:", ("NEW", "Shape"), ("POP",), ("RET",)], "NEW of interface t.Shape")


def test_getfield_of_an_interface():
    b = shapes()
    fn(b, [("NULL",), ("GETFIELD", ("Shape", "x", "I")), ("POP",), ("RET",)])
    m = b.build()
    with pytest.raises(Exception) as e:
        verify(m)
    assert "field x of t.Shape: an interface has no fields" in str(e.value)
    rejects([m], "f", 1, "an interface has no fields")


def test_instanceof_and_checkcast_with_interfaces():
    b = shapes()
    # An interface is related to any class (a subclass may implement it) and to any interface.
    fn(b, [*new("Plain"), ("INSTANCEOF", "Shape"), ("POP",),
           ("NULL",), ("CHECKCAST", "Named"), ("INSTANCEOF", "Plain"), ("POP",),
           *new("Plain"), ("CHECKCAST", "Shape"), ("CALLIFACE", ("Shape", "area", "()F")), ("POP",),
           ("RET",)])
    verify(b.build())
    # Two unrelated classes stay unrelated.
    bad(shapes(), [*new("Plain"), "bad:", ("INSTANCEOF", "Base"), ("POP",), ("RET",)],
        "INSTANCEOF t.Base of a t.Plain: unrelated types")


def test_interface_value_is_not_its_implementation():
    bad(shapes(), [("NULL",), ("CHECKCAST", "Shape"), "bad:", ("CALLVIRT", ("Square", "area", "()F")),
                   ("POP",), ("RET",)],
        "expected t.Square, found t.Shape (operand 1 of CALLVIRT)")


def test_handler_cannot_catch_an_interface():
    b = shapes()
    b.func("f", [], "V", [], ["s:", ("NOP",), "e:", ("RET",), "h:", ("POP",), ("RET",)],
           handlers=[("s", "e", "h", "Shape")])
    rejects(b, "f", None, "caught class t.Shape is not an Error")


def test_join_of_classes_sharing_several_interfaces():
    """The least common supertype, when there is one, is the one with the
    most supertypes of its own; two unrelated interfaces have none."""
    b = ModBuilder("t")
    b.iface("I")
    b.iface("J")
    b.iface("Both", extends=["I", "J"])
    b.cls("A", implements=["Both"])
    b.cls("B", implements=["Both"])
    b.cls("C", implements=["I", "J"])
    b.cls("D", implements=["J", "I"])
    b.func("main", [], "V", [], [("RET",)])
    t = Types(World([], [make_lang(), b.build()], lambda name: None))
    assert t.join("Lt.A;", "Lt.B;") == "Lt.Both;"
    assert t.join("Lt.C;", "Lt.D;") == "R"
    assert t.join("Lt.A;", "Lt.C;") == "R"
    assert t.join("Lt.Both;", "Lt.C;") == "R"
    assert t.join("Lt.Both;", "Lt.I;") == "Lt.I;"
