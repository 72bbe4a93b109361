"""`hl.VM`: the VM of hllvm/, plus HL source and the standard library.

A subclass of `hllvm.VM` (everything a host does with bytecode, limits,
natives, handles and calls is inherited unchanged) that adds what needs
the compiler:

- `load_source(text, name=...)`: compile HL source (the host modules
  visible to its imports through hl/host.py's declarations) and load it;
- `load_file(path)`: an `.hl` file compiled, or a `.hlc` file whose
  imports may be `.hl` files compiled on the way (hl/resolve.py);
- the standard library's bytecode (hl/stdlib.py) and the `search_path`
  directories at the end of every load's module search path.

The compiler is imported only when source is compiled: loading `.hlc` files
whose imports are all bytecode never imports it.  Compiling is held to the
VM's limits as loading is: the time limit (`timeout`, counted from the
start of the compilation; compiling, loading and the initialisers are each
held to it, as each host operation is) and a memory budget derived from
`max_heap` (hl/program.py `compile_budget`; docs/limits.md).
"""

from __future__ import annotations

import hllvm
from hlbc.paths import path_stem, path_suffix, path_text, real_parent
from hllvm.embed import Module, _load_new, load_bytecode
from hllvm.errors import ResourceExhausted
from hllvm.loadmeter import load_budget, module_bytes_limit
from hllvm.resolve import SearchPath, read_module_file

from . import host, stdlib
from .program import compile_budget
from .resolve import COMPILE_LOCK, SourceResolver


class VM(hllvm.VM):
    """An HL VM that also loads source.  Takes every argument of
    `hllvm.VM`, and `search_path`: directories searched for imported modules
    (`.hlc` or `.hl`) after those a load names."""

    def __init__(self, *args, search_path=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.search_path = SearchPath(search_path)

    @property
    def module_path(self) -> tuple:
        """`search_path`, then the standard library's bytecode."""
        return (*self.search_path.dirs, stdlib.bytecode_dir())

    def load_source(self, text: str, name: str = "main", filename: str | None = None,
                    search_dirs=()) -> Module:
        """Compile HL source as module `name` (no `main` needed) and load it with
        the modules it imports (found in the host modules, `search_dirs`,
        `search_path`, the standard library), then run their initialisers.
        CompileError (also for a program too large for the compile budget),
        VerifyError, LoadError; ResourceExhausted when compiling runs past
        the VM's time limit; HLError if an initialiser throws."""
        import compiler
        dirs = [*search_dirs, *self.search_path.dirs]
        with COMPILE_LOCK:
            budget = compiler.Budget(memory=compile_budget(self.max_heap), timeout=self.timeout,
                                     hint="raise the VM's max_heap")
            try:
                prog = compiler.compile_source(text, name=name, filename=filename or f"{name}.hl",
                                               search_dirs=dirs, library=True,
                                               host_modules=host.stubs(self), budget=budget)
            except compiler.CompileTimeout as e:
                raise ResourceExhausted(str(e), resource="time") from None
        return _load_new(self, host.substitute(self, prog.modules), name)

    def load_file(self, path, search_dirs=()) -> Module:
        """Load a `.hl` source file (compiled) or a `.hlc` bytecode file; the
        file's folder is searched first for the modules it imports.  `path`:
        a `str` or any `os.PathLike`."""
        p = path_text(path)
        if path_suffix(p) == ".hlc":
            data = read_module_file(p, module_bytes_limit(self.max_heap), "module file")
            return self.load_bytecode(data, (real_parent(p), *search_dirs), where=str(path))
        # A source file is read whole before compiling: a regular file of at
        # most the load budget (a device or FIFO would never end).
        text = read_module_file(p, load_budget(self.max_heap), "source file").decode("utf-8")
        return self.load_source(text, path_stem(p), str(path), (real_parent(p), *search_dirs))

    def load_bytecode(self, data: bytes, search_dirs=(), where: str = "") -> Module:
        """Load one module from `.hlc` bytes with the modules it imports
        (`.hlc`, or `.hl` compiled where no up-to-date `.hlc` is)."""
        resolver = SourceResolver(self, SearchPath((*search_dirs, *self.module_path)))
        return load_bytecode(self, data, where=where, resolver=resolver)
