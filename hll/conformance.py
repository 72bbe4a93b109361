"""The conformance suite's test format and the running of one test.

Owns parsing a test's header (docs/conformance.md) into a `TestCase`, running
it in-process through the compiler and the VM (or, for `.hlasm` tests,
through the assembler `hll.hlasm`, the `.hlc` writer and the loader),
comparing what happened with what the header expects, and the known-failures
file that says which tests may fail in which tier and why.  Scheduling many
tests (processes, time limits, progress, summaries) is the test command's
(`hll.testcmd`), and pytest's, not this module's.

A test is an `.hl` file, a folder whose entry is `main.hl`, or an `.hlasm`
file (a hand-written bytecode module), that starts with a header block

    /*---
    desc: ...
    features: int, arithmetic
    phase: compile | load | verify | runtime | exhaustion   (omit for success)
    error: ...           (compile: "LINE: substring | LINE"; runtime, load,
                          verify: the error class)
    message: ...         (substring of the error's first line)
    exit: N
    args: a b
    stdin: text with \\n escapes
    flags: stdin, allow-read, allow-write, allow-env, slow
    fuel: N              (the run's fuel limit, for exhaustion tests)
    corrupt: set 0 58; fix-checksum    (.hlasm: damage to the written bytes)
    ---*/

and states its expected standard output with `// expect: TEXT` comments in
output order (and, optionally, its exact standard error with `// stderr:
TEXT` comments).
"""

from __future__ import annotations

import functools
import inspect
import io
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EXIT = {None: 0, "runtime": 1, "compile": 2, "load": 3, "verify": 3, "exhaustion": 4}
PHASES = set(DEFAULT_EXIT) - {None}
_EXPECT = re.compile(r"//\s*expect:(?: (.*)|)$")
_STDERR = re.compile(r"//\s*stderr:(?: (.*)|)$")
_KEYS = {"desc", "features", "phase", "error", "message", "exit", "args", "stdin", "flags", "corrupt", "fuel"}
_FLAGS = {"stdin", "allow-read", "allow-write", "allow-env", "slow"}
# The environment variables an `allow-env` test is granted: the first is "hl".
ENV_SET, ENV_UNSET = "HL_CONFORMANCE_ENV", "HL_CONFORMANCE_UNSET"

# The execution tiers (vm.md 7, docs/jit.md).  Every tier must give
# byte-identical output; the runner passes the tier to the VM as its `jit`
# option.
TIERS = ("off", "auto", "eager")
KNOWN_FAILURES = "known-failures.txt"


class BadTest(Exception):
    """A test file whose header cannot be understood."""


@dataclass(frozen=True)
class CompileExpectation:
    line: int
    substring: str


@dataclass
class TestCase:
    path: Path                 # the file or folder named in reports
    entry: Path                # the .hl (or .hlasm) file to run
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
    corrupt: str = ""          # .hlasm only: edits to the written bytes (hlasm.corrupt)
    stderr: str | None = None  # exact standard error, when the test gives `// stderr:` lines
    fuel: int | None = None    # the run's fuel limit (vm.md 8), for exhaustion tests

    @property
    def is_asm(self) -> bool:
        return self.entry.suffix == ".hlasm"


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
    """Every test under `root`: `.hl` and `.hlasm` files outside module
    folders, and folders holding a `main.hl` (their other files are the
    test's modules and data)."""
    root = Path(root)
    if root.is_file():
        return [root]
    if (root / "main.hl").is_file():
        return [root]
    found: list[Path] = []
    for p in sorted(root.iterdir()):
        if p.is_dir():
            found.extend(discover(p))
        elif p.suffix in (".hl", ".hlasm"):
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
    unknown = set(keys) - _KEYS
    if unknown:
        raise BadTest(f"{entry}: unknown header keys {sorted(unknown)}")
    phase = keys.get("phase") or None
    if phase is not None and phase not in PHASES:
        raise BadTest(f"{entry}: unknown phase {phase!r}")
    if entry.suffix == ".hlasm" and phase == "compile":
        raise BadTest(f"{entry}: an assembled module has no compile phase")
    if "corrupt" in keys and entry.suffix != ".hlasm":
        raise BadTest(f"{entry}: corrupt: applies to .hlasm tests only")
    case = TestCase(
        path=path, entry=entry, desc=keys.get("desc", ""),
        features=_list(keys.get("features", "")), phase=phase,
        message=keys.get("message") or None,
        exit=_int(keys["exit"], entry, "exit") if "exit" in keys else DEFAULT_EXIT[phase],
        args=tuple(keys.get("args", "").split()),
        stdin=keys.get("stdin", "").replace("\\n", "\n"),
        flags=_list(keys.get("flags", "")),
        corrupt=keys.get("corrupt", ""),
        fuel=_int(keys["fuel"], entry, "fuel") if "fuel" in keys else None,
    )
    if set(case.flags) - _FLAGS:
        raise BadTest(f"{entry}: unknown flags {sorted(set(case.flags) - _FLAGS)}")
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
    elif phase in ("load", "verify"):
        case.error_class = err or ("LoadError" if phase == "load" else "VerifyError")
    out, err = [], []
    for line in text.splitlines():
        em = _EXPECT.search(line)
        if em:
            out.append(em.group(1) or "")
        em = _STDERR.search(line)
        if em:
            err.append(em.group(1) or "")
    case.stdout = "".join(s + "\n" for s in out)
    if err:
        case.stderr = "".join(s + "\n" for s in err)
    return case


