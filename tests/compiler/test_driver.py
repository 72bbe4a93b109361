"""The public API: `compile_program`, `compile_source`, `Program` and
`CompileError` (its diagnostics and their A11 rendering)."""

from __future__ import annotations

import pytest

from compiler import CompileError, Diagnostic, Program, compile_program, compile_source


def test_compile_error_format():
    with pytest.raises(CompileError) as ei:
        compile_source("fn main() {\n\tlet x: int = 1.5;\n}\n", filename="prog.hl")
    e = ei.value
    assert not getattr(e, "internal", False)
    (d,) = e.diagnostics
    assert isinstance(d, Diagnostic)
    assert (d.file, d.line, d.col) == ("prog.hl", 2, 15)
    assert d.source_line == "\tlet x: int = 1.5;"
    lines = e.format().split("\n")
    assert lines[0] == "prog.hl:2:15: error: type mismatch for 'x': expected int, found float" \
                       " (there is no implicit int/float conversion: use float(x) or int(x))"
    assert lines[1] == "    \tlet x: int = 1.5;"
    assert lines[2] == "    \t" + " " * 13 + "^"
    assert str(e) == e.format()


def test_diagnostics_sorted_by_position():
    with pytest.raises(CompileError) as ei:
        compile_source("fn main() { let a: int = \"s\"; }\nfn f() -> int { }\n")
    assert [(d.line, d.col) for d in ei.value.diagnostics] == [(1, 26), (2, 4)]


def test_compile_source_with_search_dirs(tmp_path):
    (tmp_path / "helper.hl").write_text("fn seven() -> int { return 7; }\n")
    prog = compile_source("import helper;\nfn main() { println(helper.seven()); }", name="app",
                          search_dirs=[tmp_path])
    assert isinstance(prog, Program)
    assert [m.name for m in prog.modules] == ["lang", "helper", "app"] and prog.entry == "app"
    assert str((tmp_path / "helper.hl").resolve()) in prog.sources


def test_import_searches_importer_directory_first(tmp_path):
    (tmp_path / "math.hl").write_text("fn sqrt(x: float) -> float { return x; }\n")
    (tmp_path / "main.hl").write_text("import math;\nfn main() { math.sqrt(1.0); }\n")
    prog = compile_program(tmp_path / "main.hl")
    user_math = prog.modules[1]
    assert user_math.name == "math" and not any(f.flags for f in user_math.functions)


def test_function_without_body_only_in_stdlib(tmp_path):
    with pytest.raises(CompileError) as ei:
        compile_source("fn native() -> int;\nfn main() {}")
    assert ei.value.diagnostics[0].message == "function without a body"


def test_module_may_not_be_named_lang(tmp_path):
    p = tmp_path / "lang.hl"
    p.write_text("fn main() {}\n")
    with pytest.raises(CompileError) as ei:
        compile_program(p)
    assert "may not be named 'lang'" in ei.value.diagnostics[0].message


def test_missing_file(tmp_path):
    with pytest.raises(CompileError) as ei:
        compile_program(tmp_path / "nope.hl")
    assert "cannot read" in ei.value.diagnostics[0].message


def test_non_utf8_source(tmp_path):
    p = tmp_path / "bad.hl"
    p.write_bytes(b"fn main() {\n  let s = \"\xff\";\n}\n")
    with pytest.raises(CompileError) as ei:
        compile_program(p)
    d = ei.value.diagnostics[0]
    assert (d.line, d.col) == (2, 12) and "UTF-8" in d.message


def test_non_utf8_imported_module(tmp_path):
    (tmp_path / "lib.hl").write_bytes(b"\xfe\n")
    (tmp_path / "main.hl").write_text("import lib;\nfn main() {}\n")
    with pytest.raises(CompileError) as ei:
        compile_program(tmp_path / "main.hl")
    d = ei.value.diagnostics[0]
    assert d.file.endswith("lib.hl") and "UTF-8" in d.message


def test_byte_order_mark_is_ignored(tmp_path):
    p = tmp_path / "bom.hl"
    p.write_bytes("\ufefffn main() {}\n".encode("utf-8"))
    compile_program(p)


def test_deep_nesting_is_an_error_not_a_crash():
    src = "fn main() { let x = " + "(" * 3000 + "1" + ")" * 3000 + "; }"
    try:
        compile_source(src)
    except CompileError as e:
        assert not getattr(e, "internal", False)
    long_chain = "fn main() { let x = 0" + " + 1" * 5000 + "; }"
    compile_source(long_chain)


def test_compiling_twice_gives_identical_modules():
    src = "class P { x: int; }\nfn main() { println([new P()]); }"
    assert compile_source(src).modules == compile_source(src).modules


def test_compile_modules_as_library(tmp_path):
    from compiler import compile_modules, stdlib_module_names
    assert {"lang", "math", "io", "time"} <= set(stdlib_module_names())
    (tmp_path / "lib.hl").write_text("import math;\nfn f() -> float { return math.PI; }\n")
    mods = compile_modules("lib", tmp_path / "lib.hl", search_dirs=[tmp_path])
    assert [m.name for m in mods] == ["lang", "math", "lib"]
    assert [m.name for m in compile_modules("math")] == ["lang", "math"]
    assert [m.name for m in compile_modules("lang")] == ["lang"]
    assert [m.name for m in compile_modules("lib", search_dirs=[tmp_path])] == ["lang", "math", "lib"]
    with pytest.raises(CompileError):
        compile_modules("nowhere", search_dirs=[tmp_path])
