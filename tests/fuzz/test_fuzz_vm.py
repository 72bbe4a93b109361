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
    # ValueError ("internal VM error").  It is an HL error now.
    src = 'import io;\nfn main() { println(io.read_file("a\\0b")); }'
    prog = compiler.compile_source(src, name="p")
    for grants, cls in (((), "PermissionError"), ((str(tmp_path),), "Error")):
        err = io.StringIO()
        vm = VM(stdout=io.StringIO(), stderr=err, allow_read=grants)
        vm.load(prog.modules)
        assert vm.run_main("p") == 1
        assert err.getvalue().startswith(f"Uncaught {cls}:"), err.getvalue()
