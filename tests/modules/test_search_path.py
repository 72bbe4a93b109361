"""Module identity and the module search path (docs/running.md, "Modules
and the search path")."""

import os
from pathlib import Path

import pytest

from hlbc import write_module
from modsupport import hll, write

BOX = {
    "pkg/lib/box.hl": """
var made = 0;
class Box { v: int; init(v: int) { self.v = v; made += 1; } }
fn make(v: int) -> Box { return new Box(v); }
""",
    "pkg/user.hl": """
import lib.box;
fn count() -> int { return box.made; }
fn open(b: box.Box) -> int { return b.v; }
""",
    "main.hl": """
import pkg.lib.box as b;
import pkg.user;
fn main() {
    let x = b.make(7);
    println(user.open(x));             // a Box made through one name, taken through the other
    println(str(user.count()) + " " + str(b.made));
}
""",
}


def test_one_file_reached_by_two_import_paths_is_one_module(tmp_path, cache):
    write(tmp_path, BOX)
    status, out, err = hll("run", "--path", tmp_path / "pkg", tmp_path / "main.hl")
    assert (status, err) == (0, "")
    assert out == "7\n1 1\n"                  # one set of globals: both names see made == 1


def test_the_module_is_named_under_the_innermost_root(tmp_path, cache):
    import compiler
    write(tmp_path, BOX)
    prog = compiler.compile_program(tmp_path / "main.hl", search_path=[tmp_path / "pkg"])
    names = [m.name for m in prog.modules]
    assert names.count("lib.box") == 1 and "pkg.lib.box" not in names
    assert prog.modules[-1].imports == ("lang", "lib.box", "user")      # pkg/user.hl too


def test_compiled_then_run_as_bytecode_keeps_one_module(tmp_path, cache):
    write(tmp_path, BOX)
    assert hll("compile", "--path", tmp_path / "pkg", tmp_path / "main.hl", "-o",
               tmp_path / "out/main.hlc")[0] == 0
    assert (tmp_path / "out/lib/box.hlc").is_file()
    status, out, err = hll("run", tmp_path / "out/main.hlc")
    assert (status, out, err) == (0, "7\n1 1\n", "")


def test_two_files_with_one_name_are_an_error_naming_both(tmp_path, cache):
    write(tmp_path, {"a/util.hl": "fn f() -> int { return 1; }\n",
                     "b/util.hl": "fn f() -> int { return 2; }\n",
                     "a/first.hl": "import util;\nfn g() -> int { return util.f(); }\n",
                     "b/second.hl": "import util;\nfn g() -> int { return util.f(); }\n",
                     "main.hl": "import first; import second;\nfn main() {}\n"})
    status, _, err = hll("run", "--path", tmp_path / "a", "--path", tmp_path / "b", tmp_path / "main.hl")
    assert status == 2
    assert "module 'util'" in err and str(tmp_path / "a/util.hl") in err and str(tmp_path / "b/util.hl") in err


SIBLINGS = {
    "util/shared.hl": "let GREETING = \"hello from util\";\nfn twice(n: int) -> int { return 2 * n; }\n",
    "model/main.hl": "import shared;\nfn main() { println(shared.GREETING + \" \" + str(shared.twice(21))); }\n",
}


def test_sibling_folders_share_a_module_through_path(tmp_path, cache):
    write(tmp_path, SIBLINGS)
    status, out, err = hll("run", "--path", "util", "model/main.hl", cwd=tmp_path)
    assert (status, out, err) == (0, "hello from util 42\n", "")
    status, _, err = hll("run", "model/main.hl", cwd=tmp_path)
    assert status == 2 and "cannot find module 'shared'" in err


def test_sibling_folders_share_a_module_through_hl_path(tmp_path, cache):
    write(tmp_path, SIBLINGS)
    env = {"HL_PATH": os.pathsep.join([str(tmp_path / "nowhere"), str(tmp_path / "util")])}
    assert hll("run", "model/main.hl", cwd=tmp_path, env=env)[:2] == (0, "hello from util 42\n")
    # and for bytecode: the shared module compiled into its own folder
    assert hll("compile", "util/shared.hl", cwd=tmp_path)[0] == 0
    assert hll("compile", "model/main.hl", "--path", "util", "-o", "bin/main.hlc", cwd=tmp_path)[0] == 0
    (tmp_path / "bin/shared.hlc").unlink()
    assert hll("run", "bin/main.hlc", cwd=tmp_path)[0] == 3
    assert hll("run", "--path", "util", "bin/main.hlc", cwd=tmp_path)[:2] == (0, "hello from util 42\n")
    assert hll("run", "bin/main.hlc", cwd=tmp_path, env=env)[:2] == (0, "hello from util 42\n")