def _int(s: str, entry: Path, key: str) -> int:
    try:
        return int(s, 0)
    except ValueError:
        raise BadTest(f"{entry}: {key}: {s!r} is not an integer") from None


def _list(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split(",") if x.strip())


def vm_accepts(option: str) -> bool:
    """Whether `hllvm.VM` takes keyword `option` (tiers and GC stress are
    passed only once the VM has them)."""
    from hllvm import VM
    return option in inspect.signature(VM.__init__).parameters


def execute(case: TestCase, jit: str = "off", extra: dict | None = None) -> Outcome:
    """Run a test in this process, as `hll run` would: compile it (or
    assemble, write and read it back, for `.hlasm`), load it, run `main`.
    `jit` is the execution tier, given to the VM when it takes a `jit`
    option; `extra` holds more VM options (e.g. `gc_stress`)."""
    opts = dict(extra or {})
    if vm_accepts("jit"):
        opts["jit"] = jit
    if case.fuel is not None:
        if not vm_accepts("fuel"):
            # Without a limit the test would run forever: fail it at once.
            return Outcome(-1, "", "the VM has no fuel limit (VM(fuel=...)) to run this test with\n")
        opts["fuel"] = case.fuel
    with _granted_dir(case) as folder:
        args = [a.replace("{dir}", folder) for a in case.args]
        grants = [folder]
        opts.update(allow_read=grants if "allow-read" in case.flags or "allow-write" in case.flags else [],
                    allow_write=grants if "allow-write" in case.flags else [])
        if "allow-env" in case.flags:
            # Two variables the test may read: one set to "hl", one never set.
            os.environ[ENV_SET] = "hl"
            os.environ.pop(ENV_UNSET, None)
            opts["allow_env"] = [ENV_SET, ENV_UNSET]
        if case.is_asm:
            return _execute_asm(case, args, opts)
        return _execute_source(case, args, opts)


@contextmanager
def _granted_dir(case: TestCase):
    """The folder a test may read (its own), or for `allow-write` a fresh
    copy of it, so that tests never change the tree and parallel runs of
    one test do not race."""
    if "allow-write" not in case.flags:
        yield str(case.entry.parent.resolve())
        return
    tmp = tempfile.mkdtemp(prefix="hltest-")
    try:
        if case.path.is_dir():
            shutil.copytree(case.path, tmp, dirs_exist_ok=True)
        yield str(Path(tmp).resolve())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _execute_source(case: TestCase, args: list[str], opts: dict) -> Outcome:
    import compiler
    try:
        prog = compiler.compile_program(case.entry)
    except compiler.CompileError as e:
        return Outcome(2, "", e.format())
    return _run_modules(case, prog.modules, prog.entry, args, opts)


def _execute_asm(case: TestCase, args: list[str], opts: dict) -> Outcome:
    import compiler
    import hllvm
    from hlbc import write_module
    from . import hlasm
    text = case.entry.read_text(encoding="utf-8")
    try:
        desc = hlasm.assemble(text, others={m.name: m for m in _library_modules()})
        data = hlasm.corrupt(write_module(desc), case.corrupt)
    except (hlasm.AsmError, ValueError) as e:
        raise BadTest(f"{case.entry}: {e}") from None
    try:
        mod = hllvm.load_bytes(data)
    except _load_errors() as e:
        return Outcome(3, "", _error_line(e))
    library = set(compiler.stdlib_module_names())
    deps = []
    for name in mod.imports:          # the rest is missing, as the loader will say
        if name in library:
            deps.extend(_library_modules(name))
    seen, modules = set(), []
    for m in [*deps, mod]:
        if m.name not in seen:
            seen.add(m.name)
            modules.append(m)
    return _run_modules(case, modules, mod.name, args, opts)


