"""A cached run resolves every import as compiling would: a new file that
shadows a module, a swapped symbolic link, a copied or renamed entry file
(hl/manifest.py, hl/programcache.py, docs/cache.md)."""

from __future__ import annotations

import os

from cachesupport import both, hll_process, hll_run, write

MAIN_MATH = "import math;\nfn main() { println(math.sqrt(16.0)); }\n"
FAKE_MATH = "fn sqrt(x: float) -> float { return 99.0; }\n"


def _same(cached, uncached):
    assert cached == uncached
    assert "Traceback" not in cached.err
    return cached


def test_a_new_file_beside_the_program_shadows_the_standard_library(tmp_path, cache):
    write(tmp_path, {"prog.hl": MAIN_MATH})
    assert hll_process("prog.hl", cwd=tmp_path).out == "4.0\n"
    write(tmp_path, {"math.hl": FAKE_MATH})
    assert _same(*both("prog.hl", cwd=tmp_path, run=hll_process)).out == "99.0\n"
    (tmp_path / "math.hl").unlink()
    assert _same(*both("prog.hl", cwd=tmp_path)).out == "4.0\n"


def test_a_new_file_in_the_importers_folder_shadows_one_on_the_search_path(tmp_path, cache):
    write(tmp_path, {"proj/main.hl": "import sub.user;\nfn main() { println(user.go()); }\n",
                     "proj/sub/user.hl": "import helper;\nfn go() -> int { return helper.k(); }\n",
                     "proj/helper.hl": "fn k() -> int { return 1; }\n",
                     "ext/helper.hl": "fn k() -> int { return 3; }\n"})
    proj = tmp_path / "proj"
    assert _same(*both("--path", "../ext", "main.hl", cwd=proj)).out == "1\n"
    compiled = cache.compiled
    assert hll_run("--path", "../ext", "main.hl", cwd=proj).out == "1\n"
    assert cache.compiled == compiled                       # unchanged: from the cache
    write(proj, {"sub/helper.hl": "fn k() -> int { return 2; }\n"})     # the importer's folder is first
    assert _same(*both("--path", "../ext", "main.hl", cwd=proj)).out == "2\n"
    (proj / "sub/helper.hl").unlink()
    (proj / "helper.hl").unlink()                           # now the --path folder's
    assert _same(*both("--path", "../ext", "main.hl", cwd=proj)).out == "3\n"
    (tmp_path / "ext/helper.hl").unlink()                   # now none: a compile error, both ways
    r = _same(*both("--path", "../ext", "main.hl", cwd=proj))
    assert r.status == 2 and "cannot find module 'helper'" in r.err


def test_a_swapped_symbolic_link_to_a_module(tmp_path, cache):
    write(tmp_path, {"p.hl": "import util;\nfn main() { println(util.f()); }\n",
                     "x.hl": "fn f() -> int { return 1; }\n", "y.hl": "fn f() -> int { return 2; }\n"})
    os.symlink("x.hl", tmp_path / "util.hl")
    assert _same(*both("p.hl", cwd=tmp_path, run=hll_process)).out == "1\n"
    os.unlink(tmp_path / "util.hl")
    os.symlink("y.hl", tmp_path / "util.hl")
    assert _same(*both("p.hl", cwd=tmp_path, run=hll_process)).out == "2\n"


def test_a_symbolic_link_swapped_between_files_of_the_same_text_changes_the_trace(tmp_path, cache):
    # The same bytes at another real path are another module, named by that path.
    boom = "fn f() -> int {\n    throw new Error(\"no\");\n}\n"
    write(tmp_path, {"p.hl": "import util;\nfn main() { println(util.f()); }\n",
                     "impl/one.hl": boom, "impl/two.hl": boom})
    os.symlink("impl/one.hl", tmp_path / "util.hl")
    first = _same(*both("p.hl", cwd=tmp_path))
    assert first.status == 1 and "impl/one.hl:2" in first.err
    os.unlink(tmp_path / "util.hl")
    os.symlink("impl/two.hl", tmp_path / "util.hl")
    assert "impl/two.hl:2" in _same(*both("p.hl", cwd=tmp_path)).err


