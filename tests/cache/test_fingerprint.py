"""The compiler's fingerprint (hl/cache.py) changes whenever a file of the
compiler, the bytecode format or the standard library changes, is added,
removed or renamed; it is made of names, sizes and mtimes, never of
contents.  Checked on copies of the three folders, never the real tree."""

from __future__ import annotations

import os
import shutil

import pytest

from hl import cache

ONE_SECOND = 10 ** 9


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """Copies of the compiler, hlbc and the standard library, which the
    fingerprint reads instead of the real ones; returns a fresh fingerprint
    of them (not the process's cached one)."""
    ignore = shutil.ignore_patterns("__pycache__")
    dirs = {}
    for name, real in (("compiler", cache._COMPILER_DIR), ("hlbc", cache._HLBC_DIR),
                       ("stdlib", cache.stdlib_source_dir())):
        dirs[name] = tmp_path / name
        shutil.copytree(real, dirs[name], ignore=ignore, copy_function=shutil.copy2)
    monkeypatch.setattr(cache, "_COMPILER_DIR", str(dirs["compiler"]))
    monkeypatch.setattr(cache, "_HLBC_DIR", str(dirs["hlbc"]))
    monkeypatch.setattr(cache, "stdlib_source_dir", lambda: str(dirs["stdlib"]))

    def fingerprint() -> str:
        return cache.compiler_fingerprint.__wrapped__()
    fingerprint.dirs = dirs
    return fingerprint


def _rewrite(path, text: str) -> None:
    """New contents, and an mtime one second later (as an edit at least a
    clock tick later would have)."""
    st = os.stat(path)
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + ONE_SECOND))


EDITS = {
    "a standard library file changed": lambda d: _rewrite(d["stdlib"] / "math.hl",
                                                          (d["stdlib"] / "math.hl").read_text() + "\n"),
    "a compiler file changed, same size": lambda d: _rewrite(
        d["compiler"] / "checker.py", (d["compiler"] / "checker.py").read_text().replace("a", "b", 1)),
    "the grammar changed": lambda d: _rewrite(d["compiler"] / "grammar.lark",
                                              (d["compiler"] / "grammar.lark").read_text() + "\n"),
    "a bytecode-format file changed": lambda d: _rewrite(d["hlbc"] / "opcodes.py",
                                                         (d["hlbc"] / "opcodes.py").read_text() + "#\n"),
    "a standard library module added": lambda d: (d["stdlib"] / "extra.hl").write_text("fn f() {}\n"),
    "a compiler module removed": lambda d: (d["compiler"] / "libpath.py").unlink(),
    "a standard library module renamed": lambda d: (d["stdlib"] / "time.hl").rename(d["stdlib"] / "clock.hl"),
    "a file only touched": lambda d: os.utime(d["compiler"] / "parser.py",
                                              ns=(0, os.stat(d["compiler"] / "parser.py").st_mtime_ns + 1)),
}


@pytest.mark.parametrize("edit", EDITS)
def test_the_fingerprint_changes_with_the_compilers_files(edit, tree):
    before = tree()
    assert tree() == before
    EDITS[edit](tree.dirs)
    assert tree() != before


def test_files_of_other_kinds_do_not_count(tree):
    before = tree()
    (tree.dirs["stdlib"] / "notes.txt").write_text("x")
    (tree.dirs["compiler"] / "__pycache__").mkdir(exist_ok=True)
    (tree.dirs["compiler"] / "__pycache__" / "x.py").write_text("x")
    assert tree() == before


def test_contents_are_not_read(tree):
    # Same name, size and mtime, other bytes: the fingerprint cannot see it
    # (by design: the VM verifies whatever a stale entry holds).
    f = tree.dirs["stdlib"] / "math.hl"
    st = os.stat(f)
    before = tree()
    f.write_bytes(bytes(reversed(f.read_bytes())))
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert tree() == before
