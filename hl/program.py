"""Turning the file a user names into a program: bytecode modules in
initialisation order, and the compile cache of `.hl` programs.

Owns `load_source_program` (compile an `.hl` program, or take it from the
cache) and `load_bytecode_program` (an `.hlc` file with the modules it
imports, found by resolve.py's `SourceResolver` along the program's search
path, the standard library's bytecode last).  It hands back a list of
`ModuleDesc` and knows nothing of how they run.

The cache: an entry is keyed by the SHA-256 of the compiler's fingerprint,
the entry file's real folder, the search path (real paths, in order),
whether `main` is required, and the entry file's bytes.  It holds one
`.hlc` per module and a manifest of every source file the program was
built from, with its hash, and of every import: the directories it was
searched in first (the importing file's folder), the name, and the file it
reached.  It is used only while every hash matches and every import name,
searched again along the current path (hllvm/resolve.py), reaches the same
file: so a file that would now shadow a module (a new `util.hl` earlier in
the path) makes a miss, and a cached run behaves exactly as an uncached one.
The cache is best-effort: when it cannot be read or written the program is
compiled in memory as if there were none.
"""

from __future__ import annotations

import json
from pathlib import Path

from hlbc import LoadError, read_module, write_module
from hlbc.model import ModuleDesc
from hllvm.resolve import SearchPath

from . import stdlib
from .cache import atomic_write, cache_dir, compiler_fingerprint, sha, stdlib_source_dir
from .resolve import SourceResolver


def load_source_program(path: Path, search_path=(), use_cache: bool = True,
                        library: bool | None = False) -> tuple[list[ModuleDesc], str]:
    """Compile `path` (or take it from the cache): (modules, entry module).
    `search_path`: directories after the entry's folder (`--path`, and
    HL_PATH, which the caller includes: see `resolve.program_path`).
    CompileError, OSError."""
    src = path.read_bytes()
    where = path.resolve().parent
    roots = SearchPath([where, *search_path])
    key = sha(b"\0".join([compiler_fingerprint().encode(), str(where).encode(),
                          "\n".join(map(str, roots.dirs)).encode(), repr(library).encode(), src]))
    entry_dir = cache_dir() / key[:2] / key
    if use_cache:
        hit = _read_cache(entry_dir, roots)
        if hit is not None:
            return hit
    import compiler
    prog = compiler.compile_program(path, search_path=list(roots.dirs[1:]), library=library)
    if use_cache:
        _write_cache(entry_dir, prog)
    return list(prog.modules), prog.entry


def load_bytecode_program(path: Path, search_path=()) -> tuple[list[ModuleDesc], str]:
    """Read a `.hlc` file and the modules it imports: `a/b.hlc` (or `a/b.hl`,
    compiled, where no up-to-date `.hlc` is) along its folder and
    `search_path`, then the standard library's bytecode.  LoadError, OSError."""
    path = path.resolve()
    root = read_module(path.read_bytes())
    search = SearchPath([path.parent, *search_path, stdlib.bytecode_dir()])
    order = SourceResolver(None, search).closure(root, str(path))
    return order, root.name


# --- the cache ---------------------------------------------------------------------------------

def _read_cache(entry_dir: Path, roots: SearchPath) -> tuple[list[ModuleDesc], str] | None:
    try:
        manifest = json.loads((entry_dir / "manifest.json").read_text(encoding="utf-8"))
        for src, digest in manifest["sources"].items():
            if sha(Path(src).read_bytes()) != digest:
                return None
        lib = stdlib_source_dir()
        for first, name, reached in manifest["imports"]:
            now = (roots + [lib]).find(name, ".hl", first=first)
            if now is None or str(now) != reached:
                return None
        mods = [read_module((entry_dir / f"{i}.hlc").read_bytes()) for i in range(manifest["count"])]
        return mods, manifest["entry"]
    except (OSError, ValueError, KeyError, TypeError, LoadError):
        return None


def _write_cache(entry_dir: Path, prog) -> None:
    try:
        entry_dir.mkdir(parents=True, exist_ok=True)
        for i, m in enumerate(prog.modules):
            atomic_write(entry_dir / f"{i}.hlc", write_module(m))
        imports = [[list(first), name, reached] for (first, name), reached in prog.resolved.items()]
        manifest = {"entry": prog.entry, "count": len(prog.modules), "sources": prog.sources,
                    "imports": imports}
        atomic_write(entry_dir / "manifest.json", json.dumps(manifest, indent=1).encode())
    except OSError:
        pass
