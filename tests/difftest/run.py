"""The differential run: random programs, every execution tier, outputs compared.

    python -m tests.difftest.run --programs N --seed S [--size K]
        [--tiers off,auto,eager] [--gc-stress-every M] [--keep DIR]
        [--jobs J] [--subprocess] [--reduce-budget B] [--reduce-seconds T]
        [--quiet]

Program `i` of a run is `gen.generate(S + i, K)`, so a run covers the seeds
S .. S+N-1 and one program is reproduced with `--seed S+i --programs 1`.
Each program is compiled once and run in each tier (a *configuration*);
every `M`-th program (`(S + i) % M == 0`) is generated light (its
allocation and hot loops ten times shorter) and run in each tier a second
time with the collector stressed (a collection at every allocation, the
heap verifier on).  The first configuration, the first tier without
stress, is the reference: every other one must give the same standard
output, standard error and exit status, byte for byte.

What this module owns: running one program in one configuration (in this
process through `hllvm.VM`, or through `hll compile` / `hll run` in
subprocesses), comparing, classifying, reducing a difference to a smaller
program, writing the report files, and the command line.  The programs are
`gen`'s.

A program's result is one of

    same        every configuration agreed, and the reference ended the
                way the program was generated to end
    difference  some configuration disagreed with the reference: a VM bug
                (of a compiling tier, of the collector, or nondeterminism)
    generator   the program did not compile, or every configuration agreed
                on an ending other than the intended one (an uncaught error
                that is not `Escape`, fuel or time exhausted): a bug of
                `gen.py`, not of the VM
    crash       the reference itself failed inside the VM (an "internal VM
                error" report, or a Python exception out of the VM)
"""

from __future__ import annotations

import argparse
import gc
import io
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import gen

TIERS = ("off", "auto", "eager")
# Limits every run gets, in both modes (docs/testing-tiers.md says why):
# a small heap makes the allocation sections collect several times; a
# small stack makes the deliberate StackOverflowError cheap; fuel and time
# turn a generator bug that loops into a `generator` result, not a hang.
MAX_HEAP = 2 << 20
MAX_STACK = 2000
FUEL = 20_000_000
TIMEOUT = 60.0
WORKER_CHUNKS = 25             # chunks of programs a worker process runs before it is replaced
MAX_OUTPUT = 8 << 20
FILENAME = "prog.hl"


@dataclass(frozen=True)
class Outcome:
    status: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Config:
    tier: str
    gc_stress: bool = False

    @property
    def name(self) -> str:
        return self.tier + ("+gc-stress" if self.gc_stress else "")


class Compiled:
    """One program's text and what the tier runner made of it once (the
    compiled modules, or a folder holding the `.hlc`)."""

    def __init__(self, text: str, modules=None, entry: str = "main", folder: Path | None = None):
        self.text, self.modules, self.entry, self.folder = text, modules, entry, folder


class GeneratorError(Exception):
    """The program does not compile: the generator is wrong, not the VM."""


# --- running one configuration --------------------------------------------------------------

class InProcess:
    """Runs configurations in this process through the bytecode VM
    (`hllvm.VM`), with output captured, as `hll run` would run them."""

    def compile(self, text: str) -> Compiled:
        import compiler
        try:
            prog = compiler.compile_source(text, filename=FILENAME)
        except compiler.CompileError as e:
            raise GeneratorError(e.format()) from None
        return Compiled(text, prog.modules, prog.entry)

    def run(self, prog: Compiled, config: Config) -> Outcome:
        from hll.conformance import vm_accepts
        from hllvm import VM
        opts = {}
        # The tier is passed only once the VM takes it (as hll/conformance.py
        # does); until then every tier runs the interpreter.
        if vm_accepts("jit"):
            opts["jit"] = config.tier
        out, err = io.StringIO(), io.StringIO()
        try:
            vm = VM(max_heap=MAX_HEAP, max_stack=MAX_STACK, stdout=out, stderr=err, stdin="",
                    fuel=FUEL, timeout=TIMEOUT, max_output=MAX_OUTPUT, gc_stress=config.gc_stress, **opts)
            vm.load(prog.modules)
            status = vm.run_main(prog.entry, [])
        except Exception as e:       # out of the VM: a crash, compared like any outcome
            return Outcome(-1, out.getvalue(), err.getvalue() + f"runner: {type(e).__name__}: {e}\n")
        return Outcome(status, out.getvalue(), err.getvalue())

    def release(self, prog: Compiled) -> None:
        pass


