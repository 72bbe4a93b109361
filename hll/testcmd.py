"""`hll test`: run the conformance suite in parallel, in every tier, and report.

Owns the scheduling of many tests: a pool of worker processes that run tests
in-process (`hll.conformance.run`, so no interpreter starts per test), the
per-test wall-clock limit (the parent stops a worker whose test overruns and
starts a fresh one), the progress display, and the report — one line per
failure with its diff, a per-feature table, and the totals, ending with
`N passed, N failed`.  What a test is, how one test runs and what counts as
passing, and the known-failures file are `hll.conformance`'s.

Exit status: 0 when nothing unexpected happened (every test passed, or failed
as `known-failures.txt` says it does), 1 otherwise, 2 for bad usage.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import sys
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

import click

from . import conformance as C
from .options import Seconds



def _default_corpus() -> Path:
    """The source tree's tests/conformance; in a regular install, the copy
    shipped as the data package `hl_conformance` (setup.py)."""
    here = Path(__file__).resolve().parent.parent / "tests" / "conformance"
    if here.is_dir():
        return here
    import importlib.util
    spec = importlib.util.find_spec("hl_conformance")
    for where in (spec.submodule_search_locations or []) if spec else []:
        return Path(where)
    return here

DEFAULT_TIMEOUT = 60.0
_NON_TTY_STEP = 10          # percent of the runs between progress lines without a terminal


@dataclass
class _Task:
    ident: int
    path: Path
    name: str
    tier: str
    desc: str
    features: tuple[str, ...]
    entry: C.KnownFailure | None


# --- the command -----------------------------------------------------------------------

@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--tier", type=click.Choice([*C.TIERS, "all"]), default="all", show_default=True,
              help="Execution tier to run each test in (`all`: every tier).")
@click.option("--gc-stress", is_flag=True, help="Collect at every allocation, with the heap verifier on.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--feature", "features", multiple=True,
              help="Run only tests tagged with this feature (repeatable).")
@click.option("--timeout-per-test", "timeout", type=Seconds().click_type(), default=DEFAULT_TIMEOUT,
              show_default=True, help="Wall-clock seconds a test may take before it is stopped.")
def test(paths: tuple[Path, ...], tier: str, gc_stress: bool, jobs: int | None,
         features: tuple[str, ...], timeout: float) -> None:
    """Run the conformance tests under PATHS (default: the project's
    tests/conformance) in parallel, and report failures and a summary."""
    if not paths:
        corpus = _default_corpus()
        if not corpus.is_dir():
            raise click.UsageError(f"no PATHS given and no suite at {corpus}")
        paths = (corpus,)
    tiers = C.TIERS if tier == "all" else (tier,)
    extra: dict = {}
    if gc_stress:
        if C.vm_accepts("gc_stress"):
            extra["gc_stress"] = True
        else:
            click.echo("note: --gc-stress has no effect yet: the VM has no collector to stress")

    tasks, problems = _collect(paths, tiers, set(features))
    results = _schedule(tasks, jobs or os.cpu_count() or 1, timeout, extra)
    sys.exit(_report(results, problems))


def _collect(paths, tiers, features: set[str]) -> tuple[list[_Task], list[str]]:
    """Every (test, tier) run asked for, and problems with the known-failures
    files (which make the run fail)."""
    tasks: list[_Task] = []
    problems: list[str] = []
    seen: set[Path] = set()
    known_by_root: dict = {}
    for arg in paths:
        root = C.corpus_root(arg)
        if root not in known_by_root:
            try:
                known = C.KnownFailures.load(root / C.KNOWN_FAILURES) if root else C.KnownFailures(None, [])
            except C.BadTest as e:
                problems.append(str(e))
                known = C.KnownFailures(None, [])
            known_by_root[root] = known
            for e in known.stale():
                problems.append(f"{root / C.KNOWN_FAILURES}:{e.line}: no test named {e.name} "
                                f"(remove the entry)")
        known = known_by_root[root]
        for path in C.discover(arg):
            path = path.resolve()
            if path in seen:
                continue
            seen.add(path)
            try:
                case = C.parse(path)
                desc, feats, bad = case.desc, case.features, False
                slow = "slow" in case.flags
            except (C.BadTest, OSError, UnicodeDecodeError, ValueError):
                desc, feats, slow, bad = "", (), False, True   # run anyway: the worker says why it is bad
            if features and not bad and not features & set(feats):
                continue
            name = C.case_name(path, root)
            for t in tiers:
                task = _Task(len(tasks), path, name, t, desc, feats, known.lookup(name, t))
                # Slow tests first, so that one of them does not end the run alone.
                (tasks.insert(0, task) if slow else tasks.append(task))
    return tasks, problems


# --- workers ----------------------------------------------------------------------------

def _worker_main(conn, extra: dict) -> None:
    """Run tests sent by the parent until it sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the parent decides when to stop
    devnull = open(os.devnull, "w+")
    sys.stdin = devnull                                # tests get their input from the header
    sys.stdout = devnull                               # and must not write over the report
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        ident, path, tier = msg
        t0 = time.perf_counter()
        _case, verdict = C.run(Path(path), tier, extra)
        conn.send((ident, verdict.ok, verdict.problems, time.perf_counter() - t0))


