"""Lexical rules (language.md A1) and the grammar: literals, comments,
keywords, precedence (A7), `..` in `for`, `new`, and syntax-error messages."""

from __future__ import annotations

import pytest

from compiler import syntax as S
from compiler_support import errors, in_main, parse_module


def expr_of(src_expr: str) -> S.Expr:
    tree = parse_module(f"fn f() {{ let x = {src_expr}; }}")
    return tree.functions[0].body.stmts[0].init


def shape(e: S.Expr) -> str:
    """A parenthesized rendering that shows how an expression was grouped."""
    if isinstance(e, S.Binary):
        return f"({shape(e.left)} {e.op} {shape(e.right)})"
    if isinstance(e, S.Unary):
        return f"({e.op}{shape(e.operand)})"
    if isinstance(e, S.IsExpr):
        return f"({shape(e.expr)} is {e.target.text()})"
    if isinstance(e, S.AsExpr):
        return f"({shape(e.expr)} as {e.target.text()})"
    if isinstance(e, S.Name):
        return e.name
    if isinstance(e, S.IntLit):
        return str(e.value)
    if isinstance(e, S.Member):
        return f"{shape(e.obj)}.{e.name}"
    if isinstance(e, S.Call):
        return f"{shape(e.callee)}({', '.join(shape(a) for a in e.args)})"
    if isinstance(e, S.Index):
        return f"{shape(e.obj)}[{shape(e.index)}]"
    return type(e).__name__


# --- literals -------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("123", 123), ("1_000_000", 1_000_000), ("0xFF", 255), ("0x_ff", None), ("0b1010", 10),
    ("0b1_0", 2), ("0xFFFFFFFFFFFFFFFF", -1), ("0x8000000000000000", -(1 << 63)),
    ("9223372036854775807", (1 << 63) - 1), ("-9223372036854775808", -(1 << 63)),
])
def test_int_literals(text, value):
    if value is None:
        assert errors(in_main(f"let x = {text};"))
    else:
        assert expr_of(text).value == value


@pytest.mark.parametrize("text, value", [
    ("1.5", 1.5), ("0.25", 0.25), ("1e9", 1e9), ("2.5e-3", 2.5e-3), ("3.0E+2", 300.0), ("-0.0", -0.0),
])
def test_float_literals(text, value):
    e = expr_of(text)
    assert isinstance(e, S.FloatLit) and e.value == value
    assert str(e.value) == str(value)       # keeps the sign of -0.0


@pytest.mark.parametrize("text, line, col, msg", [
    ("9223372036854775808", 2, 9, "too large"),
    ("99999999999999999999999", 2, 9, "too large"),
    ("7" * 5000, 2, 9, "too large"),
    ("-(9223372036854775808)", 2, 11, "too large"),
    ("0x1_0000_0000_0000_0000", 2, 9, "64 bits"),
    ("0b" + "1" * 65, 2, 9, "64 bits"),
    ("1_", 2, 9, "malformed"),
    ("0x", 2, 9, "malformed"),
    ("0b102", 2, 9, "malformed binary"),
    ("1e999", 2, 9, "too large"),
    ("1.", 2, 11, "unexpected"),
    (".5", 2, 9, "unexpected"),
])
def test_bad_number_literals(text, line, col, msg):
    errs = errors(in_main(f"let x = {text};"))
    assert (line, col) == errs[0][:2], errs
    assert msg in errs[0][2]


def test_string_escapes():
    e = expr_of(r'"a\nb\tc\r\0\\\"\u{41}\u{1F600}"')
    assert e.value == 'a\nb\tc\r\0\\"A\U0001F600'


@pytest.mark.parametrize("text, col, msg", [
    (r'"ab\q"', 12, "invalid escape"),
    (r'"\u{}"', 10, "unicode escape"),
    (r'"\u{1234567}"', 10, "unicode escape"),
    (r'"\u{D800}"', 10, "scalar value"),
    (r'"\u{110000}"', 10, "scalar value"),
    (r'"\u41"', 10, "unicode escape"),
])
def test_bad_escapes(text, col, msg):
    errs = errors(in_main(f"let x = {text};"))
    assert errs[0][:2] == (2, col) and msg in errs[0][2], errs


def test_unterminated_string_and_multiline_string():
    assert errors(in_main('let s = "abc;')) [0][:3] == (2, 9, "unterminated string literal")
    assert errors(in_main('let s = "ab\ncd";'))[0][2] == "unterminated string literal"


def test_comments():
    tree = parse_module("// line\n/* block /* not nested */ fn f() { /* x */ } // end")
    assert [f.name for f in tree.functions] == ["f"]
    errs = errors("fn main() {}\n/* open")
    assert errs[0][:3] == (2, 1, "unterminated block comment")
    assert errors("fn main() {} /* a /* b */ c */")      # block comments do not nest


@pytest.mark.parametrize("word", ["fn", "class", "init", "self", "super", "in", "is", "as", "interface",
                                  "implements", "finally", "import", "null", "true"])