class Subprocess:
    """Runs configurations as `hll run --jit=TIER [--gc-stress] prog.hlc`,
    the program compiled once by `hll compile` in a temporary folder."""

    def _hll(self, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "hll.cli", *args], cwd=cwd, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT * 2)

    def compile(self, text: str) -> Compiled:
        folder = Path(tempfile.mkdtemp(prefix="difftest-"))
        (folder / FILENAME).write_text(text, encoding="utf-8")
        done = self._hll(["compile", FILENAME, "-o", "prog.hlc"], folder)
        if done.returncode != 0:
            self.release(Compiled(text, folder=folder))
            raise GeneratorError(done.stderr.decode("utf-8", "replace") or f"hll compile: status {done.returncode}")
        return Compiled(text, folder=folder)

    def run(self, prog: Compiled, config: Config) -> Outcome:
        args = ["run", f"--jit={config.tier}", f"--max-heap={MAX_HEAP}", f"--max-stack={MAX_STACK}",
                f"--fuel={FUEL}", f"--timeout={TIMEOUT:g}"]
        if config.gc_stress:
            args.append("--gc-stress")
        try:
            done = self._hll([*args, "prog.hlc"], prog.folder)
        except subprocess.TimeoutExpired:
            return Outcome(-1, "", "runner: the process did not end in time\n")
        return Outcome(done.returncode, done.stdout.decode("utf-8", "replace"),
                       done.stderr.decode("utf-8", "replace"))

    def release(self, prog: Compiled) -> None:
        import shutil
        if prog.folder is not None:
            shutil.rmtree(prog.folder, ignore_errors=True)


# --- one program ------------------------------------------------------------------------------

@dataclass
class Result:
    seed: int
    kind: str                                  # same | difference | generator | crash
    runs: int = 0
    detail: str = ""
    configs: list[str] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    text: str = ""
    reduced: str | None = None
    seconds: float = 0.0


def configs_for(seed: int, tiers: tuple[str, ...], stress_every: int) -> list[Config]:
    plain = [Config(t) for t in tiers]
    if stress_every and seed % stress_every == 0:
        return plain + [Config(t, True) for t in tiers]
    return plain


def intended(text: str, got: Outcome) -> str | None:
    """Why the reference outcome is not the ending the program was
    generated for, or None when it is."""
    want = gen.expected_status(text)
    if got.status != want:
        return f"exit status {got.status}, generated for {want}"
    if want == 1 and not got.stderr.startswith("Uncaught Escape: "):
        return "status 1 without the generated 'Uncaught Escape'"
    if want != 1 and got.stderr:
        return "unexpected standard error"
    return None


def first_difference(a: Outcome, b: Outcome) -> str:
    """One line saying where outcome `b` first departs from `a`."""
    if a.status != b.status:
        head = f"exit status {a.status} vs {b.status}"
        if a.stdout == b.stdout and a.stderr == b.stderr:
            return head
    for stream in ("stdout", "stderr"):
        x, y = getattr(a, stream), getattr(b, stream)
        if x == y:
            continue
        xl, yl = x.splitlines(keepends=True), y.splitlines(keepends=True)
        for n in range(max(len(xl), len(yl))):
            p = xl[n] if n < len(xl) else None
            q = yl[n] if n < len(yl) else None
            if p != q:
                return f"{stream} line {n + 1}: {p!r} vs {q!r}"
    return f"exit status {a.status} vs {b.status}"


def check(text: str, seed: int, configs: list[Config], runner) -> Result:
    """Compile `text` once, run it in every configuration, compare with the
    first."""
    t0 = time.perf_counter()
    res = Result(seed, "same", text=text, configs=[c.name for c in configs])
    try:
        prog = runner.compile(text)
    except GeneratorError as e:
        res.kind, res.detail = "generator", "does not compile:\n" + str(e)
        return res
    try:
        for c in configs:
            res.outcomes[c.name] = runner.run(prog, c)
            res.runs += 1
    finally:
        runner.release(prog)
    ref_name = configs[0].name
    ref = res.outcomes[ref_name]
    for c in configs[1:]:
        got = res.outcomes[c.name]
        if got != ref:
            res.kind = "difference"
            res.detail = f"{c.name} differs from {ref_name}: {first_difference(ref, got)}"
            break
    else:
        if ref.status == -1 or "internal VM error" in ref.stderr:
            res.kind, res.detail = "crash", ref.stderr.strip().splitlines()[-1]
        else:
            why = intended(text, ref)
            if why:
                res.kind, res.detail = "generator", f"every configuration ended wrongly: {why}\n{ref.stderr}"
    res.seconds = time.perf_counter() - t0
    return res


# --- reducing a difference ------------------------------------------------------------------

def unit_at(lines: list[str], i: int) -> tuple[int, int] | None:
    """The deletable piece of a generated program that starts at line `i`,
    as a line range [i, end): a statement or a declaration with its block
    through the line that closes it; None where no piece starts.  The
    generator writes one statement a line and never a brace inside a
    string, so counting braces is enough."""
    s = lines[i].strip()
    if not s or s.startswith("}") or s.startswith("// expect-status"):
        return None
    depth = 0
    for j in range(i, len(lines)):
        depth += lines[j].count("{") - lines[j].count("}")
        if depth <= 0:
            return i, j + 1
    return None


