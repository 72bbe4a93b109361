"""`hll run`'s start-up: a cached run imports only what it uses, and its
click-free option reader (hll/options.py `parse_run`) reads exactly what
click reads, or declines."""

from __future__ import annotations

import errno
import io
import json
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest

from hll import cli, commands
from hll.options import parse_run

# Modules a cached `hll run` must not import: the command-line library, the
# test runner's machinery, code generation for records, OpenSSL's hashes
# (hl/cache.py), what only writing a cache needs, ctypes (state.py asks
# for it only when compiled code wants the run state's address), and the
# standard modules the run path does without: regular expressions and the
# enum they import, pathlib (with fnmatch, urllib.parse and ipaddress),
# json (the compile cache has its own encoding, hl/bencode.py) and signal
# (hllvm/signals.py takes _signal's functions).
NOT_IMPORTED = ("click", "multiprocessing", "dataclasses", "inspect", "hll.testcmd", "hll.conformance",
                "hll.commands", "_hashlib", "shutil", "tempfile", "ctypes", "compiler", "lark",
                "re", "enum", "pathlib", "json", "signal", "fnmatch", "urllib", "ipaddress")

# Runs `hll` as its entry point does, then reports which modules it imported
# (json is imported after the list is taken, so that the CLI's own imports
# are what is seen).
_RUN = """
import sys
from hll import cli
try:
    cli.main()
except SystemExit as e:
    status = e.code
modules = sorted(sys.modules)
import json
print(json.dumps({"status": status, "modules": modules}))
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("HL_CACHE_DIR", str(d))
    return d


def _run(args, cwd: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", _RUN, *map(str, args)], capture_output=True, text=True,
                       cwd=cwd, timeout=300)
    *out, last = r.stdout.strip().splitlines()
    report = json.loads(last)
    report["out"], report["err"] = "\n".join(out), r.stderr
    return report


def _at_python_start() -> set[str]:
    """The modules this interpreter has before it runs any code: an
    editable install's import hook (setuptools' finder, loaded by a .pth
    file) brings pathlib, re and others, which `hll` did not ask for and
    a regular install does not have."""
    r = subprocess.run([sys.executable, "-c", "import sys; print(' '.join(sys.modules))"],
                       capture_output=True, text=True, timeout=60)
    return set(r.stdout.split())


def _imported(report: dict, names) -> list[str]:
    """Which of `names` the run imported (beyond what Python itself starts with)."""
    already = _at_python_start()
    return [n for n in names if n in report["modules"] and n not in already]


def test_a_cached_run_imports_only_what_it_uses(tmp_path, cache):
    (tmp_path / "p.hl").write_text('fn main(args: string[]) -> int {\n    println("hi " + args[0]);\n'
                                   '    return 3;\n}\n')
    first = _run(["run", "--fuel", "1000", "p.hl", "you"], tmp_path)      # compiles, writes the cache
    assert (first["status"], first["out"]) == (3, "hi you"), first["err"]
    again = _run(["run", "--fuel", "1000", "p.hl", "you"], tmp_path)
    assert (again["status"], again["out"], again["err"]) == (3, "hi you", "")
    assert _imported(again, NOT_IMPORTED) == []


def test_a_bytecode_run_imports_only_what_it_uses(tmp_path, cache):
    (tmp_path / "p.hl").write_text('fn main() { println("hi"); }\n')
    assert _run(["compile", "p.hl"], tmp_path)["status"] in (0, None)
    _run(["run", "p.hlc"], tmp_path)                                     # builds the library's bytecode
    again = _run(["run", "p.hlc"], tmp_path)
    assert (again["status"], again["out"]) == (0, "hi"), again["err"]
    assert _imported(again, NOT_IMPORTED) == []


HOT_LOOP = """fn sum(n: int) -> int {
    var s = 0;
    for i in 0..n {
        s = s + i % 7;
    }
    return s;
}

