"""Seed programs for the fuzzer: every program the compiler produces from
the conformance suite, the examples and the benchmarks, and the hand-written
modules of tests/conformance/bytecode/valid/ (assembled with hll/hlasm.py:
they hold what the compiler may not write — every Part B instruction in one
module, interfaces and itables written out), as module bytes.

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


SEED_DIRS = (ROOT / "tests" / "conformance" / "bytecode" / "valid",)


def _assemble(path: Path, name: str) -> Seed:
    """A hand-written module with the library modules it imports (the
    prelude first), as the conformance runner loads an `.hlasm` test."""
    import compiler
    from hlbc import write_module
    from hll import hlasm
    library = list(compiler.compile_modules("lang"))
    names = set(compiler.stdlib_module_names())
    mod = hlasm.assemble(path.read_text(encoding="utf-8"), others={m.name: m for m in library})
    modules = {m.name: m for m in library}
    for imp in mod.imports:
        if imp in names and imp not in modules:
            for m in compiler.compile_modules(imp):
                modules.setdefault(m.name, m)
    modules[mod.name] = mod
    return Seed(name, tuple(write_module(m) for m in modules.values()), mod.name)


def asm_seeds() -> list[Seed]:
    """The hand-written seed modules (valid ones only: no `corrupt:`, no
    failing phase)."""
    out = []
    for d in SEED_DIRS:
        for p in sorted(d.glob("*.hlasm")):
            text = p.read_text(encoding="utf-8")
            if "\nphase:" in text or "\ncorrupt:" in text:
                continue
            out.append(_assemble(p, f"asm/{p.relative_to(ROOT / 'tests')}"))
    return out


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
    """The seeds: `asm` (the hand-written modules only), `small` (those, the
    examples and the benchmarks) or `all` (plus the conformance suite)."""
    seeds = asm_seeds()
    if which == "asm":
        return seeds
    for entry, name, args in seed_paths(which):
        if not entry.is_file():
            continue
        s = _compile(entry, name, args)
        if s is not None:
            seeds.append(s)
        if progress:
            progress(len(seeds))
    return seeds