def test_a_cached_run_follows_the_search_path(tmp_path, cache):
    """The cache is keyed by the search path and re-checks every import:
    a cached run behaves as an uncached one."""
    write(tmp_path, {"one/shared.hl": "fn who() -> string { return \"one\"; }\n",
                     "two/shared.hl": "fn who() -> string { return \"two\"; }\n",
                     "app/main.hl": "import shared;\nfn main() { println(shared.who()); }\n"})
    run = lambda *p: hll("run", *[a for d in p for a in ("--path", d)], "app/main.hl", cwd=tmp_path)[1]
    assert run("one") == "one\n"
    assert run("two") == "two\n"
    assert run("one", "two") == "one\n"
    assert run("two", "one") == "two\n"
    # A file that now shadows the module along the same path is not missed.
    (tmp_path / "app/shared.hl").write_text("fn who() -> string { return \"app\"; }\n")
    assert run("one") == "app\n"
    (tmp_path / "app/shared.hl").unlink()
    assert run("one") == "one\n"


def test_compile_and_disasm_accept_a_library_module(tmp_path, cache):
    write(tmp_path, {"lib.hl": "fn k() -> int { return 1; }\n",
                     "badmain.hl": "fn main(x: int) {}\n"})
    status, _, err = hll("compile", tmp_path / "lib.hl")
    assert (status, err) == (0, "")
    assert (tmp_path / "lib.hlc").is_file()
    status, out, _ = hll("disasm", tmp_path / "lib.hl")
    assert status == 0 and "k" in out
    assert hll("disasm", tmp_path / "lib.hlc")[0] == 0
    status, _, err = hll("run", tmp_path / "lib.hl")
    assert status == 2 and "no 'fn main()'" in err
    status, _, err = hll("run", tmp_path / "lib.hlc")
    assert status == 3 and "main" in err and "Traceback" not in err
    # a main that is declared is still checked
    status, _, err = hll("compile", tmp_path / "badmain.hl")
    assert status == 2 and "main must be" in err


# --- names read from bytecode are untrusted -------------------------------------------------

def _with_import(tmp_path, name: str) -> Path:
    import compiler
    m = compiler.compile_source("fn main() {}", name="prog").modules[-1]
    bad = m.replace(imports=(*m.imports, name))
    p = tmp_path / "prog.hlc"
    p.write_bytes(write_module(bad))
    return p


@pytest.mark.parametrize("name", ["/etc/passwd", "..", "../secret", "a..b", "", ".", "a.", "a/b",
                                  "x" * 300, "1abc", "a.b c"])
def test_a_bad_module_name_in_bytecode_is_a_load_error(tmp_path, cache, name):
    p = _with_import(tmp_path, name)
    status, _, err = hll("run", p)
    assert status == 3, err
    assert "bad module name" in err and "Traceback" not in err
    from hl import VM, LoadError
    with pytest.raises(LoadError, match="bad module name"):
        VM().load_file(p)


def test_a_bad_module_name_of_its_own_is_a_load_error(tmp_path, cache):
    import compiler
    m = compiler.compile_source("fn main() {}", name="prog").modules[-1]
    p = tmp_path / "prog.hlc"
    p.write_bytes(write_module(m.replace(name="../up")))
    status, _, err = hll("run", p)
    assert status == 3 and "bad module name '../up'" in err


def test_an_import_cannot_leave_the_search_path_through_a_link(tmp_path, cache):
    outside = tmp_path / "outside"
    write(outside, {"secret.hl": "fn f() -> int { return 1; }\n"})
    inside = tmp_path / "app"
    write(inside, {"main.hl": "import secret;\nfn main() { println(secret.f()); }\n"})
    (inside / "secret.hl").symlink_to(outside / "secret.hl")
    status, _, err = hll("run", inside / "main.hl")
    assert status == 2 and "outside the search directory" in err
    # the same for bytecode
    assert hll("compile", outside / "secret.hl")[0] == 0
    write(tmp_path, {"bin/x.hl": "fn main() {}\n"})
    import compiler
    m = compiler.compile_program(tmp_path / "bin/x.hl").modules[-1]
    (tmp_path / "bin/x.hlc").write_bytes(write_module(m.replace(imports=(*m.imports, "secret"))))
    (tmp_path / "bin/secret.hlc").symlink_to(outside / "secret.hlc")
    status, _, err = hll("run", tmp_path / "bin/x.hlc")
    assert status == 3 and "outside the search directory" in err and "module secret" in err


def test_a_file_holding_another_module_is_refused(tmp_path, cache):
    write(tmp_path, {"real.hl": "fn f() -> int { return 1; }\n", "main.hl": "fn main() {}\n"})
    assert hll("compile", tmp_path / "real.hl")[0] == 0
    import compiler
    m = compiler.compile_program(tmp_path / "main.hl").modules[-1]
    (tmp_path / "main.hlc").write_bytes(write_module(m.replace(imports=(*m.imports, "other"))))
    (tmp_path / "real.hlc").rename(tmp_path / "other.hlc")
    status, _, err = hll("run", tmp_path / "main.hlc")
    assert status == 3 and "holds module 'real', expected other" in err


def test_the_repl_searches_the_same_path(tmp_path, cache):
    write(tmp_path, SIBLINGS)
    import subprocess, sys
    r = subprocess.run([sys.executable, "-m", "hll.cli", "repl", "--path", "util"], cwd=tmp_path,
                       input="import shared;\nshared.twice(5);\n", capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "10" in r.stdout
