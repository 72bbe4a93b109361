"""Diagnostics people expect (language.md A11, "Diagnostics"): "did you mean"
for unknown names, hints for the habits of other languages, a missing `;`
reported where it is missing, and every error of a file reported once."""

from __future__ import annotations

import time

import pytest

from compiler import hints
from compiler.suggest import distance, nearest, stdlib_module
from compiler_support import errors, in_main


def only(src: str, **kw) -> tuple[int, int, str]:
    """The one diagnostic of `src`."""
    errs = errors(src, **kw)
    assert len(errs) == 1, errs
    return errs[0]


# --- the distance and the choice -----------------------------------------------------

@pytest.mark.parametrize("a, b, d", [
    ("length", "length", 0), ("lenght", "length", 1), ("cuont", "count", 1), ("prinln", "println", 1),
    ("abc", "", 3), ("kitten", "sitting", 3), ("ca", "abc", 3), ("ab", "ba", 1),
])
def test_distance_counts_a_transposition_as_one(a, b, d):
    assert distance(a, b) == d
    assert distance(b, a) == d


def test_nearest_threshold_is_a_third_of_the_length():
    assert nearest("lenght", ["width", "length"]) == "length"
    assert nearest("abcdef", ["abcxyz"]) is None            # 3 edits > 6 // 3
    assert nearest("abcdef", ["abcdxy"]) == "abcdxy"        # 2 edits
    assert nearest("cnt", ["count"]) is None                 # 2 edits > max(1, 3 // 3)


def test_nearest_ignores_case_and_underscores_first():
    assert nearest("indexOf", ["index_of", "in"]) == "index_of"
    assert nearest("Println", ["print", "println"]) == "println"
    assert nearest("x", ["y", "X"]) == "X"
    assert nearest("x", ["y", "z"]) is None                 # a one-letter name matches only up to case


def test_nearest_never_suggests_the_name_itself_or_synthetic_names():
    assert nearest("value", ["value", "$1value"]) is None


def test_nearest_ties_go_to_the_better_exact_match_then_to_the_first():
    assert nearest("ab", ["ac", "ad"]) == "ac"
    assert nearest("ab", ["ad", "ac"]) == "ad"
    assert nearest("Abc", ["abd", "Abd"]) == "Abd"


def test_standard_library_index():
    assert stdlib_module("sqrt") == "math"
    assert stdlib_module("List") == "collections"
    assert stdlib_module("math") == "math"
    assert stdlib_module("_grow") is None and stdlib_module("println") is None


# --- did you mean ---------------------------------------------------------------------

@pytest.mark.parametrize("body, pos, msg", [
    ("let length = 3;\nprintln(lenght);", (3, 9), "unknown name 'lenght'; did you mean 'length'?"),
    ("prinln(1);", (2, 1), "unknown function 'prinln'; did you mean 'println'?"),
    ("let x = ture;", (2, 9), "unknown name 'ture'; did you mean 'true'?"),
    ("retrun;", (2, 1), "unknown name 'retrun'; did you mean 'return'?"),
    ("let x: Strng = \"a\";", (2, 8), "unknown type 'Strng'; did you mean 'string'?"),
    ("let x = None;", (2, 9), "unknown name 'None'; did you mean 'null'?"),
    ("let x = nil;", (2, 9), "unknown name 'nil'; did you mean 'null'?"),
    ("let x = True;", (2, 9), "unknown name 'True'; did you mean 'true'?"),
    ("while true { brek; }", (2, 14), "unknown name 'brek'; did you mean 'break'?"),
    ("let s: String = \"a\";", (2, 8), "unknown type 'String'; did you mean 'string'?"),
    ("let b: boolean = true;", (2, 8), "unknown type 'boolean'; did you mean 'bool'?"),
    ("let d: double = 1.0;", (2, 8), "unknown type 'double'; did you mean 'float'?"),
    ("let n: long = 1;", (2, 8), "unknown type 'long'; did you mean 'int'?"),
    ("let xs = [1];\nprintln(sx);", (3, 9), "unknown name 'sx'; did you mean 'xs'?"),
])
def test_unknown_names_suggest_the_nearest(body, pos, msg):
    assert only(in_main(body)) == (*pos, msg)


