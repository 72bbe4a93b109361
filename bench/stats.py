"""The statistics of the benchmark reports: median and spread of a set of
runs, geometric mean of ratios.  Owns nothing else."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    n: int
    median: float
    min: float
    max: float
    q1: float                # quartiles (inclusive method): with 1 run, all five are that run
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


def spread(values: list[float]) -> Spread | None:
    """Median, extremes and quartiles of `values`; None for no values."""
    if not values:
        return None
    v = sorted(values)
    if len(v) == 1:
        q1 = q3 = v[0]
    else:
        # "inclusive" keeps the quartiles within [min, max] for few runs
        q1, _, q3 = statistics.quantiles(v, n=4, method="inclusive")
    return Spread(len(v), statistics.median(v), v[0], v[-1], q1, q3)


def geomean(values: list[float]) -> float | None:
    """Geometric mean of positive values (ratios); None when there are none."""
    v = [x for x in values if x > 0]
    if not v:
        return None
    return math.exp(sum(math.log(x) for x in v) / len(v))
