"""A short fuzz campaign (a few seconds, fixed seed) as part of the tests,
and regressions for what the long campaigns found."""

import io
import random

import pytest

import compiler
from hllvm import VM

from . import corpus
from .harness import Runner
from .mutate import MUTATORS, mutate
from .run import campaign


@pytest.fixture(scope="module")
def seeds():
    return corpus.load("small")


def test_short_campaign_has_no_crash(seeds, tmp_path):
    counts = campaign(seeds, inputs=1200, seed=20240611, crash_dir=tmp_path)
    crashes = sorted(p.read_text() for p in tmp_path.glob("*.txt"))
    assert counts["crash"] == 0, "\n".join(crashes[:3])
    # The campaign reaches every phase.
    for kind in ("reader", "loader", "verifier", "completed"):
        assert counts[kind] > 0, counts


def test_every_mutator_produces_bytes(seeds):
    runner = Runner(seeds)
    s = seeds[0]
    descs = runner.modules_of(s)
    for m, _w in MUTATORS:
        for n in range(20):
            rng = random.Random(n)
            out = m(rng, s.modules[-1], descs[-1], s.modules[0])
            assert isinstance(out, bytes)
    data, what = mutate(random.Random(1), s.modules[-1], descs[-1], s.modules[0], rounds=3)
    assert isinstance(data, bytes) and what


def test_budget_stops_an_endless_loop():
    prog = compiler.compile_source("fn main() { var i = 0; while true { i += 1; } }", name="spin")
    from hlbc import write_module
    seed = corpus.Seed("spin", tuple(write_module(m) for m in prog.modules), "spin")
    runner = Runner([seed], fuel=5000)
    kind, _ = runner.run_one(seed, len(seed.modules) - 1, seed.modules[-1])
    assert kind == "budget"


def test_io_path_with_a_nul_byte(tmp_path):
    # Found by fuzzing: a NUL byte in a path made io.read_file raise a Python
    # ValueError ("internal VM error").  It is an HL error now: the io
    # module's IOError where reading is granted (docs/stdlib.md).
    src = 'import io;\nfn main() { println(io.read_file("a\\0b")); }'
    prog = compiler.compile_source(src, name="p")
    for grants, cls in (((), "PermissionError"), ((str(tmp_path),), "IOError")):
        err = io.StringIO()
        vm = VM(stdout=io.StringIO(), stderr=err, allow_read=grants)
        vm.load(prog.modules)
        assert vm.run_main("p") == 1
        assert err.getvalue().startswith(f"Uncaught {cls}:"), err.getvalue()


PART_B = {"BOXI", "BOXF", "BOXZ", "CAST", "ISA", "XALOAD", "XASTORE", "VEQ", "VHASH", "CALLIFACE", "CLOSURE",
          "CALLFN", "TOSTR_OBJ"}


@pytest.fixture(scope="module")
def asm_seeds():
    return corpus.load("asm")


def test_the_corpus_holds_every_part_b_instruction_and_interfaces(asm_seeds):
    from hlbc import model as M
    from hlbc import read_module
    from hlbc.code import decode
    ops, interfaces, itables, abstract = set(), 0, 0, 0
    for s in asm_seeds:
        for data in s.modules:
            m = read_module(data)
            for f in m.functions:
                ops.update(i.op.name for i in decode(f.code))
                abstract += bool(f.flags & M.F_ABSTRACT)
            interfaces += sum(1 for c in m.classes if c.flags & M.C_INTERFACE and c.interfaces)
            itables += sum(1 for c in m.classes if c.itable)
    assert PART_B <= ops, PART_B - ops
    assert interfaces and itables and abstract


def test_hand_written_seeds_verify_unmutated(asm_seeds):
    runner = Runner(asm_seeds, stop="verify")
    for s in asm_seeds:
        kind, detail = runner.run_one(s, len(s.modules) - 1, s.modules[-1])
        assert kind == "verified", (s.name, detail)


def test_verifier_campaign_on_hand_written_seeds(asm_seeds, tmp_path):
    """Mutants of the Part B seeds through the verifier alone: they end as
    a LoadError or VerifyError, or verify, never anything else."""
    counts = campaign(asm_seeds, inputs=1500, seed=20261206, rounds=3, crash_dir=tmp_path,
                      runner=Runner(asm_seeds, stop="verify"))
    crashes = sorted(p.read_text() for p in tmp_path.glob("*.txt"))
    assert counts["crash"] == 0, "\n".join(crashes[:3])
    for kind in ("reader", "loader", "verifier", "verified"):
        assert counts[kind] > 0, counts


def test_class_mutations_reach_interfaces_and_itables(asm_seeds):
    from hlbc import LoadError, read_module
    from .mutate import _change_interfaces
    s = next(s for s in asm_seeds if "part_b_instructions" in s.name)
    desc = read_module(s.modules[-1])
    ci = next(i for i, c in enumerate(desc.classes) if c.itable)
    classes = [j for j, k in enumerate(desc.consts) if k.kind == 5]
    changed = set()
    for n in range(60):
        try:
            out = read_module(_change_interfaces(random.Random(n), desc, ci, desc.classes[ci], classes, n % 3))
        except LoadError:
            continue            # flags the reader does not know
        c = out.classes[ci]
        base = desc.classes[ci]
        changed |= {f for f in ("flags", "interfaces", "itable") if getattr(c, f) != getattr(base, f)}
    assert changed == {"flags", "interfaces", "itable"}
