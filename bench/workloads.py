"""The benchmark workloads: their names, sizes and files.

Owns the one table of workloads (each with its small, default and large
size, from the public benchmark set's README beside this repository), where
each workload's HL program, Python twin, Java version and expected output
are, and how a command-line item (`fib`, `fib:25`, `fib:large`) becomes a
workload at a size.  It does not run anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The public benchmark set lives beside the repository (../shared/bench); the
# HL programs and Python twins are copied into bench/ so the repository runs
# on its own, but the Java versions of the public set are only there (those
# of the workloads of our own are in bench/java/).
SHARED = HERE.parent.parent / "shared" / "bench"


@dataclass(frozen=True)
class Workload:
    name: str
    small: int        # for the interpreter alone and smoke tests
    default: int      # CPython takes 0.3-2.2 s
    large: int        # C takes 0.1-2 s: for the compiled tier

    def size(self, size_name: str) -> int:
        return getattr(self, size_name)


# Values from shared/bench/README.md (its small, default and large tables).
WORKLOADS = {w.name: w for w in [
    Workload("fib", 25, 32, 38),
    Workload("sieve", 200000, 2000000, 20000000),
    Workload("nbody", 10000, 200000, 5000000),
    Workload("spectralnorm", 100, 300, 2000),
    Workload("mandelbrot", 100, 400, 2000),
    Workload("fannkuch", 7, 9, 10),
    Workload("binarytrees", 10, 14, 18),
    Workload("dispatch", 500, 10000, 100000),
    Workload("strings", 20000, 200000, 2000000),
    # Part B workloads of this repository (not in the public set): a
    # Map<string, int> word count sorted with sort_by, and `dispatch` through
    # an interface.
    Workload("wordfreq", 20000, 1000000, 10000000),
    Workload("idispatch", 500, 10000, 100000),
]}
NAMES = list(WORKLOADS)
SMALL = {w.name: w.small for w in WORKLOADS.values()}
SIZE_NAMES = ("small", "default", "large")     # also the names of Workload's fields
# size name -> suffix of its expected-output file (the small size has none:
# its output is checked against the Python twin alone)
EXPECTED_SUFFIX = {"default": ".txt", "large": ".large.txt"}
# Where expected outputs are looked for, first match wins: the repository's
# copy belongs with the programs it checks.
EXPECTED_DIRS = [HERE / "expected", SHARED / "expected"]


class ItemError(ValueError):
    """A command-line item that names no workload or no size."""


@dataclass(frozen=True)
class Item:
    """One workload at one size; `size_name` is None for a size given as a
    number that is none of the workload's named sizes."""
    name: str
    size: int
    size_name: str | None

    @property
    def label(self) -> str:
        return f"{self.name}:{self.size}"

    @property
    def hl_program(self) -> Path:
        return HERE / "programs" / f"{self.name}.hl"

    @property
    def python_twin(self) -> Path:
        return HERE / "py" / f"{self.name}.py"

    @property
    def java_source(self) -> Path:
        own = HERE / "java" / f"{self.name}.java"
        return own if own.exists() else SHARED / "java" / f"{self.name}.java"


def size_name_of(w: Workload, size: int) -> str | None:
    for size_name in SIZE_NAMES:
        if w.size(size_name) == size:
            return size_name
    return None


def parse_item(text: str, size_name: str = "default") -> Item:
    """`NAME` (at `size_name`), `NAME:N` or `NAME:small|default|large`."""
    name, _, size = text.partition(":")
    w = WORKLOADS.get(name)
    if w is None:
        raise ItemError(f"unknown workload {name!r} (known: {', '.join(NAMES)})")
    if not size:
        size = size_name
    if size in SIZE_NAMES:
        return Item(name, w.size(size), size)
    try:
        n = int(size)
    except ValueError:
        raise ItemError(f"{text!r}: the size must be a number or one of {', '.join(SIZE_NAMES)}") from None
    if n < 0:
        raise ItemError(f"{text!r}: the size must not be negative")
    return Item(name, n, size_name_of(w, n))


def expected_output(item: Item) -> str | None:
    """The recorded output of `item`, when its size has a file of them."""
    suffix = EXPECTED_SUFFIX.get(item.size_name or "")
    if suffix is None:
        return None
    for d in EXPECTED_DIRS:
        f = d / f"{item.name}{suffix}"
        if f.is_file():
            return f.read_text()
    return None
