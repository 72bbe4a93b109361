"""Incremental compilation for the REPL (`compiler.session`, the `repl`
grammar rule, `parser.input_status`): each snippet is a module that sees the
earlier ones, newest definition first, and a failed snippet leaves the
session as it was.  The snippets run on a real VM, as in the REPL."""

from __future__ import annotations

import pytest

from compiler import CompileError, compile_source
from compiler.parser import InputStatus, input_status
from compiler.session import Session, show_name
from hllvm import VM


class Repl:
    """A session and a VM, run as the REPL runs them (without its output)."""

    def __init__(self, search_dirs=()):
        self.session = Session(search_dirs=search_dirs)
        self.vm = VM()
        self.vm.load(self.session.prelude)

    def run(self, text: str):
        snippet = self.session.compile(text)
        self.vm.load(snippet.modules)
        self.session.commit(snippet)
        self.vm.initialise()
        return snippet

    def value(self, text: str):
        """Run `text` and return the value of the last `$N` it stored."""
        snippet = self.run(text)
        name = [d.name for d in snippet.definitions if d.kind == "value"][-1]
        return self.vm.call(snippet.module, show_name(name))

    def errors(self, text: str) -> list[str]:
        with pytest.raises(CompileError) as ei:
            self.session.compile(text)
        return [d.message for d in ei.value.diagnostics]


def test_expression_becomes_numbered_value():
    r = Repl()
    s = r.run("let x = 2; x * 21;")
    assert [(d.kind, d.name, d.text) for d in s.definitions] == [("let", "x", "int"), ("value", "$1", "int")]
    assert r.vm.call(s.module, "show$$1") == 42
    assert r.value("$1 + 1;") == 43


def test_show_functions_return_plain_values_or_str():
    r = Repl()
    assert r.value('"hi";') == "hi"
    assert r.value("1.5;") == 1.5
    assert r.value("true;") is True
    assert r.value("[1, 2];") == "[1, 2]"
    r.run('class P { fn to_string() -> string { return "a P"; } }')
    assert r.value("new P();") == "a P"


def test_void_call_and_null_are_statements():
    r = Repl()
    s = r.run("println(1); null;")
    assert s.definitions == []


def test_newest_definition_wins_and_old_values_stay():
    r = Repl()
    r.run("fn f() -> int { return 1; } var n = 5;")
    r.run("fn f() -> int { return 2; }")
    assert r.value("f();") == 2
    assert r.value("n;") == 5
    s = r.run("let n = \"text\";")
    assert s.definitions[0].replaces
    assert r.value("n;") == "text"


def test_code_compiled_earlier_keeps_its_binding():
    # Early binding, documented in docs/repl.md: g was compiled against the first f.
    r = Repl()
    r.run("fn f() -> int { return 1; } fn g() -> int { return f(); }")
    r.run("fn f() -> int { return 2; }")
    assert r.value("g();") == 1


def test_global_is_visible_to_top_level_code_from_its_declaration():
    r = Repl()
    r.run("let x = 1;")
    assert r.value("let x = x + 1; x;") == 2
    assert r.errors("println(zz); let zz = 1;") == ["unknown name 'zz'"]


def test_functions_see_all_names_of_their_snippet():
    r = Repl()
    assert r.value("fn a() -> int { return b() + k; } fn b() -> int { return 1; } let k = 10; a();") == 11


def test_classes_across_snippets():
    r = Repl()
    r.run("class Animal { fn sound() -> string { return \"...\"; } }")
    r.run("class Dog extends Animal { fn sound() -> string { return \"woof\"; } }")
    assert r.value("let a: Animal = new Dog(); a.sound();") == "woof"
    assert r.value("a is Dog;") is True


