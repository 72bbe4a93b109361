"""Bytecode of Part B (docs/conventions.md): class flags, interfaces,
itables and bridges; erased signatures of overrides; boxes and casts where
a generic declaration meets a use; closures of literals, named functions
and bound methods; adapters; the prelude's helpers.  And the programs
behave as language.md B1–B5 say, run on the VM (skipped when `hllvm` is
not importable) in the interpreter and with every function compiled."""

from __future__ import annotations

import io

import pytest

from compiler import compile_source
from hlbc import model as M
from hlbc import read_module, write_module
from hlbc.code import decode


def entry(src: str) -> M.ModuleDesc:
    return compile_source(src).modules[-1]


def fn(mod: M.ModuleDesc, name: str, owner: str | None = None) -> M.FunctionDesc:
    for f in mod.functions:
        if f.name == name and (owner is None or (f.owner != M.NO_INDEX and mod.classes[f.owner].name == owner)):
            return f
    raise KeyError(name)


def ops(f: M.FunctionDesc) -> list[str]:
    return [i.op.name for i in decode(f.code)]


def cls(mod: M.ModuleDesc, name: str) -> M.ClassDesc:
    return next(c for c in mod.classes if c.name == name)


def const(mod: M.ModuleDesc, i: int):
    return mod.consts[i].value


SHAPES = """
interface Shape { fn area() -> float; }
interface Named extends Shape { fn name() -> string; }
class Sq implements Named { s: float; init(s: float) { self.s = s; }
    fn area() -> float { return self.s * self.s; } fn name() -> string { return "sq"; } }
class Big extends Sq { init() { super.init(10.0); } fn name() -> string { return "big"; } }
fn total(xs: Shape[]) -> float { var t = 0.0; for x in xs { t += x.area(); } return t; }
fn main() { let n: Named = new Big(); println(n.name() + " " + str(total([new Sq(2.0), n]))); }
"""


def test_interfaces_and_itables():
    mod = entry(SHAPES)
    shape, named, sq, big = (cls(mod, n) for n in ("Shape", "Named", "Sq", "Big"))
    assert shape.flags == M.C_INTERFACE and shape.super == M.NO_INDEX and shape.vtable == () and shape.itable == ()
    area = mod.functions[shape.methods[0][1]]
    assert area.flags == M.F_METHOD | M.F_ABSTRACT and area.code == b"" and area.max_stack == 0
    assert [const(mod, i) for i in named.interfaces] == [("t", "Shape")] or \
        [const(mod, i)[1] for i in named.interfaces] == ["Shape"]
    # a complete itable: every method of every interface reached, named by the interface declaring it
    entries = {(const(mod, e.iface)[1], e.name, e.impl) for e in sq.itable}
    assert entries == {("Named", "name", "name"), ("Shape", "area", "area")}
    assert {(const(mod, e.iface)[1], e.name) for e in big.itable} == {("Named", "name"), ("Shape", "area")}
    assert big.interfaces == ()             # inherited through Sq
    # a call through an interface names the interface that declares the method
    calls = [i for i in decode(fn(mod, "total").code) if i.op.name == "CALLIFACE"]
    assert [(const(mod, const(mod, i.args[0])[0])[1], const(mod, i.args[0])[1]) for i in calls] == [("Shape", "area")]


def test_bridge_for_a_generic_interface():
    mod = entry("interface Ordered<T> { fn compare(o: T) -> int; }\n"
                "class Num implements Ordered<Num> { v: int; fn compare(o: Num) -> int { return self.v - o.v; } }\n"
                "fn main() { let o: Ordered<Num> = new Num(); println(o.compare(new Num())); }")
    num = cls(mod, "Num")
    (entry_,) = [e for e in num.itable if const(mod, e.iface)[1] == "Ordered"]
    bridge = fn(mod, entry_.impl, "Num")
    assert entry_.impl != "compare" and entry_.impl.startswith("compare$")
    assert bridge.signature == "(R)I" and bridge.flags == M.F_METHOD
    assert fn(mod, "compare", "Num").signature == "(Ltest.Num;)I".replace("test", mod.name)
    assert ops(bridge) == ["LOAD", "LOAD", "CAST", "CALLVIRT", "RETV"]
    assert entry_.impl in [s.name for s in num.vtable]


