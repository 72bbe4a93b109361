"""The whole conformance suite under GC stress: a collection at every
allocation, with the heap verifier after each (`VM(gc_stress=True)`), in
the interpreter tier.  `hll test --gc-stress` runs the same in every tier.
Expected failures are those of known-failures.txt for that tier."""

import signal
from pathlib import Path

import pytest

from hll import conformance as C

ROOT = Path(__file__).parents[1] / "conformance"
TIME_LIMIT = 60.0
CASES = C.discover(ROOT) if ROOT.exists() else []
KNOWN = C.KnownFailures.load(ROOT / C.KNOWN_FAILURES)


class GuardTimeout(BaseException):
    pass


def _alarm(signum, frame):
    raise GuardTimeout()


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT)) for p in CASES])
def test_conformance_under_gc_stress(path: Path) -> None:
    name = C.case_name(path, ROOT.resolve())
    entry = KNOWN.lookup(name, "off")
    if entry is not None and entry.skip:
        pytest.skip(f"known-failures.txt: {entry.reason}")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        case, verdict = C.run(path, "off", {"gc_stress": True})
    except GuardTimeout:
        case, verdict = None, C.Verdict(False, [f"did not finish within {TIME_LIMIT:g} s"])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    kind = C.classify(verdict.ok, entry)
    if kind == C.XFAIL:
        pytest.xfail(f"known-failures.txt: {entry.reason}")
    assert kind in (C.PASS, C.XPASS), (f"{case.desc if case else name}\n" + "\n".join(verdict.problems))
