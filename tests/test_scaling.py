"""Nothing grows faster than n log n: the quick subset of bench/scaling.py
(compiling, reading, verifying, disassembling, and the run-time operations
on big strings and arrays, each at sizes n, 2n, 4n, 8n) passes, and the
check itself tells a quadratic cost from a linear one.

The verdicts compare times of growing sizes measured on this machine, never
a time against a constant; bench/scaling.py measures once more before it
reports an operation, so a busy moment does not fail the test.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import scaling  # noqa: E402


def test_quick_operations_grow_at_most_n_log_n():
    out = io.StringIO()
    failed = scaling.check(scaling.QUICK, quick=True, repeat=3, limit=scaling.LIMIT, out=out)
    assert failed == [], out.getvalue()


def _busy(square: bool):
    def prepare(n: int):
        def run():
            total = 0
            for i in range(n * n if square else n * 400):
                total += i
            return total
        return run
    return prepare


def test_the_check_tells_quadratic_from_linear(monkeypatch):
    monkeypatch.setitem(scaling.OPS, "test.quadratic", (300, 150, _busy(True)))
    monkeypatch.setitem(scaling.OPS, "test.linear", (300, 150, _busy(False)))
    out = io.StringIO()
    failed = scaling.check(["test.quadratic", "test.linear"], quick=True, repeat=5,
                           limit=scaling.LIMIT, out=out)
    assert failed == ["test.quadratic"], out.getvalue()
    assert "TOO STEEP" in out.getvalue()
