"""One negative test per declaration rule (world.py): modules, functions
(flags, owner, locals, natives) and classes (superclass chain, fields,
methods, init, vtable).  Their errors name the function or class, no pc."""

import pytest

from vhelp import M, ModBuilder, accepts, module, rejects, unresolved, with_class, with_function


def shapes() -> ModBuilder:
    """A extends nothing (m()I, n()V), B extends A (overrides m), main."""
    b = ModBuilder("t")
    b.cls("A", fields=[("x", "I")])
    b.method("A", "init", [], "V", [], [("RET",)], init=True)
    b.method("A", "m", [], "I", [], [("ICONST", 1), ("RETV",)])
    b.method("A", "n", [], "V", [], [("RET",)])
    b.cls("B", fields=[("y", "F")], super="A")
    b.method("B", "init", [], "V", [], [("RET",)], init=True)
    b.method("B", "m", [], "I", [], [("ICONST", 2), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    return b


def test_shapes_are_fine():
    accepts(shapes())


def fn_index(m, owner_name, name):
    ci = next(i for i, c in enumerate(m.classes) if c.name == owner_name) if owner_name else M.NO_INDEX
    return next(i for i, f in enumerate(m.functions) if f.name == name and f.owner == ci)


def replace_fn(m, i, **changes):
    fs = list(m.functions)
    fs[i] = fs[i].replace(**changes)
    return m.replace(functions=tuple(fs))


# --- modules ------------------------------------------------------------------------------

def test_class_declared_twice():
    m = shapes().build()
    m = m.replace(classes=m.classes + (m.classes[0],))
    rejects([m], None, None, "class A declared twice")


def test_global_declared_twice():
    b = shapes()
    b.global_("g", "I")
    b.global_("g", "F")
    rejects(b, None, None, "global g declared twice")


def test_function_declared_twice():
    b = shapes()
    b.func("main", [], "V", [], [("RET",)])
    rejects(b, None, None, "function main declared twice")


def test_module_initialiser_must_be_flagged():
    b = shapes()
    m = b.build()
    rejects([m.replace(init=fn_index(m, None, "main"))], None, None, "is not flagged F_MODINIT")


def test_module_initialiser_out_of_range():
    m = shapes().build()
    rejects([m.replace(init=99)], None, None, "module initialiser names function 99")


# --- functions ------------------------------------------------------------------------------

@pytest.mark.parametrize("flags,owner,text", [
    (0x40, None, "unknown function flags 0x40"),
    (M.F_METHOD, None, "a method needs an owner class"),
    (0, "A", "a method needs an owner class and only a method has one"),
    (M.F_INIT, None, "a constructor must be a method"),
    (M.F_MODINIT, None, "is not the module's initialiser"),
])
def test_function_flags(flags, owner, text):
    m = shapes().build()
    i = fn_index(m, None, "main")
    ci = next(k for k, c in enumerate(m.classes) if c.name == owner) if owner else M.NO_INDEX
    rejects([replace_fn(m, i, flags=flags, owner=ci)], "A.main" if owner else "main", None, text)


def test_owner_out_of_range():
    m = shapes().build()
    i = fn_index(m, None, "main")
    rejects([replace_fn(m, i, flags=M.F_METHOD, owner=7)], "main", None, "owner class 7 out of range")


def test_module_initialiser_signature():
    b = shapes()
    b.modinit([("RET",)])
    m = b.build()
    rejects([replace_fn(m, m.init, params=("I",), locals=("I",))], "$init", None,
            "the module initialiser must be a plain ()V function")


def without_n(m):
    """A.n no longer listed by A (methods, vtables of A and B): an orphan."""
    for c in ("A", "B"):
        cd = next(x for x in m.classes if x.name == c)
        m = with_class(m, c, methods=tuple(x for x in cd.methods if x[0] != "n"),
                       vtable=tuple(v for v in cd.vtable if v.name != "n"))
    return m


def test_constructor_must_be_its_class_init():
    m = without_n(shapes().build())
    i = fn_index(m, "A", "n")
    rejects([replace_fn(m, i, flags=M.F_METHOD | M.F_INIT)], "A.n", None, "constructor is not the init of class A")


def test_method_must_be_listed_by_its_class():
    rejects([without_n(shapes().build())], "A.n", None, "method is not listed by class A")


def test_methods_list_may_not_name_a_constructor():
    m = shapes().build()
    i = fn_index(m, "A", "n")
    rejects([replace_fn(m, i, flags=M.F_METHOD | M.F_INIT)], "A", None, "method n names function n, not a method n of A")


def test_fewer_locals_than_arguments():
    m = module([("RET",)], params=["I", "I"]).build()
    rejects([with_function(m, "f", locals=("I",))], "f", None, "2 arguments but only 1 locals")


def test_receiver_local_is_the_class():
    m = shapes().build()
    i = fn_index(m, "A", "n")
    rejects([replace_fn(m, i, locals=("Lt.B;",))], "A.n", None, "receiver local 0 is Lt.B;, expected Lt.A;")


def test_parameter_locals_match_parameters():
    m = module([("RET",)], params=["I"]).build()
    rejects([with_function(m, "f", locals=("F",))], "f", None, "local 0 is F but parameter 0 is I")


def test_function_without_code():
    m = module([("RET",)]).build()
    rejects([with_function(m, "f", code=b"")], "f", None, "function has no code")


def native_module(name="sqrt", sig=("F", "F"), code=b"", flags=M.F_NATIVE):
    b = ModBuilder("math")
    b.native_fn(name, [sig[0]], sig[1])
    b.func("main", [], "V", [], [("RET",)])
    return with_function(b.build(), name, code=code, flags=flags)


def test_native_binds_by_name_and_signature():
    accepts([native_module()])
    unresolved([native_module("nope")], "unknown native math.nope", where="math.nope")
    unresolved([native_module(sig=("I", "F"))], "native math.sqrt has signature (F)F, not (I)F")


def test_native_has_no_code():
    rejects([native_module(code=b"\x3c")], "sqrt", None, "a native function has no code")


def test_native_is_not_a_method():
    b = shapes()
    m = b.build()
    i = fn_index(m, "A", "n")
    rejects([replace_fn(m, i, flags=M.F_METHOD | M.F_NATIVE, code=b"")], "A.n", None, "a native cannot be a method")


# --- classes ---------------------------------------------------------------------------------

def test_superclass_must_exist():
    m = shapes().build()
    bad = len(m.consts)
    m = m.replace(consts=m.consts + (M.Const(M.K_CLASS, ("t", "Nope")),))
    unresolved([with_class(m, "B", super=bad)], "superclass: unknown class t.Nope", where="t.B")


def test_inheritance_cycle():
    m = shapes().build()
    b_ref = next(i for i, c in enumerate(m.consts) if c.kind == M.K_CLASS and c.value == ("t", "B"))
    rejects([with_class(m, "A", super=b_ref)], "B", None, "inherits from itself")


def test_hierarchy_depth_is_bounded():
    b = ModBuilder("t")
    for i in range(300):
        b.cls(f"C{i}", super=(f"C{i - 1}" if i else None))
    b.func("main", [], "V", [], [("RET",)])
    rejects(b, "C255", None, "class hierarchy deeper than 255 classes")


def test_field_declared_twice():
    m = shapes().build()
    rejects([with_class(m, "A", fields=(M.FieldDesc("x", "I"), M.FieldDesc("x", "F")))], "A", None,
            "field x declared twice")


def test_field_redeclares_an_inherited_one():
    m = shapes().build()
    rejects([with_class(m, "B", fields=(M.FieldDesc("x", "I"),))], "B", None, "redeclares an inherited one")


def test_field_type_names_a_known_class():
    m = shapes().build()
    unresolved([with_class(m, "A", fields=(M.FieldDesc("x", "Lt.Nope;"),))], "field x: unknown class t.Nope",
               where="t.A")


def test_methods_list_names_methods_of_the_class():
    m = shapes().build()
    a = m.classes[0]
    bad = tuple((n, fi) for n, fi in a.methods) + (("m2", fn_index(m, "B", "m")),)
    rejects([with_class(m, "A", methods=bad)], "A", None, "method m2 names function m, not a method m2 of A")


def test_methods_list_entry_out_of_range_is_a_linkage_error():
    m = shapes().build()
    unresolved([with_class(m, "A", methods=(("m", 99),))], "method m names function 99")


def test_method_listed_twice():
    m = shapes().build()
    a = m.classes[0]
    rejects([with_class(m, "A", methods=a.methods + a.methods[:1])], "A", None, "method m declared twice")


def test_init_is_a_constructor_of_the_class_returning_void():
    m = shapes().build()
    rejects([with_class(m, "A", init=fn_index(m, "A", "n"))], "A", None, "not an F_INIT method of A returning void")
    rejects([with_class(m, "A", init=fn_index(m, "B", "init"))], "A", None, "not an F_INIT method of A")


def vt(m, cls, slots):
    """Replace a class's vtable by (name, class name) pairs."""
    ref = {c.value[1]: i for i, c in enumerate(m.consts) if c.kind == M.K_CLASS and c.value[0] == "t"}
    return with_class(m, cls, vtable=tuple(M.VSlot(n, ref[k]) for n, k in slots))


@pytest.mark.parametrize("slots,text", [
    ([("m", "B")], "vtable has 1 slots, the superclass has 2"),
    ([("n", "A"), ("m", "B")], "vtable slot 0 is n, the superclass has m"),
    ([("m", "B"), ("n", "A"), ("m", "A")], "vtable lists m twice"),
    ([("m", "A"), ("n", "A")], "method m is declared but its vtable slot does not name B"),
    ([("m", "B"), ("n", "B")], "vtable slot n: t.B has no such method"),
    ([("m", "B"), ("n", "A"), ("init", "B")], "init cannot be a vtable slot"),
])
def test_vtable_of_subclass(slots, text):
    rejects([vt(shapes().build(), "B", slots)], "B", None, text)


def test_vtable_slot_names_an_ancestor():
    m = vt(shapes().build(), "A", [("m", "A"), ("n", "B")])
    rejects([m], "A", None, "vtable slot n: t.B is not A or an ancestor")


def test_override_keeps_the_signature():
    b = shapes()
    m = b.build()
    i = fn_index(m, "B", "m")
    rejects([replace_fn(m, i, ret="F", code=b"\x02" + (0).to_bytes(4, "little") + b"\x3d")], "B", None,
            "m()F overrides m()I: signatures differ")


def test_classes_of_loaded_modules_are_visible():
    # A second batch extends and uses a class loaded earlier.
    vm = accepts(shapes())
    u = ModBuilder("u", imports=("lang", "t"))
    u.cls("C", super=("t", "B"), vtable=[("m", ("t", "B")), ("n", ("t", "A"))])
    u.method("C", "init", [], "V", [], [("RET",)], init=True)
    u.func("main", [], "V", ["Lu.C;"], [("NEW", "C"), ("DUP",), ("CALLSPECIAL", ("C", "init", "()V")), ("STORE", 0),
                                        ("LOAD", 0), ("CALLVIRT", (("t", "A"), "m", "()I")), ("POP",), ("RET",)])
    vm.load([u.build()])
    assert vm.run_main("u") == 0


def test_the_classes_a_descriptor_names_are_found_as_the_expression_finds_them():
    # world.py reads them by hand (a run imports no `re`).
    import random
    import re
    from hllvm.verify.world import _classes_in
    rng = random.Random(4)
    texts = ["", "I", "Lt.A;", "[[Lt.A;", "(Lt.A;[Lu.B;I)V", "L;", "LL;", "Lx", "L;;L", ";L"]
    texts += ["".join(rng.choice("L;[IFa.") for _ in range(rng.randrange(12))) for _ in range(5000)]
    for t in texts:
        assert _classes_in(t) == re.findall(r"L([^;]*);", t), t


@pytest.mark.parametrize("where", ["global", "local", "param"])
def test_void_is_not_a_value_type_even_after_a_void_return(where):
    """`V` checked as a return type is not cached as a checked value type."""
    b = module([("RET",)])
    if where == "global":
        b.global_("g", "V")
        unresolved(b, "bad type descriptor 'V'", where="t")
    elif where == "local":
        unresolved([with_function(b.build(), "f", locals=("V",))], "bad type descriptor 'V'")
    else:
        unresolved([with_function(b.build(), "f", params=("V",), locals=("V",))], "bad type descriptor 'V'")
