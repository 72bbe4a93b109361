"""`hll run` in a hostile environment: standard streams that are closed,
full, broken or in an odd encoding, huge input, signals, and every option
at its extremes (docs/running.md: exit statuses, options and their values,
standard streams, signals).  Each case runs `hll` as a subprocess and
checks its status, its output bytes and that no Python traceback leaks.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX descriptors and signals")

ROOT = Path(__file__).resolve().parent.parent
HLL = [sys.executable, "-m", "hll.cli"]

PROGRAMS = {
    "hello.hl": 'fn main() { println("héllo ☃"); }\n',
    "count.hl": "fn main() {\n    var i = 0;\n    while true { println(i); i += 1; }\n}\n",
    "echo.hl": 'fn main() {\n    var line = input();\n'
               '    while line != null { println("> " + line); line = input(); }\n}\n',
    "silent.hl": "fn main() -> int { return 3; }\n",
    "boom.hl": 'fn main() { println("before"); let a = new int[1]; println(a[2]); }\n',
}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A folder with the programs, and an environment whose cache is
    shared by the module's runs (each compiles once)."""
    d = tmp_path_factory.mktemp("hostile")
    for name, text in PROGRAMS.items():
        (d / name).write_text(text, encoding="utf-8")
    e = dict(os.environ)
    e["HL_CACHE_DIR"] = str(d / "cache")
    e["PYTHONPATH"] = str(ROOT)
    subprocess.run([*HLL, "run", "hello.hl"], cwd=d, env=e, capture_output=True, timeout=120)
    return d, e


def run(env, args, *, stdin=subprocess.DEVNULL, extra_env=None, drop_env=(), shell_redirect="",
        preexec_fn=None, input=None):
    """Run `hll ARGS` in the programs' folder: (status, stdout bytes, stderr
    text).  `shell_redirect`: redirections applied by a shell (`>&-`)."""
    d, e = env
    e = {k: v for k, v in {**e, **(extra_env or {})}.items() if k not in drop_env}
    if shell_redirect:
        cmd = " ".join(map(_quote, [*HLL, *args])) + " " + shell_redirect
        r = subprocess.run(["/bin/sh", "-c", cmd], cwd=d, env=e, capture_output=True, timeout=60,
                           stdin=None if input is not None else stdin, input=input)
    else:
        r = subprocess.run([*HLL, *args], cwd=d, env=e, capture_output=True, timeout=60,
                           stdin=None if input is not None else stdin, input=input,
                           preexec_fn=preexec_fn)
    err = r.stderr.decode("utf-8")
    assert "Traceback" not in err and "internal VM error" not in err, err
    return r.returncode, r.stdout, err


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


# --- standard output -----------------------------------------------------------------------

def test_a_reader_that_goes_away_ends_the_run_quietly_with_141(env):
    d, e = env
    p = subprocess.Popen([*HLL, "run", "count.hl"], cwd=d, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert p.stdout.readline() == b"0\n"
    p.stdout.close()                       # as `| head -1` does
    err = p.stderr.read().decode()
    assert (p.wait(timeout=60), err) == (141, "")


def test_a_closed_stdout_is_a_clear_error(env):
    status, _, err = run(env, ["run", "hello.hl"], shell_redirect=">&-")
    assert (status, err) == (74, "hll: cannot write standard output: Bad file descriptor\n")


def test_a_closed_stdout_does_not_matter_to_a_program_that_prints_nothing(env):
    assert run(env, ["run", "silent.hl"], shell_redirect=">&-")[:1] == (3,)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_is_a_clear_error(env):
    status, _, err = run(env, ["run", "hello.hl"], shell_redirect=">/dev/full")
    assert (status, err) == (74, "hll: cannot write standard output: No space left on device\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_during_other_commands_is_the_same_error(env):
    for args in (["disasm", "hello.hl"], ["verify", "hello.hl"], ["--help"]):
        status, _, err = run(env, args, shell_redirect=">/dev/full")
        assert (status, err) == (74, "hll: cannot write standard output: No space left on device\n"), args


def test_a_closed_stderr_keeps_the_status(env):
    status, out, err = run(env, ["run", "boom.hl"], shell_redirect="2>&-")
    assert (status, out) == (1, b"before\n")


# --- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("env_change", [
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    {"LC_ALL": "POSIX", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    {},
], ids=["ascii", "latin-1", "C", "POSIX", "unset"])
def test_output_is_utf8_whatever_the_locale(env, env_change):
    drop = () if env_change else ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "PYTHONUTF8")
    status, out, err = run(env, ["run", "hello.hl"], extra_env=env_change, drop_env=drop)
    assert (status, out, err) == (0, "héllo ☃\n".encode(), "")


