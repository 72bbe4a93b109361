"""The programs of the differential suspend/resume run and their command lines.

A `Subject` is one program as `hll run` runs it: its file, arguments,
standard input, grants and fuel limit.  Conformance tests (tests/conformance,
read with hll/conformance.py; the compile, load and verify phases never run
code and are left out) and the bench workloads at their small sizes
(bench/workloads.py) are subjects.  `Workspace` is the folder one worker runs
in: a test that writes files gets a fresh copy of its folder at the same
path before every run, so that every run of it prints the same paths.

This module builds command lines; it runs nothing (compare.py and probe.py
do).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
CONFORMANCE = REPO / "tests" / "conformance"
BENCH = REPO / "bench" / "programs"
# The phases whose tests run code (the others stop before `main`).
RUNNING_PHASES = (None, "runtime", "exhaustion")
# The environment an `allow-env` test is granted (hll/conformance.py).
ENV_SET, ENV_UNSET = "HL_CONFORMANCE_ENV", "HL_CONFORMANCE_UNSET"


def hll_command() -> list[str]:
    """The `hll` of the Python running this (the virtual environment's)."""
    script = Path(sys.executable).parent / "hll"
    if script.is_file():
        return [str(script)]
    found = shutil.which("hll")
    if found is None:
        raise RuntimeError("no hll command beside this Python nor on PATH")
    return [found]


@dataclass(frozen=True)
class Subject:
    name: str                         # "conformance/errors/finally_rethrow.hl", "bench/fib:25"
    source: Path                      # the .hl file, folder (main.hl) or .hlasm file
    args: tuple[str, ...] = ()        # "{dir}": the granted folder
    stdin: str = ""
    allow_read: bool = False
    allow_write: bool = False
    allow_env: bool = False
    fuel: int | None = None
    max_heap: int | None = None       # bytes (else hll's default)
    gc_stress: bool = False           # collect at every allocation

    @property
    def options(self) -> list[str]:
        """The options of both `hll run` and `hll resume` beside the grants."""
        opts = ["--max-heap", str(self.max_heap)] if self.max_heap is not None else []
        return opts + (["--gc-stress"] if self.gc_stress else [])

    @property
    def entry(self) -> Path:
        return self.source / "main.hl" if self.source.is_dir() else self.source

    @property
    def is_asm(self) -> bool:
        return self.source.suffix == ".hlasm"


def conformance_subjects(pattern: str = "*", root: Path = CONFORMANCE) -> list[Subject]:
    """The conformance tests that run code, whose name (relative to
    tests/conformance) matches the glob `pattern`."""
    from hll import conformance as C
    out = []
    for path in C.discover(root):
        rel = path.relative_to(root).as_posix()
        if not fnmatch.fnmatch(rel, pattern):
            continue
        case = C.parse(path)
        if case.phase not in RUNNING_PHASES:
            continue
        out.append(Subject(
            name=f"conformance/{rel}", source=path, args=case.args, stdin=case.stdin,
            allow_read="allow-read" in case.flags or "allow-write" in case.flags,
            allow_write="allow-write" in case.flags, allow_env="allow-env" in case.flags,
            fuel=case.fuel))
    return out


def bench_subjects(pattern: str = "*") -> list[Subject]:
    """The bench workloads at their small sizes, named "bench/NAME:SIZE"."""
    sys.path.insert(0, str(REPO))
    try:
        from bench.workloads import WORKLOADS
    finally:
        sys.path.remove(str(REPO))
    out = []
    for w in WORKLOADS.values():
        name = f"bench/{w.name}:{w.small}"
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(w.name, pattern):
            out.append(Subject(name=name, source=BENCH / f"{w.name}.hl", args=(str(w.small),)))
    return out


class Workspace:
    """One worker's folder: the snapshot files, assembled `.hlasm` tests,
    and the granted folder of a test that writes (`grant/`, made afresh
    before each run)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.grant = self.root / "grant"

    def program(self, s: Subject) -> Path:
        """The file `hll run` is given: the test's, or its assembled `.hlc`."""
        if not s.is_asm:
            return s.entry
        out = self.root / "asm" / (s.entry.stem + ".hlc")
        if not out.is_file():
            from hlbc import write_module
            from hll import conformance as C
            from hll import hlasm
            case = C.parse(s.source)
            desc = hlasm.assemble(s.entry.read_text(encoding="utf-8"),
                                  others={m.name: m for m in C._library_modules()})
            out.parent.mkdir(exist_ok=True)
            out.write_bytes(hlasm.corrupt(write_module(desc), case.corrupt))
        return out

    def granted(self, s: Subject) -> str | None:
        """The folder `s` may read (and write): prepared for one run."""
        if s.allow_write:
            shutil.rmtree(self.grant, ignore_errors=True)
            if s.source.is_dir():
                shutil.copytree(s.source, self.grant)
            else:
                self.grant.mkdir()
            return str(self.grant)
        if s.allow_read:
            return str(s.entry.parent.resolve())
        return None

    def grant_options(self, s: Subject, folder: str | None) -> list[str]:
        opts = []
        if folder is not None:
            opts += ["--allow-read", folder]
            if s.allow_write:
                opts += ["--allow-write", folder]
        if s.allow_env:
            opts += ["--allow-env", ENV_SET, "--allow-env", ENV_UNSET]
        return opts

    def args(self, s: Subject, folder: str | None) -> list[str]:
        return [a.replace("{dir}", folder or "") for a in s.args]

    def run_argv(self, s: Subject, jit: str, folder: str | None, extra: tuple = ()) -> list[str]:
        """`hll run` of `s` in tier `jit` (its fuel limit included)."""
        fuel = ["--fuel", str(s.fuel)] if s.fuel is not None else []
        return [*hll_command(), "run", "--jit", jit, *self.grant_options(s, folder), *s.options, *fuel,
                *extra, str(self.program(s)), *self.args(s, folder)]

    def resume_argv(self, s: Subject, jit: str, folder: str | None, snapshot: Path,
                    extra: tuple = ()) -> list[str]:
        """`hll resume` of a snapshot of `s` in tier `jit` (the fuel left is
        the snapshot's)."""
        return [*hll_command(), "resume", "--jit", jit, *self.grant_options(s, folder), *s.options,
                *extra, str(snapshot)]


def environment() -> dict:
    """The environment of every run: a test's granted variable set, the
    other unset (hll/conformance.py's convention)."""
    env = dict(os.environ)
    env[ENV_SET] = "hl"
    env.pop(ENV_UNSET, None)
    env.pop("HL_JIT", None)
    return env


__all__ = ["Subject", "Workspace", "conformance_subjects", "bench_subjects", "hll_command",
           "environment", "REPO", "CONFORMANCE", "BENCH"]