def test_globals_functions_and_classes_are_candidates():
    src = ("let counter = 0;\nfn compute() -> int { return 1; }\nclass Point { }\n"
           "fn main() {\n    println(countr);\n    println(compte());\n    let p: Pont = null;\n}\n")
    assert errors(src) == [
        (5, 13, "unknown name 'countr'; did you mean 'counter'?"),
        (6, 13, "unknown function 'compte'; did you mean 'compute'?"),
        (7, 12, "unknown type 'Pont'; did you mean 'Point'?"),
    ]


def test_a_class_called_without_new_is_suggested_with_new():
    src = "class Point { }\nfn main() { let p = Pointt(); }\n"
    assert only(src)[2] == "unknown function 'Pointt'; did you mean 'new Point(...)'?"


def test_inner_locals_come_first():
    src = "fn main() {\n    let total = 1;\n    for totl in [1] {\n        println(tota);\n    }\n}\n"
    assert only(src)[2] == "unknown name 'tota'; did you mean 'totl'?"


def test_locals_declared_later_are_not_suggested():
    src = in_main("println(valeu);\nlet value = 1;")
    assert only(src)[2] == "unknown name 'valeu'"


def test_members_of_classes_and_interfaces():
    src = ("interface Shape { fn area() -> float; }\n"
           "class Sq implements Shape { side: float; init(s: float) { self.side = s; }\n"
           "    fn area() -> float { return self.side; } }\n"
           "fn main() {\n    let q = new Sq(1.0);\n    println(q.sied);\n    println(q.aera());\n"
           "    let s: Shape = q;\n    println(s.are());\n}\n")
    assert errors(src) == [
        (6, 15, "class 'Sq' has no field 'sied'; did you mean 'side'?"),
        (7, 15, "class 'Sq' has no method 'aera'; did you mean 'area'?"),
        (9, 15, "interface 'Shape' has no method 'are'; did you mean 'area'?"),
    ]


def test_inherited_members_and_super_calls():
    src = ("class A { fn speak() { } }\nclass B extends A {\n    fn talk() { super.speek(); self.spek(); }\n}\n"
           "fn main() { }\n")
    assert errors(src) == [
        (3, 23, "superclass 'A' has no method 'speek'; did you mean 'speak'?"),
        (3, 37, "class 'B' has no method 'spek'; did you mean 'speak'?"),
    ]


def test_java_getters_read_the_field():
    src = "class P { name: string; init() { self.name = \"a\"; } }\nfn main() { let p = new P(); p.getName(); }\n"
    assert only(src)[2] == "class 'P' has no method 'getName'; fields are read directly: 'p.name'"


def test_missing_interface_method_points_at_the_misspelt_one():
    src = ("interface Shape { fn area() -> float; }\n"
           "class Sq implements Shape { fn aera() -> float { return 1.0; } }\nfn main() { }\n")
    assert only(src) == (2, 7, "class 'Sq' does not implement method 'area' of interface 'Shape' "
                               "(fn() -> float); is its method 'aera' meant to be 'area'?")


def test_modules_imported_and_not():
    assert only(in_main("let v = sqrt(2.0);"))[2] == (
        "unknown function 'sqrt'; 'sqrt' is in module 'math': add 'import math;' and write 'math.sqrt'")
    assert only(in_main("let v = math.sqrt(2.0);"))[2] == (
        "unknown name 'math'; module 'math' is not imported: add 'import math;'")
    assert only("import math;\n" + in_main("let v = sqrt(2.0);"))[2] == (
        "unknown function 'sqrt'; did you mean 'math.sqrt'?")
    assert only("import math;\n" + in_main("let v = math.sqr(2.0);"))[2] == (
        "module 'math' has no member 'sqr'; did you mean 'sqrt'?")
    assert only("import math;\n" + in_main("let v = math.pi;"))[2] == (
        "module 'math' has no member 'pi'; did you mean 'PI'?")


def test_module_imported_under_another_name():
    err = only("import math as m;\n" + in_main("let v = math.sqrt(2.0);"))[2]
    assert err == "unknown name 'math'; module 'math' is imported as 'm'"


def test_types_from_modules():
    assert only(in_main("let xs: List<int> = null;"))[2] == (
        "unknown type 'List'; 'List' is in module 'collections': add 'import collections;' and "
        "write 'collections.List'")
    assert only("import collections;\n" + in_main("let xs: List<int> = null;"))[2] == (
        "unknown type 'List'; did you mean 'collections.List'?")
    assert only("import collections;\n" + in_main("let m: collections.Mapp<int, int> = null;"))[2] == (
        "module 'collections' has no class 'Mapp'; did you mean 'Map'?")
    assert only("import collections;\n" + in_main("let m: colections.List<int> = null;"))[2] == (
        "unknown module 'colections'; did you mean 'collections'?")


