"""A running program moves between two processes over a local socket, and
the user cannot tell from its output: what the source printed, then what
the target printed, is byte for byte what an uninterrupted run prints, and
the target ends with the run's exit status.

The program (bench/migrate.py's workload) keeps about 50 MiB of live
records that it keeps mutating while it prints progress; it moves once its
data is built (SIGUSR1 after its first line), by pre-copy and by
stop-and-copy.
"""

from __future__ import annotations

import signal
import subprocess

import pytest

from migrate_support import BENCH, HLL

MIB = 50
STEPS = 4000          # at 2 ms a step: long enough to move well before the end
HEAP = "256M"


@pytest.fixture(scope="module")
def expected(workload, hl_env):
    """The uninterrupted run (without the pauses, which change no output)."""
    r = subprocess.run([*HLL, "run", "--max-heap", HEAP, str(workload), str(MIB), str(STEPS), "0"],
                       capture_output=True, text=True, env=hl_env, timeout=300)
    assert r.returncode == 7, r.stderr
    assert r.stdout.endswith("\n") and "done" in r.stdout
    return r.stdout


def move(workload, hl_env, serve, *options: str):
    """Run the workload with `options`, move it once its data is built;
    (source status, source stdout, source stderr, target status, target
    stdout, target's log)."""
    target = serve("--once", "--max-heap", HEAP)
    source = subprocess.Popen([*HLL, "run", "--max-heap", HEAP, "--migrate-to", target.address,
                               "--migrate-on", "SIGUSR1", *options, str(workload), str(MIB), str(STEPS), "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=hl_env)
    first = source.stdout.readline()
    assert first.startswith("step 0 "), first
    source.send_signal(signal.SIGUSR1)
    rest, err = source.communicate(timeout=300)
    status, out = target.finish(timeout=300)
    return source.returncode, first + rest, err, status, out, target.err


@pytest.mark.parametrize("options", [(), ("--migrate-precopy-rounds", "0")], ids=["pre-copy", "stop-and-copy"])
def test_moved_program_prints_what_an_uninterrupted_run_prints(workload, hl_env, serve, expected, options):
    src_status, src_out, src_err, status, out, log = move(workload, hl_env, serve, *options)
    assert src_status == 0, src_err
    # It moved in the middle: both printed part of it.
    assert src_out and out, (src_err, log)
    assert src_out + out == expected
    assert status == 7, log
    assert "ended with status 7" in log
    # The source's one line: where it went, the downtime, what each round sent
    # (in the form bench/migrate.py reads).
    r = BENCH.report(src_err)
    assert r and "migrated to 127.0.0.1:" in src_err, src_err
    assert r["snapshot"] >= MIB * 0.9                              # the live data went
    assert abs(sum(r["each"]) + r["final"] - r["sent"]) < 0.05
    if options:
        assert r["each"] == [] and abs(r["final"] - r["snapshot"]) < 0.02   # all of it, once
    else:
        assert 1 <= r["rounds"] <= 5
        assert r["each"][0] >= MIB * 0.9                           # the first round is all of it
        assert r["final"] < r["each"][0]                           # the final round sends what changed
    assert 0 < r["downtime"] < 60_000
