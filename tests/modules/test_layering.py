"""hllvm/ takes bytecode only: no module under it imports the compiler or
Lark, not even inside a function (vm.md §1)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"compiler", "lark"}


def _imports(tree: ast.AST):
    for node in ast.walk(tree):             # every scope: lazy imports count too
        if isinstance(node, ast.Import):
            for a in node.names:
                yield node.lineno, a.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_nothing_under_hllvm_imports_the_compiler_or_lark():
    files = sorted((ROOT / "hllvm").rglob("*.py"))
    assert len(files) > 20
    bad = []
    for f in files:
        tree = ast.parse(f.read_text(encoding="utf-8"), str(f))
        for line, name in _imports(tree):
            if name.split(".")[0] in FORBIDDEN:
                bad.append(f"{f.relative_to(ROOT)}:{line}: import {name}")
    assert bad == []


def test_the_check_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    import compiler\n    from lark import Lark\n")
    assert [n for _l, n in _imports(tree)] == ["compiler", "lark"]


def test_importlib_by_name_is_not_used_to_hide_the_compiler():
    for f in (ROOT / "hllvm").rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "import_module(\"compiler" not in text and "import_module('compiler" not in text, f