def test_an_import_that_is_not_found_names_the_nearest_module(tmp_path):
    (tmp_path / "helpers.hl").write_text("fn h() { }\n", encoding="utf-8")
    errs = errors("import maths;\nimport helper;\nfn main() { }\n", search_dirs=[tmp_path])
    assert errs[0][2].startswith("cannot find module 'maths'") and errs[0][2].endswith("; did you mean 'math'?")
    assert errs[1][2].endswith("; did you mean 'helpers'?")


def test_type_parameters_are_candidates():
    src = "fn first<Item>(xs: Item[]) -> Itme { return xs[0]; }\nfn main() { }\n"
    assert only(src)[2] == "unknown type 'Itme'; did you mean 'Item'?"


def test_suggestions_in_the_repl_see_earlier_snippets():
    from compiler.session import Session
    from compiler import CompileError
    s = Session()
    s.commit(s.compile("let counter = 1;"))
    with pytest.raises(CompileError) as e:
        s.compile("println(countr);")
    assert e.value.diagnostics[0].message == "unknown name 'countr'; did you mean 'counter'?"


# --- habits of other languages, found by the checker --------------------------------------

_METHOD = "class C {\n    x: int;\n    init() { self.x = 0; }\n    fn get() -> int { return 1; }\n    fn m() {\n"


@pytest.mark.parametrize("line, col, msg", [
    ("        println(x);", 17, "unknown name 'x'; did you mean 'self.x'?"),
    ("        x = 2;", 9, "unknown name 'x'; did you mean 'self.x'?"),
    ("        println(get());", 17, "unknown function 'get'; did you mean 'self.get(...)'?"),
    ("        println(this.x);", 17, "unknown name 'this'; use 'self' for the object the method was called on"),
    ("        let f = fn() -> int { return x; };", 38, "unknown name 'x'; did you mean 'self.x'?"),
])
def test_inside_a_method(line, col, msg):
    assert only(_METHOD + line + "\n    }\n}\nfn main() { }\n") == (6, col, msg)


def test_this_outside_a_method():
    assert only(in_main("let t = this;"))[2] == "unknown name 'this'; HL calls the current object 'self', inside methods"


@pytest.mark.parametrize("body, col, msg", [
    ("let xs = [1];\nprintln(xs.length());", 12, "'length' is a property of int[], not a method: write 'xs.length'"),
    ("let s = \"ab\";\nprintln(s.length());", 11, "'length' is a property of string, not a method: write 's.length'"),
    ("let xs = [1];\nprintln(len(xs));", 9,
     "unknown function 'len'; HL has no len(): the length of a string or an array is 'xs.length'"),
    ("let s = \"ab\";\nprintln(s.size());", 11, "string has no method 'size'; the length is the property 's.length'"),
    ("let xs = [1];\nprintln(xs.size);", 12, "int[] has no member 'size'; the length is the property 'xs.length'"),
    ("let xs = [1];\nprintln(xs.count());", 12, "int[] has no method 'count'; the length is the property 'xs.length'"),
    ("let s = \"ab\";\nprintln(s.lenght);", 11, "string has no member 'lenght'; did you mean 's.length'?"),
    ("let s = \"ab\";\nprintln(s.toUpperCase());", 11, "string has no method 'toUpperCase'; did you mean 'upper'?"),
    ("let s = \"ab\";\nprintln(s.startsWith(\"a\"));", 11,
     "string has no method 'startsWith'; did you mean 'starts_with'?"),
    ("let s = \"ab\";\nprintln(s.charAt(0));", 11,
     "string has no method 'charAt'; a character is 's[i]' (a string), its code 's.code_at(i)'"),
    ("let s = \"ab\";\nprintln(s.uper());", 11, "string has no method 'uper'; did you mean 'upper'?"),
    ("let xs = [1];\nxs.push(2);", 4,
     "int[] has no method 'push'; an array has a fixed length: a growable list is collections.List"),
    ("let xs = [1];\nxs.sort();", 4, "int[] has no method 'sort'; sort an array with 'collections.sort(xs)'"),
    ("let xs = [1];\nlet ys = xs.clone();", 13, "int[] has no method 'clone'; did you mean 'copy'?"),
    ("for i in range(3) { }", 10, "unknown function 'range'; a range is written 'a..b': 'for i in 0..n { ... }'"),
    ("console.log(1);", 1, "unknown name 'console'; print with 'println(...)'"),
    ("println(Math.sqrt(2.0));", 9, "unknown name 'Math'; did you mean module 'math'? (add 'import math;')"),
])
def test_strings_arrays_and_foreign_functions(body, col, msg):
    line, c, m = only(in_main(body))
    assert (c, m) == (col, msg)