def test_input_is_utf8_and_bad_bytes_read_as_replacement_characters(env):
    status, out, _ = run(env, ["run", "echo.hl"], input="é☃\n".encode() + b"a\xffb\xc3\n",
                         extra_env={"PYTHONIOENCODING": "ascii"})
    assert (status, out.decode("utf-8")) == (0, "> é☃\n> a\ufffdb\ufffd\n")


def test_arguments_are_utf8_and_bad_bytes_read_as_replacement_characters(env):
    d, _ = env
    (d / "args.hl").write_text('fn main(args: string[]) { for a in args { println(a + " " + str(a.length)); } }\n')
    for extra in ({}, {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}):
        status, out, _ = run(env, ["run", "args.hl", "é", "a\udcffb"], extra_env=extra)
        assert (status, out.decode("utf-8")) == (0, "é 1\na\ufffdb 3\n"), extra


def test_compile_errors_are_utf8_too(env):
    d, _ = env
    (d / "bad.hl").write_text('fn main() { let é = 1 +; }\n', encoding="utf-8")
    status, _, err = run(env, ["run", "bad.hl"], extra_env={"PYTHONIOENCODING": "ascii"})
    assert status == 2 and "let é = 1 +;" in err


# --- standard input ------------------------------------------------------------------------

def test_a_closed_stdin_is_a_clear_error_when_read(env):
    status, out, err = run(env, ["run", "echo.hl"], shell_redirect="<&-")
    assert (status, out, err) == (74, b"", "hll: cannot read standard input: Bad file descriptor\n")


def test_a_closed_stdin_does_not_matter_to_a_program_that_does_not_read(env):
    status, out, _ = run(env, ["run", "hello.hl"], shell_redirect="<&-")
    assert (status, out) == (0, "héllo ☃\n".encode())


def test_end_of_input_is_null(env):
    assert run(env, ["run", "echo.hl"], input=b"one\r\ntwo")[:2] == (0, b"> one\n> two\n")


_PEAK = """
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdin=open("big.txt", "rb"), capture_output=True)
sys.stdout.write(f"{r.returncode}\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n")
sys.stdout.write(r.stderr.decode())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB on Linux")
def test_a_huge_line_on_stdin_stays_within_the_heap(env):
    """A 256 MiB line to a program with a 16 MiB heap: OutOfMemoryError,
    with the process's memory bounded by the heap, not the input."""
    d, e = env
    with open(d / "big.txt", "wb") as f:
        f.write(b"x" * (1 << 20) * 256)
    try:
        # The peak is read in a process of its own: RUSAGE_CHILDREN is the
        # largest of all the children a process waited for.
        r = subprocess.run([sys.executable, "-c", _PEAK, *HLL, "run", "--max-heap", "16M", "echo.hl"],
                           cwd=d, env=e, capture_output=True, text=True, timeout=60)
    finally:
        (d / "big.txt").unlink()
    status, peak_kib, *err = r.stdout.splitlines()
    assert int(status) == 1 and err[0].startswith("Uncaught OutOfMemoryError"), r.stdout
    assert int(peak_kib) < (16 + 64) * 1024


# --- signals -------------------------------------------------------------------------------

@pytest.mark.parametrize("signum, status, message", [(signal.SIGINT, 130, "hll: interrupted\n"),
                                                     (signal.SIGTERM, 143, "hll: terminated\n")])
