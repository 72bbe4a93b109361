"""Seed programs for the fuzzer: every program the compiler produces from
the conformance suite, the examples and the benchmarks, as module bytes.

A `Seed` is one program: its modules (in initialisation order, the prelude
first) as `.hlc` bytes, the name of its entry module, and its command-line
arguments.  Programs that do not compile (compile-error tests) are skipped,
as are tests flagged `slow`.  Owns nothing else: mutation and running are
`mutate`'s and `harness`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Seed:
    name: str
    modules: tuple[bytes, ...]
    entry: str
    args: tuple[str, ...] = ()


def _compile(entry: Path, name: str, args=()) -> Seed | None:
    import compiler
    from hlbc import write_module
    try:
        prog = compiler.compile_program(entry)
    except compiler.CompileError:
        return None
    return Seed(name, tuple(write_module(m) for m in prog.modules), prog.entry, tuple(args))


def seed_paths(which: str = "all") -> list[tuple[Path, str, tuple]]:
    """(entry file, name, args) of the seed programs; `which` is `small`
    (examples and benchmarks) or `all` (plus the conformance suite)."""
    out = []
    for p in sorted((ROOT / "examples").glob("*.hl")) + [ROOT / "examples" / "modules" / "main.hl"]:
        out.append((p, f"examples/{p.relative_to(ROOT / 'examples')}", ()))
    for p in sorted((ROOT / "bench" / "programs").glob("*.hl")):
        out.append((p, f"bench/{p.name}", ()))
    if which == "all":
        from hll import conformance as C
        croot = ROOT / "tests" / "conformance"
        for p in C.discover(croot):
            if p.suffix != ".hl" and not p.is_dir():
                continue
            try:
                case = C.parse(p)
            except Exception:
                continue
            if case.phase == "compile" or "slow" in case.flags:
                continue
            out.append((case.entry, str(p.relative_to(croot)), case.args))
    return out


def load(which: str = "all", progress=None) -> list[Seed]:
    seeds = []
    for entry, name, args in seed_paths(which):
        if not entry.is_file():
            continue
        s = _compile(entry, name, args)
        if s is not None:
            seeds.append(s)
        if progress:
            progress(len(seeds))
    return seeds