fn main() {
    println(sum(200000));
}
"""


def test_a_warm_jit_run_imports_only_what_it_uses(tmp_path, cache):
    # A hot loop compiled by tier 1 on the first run; the second maps its
    # machine code from the cache (hllvm/engine.py), which needs ctypes and
    # nothing else above a cached interpreted run.
    from hllvm.engine import CACHEABLE
    if not CACHEABLE:
        pytest.skip("machine code is cached on Linux x86-64 only")
    (tmp_path / "hot.hl").write_text(HOT_LOOP)
    first = _run(["run", "--jit=auto", "hot.hl"], tmp_path)
    assert (first["status"], first["out"]) == (0, "599994"), first["err"]
    again = _run(["run", "--jit=auto", "hot.hl"], tmp_path)
    assert (again["status"], again["out"], again["err"]) == (0, "599994", "")
    assert "hllvm.jit.native" in again["modules"] and "llvmlite" not in again["modules"]
    assert _imported(again, [m for m in NOT_IMPORTED if m != "ctypes"]) == []


def test_what_the_fast_reader_declines_goes_to_click(tmp_path, cache):
    (tmp_path / "p.hl").write_text('fn main() { println("hi"); }\n')
    r = _run(["run", "--max-heap", "12Q", "p.hl"], tmp_path)
    assert r["status"] == 2 and "Invalid value for '--max-heap'" in r["err"]
    assert "click" in r["modules"]


# --- the two readers agree -------------------------------------------------------------------

ARGVS = [
    ["p.hl"], ["p.hl", "a", "--b", "--fuel", "1"], ["--fuel", "5", "p.hl"], ["--fuel=0", "p.hl"],
    ["--jit", "off", "p.hl"], ["--jit=eager", "p.hl"], ["--jit", "bad", "p.hl"], ["--jit", "", "p.hl"],
    ["--max-heap", "64M", "p.hl"], ["--max-heap=1k", "p.hl"], ["--max-heap", "64MiB", "p.hl"],
    ["--max-heap", "0", "p.hl"], ["--max-heap", "12Q", "p.hl"], ["--max-heap", "", "p.hl"],
    ["--max-stack", "1", "p.hl"], ["--max-stack", "0", "p.hl"], ["--max-stack", "1_000", "p.hl"],
    ["--max-stack", " 7 ", "p.hl"], ["--max-stack", "1000001", "p.hl"], ["--fuel", "-1", "p.hl"],
    ["--timeout", "0.5", "p.hl"], ["--timeout", "0", "p.hl"], ["--timeout", "abc", "p.hl"],
    ["--timeout", "inf", "p.hl"], ["--allow-read", "d", "--allow-read=.", "--allow-write", "nowhere", "p.hl"],
    ["--allow-read", "p.hl", "p.hl"], ["--path", "d", "--path", ".", "p.hl"], ["--path", "p.hl", "p.hl"],
    ["--path", "", "p.hl"], ["--no-cache", "--gc-stats", "--trace-gc", "--gc-stress", "--verify-heap", "p.hl"],
    ["--no-cache", "--no-cache", "p.hl"], ["--no-cache=1", "p.hl"], ["--fuel", "5", "--fuel", "9", "p.hl"],
    ["--bogus", "p.hl"], ["-x", "p.hl"], ["--max", "1", "p.hl"], ["--", "p.hl"], ["-", "p.hl"], ["--help"],
    ["-h", "p.hl"], ["p.hl", "--help"], [], ["--fuel"], ["--jit", "--fuel", "p.hl"], ["d"], ["missing.hl"],
    [""], ["p.hl", "--"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=lambda a: " ".join(a) or "(none)")
def test_the_fast_reader_reads_as_click_or_declines(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.hl").write_text("fn main() {}\n")
    (tmp_path / "d").mkdir()
    try:
        expected = commands.run.make_context("run", list(argv)).params
    except click.exceptions.Exit:
        expected = None                     # --help
    except click.ClickException:
        expected = None                     # a usage error
    got = parse_run(list(argv))
    assert got is None or got == expected


@pytest.mark.parametrize("argv", [["p.hl"], ["p.hl", "a", "--b"], ["--fuel=0", "--jit", "off", "p.hl"],
                                  ["--max-heap", "64M", "--max-stack", "100", "--timeout", "2", "p.hl"],
                                  ["--allow-read", ".", "--allow-write", ".", "--path", ".", "p.hl"],
                                  ["--no-cache", "--gc-stats", "missing.hl"]])
def test_the_fast_reader_takes_the_usual_forms(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.hl").write_text("fn main() {}\n")
    assert parse_run(list(argv)) == commands.run.make_context("run", list(argv)).params


# --- what escapes a run is reported as click reports it ----------------------------------------

@pytest.fixture
def signal_handlers():
    """SIGINT's and SIGTERM's handlers as they were: leaving after an
    interrupt ignores both (the process is ending), and this one is not —
    later tests interrupt it."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), EOFError(), OSError(errno.EPIPE, "Broken pipe")])
def test_an_escaping_interrupt_or_closed_pipe_ends_as_under_click(exc, monkeypatch, signal_handlers):
    def raising(**params):
        raise exc
    results = []
    for path in ("fast", "click"):
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(cli, "run_program", raising)
        monkeypatch.setattr(commands, "run_program", raising)
        with pytest.raises(SystemExit) as e:
            if path == "fast":
                cli._run_fast({})
            else:
                commands.cli.main(["run", "p.hl"], prog_name="hll")
        results.append((e.value.code, err.getvalue(), type(sys.stdout).__name__))
    assert results[0] == results[1]
