"""The differential tester: its generator is deterministic and writes programs
that compile and cover the language, every tier agrees on a short fixed-seed
run (some programs under gc stress), and the runner really finds, keeps and
reduces a difference when a tier misbehaves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.difftest import gen
from tests.difftest import run as R

# What the generated programs must exercise: construct → (pattern in the
# text, least fraction of 200 programs that contain it).
FEATURES = {
    "INT_MIN": (r"-9223372036854775808", 0.9),
    "INT_MAX": (r"9223372036854775807|0x7FFFFFFFFFFFFFFF", 0.9),
    "shift by 64 or more, or negative": (r"<< \(?(64|65|127|\(-1\)|\(-64\))", 0.7),
    "shift": (r" << | >> ", 0.9),
    "int division and remainder": (r" / .* % | % .* / ", 0.9),
    "division by zero caught": (r"catch x\d+: ArithmeticError", 0.9),
    "INT_MIN / -1": (r"\(-9223372036854775808\) / \(-1\)", 0.9),
    "nan": (r"0\.0 / 0\.0", 0.6),
    "inf": (r"1\.0 / 0\.0", 0.8),
    "-0.0": (r"\(-0\.0\)", 0.9),
    "int() of a float": (r"\bint\(", 0.9),
    "&&": (r"&&", 0.9),
    "||": (r"\|\|", 0.9),
    "short-circuit probes": (r"probe\(\d+, (true|false)\) \|\|", 0.9),
    "substring": (r"\.substring\(", 0.9),
    "index_of": (r"\.index_of\(", 0.9),
    "character access": (r'char_at\(|"\[\d\]|\)\[', 0.9),
    "parse_int": (r"parse_int\(", 0.9),
    "string comparison": (r'" [<>]=? "', 0.9),
    "float array": (r"float\[\]", 0.9),
    "string array": (r"string\[\] = \[", 0.9),
    "object array": (r"K0\[\] = \[", 0.9),
    "nested array": (r"int\[\]\[\]|float\[\d+\]\[\]", 0.5),
    "out of bounds caught": (r"catch x\d+: IndexError", 0.9),
    "array copy": (r"\.copy\(\)", 0.9),
    "inheritance": (r"class K\d extends K\d", 0.9),
    "super call": (r"super\.(m0|m1|fv|name|bump)\(", 0.9),
    "virtual call": (r"[oe]\d+\.(m0|m1|fv|name)\(", 0.9),
    "is": (r" is K\d", 0.9),
    "as": (r" as K\d", 0.9),
    "failing cast caught": (r"catch x\d+: CastError", 0.9),
    "null access caught": (r"catch x\d+: NullError", 0.9),
    "recursion": (r"return rec\(n - 1", 0.9),
    "mutual recursion": (r"return is_odd\(", 0.9),
    "stack overflow caught": (r"catch x\d+: StackOverflowError", 0.3),
    "for range": (r"for i\d+ in ", 0.9),
    "while": (r"while w\d+ <", 0.9),
    "for each": (r"for e\d+ in ", 0.9),
    "break": (r"break;", 0.9),
    "continue": (r"continue;", 0.9),
    "finally": (r"\} finally \{", 0.9),
    "nested try": (r"try \{\n\s+try \{", 0.9),
    "user error thrown": (r"throw new E[012]\(", 0.9),
    "return inside finally": (r"\} finally \{\n\s+if wrap\(x, \d\) == 0 \{ return 99; \}", 0.9),
    "globals": (r"\bg_(i|f|s|arr)\b", 0.9),
    "allocation loop": (r"for i\d+ in 0\.\.\d{3} \{\n\s+let arr = new int", 0.9),
    "a loop hot enough for auto to compile": (r"for i\d+ in 0\.\.2\d{3} \{", 0.4),
    "uncaught error at the end": (r"escape\(\d\)", 0.1),
    "exit() at the end": (r"exit\(\d+\)", 0.05),
    "exit status from main": (r"return \d+;\n\}\n$", 0.1),
}


@pytest.fixture(scope="module")
def programs() -> list[str]:
    return [gen.generate(seed) for seed in range(200)]


def test_the_generator_is_deterministic():
    for seed in (0, 1, 977, 2**40 + 3):
        assert gen.generate(seed) == gen.generate(seed)
        assert gen.generate(seed, 2) == gen.generate(seed, 2)
        assert gen.generate(seed) != gen.generate(seed + 1)
    # Size scales the program; light shortens only the allocation and hot loops.
    assert len(gen.generate(5, 2)) > 1.5 * len(gen.generate(5, 1))
    normal, light = gen.generate(5).splitlines(), gen.generate(5, light=True).splitlines()
    changed = [(a, b) for a, b in zip(normal[1:], light[1:]) if a != b]
    assert len(normal) == len(light) and changed
    assert all(re.search(r"in 0\.\.\d+ \{$", a) for a, _ in changed)


def test_generated_programs_compile(programs):
    # 60 here and the 40 of the short run compile; the long run compiles thousands.
    import compiler
    failures = []
    for seed, text in enumerate(programs[:60]):
        try:
            compiler.compile_source(text, filename=R.FILENAME)
        except compiler.CompileError as e:
            failures.append(f"seed {seed}: {e.format()[:300]}")
    assert failures == []


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_generated_programs_exercise(feature, programs):
    pattern, least = FEATURES[feature]
    rx = re.compile(pattern)
    share = sum(1 for t in programs if rx.search(t)) / len(programs)
    assert share >= least, f"{feature}: in {share:.0%} of programs, expected at least {least:.0%}"


def test_a_short_run_finds_every_tier_in_agreement(tmp_path):
    # `eager` compiles every function of a program (seconds a program, until
    # the engine's cache has them): 20 programs in off and auto, 3 in off
    # and eager, a few of each light and also under gc stress.
    lines = []
    runs = R.Options(programs=20, seed=7000, tiers=("off", "auto"), stress_every=10, keep=tmp_path,
                     reduce_budget=0)
    eager = R.Options(programs=3, seed=7100, tiers=("off", "eager"), stress_every=3, keep=tmp_path,
                      reduce_budget=0)
    for opts, stressed in ((runs, 2), (eager, 1)):
        counts = R.campaign(opts, R.InProcess(), report=lines.append)
        assert sum(1 for s in range(opts.seed, opts.seed + opts.programs) if s % opts.stress_every == 0) == stressed
        assert (counts["programs"], counts["runs"]) == (opts.programs, 2 * opts.programs + 2 * stressed)
        assert (counts["same"], counts["difference"], counts["generator"], counts["crash"]) == \
            (opts.programs, 0, 0, 0), lines
    assert list(tmp_path.iterdir()) == []
    assert "3 programs, 8 runs, 0 differences, 0 generator failures, 0 crashes" in R.summary(counts, eager)


class PerturbedEager(R.InProcess):
    """A tier that goes wrong: `eager` (the interpreter here) adds a
    character to the line after the floats section's heading (every
    program has one)."""

    def run(self, prog, config):
        got = super().run(prog, R.Config("off", config.gc_stress))    # cheap: no compiling
        if config.tier != "eager" or "_floats\n" not in got.stdout:
            return got
        head, _, rest = got.stdout.partition("_floats\n")
        return R.Outcome(got.status, head + "_floats\n!" + rest, got.stderr)


def test_a_tier_that_differs_is_found_kept_and_reduced(tmp_path):
    import compiler
    seed = next(s for s in range(31, 200) if "_hot()" not in gen.generate(s))     # quicker to run
    opts = R.Options(programs=1, seed=seed, tiers=("off", "eager"), stress_every=0, keep=tmp_path,
                     reduce_budget=30)
    counts = R.campaign(opts, PerturbedEager(), report=None)
    assert (counts["difference"], counts["same"]) == (1, 0)
    kept = tmp_path / f"difference-{seed}"
    assert "eager differs from off: stdout line" in (kept / "report.txt").read_text()
    original, reduced = (kept / "prog.hl").read_text(), (kept / "reduced.hl").read_text()
    assert original == gen.generate(seed)
    assert (kept / "off.stdout").read_text() != (kept / "eager.stdout").read_text()
    assert (kept / "off.status").read_text() == (kept / "eager.status").read_text()
    # Smaller (main calls only the section that differs, after 30 tries),
    # still a program, still showing the difference.
    assert re.search(r"\nfn main\(\) (-> int )?\{\n    sec\d+_floats\(\);\n", reduced)
    assert len(reduced.splitlines()) < len(original.splitlines()) * 2 / 3
    compiler.compile_source(reduced, filename=R.FILENAME)
    assert R.differs_between(R.Config("off"), R.Config("eager"), PerturbedEager())(reduced)


def test_reduce_deletes_what_the_difference_does_not_need():
    text = gen.generate(3)
    needle = re.search(r'println\("L\d+ " \+ str\(fin_loop\(\d\)\)\);', text).group(0)

    def still(t: str) -> bool:       # balanced, and still holding the needle
        return needle in t and t.count("{") == t.count("}")
    small = R.reduce(text, still, budget=10_000)
    assert needle in small and len(small.splitlines()) <= 4
    tries = []                       # the budget bounds the tries
    assert len(R.reduce(text, lambda t: tries.append(t) or True, budget=7).splitlines()) < len(text.splitlines())
    assert len(tries) == 7


class Failing(R.InProcess):
    def __init__(self, how):
        self.how = how

    def compile(self, text):
        if self.how == "compile":
            raise R.GeneratorError("prog.hl:1:1: error: nonsense")
        return super().compile(text)

    def run(self, prog, config):
        return R.Outcome(-1, "", "runner: RuntimeError: boom\n")


def test_generator_failures_and_crashes_are_told_apart_from_differences():
    configs = [R.Config("off"), R.Config("auto")]
    text = gen.generate(4)
    assert R.check(text, 4, configs, Failing("compile")).kind == "generator"
    assert R.check(text, 4, configs, Failing("run")).kind == "crash"
    wrong = "// expect-status: 0\nfn main() { println(1 / (2 - 2)); }\n"
    res = R.check(wrong, 0, configs, R.InProcess())
    assert res.kind == "generator" and "exit status 1, generated for 0" in res.detail
    good = "// expect-status: 3\nfn main() -> int { println(1); return 3; }\n"
    assert R.check(good, 0, configs, R.InProcess()).kind == "same"


def test_the_tier_reaches_the_vm_once_it_takes_one(monkeypatch):
    import hll.conformance
    import hllvm
    seen = []

    class VM(hllvm.VM):
        def __init__(self, *args, **kw):
            seen.append(kw.pop("jit", None))
            super().__init__(*args, **kw)
    monkeypatch.setattr(hllvm, "VM", VM)
    runner = R.InProcess()
    prog = runner.compile("// expect-status: 0\nfn main() { println(2); }\n")
    monkeypatch.setattr(hll.conformance, "vm_accepts", lambda option: option == "jit")
    assert runner.run(prog, R.Config("eager")) == R.Outcome(0, "2\n", "")
    monkeypatch.setattr(hll.conformance, "vm_accepts", lambda option: False)
    assert runner.run(prog, R.Config("auto")) == R.Outcome(0, "2\n", "")
    assert seen == ["eager", None]


def test_subprocess_mode_runs_hll_as_in_process_mode_runs_the_vm():
    seed = next(s for s in range(100) if gen.expected_status(gen.generate(s)) == 1)
    text = gen.generate(seed)
    inproc, sub = R.InProcess(), R.Subprocess()
    want = inproc.run(inproc.compile(text), R.Config("off"))
    prog = sub.compile(text)
    try:
        got = sub.run(prog, R.Config("auto"))
    finally:
        sub.release(prog)
    assert want.stderr.startswith("Uncaught Escape: ")
    assert got == want


FOUND = Path(__file__).parent / "found"


def known_differences() -> dict[str, set[str]]:
    """found/known-differences.txt: program name → the tiers that still
    run it differently from `off`."""
    known = {}
    for line in (FOUND / "known-differences.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, tiers, _ = line.split(maxsplit=2)
            known[name] = set(tiers.removeprefix("tiers=").split(","))
    return known


@pytest.mark.parametrize("name", sorted(p.name for p in FOUND.glob("*.hl")))
def test_programs_the_runs_found_differ_only_where_listed(name):
    # Every program a differential run found (reduced) runs in every tier;
    # the tiers that differ from `off` must be exactly those listed, so a
    # fixed bug shows here as a line to remove, and a new one as a failure.
    runner = R.InProcess()
    prog = runner.compile((FOUND / name).read_text(encoding="utf-8"))
    ref = runner.run(prog, R.Config("off"))
    differ = {t for t in R.TIERS[1:] if runner.run(prog, R.Config(t)) != ref}
    assert differ == known_differences().get(name, set())


def test_the_command_line_prints_a_summary(capsys):
    assert R.main(["--programs", "2", "--seed", "41", "--tiers", "off,auto", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("difftest: 2 programs, 4 runs, 0 differences, 0 generator failures, 0 crashes")
