"""Turning the file a user names into a program: bytecode modules in
initialisation order, and the compile cache of `.hl` programs.

Owns `load_source_program` (compile an `.hl` program, or take it from the
cache) and `load_bytecode_program` (an `.hlc` file with the modules it
imports, found by resolve.py's `SourceResolver` along the program's search
path, the standard library's bytecode last).  It hands back a list of
`ModuleDesc` and knows nothing of how they run.

The compile cache (programcache.py, manifest.py, docs/cache.md) is used
only while a cached run would behave exactly as compiling again: same
output, same traces, same errors.  It is best-effort: when it cannot be
read or written the program is compiled in memory as if there were none.

Compiling for a VM is held to a memory budget derived from the VM's heap
limit (`compile_budget`: compiler/budget.py, docs/limits.md), as loading
is (hllvm/loadmeter.py `load_budget`).
"""

from __future__ import annotations

import os

from hlbc import read_module
from hlbc.model import ModuleDesc
from hlbc.paths import path_text, real_parent
from hllvm.heap import DEFAULT_MAX_HEAP
from hllvm.loadmeter import LOAD_MIN_BYTES, module_bytes_limit
from hllvm.resolve import SearchPath, read_module_file

from . import programcache, stdlib
from .resolve import SourceResolver


def compile_budget(max_heap: int) -> int:
    """Host bytes compiling a program may take for a VM of `max_heap` bytes:
    half the heap limit (a program's syntax and code take tens of bytes
    per character of source, its objects at run time are the heap's), at
    least twice the load budget's minimum."""
    return max(2 * LOAD_MIN_BYTES, max_heap // 2)


def load_source_program(path, search_path=(), use_cache: bool = True,
                        library: bool | None = False, max_heap: int | None = None
                        ) -> tuple[list[ModuleDesc], str]:
    """Compile `path` (or take it from the cache): (modules, entry module).
    `search_path`: directories after the entry's folder (`--path`, and
    HL_PATH, which the caller includes: see `resolve.program_path`).
    `max_heap`: the heap limit of the VM that will run it, from which the
    compile budget is derived (None: no budget).  `path`: a `str` or any
    `os.PathLike`.  CompileError, OSError."""
    path = path_text(path)
    roots = SearchPath([real_parent(path), *search_path])
    key = programcache.key_of(path, roots, library) if use_cache else None
    if key is not None:
        hit = programcache.lookup(key)
        if hit is not None:
            return hit
    import compiler
    budget = None
    if max_heap is not None:
        budget = compiler.Budget(memory=compile_budget(max_heap), hint="raise the heap limit (--max-heap)")
    prog = compiler.compile_program(path, search_path=list(roots.dirs[1:]), library=library, budget=budget)
    if key is not None:
        programcache.store(key, prog)
    return list(prog.modules), prog.entry


def load_bytecode_program(path, search_path=(), max_heap: int = DEFAULT_MAX_HEAP
                          ) -> tuple[list[ModuleDesc], str]:
    """Read a `.hlc` file and the modules it imports: `a/b.hlc` (or `a/b.hl`,
    compiled, where no up-to-date `.hlc` is) along its folder and
    `search_path`, then the standard library's bytecode.  Every module file
    is read with the bound of a VM of `max_heap` bytes (hllvm/loadmeter.py),
    regular files only.  `path`: a `str` or any `os.PathLike`.  LoadError,
    OSError."""
    path = os.path.realpath(os.fspath(path))
    root = read_module(read_module_file(path, module_bytes_limit(max_heap), "program file"))
    search = SearchPath([os.path.dirname(path), *search_path, stdlib.bytecode_dir()])
    resolver = SourceResolver(None, search)
    resolver.max_heap = max_heap
    order = resolver.closure(root, path)
    return order, root.name
