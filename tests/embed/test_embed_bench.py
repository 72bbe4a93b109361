"""bench/embed_calls.py runs (a smoke run: the numbers are for people)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_boundary_benchmark_runs():
    r = subprocess.run([sys.executable, "bench/embed_calls.py", "--quick"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any(line.startswith("HL ") for line in lines)
    assert any(line.startswith("plain Python ") for line in lines)
    assert any(line.startswith("computed: ") for line in lines)