def test_int_and_float_comparison_says_to_convert():
    assert only(in_main("let b = 1 == 1.5;"))[2] == (
        "cannot compare int with float using '==' (there is no implicit int/float conversion: "
        "use float(x) or int(x))")


def test_a_method_value_where_its_result_was_wanted():
    src = "class C { fn n() -> int { return 1; } }\nfn main() { let c = new C(); let k: int = c.n; }\n"
    assert only(src)[2] == "type mismatch for 'k': expected int, found fn() -> int (a function: call it with '()')"


@pytest.mark.parametrize("body, msg", [
    ("let x = \"a\";\nif x is null { }", "'is' tests a class; test for null with 'x == null'"),
    ("let x = \"a\";\nif x is None { }", "'is' tests a class; test for null with 'x == null'"),
])
def test_is_null_is_one_error(body, msg):
    assert only(in_main(body)) == (3, 9, msg)


def test_prefix_decrement_statement():
    assert only(in_main("var i = 0;\n--i;")) == (3, 1, "HL has no '--' operator: write 'i -= 1'")
    errors_free = "fn main() { var i = 0; println(--i); let j = - -i; }\n"
    from compiler import compile_source
    compile_source(errors_free)


# --- habits of other languages, found by the parser ------------------------------------------

@pytest.mark.parametrize("src, pos, msg", [
    (in_main("var i = 0;\ni++;"), (3, 2), "HL has no '++' operator: write 'i += 1'"),
    (in_main("var i = 0;\n++i;"), (3, 1), "HL has no '++' operator: write 'i += 1'"),
    (in_main("var i = 0;\ni--;"), (3, 2), "HL has no '--' operator: write 'i -= 1'"),
    (in_main("let xs = [1];\nxs[0]++;"), (3, 6), "HL has no '++' operator: write 'xs[0] += 1'"),
    (in_main("let a = true;\nif a and a { }"), (3, 6), "HL writes 'and' as '&&'"),
    (in_main("let a = true;\nlet b = a or a;"), (3, 11), "HL writes 'or' as '||'"),
    (in_main("let a = true;\nif not a { }"), (3, 4), "HL writes 'not' as '!'"),
    (in_main("let a = 1;\nif a > 0 { } elif a < 0 { }"), (3, 14), "HL writes 'elif' as 'else if'"),
    (in_main("let x = \"a\";\nif x is not null { }"), (3, 6), "HL has no 'is not': test for a value with '!= null'"),
    (in_main("x := 1;"), (2, 3), "HL has no ':=': declare with 'let x = ...' (or 'var x = ...' for a variable "
                                 "that changes)"),
    (in_main("int n = 4;"), (2, 1), "a variable is declared as 'let n: int = ...' (or 'var'), not 'int n'"),
    (in_main("const k = 3;"), (2, 1), "HL declares a constant with 'let': write 'let k = ...'"),
    (in_main("let mut z = 5;"), (2, 5), "a variable that changes is declared with 'var': write 'var z'"),
    (in_main("let z int = 5;"), (2, 7), "a type is written after ':': 'z: int'"),
    (in_main("for (let i = 0; i < 3; i += 1) { }"), (2, 5),
     "HL's 'for' has no parentheses: write 'for i in 0..n { ... }' or 'for x in xs { ... }'"),
    (in_main("retrun 1;"), (2, 1), "unknown keyword 'retrun'; did you mean 'return'?"),
    (in_main("whiel true { }"), (2, 1), "unknown keyword 'whiel'; did you mean 'while'?"),
    (in_main("let s = 'a';"), (2, 9), "unexpected character \"'\" (strings are written in double quotes)"),
    (in_main("let s = true ? 1 : 2;"), (2, 14), "unexpected character '?' (HL has no '?' operators: use 'if')"),
    (in_main("# note"), (2, 1), "unexpected character '#' (a comment starts with '//')"),
    (in_main("if true { };"), (2, 12), "unexpected ';': nothing follows the '}' of a block or declaration"),
    ("function main() { }", (1, 1), "HL declares functions with 'fn', not 'function'"),
    ("def main() { }", (1, 1), "HL declares functions with 'fn', not 'def'"),
    ("func main() { }", (1, 1), "HL declares functions with 'fn', not 'func'"),
    ("main() { }", (1, 1), "a function is declared with 'fn': write 'fn main(...)'"),
    ("clas P { }\nfn main() { }", (1, 1), "unknown keyword 'clas'; did you mean 'class'?"),
    ("int x = 3;\nfn main() { }", (1, 1), "a variable is declared as 'let x: int = ...' (or 'var'), not 'int x'"),
    ("const X = 3;\nfn main() { }", (1, 1), "HL declares a constant with 'let': write 'let X = ...'"),
    ("fn f(): int { return 1; }\nfn main() { }", (1, 7), "the result type is written after '->': 'fn f() -> int'"),
    ("fn f(x) { }\nfn main() { }", (1, 6), "parameter 'x' needs a type, as in 'x: int'"),
    ("fn f(int x) { }\nfn main() { }", (1, 6), "a parameter is declared as 'x: int', not 'int x'"),
    ("fn f(x int) { }\nfn main() { }", (1, 8), "a type is written after ':': 'x: int'"),
    ("fn f(x: int = 1) { }\nfn main() { }", (1, 13), "unexpected '=': a parameter has no default value"),
    ("class C { fn area(self) -> int { return 1; } }\nfn main() { }", (1, 19),
     "'self' is not declared: every method has it"),
    ("class C { area() -> int { return 1; } }\nfn main() { }", (1, 11),
     "a method is declared with 'fn': write 'fn area(...)'"),
    ("class C { def area() -> int { return 1; } }\nfn main() { }", (1, 11),
     "HL declares functions with 'fn', not 'def'"),
    ("class C { constructor() { } }\nfn main() { }", (1, 11), "a class's constructor is written 'init(...) { ... }'"),
    ("class C { int y; }\nfn main() { }", (1, 11), "a field is declared as 'y: int', not 'int y'"),
    ("class C { y int; }\nfn main() { }", (1, 13), "a type is written after ':': 'y: int'"),
    ("class C { x: int = 0; }\nfn main() { }", (1, 18), "unexpected '=': a field has no initial value here; "
                                                       "set it in 'init'"),
    ("class A { }\nclass B extends A { init() { super(); } }\nfn main() { }", (2, 30),
     "the superclass's init is called as 'super.init(...)'"),
    ("class C { };\nfn main() { }", (1, 12), "unexpected ';': nothing follows the '}' of a block or declaration"),
    ("fn main() { if true: { } }", (1, 20), "a block is written in braces, not after ':': 'if x { ... }'"),
    (in_main("let x = 1;\nif x = 1 { }"), (3, 6), "'=' assigns, as a statement; to compare, write '=='"),
    (in_main("var x = 1;\nx = x = 2;"), (3, 7), "unexpected '=': HL has no chained assignment; assign each "
                                              "variable on its own"),
    (in_main("let a = 1;\nlet b = a === 1;"), (3, 11), "HL has no '===': '==' compares values (strings by their text)"),
    (in_main("let a = 1;\nlet b = a !== 1;"), (3, 11), "HL has no '!==': '!=' compares values (strings by their text)"),
    (in_main("try { } catch (e: Error) { }"), (2, 15), "HL's 'catch' has no parentheses: write 'catch e: Error { ... }'"),
    ('import "math";\nfn main() { }', (1, 8), "a module is imported by its name: 'import math;'"),
])
def test_parser_hints(src, pos, msg):
    assert only(src) == (*pos, msg)


