"""Names and types (language.md A2–A10): each rule's error, with its position,
and the programs each rule must still accept."""

from __future__ import annotations

import pytest

from compiler_support import compile_ok, errors

PRELUDE = """
class A { x: int; init(x: int) { self.x = x; } fn m(a: int) -> int { return a; } }
class B extends A { init() { super.init(1); } }
class U { }
fn v() { }
fn one(a: int) -> int { return a; }
fn takes_a(a: A) { }
"""

# (body of main, line within the body (1-based), column, message substring)
BODY_ERRORS = [
    ("let x = 1 + 2.0;", 1, 11, "cannot be applied to int and float"),
    ("let x = 1.0 * 2;", 1, 13, "no implicit int/float conversion"),
    ("let x = 1; x = 2;", 1, 12, "let binding"),
    ("for i in 0..3 { i = 1; }", 1, 17, "loop variables are immutable"),
    ("for e in [1] { e += 1; }", 1, 16, "loop variables are immutable"),
    ("let a = 1; let a = 2;", 1, 16, "already declared in this scope"),
    ("one(1, 2);", 1, 1, "expects 1 argument, got 2"),
    ("one(1.0);", 1, 5, "argument 1 of 'one': expected int, found float"),
    ("takes_a(new U());", 1, 9, "expected A, found U"),
    ("let a = new A(1); let b = a is U;", 1, 29, "unrelated types"),
    ("let a = new A(1); let b = a as U;", 1, 29, "unrelated types"),
    ("let b = 1 is A;", 1, 11, "unrelated"),
    ("let a = 1 as int;", 1, 14, "needs a class or interface type"),
    ("let b = 1 == 1.0;", 1, 11, "cannot compare int with float"),
    ('let b = "a" == 1;', 1, 13, "cannot compare string with int"),
    ("let b = new A(1) == new U();", 1, 18, "cannot compare A with U"),
    ("let b = null == 1;", 1, 14, "cannot compare null with int"),
    ("let b = [1] == [1.0];", 1, 13, "cannot compare int[] with float[]"),
    ('let b = "a" < 1;', 1, 13, "cannot be applied to string and int"),
    ("let b = true < false;", 1, 14, "cannot be applied to bool and bool"),
    ("if 1 { }", 1, 4, "condition must be a bool"),
    ("while 1.0 { }", 1, 7, "condition must be a bool"),
    ("let b = 1 && true;", 1, 11, "cannot be applied to int and bool"),
    ("break;", 1, 1, "'break' outside a loop"),
    ("continue;", 1, 1, "'continue' outside a loop"),
    ("throw 1;", 1, 7, "can only throw an Error"),
    ("throw new U();", 1, 7, "can only throw an Error"),
    ("throw null;", 1, 7, "can only throw an Error"),
    ("try { } catch e: U { }", 1, 18, "can only catch Error classes"),
    ("try { }", 1, 1, "needs at least one 'catch' or a 'finally'"),
    ('let xs = [1, "a"];', 1, 14, "one type: found int and string"),
    ("let xs = [];", 1, 10, "empty array literal"),
    ("let xs = [null];", 1, 10, "cannot infer the type"),
    ("let xs: int[] = [1.0];", 1, 18, "expected int, found float"),
    ("let xs = [new A(1), new B()];", 1, 21, "one type: found A and B"),
    ("self.x = 1;", 1, 1, "'self' can only be used inside a method"),
    ('let s = "abc"; s.length = 2;', 1, 18, "read-only"),
    ("let a = [1]; a.length = 2;", 1, 16, "read-only"),
    ('var s = "abc"; s[0] = "x";', 1, 17, "strings are immutable"),
    ("let x = y;", 1, 9, "unknown name 'y'"),
    ("let x: Nope = null;", 1, 8, "unknown type 'Nope'"),
    ("let a = new A(1); let y = a.nope;", 1, 29, "has no field 'nope'"),
    ("let a = new A(1); a.nope();", 1, 21, "has no method 'nope'"),
    ("let x = v();", 1, 9, "does not return a value"),
    ("println(v());", 1, 9, "does not return a value"),
    ("return 1;", 1, 8, "void function cannot return a value"),
    ("let a = new A();", 1, 9, "expects 1 argument, got 0"),
    ("let a = new int(1);", 1, 13, "'new' needs a class"),
    ("let n = 1; n();", 1, 12, "is a variable, not a function"),
    ("let a = A(1);", 1, 9, "is a class"),
    ("nope(1);", 1, 1, "unknown function 'nope'"),
    ("super.m(1);", 1, 7, "'super' can only be used inside a method"),
    ("var x;", 1, 5, "needs a type or an initial value"),
    ("let x: int;", 1, 5, "needs a value"),
    ("let x = null;", 1, 9, "cannot infer the type of 'x' from null"),
    ('let x = abs("a");', 1, 9, "'abs' cannot take (string)"),
    ("let x = min(1, 2.0);", 1, 9, "'min' cannot take (int, float)"),
    ("print();", 1, 1, "'print' expects 1 argument"),
    ("let x = str;", 1, 9, "built-in function 'str' must be called"),
    ("let a = [1]; let x = a[1.0];", 1, 24, "index must be an int"),
    ("let n = 3; let x = n[0];", 1, 21, "cannot index a value of type int"),
    ("let x = 1.0 & 2.0;", 1, 13, "cannot be applied to float and float"),
    ("let x = -true;", 1, 9, "operator '-' cannot be applied to bool"),
    ("let x = !1;", 1, 9, "operator '!' cannot be applied to int"),
    ("let x = ~1.5;", 1, 9, "operator '~' cannot be applied to float"),
    ('var x = 1; x += "s";', 1, 12, "cannot be stored in int"),
    ('var s = "a"; s -= 1;', 1, 14, "cannot be applied to string and int"),
    ("var f = 1.0; f <<= 1;", 1, 14, "cannot be applied to float and int"),
    ("for i in 0..1.5 { }", 1, 13, "range bound must be an int"),
    ('for c in "abc" { }', 1, 10, "needs an array"),
    ("let a = new int[1.0];", 1, 17, "array size must be an int"),
    ("let a: void = v();", 1, 8, "'void' is only allowed as a return type"),
    ("let s = \"a\".nope();", 1, 13, "string has no method 'nope'"),
    ("let s = \"a\".substring(1);", 1, 13, "expects 2 arguments, got 1"),
    ("let a = [1].copy(1);", 1, 13, "expects 0 arguments, got 1"),
    ("let x = math.sqrt(2.0);", 1, 9, "unknown name 'math'"),
    ("try { } catch e { e = null; }", 1, 19, "catch variables are immutable"),
    ("let x = 9223372036854775808;", 1, 9, "too large"),
    ("x = 1;", 1, 1, "unknown name 'x'"),
    ("one = 2;", 1, 1, "cannot assign to 'one': it is a function"),
    ("(1) = 2;", 1, 2, "cannot assign to this expression"),
    ("one(1) = 2;", 1, 1, "cannot assign to this expression"),
]


