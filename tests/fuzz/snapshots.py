"""The hostile-snapshot fuzz campaign (issue 14, docs/snapshots.md "The
trust model").

    python -m tests.fuzz.snapshots --inputs 100000 --seed 1 --crash-dir snap-crashes [--jobs 1]
                                   [--jit off|auto|eager|mix] [--stride 5] [--start N] [--quiet]
    python -m tests.fuzz.snapshots --replay snap-crashes/123-traceback.snap [--jit off]

Builds the corpus (tests/fuzz/snap/seeds.py: real snapshots of kitchen.hl,
kitchen_coll.hl, the examples and every `stride`-th conformance test,
suspended at many points in both tiers, idle, in host calls, with named
handles), then for each input picks a snapshot and mutates it
(snap/forge.py: bytes damaged with the checksum stale or made right, and
forgeries of every section re-sealed), and has a worker process restore
it, collect, resume it under limits and collect again (snap/worker.py).
Each outcome is counted: rejected (by SnapshotError, counted by section
and check), idle, completed, limit — and the failures: traceback (an
exception other than SnapshotError, an internal VM error, a heap that
fails verification), crash (the worker died by a signal) and hang (no
answer within the worker's wall-clock limit).  Every failing input is
written to the crash directory with a `.txt` beside it that says how to
reproduce it; the command exits 1 if there was any.  Inputs are a pure
function of --seed and the input number (`--start N --inputs 1` gives
input N again).

The acceptance campaign (1 worker, niced; 571 snapshots of 127 programs,
built in 10 s, then about 10 minutes at 180 inputs a second on a shared
core):

    nice -n 10 python -m tests.fuzz.snapshots --inputs 100000 --seed 1 --crash-dir snap-crashes

    final: 100000 inputs in 556 s (180.0/s): rejected 85199, idle 1755,
    completed 12785, limit 261, traceback 0, hang 0, crash 0

Rejections by section: heap 17756, header 16317, modules 10307, frame
10041, types 9861, meta 4973, traces 4693, frames 4072, globals 4042,
handles 1844, body 912, global 381 (2016 different checks).  The same
with every mutant resumed under the JIT (`--jit eager --seed 2`, 20,000
inputs): rejected 17119, idle 327, completed 2498, limit 56, and no
failure.

`tests/fuzz/test_fuzz_snapshots.py` runs a few hundred inputs of fixed
seeds as part of pytest, and unit tests of each check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from .snap import forge, seeds
from .snap.worker import FAILURES, HEAPS, KINDS, REQUEST, TIERS

ROOT = Path(__file__).resolve().parents[2]
WALL_SECONDS = 60.0          # no answer within this: the worker hangs (its own alarms are shorter)
RECYCLE = 3000               # a worker is replaced after this many inputs (each VM maps a heap)


class Worker:
    """One worker process (tests/fuzz/snap/worker.py) and its pipes."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env.pop("HLLVM_DEBUG", None)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fuzz.snap.worker"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env)
        self.served = 0

    def _died(self) -> tuple[str, str]:
        p = self.proc
        code = p.wait()
        if code < 0:
            return "crash", f"the worker died by signal {-code}"
        return "traceback", f"the worker exited with status {code}"

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def tier_of(rng: random.Random, jit: str) -> str:
    if jit != "mix":
        return jit
    x = rng.random()
    return "off" if x < 0.85 else "eager" if x < 0.95 else "auto"


def heap_of(rng: random.Random) -> int:
    """Index into HEAPS: mostly a roomy heap, sometimes one the data may not fit."""
    x = rng.random()
    return 0 if x < 0.9 else 1 if x < 0.97 else 2


def inputs(corpus, seed: int, start: int, n: int, jit: str):
    """(number, seed snapshot, mutant bytes, mutator, tier, heap index) of inputs start..start+n."""
    for i in range(start, start + n):
        rng = random.Random(f"snap:{seed}:{i}")
        s = rng.choice(corpus)
        data, what = forge.mutate(rng, s, corpus)
        yield i, s, data, what, tier_of(rng, jit), heap_of(rng)


def request(item) -> bytes:
    _i, _s, data, _what, tier, heap = item
    return REQUEST.pack(len(data), TIERS.index(tier), heap) + data


