"""The benchmark chart: a PNG of HL's time over CPython's per workload,
one bar per tier, on a log scale (a bar under the line at 1 is faster than
CPython).

Owns only the drawing.  matplotlib is imported when a chart is asked for,
not before (it is an optional extra: `pip install -e '.[bench]'`).
"""

from __future__ import annotations

from pathlib import Path

from results import REFERENCE, Row
from stats import geomean


class ChartUnavailable(Exception):
    """The chart cannot be drawn here (matplotlib is not installed)."""


def draw(rows: list[Row], tiers: list[str], out: Path, title: str) -> None:
    """Write the chart of `rows` to `out` (PNG).  Each bar is the ratio of
    medians, its whisker HL's fastest and slowest run over CPython's median;
    a failed row is drawn hatched and labelled FAIL, a row without a ratio
    has no bar.  The last group is the geometric mean of the rows that
    passed, as in the Markdown report."""
    try:
        import matplotlib
        matplotlib.use("Agg")               # files only: no display needed
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError as e:
        raise ChartUnavailable(f"the chart needs matplotlib ({e}); install it with "
                               "`pip install matplotlib` or `pip install -e '.[bench]'`") from None
    workloads = list(dict.fromkeys(f"{r.workload}:{r.size}" for r in rows))
    groups = workloads + ["geometric mean"]
    width = 0.8 / max(len(tiers), 1)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(groups) * max(len(tiers), 1) ** 0.5 + 2), 4.5))
    ratios = []
    for t, tier in enumerate(tiers):
        for x, (ratio, lo, hi, ok) in _bars([r for r in rows if r.tier == tier], groups):
            ratios += [lo, hi]
            pos = x - 0.4 + width * (t + 0.5)
            ax.bar(pos, ratio, width, color=f"C{t}", label=f"--jit={tier}",
                   hatch=None if ok else "//", edgecolor=None if ok else "black",
                   yerr=[[ratio - lo], [hi - ratio]] if hi > lo else None,
                   error_kw={"elinewidth": 0.8, "capsize": 2})
            ax.annotate(f"{ratio:.2f}" + ("" if ok else " FAIL"), (pos, hi), ha="center", va="bottom",
                        fontsize=7, rotation=90 if len(tiers) > 2 else 0, xytext=(0, 2), textcoords="offset points")
    ax.set_yscale("log")
    # plain numbers (0.5, 1, 2, 5, 10) read better than powers of ten
    ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.axhline(1.0, color="gray", linewidth=0.8, linestyle="--")
    if ratios:
        ax.set_ylim(min(min(ratios), 1.0) / 1.6, max(max(ratios), 1.0) * 2.2)
    ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("HL time / CPython time (log scale; < 1: HL is faster)")
    ax.set_title(title, fontsize=9)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if unique:
        ax.legend(unique.values(), unique.keys(), fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def _bars(rows: list[Row], groups: list[str]):
    """(x, (ratio, lowest, highest, ok)) of one tier's bars: the rows', then
    the geometric mean's (last group)."""
    by_label = {f"{r.workload}:{r.size}": r for r in rows}
    for x, label in enumerate(groups[:-1]):
        r = by_label.get(label)
        ratio = r.ratio(REFERENCE) if r else None
        if ratio is not None:
            twin = r.others[REFERENCE].median
            yield x, (ratio, r.hl.min / twin, r.hl.max / twin, r.ok)
    mean = geomean([x for r in rows if r.ok and (x := r.ratio(REFERENCE)) is not None])
    if mean is not None:
        yield len(groups) - 1, (mean, mean, mean, True)