@pytest.mark.parametrize("body, line, col, msg", BODY_ERRORS, ids=[b for b, *_ in BODY_ERRORS])
def test_error_in_body(body, line, col, msg):
    lines_before = PRELUDE.count("\n") + 1
    errs = errors(PRELUDE + "fn main() {\n" + body + "\n}\n")
    want = (lines_before + line, col)
    assert any((l, c) == want and msg in m for l, c, m in errs), errs


# Whole programs: (source, line, col, message substring)
PROGRAM_ERRORS = [
    ("fn f() -> int { if true { return 1; } }\nfn main() {}", 1, 4, "missing return in 'f'"),
    ("fn f() -> int { while true { break; } }\nfn main() {}", 1, 4, "missing return"),
    ("fn f() -> int { while 1 == 1 { return 1; } }\nfn main() {}", 1, 4, "missing return"),
    ("fn f() -> int { return 1; println(1); }\nfn main() {}", 1, 4, "missing return"),
    ("fn f() -> int { try { return 1; } catch e { } }\nfn main() {}", 1, 4, "missing return"),
    ("fn f() -> int { for i in 0..1 { return 1; } }\nfn main() {}", 1, 4, "missing return"),
    ("fn f() -> int { return; }\nfn main() {}", 1, 17, "missing return value"),
    ("class A { fn m(a: int) -> int { return a; } }\nclass B extends A { fn m(a: float) -> int { return 1; } }\nfn main() {}",
     2, 24, "overrides 'A.m' with a different signature"),
    ("class A { fn m() -> int { return 1; } }\nclass B extends A { fn m() -> float { return 1.0; } }\nfn main() {}",
     2, 24, "different signature"),
    ("class A { x: int; }\nclass B extends A { x: int; }\nfn main() {}", 2, 21, "already declared in superclass 'A'"),
    ("class A { x: int; x: float; }\nfn main() {}", 1, 19, "declared twice"),
    ("class A { x: int; fn x() { } }\nfn main() {}", 1, 22, "already a field"),
    ("class A { init(a: int) { } }\nclass B extends A { }\nfn main() {}", 2, 7, "must declare init"),
    ("class A { init() { } init() { } }\nfn main() {}", 1, 22, "more than one init"),
    ("class A extends A { }\nfn main() {}", 1, 7, "inherits from itself"),
    ("class A extends B { }\nclass B extends A { }\nfn main() {}", 1, 7, "inherits from itself"),
    ("class A extends int { }\nfn main() {}", 1, 17, "can only extend a class"),
    ("class int { }\nfn main() {}", 1, 7, "built-in type"),
    ("class A { fn to_string() -> int { return 1; } }\nfn main() {}", 1, 14, "to_string must be declared"),
    ("class A { fn m() { super.m(); } }\nfn main() {}", 1, 26, "has no superclass"),
    ("class A { fn m() { } }\nclass B extends A { fn k() { super.init(); } }\nfn main() {}", 2, 36, "only be called inside init"),
    ("class A { }\nclass B extends A { fn k() { super.nope(); } }\nfn main() {}", 2, 36, "has no method 'nope'"),
    ("fn f() { }\nfn f() { }\nfn main() {}", 2, 4, "already declared in this module"),
    ("class f { }\nlet f = 1;\nfn main() {}", 2, 5, "already declared in this module"),
    ("fn f(a: int, a: int) { }\nfn main() {}", 1, 14, "declared twice"),
    ("fn f(a: int) { let a = 2; }\nfn main() {}", 1, 20, "already declared in this scope"),
    ("let x = y;\nlet y = x;\nfn main() {}", 1, 5, "depends on its own value"),
    ("let X: int;\nfn main() {}", 1, 5, "needs a value"),
    ("fn f() -> int;\nfn main() {}", 1, 4, "function without a body"),
    ("fn helper() {}", 1, 1, "no 'fn main()'"),
    ("fn main(n: int) {}", 1, 4, "main must be"),
    ("fn main() -> string { return \"\"; }", 1, 4, "main must be"),
    ("let main = 1;", 1, 1, "'main' must be a function"),
    ("import nowhere;\nfn main() {}", 1, 1, "cannot find module 'nowhere'"),
    ("import math;\nimport math;\nfn main() {}", 2, 1, "already imported"),
    ("import math;\nfn main() { let x = math.nope; }", 2, 26, "has no member 'nope'"),
    ("import math;\nfn main() { math.PI = 1.0; }", 2, 18, "let binding"),
    ("import math;\nfn main() { let x = math.sqrt(1); }", 2, 31, "expected float, found int"),
    ("import math;\nfn main() { let x: math.Nope = null; }", 2, 20, "has no class 'Nope'"),
    ("fn main() { let x = _class_name(null); }", 1, 21, "unknown function '_class_name'"),
]


