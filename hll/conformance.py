"""The conformance suite's test format and the running of one test.

Owns parsing a test's header (docs/conformance.md) into a `TestCase`, running
it in-process through the compiler and the VM, and comparing what happened
with what the header expects.  Scheduling many tests (processes, progress,
summaries) is the test command's job, not this module's.

A test is an `.hl` file, or a folder whose entry is `main.hl`, that starts
with a header block

    /*---
    desc: ...
    features: int, arithmetic
    phase: compile | load | verify | runtime | exhaustion   (omit for success)
    error: ...           (compile: "LINE: substring | LINE"; runtime: class)
    message: ...         (runtime: substring of the error message)
    exit: N
    args: a b
    stdin: text with \\n escapes
    flags: stdin, allow-read, allow-write, slow
    ---*/

and states its expected standard output with `// expect: TEXT` comments in
output order.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EXIT = {None: 0, "runtime": 1, "compile": 2, "load": 3, "verify": 3, "exhaustion": 4}
PHASES = set(DEFAULT_EXIT) - {None}
_EXPECT = re.compile(r"//\s*expect:(?: (.*)|)$")


class BadTest(Exception):
    """A test file whose header cannot be understood."""


@dataclass(frozen=True)
class CompileExpectation:
    line: int
    substring: str


@dataclass
class TestCase:
    path: Path                 # the file or folder named in reports
    entry: Path                # the .hl file to run
    desc: str
    features: tuple[str, ...]
    phase: str | None
    compile_errors: tuple[CompileExpectation, ...] = ()
    error_class: str | None = None
    message: str | None = None
    exit: int = 0
    args: tuple[str, ...] = ()
    stdin: str = ""
    flags: tuple[str, ...] = ()
    stdout: str = ""


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str


@dataclass
class Verdict:
    ok: bool
    problems: list[str] = field(default_factory=list)


def discover(root: Path) -> list[Path]:
    """Every test under `root`: `.hl` files outside module folders, and
    folders holding a `main.hl` (their other files are the test's modules)."""
    root = Path(root)
    if root.is_file():
        return [root]
    if (root / "main.hl").is_file():
        return [root]
    found: list[Path] = []
    for p in sorted(root.iterdir()):
        if p.is_dir():
            found.extend(discover(p))
        elif p.suffix == ".hl":
            found.append(p)
    return found


def parse(path: Path) -> TestCase:
    path = Path(path)
    entry = path / "main.hl" if path.is_dir() else path
    text = entry.read_text(encoding="utf-8")
    m = re.match(r"\s*/\*---\n(.*?)\n---\*/", text, re.S)
    if not m:
        raise BadTest(f"{entry}: no /*--- ... ---*/ header at the top")
    keys: dict[str, str] = {}
    for raw in m.group(1).splitlines():
        if not raw.strip():
            continue
        k, sep, v = raw.partition(":")
        if not sep:
            raise BadTest(f"{entry}: header line without 'key:': {raw!r}")
        keys[k.strip()] = v.strip()
    unknown = set(keys) - {"desc", "features", "phase", "error", "message", "exit", "args", "stdin", "flags"}
    if unknown:
        raise BadTest(f"{entry}: unknown header keys {sorted(unknown)}")
    phase = keys.get("phase") or None
    if phase is not None and phase not in PHASES:
        raise BadTest(f"{entry}: unknown phase {phase!r}")
    case = TestCase(
        path=path, entry=entry, desc=keys.get("desc", ""),
        features=_list(keys.get("features", "")), phase=phase,
        message=keys.get("message") or None,
        exit=int(keys["exit"]) if "exit" in keys else DEFAULT_EXIT[phase],
        args=tuple(keys.get("args", "").split()),
        stdin=keys.get("stdin", "").replace("\\n", "\n"),
        flags=_list(keys.get("flags", "")),
    )
    err = keys.get("error", "")
    if phase == "compile":
        exps = []
        for part in filter(None, (p.strip() for p in err.split("|"))):
            line, _, sub = part.partition(":")
            if not line.strip().isdigit():
                raise BadTest(f"{entry}: compile error expectation {part!r} needs a line number")
            exps.append(CompileExpectation(int(line), sub.strip()))
        if not exps:
            raise BadTest(f"{entry}: phase compile needs 'error: LINE[: substring]'")
        case.compile_errors = tuple(exps)
    elif phase == "runtime":
        if not err:
            raise BadTest(f"{entry}: phase runtime needs 'error: ErrorClass'")
        case.error_class = err
    out = []
    for line in text.splitlines():
        em = _EXPECT.search(line)
        if em:
            out.append(em.group(1) or "")
    case.stdout = "".join(s + "\n" for s in out)
    return case


def _list(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split(",") if x.strip())


def execute(case: TestCase, jit: str = "off", extra: dict | None = None) -> Outcome:
    """Compile and run a test in this process, as `hll run` would."""
    import compiler
    from hlbc import LoadError
    from hllvm import VM
    try:
        prog = compiler.compile_program(case.entry)
    except compiler.CompileError as e:
        return Outcome(2, "", e.format())
    out, err = io.StringIO(), io.StringIO()
    grants = [str(case.entry.parent)]
    opts = dict(stdout=out, stderr=err, stdin=io.StringIO(case.stdin),
                allow_read=grants if "allow-read" in case.flags else [],
                allow_write=grants if "allow-write" in case.flags else [])
    opts.update(extra or {})
    vm = VM(**opts)
    try:
        vm.load(prog.modules)
    except LoadError as e:
        return Outcome(3, "", str(e))
    status = vm.run_main(prog.entry, list(case.args))
    return Outcome(status, out.getvalue(), err.getvalue())


def judge(case: TestCase, got: Outcome) -> Verdict:
    problems = []
    if got.status != case.exit:
        problems.append(f"exit status {got.status}, expected {case.exit}")
    if case.phase == "compile":
        reported = _compile_lines(got.stderr)
        for exp in case.compile_errors:
            if not any(line == exp.line and exp.substring.lower() in msg.lower() for line, msg in reported):
                problems.append(f"no compile error on line {exp.line}"
                                + (f" mentioning {exp.substring!r}" if exp.substring else ""))
    else:
        if got.stdout != case.stdout:
            problems.append("stdout differs:\n" + _diff(case.stdout, got.stdout))
    if case.phase == "runtime":
        first = got.stderr.splitlines()[0] if got.stderr else ""
        if not first.startswith(f"Uncaught {case.error_class}:") and first != f"Uncaught {case.error_class}":
            problems.append(f"expected 'Uncaught {case.error_class}: ...' on stderr, got {first!r}")
        elif case.message and case.message not in first:
            problems.append(f"error message {first!r} lacks {case.message!r}")
    if case.phase is None and got.status == 1 and got.stderr:
        problems.append("stderr: " + got.stderr.strip().splitlines()[0])
    return Verdict(not problems, problems)


def _compile_lines(stderr: str) -> list[tuple[int, str]]:
    found = []
    for line in stderr.splitlines():
        m = re.match(r".*?\.hl:(\d+):(\d+): error: (.*)$", line)
        if m:
            found.append((int(m.group(1)), m.group(3)))
    return found


def _diff(expected: str, got: str) -> str:
    import difflib
    lines = difflib.unified_diff(expected.splitlines(), got.splitlines(), "expected", "got", lineterm="", n=1)
    return "\n".join(list(lines)[:40])
