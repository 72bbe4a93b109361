"""Names and types of Part B (language.md B1–B5): interfaces, generics,
function types and literals, captures, for-in over objects, hash/equals.
Each rule's error with its position, and the programs each rule must still
accept."""

from __future__ import annotations

import pytest

from compiler_support import compile_ok, errors

PRELUDE = """
interface Shape { fn area() -> float; }
interface Named { fn name() -> string; }
class Circle implements Shape, Named { r: float; init(r: float) { self.r = r; }
    fn area() -> float { return self.r; } fn name() -> string { return "c"; } }
class Box<T> { v: T; init(v: T) { self.v = v; } fn get() -> T { return self.v; }
    fn map<U>(f: fn(T) -> U) -> Box<U> { return new Box<U>(f(self.v)); } }
class Plain { x: int; fn m(a: int) -> int { return a; } }
fn first<T>(xs: T[]) -> T { return xs[0]; }
fn make<T>() -> Box<T> { return null; }
fn apply(f: fn(int) -> int, x: int) -> int { return f(x); }
"""

# (body of main, line within the body (1-based), column, message substring)
BODY_ERRORS = [
    # interfaces as types
    ("let s = new Shape();", 1, 13, "cannot create an instance of interface 'Shape'"),
    ("let s: Shape = new Plain();", 1, 16, "expected Shape, found Plain"),
    ("let s: Shape = new Circle(1.0); let n: Named = s;", 1, 48, "expected Named, found Shape"),
    ("let s: Shape = new Circle(1.0); s.name();", 1, 35, "interface 'Shape' has no method 'name'"),
    ("let s = Shape;", 1, 9, "interface 'Shape' cannot be used as a value"),
    ("let b = 1 is Shape;", 1, 11, "unrelated types"),
    ("let p = new Plain(); let b = p is Circle;", 1, 32, "unrelated types: Plain is never a Circle"),
    # generics
    ("let b = new Box(1);", 1, 13, "'Box' needs type arguments: Box<T>"),
    ("let b: Box = null;", 1, 8, "'Box' needs type arguments"),
    ("let b = new Box<int, int>(1);", 1, 13, "'Box' takes 1 type argument, got 2"),
    ("let p = new Plain<int>();", 1, 13, "'Plain' is not generic"),
    ("let b: Box<int> = new Box<string>(\"a\");", 1, 19, "expected Box<int>, found Box<string>"),
    ("let b = new Box<int>(1.5);", 1, 22, "expected int, found float"),
    ("let b = new Box<int>(1); let s: string = b.get();", 1, 44, "expected string, found int"),
    ("let b = new Box<void>(1);", 1, 17, "'void' is only allowed as a return type"),
    ("let x = first([]);", 1, 9, "cannot infer the type argument 'T' of 'first'"),
    ("let b = make();", 1, 9, "cannot infer the type argument 'T' of 'make'"),
    ("let f = first;", 1, 9, "generic function 'first' cannot be used as a value"),
    ("let x = first<int>([1]);", 1, 9, "the type arguments of generic function 'first' are inferred"),
    ("let b = new Box<int>(1); let f = b.map;", 1, 36, "generic method 'Box.map' cannot be used as a value"),
    ("let x: int = first([\"a\"]);", 1, 14, "expected int, found string"),
    # function values
    ("let f: fn(int) -> int = fn(x: float) -> int { return 1; };", 1, 25, "expected fn(int) -> int, found fn(float) -> int"),
    ("let f = fn(x: int) -> int { };", 1, 9, "missing return in a function literal"),
    ("let f = fn(x: int) { return x; };", 1, 29, "a void function cannot return a value"),
    ("let f = fn(x: int) -> int { return x; }; f(1.0);", 1, 44, "expected int, found float"),
    ("let f = fn(x: int) -> int { return x; }; f();", 1, 42, "expects 1 argument, got 0"),
    ("let n = 3; n(1);", 1, 12, "'n' is a variable, not a function (its type is int)"),
    ("let p = new Plain(); p.x(1);", 1, 24, "'x' is a field of class 'Plain', not a method"),
    ("(1)(2);", 1, 2, "cannot be called: its type is int"),
    ("let f = fn() { }; let x = f();", 1, 27, "does not return a value"),
    ("let p = new Plain(); p.m = null;", 1, 24, "cannot assign to 'm': it is a method"),
    ("apply = null;", 1, 1, "cannot assign to 'apply': it is a function"),
    ("let f = fn(x: int) -> int { return x; }; let b = f == 1;", 1, 52, "cannot compare fn(int) -> int with int"),
    # captures (B3, B5)
    ("var n = 1; let f = fn() -> int { return n; };", 1, 41, "cannot capture 'n': it is a 'var'"),
    ("let n = 1; let f = fn() { n = 2; };", 1, 27, "cannot assign to 'n' inside a function literal"),
    ("let n = 1; let f = fn(n: int) { };", 1, 23, "'n' is already a local of an enclosing function"),
    ("let n = 1; let f = fn() { let n = 2; };", 1, 31, "'n' is already a local of an enclosing function"),
    ("let n = 1; let f = fn() { for n in 0..2 { } };", 1, 31, "'n' is already a local of an enclosing function"),
    ("for i in 0..3 { let f = fn() { break; }; }", 1, 32, "'break' outside a loop"),
    # hash / equals
    ("let b = equals(1, 1.0);", 1, 9, "'equals' cannot compare int with float"),
    ("let b = equals(new Plain(), new Circle(1.0));", 1, 9, "'equals' cannot compare Plain with Circle"),
    ("let h = hash();", 1, 9, "'hash' expects 1 argument"),
    # for-in over objects
    ("for x in new Plain() { }", 1, 10, "has no method 'length'"),
    ("for x in new Box<int>(1) { }", 1, 10, "has no method 'length'"),
]


