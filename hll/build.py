"""Turning what the user named on the command line into bytecode modules.

Owns the compile cache and the resolution of a `.hlc` file's imports; it
hands the VM a list of `ModuleDesc` in initialisation order and knows nothing
of how they run.

The cache: `hll run prog.hl` keys an entry by the SHA-256 of the entry file's
bytes, its directory and the compiler's own fingerprint.  The entry holds one
`.hlc` per module and a manifest of every source file the program was built
from with its hash; it is used only while all those hashes still match, so an
unchanged program is never parsed again and a changed import is never missed.
The cache lives in `$HL_CACHE_DIR`, else `$XDG_CACHE_HOME/hl`, else
`~/.cache/hl`; it is best-effort: when it cannot be read or written the
program is compiled in memory as if there were none.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from importlib.util import find_spec

from hlbc import LoadError, read_module, write_module
from hlbc.model import ModuleDesc

# The compiler is imported only on a cache miss: a cached run never pays for
# loading the parser.
_ROOT = Path(find_spec("compiler").origin).resolve().parent


def cache_dir() -> Path:
    env = os.environ.get("HL_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hl"


@lru_cache(maxsize=1)
def compiler_fingerprint() -> str:
    """Hash of the compiler's and the standard library's own files, so a new
    compiler never reuses bytecode an older one wrote."""
    h = hashlib.sha256()
    from compiler.libpath import STDLIB_DIR as stdlib
    hlbc_dir = _ROOT.parent / "hlbc"
    files = sorted(list(_ROOT.rglob("*.py")) + list(_ROOT.rglob("*.lark"))
                   + list(stdlib.rglob("*.hl")) + list(hlbc_dir.rglob("*.py")))
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_source_program(path: Path, use_cache: bool = True) -> tuple[list[ModuleDesc], str]:
    """Compile `path` (or take it from the cache): (modules, entry module)."""
    src = path.read_bytes()
    where = path.resolve().parent
    key = _sha(b"\0".join([compiler_fingerprint().encode(), str(where).encode(), src]))
    entry_dir = cache_dir() / key[:2] / key
    if use_cache:
        hit = _read_cache(entry_dir)
        if hit is not None:
            return hit
    import compiler
    prog = compiler.compile_program(path)
    if use_cache:
        _write_cache(entry_dir, prog.modules, prog.entry, prog.sources)
    return list(prog.modules), prog.entry


def _read_cache(entry_dir: Path) -> tuple[list[ModuleDesc], str] | None:
    try:
        manifest = json.loads((entry_dir / "manifest.json").read_text(encoding="utf-8"))
        for src, digest in manifest["sources"].items():
            if _sha(Path(src).read_bytes()) != digest:
                return None
        mods = [read_module((entry_dir / f"{i}.hlc").read_bytes()) for i in range(manifest["count"])]
        return mods, manifest["entry"]
    except (OSError, ValueError, KeyError, TypeError, LoadError):
        return None


def _write_cache(entry_dir: Path, modules, entry: str, sources: dict[str, str]) -> None:
    try:
        entry_dir.mkdir(parents=True, exist_ok=True)
        for i, m in enumerate(modules):
            _atomic_write(entry_dir / f"{i}.hlc", write_module(m))
        manifest = {"entry": entry, "count": len(modules), "sources": sources}
        _atomic_write(entry_dir / "manifest.json", json.dumps(manifest, indent=1).encode())
    except OSError:
        pass


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def load_bytecode_program(path: Path) -> tuple[list[ModuleDesc], str]:
    """Read a `.hlc` file and the modules it imports: `a/b.hlc` beside it,
    else `a/b.hl` beside it (compiled), else the standard library."""
    path = path.resolve()
    root = read_module(path.read_bytes())
    base = path.parent
    loaded: dict[str, ModuleDesc] = {root.name: root}
    order: list[ModuleDesc] = []
    visiting: set[str] = set()

    def resolve(name: str) -> ModuleDesc:
        if name in loaded:
            return loaded[name]
        rel = Path(*name.split("."))
        hlc = base / rel.with_suffix(".hlc")
        if hlc.is_file():
            m = read_module(hlc.read_bytes())
            if m.name != name:
                raise LoadError(f"{hlc} holds module {m.name!r}, expected {name!r}")
            loaded[name] = m
            return m
        hl = base / rel.with_suffix(".hl")
        import compiler
        for m in compiler.compile_modules(name, hl if hl.is_file() else None, search_dirs=[base]):
            loaded.setdefault(m.name, m)
        if name not in loaded:
            raise LoadError(f"module {name!r} imported by {path.name} was not found")
        return loaded[name]

    def visit(m: ModuleDesc) -> None:
        if any(x is m for x in order):
            return
        if m.name in visiting:
            raise LoadError(f"import cycle through module {m.name!r}")
        visiting.add(m.name)
        for dep in m.imports:
            visit(resolve(dep))
        visiting.discard(m.name)
        order.append(m)

    visit(root)
    return order, root.name
