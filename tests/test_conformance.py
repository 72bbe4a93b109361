"""Runs every conformance test (tests/conformance) in every execution tier.

Each test runs in-process under a wall-clock guard, so a test that loops
forever fails instead of hanging the suite.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from hll import conformance as C

ROOT = Path(__file__).parent / "conformance"
TIERS = ["off"]          # the interpreter is the only tier so far
TIME_LIMIT = 60.0


class GuardTimeout(BaseException):
    pass


def _alarm(signum, frame):
    raise GuardTimeout()


CASES = C.discover(ROOT) if ROOT.exists() else []


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT)) for p in CASES])
def test_conformance(path: Path, tier: str) -> None:
    case = C.parse(path)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        got = C.execute(case, jit=tier)
    except GuardTimeout:
        pytest.fail(f"{path}: did not finish within {TIME_LIMIT} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    verdict = C.judge(case, got)
    assert verdict.ok, f"{case.desc}\n" + "\n".join(verdict.problems) + (f"\nstderr:\n{got.stderr}" if got.stderr else "")
