"""The fuzz campaign command.

    python -m tests.fuzz.run --inputs 200000 --seed 1 [--corpus asm|small|all]
                             [--rounds 2] [--crash-dir fuzz-crashes] [--quiet]
                             [--jit off|auto|eager] [--stop run|verify]

Compiles the seed programs, then for each input picks a program and one of
its modules (the entry module most of the time, else an imported or
standard-library one), stacks 1..rounds mutations on it (mutate.py) and runs
it (harness.py).  Prints the count of each outcome; every crash is written
to the crash directory as `<n>-<seed program>-<module>.hlc` with a `.txt`
beside it (what was done, what happened), and the command exits 1 if there
was any.  Inputs are a pure function of --seed, so a crash is reproduced by
re-running with the same seed and `--start` at its number.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import Counter
from pathlib import Path

from . import corpus
from .harness import KINDS, Runner
from .mutate import mutate


def campaign(seeds, inputs: int, seed: int, rounds: int = 2, start: int = 0, crash_dir: Path | None = None,
             report=None, runner: Runner | None = None) -> Counter:
    runner = runner or Runner(seeds)
    counts: Counter = Counter()
    descs = {s.name: runner.modules_of(s) for s in seeds}
    all_modules = [b for s in seeds for b in s.modules]
    t0 = time.perf_counter()
    for n in range(start, start + inputs):
        rng = random.Random(f"{seed}:{n}")
        s = rng.choice(seeds)
        entry = next(i for i, d in enumerate(descs[s.name]) if d.name == s.entry)
        index = entry if rng.random() < 0.75 else rng.randrange(len(s.modules))
        data, what = mutate(rng, s.modules[index], descs[s.name][index], rng.choice(all_modules),
                            rounds=rng.randint(1, rounds))
        kind, detail = runner.run_one(s, index, data)
        counts[kind] += 1
        if kind == "crash" and crash_dir is not None:
            crash_dir.mkdir(parents=True, exist_ok=True)
            stem = f"{n}-{s.name.replace('/', '_')}-{index}"
            (crash_dir / f"{stem}.hlc").write_bytes(data)
            (crash_dir / f"{stem}.txt").write_text(f"seed {seed} input {n}\nprogram {s.name} module {index}\n"
                                                   f"mutation {what}\n\n{detail}\n")
        if n % 500 == 499:
            gc.collect()          # each VM maps a heap; collect the dead ones promptly
        if report and (n - start) % 1000 == 999:
            report(n - start + 1, counts, time.perf_counter() - t0)
    return counts


def summary(counts: Counter, elapsed: float) -> str:
    total = sum(counts.values())
    parts = [f"{k} {counts.get(k, 0)}" for k in KINDS]
    return f"{total} inputs in {elapsed:.0f} s ({total / max(elapsed, 1e-9):.0f}/s): " + ", ".join(parts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="number of the first input (to reproduce one)")
    ap.add_argument("--rounds", type=int, default=2, help="at most this many mutations per input")
    ap.add_argument("--corpus", choices=("asm", "small", "all"), default="all",
                    help="asm: the hand-written modules only; small: those, the examples and the "
                         "benchmarks; all: those and the conformance suite")
    ap.add_argument("--crash-dir", type=Path, default=Path("fuzz-crashes"))
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--jit", choices=("off", "auto", "eager"), default="off",
                    help="the tier the mutants run in (eager: every verified mutant is compiled)")
    ap.add_argument("--stop", choices=("run", "verify"), default="run",
                    help="how far a mutant goes: loaded and run, or only verified (the verifier alone)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    seeds = corpus.load(a.corpus)
    print(f"{len(seeds)} seed programs ({sum(len(s.modules) for s in seeds)} modules) "
          f"compiled in {time.perf_counter() - t0:.0f} s", flush=True)

    def report(done, counts, elapsed):
        if not a.quiet:
            print(summary(counts, elapsed), flush=True)
    t1 = time.perf_counter()
    counts = campaign(seeds, a.inputs, a.seed, a.rounds, a.start, a.crash_dir, report,
                      runner=Runner(seeds, jit=a.jit, stop=a.stop))
    print("final: " + summary(counts, time.perf_counter() - t1), flush=True)
    return 1 if counts.get("crash") else 0


if __name__ == "__main__":
    sys.exit(main())
