"""`hll test` on small temporary corpora: the summary, the failure report,
known failures (expected, unexpected passes, tiers, skips), the per-test
time limit, feature selection and the exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PASS = """/*---
desc: prints one line
features: basics
---*/
fn main() {
    println("hi"); // expect: hi
}
"""

FAIL = """/*---
desc: expects the wrong text
features: basics
---*/
fn main() {
    println("actual"); // expect: wanted
}
"""

LOOP = """/*---
desc: never ends
features: loops
---*/
fn main() {
    var n = 0;
    while true { n += 1; }
}
"""

RUNTIME = """/*---
desc: an uncaught error
features: errors
phase: runtime
error: IndexError
---*/
fn main() {
    let a = new int[1];
    println(a[3]);
}
"""


def corpus(tmp_path: Path, files: dict[str, str], known: str | None = None) -> Path:
    root = tmp_path / "suite"
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    if known is not None:
        (root / "known-failures.txt").write_text(known)
    return root


def hll_test(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hll.cli", "test", *args],
                          capture_output=True, text=True, timeout=timeout)


def lines(r: subprocess.CompletedProcess) -> list[str]:
    return r.stdout.rstrip("\n").splitlines()


def test_mixed_corpus_reports_each_kind_and_fails(tmp_path):
    root = corpus(tmp_path, {
        "a/pass.hl": PASS, "a/fail.hl": FAIL, "b/known.hl": FAIL, "b/xpass.hl": PASS, "c/loop.hl": LOOP,
    }, known="# comment\n"
              "b/known.hl  tiers=all  reason: waits for a later issue\n"
              "b/xpass.hl  tiers=all  reason: was broken once\n")
    r = hll_test(str(root), "--tier", "off", "--timeout-per-test", "2", "-j", "2")
    out = lines(r)
    assert r.returncode == 1, r.stdout + r.stderr
    assert out[-1] == "1 passed, 3 failed"
    assert "1 expected failure (listed in known-failures.txt)" in out[-2]
    assert "1 unexpected pass" in out[-2]
    fail_line = next(line for line in out if line.startswith("FAIL  a/fail.hl [off]"))
    assert "stdout differs" in fail_line
    assert "-wanted" in r.stdout and "+actual" in r.stdout        # the diff
    assert any(line.startswith("FAIL  c/loop.hl [off]: did not finish within 2 s") for line in out)
    assert any(line.startswith("XPASS b/xpass.hl [off]") for line in out)
    assert not any("b/known.hl" in line for line in out)          # expected: not reported
    table = {line.split()[0]: line.split()[1:] for line in out if line.split()[:1] in (["basics"], ["loops"])}
    assert table["basics"] == ["4", "1", "1", "1", "1", "0"]      # runs passed failed xfail xpass skipped
    assert table["loops"] == ["1", "0", "1", "0", "0", "0"]


def test_expected_failures_only_is_success(tmp_path):
    root = corpus(tmp_path, {"pass.hl": PASS, "known.hl": FAIL, "err.hl": RUNTIME},
                  known="known.hl tiers=all reason: later\n")
    r = hll_test(str(root), "--tier", "off")
    assert r.returncode == 0, r.stdout + r.stderr
    assert lines(r)[-2:] == ["1 expected failure (listed in known-failures.txt)", "2 passed, 0 failed"]


def test_every_tier_by_default_and_tier_lists(tmp_path):
    # Listed for the interpreter only: in the other tiers it is an ordinary failure.
    root = corpus(tmp_path, {"pass.hl": PASS, "known.hl": FAIL},
                  known="known.hl tiers=off reason: interpreter only\n")
    r = hll_test(str(root))
    out = lines(r)
    assert r.returncode == 1
    assert out[-1] == "3 passed, 2 failed"
    assert any(line.startswith("FAIL  known.hl [auto, eager]: ") for line in out)


def test_skip_entries_are_not_run(tmp_path):
    root = corpus(tmp_path, {"pass.hl": PASS, "loop.hl": LOOP},
                  known="loop.hl tiers=all skip reason: would hang\n")
    r = hll_test(str(root), "--tier", "auto")
    assert r.returncode == 0, r.stdout + r.stderr
    assert lines(r)[-1] == "1 passed, 0 failed, 1 skipped"


def test_feature_selection_and_single_file(tmp_path):
    root = corpus(tmp_path, {"pass.hl": PASS, "err.hl": RUNTIME, "loop.hl": LOOP})
    r = hll_test(str(root), "--tier", "off", "--feature", "errors")
    assert (r.returncode, lines(r)[-1]) == (0, "1 passed, 0 failed")
    r = hll_test(str(root / "pass.hl"), "--tier", "eager")
    assert (r.returncode, lines(r)[-1]) == (0, "1 passed, 0 failed")


def test_stale_entry_and_bad_header_fail_the_run(tmp_path):
    root = corpus(tmp_path, {"pass.hl": PASS, "bad.hl": "fn main() {}\n"},
                  known="gone.hl tiers=all reason: deleted test\n")
    r = hll_test(str(root), "--tier", "off")
    out = lines(r)
    assert r.returncode == 1
    assert any(line.startswith("FAIL  bad.hl [off]: bad test:") for line in out)
    assert any("no test named gone.hl" in line for line in out)
    assert out[-1] == "1 passed, 2 failed"


def test_gc_stress_is_accepted(tmp_path):
    root = corpus(tmp_path, {"pass.hl": PASS})
    r = hll_test(str(root), "--tier", "off", "--gc-stress")
    assert (r.returncode, lines(r)[-1]) == (0, "1 passed, 0 failed")


@pytest.mark.parametrize("known, message", [
    ("x.hl reason: no tiers\n", "tiers= is required"),
    ("x.hl tiers=jit reason: r\n", "unknown tiers"),
    ("x.hl tiers=all\n", "expected 'PATH tiers="),
])
def test_malformed_known_failures(tmp_path, known, message):
    root = corpus(tmp_path, {"x.hl": PASS}, known=known)
    r = hll_test(str(root), "--tier", "off")
    assert r.returncode == 1
    assert message in r.stdout