def test_imports_carry_over_and_snippet_imports_what_it_uses():
    r = Repl()
    s = r.run("import math;")
    assert [m.name for m in s.modules] == ["math", s.module]
    s = r.run("let root = math.sqrt(16.0);")
    assert s.modules[-1].imports == ("lang", "math")
    s = r.run("root + 1.0;")
    assert s.modules[-1].imports[:2] == ("lang", "$repl2")
    assert r.value("math.PI > 3.0;") is True


def test_module_names_types_and_qualified_types(tmp_path):
    (tmp_path / "geo.hl").write_text("class Point { x: int; init(x: int) { self.x = x; } }\n")
    r = Repl(search_dirs=[tmp_path])
    r.run("import geo;")
    assert r.value("let p: geo.Point = new geo.Point(3); p.x;") == 3


def test_failed_snippet_changes_nothing():
    r = Repl()
    r.run("let a = 1;")
    assert r.errors("let b = 2; let c: int = \"no\";")[0].startswith("type mismatch")
    assert r.errors("b;") == ["unknown name 'b'"]
    r.errors("import math; math.nope();")
    s = r.run("import math;")
    assert [m.name for m in s.modules] == ["math", s.module]     # loaded again, not half-kept


def test_a_file_imported_by_a_failed_snippet_is_forgotten(tmp_path):
    lib = tmp_path / "geo.hl"
    lib.write_text('fn area(w: int) -> int { return w * "no"; }\n')
    r = Repl(search_dirs=[tmp_path])
    files = dict(r.session.loader.by_path)
    assert r.errors("import geo; geo.area(3);")
    assert r.session.loader.by_path == files        # no module left behind for geo.hl
    lib.write_text("fn area(w: int) -> int { return w * w; }\n")
    s = r.run("import geo;")
    assert [m.name for m in s.modules] == ["geo", s.module]      # read again, as a new module
    assert r.value("geo.area(3);") == 9


def test_value_numbers_are_given_out_once_and_retracted_on_failure():
    r = Repl()
    r.run("1;")
    snippet = r.session.compile("2; 3 / 0;")
    r.vm.load(snippet.modules)
    r.session.commit(snippet)
    with pytest.raises(Exception):
        r.vm.initialise()
    r.session.retract_values(snippet)
    assert r.errors("$2;") == ["unknown name '$2'"]
    assert [d.name for d in r.run("4;").definitions] == ["$2"]


def test_return_outside_function_and_let_immutability():
    r = Repl()
    assert r.errors("return;") == ["'return' outside a function"]
    r.run("5;")
    assert r.errors("$1 = 6;") == ["cannot assign to '$1': it is a let binding"]


def test_dollar_names_only_in_the_repl():
    with pytest.raises(CompileError) as ei:
        compile_source("fn main() { println($1); }")
    assert [(d.col, d.message) for d in ei.value.diagnostics][0] == (21, "unexpected character '$'")


def test_statements_run_in_source_order_with_initialisers():
    out = []
    r = Repl()
    r.vm.out.target = type("W", (), {"write": lambda self, s: out.append(s), "flush": lambda self: None})()
    r.run('var n = 1; n += 1; let m = n; println(m); for i in 0..3 { n += i; } println(n);')
    r.vm.out.flush()
    assert "".join(out) == "2\n5\n"


def test_type_of_and_names():
    r = Repl()
    r.run("class P { x: int; fn m() -> string { return \"\"; } } let p = new P(); import math;")
    assert r.session.type_of("p.x") == "int"
    assert r.session.type_of("println(1)") == "void"
    assert r.session.type_of("[p]") == "P[]"
    with pytest.raises(CompileError):
        r.session.type_of("let q = 1")
    assert r.session.members("p") == ["m", "x"]
    assert "sqrt" in r.session.members("math")
    names = r.session.completions()
    assert {"p", "P", "math", "println", "while", "Error"} <= set(names)
    assert [n for n, _ in r.session.visible()] == ["math", "P", "p"]     # imports come first


