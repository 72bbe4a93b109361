"""What the migration tests share: the workload (bench/migrate.py's, so the
tests move the program the benchmark measures), the `hll` command, and
`Serve`, an `hll serve` on a free port whose standard error is collected
as it comes.  (The fixtures are in conftest.py.)"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HLL = [sys.executable, "-m", "hll.cli"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_migrate", ROOT / "bench" / "migrate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


class Serve:
    """A running `hll serve --listen 127.0.0.1:0 ARGS`: its port, and its
    standard error as it comes (`err`)."""

    def __init__(self, env: dict, *args: str, stdout=subprocess.PIPE) -> None:
        self.proc = subprocess.Popen([*HLL, "serve", "--listen", "127.0.0.1:0", *args], stdout=stdout,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[str] = []
        self._new = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        m = self.wait_for(r"listening on 127\.0\.0\.1:(\d+)")
        self.port = int(m.group(1))
        self.address = f"127.0.0.1:{self.port}"

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._new:
                self.lines.append(line)
                self._new.notify_all()
        with self._new:
            self.lines.append("")                  # (the end)
            self._new.notify_all()

    @property
    def err(self) -> str:
        with self._new:
            return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 60.0):
        """The first match of `pattern` in the server's standard error,
        waiting for it (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        with self._new:
            while True:
                m = rx.search("".join(self.lines))
                if m:
                    return m
                left = deadline - time.monotonic()
                assert left > 0 and self.lines[-1:] != [""], \
                    f"hll serve never said {pattern!r}; it said:\n{''.join(self.lines)}"
                self._new.wait(left)

    def finish(self, timeout: float = 120.0) -> tuple[int, str]:
        """(exit status, standard output) once it ends by itself (its
        standard error is all in `err` then)."""
        out = self.proc.stdout.read() if self.proc.stdout else ""
        self.proc.wait(timeout)
        self._reader.join(timeout)
        return self.proc.returncode, out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
