"""The `hll` command as a user meets it: exit statuses, error messages, the
bytecode cache, compile/run of `.hlc` files, and the disassembler."""

from __future__ import annotations

import os
import random
import re
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


# --- the examples of docs/running.md ---------------------------------------------------------

_DOCS = [ROOT / "docs" / "running.md", ROOT / "docs" / "snapshots.md"]
_FILE_BLOCK = re.compile(r"```hl file=(\S+)\n(.*?)```", re.S)
_CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def _console_examples():
    for doc in _DOCS:
        yield from _console_examples_of(doc)


def _console_examples_of(doc):
    text = doc.read_text(encoding="utf-8")
    for n, block in enumerate(_CONSOLE_BLOCK.findall(text)):
        examples, current = [], None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = [line[2:], [], 0]
                examples.append(current)
            elif line.startswith("[status ") and line.endswith("]"):
                current[2] = int(line[len("[status "):-1])
            else:
                current[1].append(line)
        yield pytest.param(doc, examples, id=f"{doc.name}-console-{n}")


@pytest.mark.parametrize("doc, examples", list(_console_examples()))
def test_the_documented_commands_do_what_the_docs_say(doc, examples, tmp_path):
    for name, source in _FILE_BLOCK.findall(doc.read_text(encoding="utf-8")):
        (tmp_path / name).write_text(source, encoding="utf-8")
    bin_dir = tmp_path / "bin-hll"
    bin_dir.mkdir()
    (bin_dir / "hll").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m hll.cli "$@"\n')
    (bin_dir / "hll").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "HL_CACHE_DIR": str(tmp_path / "cache")}
    for command, expected, status in examples:
        r = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                           timeout=120, stdin=subprocess.DEVNULL)
        got = (r.stdout + r.stderr).decode("utf-8").splitlines()
        assert r.returncode == status, (command, got)
        rest = iter(got)
        missing = [line for line in expected if not any(line == g for g in rest)]
        assert not missing, (command, missing, got)


_PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


@pytest.mark.parametrize("n", range(len(_PYTHON_BLOCK.findall((ROOT / "docs" / "snapshots.md").read_text()))))
def test_the_embedding_example_of_the_snapshot_docs_runs(n, tmp_path):
    code = _PYTHON_BLOCK.findall((ROOT / "docs" / "snapshots.md").read_text())[n]
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "HL_CACHE_DIR": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    said = re.search(r"# prints (\d+)", code)
    assert r.stdout.split() == [said.group(1)], r.stdout


# --- hll compile: what it writes, and what it refuses --------------------------------------------

def test_compile_refuses_to_overwrite_its_input(tmp_path, cache):
    src = tmp_path / "p.hl"
    src.write_text('fn main() { println("x"); }\n')
    before = src.read_bytes()
    (tmp_path / "link.hlc").symlink_to(src)
    for out in ("p.hl", "link.hlc"):
        r = hll("compile", "p.hl", "-o", out, cwd=tmp_path)
        assert r.returncode == 2 and "is the input file" in r.stderr, r.stderr
    assert src.read_bytes() == before


@pytest.mark.parametrize("out", ["p", "p.txt", "p.HLC", "p.hlc.bak"])
def test_compile_refuses_an_output_hll_run_would_not_read_as_bytecode(tmp_path, cache, out):
    (tmp_path / "p.hl").write_text('fn main() { println("x"); }\n')
    r = hll("compile", "p.hl", "-o", out, cwd=tmp_path)
    assert r.returncode == 2 and "the output must be a .hlc file" in r.stderr
    assert not (tmp_path / out).exists()


def test_compile_refuses_an_output_where_an_imported_module_goes(tmp_path, cache):
    (tmp_path / "util.hl").write_text("fn k() -> int { return 7; }\n")
    (tmp_path / "q.hl").write_text("import util;\nfn main() { println(util.k()); }\n")
    r = hll("compile", "q.hl", "-o", "util.hlc", cwd=tmp_path)
    assert r.returncode == 2 and "would hold both module 'util' and module 'q'" in r.stderr
    assert not (tmp_path / "util.hlc").exists()


def test_a_compiled_program_runs_from_its_output_folder_moved(tmp_path, cache):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "box.hl").write_text("fn k() -> int { return 7; }\n")
    (tmp_path / "q.hl").write_text("import lib.box;\nfn main() { println(box.k()); }\n")
    assert hll("compile", "q.hl", "-o", "out/app.hlc", cwd=tmp_path).returncode == 0
    (tmp_path / "far").mkdir()
    (tmp_path / "out").rename(tmp_path / "far" / "moved")
    (tmp_path / "lib" / "box.hl").unlink()                # the sources are not needed
    (tmp_path / "q.hl").unlink()
    r = hll("run", "far/moved/app.hlc", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "7\n"), r.stderr


def test_compile_replaces_a_link_not_what_it_points_to_and_leaves_same_bytes_alone(tmp_path, cache):
    (tmp_path / "p.hl").write_text('fn main() { println("x"); }\n')
    other = tmp_path / "other.bin"
    other.write_bytes(b"keep")
    (tmp_path / "p.hlc").symlink_to(other)
    assert hll("compile", "p.hl", cwd=tmp_path).returncode == 0
    assert other.read_bytes() == b"keep" and not (tmp_path / "p.hlc").is_symlink()
    os.utime(tmp_path / "p.hlc", (1, 1))
    assert hll("compile", "p.hl", cwd=tmp_path).returncode == 0
    assert (tmp_path / "p.hlc").stat().st_mtime == 1                  # the same bytes: untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.bin", "p.hl", "p.hlc"]


