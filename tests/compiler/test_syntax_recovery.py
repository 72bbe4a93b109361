"""Syntax-error recovery (language.md A11): every independent syntax error of
a file is reported with its position, without cascades, and a program with a
syntax error gets no name or type errors."""

from __future__ import annotations

import pytest

from compiler import CompileError, compile_source
from compiler_support import errors, in_main


def test_three_syntax_errors_in_three_functions():
    src = (
        "fn f() -> int {\n"          # 1
        "    let x = 1 + * 2;\n"     # 2: '*' at col 17
        "    return x;\n"
        "}\n"
        "fn g() {\n"                 # 5
        "    foo(1 2);\n"            # 6: '2' at col 11
        "    let y = 3;\n"
        "}\n"
        "fn main() {\n"              # 9
        "    if true { let = 4; }\n"  # 10: '=' at col 19
        "    print(\"ok\");\n"
        "}\n"
    )
    errs = errors(src)
    assert [(line, col) for line, col, _ in errs] == [(2, 17), (6, 11), (10, 19)]
    assert errs[0][2] == "unexpected '*', expected an expression"
    assert errs[1][2].startswith("unexpected number '2'")
    assert errs[2][2].startswith("unexpected '='")


def test_missing_semicolon_gives_one_error_at_the_end_of_its_line():
    src = in_main("let a = 1\nlet b = a + 2;\nprint(str(b));")
    assert errors(src) == [(2, 10, "expected ';' after the statement")]


def test_missing_semicolon_before_closing_brace():
    errs = errors("fn main() {\n    print(\"a\")\n}\n")
    assert errs == [(2, 15, "expected ';' after the statement")]


def test_unbalanced_braces_resynchronise_at_the_next_declaration():
    src = ("fn f() {\n    if true {\n        print(\"a\");\n\n"   # `if` block never closed
           "fn main() {\n    print(\"b\")\n}\n")
    errs = errors(src)
    # `fn` may start a function literal inside a block: the name after it
    # shows the declaration, reported at its `fn`.
    assert errs[0][:2] == (5, 1) and "is a '}' missing before 'fn main'" in errs[0][2], errs


def test_stray_closing_brace_at_top_level():
    errs = errors("fn f() { }\n}\nfn main() { let x = ; }\n")
    assert [(line, col) for line, col, _ in errs] == [(2, 1), (3, 21)]


def test_lexical_errors_are_reported_with_syntax_errors():
    src = in_main('let s = "abc;\nlet t = 1;\nlet u = 2 ^^ 3;\nlet v = #;')
    errs = errors(src)
    assert errs[0][:2] == (2, 9) and errs[0][2] == "unterminated string literal"
    # The `;` the string swallowed is not reported again.
    assert [(line, col) for line, col, _ in errs] == [(2, 9), (4, 12), (5, 9)]


def test_syntax_errors_suppress_type_errors():
    # `x` is unknown and `"a" + 1` ill-typed, but only the syntax error counts.
    src = in_main('let a: int = "a" + 1;\nprint(x);\nlet b = 1 +;')
    errs = errors(src)
    assert len(errs) == 1 and errs[0][:2] == (4, 12)


def test_member_list_recovery_in_a_class():
    src = ("class C {\n    x: int\n    fn m() -> int { return 1 }\n    fn k() { }\n"
           "    y int;\n    fn n() { }\n}\nfn main() { }\n")
    errs = errors(src)
    assert [(line, col) for line, col, _ in errs] == [(2, 11), (3, 29), (5, 7)]


def test_error_count_is_limited():
    body = "\n".join("let x = ;" for _ in range(80))
    with pytest.raises(CompileError) as info:
        compile_source(in_main(body))
    msgs = [d.message for d in info.value.diagnostics]
    assert len(msgs) == 51 and msgs[-1].startswith("too many errors")


def test_unterminated_comment_stops_the_parse():
    errs = errors(in_main("let a = ;\n/* never closed\nlet b = ;"))
    assert [m for _, _, m in errs] == ["unexpected ';', expected an expression",
                                        "unterminated block comment"]


def test_syntax_error_in_an_imported_module_suppresses_checking(tmp_path):
    (tmp_path / "util.hl").write_text("fn helper() -> int { return 1 + ; }\n", encoding="utf-8")
    src = 'import util;\nfn main() {\n    let s: string = 1;\n}\n'
    with pytest.raises(CompileError) as info:
        compile_source(src, search_dirs=[tmp_path])
    diags = info.value.diagnostics
    assert [(d.file.endswith("util.hl"), d.line, d.col) for d in diags] == [(True, 1, 33)]