def test_repairs_let_the_rest_of_the_statement_be_read():
    # `=` read as `==`, `===` as `==`, `elif` as `else if`: the next mistake on the line is found too.
    assert [e[2] for e in errors(in_main("let x = 1;\nif x = 1 and x === 1 { }"))] == [
        "'=' assigns, as a statement; to compare, write '=='", "HL writes 'and' as '&&'",
        "HL has no '===': '==' compares values (strings by their text)"]


def test_a_call_at_the_top_level_is_not_taken_for_a_declaration():
    # After a stray `}` closes main, `println(x);` is no function missing its `fn`.
    errs = errors("fn main() {\n    let x = 1;\n}\n    println(x);\n}\n")
    assert errs == [(4, 5, "unexpected name 'println', expected one of 'class', 'fn', 'import', "
                           "'interface', 'let', 'var', end of file")]


def test_skipping_does_not_stop_at_a_function_literal():
    # `fn(string)` after the skipped `++` is a type, not a literal to resume at.
    errs = errors(in_main("let p = fn(s: string) { };\np(\"a\"); ++\nlet q: fn(string) = p;"))
    assert [e[2] for e in errs] == ["HL has no '++' operator: write 'x += 1'"]


def test_plus_plus_between_two_operands_is_no_increment():
    err = only(in_main("let a = 1;\nlet b = a ++ a;"))
    assert "++" not in err[2] and err[2].startswith("unexpected '+'")