def test_compile_that_cannot_write_is_an_io_error_and_leaves_nothing(tmp_path, cache):
    (tmp_path / "p.hl").write_text('fn main() { println("x"); }\n')
    (tmp_path / "out").write_text("a file where a folder is needed\n")
    r = hll("compile", "p.hl", "-o", "out/p.hlc", cwd=tmp_path)
    assert r.returncode == 74 and r.stderr.startswith("hll: cannot write out/p.hlc: ")
    assert "Traceback" not in r.stderr


def test_the_option_ranges_are_the_vms():
    """The command line refuses exactly what VM(...) would (hllvm/arguments.py)."""
    from hll import options
    from hllvm import arguments
    from hllvm.heap import MIN_HEAP_BYTES
    assert options.MIN_HEAP_SIZE == MIN_HEAP_BYTES
    assert options.MAX_HEAP_SIZE == arguments.MAX_HEAP_BYTES
    assert options.MAX_FUEL == arguments.MAX_FUEL
    assert options.MAX_STACK.type.max == arguments.MAX_STACK_FRAMES
    assert options.parse_size("64K") == MIN_HEAP_BYTES and options.parse_size("1T") == options.MAX_HEAP_SIZE


def test_disasm_reads_only_bounded_regular_files(tmp_path, cache):
    # The source path a .hlc names is the file's word: a device there is not
    # read (it would never end), and a module file over the bound is refused.
    from hlbc import read_module, write_module
    r = hll("compile", str(ROOT / "examples" / "hello.hl"), "-o", str(tmp_path / "hello.hlc"))
    assert r.returncode == 0, r.stderr
    m = read_module((tmp_path / "hello.hlc").read_bytes())
    (tmp_path / "dev.hlc").write_bytes(write_module(m.replace(source="/dev/zero")))
    r = hll("disasm", str(tmp_path / "dev.hlc"))
    assert r.returncode == 0 and "module hello" in r.stdout, r.stderr
    (tmp_path / "huge.hlc").write_bytes(b"\0" * (3 << 20))
    r = hll("disasm", str(tmp_path / "huge.hlc"))
    assert r.returncode == 3 and "larger than" in r.stderr


def test_compiling_is_held_to_the_time_limit(tmp_path, cache):
    src = "fn main() {\n let a = [\n" + ",\n".join(str(i) for i in range(30_000)) + "];\n println(a.length);\n}\n"
    (tmp_path / "big.hl").write_text(src)
    r = hll("run", "--timeout", "0.05", str(tmp_path / "big.hl"))
    assert r.returncode == 4 and "exceeded while compiling" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_a_program_file_is_read_with_the_bound_of_its_heap(tmp_path, cache):
    # --max-heap bounds the module files read for the run (hllvm/loadmeter.py),
    # before any of them is parsed: the entry file included.
    r = hll("compile", str(ROOT / "examples" / "hello.hl"), "-o", str(tmp_path / "hello.hlc"))
    assert r.returncode == 0, r.stderr
    big = tmp_path / "big.hlc"
    big.write_bytes((tmp_path / "hello.hlc").read_bytes() + b"\0" * (1 << 20))
    r = hll("run", "--max-heap", "1M", str(big))
    assert r.returncode == 3 and "larger than" in r.stderr, r.stderr
    r = hll("run", "--max-heap", "1M", str(tmp_path / "hello.hlc"))
    assert (r.returncode, r.stdout) == (0, "Hello, world!\n"), r.stderr


def test_time_limit_while_the_compiler_is_imported_is_the_time_limit(capsys):
    """The timer may fire inside a class body's `__set_name__` while the
    compiler's modules load, where Python wraps the exception in a
    RuntimeError: still the time limit's status and message, no traceback."""
    from hll import cli

    class Slot:
        def __set_name__(self, owner, name):
            raise cli.CompileTimeout
    with pytest.raises(SystemExit) as e:
        with cli.within(5.0):
            type("Node", (), {"ty": Slot()})
    assert e.value.code == 4
    assert "time limit of 5 s exceeded while compiling" in capsys.readouterr().err


def test_allow_env_grants_named_variables_only(tmp_path, cache):
    src = tmp_path / "e.hl"
    src.write_text('import env;\nfn main() {\n    println(env.get("HL_TEST_A"));\n'
                   '    try { println(env.get("HL_TEST_B")); } catch e: PermissionError { println("denied"); }\n}\n')
    env = {**os.environ, "HL_TEST_A": "alpha", "HL_TEST_B": "beta"}
    r = hll("run", "--allow-env", "HL_TEST_A", str(src), env=env)
    assert (r.returncode, r.stdout) == (0, "alpha\ndenied\n")
    r = hll("run", "--allow-env", "*", str(src), env=env)
    assert (r.returncode, r.stdout) == (0, "alpha\nbeta\n")
    r = hll("run", str(src), env=env)
    assert r.returncode == 1 and "PermissionError" in r.stderr
    r = hll("run", "--allow-env", "A=B", str(src), env=env)
    assert r.returncode == 2 and "--allow-env" in r.stderr