def test_override_keeps_the_erased_signature():
    mod = entry("class Box<T> { v: T; fn get() -> T { return self.v; } fn set(x: T) { self.v = x; } }\n"
                "class IntBox extends Box<int> { fn get() -> int { return 1; } fn set(x: int) { } }\n"
                "fn main() { let b = new IntBox(); b.set(2); let n = b.get() + 1; }")
    get, set_ = fn(mod, "get", "IntBox"), fn(mod, "set", "IntBox")
    assert get.signature == "()R" and set_.signature == "(R)V"
    assert ops(get)[-2:] == ["BOXI", "RETV"]
    assert ops(set_)[:3] == ["LOAD", "CAST", "STORE"] and set_.locals == (set_.locals[0], "R", "I")
    main = ops(fn(mod, "main"))
    assert "BOXI" in main and "CAST" in main       # the argument boxed, the result unboxed


def test_erased_values_and_arrays():
    mod = entry("fn first<T>(xs: T[]) -> T { return xs[0]; }\n"
                "fn put<T>(xs: T[], x: T) { xs[0] = x; }\n"
                "fn main() { let a = [1, 2]; let x: int = first(a); put(a, 3); println(first([\"s\"])); }")
    assert fn(mod, "first").signature == "([R)R" and "XALOAD" in ops(fn(mod, "first"))
    assert "XASTORE" in ops(fn(mod, "put"))
    main = decode(fn(mod, "main").code)
    casts = [const(mod, i.args[0]) for i in main if i.op.name == "CAST"]
    assert casts == ["I", "S"]


def test_function_values():
    mod = entry("class A { x: int; fn get() -> int { return self.x; } }\n"
                "fn twice(x: int) -> int { return 2 * x; }\n"
                "fn main() { let k = 3; let f = fn(x: int) -> int { return x + k; }; let g = twice; "
                "let a = new A(); let h = a.get; println(f(1) + g(2) + h()); }")
    main = decode(fn(mod, "main").code)
    closures = [(const(mod, i.args[0])[1:], i.args[1]) for i in main if i.op.name == "CLOSURE"]
    assert closures == [(("main$fn1", "(II)I"), 1), (("twice", "(I)I"), 0),
                        ((f"$bound$L{mod.name}$dA$e$get", f"(L{mod.name}.A;)I"), 1)]
    assert [const(mod, i.args[0]) for i in main if i.op.name == "CALLFN"] == ["(I)I", "(I)I", "()I"]
    lam = fn(mod, "main$fn1")
    assert lam.params == ("I", "I") and lam.owner == M.NO_INDEX
    assert ops(fn(mod, f"$bound$L{mod.name}$dA$e$get")) == ["LOAD", "CALLVIRT", "RETV"]


def test_a_literal_is_compiled_for_the_erased_parameter_it_is_passed_to():
    mod = entry("fn pick<T>(a: T, b: T, f: fn(T, T) -> bool) -> T { if f(a, b) { return a; } return b; }\n"
                "fn main() { println(pick(1, 2, fn(x: int, y: int) -> bool { return x > y; })); }")
    lam = fn(mod, "main$fn1")
    assert lam.signature == "(RR)Z" and ops(lam)[:6] == ["LOAD", "CAST", "STORE", "LOAD", "CAST", "STORE"]
    assert not any(f.name.startswith("$adapt") for f in mod.functions)


def test_adapter_for_a_function_value_of_another_erasure():
    mod = entry("class Box<T> { f: fn(T) -> T; }\n"
                "fn inc(x: int) -> int { return x + 1; }\n"
                "fn main() { let b = new Box<int>(); b.f = inc; let g = b.f; println(g(1)); }")
    adapters = sorted(f.name for f in mod.functions if f.name.startswith("$adapt"))
    assert len(adapters) == 2            # (I)I as (R)R to store it, (R)R as (I)I to read it
    a = next(f for f in mod.functions if f.name.startswith("$adapt") and f.params[0] == "(I)I")
    assert a.signature == "((I)I)R".replace(")R", "R)R") or a.params == ("(I)I", "R")
    assert ops(a) == ["LOAD", "LOAD", "CAST", "CALLFN", "BOXI", "RETV"]