def reduce(text: str, still_differs: Callable[[str], bool], budget: int = 300,
           seconds: float | None = None) -> str:
    """A smaller program that `still_differs`: delete declarations, blocks
    and statements one at a time, keeping each deletion that leaves a
    program that compiles and still differs (the predicate decides both),
    in passes until one deletes nothing or the budget of tries runs out.

    Outermost first, as hierarchical delta debugging does: a piece is tried
    whole before its insides are, and only the insides of a piece that must
    stay are tried.  Siblings go from the last up: a generated program
    defines things before it uses them, so the calls in `main` go first and
    then the sections they called go whole, in one try each.  `seconds`
    bounds the time too (a try in a compiling tier costs seconds)."""
    lines = text.split("\n")
    left = budget
    deadline = None if seconds is None else time.monotonic() + seconds

    def pieces_in(lo: int, hi: int) -> list[tuple[int, int]]:
        found, j = [], lo
        while j < hi:
            piece = unit_at(lines, j)
            found.append(piece) if piece else None
            j = piece[1] if piece else j + 1
        return found

    def attempt(start: int, end: int) -> bool:
        """Try deleting lines[start:end]; keep the deletion if it still differs."""
        nonlocal lines, left
        if deadline is not None and time.monotonic() > deadline:
            left = 0
        if left <= 0:
            return False
        left -= 1
        trial = lines[:start] + lines[end:]
        if still_differs("\n".join(trial)):
            lines = trial
            return True
        return False

    def region(lo: int, hi: int) -> int:
        """Try the pieces in lines[lo:hi]; return how many lines went."""
        removed = 0
        for start, end in reversed(pieces_in(lo, hi)):     # later pieces first: earlier indices stay valid
            if left <= 0:
                break
            if attempt(start, end):
                removed += end - start
            elif end - start > 2:
                removed += region(start + 1, end - 1)
        return removed

    def pairs() -> int:
        """Adjacent top-level pieces together: declarations that only use
        each other (is_even and is_odd) cannot go one at a time."""
        removed, top = 0, pieces_in(0, len(lines))
        k = len(top) - 2
        while k >= 0 and left > 0:
            (start, _), (_, end) = top[k], top[k + 1]
            if attempt(start, end):
                removed += end - start
                k -= 2           # both went: the next pair is the two before them
            else:
                k -= 1
        return removed

    while left > 0 and (region(0, len(lines)) or pairs()):
        pass
    return "\n".join(lines)


def differs_between(a: Config, b: Config, runner) -> Callable[[str], bool]:
    def still(text: str) -> bool:
        try:
            prog = runner.compile(text)
        except GeneratorError:
            return False
        try:
            return runner.run(prog, a) != runner.run(prog, b)
        finally:
            runner.release(prog)
    return still


# --- a whole run ------------------------------------------------------------------------------

@dataclass
class Options:
    programs: int = 100
    seed: int = 0
    size: int = 1
    tiers: tuple[str, ...] = TIERS
    stress_every: int = 10
    keep: Path | None = None
    jobs: int = 1
    reduce_budget: int = 300
    reduce_seconds: float = 600.0


def one(seed: int, opts: Options, runner) -> Result:
    """Generate, check and (on a difference) reduce program `seed`."""
    configs = configs_for(seed, opts.tiers, opts.stress_every)
    light = any(c.gc_stress for c in configs)
    text = gen.generate(seed, opts.size, light=light)
    res = check(text, seed, configs, runner)
    if res.kind == "difference" and opts.reduce_budget > 0:
        bad = next(c for c in configs[1:] if res.outcomes[c.name] != res.outcomes[configs[0].name])
        res.reduced = reduce(text, differs_between(configs[0], bad, runner), opts.reduce_budget,
                             opts.reduce_seconds)
    return res


def keep(res: Result, folder: Path) -> Path:
    """Write a difference's (or failure's) files under `folder`/<kind>-<seed>/."""
    d = folder / f"{res.kind}-{res.seed}"
    d.mkdir(parents=True, exist_ok=True)
    (d / FILENAME).write_text(res.text, encoding="utf-8")
    if res.reduced is not None:
        (d / "reduced.hl").write_text(res.reduced, encoding="utf-8")
    for name, o in res.outcomes.items():
        (d / f"{name}.stdout").write_text(o.stdout, encoding="utf-8")
        (d / f"{name}.stderr").write_text(o.stderr, encoding="utf-8")
        (d / f"{name}.status").write_text(f"{o.status}\n", encoding="utf-8")
    (d / "report.txt").write_text(f"seed {res.seed}: {res.kind}\nconfigurations: {', '.join(res.configs)}\n"
                                  f"{res.detail}\n", encoding="utf-8")
    return d