def test_function_lookup_for_disassembly():
    r = Repl()
    r.run("class C { fn m() -> int { return 1; } } fn f() {}")
    desc, fns = r.session.function("f")
    assert desc.name == "$repl1" and [f.name for f in fns] == ["f"]
    assert [f.name for f in r.session.function("C")[1]] == ["init", "m"]
    assert [f.name for f in r.session.function("C.m")[1]] == ["m"]
    assert r.session.function("nothing") is None


@pytest.mark.parametrize("text, status", [
    ("let x = 2;", InputStatus.COMPLETE),
    ("", InputStatus.COMPLETE),
    ("// only a comment", InputStatus.COMPLETE),
    ("while true {}", InputStatus.COMPLETE),
    ("let x = 2", InputStatus.NEEDS_SEMICOLON),
    ("x * 21 // why", InputStatus.NEEDS_SEMICOLON),
    ("import math", InputStatus.NEEDS_SEMICOLON),
    ("$1 + 1", InputStatus.NEEDS_SEMICOLON),
    ("fn f() {", InputStatus.INCOMPLETE),
    ("fn f()", InputStatus.INCOMPLETE),           # may still get a body
    ("class A", InputStatus.INCOMPLETE),
    ("1 +", InputStatus.INCOMPLETE),
    ("f(1,\n2", InputStatus.INCOMPLETE),
    ("let a = [1,", InputStatus.INCOMPLETE),
    ("if c {} else", InputStatus.INCOMPLETE),
    ("while c {\n    f(1)", InputStatus.INCOMPLETE),   # a `;` would not end it
    ("while c {\n    f(1)\n}", InputStatus.ERROR),     # inside a block the `;` is required
    ("x /* note", InputStatus.INCOMPLETE),
    ("}", InputStatus.ERROR),
    ('"abc', InputStatus.ERROR),
    ("1 + * 2", InputStatus.ERROR),
])
def test_input_status(text, status):
    assert input_status(text)[0] is status


def test_input_status_gives_where_the_semicolon_goes():
    text = "x * 21 // why"
    status, end = input_status(text)
    assert status is InputStatus.NEEDS_SEMICOLON and text[:end] == "x * 21"


def test_part_b_declarations_and_values_across_snippets():
    r = Repl()
    s = r.run("interface Shape { fn area() -> int; }")
    assert [(d.kind, d.text) for d in s.definitions] == [("class", "interface Shape")]
    s = r.run("class Sq<T> implements Shape { v: T; fn area() -> int { return 4; } "
              "fn hash() -> int { return 1; } }")
    assert [d.text for d in s.definitions] == ["class Sq<T> implements Shape"]
    s = r.run("fn apply<T>(f: fn(T) -> T, x: T) -> T { return f(x); }")
    assert [d.text for d in s.definitions] == ["fn apply<T>(f: fn(T) -> T, x: T) -> T"]
    r.run("let k = 10; let add = fn(x: int) -> int { return x + k; };")
    assert r.value("apply(add, 5);") == 15
    r.run("let sh: Shape = new Sq<string>();")
    assert r.value("sh.area() + hash(sh);") == 5
    assert r.value("add;") == "<fn>"
    # a top-level loop variable is a local of the snippet's initialiser: captured
    r.run("var total = 0; for i in 0..3 { let f = fn() -> int { return i; }; total += f(); }")
    assert r.value("total;") == 3
    assert r.session.type_of("add") == "fn(int) -> int"
    assert r.session.type_of("new Sq<int>()") == "Sq<int>"
    assert "interface" in r.session.completions() and "implements" in r.session.completions()
    assert r.session.members("sh") == ["area"]


def test_input_status_of_generic_types():
    assert input_status("let b: Box<Box<int>> = x")[0] is InputStatus.NEEDS_SEMICOLON
    assert input_status("let f = fn(x: int) -> int {")[0] is InputStatus.INCOMPLETE
    assert input_status("interface I {")[0] is InputStatus.INCOMPLETE
