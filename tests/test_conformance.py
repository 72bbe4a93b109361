"""Runs every conformance test (tests/conformance) in every execution tier.

Each test runs in-process under a wall-clock guard, so a test that loops
forever fails instead of hanging the suite.  Tests listed in
tests/conformance/known-failures.txt are expected to fail in the tiers the
entry names: they xfail, and one that passes fails the run (strict), so the
list only shrinks.  Running, judging and the file's format are
`hll.conformance`'s, shared with `hll test`.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from hll import conformance as C

ROOT = Path(__file__).parent / "conformance"
TIME_LIMIT = 60.0


class GuardTimeout(BaseException):
    pass


def _alarm(signum, frame):
    raise GuardTimeout()


CASES = C.discover(ROOT) if ROOT.exists() else []
KNOWN = C.KnownFailures.load(ROOT / C.KNOWN_FAILURES)


def check_conformance(path: Path, tier: str, extra: dict | None = None) -> None:
    """Run one test in one tier under the wall-clock guard and judge it
    against known-failures.txt (shared with the GC-stress run)."""
    name = C.case_name(path, ROOT.resolve())
    entry = KNOWN.lookup(name, tier)
    if entry is not None and entry.skip:
        pytest.skip(f"known-failures.txt: {entry.reason}")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        case, verdict = C.run(path, tier, extra)
    except GuardTimeout:
        case, verdict = None, C.Verdict(False, [f"did not finish within {TIME_LIMIT:g} s"])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    kind = C.classify(verdict.ok, entry)
    if kind == C.XFAIL:
        pytest.xfail(f"known-failures.txt: {entry.reason}")
    if kind == C.XPASS:
        pytest.fail(f"{name} [{tier}] passes but is listed in known-failures.txt "
                    f"(line {entry.line}): remove the entry", pytrace=False)
    assert kind == C.PASS, (f"{case.desc if case else name}\n" + "\n".join(verdict.problems))


@pytest.mark.parametrize("tier", C.TIERS)
@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT)) for p in CASES])
def test_conformance(path: Path, tier: str) -> None:
    check_conformance(path, tier)


def test_known_failures_name_existing_tests() -> None:
    stale = [f"line {e.line}: {e.name}" for e in KNOWN.stale()]
    assert not stale, "known-failures.txt names tests that do not exist:\n" + "\n".join(stale)
