"""The benchmark programs print what their Python twins print.

At the small sizes of bench/README every program runs in the interpreter and
is compared with its twin run by the same CPython; at the default sizes (the
`slow` mark) the output is compared with bench/expected.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
from run import NAMES, SMALL  # noqa: E402


def _hll(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hll.cli", "run", *args], capture_output=True, text=True,
                          timeout=1200)


@pytest.mark.parametrize("name", NAMES)
def test_small_size_matches_python_twin(name: str) -> None:
    size = str(SMALL[name])
    twin = subprocess.run([sys.executable, str(BENCH / "py" / f"{name}.py"), size],
                          capture_output=True, text=True, check=True).stdout
    got = _hll("--jit=off", str(BENCH / "programs" / f"{name}.hl"), size)
    assert got.returncode == 0, got.stderr
    assert got.stdout == twin


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_default_size_matches_expected(name: str) -> None:
    got = _hll(str(BENCH / "programs" / f"{name}.hl"))
    assert got.returncode == 0, got.stderr
    assert got.stdout == (BENCH / "expected" / f"{name}.txt").read_text()