class _Worker:
    def __init__(self, ctx, extra: dict):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, extra), daemon=True)
        self.proc.start()
        child.close()
        self.task: _Task | None = None
        self.started = 0.0

    def give(self, task: _Task) -> None:
        self.task = task
        self.started = time.monotonic()
        self.conn.send((task.ident, str(task.path), task.tier))

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def _schedule(tasks: list[_Task], jobs: int, timeout: float, extra: dict) -> list[C.Result]:
    results: list[C.Result] = []
    pending: deque[_Task] = deque()
    for t in tasks:
        if t.entry is not None and t.entry.skip:
            results.append(C.Result(t.name, t.tier, C.SKIP, [], t.desc, t.features, t.entry.reason))
        else:
            pending.append(t)
    progress = _Progress(len(tasks))
    progress.advance(results)
    if not pending:
        progress.finish()
        return results
    # Warm what every test needs before forking, so that workers share it.
    try:
        C._library_modules()
    except Exception:
        pass
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    workers = [_Worker(ctx, extra) for _ in range(min(jobs, len(pending)))]

    def finish(w: _Worker, ok: bool, problems: list[str], seconds: float) -> None:
        t = w.task
        w.task = None
        kind = C.classify(ok, t.entry)
        results.append(C.Result(t.name, t.tier, kind, problems, t.desc, t.features,
                                t.entry.reason if t.entry else "", seconds))
        progress.advance(results, t)

    def feed(w: _Worker) -> None:
        if pending:
            w.give(pending.popleft())

    try:
        for w in workers:
            feed(w)
        while any(w.task for w in workers):
            busy = [w for w in workers if w.task]
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + timeout for w in busy) - now)
            ready = wait([w.conn for w in busy], timeout=min(wait_for, 0.5))
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                if w.conn in ready:
                    try:
                        _ident, ok, problems, seconds = w.conn.recv()
                    except (EOFError, OSError):
                        code = w.proc.exitcode
                        w.stop()
                        finish(w, False, [f"the worker process died (exit code {code})"],
                               time.monotonic() - w.started)
                        workers[i] = w = _Worker(ctx, extra)
                    else:
                        finish(w, ok, problems, seconds)
                    feed(w)
                elif time.monotonic() - w.started >= timeout:
                    w.stop()
                    finish(w, False, [f"did not finish within {timeout:g} s (stopped)"], timeout)
                    workers[i] = w = _Worker(ctx, extra)
                    feed(w)
            progress.tick()
    except KeyboardInterrupt:
        for w in workers:
            w.stop()
        progress.finish()
        click.echo("interrupted", err=True)
        sys.exit(130)
    for w in workers:
        try:
            w.conn.send(None)
        except OSError:
            pass
        w.proc.join(timeout=5)
        w.stop()
    progress.finish()
    return results


# --- progress -----------------------------------------------------------------------------