def _run_modules(case: TestCase, modules, entry: str, args: list[str], opts: dict) -> Outcome:
    from hllvm import VM
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err, stdin=io.StringIO(case.stdin), **opts)
    try:
        vm.load(modules)
    except _load_errors() as e:
        return Outcome(3, "", _error_line(e))
    if case.phase == "verify":
        # Ill-typed code that was meant to be rejected is not run: without a
        # verifier it could do anything to the VM.
        return Outcome(0, "", "(the module loaded without error)\n")
    try:
        status = vm.run_main(entry, args)
    except _load_errors() as e:      # no usable main: found before any code runs
        return Outcome(3, out.getvalue(), _error_line(e))
    return Outcome(status, out.getvalue(), err.getvalue())


@functools.lru_cache(maxsize=None)
def _load_errors() -> tuple[type, ...]:
    """The loading phase's exceptions: VerifyError (once the VM has one,
    the more specific first) and LoadError."""
    import hllvm
    from hlbc import LoadError
    verify = getattr(hllvm, "VerifyError", None)
    return (verify, LoadError) if isinstance(verify, type) and verify is not LoadError else (LoadError,)


def _error_line(e: Exception) -> str:
    """`Class: message` for a load or verify error, as `hll run` reports it."""
    text = str(e)
    name = type(e).__name__
    return (text if text.startswith(name + ":") else f"{name}: {text}") + "\n"


@functools.lru_cache(maxsize=None)
def _library_modules(name: str = "lang") -> tuple:
    """The compiled standard-library module `name` with what it imports, in
    initialisation order (cached: it is the same for every test)."""
    import compiler
    return tuple(compiler.compile_modules(name))


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
            problems.append(_first_difference(case.stdout, got.stdout) + "\n" + _diff(case.stdout, got.stdout))
    first = got.stderr.splitlines()[0] if got.stderr else ""
    if case.phase == "runtime":
        if not first.startswith(f"Uncaught {case.error_class}:") and first != f"Uncaught {case.error_class}":
            problems.append(f"expected 'Uncaught {case.error_class}: ...' on stderr, got {first!r}")
        elif case.message and case.message not in first:
            problems.append(f"error message {first!r} lacks {case.message!r}")
    elif case.phase in ("load", "verify"):
        if not first.startswith(f"{case.error_class}:"):
            problems.append(f"expected '{case.error_class}: ...', got {first!r}")
        elif case.message and case.message not in first:
            problems.append(f"error {first!r} lacks {case.message!r}")
    if case.stderr is not None and not _stderr_matches(case.stderr, got.stderr):
        problems.append("stderr differs:\n" + _diff(case.stderr, got.stderr))
    if got.stderr.strip() and (got.status != case.exit or (case.phase is None and got.status == 1)):
        problems.append("stderr: " + got.stderr.strip().splitlines()[0])
    return Verdict(not problems, problems)


def _stderr_matches(expected: str, got: str) -> bool:
    """Line by line; `...` in an expected line stands for any text (for
    what the spec does not fix: a message's wording, a file's directory)."""
    exp, out = expected.rstrip("\n").splitlines(), got.rstrip("\n").splitlines()
    if len(exp) != len(out):
        return False
    return all(re.fullmatch(".*".join(map(re.escape, e.split("..."))), g) for e, g in zip(exp, out))


def _compile_lines(stderr: str) -> list[tuple[int, str]]:
    found = []
    for line in stderr.splitlines():
        m = re.match(r".*?\.hl:(\d+):(\d+): error: (.*)$", line)
        if m:
            found.append((int(m.group(1)), m.group(3)))
    return found


def _first_difference(expected: str, got: str) -> str:
    """One line naming the first output line that differs."""
    exp, out = expected.splitlines(), got.splitlines()
    for i in range(max(len(exp), len(out))):
        e = exp[i] if i < len(exp) else None
        g = out[i] if i < len(out) else None
        if e != g:
            if e is None:
                return f"stdout differs at line {i + 1}: unexpected {g!r}"
            if g is None:
                return f"stdout differs at line {i + 1}: expected {e!r}, got nothing"
            return f"stdout differs at line {i + 1}: expected {e!r}, got {g!r}"
    return "stdout differs in its line endings"


def _diff(expected: str, got: str) -> str:
    import difflib
    lines = difflib.unified_diff(expected.splitlines(), got.splitlines(), "expected", "got", lineterm="", n=1)
    return "\n".join(list(lines)[:40])


# --- running one test in one tier, and what a result means -------------------------------

PASS, FAIL, XFAIL, XPASS, SKIP = "pass", "fail", "xfail", "xpass", "skip"


@dataclass
class Result:
    """One test run in one tier, classified against the known failures."""
    name: str                  # the test's path relative to its corpus root
    tier: str
    kind: str                  # PASS FAIL XFAIL XPASS SKIP
    problems: list[str] = field(default_factory=list)
    desc: str = ""
    features: tuple[str, ...] = ()
    reason: str = ""           # the known-failures entry's reason, if listed
    seconds: float = 0.0

    @property
    def unexpected(self) -> bool:
        return self.kind in (FAIL, XPASS)


