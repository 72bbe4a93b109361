"""The hook for HL's JIT statistics: what a run of `hll run --trace-jit`
says about compiling, as numbers for the reports.

Owns `parse_jit_summary` and `supports_trace_jit`.  The format of HL's JIT
statistics is not fixed yet; the driver passes `--trace-jit` only when
`hll run --help` lists it (an older HL would refuse it), and reads the one summary
line it expects at the end of standard error, in either order of words,
the functions left to the interpreter optional:

    jit: compiled 12 functions in 85.3 ms
    jit: 12 functions compiled in 85.3 ms, 2 not compiled

When the format changes, this module is the one place to change.  A run
without such a line has no JIT numbers, and the reports' JIT columns show
"—": no number is made up.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

# X may have a fraction; the last such line wins, so a trace that prints
# running totals still parses.  A line per function ("jit: compiled m.f:
# ...") has no count after "compiled" and does not match.
SUMMARY = re.compile(r"^jit: (?:compiled (\d+) functions?|(\d+) functions? compiled) in (\d+(?:\.\d*)?) ?ms"
                     r"(?:, (\d+) not compiled)?", re.M)
TRACE_OPTION = "--trace-jit"


@dataclass(frozen=True)
class JitSummary:
    functions: int                  # compiled
    ms: float                       # compiling them
    not_compiled: int | None = None     # left to the interpreter, when the line says


def parse_jit_summary(stderr: str) -> JitSummary | None:
    """The last JIT summary line of a run's standard error, or None."""
    found = SUMMARY.findall(stderr)
    if not found:
        return None
    n1, n2, ms, refused = found[-1]
    return JitSummary(int(n1 or n2), float(ms), int(refused) if refused else None)


def supports_trace_jit(hll_run: list[str]) -> bool:
    """Whether `hll run` (the command given, without a program) takes
    --trace-jit: an unknown option would fail every run."""
    try:
        p = subprocess.run(hll_run + ["--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return TRACE_OPTION in p.stdout