class _Progress:
    """One line rewritten in place on a terminal; a line every
    `_NON_TTY_STEP` percent otherwise (logs stay short).  On stderr, so that
    standard output holds only the report."""

    def __init__(self, total: int):
        self.total = total
        self.stream = sys.stderr
        self.tty = self.stream.isatty()
        self.done = 0
        self.failed = 0
        self.next_step = _NON_TTY_STEP
        self.last = ""
        self.drawn = 0.0

    def advance(self, results: list[C.Result], task: _Task | None = None) -> None:
        self.done = len(results)
        self.failed = sum(1 for r in results if r.unexpected)
        if task is not None:
            self.last = f"{task.name} [{task.tier}]"
        if self.tty:
            if time.monotonic() - self.drawn > 0.05 or self.done == self.total:
                self._draw()
        elif self.total and self.done * 100 >= self.next_step * self.total:
            pct = self.done * 100 // self.total
            self.next_step = (pct // _NON_TTY_STEP + 1) * _NON_TTY_STEP
            print(f"[{self.done:>{len(str(self.total))}}/{self.total}] {pct:3}%  {self.failed} failed",
                  file=self.stream, flush=True)

    def tick(self) -> None:
        if self.tty and time.monotonic() - self.drawn > 0.5:
            self._draw()

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        text = f"[{self.done}/{self.total}] {self.failed} failed  {self.last}"
        self.stream.write("\r\x1b[K" + text[:width - 1])
        self.stream.flush()
        self.drawn = time.monotonic()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# --- the report -----------------------------------------------------------------------------

def _report(results: list[C.Result], problems: list[str]) -> int:
    order = {t: i for i, t in enumerate(C.TIERS)}
    results.sort(key=lambda r: (r.name, order.get(r.tier, 99)))

    # One line per failing test: tiers that failed the same way are merged.
    grouped: dict = defaultdict(list)
    for r in results:
        if r.unexpected:
            grouped[(r.name, r.kind, tuple(r.problems))].append(r.tier)
    for (name, kind, probs), tiers in sorted(grouped.items()):
        where = f"{name} [{', '.join(tiers)}]"
        if kind == C.XPASS:
            click.echo(f"XPASS {where}: passes but is listed in known-failures.txt; remove the entry")
            continue
        lines = "\n".join(probs).splitlines() or ["failed"]
        click.echo(f"FAIL  {where}: {lines[0]}")
        for line in lines[1:]:
            click.echo("        " + line)
    for p in problems:
        click.echo(f"ERROR {p}")
    if grouped or problems:
        click.echo()

    _feature_table(results)

    count = defaultdict(int)
    for r in results:
        count[r.kind] += 1
    failed = count[C.FAIL] + count[C.XPASS] + len(problems)
    notes = []
    if count[C.XFAIL]:
        notes.append(f"{count[C.XFAIL]} expected failure{'s' * (count[C.XFAIL] != 1)} "
                     f"(listed in known-failures.txt)")
    if count[C.XPASS]:
        notes.append(f"{count[C.XPASS]} unexpected pass{'es' * (count[C.XPASS] != 1)} "
                     f"(listed in known-failures.txt but passing; counted as failed)")
    if notes:
        click.echo(", ".join(notes))
    last = f"{count[C.PASS]} passed, {failed} failed"
    if count[C.SKIP]:
        last += f", {count[C.SKIP]} skipped"
    click.echo(last)
    return 1 if failed else 0


def _feature_table(results: list[C.Result]) -> None:
    cols = (C.PASS, C.FAIL, C.XFAIL, C.XPASS, C.SKIP)
    heads = ("passed", "failed", "xfail", "xpass", "skipped")
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in results:
        for f in r.features or ("(none)",):
            table[f][r.kind] += 1
    if not table:
        return
    w = max(len("feature"), *(len(f) for f in table))
    click.echo(f"{'feature':<{w}}  {'runs':>5}  " + "  ".join(f"{h:>7}" for h in heads))
    for f in sorted(table):
        row = table[f]
        click.echo(f"{f:<{w}}  {sum(row.values()):>5}  " + "  ".join(f"{row[c]:>7}" for c in cols))
    click.echo()
