"""The differential runner itself: it finds a resumed run that ends
otherwise than the uninterrupted one, keeps what reproduces it, tells a
point with no safe point after it from a failure, and a journal lets an
interrupted sweep go on."""

from __future__ import annotations

import subprocess

from tests.snapshots.compare import compare, keep, reference
from tests.snapshots.run import Settings, main, run_subject
from tests.snapshots.subjects import Subject, Workspace

# Prints the clock after its loop: a resumed run prints another time.
CLOCK = """
import time;
fn sq(x: int) -> int { return x * x % 7; }
fn main() {
    var s = 0;
    for i in 0..2000 { s += sq(i); }
    println(time.now());
}
"""


def test_a_mismatch_is_found_and_kept_with_a_script_that_reproduces_it(tmp_path):
    f = tmp_path / "clock.hl"
    f.write_text(CLOCK)
    s, ws = Subject("clock", f), Workspace(tmp_path / "work")
    ref = reference(s, ws)
    c = compare(s, ws, ref, 2000, ("eager", "off"))
    assert not c.same and not c.unsuspended and "stdout differs" in c.problem
    kept = keep(c, s, ws, ref, tmp_path / "keep")
    assert {p.name for p in kept.iterdir()} >= {"point.snap", "repro.sh", "expected.stdout", "got1.stdout",
                                                "got2.stdout"}
    p = subprocess.run(["sh", str(kept / "repro.sh")], capture_output=True, text=True, timeout=120)
    lines = p.stdout.splitlines()
    assert lines[0] == "status 5" and lines[-1] == "status 0" and len(lines) == 3     # and the time


def test_a_program_that_is_not_deterministic_is_not_compared(tmp_path):
    f = tmp_path / "clock.hl"
    f.write_text(CLOCK)
    r = run_subject(Subject("clock", f), Settings(points=1, special=False), Workspace(tmp_path / "work"))
    assert r.comparisons == 0 and "not deterministic" in r.error


def test_a_point_with_no_safe_point_after_it_is_told_apart(tmp_path):
    # Two events: the initialiser's call and main's, both outermost: nothing
    # can stop after the first.
    f = tmp_path / "two.hl"
    f.write_text('var g = 41;\nfn main() -> int { println(g + 1); return 3; }\n')
    s, ws = Subject("two", f), Workspace(tmp_path / "work")
    ref = reference(s, ws)
    c = compare(s, ws, ref, 1, ("off", "off"))
    assert c.unsuspended and not c.same
    r = run_subject(s, Settings(points=1, special=False), ws)
    assert r.unsuspended == [1] and r.comparisons == 0 and not r.failures


def test_a_journal_lets_a_sweep_go_on(tmp_path, capsys):
    journal = tmp_path / "j.jsonl"
    argv = ["--tests", "exit/exit_from_nested_call.hl", "--bench", "none", "--points", "1", "--no-special",
            "--tiers", "off:eager", "--journal", str(journal), "--work", str(tmp_path / "w")]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert "1 programs, 1 points" in first and "4 comparisons" not in first
    assert main(argv) == 0
    again = capsys.readouterr().out
    assert "(1 done before)" in again and "1 programs, 1 points" in again
    assert len(journal.read_text().splitlines()) == 1
