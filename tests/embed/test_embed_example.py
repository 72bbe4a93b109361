"""The embedding example (examples/embed/rules.py) runs as its README says,
and every hostile rule is contained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_rule_engine_runs_and_contains_its_rules():
    r = subprocess.run([sys.executable, "examples/embed/rules.py"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "order 1: 62.50 from DE, 2 items"
    verdicts = {}
    for line in lines:
        if line.startswith("  "):
            name, _, verdict = line.strip().partition(": ")
            verdicts.setdefault(name, []).append(verdict)
    assert set(verdicts) == {"blocked_country", "chatty", "free_shipping", "hog", "quantity", "snoop",
                             "spin", "unknown_tax"}
    assert all(len(v) == 3 for v in verdicts.values())          # every rule judged every order
    assert verdicts["free_shipping"][0] == "accept; log: free shipping for an order of 62.5"
    assert verdicts["quantity"][1] == "refuse (more than 5 of plum)"
    assert verdicts["blocked_country"] == ["accept", "accept", "refuse (country XX is blocked)"]
    assert set(verdicts["spin"]) == {"stopped: fuel exhausted"}
    assert set(verdicts["chatty"]) == {"stopped: output limit exceeded; printed 2000 characters"}
    assert all(v.startswith("error: OutOfMemoryError: ") for v in verdicts["hog"])
    assert set(verdicts["snoop"]) == {"error: PermissionError: read access to '/etc/passwd' denied"}
    assert set(verdicts["unknown_tax"]) == {"error: IndexError: KeyError: 'Atlantis'"}


def test_the_readme_says_how_to_run_it():
    text = (ROOT / "examples" / "embed" / "README.md").read_text(encoding="utf-8")
    assert "python3 examples/embed/rules.py" in text