def test_a_swapped_symbolic_link_to_a_folder_of_modules(tmp_path, cache):
    write(tmp_path, {"q.hl": "import lib.m;\nfn main() { println(m.f()); }\n",
                     "d1/m.hl": "fn f() -> int { return 10; }\n", "d2/m.hl": "fn f() -> int { return 20; }\n"})
    os.symlink("d1", tmp_path / "lib")
    assert _same(*both("q.hl", cwd=tmp_path)).out == "10\n"
    os.unlink(tmp_path / "lib")
    os.symlink("d2", tmp_path / "lib")
    assert _same(*both("q.hl", cwd=tmp_path)).out == "20\n"


def test_a_swapped_symbolic_link_to_the_entry_file(tmp_path, cache):
    write(tmp_path, {"e1.hl": "fn main() { println(1); }\n", "e2.hl": "fn main() { println(2); }\n"})
    os.symlink("e1.hl", tmp_path / "run.hl")
    assert _same(*both("run.hl", cwd=tmp_path)).out == "1\n"
    os.unlink(tmp_path / "run.hl")
    os.symlink("e2.hl", tmp_path / "run.hl")
    assert _same(*both("run.hl", cwd=tmp_path)).out == "2\n"


BOOM = 'fn main() {\n    let a = 1;\n    throw new Error("boom");\n}\n'


def test_a_copied_entry_file_keeps_its_own_name_in_traces(tmp_path, cache):
    write(tmp_path, {"first.hl": BOOM})
    assert "at main (first.hl:3)" in hll_process("first.hl", cwd=tmp_path).err
    (tmp_path / "second.hl").write_bytes((tmp_path / "first.hl").read_bytes())
    r = _same(*both("second.hl", cwd=tmp_path, run=hll_process))
    assert r.status == 1 and "at main (second.hl:3)" in r.err and "first.hl" not in r.err
    (tmp_path / "first.hl").rename(tmp_path / "third.hl")
    assert "at main (third.hl:3)" in _same(*both("third.hl", cwd=tmp_path)).err


def test_an_entry_file_named_lang_is_refused_cached_or_not(tmp_path, cache):
    write(tmp_path, {"first.hl": BOOM})
    hll_run("first.hl", cwd=tmp_path)
    (tmp_path / "lang.hl").write_bytes((tmp_path / "first.hl").read_bytes())
    for _ in range(2):
        r = _same(*both("lang.hl", cwd=tmp_path, run=hll_process))
        assert r.status == 2 and "may not be named 'lang'" in r.err


def test_the_same_file_from_another_folder_is_another_entry(tmp_path, cache):
    # The entry's folder is first on its search path, so `cd` matters not,
    # but the path given does: the same bytes in two folders import differently.
    write(tmp_path, {"a/p.hl": "import m;\nfn main() { println(m.v()); }\n",
                     "a/m.hl": "fn v() -> int { return 1; }\n", "b/m.hl": "fn v() -> int { return 2; }\n"})
    (tmp_path / "b/p.hl").write_bytes((tmp_path / "a/p.hl").read_bytes())
    assert _same(*both("a/p.hl", cwd=tmp_path)).out == "1\n"
    assert _same(*both("p.hl", cwd=tmp_path / "b")).out == "2\n"
    compiled = cache.compiled
    assert hll_run("../a/p.hl", cwd=tmp_path / "b").out == "1\n"
    assert cache.compiled == compiled                       # the same entry, by its real path


def test_edits_are_seen_and_a_touch_is_not_a_change(tmp_path, cache):
    write(tmp_path, {"p.hl": "import m;\nfn main() { println(m.v()); }\n",
                     "m.hl": "fn v() -> int { return 1; }\n"})
    assert _same(*both("p.hl", cwd=tmp_path)).out == "1\n"
    m = tmp_path / "m.hl"
    st = m.stat()
    m.write_text("fn v() -> int { return 7; }\n")           # the same size, the same mtime
    os.utime(m, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _same(*both("p.hl", cwd=tmp_path)).out == "7\n"
    compiled = cache.compiled
    os.utime(m)                                             # touched, not changed
    assert hll_run("p.hl", cwd=tmp_path).out == "7\n"
    assert cache.compiled == compiled
    (tmp_path / "p.hl").write_text("\n\nimport m;\nfn main() {\n    println(m.v() + 1);\n}\n")
    assert _same(*both("p.hl", cwd=tmp_path)).out == "8\n"