@pytest.mark.parametrize("src, line, col, msg", PROGRAM_ERRORS, ids=[s.split("\n")[0][:40] for s, *_ in PROGRAM_ERRORS])
def test_error_in_program(src, line, col, msg):
    errs = errors(src)
    assert any((l, c) == (line, col) and msg in m for l, c, m in errs), errs


ACCEPTED = [
    # shadowing a global and an enclosing local
    "let x = 1;\nfn main() { let x = 2.0; { let x = true; } }",
    # use before declaration at top level, globals read before their initialiser
    "fn main() { println(later()); println(G); }\nfn later() -> int { return G * 2; }\nlet G = 21;",
    "let A = B + 1;\nlet B: int = 2;\nfn main() {}",
    # missing-return rule: every way a body can end without completing
    "fn f(x: bool) -> int { if x { return 1; } else { return 2; } }\nfn main() {}",
    "fn f() -> int { while true { } }\nfn main() {}",
    "fn f() -> int { while true { for i in 0..3 { break; } } }\nfn main() {}",
    "fn f() -> int { throw new Error(\"x\"); }\nfn main() {}",
    "fn f() -> int { try { return 1; } catch e { return 2; } }\nfn main() {}",
    "fn f() -> int { try { } finally { return 3; } }\nfn main() {}",
    "fn f() -> int { { return 1; } }\nfn main() {}",
    # subclass → superclass, null → any reference, string + anything
    "class A { }\nclass B extends A { }\nfn f(a: A) -> A { return new B(); }\nfn main() { f(new B()); f(null); let s: string = null; }",
    "class A { }\nfn main() { let s = \"x\" + 1 + 2.5 + true + null + [1] + new A() + \"\"; let t = 1 + \"a\"; }",
    # == between related references, strings and null
    "class A { }\nclass B extends A { }\nfn main() { let b = new A() == new B(); let c = \"a\" == null; let d = null == null; }",
    # is / as in both directions of the hierarchy; casts of null
    "class A { }\nclass B extends A { }\nfn main() { let a: A = new B(); let x = a is B; let y = a as B; let z = (a as B) as A; let w = null as A; }",
    # array literals take their type from the context
    "fn f(xs: float[]) -> int[][] { return [[1], []]; }\nfn main() { f([1.0, 2.5]); let e: string[] = []; let n: string[] = [null, \"a\"]; var g: int[][]; g = [[], [1]]; }",
    "fn main() { let xs = [[1, 2], [3], []]; let ys = [null, \"a\"]; let zs = [[], null, [1.5]]; }",
    # compound assignment on every place, string +=
    "class P { x: float; }\nfn main() { let p = new P(); p.x *= 2.0; let a = [1]; a[0] <<= 2; var s = \"a\"; s += 1; s += null; }",
    # a class without init whose superclass init takes no parameters
    "class A { init() { } }\nclass B extends A { }\nclass C extends B { fn m() -> int { return 1; } }\nfn main() { new C(); }",
    # super calls reach inherited implementations
    "class A { fn m() -> int { return 1; } }\nclass B extends A { }\nclass C extends B { fn m() -> int { return super.m() + 1; } }\nfn main() {}",
    # main forms
    "fn main(args: string[]) -> int { return args.length; }",
    "fn main() -> int { return 0; }",
    # user errors
    "class MyError extends ValueError { init(m: string) { super.init(m); } }\nfn main() { try { throw new MyError(\"x\"); } catch e: MyError { println(e.message); } catch e { } }",
    # unreachable statements are allowed
    "fn f() -> int { return 1; return 2; }\nfn main() { while true { break; println(1); } }",
    # built-ins and string methods
    "fn main() { let a = abs(-1) + min(1, 2) + max(3, 4); let b = abs(-1.5) + min(1.0, 2.0); let c = int(2.5) + ord(chr(65)); "
    "let d = float(3) + parse_float(\"1.5\") + clock(); let e = parse_int(\" 3 \"); assert(true); assert(false, \"m\"); "
    "let s = \"abc\"; let parts = s.split(\",\"); let j = \",\".join(parts); let k = s.code_at(0) + s.index_of(\"b\") + s.length; "
    "let t = s.substring(0, 1) + s.trim() + s.upper() + s.lower() + s.replace(\"a\", \"b\") + s.repeat(2) + s[0]; "
    "let u = s.contains(\"a\") && s.starts_with(\"a\") && s.ends_with(\"c\"); print(1); println(); println([1]); }",
    # the stdlib modules
    "import math;\nimport io;\nimport time;\nfn main() { let x = math.sqrt(math.PI) + math.pow(2.0, 3.0) + math.INF + math.E; let n = math.is_nan(x); let t = time.now(); }",
    "import math as m;\nfn main() { let x = m.floor(m.PI); }",
    # keywords-like names that are not reserved
    "fn main() { let int = 1; let str = \"s\"; let string = 2; }",
]


