"""Who runs the benchmark programs: HL in each tier, and the programs'
other versions (CPython and PyPy on the Python twin, Java on the Java
version: the public set's, and bench/java/ for the workloads of our own)
when they are installed.

Owns how each one's command line is made, how each is found (an absent one
is None with the reason, never an error), and the one-time build of the
Java classes.  It does not run or time anything.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from workloads import HERE, SHARED, Item

TIERS = ("off", "auto", "eager")            # hll run --jit=...
HLL = [sys.executable, "-m", "hll.cli"]     # the interpreter that runs this driver runs hll


@dataclass(frozen=True)
class Contender:
    key: str                                # "hl:off", "cpython", ...: the reports' key
    label: str                              # for people: "HL --jit=off"
    command: Callable[[Item], list[str] | None]   # None: no version of that workload
    version: str = ""


def hl(tier: str, trace_jit: bool = False) -> Contender:
    extra = ["--trace-jit"] if trace_jit else []
    return Contender(f"hl:{tier}", f"HL --jit={tier}",
                     lambda item: HLL + ["run", f"--jit={tier}", *extra, str(item.hl_program), str(item.size)])


def hl_compile(item: Item, out_dir: Path) -> list[str]:
    """`hll compile` of the program: the bytecode compiler's time, measured
    apart from runs (which take the program from the cache when warm)."""
    return HLL + ["compile", str(item.hl_program), "-o", str(out_dir / f"{item.name}.hlc")]


def cpython() -> Contender:
    # The same interpreter as hll's, started the same way: the python3 on
    # PATH may be a shim that adds tens of milliseconds.
    return Contender("cpython", "CPython", lambda item: [sys.executable, str(item.python_twin), str(item.size)],
                     sys.version.split()[0])


def _version(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (p.stdout or p.stderr).strip().splitlines()
    return lines[0] if lines else ""


def pypy() -> Contender | str:
    exe = shutil.which("pypy3")
    if exe is None:
        return "pypy3 is not on PATH"
    return Contender("pypy", "PyPy", lambda item: [exe, str(item.python_twin), str(item.size)],
                     _version([exe, "-c", "import sys; print(sys.version.split()[0])"]))


@dataclass
class JavaBuild:
    """The Java versions compiled once, into a temporary directory that
    lives as long as this object."""
    java: str
    classes: tempfile.TemporaryDirectory = field(default_factory=lambda: tempfile.TemporaryDirectory(prefix="hlbench-java-"))

    def command(self, item: Item) -> list[str] | None:
        if not (Path(self.classes.name) / f"{item.name}.class").exists():
            return None                     # no Java version (strings)
        return [self.java, "-cp", self.classes.name, item.name, str(item.size)]


def java() -> Contender | str:
    exe, javac = shutil.which("java"), shutil.which("javac")
    sources = sorted((SHARED / "java").glob("*.java")) + sorted((HERE / "java").glob("*.java"))
    if exe is None or javac is None:
        return "java or javac is not on PATH"
    if not sources:
        return f"no Java sources in {SHARED / 'java'} or {HERE / 'java'}"
    build = JavaBuild(exe)
    p = subprocess.run([javac, "-d", build.classes.name, *map(str, sources)], capture_output=True, text=True)
    if p.returncode != 0:
        return f"javac failed: {p.stderr.strip()[:300]}"
    return Contender("java", "Java", build.command, _version([exe, "-version"]))


# The programs' other versions, in report order: name -> finder.
OTHERS: dict[str, Callable[[], Contender | str]] = {"cpython": cpython, "pypy": pypy, "java": java}
