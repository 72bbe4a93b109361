"""The `hll` command as a user meets it: exit statuses, error messages, the
bytecode cache, compile/run of `.hlc` files, and the disassembler."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def hll(*args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "hll.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=e, input=stdin, timeout=120)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("HL_CACHE_DIR", str(d))
    return d


def test_hello(cache):
    r = hll("run", str(ROOT / "examples" / "hello.hl"))
    assert (r.returncode, r.stdout, r.stderr) == (0, "Hello, world!\n", "")


def test_syntax_error_is_located(tmp_path, cache):
    p = tmp_path / "bad.hl"
    p.write_text("fn main() {\n    let x = ;\n}\n")
    r = hll("run", str(p))
    assert r.returncode == 2
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"{p}:2:13: error:") or first.startswith("bad.hl:2:13: error:") or ":2:13: error:" in first
    assert "    let x = ;" in r.stderr
    assert "Traceback" not in r.stderr


def test_type_errors_all_reported(tmp_path, cache):
    p = tmp_path / "bad.hl"
    p.write_text('fn main() {\n    let a = 1 + 2.0;\n    let b: int = "s";\n}\n')
    r = hll("run", str(p))
    assert r.returncode == 2
    assert ":2:" in r.stderr and ":3:" in r.stderr
    assert r.stderr.count("error:") >= 2
    assert "^" in r.stderr
    assert "Traceback" not in r.stderr


def test_uncaught_error_trace(tmp_path, cache):
    p = tmp_path / "boom.hl"
    p.write_text("fn f(a: int[]) -> int {\n    return a[3];\n}\nfn main() {\n    println(f(new int[2]));\n}\n")
    r = hll("run", str(p))
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("Uncaught IndexError")
    assert lines[1].strip() == "at f (boom.hl:2)"
    assert lines[2].strip() == "at main (boom.hl:5)"


def test_main_args_and_exit_status(tmp_path, cache):
    p = tmp_path / "args.hl"
    p.write_text('fn main(args: string[]) -> int {\n    println(",".join(args));\n    return args.length;\n}\n')
    r = hll("run", str(p), "a", "b", "--c")
    assert (r.returncode, r.stdout) == (3, "a,b,--c\n")


def test_compile_then_run_hlc(tmp_path, cache):
    src = tmp_path / "prog.hl"
    (tmp_path / "util").mkdir()
    (tmp_path / "util" / "text.hl").write_text('fn shout(s: string) -> string { return s.upper() + "!"; }\n')
    src.write_text('import util.text as t;\nfn main() { println(t.shout("hi")); }\n')
    out = tmp_path / "out" / "prog.hlc"
    r = hll("compile", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "util" / "text.hlc").is_file()
    r = hll("run", str(out))
    assert (r.returncode, r.stdout) == (0, "HI!\n"), r.stderr


@pytest.mark.parametrize("damage", ["truncate", "random", "flip", "empty"])
def test_bad_hlc_is_a_load_error(tmp_path, cache, damage):
    src = tmp_path / "p.hl"
    src.write_text('fn main() { println("x"); }\n')
    out = tmp_path / "p.hlc"
    assert hll("compile", str(src), "-o", str(out)).returncode == 0
    data = bytearray(out.read_bytes())
    rng = random.Random(7)
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "random":
        data = bytearray(rng.randrange(256) for _ in range(300))
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
    else:
        data = bytearray()
    out.write_bytes(bytes(data))
    r = hll("run", str(out))
    assert r.returncode == 3
    assert "LoadError" in r.stderr
    assert "Traceback" not in r.stderr


def test_cache_avoids_recompiling(tmp_path, cache):
    """A second run of an unchanged program reads the cache; a changed
    import invalidates it."""
    sys.path.insert(0, str(ROOT))
    from hl import program as build
    import compiler
    (tmp_path / "lib.hl").write_text("fn k() -> int { return 1; }\n")
    src = tmp_path / "m.hl"
    src.write_text("import lib;\nfn main() { println(lib.k()); }\n")
    calls = []
    real = compiler.compile_program

    def counting(path, **kw):
        calls.append(path)
        return real(path, **kw)
    compiler.compile_program = counting
    try:
        build.load_source_program(src)
        build.load_source_program(src)
        assert len(calls) == 1
        (tmp_path / "lib.hl").write_text("fn k() -> int { return 2; }\n")
        build.load_source_program(src)
        assert len(calls) == 2
    finally:
        compiler.compile_program = real


def test_disasm_shows_source_lines(tmp_path, cache):
    p = tmp_path / "d.hl"
    p.write_text("fn add(a: int, b: int) -> int {\n    return a + b;\n}\nfn main() { println(add(1, 2)); }\n")
    r = hll("disasm", str(p))
    assert r.returncode == 0, r.stderr
    assert "fn add(II)I" in r.stdout
    assert "IADD" in r.stdout
    assert "return a + b;" in r.stdout


def test_missing_file_and_bad_usage(cache):
    assert hll("run", "/nonexistent/x.hl").returncode == 2
    assert hll("run").returncode == 2
    assert hll("run", "--max-heap", "lots", "x.hl").returncode == 2


def test_hlc_without_main_is_a_load_error(tmp_path, cache):
    sys.path.insert(0, str(ROOT))
    from hll import hlasm
    from hlbc import write_module
    src = (ROOT / "tests" / "conformance" / "bytecode" / "load" / "no_main.hlasm").read_text()
    out = tmp_path / "t.hlc"
    out.write_bytes(write_module(hlasm.assemble(src)))
    r = hll("run", str(out))
    assert r.returncode == 3
    assert "no function main" in r.stderr and "Traceback" not in r.stderr