@pytest.mark.parametrize("body, line, col, msg", BODY_ERRORS, ids=[b for b, *_ in BODY_ERRORS])
def test_error_in_body(body, line, col, msg):
    lines_before = PRELUDE.count("\n") + 1
    errs = errors(PRELUDE + "fn main() {\n" + body + "\n}\n")
    want = (lines_before + line, col)
    assert any((l, c) == want and msg in m for l, c, m in errs), errs


# Whole programs: (source, line, col, message substring)
PROGRAM_ERRORS = [
    # B1: a class that misses an interface method is reported at its name
    ("interface I { fn m() -> int; }\nclass C implements I { }\nfn main() {}",
     2, 7, "class 'C' does not implement method 'm' of interface 'I' (fn() -> int)"),
    ("interface I { fn m() -> int; }\nclass C implements I { fn m() -> float { return 1.0; } }\nfn main() {}",
     2, 27, "'C.m' does not match method 'm' of interface 'I': expected fn() -> int, found fn() -> float"),
    ("interface I { fn m(); }\ninterface J extends I { }\nclass C implements J { }\nfn main() {}",
     3, 7, "does not implement method 'm' of interface 'I'"),
    ("interface I { fn m(); }\nclass B { }\nclass C extends B implements I { }\nfn main() {}", 3, 7, "does not implement"),
    ("interface I<T> { fn m(x: T); }\nclass C implements I<int> { fn m(x: string) { } }\nfn main() {}",
     2, 32, "expected fn(int) -> void"),
    ("interface I { x: int; fn m(); }\nfn main() {}", 1, 15, "an interface cannot declare fields"),
    ("interface I { fn m() { } }\nfn main() {}", 1, 18, "an interface method has no body"),
    ("interface I { init() { } }\nfn main() {}", 1, 15, "an interface cannot declare init"),
    ("interface I { }\nclass C extends I { }\nfn main() {}", 2, 17, "a class can only extend a class: 'I' is an interface"),
    ("class A { }\nclass C implements A { }\nfn main() {}", 2, 20, "a class can only implement interfaces: 'A' is not one"),
    ("class A { }\ninterface I extends A { }\nfn main() {}", 2, 21, "an interface can only extend interfaces"),
    ("interface I extends J { }\ninterface J extends I { }\nfn main() {}", 1, 11, "extends itself"),
    ("interface I { }\nclass C implements I, I { }\nfn main() {}", 2, 23, "listed twice"),
    ("interface I<T> { fn m() -> T; }\nclass B implements I<int> { fn m() -> int { return 1; } }\n"
     "class C extends B implements I<string> { }\nfn main() {}", 3, 7, "implements 'I' twice"),
    ("interface I { fn m(); }\ninterface J { fn m() -> int; }\ninterface K extends I, J { }\nfn main() {}",
     3, 11, "inherits 'm' from 'I' and 'J' with different signatures"),
    ("interface I { fn m(); }\ninterface J extends I { fn m() -> int; }\nfn main() {}",
     2, 28, "redeclares 'I.m' with a different signature"),
    # B2: generics
    ("class Box<T> { }\nclass IntBox extends Box { }\nfn main() {}", 2, 22, "'Box' needs type arguments"),
    ("class Box<T> { fn get() -> T { return null; } }\nclass IB extends Box<int> { fn get() -> float { return 1.0; } }\n"
     "fn main() {}", 2, 32, "expected fn() -> int, found fn() -> float"),
    ("class Box<T, T> { }\nfn main() {}", 1, 14, "type parameter 'T' is declared twice"),
    ("class Box<T> { fn m<T>() { } }\nfn main() {}", 1, 21, "already a type parameter of the class"),
    ("class Box<int> { }\nfn main() {}", 1, 11, "built-in type"),
    ("fn f<T>(x: T) -> T { let a = new T[3]; return x; }\nfn main() {}", 1, 34, "cannot create an array of T"),
    ("fn f<T>(x: T) -> T[] { return [x]; }\nfn main() {}", 1, 31, "cannot create an array of T"),
    ("fn f<T>(x: T) -> bool { return x is T; }\nfn main() {}", 1, 37, "'is' cannot name type parameter 'T'"),
    ("class Box<T> { }\nfn f<T>(x: T) -> bool { return x is Box<int>; }\nfn main() {}", 2, 34,
     "'is' cannot test a value of type parameter type T"),
    ("fn f<T>(x: T) -> T { return x + x; }\nfn main() {}", 1, 31, "operator '+' cannot be applied to T and T"),
    ("fn f<T>(x: T) -> int { return x.length; }\nfn main() {}", 1, 33, "T has no member 'length'"),
    ("fn f<T>(x: T) { x.m(); }\nfn main() {}", 1, 19, "T has no method 'm'"),
    ("fn f<T, U>(x: T, y: U) -> bool { return x == y; }\nfn main() {}", 1, 43, "cannot compare T with U"),
    ("fn main<T>() {}", 1, 4, "main must be"),
    # B3, B5: captures
    ("fn f(x: int) -> fn() -> int { x = 2; return fn() -> int { return x; }; }\nfn main() {}",
     1, 66, "cannot capture parameter 'x': it is assigned in its function"),
    ("fn f(x: int) -> fn() -> int { let g = fn() -> int { return x; }; x = 3; return g; }\nfn main() {}",
     1, 60, "cannot capture parameter 'x'"),
    ("class A { init() { } }\nclass B extends A { init() { let f = fn() { super.init(); }; } }\nfn main() {}",
     2, 51, "'super.init(...)' can only be called inside init"),
    ("fn main() { let f = fn() { return; }; let g = fn() -> int { return; }; }", 1, 61, "missing return value"),
    # function types as written
    ("fn f(g: fn(void)) { }\nfn main() {}", 1, 12, "'void' is only allowed as a return type"),
    ("fn f() -> fn(int) -> Nope { return null; }\nfn main() {}", 1, 22, "unknown type 'Nope'"),
]


