"""The benchmark reports: the console lines, the Markdown tables and the
JSON document.

Owns their formats; each table is a list of columns (header, cell of a
row), and a column whose contender was not run is left out, while a cell
without data shows "—".  The numbers come from results.py; the chart is
chart.py's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Callable

from results import REFERENCE, Row
from stats import Spread, geomean

NONE = "—"
OTHER_LABELS = {"cpython": "CPython", "pypy": "PyPy", "java": "Java"}


def _s(x: float | None, fmt: str = ".3f") -> str:
    return NONE if x is None else format(x, fmt)


def _median(sp: Spread | None) -> str:
    return NONE if sp is None else f"{sp.median:.3f}"


def _minmax(sp: Spread | None) -> str:
    return NONE if sp is None else f"{sp.min:.3f}–{sp.max:.3f}"


def _size(r: Row) -> str:
    return f"{r.size} ({r.size_name})" if r.size_name else str(r.size)


def _jit_functions(r: Row) -> str:
    if r.jit_functions is None:
        return NONE
    if r.jit_not_compiled is None:
        return str(r.jit_functions)
    return f"{r.jit_functions} of {r.jit_functions + r.jit_not_compiled}"


def _status(r: Row) -> str:
    return "ok" if r.ok else "FAIL"


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[Row], str]
    ratio_of: str | None = None     # a column of HL/that contender: its geometric mean is shown


def _ratio(o: str) -> Column:
    return Column(f"HL/{OTHER_LABELS.get(o, o)}", lambda r: _s(r.ratio(o), ".2f"), ratio_of=o)


def columns(others: list[str]) -> list[Column]:
    """The Markdown table's columns, for the other contenders that ran."""
    twin = REFERENCE in others
    cols = [Column("workload", lambda r: r.workload),
            Column("size", _size),
            Column("HL s", lambda r: _median(r.hl)),
            Column("HL min–max s", lambda r: _minmax(r.hl))]
    if twin:
        cols += [Column("CPython s", lambda r: _median(r.others.get(REFERENCE))), _ratio(REFERENCE)]
    cols += [Column("HL peak RSS MiB", lambda r: _s(r.hl_rss_mib, ".1f"))]
    if twin:
        cols += [Column("CPython peak RSS MiB", lambda r: _s(r.others_rss_mib.get(REFERENCE), ".1f"))]
    cols += [Column("compile s", lambda r: _median(r.compile)),
             Column("JIT ms", lambda r: _s(r.jit_ms, ".1f")),
             Column("JIT functions", _jit_functions)]
    for o in others:
        if o != REFERENCE:
            cols += [Column(f"{OTHER_LABELS.get(o, o)} s", lambda r, o=o: _median(r.others.get(o))), _ratio(o)]
    return cols + [Column("status", _status)]


def geomean_cells(rows: list[Row], cols: list[Column]) -> list[str]:
    """The geometric-mean row: the geometric mean of each ratio column over
    the rows that passed, their count under status, "" elsewhere."""
    good = [r for r in rows if r.ok]
    fixed = {"workload": "geometric mean", "status": f"{len(good)}/{len(rows)} ok"}
    return [_s(geomean([x for r in good if (x := r.ratio(c.ratio_of)) is not None]), ".2f")
            if c.ratio_of else fixed.get(c.header, "") for c in cols]


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    return lines + ["| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |" for cells in body]


def markdown(rows: list[Row], meta: dict, tiers: list[str], others: list[str]) -> str:
    """The report: how it was measured, then a table per tier."""
    out = ["# HL benchmarks", ""]
    out += [f"- {k}: {v}" for k, v in meta.items()]
    cols = columns(others)
    for tier in tiers:
        mine = [r for r in rows if r.tier == tier]
        out += ["", f"## `--jit={tier}`", ""]
        body = [[c.cell(r) for c in cols] for r in mine]
        out += _md_table([c.header for c in cols], body + [geomean_cells(mine, cols)])
        failed = [r for r in mine if not r.ok]
        if failed:
            out += ["", "Failures:", ""]
            out += [f"- {r.workload}:{r.size}: {p}" for r in failed for p in r.problems]
    return "\n".join(out) + "\n"


def to_json(rows: list[Row], meta: dict, raw: list[dict]) -> str:
    """Every row with its spreads (median, min, max, quartiles), ratios and
    problems, plus every run's time, peak RSS and status (`runs`)."""
    doc_rows = []
    for r in rows:
        d = asdict(r)
        d["ok"] = r.ok
        d["ratios"] = {o: r.ratio(o) for o in r.others}
        doc_rows.append(d)
    return json.dumps({"meta": meta, "rows": doc_rows, "runs": raw}, indent=2, ensure_ascii=False) + "\n"


CONSOLE = "{:<22} {:>6} {:>9} {:>15} {:>10} {:>8} {:>9}  {}"


def console_header() -> str:
    return CONSOLE.format("benchmark", "tier", "HL s", "min–max", "CPython s", "ratio", "RSS MiB", "")


def console_line(r: Row) -> str:
    status = "" if r.ok else "FAILED: " + "; ".join(r.problems)
    return CONSOLE.format(f"{r.workload}:{r.size}", r.tier, _median(r.hl), _minmax(r.hl),
                          _median(r.others.get(REFERENCE)), _s(r.ratio(), ".2f"), _s(r.hl_rss_mib, ".1f"),
                          status).rstrip()