def test_a_variable_named_like_a_word_operator_is_still_a_variable():
    from compiler import compile_source
    compile_source(in_main("let and = 1;\nlet or = and + 1;\nlet elif = or;\nprintln(elif);"))


# --- a missing ';' ------------------------------------------------------------------------------

@pytest.mark.parametrize("src, pos, what", [
    (in_main("let a = 1\nlet b = 2;"), (2, 10), "the statement"),
    (in_main("println(1)\nprintln(2);"), (2, 11), "the statement"),
    (in_main("let a = 1 // one\nlet b = 2;"), (2, 10), "the statement"),
    (in_main("let a = 1 let b = 2;"), (2, 10), "the statement"),
    (in_main("while true {\n    break\n}"), (3, 10), "the statement"),
    ("fn f() -> int {\n    return 1\n}\nfn main() { }", (2, 13), "the statement"),
    ("fn main() { let x = 1 }", (1, 22), "the statement"),
    ("import math\nfn main() { }", (1, 12), "the import"),
    ("let g = 1\nfn main() { }", (1, 10), "the declaration"),
    ("class C {\n    x: int\n}\nfn main() { }", (2, 11), "the field"),
    ("interface I {\n    fn f() -> int\n}\nfn main() { }", (2, 18), "the method's signature"),
])
def test_missing_semicolon_is_reported_after_the_last_token(src, pos, what):
    assert only(src) == (*pos, f"expected ';' after {what}")


def test_missing_semicolons_do_not_hide_the_errors_after_them():
    src = in_main("let a = 1\nlet b = a +;\nlet c = 2\nprintln(c)")
    assert [e[:2] for e in errors(src)] == [(2, 10), (3, 12), (4, 10), (5, 11)]


# --- every error, once -----------------------------------------------------------------------------

def test_every_mistake_of_a_file_is_reported_once():
    src = ("fn main() {\n"                          # 1
           "    let a = true\n"                     # 2  missing ;
           "    if a and false { }\n"               # 3  and
           "    if a { } elif a { }\n"              # 4  elif
           "    var i = 0;\n"
           "    i++;\n"                             # 6  ++
           "    x := 3;\n"                          # 7  :=
           "    for (var j = 0; j < 3; j += 1) {\n"  # 8  C for
           "        println(j);\n"
           "    }\n"
           "    if not a { }\n"                     # 11 not
           "    println(a)\n"                       # 12 missing ;
           "}\n"
           "def helper() { }\n"                     # 14 def
           "clas P { }\n"                           # 15 keyword typo
           "fn last(): int { return 1; }\n")        # 16 ':'
    assert [e[0] for e in errors(src)] == [2, 3, 4, 6, 7, 8, 11, 12, 14, 15, 16]


def test_a_reserved_word_in_a_type_is_one_error():
    assert len(errors(in_main("let x: null = 1;"))) == 1


def test_hints_past_the_error_limit_are_not_computed(monkeypatch):
    calls = []
    real = hints.unknown_name
    monkeypatch.setattr(hints, "unknown_name", lambda *a, **k: calls.append(1) or real(*a, **k))
    names = "\n".join(f"let g{i} = {i};" for i in range(2000))
    uses = "\n".join(f"println(h{i});" for i in range(2000))
    start = time.perf_counter()
    errs = errors(names + "\n" + in_main(uses))
    assert len(errs) == 51 and len(calls) == 50
    assert time.perf_counter() - start < 30
