"""Benchmark driver: HL (`hll run`, in each tier) against CPython on each
program's Python twin, and against PyPy and Java when they are installed.

Every run is a whole process.  For each workload the contenders run in
turn (HL in each tier, `hll compile` of the program, CPython, PyPy, Java),
N rounds, so that a busy moment of the machine falls on all of them alike;
the reports give the median wall time, its spread, the ratio HL / CPython
and the peak RSS of each process.  Every output is checked against
bench/expected (or ../shared/bench/expected) at the sizes that have one,
and against the Python twin's otherwise: a mismatch fails that row and the
exit status.  By default HL's caches are warm: one unmeasured run of each
tier fills a cache directory used by the measured runs; `--cold` gives
every HL run an empty one.  docs/benchmarks.md says what each column means.

    python bench/run.py                          # all, default sizes, 3 runs each
    python bench/run.py --size small --runs 1 fib sieve --tiers off,auto
    python bench/run.py fib:25 sieve:large nbody:10000 --runs 5
    python bench/run.py --small --jit off --markdown r.md --json r.json --chart r.png

Owns the command line, the order of runs and the progress lines (standard
error); workloads.py owns the sizes, contenders.py the command lines,
measure.py a run's measurement, results.py the checks and rows, report.py
and chart.py the outputs.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from contenders import HLL, OTHERS, TIERS, Contender, hl, hl_compile
from jitstats import parse_jit_summary, supports_trace_jit
from measure import Sample, measure
from results import Result, Row, rows
from report import console_header, console_line, markdown, to_json
from workloads import NAMES, SIZE_NAMES, SMALL, ItemError, expected_output, parse_item  # noqa: F401  (NAMES, SMALL: tests)

HERE = Path(__file__).resolve().parent


def _list(choices):
    """An argparse type: a comma-separated list of `choices`."""
    def parse(text: str) -> list[str]:
        got = [x.strip() for x in text.split(",") if x.strip()]
        bad = [x for x in got if x not in choices]
        if bad or not got:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(choices)}")
        return list(dict.fromkeys(got))
    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("items", nargs="*", help="NAME, NAME:SIZE or NAME:small|default|large (default: all)")
    ap.add_argument("--size", choices=SIZE_NAMES, help="size of the items given without one (default: default)")
    ap.add_argument("--small", action="store_true", help="same as --size small")
    ap.add_argument("--tiers", type=_list(TIERS), help="HL tiers to run, e.g. off,auto (default: auto)")
    ap.add_argument("--jit", choices=TIERS, help="one tier (same as --tiers TIER)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs of each contender (default: 3)")
    ap.add_argument("--cold", action="store_true", help="give every HL run an empty cache (no warm-up run)")
    ap.add_argument("--vs", type=_list(list(OTHERS)), default=list(OTHERS),
                    help="other contenders, when installed (default: cpython,pypy,java)")
    ap.add_argument("--timeout", type=float, help="end a run after this many seconds (it fails)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the JSON report")
    ap.add_argument("--markdown", type=Path, metavar="FILE", help="write the Markdown report")
    ap.add_argument("--chart", type=Path, metavar="FILE.png", help="write a chart of HL / CPython (matplotlib)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    a = ap.parse_args(argv)
    if a.small and a.size not in (None, "small"):
        ap.error("--small and --size differ")
    if a.jit and a.tiers and a.tiers != [a.jit]:
        ap.error("--jit and --tiers differ")
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    if a.chart and "cpython" not in a.vs:
        ap.error("--chart shows HL / CPython: --vs must include cpython")
    if a.chart and importlib.util.find_spec("matplotlib") is None:
        # said before the runs, not after them
        ap.error("--chart needs matplotlib: pip install matplotlib (or pip install -e '.[bench]')")
    a.size = "small" if a.small else a.size or "default"
    a.tiers = a.tiers or [a.jit or "auto"]
    try:
        a.items = [parse_item(x, a.size) for x in a.items or NAMES]
    except ItemError as e:
        ap.error(str(e))
    return a


class Progress:
    """Progress lines on standard error: what runs now and what it took."""

    def __init__(self, quiet: bool):
        self.quiet = quiet

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def sample(self, where: str, what: str, s: Sample) -> None:
        state = "" if s.status == 0 else "  TIMED OUT" if s.timed_out else f"  exit status {s.status}"
        self.say(f"  [{where}] {what:<16} {s.wall:8.3f} s {s.rss_kib / 1024:8.1f} MiB{state}")


def _commit() -> str:
    try:
        # "-dirty": the working tree has changes, so the commit alone does not say what ran
        p = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                           capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return p.stdout.strip() or "unknown"


class Caches:
    """HL_CACHE_DIR for each HL run: one directory for the whole invocation
    when warm (filled by the warm-up runs; never the user's own cache, so
    what others do to theirs changes nothing), a new empty one per run when
    cold."""

    def __init__(self, cold: bool):
        self.cold = cold
        self.root = tempfile.TemporaryDirectory(prefix="hlbench-cache-")
        self.count = 0

    def env(self) -> dict[str, str]:
        path = self.root.name
        if self.cold:
            # the previous run's directory is done with: a long cold
            # invocation would otherwise keep a compiled stdlib per run
            if self.count:
                shutil.rmtree(os.path.join(self.root.name, f"run{self.count}"), ignore_errors=True)
            self.count += 1
            path = os.path.join(self.root.name, f"run{self.count}")
            os.mkdir(path)
        return {**os.environ, "HL_CACHE_DIR": path}


def run_item(item, hls: list[Contender], others: list[Contender], a, caches: Caches, progress: Progress,
             scratch: Path, count: str) -> Result:
    result = Result(item, expected=expected_output(item))
    progress.say(f"[{count}] {item.label}" + (f" ({item.size_name})" if item.size_name else ""))
    if not caches.cold:
        for c in hls:
            progress.sample(f"{item.label} warm-up", c.label, measure(c.command(item), caches.env(), a.timeout))
    for i in range(1, a.runs + 1):
        where = f"{item.label} run {i}/{a.runs}"
        for c in hls:
            s = measure(c.command(item), caches.env(), a.timeout)
            progress.sample(where, c.label, s)
            result.runs.setdefault(c.key, []).append(s)
            summary = parse_jit_summary(s.stderr)
            if summary is not None:
                result.jit.setdefault(c.key, []).append(summary)
        s = measure(hl_compile(item, scratch), caches.env(), a.timeout)
        progress.sample(where, "hll compile", s)
        result.compile.append(s)
        for c in others:
            cmd = c.command(item)
            if cmd is None:
                continue                    # no version of this workload: its cells show "—"
            s = measure(cmd, None, a.timeout)
            progress.sample(where, c.label, s)
            result.runs.setdefault(c.key, []).append(s)
    result.check()
    return result


def _raw(results: list[Result]) -> list[dict]:
    """Every run's numbers for the JSON report (not the outputs)."""
    def runs(samples):
        return [{"wall": s.wall, "rss_kib": s.rss_kib, "status": s.status, "timed_out": s.timed_out}
                for s in samples]
    return [{"workload": r.item.name, "size": r.item.size, "expected_output": r.expected is not None,
             "runs": {k: runs(v) for k, v in r.runs.items()}, "compile": runs(r.compile),
             "jit": {k: [asdict(j) for j in v] for k, v in r.jit.items()}, "problems": r.problems}
            for r in results]


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    progress = Progress(a.quiet)
    # Tracing the JIT only where it can be: an unknown option would fail every run.
    trace = any(t != "off" for t in a.tiers) and supports_trace_jit(HLL + ["run"])
    hls = [hl(t, trace_jit=trace and t != "off") for t in a.tiers]
    others, absent = [], {}
    for name in a.vs:
        found = OTHERS[name]()
        if isinstance(found, str):
            absent[name] = found
            progress.say(f"{name}: not used ({found}); its columns show —")
        else:
            others.append(found)
    labels = {c.key: c.label for c in hls + others} | {"compile": "hll compile"}
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "HL commit": _commit(),
        "method": (f"whole processes, {a.runs} measured run(s) of each contender in turn, median wall time; "
                   + ("cold: every HL run has an empty cache" if a.cold else
                      "warm: one unmeasured HL run of each tier first fills the cache")),
        "contenders": ", ".join(f"{c.label} {c.version}".strip() for c in hls + others),
        "absent": "; ".join(f"{k}: {v}" for k, v in absent.items()) or "none",
        "JIT statistics": "from --trace-jit" if trace else "none (hll run has no --trace-jit yet)",
    }
    caches = Caches(a.cold)
    results = []
    interrupted = False
    print(console_header(), flush=True)
    with tempfile.TemporaryDirectory(prefix="hlbench-hlc-") as scratch:
        try:
            for k, item in enumerate(a.items, 1):
                r = run_item(item, hls, others, a, caches, progress, Path(scratch), f"{k}/{len(a.items)}")
                results.append(r)
                for row in rows([r], a.tiers, [c.key for c in others], labels):
                    print(console_line(row), flush=True)
        except KeyboardInterrupt:
            # ^C: the workloads that finished are still worth their reports
            interrupted = True
            meta["interrupted"] = f"after {len(results)} of {len(a.items)} workloads"
            progress.say(f"interrupted: reporting the {len(results)} finished workloads")
    all_rows = rows(results, a.tiers, [c.key for c in others], labels)
    write_reports(a, all_rows, meta, results, [c.key for c in others], progress)
    if interrupted:
        return 130                          # as a shell reports SIGINT
    return 0 if all(r.ok for r in all_rows) else 1


def write_reports(a, all_rows: list[Row], meta: dict, results: list[Result], others: list[str],
                  progress: Progress) -> None:
    if a.json:
        a.json.write_text(to_json(all_rows, meta, _raw(results)), encoding="utf-8")
        progress.say(f"wrote {a.json}")
    if a.markdown:
        a.markdown.write_text(markdown(all_rows, meta, a.tiers, others), encoding="utf-8")
        progress.say(f"wrote {a.markdown}")
    if a.chart:
        from chart import draw              # imports matplotlib: only when a chart is asked for
        sizes = sorted({r.size_name or "custom" for r in all_rows})
        draw(all_rows, a.tiers, a.chart, f"HL / CPython, {'/'.join(sizes)} sizes, "
                                         f"{'cold' if a.cold else 'warm'} cache, median of {a.runs}, "
                                         f"HL {meta['HL commit']}")
        progress.say(f"wrote {a.chart}")


if __name__ == "__main__":
    sys.exit(main())
