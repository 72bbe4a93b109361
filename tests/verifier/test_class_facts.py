"""The verifier's result carries, per class of the batch, the facts the
linker lays the class out from (hllvm/verify/facts.py): field slots,
vtable, ancestors, depth, init, Error-ness, to_string — and agrees with the
linked classes on real programs.  Plus the class rules whose only check
used to be the linker's."""

import compiler
from test_declarations import fn_index, shapes, vt

from hllvm.verify import ClassFacts, Verified, VSlotFacts, verify_modules
from vhelp import VM, M, ModBuilder, make_lang, rejects, with_class

A, B = ("t", "A"), ("t", "B")


def verify(*mods):
    return verify_modules([make_lang(), *mods], (), VM().native_signature)


def test_the_result_is_still_the_function_mapping():
    m = shapes().build()
    v = verify(m)
    assert isinstance(v, Verified) and v.functions is v
    assert v.get(("t", fn_index(m, "A", "m"))).instructions == 2
    assert set(v.classes) >= {A, B}


def test_facts_of_a_class_and_its_subclass():
    m = shapes().build()
    v = verify(m).classes
    a, b = v[A], v[B]
    assert isinstance(a, ClassFacts)
    assert list(v).index(A) < list(v).index(B)          # superclasses first
    assert a == ClassFacts(
        key=A, index=0, super=None, ancestors=(A,), depth=0, fields=(("x", "I"),),
        methods=(("m", fn_index(m, "A", "m")), ("n", fn_index(m, "A", "n"))),
        vtable=(VSlotFacts("m", "()I", A, fn_index(m, "A", "m")), VSlotFacts("n", "()V", A, fn_index(m, "A", "n"))),
        init=fn_index(m, "A", "init"), is_error=False, to_string=None, is_interface=False, interfaces=(),
        itable=())
    assert b.super == A and b.ancestors == (A, B) and b.depth == 1
    assert b.fields == (("x", "I"), ("y", "F"))         # the superclass's slots first
    assert b.vtable == (VSlotFacts("m", "()I", B, fn_index(m, "B", "m")),
                        VSlotFacts("n", "()V", A, fn_index(m, "A", "n")))
    assert b.init == fn_index(m, "B", "init")


def test_errors_and_to_string():
    b = ModBuilder("t")
    b.cls("Oops", super=("lang", "Error"), vtable=[("to_string", ("lang", "Error"))])
    b.method("Oops", "to_string", [], "S", [], [("SCONST", "oops"), ("RETV",)])
    b.cls("Plain")
    b.func("main", [], "V", [], [("RET",)])
    v = verify(b.build()).classes
    oops = v[("t", "Oops")]
    assert oops.is_error and oops.ancestors[0] == ("lang", "Error") and oops.depth == 1
    assert oops.vtable[oops.to_string] == VSlotFacts("to_string", "()S", ("t", "Oops"), fn_index(b.build(), "Oops", "to_string"))
    assert not v[("t", "Plain")].is_error and v[("t", "Plain")].to_string is None
    assert ("lang", "Error") in v                       # the batch's lang classes too


def test_the_facts_agree_with_the_linked_classes():
    """What the linker computes today (until it reads these facts)."""
    src = """
    interface Sized { fn area() -> float; }
    interface Named extends Sized { fn label() -> string; }
    class Shape implements Sized { name: string; init(n: string) { self.name = n; }
                  fn area() -> float { return 0.0; } fn to_string() -> string { return self.name; } }
    class Circle extends Shape implements Named { r: float; init(r: float) { super.init("c"); self.r = r; }
                                 fn area() -> float { return self.r; } fn label() -> string { return "c"; } }
    class Oops extends Error { code: int; init(c: int) { super.init("oops"); self.code = c; } }
    fn main() { println(new Circle(1.0)); }
    """
    prog = compiler.compile_source(src)
    vm = VM()
    facts = verify_modules(prog.modules, (), vm.native_signature).classes
    vm.load(prog.modules)
    by_key = {(c.module.name, c.name): c for c in vm.interp.CLS if c is not None}
    ids = {k: c.id for k, c in by_key.items()}
    for key, f in facts.items():
        c = by_key[key]
        assert list(f.fields) == [(n, t) for n, (_s, t) in sorted(c.fields.items(), key=lambda e: e[1][0])]
        assert [t for _n, t in f.fields] == list(c.field_types)
        assert f.is_interface == c.is_interface
        assert tuple(ids[k] for k in f.interfaces) == tuple(i.id for i in c.interfaces)
        if f.is_interface:          # the linker keeps no ancestors for an interface
            assert f.vtable == () and f.itable == () and f.fields == ()
            continue
        assert f.depth == c.depth and tuple(ids[k] for k in f.ancestors) == c.ancestors
        assert {by_key[e.iface].imethods[e.name][0]: e.slot for e in f.itable} == c.itable
        assert [s.name for s in f.vtable] == sorted(c.vindex, key=c.vindex.get)
        assert [(s.impl, s.signature) for s in f.vtable] == [((fn.module.name, fn.owner.name), fn.desc.signature)
                                                             for fn in c.vtable]
        assert f.is_error == c.is_error
        assert (f.to_string is None) == (c.tostr is None)
        assert (f.init is None) == (c.init is None)


# --- the class rules the linker checked as well; now tested on the verifier alone -----------

def test_a_class_that_inherits_from_itself():
    m = shapes().build()
    a_ref = next(i for i, c in enumerate(m.consts) if c.kind == M.K_CLASS and c.value == A)
    rejects([with_class(m, "A", super=a_ref)], "A", None, "inherits from itself")


def test_init_flagged_f_init_but_not_void():
    m = shapes().build()
    i = fn_index(m, "A", "init")
    fs = list(m.functions)
    fs[i] = fs[i].replace(ret="I")
    rejects([m.replace(functions=tuple(fs))], "A", None,
            "not an F_INIT method of A returning void")


def test_a_method_missing_from_the_vtable():
    rejects([vt(shapes().build(), "A", [("m", "A")])], "A", None,
            "method n is declared but its vtable slot does not name A")


def test_a_vtable_slot_naming_a_subclass():
    rejects([vt(shapes().build(), "A", [("m", "B"), ("n", "A")])], "A", None, "t.B is not A or an ancestor")


def test_a_method_list_naming_another_class_method():
    m = shapes().build()
    a = m.classes[0]
    rejects([with_class(m, "A", methods=a.methods + (("m2", fn_index(m, "B", "m")),))], "A", None,
            "not a method m2 of A")
