"""`hll run --fuel N` and `--timeout SECONDS`: exhaustion ends the run with
status 4 and one line on standard error, after the output so far."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

SPIN = 'fn main() { println("before"); var n = 0; while true { n += 1; } }\n'
SHORT = 'fn main() -> int { var s = 0; for i in 0..1000 { s += i; } println(s); return 3; }\n'


def hll(*args: str, cwd):
    return subprocess.run([sys.executable, "-m", "hll.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, env={"HL_CACHE_DIR": str(cwd / "cache"), "PATH": ""})


@pytest.fixture
def prog(tmp_path):
    (tmp_path / "spin.hl").write_text(SPIN)
    (tmp_path / "short.hl").write_text(SHORT)
    return tmp_path


def test_fuel_exhausted_is_status_4(prog):
    r = hll("run", "--fuel", "100000", "spin.hl", cwd=prog)
    assert (r.returncode, r.stdout, r.stderr) == (4, "before\n", "fuel exhausted\n")


def test_timeout_is_status_4(prog):
    # The compiled program first, in the cache: the half second is the run's,
    # not the compiler's on a busy machine.
    hll("run", "--fuel", "1000", "spin.hl", cwd=prog)
    t0 = time.monotonic()
    r = hll("run", "--timeout", "0.5", "spin.hl", cwd=prog)
    assert (r.returncode, r.stdout, r.stderr) == (4, "before\n", "time limit of 0.5 s exceeded\n")
    assert time.monotonic() - t0 < 60


def test_enough_fuel_and_time_change_nothing(prog):
    r = hll("run", "--fuel", "2000", "--timeout", "30", "short.hl", cwd=prog)
    assert (r.returncode, r.stdout, r.stderr) == (3, "499500\n", "")


@pytest.mark.parametrize("flag, value", [("--fuel", "-1"), ("--fuel", "x"), ("--timeout", "0"),
                                         ("--timeout", "-2")])
def test_bad_limits_are_usage_errors(prog, flag, value):
    r = hll("run", flag, value, "short.hl", cwd=prog)
    assert r.returncode == 2 and "Invalid value" in r.stderr