def test_prelude_helpers_and_implicit_interfaces():
    prog = compile_source("class P { x: int; fn hash() -> int { return self.x; } "
                          "fn equals(o: P) -> bool { return o.x == self.x; } }\n"
                          "fn f<T>(a: T, b: T) -> bool { println(str(a)); return a == b; }\n"
                          "fn main() { println(hash(new P()) + hash(1.5)); println(f(new P(), new P())); }")
    lang, mod = prog.modules[0], prog.modules[-1]
    assert "$str" in {f.name for f in lang.functions}
    assert {c.name for c in lang.classes} >= {"_Hash", "_Equals"}
    p = cls(mod, "P")
    assert sorted(const(mod, i)[1] for i in p.interfaces) == ["_Equals", "_Hash"]
    impls = {e.name: e.impl for e in p.itable}
    assert impls == {"hash": "hash", "equals": "equals$eq"}
    bridge = fn(mod, "equals$eq", "P")
    assert ops(bridge)[:3] == ["LOAD", "ISA", "JT"]
    f = decode(fn(mod, "f").code)
    called = [const(mod, i.args[0])[:2] for i in f if i.op.name == "CALL"]
    assert called == [("lang", "$str")]
    # == of T values: the class's own equals through lang._Equals, else VEQ
    names = [i.op.name for i in f]
    k = names.index("INSTANCEOF")
    assert names[k - 2:k + 1] == ["SWAP", "DUP", "INSTANCEOF"] and "CALLIFACE" in names and "VEQ" in names


def test_for_in_over_an_object_calls_length_every_step():
    mod = entry("class Bag { fn length() -> int { return 2; } fn get(i: int) -> string { return \"x\"; } }\n"
                "fn main() { for s in new Bag() { println(s); } }")
    main = decode(fn(mod, "main").code)
    virt = [const(mod, i.args[0])[1] for i in main if i.op.name == "CALLVIRT"]
    assert virt == ["get", "length"]        # get in the body, length at the test below it


def test_part_b_modules_round_trip():
    prog = compile_source(SHAPES)
    for mod in prog.modules:
        data = write_module(mod)
        assert read_module(data) == mod


hllvm = pytest.importorskip("hllvm")


def run(src: str, jit: str = "off", stdin: str = ""):
    out, err = io.StringIO(), io.StringIO()
    vm = hllvm.VM(stdout=out, stderr=err, jit=jit)
    prog = compile_source(src, filename="t.hl")
    vm.load(prog.modules)
    status = vm.run_main(prog.entry, [])
    return status, out.getvalue(), err.getvalue()


