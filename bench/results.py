"""What one benchmark invocation found, and what it means per table row.

Owns the results (`Result`: every run of every contender on one workload at
one size, the compile runs, the JIT summaries), the check of outputs (a run
is right when it exits 0 and prints the expected output, or, with none
recorded for that size, what the Python twin prints), and the rows the
reports show (`Row`: one workload in one tier, with medians, spreads and
ratios).  Formatting is report.py's and chart.py's.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from jitstats import JitSummary
from measure import Sample
from stats import Spread, spread
from workloads import Item

REFERENCE = "cpython"        # the ratio's denominator and, without an expected file, the output's judge


@dataclass
class Result:
    """One workload at one size: contender key ("hl:auto", "cpython", ...)
    -> its measured runs, in order."""
    item: Item
    runs: dict[str, list[Sample]] = field(default_factory=dict)
    compile: list[Sample] = field(default_factory=list)
    jit: dict[str, list[JitSummary]] = field(default_factory=dict)
    expected: str | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)   # filled by check()

    def check(self) -> None:
        self.problems = check_outputs(self.expected, self.runs, self.compile)


def _why(s: Sample) -> str | None:
    """What is wrong with a run apart from its output."""
    if s.timed_out:
        return f"timed out after {s.wall:g} s"
    if s.status != 0:
        last = s.stderr.strip().splitlines()[-1:] or [""]
        return f"exit status {s.status}" + (f": {last[0][:200]}" if last[0] else "")
    return None


def check_outputs(expected: str | None, runs: dict[str, list[Sample]],
                  compile: list[Sample] = ()) -> dict[str, list[str]]:
    """Problems by contender key (and "compile"); empty when all is right.
    The reference output is `expected`, else the Python twin's first run's,
    else (neither) each contender's runs must only agree among themselves."""
    problems: dict[str, list[str]] = {}
    twin = runs.get(REFERENCE, [])
    if expected is not None:
        reference, source = expected, "the expected output"
    elif twin and _why(twin[0]) is None:
        reference, source = twin[0].stdout, "the Python twin's"
    else:
        reference, source = None, ""
    for key, samples in runs.items():
        found: dict[str, int] = {}          # problem -> first run that had it
        for i, s in enumerate(samples, 1):
            why = _why(s)
            if why is None and reference is not None and s.stdout != reference:
                why = f"output differs from {source}"
            if why is None and reference is None and s.stdout != samples[0].stdout:
                why = "output differs from its first run's"
            if why is not None:
                found.setdefault(why, i)
        if found:
            problems[key] = [f"run {i}: {why}" if len(samples) > 1 else why for why, i in found.items()]
    bad_compile = [w for w in map(_why, compile) if w]
    if bad_compile:
        problems["compile"] = bad_compile[:1]
    return problems


def _times(samples: list[Sample]) -> Spread | None:
    return spread([s.wall for s in samples if _why(s) is None])


def _rss_mib(samples: list[Sample]) -> float | None:
    values = [s.rss_kib / 1024 for s in samples if _why(s) is None]
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class Row:
    """One workload in one tier, as the reports show it.  None: no data."""
    workload: str
    size: int
    size_name: str | None
    tier: str
    hl: Spread | None
    hl_rss_mib: float | None
    compile: Spread | None
    jit_ms: float | None
    jit_functions: int | None                 # compiled (the most of any run)
    jit_not_compiled: int | None              # left to the interpreter, when HL says
    others: dict[str, Spread | None]          # "cpython", "pypy", "java" -> times
    others_rss_mib: dict[str, float | None]
    problems: list[str]                       # "HL: output differs ...": this row fails

    @property
    def ok(self) -> bool:
        return not self.problems

    def ratio(self, other: str = REFERENCE) -> float | None:
        """HL's median time over `other`'s."""
        o = self.others.get(other)
        if self.hl is None or o is None or o.median <= 0:
            return None
        return self.hl.median / o.median


def rows(results: list[Result], tiers: list[str], others: list[str], labels: dict[str, str]) -> list[Row]:
    """The rows of every tier, tier by tier, in the results' order.  A row
    fails on a problem of its tier's HL runs, of the compile, or of any
    other contender (a twin that prints the wrong thing makes the ratio
    meaningless)."""
    out = []
    for tier in tiers:
        key = f"hl:{tier}"
        for r in results:
            mine = [key, "compile", *others]
            problems = [f"{labels.get(k, k)}: {p}" for k in mine for p in r.problems.get(k, [])]
            jit = r.jit.get(key, [])
            out.append(Row(
                workload=r.item.name, size=r.item.size, size_name=r.item.size_name, tier=tier,
                hl=_times(r.runs.get(key, [])), hl_rss_mib=_rss_mib(r.runs.get(key, [])),
                compile=_times(r.compile),
                jit_ms=statistics.median(j.ms for j in jit) if jit else None,
                jit_functions=max(j.functions for j in jit) if jit else None,
                jit_not_compiled=max((j.not_compiled for j in jit if j.not_compiled is not None), default=None),
                others={o: _times(r.runs.get(o, [])) for o in others},
                others_rss_mib={o: _rss_mib(r.runs.get(o, [])) for o in others},
                problems=problems))
    return out