@pytest.mark.parametrize("src", ACCEPTED, ids=[s.split("\n")[0][:40] for s in ACCEPTED])
def test_accepted(src):
    compile_ok(src)


def test_all_errors_of_a_file_are_reported():
    errs = errors("fn main() {\n let a = 1 + 1.0;\n let b: int = \"s\";\n nope();\n if 1 { }\n}\n")
    assert [(l, c) for l, c, _ in errs] == [(2, 12), (3, 15), (4, 2), (5, 5)]


def test_one_mistake_gives_one_message():
    errs = errors("fn main() {\n let x = nope;\n let y = x + 1;\n let z = x.f(y)[2] + \"a\";\n println(z.length);\n}\n")
    assert len(errs) == 1 and errs[0][:2] == (2, 10)


def test_error_limit():
    body = "\n".join("let x%d: int = 1.0;" % i for i in range(80))
    errs = errors("fn main() {\n" + body + "\n}\n")
    assert len(errs) == 51 and "too many errors" in errs[-1][2]


def test_private_names_of_modules(tmp_path):
    (tmp_path / "lib.hl").write_text("fn _hidden() -> int { return 1; }\nfn shown() -> int { return _hidden(); }\n")
    src = "import lib;\nfn main() { lib.shown(); lib._hidden(); }"
    errs = errors(src, search_dirs=[tmp_path])
    assert errs[0][:2] == (2, 30) and "private" in errs[0][2]