PROGRAMS = [
    (SHAPES, "big 104.0\n"),
    # B2: generic class, generic superclass, inference, boxing at every boundary
    ("class Box<T> { v: T; init(v: T) { self.v = v; } fn get() -> T { return self.v; }\n"
     "  fn map<U>(f: fn(T) -> U) -> Box<U> { return new Box<U>(f(self.v)); } }\n"
     "class IntBox extends Box<int> { init(v: int) { super.init(v); } fn get() -> int { return self.v + 1; } }\n"
     "fn first<T>(xs: T[]) -> T { return xs[0]; }\n"
     "fn main() { let b: Box<int> = new IntBox(4); println(b.get()); println(b.map(fn(x: int) -> string "
     "{ return \"<\" + str(x) + \">\"; }).get()); println(first([2.5, 1.0]) * 2.0); println(first([true])); "
     "println(new Box<int>(1)); let e = new Box<int>(0); println(first([[1, 2]])); }",
     "5\n<4>\n5.0\ntrue\n<Box>\n[1, 2]\n"),
    # B5: == on type parameters compares as equals; str() of erased values, arrays of them too
    ("fn same<T>(a: T, b: T) -> bool { return a == b; }\n"
     "fn show<T>(x: T) -> string { return str(x) + \"|\" + x; }\n"
     "fn wrap<T>(xs: T[]) -> string { return str(xs); }\n"
     "fn main() { println(same(1000, 1000)); println(same(\"ab\", \"a\" + \"b\")); println(same(0.0, -0.0)); "
     "println(same(null, \"x\")); println(show(1.5)); let ns: string = null; println(show(ns)); println(wrap([1, 2])); "
     "println(wrap([[\"a\"], null])); println(wrap([fn() { }])); }",
     "true\ntrue\ntrue\nfalse\n1.5|1.5\nnull|null\n[1, 2]\n[[a], null]\n[<fn>]\n"),
    # B2: hash and equals, with and without the class's own
    ("class P { x: int; init(x: int) { self.x = x; } fn hash() -> int { return self.x * 7; }\n"
     "  fn equals(o: P) -> bool { return o.x == self.x; } }\n"
     "class Q { }\n"
     "fn eq<T>(a: T, b: T) -> bool { return equals(a, b); }\n"
     "fn main() { println(hash(new P(3))); println(equals(new P(1), new P(1))); println(eq(new P(1), new P(2))); "
     "let q = new Q(); println(equals(q, q) && !equals(q, new Q())); println(hash(7) + hash(true) + hash(\"\")); "
     "println(hash(\"ab\")); println(hash(null) == 0); let p: P = null; println(equals(p, null)); }",
     "21\ntrue\nfalse\ntrue\n8\n3105\ntrue\ntrue\n"),
    # B3: closures capture values; bound methods; named functions; function-typed fields
    ("class Counter { n: int; fn bump() -> int { self.n += 1; return self.n; } }\n"
     "class Btn { on: fn(string) -> string; }\n"
     "fn adder(k: int) -> fn(int) -> int { return fn(x: int) -> int { return x + k; }; }\n"
     "fn twice(f: fn(int) -> int, x: int) -> int { return f(f(x)); }\n"
     "fn main() { let add5 = adder(5); println(twice(add5, 1)); let c = new Counter(); let b = c.bump; b(); b(); "
     "println(c.n); let fs = new (fn(int) -> int)[2]; fs[0] = add5; fs[1] = adder(100); var s = 0; "
     "for f in fs { s += f(1); } println(s); let btn = new Btn(); btn.on = fn(m: string) -> string { return m + \"!\"; }; "
     "println(btn.on(\"hi\")); println(str(add5)); println(add5 == add5); println(adder(1) == adder(1)); "
     "let fns: (fn() -> int)[] = [null, null]; for i in 0..2 { fns[i] = fn() -> int { return i * 10; }; } "
     "println(fns[0]() + fns[1]()); }",
     "11\n2\n107\nhi!\n<fn>\ntrue\nfalse\n10\n"),
    # super inside a function literal, on the captured self
    ("class A { fn m() -> string { return \"A\"; } }\n"
     "class B extends A { fn m() -> string { return \"B\"; }\n"
     "  fn both() -> fn() -> string { return fn() -> string { return self.m() + super.m(); }; } }\n"
     "fn main() { println(new B().both()()); }",
     "BA\n"),
    # B4: for-in over an object with length() and get(i); length is asked every step
    ("class Grow { n: int; fn length() -> int { return self.n; } fn get(i: int) -> int { "
     "if self.n < 4 { self.n += 1; } return i; } }\n"
     "fn main() { let g = new Grow(); g.n = 1; for x in g { print(x); } println(); }",
     "0123\n"),
    # errors of Part B at run time
    ("class Box<T> { v: T; }\nfn main() { let b = new Box<int>(); try { let n: int = b.v; } "
     "catch e: NullError { println(\"null\"); } let f: fn() = null; try { f(); } catch e: NullError { println(\"fn\"); } "
     "let q: Box<int> = null; try { let g = q.v; } catch e: NullError { println(\"field\"); } }",
     "null\nfn\nfield\n"),
    ("interface I { }\nclass A implements I { }\nclass B { }\n"
     "fn main() { let a: I = new A(); println(a is A); let x = a as A; try { let y: B = new B(); let i = y as I; } "
     "catch e: CastError { println(\"cast\"); } }",
     "true\ncast\n"),
]


@pytest.mark.parametrize("jit", ["off", "eager"])
@pytest.mark.parametrize("src, expected", PROGRAMS, ids=[str(i) for i in range(len(PROGRAMS))])
def test_programs(src, expected, jit):
    status, out, err = run(src, jit)
    assert (status, err, out) == (0, "", expected)


def test_a_bound_method_of_null_throws_when_bound():
    status, out, err = run("class A { fn m() { } }\nfn main() { let a: A = null; let f = a.m; println(\"no\"); }")
    assert status == 1 and out == "" and err.startswith("Uncaught NullError: cannot take method m() of null")
    assert "t.hl:2)" in err


def test_eprintln_writes_to_standard_error():
    status, out, err = run("fn main() { eprintln(\"e\"); eprintln(); eprintln([1]); println(\"o\"); }")
    assert (status, out, err) == (0, "o\n", "e\n\n[1]\n")


def test_an_array_of_function_values_cannot_change_erasure():
    from compiler_support import errors
    errs = errors("class Box<T> { fs: (fn(T) -> T)[]; }\n"
                  "fn main() { let b = new Box<int>(); let fs: (fn(int) -> int)[] = [];\n b.fs = fs; }")
    assert errs == [(3, 9, "an array of function values cannot be used where an array of functions of a generic "
                           "type is expected: each element would need converting (copy the elements into a new "
                           "array)")]