class Campaign:
    def __init__(self, corpus, jobs: int = 1, crash_dir: Path | None = None, seed: int = 1,
                 wall: float = WALL_SECONDS) -> None:
        self.corpus = corpus
        self.jobs = max(1, jobs)
        self.crash_dir = crash_dir
        self.seed = seed
        self.wall = wall
        self.counts: Counter = Counter()
        self.checks: Counter = Counter()       # rejections by "section: check"
        self.by_mutator: Counter = Counter()   # (mutator, kind)
        self.failures: list[str] = []

    def run(self, n: int, start: int = 0, jit: str = "mix", report=None) -> Counter:
        """Run inputs start..start+n with `jobs` workers (one input in flight each)."""
        workers = [Worker() for _ in range(self.jobs)]
        busy: dict = {}                 # stdout fd → (worker, input)
        gen = inputs(self.corpus, self.seed, start, n, jit)
        t0 = time.perf_counter()
        done = 0
        try:
            pending = list(workers)
            while True:
                while pending:
                    w = pending.pop()
                    item = next(gen, None)
                    if item is None:
                        break
                    busy[w.proc.stdout.fileno()] = (w, item, time.perf_counter())
                    try:
                        w.proc.stdin.write(request(item))
                        w.proc.stdin.flush()
                    except (BrokenPipeError, OSError):
                        pass                # (it died: the answer is its end, read below)
                if not busy:
                    break
                ready, _, _ = select.select(list(busy), [], [], 1.0)
                now = time.perf_counter()
                for fd in list(busy):
                    w, item, since = busy[fd]
                    if fd in ready:
                        line = w.proc.stdout.readline()
                        if line:
                            w.served += 1
                            kind, detail = json.loads(line)
                        else:
                            kind, detail = w._died()
                    elif now - since > self.wall:
                        w.proc.kill()
                        w.proc.wait()
                        kind, detail = "hang", f"no answer within {self.wall:.0f} s"
                    else:
                        continue
                    del busy[fd]
                    self.record(item, kind, detail)
                    done += 1
                    if not w.alive or w.served >= RECYCLE:
                        w.close()
                        w = Worker()
                    pending.append(w)
                    if report and done % 1000 == 0:
                        report(self, done, time.perf_counter() - t0)
        finally:
            for w, _item, _t in busy.values():
                w.proc.kill()
            for w in pending:
                w.close()
        self.elapsed = time.perf_counter() - t0
        return self.counts

    def record(self, item, kind: str, detail: str) -> None:
        i, s, data, what, tier, heap = item
        self.counts[kind] += 1
        self.by_mutator[(what, kind)] += 1
        if kind == "rejected":
            self.checks[detail] += 1
        if kind in FAILURES:
            self.failures.append(f"input {i} ({s.name}, {what}, jit {tier}): {kind}: {detail[-600:]}")
            if self.crash_dir is not None:
                self.crash_dir.mkdir(parents=True, exist_ok=True)
                stem = self.crash_dir / f"{i}-{kind}"
                stem.with_suffix(".snap").write_bytes(data)
                stem.with_suffix(".txt").write_text(
                    f"input {i} of --seed {self.seed}: snapshot {s.name}, mutator {what}, jit {tier}, "
                    f"max heap {HEAPS[heap]}\noutcome: {kind}\n\nreproduce:\n"
                    f"  python -m tests.fuzz.snapshots --replay {stem.with_suffix('.snap')} --jit {tier} "
                    f"--max-heap {HEAPS[heap]}\n"
                    f"  python -m tests.fuzz.snapshots --seed {self.seed} --start {i} --inputs 1\n\n"
                    f"{detail}\n", encoding="utf-8")

    def summary(self, done: int | None = None, elapsed: float | None = None) -> str:
        total = sum(self.counts.values()) if done is None else done
        el = self.elapsed if elapsed is None else elapsed
        parts = ", ".join(f"{k} {self.counts.get(k, 0)}" for k in KINDS)
        return f"{total} inputs in {el:.0f} s ({total / max(el, 1e-9):.1f}/s): {parts}"

    def details(self, top: int = 40) -> str:
        by_section: Counter = Counter()
        for k, v in self.checks.items():
            by_section[k.split(":")[0]] += v
        lines = ["rejected, by section: " + ", ".join(f"{k} {v}" for k, v in by_section.most_common())]
        lines.append(f"rejected, the {top} most frequent checks:")
        lines += [f"  {v:7d}  {k}" for k, v in self.checks.most_common(top)]
        lines.append(f"{len(self.checks)} different checks in all")
        muts: dict = {}
        for (m, k), v in self.by_mutator.items():
            muts.setdefault(m, Counter())[k] = v
        lines.append("outcomes by mutator:")
        for m in sorted(muts):
            lines.append(f"  {m:15s} " + ", ".join(f"{k} {v}" for k, v in muts[m].most_common()))
        return "\n".join(lines)


def replay(path: Path, jit: str, max_heap: int) -> int:
    from .snap.worker import run_one
    kind, detail = run_one(path.read_bytes(), jit if jit != "mix" else "off", max_heap)
    print(f"{kind}: {detail}")
    return 1 if kind in FAILURES else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz.snapshots", description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="number of the first input (to reproduce one)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--jit", choices=("off", "auto", "eager", "mix"), default="mix",
                    help="the tier the mutants resume in (mix: mostly off, some eager and auto)")
    ap.add_argument("--stride", type=int, default=5, help="every stride-th conformance test is a seed program")
    ap.add_argument("--crash-dir", type=Path, default=Path("snap-crashes"))
    ap.add_argument("--replay", type=Path, help="restore and resume one saved input, and say how it ended")
    ap.add_argument("--max-heap", type=int, default=HEAPS[0], help="(with --replay) the VM's heap limit")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.replay:
        return replay(a.replay, a.jit, a.max_heap)
    t0 = time.perf_counter()
    corpus = seeds.build(a.stride)
    print(f"{len(corpus)} snapshots of {len({s.name.split('@')[0] for s in corpus})} programs "
          f"built in {time.perf_counter() - t0:.0f} s", flush=True)
    c = Campaign(corpus, a.jobs, a.crash_dir, a.seed)

    def report(camp, done, elapsed):
        if not a.quiet:
            print(camp.summary(done, elapsed), flush=True)
    c.run(a.inputs, a.start, a.jit, report)
    print(c.details(), flush=True)
    for f in c.failures[:20]:
        print("FAILURE " + f, flush=True)
    print("final: " + c.summary(), flush=True)
    return 1 if any(c.counts.get(k) for k in FAILURES) else 0


if __name__ == "__main__":
    sys.exit(main())
