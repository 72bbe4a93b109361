"""The whole conformance suite under GC stress: a collection at every
allocation, with the heap verifier after each (`VM(gc_stress=True)`), in
the interpreter tier.  `hll test --gc-stress` runs the same in every tier.
Expected failures are those of known-failures.txt for that tier."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_conformance import CASES, ROOT, check_conformance  # noqa: E402


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT)) for p in CASES])
def test_conformance_under_gc_stress(path: Path) -> None:
    check_conformance(path, "off", {"gc_stress": True})
