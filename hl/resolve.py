"""The module resolver of the source-aware layer: one for `hll run`,
`hll compile`, the REPL and `hl.VM`.

Owns the program's search path (`program_path`): the entry file's folder,
the `--path` directories, the `HL_PATH` directories (os.pathsep-separated),
in that order; the standard library goes last (its bytecode directory for
the VM, its sources for the compiler).  And `SourceResolver`, the bytecode
resolver of hllvm/resolve.py (module names, `a/b.hlc` along the path,
host modules, containment) extended with one rule: where a directory holds
`a/b.hl` and no up-to-date `a/b.hlc` (none, or one compiled from other
source), the `.hl` is compiled.  Only that case imports the compiler: a
program whose imports all have their `.hlc` loads without it.

Module identity (one file, one module, named by its path under the
innermost search root) follows the one naming rule of hlbc/modname.py,
applied by the compiler's loader for source (compiler/loader.py) and by
hllvm/resolve.py's `SearchPath` for bytecode.
"""

from __future__ import annotations

import os
import threading

from hllvm.resolve import BytecodeResolver, SearchPath

from .cache import sha256

# The compiler is not known to be re-entrant across threads in every phase;
# VMs in different threads compile one at a time.
COMPILE_LOCK = threading.Lock()


def env_path(environ=None) -> list[str]:
    """The directories of `HL_PATH` (empty entries ignored)."""
    value = (os.environ if environ is None else environ).get("HL_PATH", "")
    return [p for p in value.split(os.pathsep) if p]


def program_path(entry_dir=None, path=(), environ=None) -> SearchPath:
    """The search path of a program: `entry_dir`, then `path`, then HL_PATH
    (the standard library is added by whoever loads: see module doc)."""
    dirs = ([entry_dir] if entry_dir is not None else []) + list(path) + env_path(environ)
    return SearchPath(dirs)


class SourceResolver(BytecodeResolver):
    """Bytecode first; an `.hl` file is compiled where no up-to-date `.hlc`
    stands beside it."""

    def locate(self, name: str, importer: str):
        for d in self.search.dirs:
            one = SearchPath([d])
            hlc = one.find(name, ".hlc")
            hl = one.find(name, ".hl")
            if hlc is not None:
                m = self.read(hlc, name)
                if hl is None or _fresh(m, hl):
                    return [m]
            if hl is not None:
                return self.compile(name, hl)
        return []

    def compile(self, name: str, source: str):
        """Module `name` from source file `source`, with what it imports."""
        import compiler
        with COMPILE_LOCK:
            return compiler.compile_modules(name, source, search_dirs=list(self.search.dirs))


def _fresh(m, source: str) -> bool:
    """Whether bytecode `m` was compiled from the current bytes of `source`."""
    if not m.source_hash:
        return False
    try:
        with open(source, "rb") as f:
            return sha256(f.read()).digest() == m.source_hash
    except OSError:
        return True
