"""The differential suspend/resume sweep (issue 14's acceptance item).

    python -m tests.snapshots.run [--tests GLOB] [--bench GLOB|none]
        [--points K] [--no-special] [--tiers A:B,...] [--no-bytes]
        [--max-heap BYTES] [--gc-stress] [--jobs J] [--keep DIR]
        [--journal FILE] [--work DIR] [--quiet]

The whole sweep, as measured for docs/snapshots.md:

    nice -n 10 python -m tests.snapshots.run --jobs 2 --keep /tmp/snapdiff-keep \\
        --journal /tmp/snapdiff.jsonl

For every subject (conformance tests that run code, matching `--tests`, a
glob over their paths under tests/conformance; bench workloads at their
small sizes, matching `--bench`): run it uninterrupted (`hll run
--jit=off`: the reference), probe it in-process (probe.py: its events and
its special points), then for each point and each tier pair A:B stop it
there in tier A and resume it in tier B in a new process (compare.py).
Points: `--points K` fractions of the run (1/(K+1), ..., K/(K+1)) and,
unless `--no-special`, the probe's special points (in a `finally`, in the
range a `finally` protects, at the deepest call stack, right after a
collection, in the program's module initialiser).  Under `--jit=eager`
every function is compiled before it first runs, so a stop in tier eager
hands compiled frames back to the interpreter first.  Unless `--no-bytes`,
each point's snapshot is also taken in this process in every tier: the
bytes must be the same (a point is where it is, whatever the tier).

Tier pairs default to off:off, eager:off, off:eager, auto:auto.
`--max-heap` and `--gc-stress` apply to every run (the uninterrupted one
included): with a small heap most programs collect, and the point right
after a collection is one of theirs.  `--jobs`
worker processes take one subject at a time; `--journal FILE` records each
finished subject, and a later run with the same journal skips them (an
interrupted sweep goes on).  `--keep DIR` keeps each failed comparison:
its snapshot, outputs and `repro.sh`.  Exit status 0 when every comparison
agreed, 1 otherwise, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import compare as K
from .probe import SPECIALS, InProcess, probe
from .subjects import Subject, Workspace, bench_subjects, conformance_subjects

DEFAULT_TIERS = (("off", "off"), ("eager", "off"), ("off", "eager"), ("auto", "auto"))
TIER_NAMES = ("off", "auto", "eager")
WORKER_SUBJECTS = 40          # subjects a worker process runs before it is replaced


@dataclass
class Settings:
    points: int = 3
    special: bool = True
    tiers: tuple = DEFAULT_TIERS
    keep: str | None = None
    work: str = ""
    same_bytes: bool = True       # also compare the snapshots of every tier, in this process


@dataclass
class SubjectResult:
    name: str
    events: int = 0
    points: list = field(default_factory=list)        # (why, n)
    comparisons: int = 0
    byte_checks: int = 0                              # points whose snapshots were compared across tiers
    unsuspended: list = field(default_factory=list)   # points at which no tier stopped
    failures: list = field(default_factory=list)      # Comparison.line() of each failed one
    kept: list = field(default_factory=list)
    error: str = ""                                   # the subject could not be compared at all
    seconds: float = 0.0


def run_subject(s: Subject, settings: Settings, ws: Workspace) -> SubjectResult:
    t0 = time.monotonic()
    res = SubjectResult(s.name)
    try:
        ref = K.reference(s, ws)
        program = InProcess(s, ws)
        p = probe(s, ws, program)
        res.events = p.events
        if p.stdout.encode() != ref.stdout or p.status != ref.status:
            res.error = (f"the in-process run differs from `hll run` (status {p.status} against "
                         f"{ref.status}): the program is not deterministic, or its options differ")
            return res
        res.points = p.points(settings.points, settings.special)
        for why, n in res.points:
            if settings.same_bytes:
                bad = same_bytes(program, n)
                res.byte_checks += bad is not None
                if bad:
                    res.failures.append(f"{s.name} @{n} ({why}): {bad}")
            stdin = p.unread(n, s.stdin)
            got = []
            for pair in settings.tiers:
                c = K.compare(s, ws, ref, n, pair, why, stdin)
                got.append(c)
                if not c.same and not c.unsuspended and settings.keep:     # (its snapshot is there now)
                    res.kept.append(str(K.keep(c, s, ws, ref, Path(settings.keep))))
            if all(c.unsuspended for c in got):      # no safe point after n events, in any tier
                res.unsuspended.append(n)
                continue
            res.comparisons += len(got)
            for c in got:
                if not c.same:
                    res.failures.append(c.line())
                    if c.unsuspended and settings.keep:
                        res.kept.append(str(K.keep(c, s, ws, ref, Path(settings.keep))))
    except Exception as e:      # noqa: BLE001 - one subject's trouble is reported, the sweep goes on
        import traceback
        res.error = f"{type(e).__name__}: {e}\n{traceback.format_exc()}"
    finally:
        res.seconds = time.monotonic() - t0
    return res


def same_bytes(program: InProcess, n: int) -> str | None:
    """"" when the snapshot after `n` events is the same bytes in every
    tier, else what differs; None when it cannot be told (stopped twice in
    the interpreter, the program gives two snapshots: it reads the clock,
    say)."""
    snaps = {jit: program.snapshot(jit, n) for jit in TIER_NAMES}
    if program.snapshot("off", n) != snaps["off"]:
        return None
    if len(set(snaps.values())) == 1:
        return ""
    return "the snapshot differs between tiers: " + ", ".join(
        f"{jit} {len(d) if d else 'none'} bytes" for jit, d in snaps.items())


# --- workers ---------------------------------------------------------------------------
_worker: dict = {}


def _init_worker(settings: Settings) -> None:
    _worker["settings"] = settings
    _worker["ws"] = Workspace(Path(settings.work) / f"w{os.getpid()}")


def _work(s: Subject) -> SubjectResult:
    return run_subject(s, _worker["settings"], _worker["ws"])


def sweep(subjects: list[Subject], settings: Settings, jobs: int = 1, on_result=None) -> list[SubjectResult]:
    out = []
    if jobs <= 1:
        _init_worker(settings)
        for s in subjects:
            r = _work(s)
            out.append(r)
            if on_result:
                on_result(r)
        return out
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(jobs, _init_worker, (settings,), maxtasksperchild=WORKER_SUBJECTS) as pool:
        for r in pool.imap_unordered(_work, subjects, chunksize=1):
            out.append(r)
            if on_result:
                on_result(r)
    return out


# --- the command line ----------------------------------------------------------------------
def _tiers(text: str) -> tuple:
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        a, sep, b = part.partition(":")
        if not sep or a not in TIER_NAMES or b not in TIER_NAMES:
            raise argparse.ArgumentTypeError(f"{part!r}: a tier pair is A:B with A and B in off, auto, eager")
        pairs.append((a, b))
    if not pairs:
        raise argparse.ArgumentTypeError("no tier pair")
    return tuple(pairs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.snapshots.run",
                                 description="Differential suspend/resume of the conformance suite and the "
                                             "bench programs (see the module docstring).")
    ap.add_argument("--tests", default="*", metavar="GLOB",
                    help="conformance tests whose path under tests/conformance matches (default: all; "
                         "'none': none)")
    ap.add_argument("--bench", default="*", metavar="GLOB",
                    help="bench workloads at their small size whose name matches (default: all; 'none': none)")
    ap.add_argument("--points", type=int, default=3, metavar="K", help="fractions of the run to stop at")
    ap.add_argument("--no-special", action="store_true", help="no special points (finally, deep, gc, init)")
    ap.add_argument("--tiers", type=_tiers, default=DEFAULT_TIERS, metavar="A:B,...",
                    help="tier pairs: suspended in A, resumed in B (default off:off,eager:off,off:eager,auto:auto)")
    ap.add_argument("--no-bytes", action="store_true",
                    help="do not compare the snapshots the three tiers take at each point")
    ap.add_argument("--max-heap", type=int, metavar="BYTES",
                    help="every run's heap limit (a small one makes programs collect)")
    ap.add_argument("--gc-stress", action="store_true", help="every run collects at every allocation")
    ap.add_argument("--jobs", type=int, default=1, metavar="J", help="worker processes")
    ap.add_argument("--keep", metavar="DIR", help="keep each failed comparison here, with repro.sh")
    ap.add_argument("--journal", metavar="FILE", help="record finished subjects; skip those already recorded")
    ap.add_argument("--work", metavar="DIR", help="the workers' folder (default: a temporary one)")
    ap.add_argument("--quiet", action="store_true", help="print failures and the summary only")
    o = ap.parse_args(argv)
    if o.points < 0 or o.jobs < 1:
        ap.error("--points must be at least 0 and --jobs at least 1")
    subjects = []
    if o.tests != "none":
        subjects += conformance_subjects(o.tests)
    if o.bench != "none":
        subjects = bench_subjects(o.bench) + subjects     # the long ones first
    if o.max_heap is not None or o.gc_stress:
        subjects = [replace(x, max_heap=o.max_heap, gc_stress=o.gc_stress) for x in subjects]
    done: dict[str, dict] = {}
    if o.journal and Path(o.journal).is_file():
        for line in Path(o.journal).read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                done[rec["name"]] = rec
    todo = [s for s in subjects if s.name not in done]
    work = o.work or tempfile.mkdtemp(prefix="hl-snapdiff-")
    settings = Settings(o.points, not o.no_special, o.tiers, o.keep, work, not o.no_bytes)
    journal = open(o.journal, "a") if o.journal else None
    t0 = time.monotonic()
    print(f"{len(subjects)} programs ({len(done)} done before), tier pairs "
          f"{', '.join(a + ':' + b for a, b in o.tiers)}, {o.points} fractions"
          f"{' + special points' if settings.special else ''}, {o.jobs} job(s)", flush=True)
    count = [0]

    def on_result(r: SubjectResult) -> None:
        count[0] += 1
        if journal:
            journal.write(json.dumps(asdict(r)) + "\n")
            journal.flush()
        bad = r.failures or r.error
        if bad or not o.quiet:
            mark = "FAIL" if bad else "ok"
            print(f"[{count[0]}/{len(todo)}] {mark} {r.name}: {r.events} events, {len(r.points)} points, "
                  f"{r.comparisons} comparisons, {r.seconds:.1f} s", flush=True)
        for f in r.failures:
            print(f"    {f}", flush=True)
        if r.error:
            print("    " + r.error.rstrip().replace("\n", "\n    "), flush=True)

    try:
        results = sweep(todo, settings, o.jobs, on_result)
    finally:
        if journal:
            journal.close()
    records = [*done.values(), *(asdict(r) for r in results)]
    comparisons = sum(r["comparisons"] for r in records)
    points = sum(len(r["points"]) - len(r["unsuspended"]) for r in records)
    unsuspended = sum(len(r["unsuspended"]) for r in records)
    failures = sum(len(r["failures"]) for r in records)
    byte_checks = sum(r.get("byte_checks", 0) for r in records)
    errors = [r["name"] for r in records if r["error"]]
    elapsed = time.monotonic() - t0
    print(f"\n{len(records)} programs, {points} points ({unsuspended} more with no safe point after them), "
          f"{len(o.tiers)} tier pairs: {comparisons} comparisons and {byte_checks} points' snapshots "
          f"compared across tiers, {failures} mismatches, {len(errors)} programs not compared; "
          f"{elapsed:.0f} s this run")
    kinds: dict[str, int] = {}
    for r in records:
        for why, _n in r["points"]:
            for k in {"fraction" if "/" in w else w for w in why.split("+")}:
                kinds[k] = kinds.get(k, 0) + 1
    print("points by kind (one point may be of several): "
          + ", ".join(f"{k} {kinds.get(k, 0)}" for k in ("fraction", *SPECIALS)))
    for name in errors:
        print(f"  not compared: {name}")
    return 0 if not failures and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