def test_a_signal_ends_a_running_program_with_its_status(env, signum, status, message):
    d, e = env
    p = subprocess.Popen([*HLL, "run", "count.hl"], cwd=d, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert p.stdout.readline() == b"0\n"    # running main
    p.send_signal(signum)
    out, err = p.communicate(timeout=60)
    assert (p.returncode, err.decode()) == (status, message)
    assert out.endswith(b"\n")               # what was printed is flushed whole


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_ends_a_program_waiting_for_input(env, signum, status):
    d, e = env
    p = subprocess.Popen([*HLL, "run", "echo.hl"], cwd=d, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.PIPE)
    p.stdin.write(b"a\n")
    p.stdin.flush()
    assert p.stdout.readline() == b"> a\n"  # flushed before the next input(), which waits
    p.send_signal(signum)
    out, err = p.communicate(timeout=60)
    assert p.returncode == status and "Aborted" not in err.decode()


def test_a_sigterm_the_parent_ignores_stays_ignored(env):
    d, e = env
    p = subprocess.Popen([*HLL, "run", "echo.hl"], cwd=d, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN))
    p.stdin.write(b"a\n")
    p.stdin.flush()
    assert p.stdout.readline() == b"> a\n"
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(b"b\n", timeout=60)
    assert (p.returncode, out, err) == (0, b"> b\n", b"")


# --- options at their extremes -------------------------------------------------------------

def _limit_address_space():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("args, status, text", [
    (["--max-heap", "9999999999999999999999G"], 2, "'9999999999999999999999G' is above the maximum, 1T"),
    (["--max-heap", "2T"], 2, "above the maximum, 1T"),
    (["--max-heap", "1025T"], 2, "above the maximum, 1T"),
    (["--max-heap", "0"], 2, "'0' is below the minimum, 64K"),
    (["--max-heap", "-5M"], 2, "is not a size"),
    (["--max-heap", "1.5G"], 2, "is not a size"),
    (["--max-heap", "64K"], 0, ""),
    (["--max-stack", "0"], 2, "'0' is not in the range 1 to 1000000"),
    (["--max-stack", "1000001"], 2, "not in the range 1 to 1000000"),
    (["--max-stack", "1000000"], 0, ""),
    (["--fuel", "9223372036854775807"], 0, ""),
    (["--fuel", "9223372036854775808"], 2, "not in the range 0 to 9223372036854775807"),
    (["--fuel", "-1"], 2, "not in the range"),
    (["--fuel", "0"], 4, "fuel exhausted"),
    (["--timeout", "nan"], 2, "'nan' is not a finite number of seconds"),
    (["--timeout", "inf"], 2, "'inf' is not a finite number of seconds"),
    (["--timeout", "1e400"], 2, "not a finite number"),
    (["--timeout", "0"], 2, "'0' is not greater than 0"),
    (["--timeout", "-1"], 2, "not greater than 0"),
    (["--timeout", "1e300"], 0, ""),
    (["--timeout", "1e-300"], 4, "time limit of 1e-300 s exceeded"),      # while loading, or at once
    (["--jit", "fast"], 2, "'fast' is not one of"),
    (["--allow-read", ""], 2, "the path is empty"),
    (["--allow-write", ""], 2, "the path is empty"),
    (["--path", ""], 2, "the path is empty"),
    (["--path", "hello.hl"], 2, "'hello.hl' is a file, not a directory"),
])
def test_an_option_value_is_checked_with_a_one_line_reason(env, args, status, text):
    got, out, err = run(env, ["run", *args, "hello.hl"])
    assert got == status, err
    if status == 2:
        assert err.count("\n") <= 4 and f"Invalid value for '{args[0]}': " in err and text in err
        assert out == b""
    else:
        assert text in err


def test_a_heap_the_os_will_not_map_is_a_usage_error(env):
    status, out, err = run(env, ["run", "--max-heap", "4G", "hello.hl"], preexec_fn=_limit_address_space)
    assert (status, out, err) == (2, b"", "hll: cannot reserve a heap of 4G (--max-heap): "
                                          "Cannot allocate memory\n")


def test_the_repl_checks_the_same_values(env):
    status, _, err = run(env, ["repl", "--max-heap", "2T"])
    assert status == 2 and "'2T' is above the maximum, 1T" in err


def test_a_status_outside_a_byte_is_its_low_byte(env):
    d, _ = env
    (d / "big.hl").write_text("fn main() -> int { return 9223372036854775807; }\n")
    (d / "wrap.hl").write_text("fn main() -> int { return 256 + 7; }\n")
    assert run(env, ["run", "big.hl"])[0] == 255
    assert run(env, ["run", "wrap.hl"])[0] == 7