def test_keywords_are_reserved(word):
    errs = errors(in_main(f"let {word} = 1;"))
    assert errs[0][:2] == (2, 5)


def test_type_names_are_not_keywords():
    parse_module("fn f() { let int = 1; let str = 2; }")


def test_identifiers_are_ascii():
    errs = errors(in_main("let é = 1;"))
    assert errs[0][:3] == (2, 5, "unexpected character 'é'")


# --- precedence and grouping ------------------------------------------------------

@pytest.mark.parametrize("src, grouped", [
    ("a || b && c", "(a || (b && c))"),
    ("a == b || c != d", "((a == b) || (c != d))"),
    ("a < b == c > d", "((a < b) == (c > d))"),
    ("a | b ^ c & d", "(a | (b ^ (c & d)))"),
    ("a & b << c", "(a & (b << c))"),
    ("a << b + c", "(a << (b + c))"),
    ("a + b * c - d", "((a + (b * c)) - d)"),
    ("a - b - c", "((a - b) - c)"),
    ("a * b as C", "(a * (b as C))"),
    ("-a as C", "((-a) as C)"),
    ("a + b is C", "((a + b) is C)"),
    ("a is C == b", "((a is C) == b)"),
    ("!a.b(c)[d]", "(!a.b(c)[d])"),
    ("-~x", "(-(~x))"),
    ("a < b < c", "((a < b) < c)"),
    ("x as m.C", "(x as m.C)"),
])
def test_precedence(src, grouped):
    assert shape(expr_of(src)) == grouped


def test_range_binds_loosest():
    tree = parse_module("fn f(n: int) { for i in 0..n + 1 { } for e in xs { } }")
    r, each = tree.functions[0].body.stmts
    assert isinstance(r, S.ForRange) and shape(r.end) == "(n + 1)"
    assert isinstance(each, S.ForEach)


def test_new_forms():
    e = expr_of("new int[n]")
    assert isinstance(e, S.NewArray) and e.extra_dims == 0 and e.elem.parts == ("int",)
    e = expr_of("new m.P[3][][]")
    assert isinstance(e, S.NewArray) and e.extra_dims == 2 and e.elem.parts == ("m", "P")
    e = expr_of("new int[2][][0]")
    assert isinstance(e, S.Index) and isinstance(e.obj, S.NewArray) and e.obj.extra_dims == 1
    e = expr_of("new m.P(1, 2)")
    assert isinstance(e, S.NewObject) and e.cls.parts == ("m", "P") and len(e.args) == 2
    assert errors(in_main("let x = (new int[2])[];"))[0][2] == "expected an expression inside '[ ]'"
    assert errors(in_main("let x = a[];"))


def test_types_and_declarations():
    tree = parse_module("""
        import util.text as t;
        import math;
        let A: int[][] = null;
        var b = 1;
        fn f(a: t.P[], b: float) -> m.Q { }
        class C extends t.B { x: int; init(a: int) { } fn g() { } }
    """)
    assert [(i.path, i.alias) for i in tree.imports] == [(("util", "text"), "t"), (("math",), "math")]
    assert tree.globals[0].type_ref.dims == 2 and not tree.globals[0].mutable
    f = tree.functions[0]
    assert f.params[0].type_ref.text() == "t.P[]" and f.ret.text() == "m.Q"
    c = tree.classes[0]
    assert c.super_ref.parts == ("t", "B") and len(c.inits) == 1 and c.methods[0].name == "g"


def test_positions():
    tree = parse_module("fn f() {\n  x.y[i] += a * b;\n}")
    s = tree.functions[0].body.stmts[0]
    assert (s.line, s.col) == (2, 3)
    assert (s.target.line, s.target.col) == (2, 6)         # the '['
    assert (s.value.line, s.value.col) == (2, 15)          # the operator


# --- syntax errors ------------------------------------------------------------------

@pytest.mark.parametrize("src, pos, msg", [
    ("fn main() { let x = 1 }", (1, 22), "expected ';' after the statement"),
    ("fn main() { x = 1 +; }", (1, 20), "expected an expression"),
    ("fn main() {", (1, 12), "unexpected end of file"),
    ("fn main() { if (x) println(1); }", (1, 20), "unexpected name 'println'"),
    ("fn main() { while x { } else { } }", (1, 25), "unexpected 'else'"),
    ("fn main() { 1 ++ 2; }", (1, 16), "expected an expression"),
    ("fn main() { x = y = 1; }", (1, 19), "unexpected '='"),
    ("fn main() { let a = [1, 2,]; }", (1, 27), "expected an expression"),
    ("class C { x: int = 1; }", (1, 18), "unexpected '='"),
    ("fn main() { for i in 0.. { } }", (1, 26), "expected an expression"),
    ("x = 1;", (1, 1), "unexpected name 'x', expected one of 'class', 'fn', 'import', 'interface', 'let', 'var'"),
    ("fn main() { \\ }", (1, 13), "outside a string"),
])
def test_syntax_errors(src, pos, msg):
    errs = errors(src)
    assert errs[0][:2] == pos, errs
    assert msg in errs[0][2], errs