def run(path: Path, tier: str = "off", extra: dict | None = None) -> tuple[TestCase | None, Verdict]:
    """Parse, execute and judge one test.  A test that cannot be understood,
    or that makes the runner itself fail, is a failed verdict, not an
    exception: one bad file must not stop the suite."""
    try:
        case = parse(path)
    except (BadTest, OSError, UnicodeDecodeError, ValueError) as e:
        return None, Verdict(False, [f"bad test: {e}"])
    try:
        got = execute(case, jit=tier, extra=extra)
    except BadTest as e:
        return case, Verdict(False, [f"bad test: {e}"])
    except Exception as e:         # a crash of the compiler or the VM is a failure of the test
        import traceback
        tb = traceback.extract_tb(e.__traceback__)[-1]
        return case, Verdict(False, [f"crashed: {type(e).__name__}: {e} ({Path(tb.filename).name}:{tb.lineno})"])
    return case, judge(case, got)


def classify(verdict_ok: bool, entry: "KnownFailure | None") -> str:
    if entry is None:
        return PASS if verdict_ok else FAIL
    if entry.skip:
        return SKIP
    return XPASS if verdict_ok else XFAIL


# --- the known-failures file ---------------------------------------------------------------

@dataclass(frozen=True)
class KnownFailure:
    name: str                  # test path relative to the file's folder
    tiers: frozenset[str]
    reason: str
    skip: bool = False         # do not even run it (it would hang or crash the runner)
    line: int = 0


class KnownFailures:
    """`known-failures.txt` in a corpus's root folder: tests that fail today,
    in which tiers, and why.  One entry per line,

        PATH  tiers=all|off,auto,eager  [skip]  reason: TEXT

    with `#` comments and blank lines.  PATH is relative to the file's
    folder.  A listed test that fails is an expected failure; one that
    passes is an unexpected pass, reported as a failure so that the list
    only shrinks.  `skip` entries are not run at all."""

    def __init__(self, root: Path | None, entries: list[KnownFailure]):
        self.root = root
        self.entries = entries
        self._by_name: dict[str, list[KnownFailure]] = {}
        for e in entries:
            self._by_name.setdefault(e.name, []).append(e)

    @classmethod
    def load(cls, path: Path) -> "KnownFailures":
        path = Path(path)
        if not path.is_file():
            return cls(path.parent, [])
        entries = []
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            head, sep, reason = line.partition("reason:")
            words = head.split()
            if not sep or not reason.strip() or not words:
                raise BadTest(f"{path}:{n}: expected 'PATH tiers=... [skip] reason: TEXT'")
            name, opts = words[0], words[1:]
            tiers, skip = None, False
            for o in opts:
                if o.startswith("tiers="):
                    tiers = o[len("tiers="):]
                elif o == "skip":
                    skip = True
                else:
                    raise BadTest(f"{path}:{n}: unknown word {o!r}")
            if tiers is None:
                raise BadTest(f"{path}:{n}: tiers= is required (all, or a list of {', '.join(TIERS)})")
            chosen = set(TIERS) if tiers == "all" else set(tiers.split(","))
            if not chosen or chosen - set(TIERS):
                raise BadTest(f"{path}:{n}: unknown tiers {sorted(chosen - set(TIERS))}")
            entries.append(KnownFailure(name, frozenset(chosen), reason.strip(), skip, n))
        return cls(path.parent, entries)

    @classmethod
    def for_path(cls, path: Path) -> "KnownFailures":
        """The known failures of the corpus `path` belongs to: the nearest
        folder at or above it holding a known-failures file (or none)."""
        root = corpus_root(path)
        return cls.load(root / KNOWN_FAILURES) if root is not None else cls(None, [])

    def lookup(self, name: str, tier: str) -> KnownFailure | None:
        for e in self._by_name.get(name, ()):
            if tier in e.tiers:
                return e
        return None

    def stale(self) -> list[KnownFailure]:
        """Entries that name no existing test."""
        if self.root is None:
            return []
        return [e for e in self.entries if not (self.root / e.name).exists()]


def corpus_root(path: Path) -> Path | None:
    p = Path(path).resolve()
    for d in [p, *p.parents] if p.is_dir() else list(p.parents):
        if (d / KNOWN_FAILURES).is_file():
            return d
    return None


def case_name(path: Path, root: Path | None) -> str:
    """How a test is named in reports and in the known-failures file."""
    p = Path(path).resolve()
    if root is not None:
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            pass
    try:
        return p.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return p.as_posix()