@pytest.mark.parametrize("src, line, col, msg", PROGRAM_ERRORS, ids=[s.split("\n")[0][:50] for s, *_ in PROGRAM_ERRORS])
def test_error_in_program(src, line, col, msg):
    errs = errors(src)
    assert any((l, c) == (line, col) and msg in m for l, c, m in errs), errs


ACCEPTED = [
    # interfaces: extends, implementation inherited, is/as both ways, == between related types
    "interface I { fn m() -> int; }\ninterface J extends I { fn k(); }\nclass B { fn m() -> int { return 1; } }\n"
    "class C extends B implements J { fn k() { } }\n"
    "fn main() { let j: J = new C(); let i: I = j; let b = i is C; let c = i as J; let d = new B() is I; "
    "let e = (i as C).m(); let same = i == j; let n: I = null; }",
    # a generic interface, a class implementing it with a primitive and with itself
    "interface Ordered<T> { fn compare(o: T) -> int; }\nclass N implements Ordered<N> { v: int; "
    "fn compare(o: N) -> int { return self.v - o.v; } }\nclass I implements Ordered<int> { fn compare(o: int) -> int { return o; } }\n"
    "fn max<T>(a: T, b: T, o: fn(T, T) -> int) -> T { if o(a, b) >= 0 { return a; } return b; }\n"
    "fn main() { let o: Ordered<N> = new N(); let p: Ordered<int> = new I(); let x = p.compare(3); }",
    # generic superclass; override of a generic method; generic method of a generic class
    "class Box<T> { v: T; fn get() -> T { return self.v; } fn set(x: T) { self.v = x; } }\n"
    "class IntBox extends Box<int> { fn get() -> int { return self.v + 1; } fn set(x: int) { super.set(x * 2); } }\n"
    "class Pair<A, B> { a: A; b: B; fn swap() -> Pair<B, A> { let p = new Pair<B, A>(); p.a = self.b; p.b = self.a; return p; } }\n"
    "fn main() { let b = new IntBox(); b.set(1); let n: int = b.get(); let bb: Box<int> = b; "
    "let p = new Pair<int, string>().swap(); let s: string = p.a; }",
    # inference from arguments through arrays, classes and function types, and from the expected type
    "class Box<T> { v: T; }\nfn first<T>(xs: T[]) -> T { return xs[0]; }\nfn unbox<T>(b: Box<T>) -> T { return b.v; }\n"
    "fn map<A, B>(xs: A[], f: fn(A) -> B) -> Box<B> { let b = new Box<B>(); b.v = f(xs[0]); return b; }\n"
    "fn empty<T>() -> Box<T> { return new Box<T>(); }\n"
    "fn main() { let x: int = first([1]); let s: string = unbox(new Box<string>()); "
    "let m = map([1, 2], fn(i: int) -> string { return str(i); }); let t: string = m.v; "
    "let e: Box<float> = empty(); let n = first([[1], [2]]); let z = first([null, \"a\"]); }",
    # type parameters: assignment, passing, ==, str, hash, equals, null
    "fn f<T>(a: T, b: T) -> string { var c: T = a; c = b; let d = a == b || a != null; let h = hash(a); "
    "let e = equals(a, b); return str(c) + a + \"\"; }\nfn main() { f(1, 2); f(\"a\", null); }",
    # function types in every position; calls of any expression of function type
    "class K { f: fn(int) -> int; g: (fn(int) -> int)[]; fn f2() -> fn() -> int[] { return null; } }\n"
    "fn make() -> fn(int) -> int { return fn(x: int) -> int { return x; }; }\n"
    "fn main() { let k = new K(); k.f = make(); let a = k.f(1); k.g = [make(), k.f]; let b = k.g[0](2); "
    "let c = (make())(3); let d: fn(int) = fn(x: int) { }; d(1); let e: fn() -> int[] = k.f2(); "
    "let fs = new (fn(int) -> int)[2]; let same = fs[0] == null; }",
    # named functions, module functions and bound methods as values
    "import math;\nclass A { x: int; fn get() -> int { return self.x; } }\nfn twice(x: int) -> int { return 2 * x; }\n"
    "fn main() { let f = twice; let g: fn(float) -> float = math.sqrt; let a = new A(); let h = a.get; "
    "let v = f(1) + h(); }",
    # captures: let, never-assigned parameters, for and catch variables, self, nested literals
    "class C { n: int; fn adder() -> fn(int) -> int { return fn(x: int) -> int { return x + self.n; }; } }\n"
    "fn f(p: int) -> fn() -> int { let q = 1; return fn() -> int { let r = fn() -> int { return p + q; }; return r(); }; }\n"
    "fn main() { for i in 0..3 { let g = fn() -> int { return i; }; } "
    "try { } catch e { let h = fn() -> string { return e.message; }; } "
    "let xs = [1]; for x in xs { let k = fn() -> int { return x; }; } }",
    # module-level let/var are globals, not captures: a var may be used and assigned
    "var counter = 0;\nlet STEP = 2;\nfn main() { let inc = fn() { counter += STEP; }; inc(); }",
    # a literal may shadow a global, and reuse names of sibling literals
    "let x = 1;\nfn main() { let f = fn(x: int) -> int { return x; }; let g = fn(y: int) { let z = y; }; "
    "let h = fn(y: int) { let z = y; }; }",
    # for-in over an object with length() and get(i), a generic one included
    "class Bag<T> { xs: T[]; fn length() -> int { return 0; } fn get(i: int) -> T { return self.xs[i]; } }\n"
    "fn main() { let b = new Bag<string>(); for s in b { let t: string = s; } }",
    # hash and equals on every kind of value; eprintln
    "class P { x: int; fn hash() -> int { return self.x; } fn equals(o: P) -> bool { return o.x == self.x; } }\n"
    "fn main() { let a = hash(1) + hash(1.5) + hash(true) + hash(\"s\") + hash(new P()) + hash([1]); "
    "let b = equals(1, 2) && equals(\"a\", \"b\") && equals(new P(), new P()) && equals([1], [1]); eprintln(a); eprintln(); }",
    # the collections, as B4/B5 name them
    "import collections;\nfn main() { let l = new collections.List<int>(); l.push(1); for x in l { } "
    "let m = new collections.Map<string, collections.List<int>>(); m.put(\"a\", l); "
    "let s = new collections.Set<string>(); s.add(\"x\"); "
    "l.sort_by(fn(a: int, b: int) -> int { return a - b; }); }",
    # `>>` closing two type argument lists, and `>=` / `>>=` after them
    "class Box<T> { v: T; }\nfn main() { let b: Box<Box<int>>= new Box<Box<int>>(); var n = 8; n >>= 1; let c = n >> 1; }",
    # interface and generic names are not keywords in other positions; `interface` is one
    "fn main() { let T = 1; let U = T; }",
]


@pytest.mark.parametrize("src", ACCEPTED, ids=[s.split("\n")[0][:50] for s in ACCEPTED])
def test_accepted(src):
    compile_ok(src)


def test_one_mistake_in_a_literal_gives_one_message():
    errs = errors("fn main() {\n let f = fn(x: int) -> int { return nope + x; };\n let y = f(1) + 1;\n}\n")
    assert len(errs) == 1 and errs[0][:2] == (2, 37), errs
