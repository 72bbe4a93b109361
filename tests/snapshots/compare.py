"""One comparison: a subject stopped after N events in tier A, resumed in a
new process in tier B, against its run uninterrupted.

    hll run --jit=A --snapshot-after N --snapshot-file F ... PROGRAM ARGS   (status 5)
    hll resume --jit=B ... F

The standard output of the two, one after the other, and the second's exit
status must be the uninterrupted run's, byte for byte; so must the standard
error (an uncaught error's trace included), once the first run's line
"hll: suspended; ..." is set aside.  A first run that does not stop but
ends as the uninterrupted one did is `unsuspended`: there was no safe point
after N events (the last events were the outermost calls of initialisers
and `main`, which stop nothing) — acceptable only when no tier stopped
there either (run.py).  A failed comparison can be kept: the
snapshot, both outputs and a script that runs the two commands again.

It runs processes and compares; what to compare is run.py's choice.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .subjects import Subject, Workspace, environment

EXIT_SUSPENDED = 5
RUN_TIMEOUT = 120.0           # seconds per process


@dataclass
class Outcome:
    status: int
    stdout: bytes
    stderr: bytes


@dataclass
class Comparison:
    subject: str
    why: str                       # the point's kind ("1/4", "finally", ...)
    events: int                    # N of --snapshot-after
    tiers: tuple[str, str]         # (suspended in, resumed in)
    same: bool = False
    unsuspended: bool = False      # ran to its end as uninterrupted: no safe point after N events
    problem: str = ""
    commands: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)     # the run's, then the resume's

    def line(self) -> str:
        a, b = self.tiers
        head = f"{self.subject} @{self.events} ({self.why}) {a}->{b}"
        return head if self.same else f"{head}: {self.problem}"


def execute(argv: list[str], stdin: str, cwd: Path, timeout: float = RUN_TIMEOUT) -> Outcome:
    try:
        p = subprocess.run(argv, input=stdin.encode(), capture_output=True, cwd=cwd, env=environment(),
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return Outcome(-9, e.stdout or b"", (e.stderr or b"") + f"\n[timed out after {timeout:g} s]\n".encode())
    return Outcome(p.returncode, p.stdout, p.stderr)


def reference(s: Subject, ws: Workspace, tier: str = "off") -> Outcome:
    """The subject run uninterrupted."""
    folder = ws.granted(s)
    return execute(ws.run_argv(s, tier, folder), s.stdin, ws.root)


def compare(s: Subject, ws: Workspace, ref: Outcome, events: int, tiers: tuple[str, str], why: str = "",
            resume_stdin: str = "") -> Comparison:
    """Stop `s` after `events` events in tiers[0], resume it in tiers[1]
    (reading `resume_stdin`), and compare with `ref`."""
    a, b = tiers
    c = Comparison(s.name, why, events, tiers)
    snap = ws.root / "point.snap"
    if snap.exists():
        snap.unlink()
    folder = ws.granted(s)
    first = ws.run_argv(s, a, folder, ("--snapshot-file", str(snap), "--snapshot-after", str(events)))
    second = ws.resume_argv(s, b, folder, snap)
    c.commands = [first, second]
    r1 = execute(first, s.stdin, ws.root)
    c.outcomes.append(r1)
    note = f"hll: suspended; snapshot written to {snap}\n".encode()
    if r1.status != EXIT_SUSPENDED or not r1.stderr.endswith(note):
        c.unsuspended = (r1.status, r1.stdout, r1.stderr) == (ref.status, ref.stdout, ref.stderr)
        c.problem = f"the first run did not suspend (status {r1.status}): {_tail(r1.stderr)}"
        return c
    r2 = execute(second, resume_stdin, ws.root)
    c.outcomes.append(r2)
    out = r1.stdout + r2.stdout
    err = r1.stderr[:-len(note)] + r2.stderr
    problems = []
    if r2.status != ref.status:
        problems.append(f"status {r2.status}, expected {ref.status}")
    if out != ref.stdout:
        problems.append(f"stdout differs {_first_difference(ref.stdout, out)}")
    if err != ref.stderr:
        problems.append(f"stderr differs {_first_difference(ref.stderr, err)}")
    c.problem = "; ".join(problems)
    c.same = not problems
    return c


def _tail(b: bytes, n: int = 300) -> str:
    t = b.decode("utf-8", "replace").strip()
    return t if len(t) <= n else "..." + t[-n:]


def _first_difference(want: bytes, got: bytes) -> str:
    i = next((k for k, (x, y) in enumerate(zip(want, got)) if x != y), min(len(want), len(got)))
    w = want[max(0, i - 40):i + 60].decode("utf-8", "replace")
    g = got[max(0, i - 40):i + 60].decode("utf-8", "replace")
    return f"at byte {i}: expected {w!r}, got {g!r}"


def keep(c: Comparison, s: Subject, ws: Workspace, ref: Outcome, where: Path) -> Path:
    """Keep what a failed comparison needs to be looked at again: the
    snapshot, the outputs, and `repro.sh` with the two commands."""
    name = s.name.replace("/", "_").replace(":", "_")
    d = Path(where) / f"{name}@{c.events}-{c.tiers[0]}-{c.tiers[1]}"
    d.mkdir(parents=True, exist_ok=True)
    snap = ws.root / "point.snap"
    if snap.exists():
        shutil.copy(snap, d / "point.snap")
    (d / "stdin.txt").write_text(s.stdin)
    (d / "expected.stdout").write_bytes(ref.stdout)
    (d / "expected.stderr").write_bytes(ref.stderr)
    (d / "expected.status").write_text(f"{ref.status}\n")
    for i, o in enumerate(c.outcomes):
        (d / f"got{i + 1}.stdout").write_bytes(o.stdout)
        (d / f"got{i + 1}.stderr").write_bytes(o.stderr)
        (d / f"got{i + 1}.status").write_text(f"{o.status}\n")
    lines = ["#!/bin/sh", f"# {c.line()}",
             "# (a test that writes files needs its folder afresh: " + str(ws.grant) + ")",
             f"cd {shlex.quote(str(ws.root))}",
             "export HL_CONFORMANCE_ENV=hl; unset HL_CONFORMANCE_UNSET HL_JIT"]
    kept = str(d / "point.snap")
    first, second = ([kept if a == str(snap) else a for a in cmd] for cmd in c.commands)
    lines.append(shlex.join(first) + f" < {shlex.quote(str(d / 'stdin.txt'))}")
    lines.append("echo status $?")
    lines.append(shlex.join(second) + " < /dev/null")
    lines.append("echo status $?")
    (d / "repro.sh").write_text("\n".join(lines) + "\n")
    return d


__all__ = ["Outcome", "Comparison", "execute", "reference", "compare", "keep", "EXIT_SUSPENDED"]