def test_import_cycle(tmp_path):
    (tmp_path / "a.hl").write_text("import b;\nfn fa() { }\n")
    (tmp_path / "b.hl").write_text("import a;\nfn fb() { }\n")
    (tmp_path / "main.hl").write_text("import a;\nfn main() { a.fa(); }\n")
    from compiler import CompileError, compile_program
    with pytest.raises(CompileError) as ei:
        compile_program(tmp_path / "main.hl")
    d = ei.value.diagnostics
    assert len(d) == 1 and d[0].file.endswith("b.hl") and (d[0].line, d[0].col) == (1, 1)
    assert "import cycle: a -> b -> a" in d[0].message


def test_self_import_is_a_cycle(tmp_path):
    (tmp_path / "main.hl").write_text("import main;\nfn main() { }\n")
    from compiler import CompileError, compile_program
    with pytest.raises(CompileError) as ei:
        compile_program(tmp_path / "main.hl")
    assert "import cycle" in ei.value.diagnostics[0].message


def test_errors_in_imported_module_are_reported(tmp_path):
    (tmp_path / "lib.hl").write_text("fn f() -> int { return 1.0; }\n")
    errs = errors("import lib;\nfn main() { let x: int = lib.f(); }", search_dirs=[tmp_path])
    assert len(errs) == 1 and errs[0][:2] == (1, 24)
    assert errs[0][2].startswith("type mismatch for the return value: expected int, found float")