_RUNNER = None


def _worker(args) -> Result:
    seed, opts = args
    return one(seed, opts, _RUNNER)


def _quiet_worker() -> None:
    """A worker leaves stopping to the parent (which terminates the pool):
    Ctrl-C is ignored and SIGTERM ends it at once, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def campaign(opts: Options, runner=None, report: Callable[[str], None] | None = print) -> Counter:
    """Run `opts.programs` programs; return the counts of results and runs."""
    global _RUNNER
    runner = runner or InProcess()
    counts: Counter = Counter()
    seeds = range(opts.seed, opts.seed + opts.programs)
    t0 = last = time.perf_counter()
    if opts.jobs > 1:
        import multiprocessing
        _RUNNER = runner
        # A worker is replaced every WORKER_CHUNKS chunks (of 4 programs):
        # each program's VM leaves its compiled code mapped (the code cache
        # is per process), and a worker kept for thousands of programs grew
        # by some 6 MB per program.
        pool = multiprocessing.get_context("fork").Pool(opts.jobs, initializer=_quiet_worker,
                                                       maxtasksperchild=WORKER_CHUNKS)
        results = pool.imap(_worker, [(s, opts) for s in seeds], chunksize=4)
    else:
        pool, results = None, (one(s, opts, runner) for s in seeds)
    try:
        for n, res in enumerate(results, 1):
            counts["programs"] += 1
            counts["runs"] += res.runs
            counts[res.kind] += 1
            if res.kind != "same":
                where = keep(res, opts.keep) if opts.keep is not None else None
                if report:
                    report(f"seed {res.seed}: {res.kind}: {res.detail.splitlines()[0] if res.detail else ''}"
                           + (f" (kept in {where})" if where else ""))
            if n % 200 == 0 and pool is None:
                gc.collect()       # each VM maps a heap: let the dead ones go promptly
            now = time.perf_counter()
            if report and (n % 100 == 0 or n == opts.programs or now - last >= 60):
                last = now
                rate = n / max(now - t0, 1e-9)
                report(f"[{n}/{opts.programs}] runs {counts['runs']}, differences {counts['difference']}, "
                       f"generator failures {counts['generator']}, crashes {counts['crash']}, "
                       f"{rate:.1f} programs/s")
    except BaseException:
        if pool is not None:
            pool.terminate()        # no worker outlives a run that was stopped
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    counts["seconds"] = round(time.perf_counter() - t0)
    return counts


def summary(counts: Counter, opts: Options) -> str:
    return (f"difftest: {counts['programs']} programs, {counts['runs']} runs, "
            f"{counts['difference']} differences, {counts['generator']} generator failures, "
            f"{counts['crash']} crashes (seeds {opts.seed}..{opts.seed + opts.programs - 1}, size {opts.size}, "
            f"tiers {','.join(opts.tiers)}, gc stress every {opts.stress_every or 'never'}) "
            f"in {counts['seconds']} s")


def _stopped(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.difftest.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--programs", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=int, default=1)
    p.add_argument("--tiers", default=",".join(TIERS))
    p.add_argument("--gc-stress-every", type=int, default=10, metavar="M",
                   help="also run every M-th program under gc stress in each tier (0: never)")
    p.add_argument("--keep", type=Path, help="write each difference and failure here")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--subprocess", action="store_true", help="run each configuration as `hll run`")
    p.add_argument("--reduce-budget", type=int, default=300, help="tries to shrink a difference (0: none)")
    p.add_argument("--reduce-seconds", type=float, default=600.0, help="time to shrink a difference")
    p.add_argument("--quiet", action="store_true", help="print the summary line only")
    a = p.parse_args(argv)
    tiers = tuple(t.strip() for t in a.tiers.split(",") if t.strip())
    if not tiers or set(tiers) - set(TIERS):
        p.error(f"--tiers: a list of {', '.join(TIERS)}")
    if a.programs < 1 or a.size < 1 or a.jobs < 1 or a.gc_stress_every < 0:
        p.error("--programs, --size and --jobs must be positive, --gc-stress-every not negative")
    opts = Options(a.programs, a.seed, a.size, tiers, a.gc_stress_every, a.keep, a.jobs, a.reduce_budget,
                   a.reduce_seconds)
    runner = Subprocess() if a.subprocess else InProcess()
    previous = signal.signal(signal.SIGTERM, _stopped)     # a `kill` ends the workers too, as Ctrl-C does
    try:
        counts = campaign(opts, runner, report=None if a.quiet else lambda s: print(s, flush=True))
    except KeyboardInterrupt:
        print("difftest: stopped (the progress lines above say how far it got)", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(summary(counts, opts), flush=True)
    return 0 if counts["difference"] + counts["generator"] + counts["crash"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
