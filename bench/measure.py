"""Measuring one whole process: wall time, peak RSS, exit status, output.

Owns `measure` (one run of a command, through bench/spawn.py, whose
docstring says why a middle process is needed for a true peak RSS) and the
`Sample` it returns.  It does not know what the command is, nor whether its
output is right.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SPAWN = Path(__file__).resolve().parent / "spawn.py"


@dataclass(frozen=True)
class Sample:
    wall: float              # seconds, fork to exit
    rss_kib: int             # peak resident set size
    status: int              # exit status; negative: ended by that signal
    stdout: str
    stderr: str
    timed_out: bool = False


def measure(cmd: list[str], env: dict[str, str] | None = None, timeout: float | None = None) -> Sample:
    """Run `cmd` to its end and measure it.  After `timeout` seconds it is
    killed and the sample says `timed_out` (its time is the timeout)."""
    with tempfile.TemporaryDirectory(prefix="hlbench-") as tmp:
        result = Path(tmp) / "result"
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            # A session of its own, so that a timeout or ^C ends the command
            # with its middle process (killpg), and ^C reaches only the driver.
            p = subprocess.Popen([sys.executable, "-I", "-S", str(SPAWN), str(result), *cmd],
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                                 start_new_session=True)
            timed_out = False
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill(p)
            except BaseException:
                _kill(p)
                raise
            stdout, stderr = _read(out), _read(err)
        if timed_out or not result.exists():
            return Sample(float(timeout or 0.0), 0, p.returncode if not timed_out else -signal.SIGKILL,
                          stdout, stderr, timed_out)
        wall, rss, status = result.read_text().split()
        return Sample(float(wall), int(rss), int(status), stdout, stderr)


def _kill(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def _read(f) -> str:
    f.seek(0)
    return f.read().decode("utf-8", errors="replace")
