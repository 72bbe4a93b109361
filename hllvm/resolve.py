"""Finding the bytecode modules a program imports, by name, along a search path.

Owns, for bytecode:

- the search path (`SearchPath`) and its use of the module naming rules
  of hlbc/modname.py (which the compiler follows for source).  Names read
  from a `.hlc` (its own name and its imports) are untrusted: only valid
  module names are accepted (`check_name`), so a name can never be an
  absolute path, `..`, or empty.  `a.b` is the file `a/b.hlc` in the first
  directory of the path that has it (`SearchPath.find`), accepted only if
  its real path stays inside that directory: an import never leaves the
  search path;
- the import closure of a module in initialisation order, each module after
  those it imports (`BytecodeResolver.closure`): modules the VM already has,
  host modules (descriptors synthesised from the natives the host defined:
  natives/host.py), and `.hlc` files along the search path.  The `.hlc`
  found for `a.b` must hold module `a.b`.

It does not compile source (the `hl` layer extends `BytecodeResolver` to
compile an `.hl` file when no up-to-date `.hlc` is found), and it does not
verify or link (`VM.load` does, for every module, whatever its origin).
"""

from __future__ import annotations

import os
import stat

from hlbc import model as M
from hlbc import modname
from hlbc.errors import LoadError
from hlbc.modname import check_name

from .heap import DEFAULT_MAX_HEAP
from .loadmeter import module_bytes_limit


class SearchPath:
    """An ordered list of directories, each held by its real path, a `str`
    (duplicates dropped, the first occurrence kept); given as `str` or any
    `os.PathLike`."""

    __slots__ = ("dirs",)

    def __init__(self, dirs=()) -> None:
        seen: list[str] = []
        for d in dirs:
            real = os.path.realpath(os.fspath(d))
            if real not in seen:
                seen.append(real)
        self.dirs: tuple[str, ...] = tuple(seen)

    def __add__(self, more) -> "SearchPath":
        return SearchPath((*self.dirs, *(more.dirs if isinstance(more, SearchPath) else more)))

    def __iter__(self):
        return iter(self.dirs)

    def __len__(self) -> int:
        return len(self.dirs)

    def __eq__(self, other) -> bool:
        return isinstance(other, SearchPath) and other.dirs == self.dirs

    def __hash__(self) -> int:
        return hash(self.dirs)

    def __repr__(self) -> str:
        return f"SearchPath({list(self.dirs)})"

    def describe(self) -> str:
        return ", ".join(self.dirs) or "no directories"

    def find(self, name: str, suffix: str, first=()) -> str | None:
        """The real path of file `a/b<suffix>` for module `a.b` in the first
        directory (of `first`, then the path) that has it, or None.
        LoadError for a bad name, or for a file whose real path leaves the
        directory it was found in."""
        check_name(name)
        try:
            return modname.find(name, suffix, (*first, *self.dirs))
        except modname.OutsideSearchDir as e:
            raise LoadError(str(e)) from None

    def name_of(self, real, suffix: str) -> str | None:
        """The module name of file `real` (a real path ending in `suffix`):
        its path relative to the innermost directory of the path that
        contains it and gives a valid name; None if none does."""
        return modname.name_of(real, suffix, self.dirs)


def read_module_file(path, limit: int, what: str) -> bytes:
    """The bytes of module file `path`, at most `limit` of them: a regular
    file only (a FIFO or device could block or never end), read with the
    bound whatever size the OS reports.  LoadError naming `what` otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise LoadError(f"{what}: cannot read {path}: {e.strerror or e}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LoadError(f"{what}: {path} is not a regular file")
        chunks, size = [], 0
        while True:
            b = os.read(fd, min(1 << 20, limit + 1 - size))
            if not b:
                break
            chunks.append(b)
            size += len(b)
            if size > limit:
                raise LoadError(f"{what}: {path} is larger than {limit} bytes, the largest module "
                                f"file a VM with this heap limit reads")
        return b"".join(chunks)
    except OSError as e:
        raise LoadError(f"{what}: cannot read {path}: {e.strerror or e}") from None
    finally:
        os.close(fd)


class BytecodeResolver:
    """The import closure of bytecode modules for one load into `vm` (None:
    an empty VM with no host modules, as `hll run` reads a program before
    it builds the VM)."""

    # The heap limit that bounds module files when there is no VM yet.
    max_heap = DEFAULT_MAX_HEAP

    def __init__(self, vm, search: SearchPath) -> None:
        self.vm = vm
        self.search = search
        self.found: dict[str, M.ModuleDesc] = {}      # name → module found during this load
        self.origin: dict[str, str] = {}              # name → where it came from, for errors

    def closure(self, root: M.ModuleDesc, where: str = "") -> list[M.ModuleDesc]:
        """`root` and the modules it imports that the VM does not have yet,
        each after those it imports.  LoadError for a bad or missing name,
        an import cycle, or a file that holds another module."""
        check_name(root.name, f"in {where}" if where else "")
        self.found[root.name] = root
        self.origin[root.name] = where or root.name
        order: list[M.ModuleDesc] = []
        placed: set[str] = set()
        visiting: list[str] = []

        def visit(m: M.ModuleDesc) -> None:
            if m.name in placed:
                return
            if m.name in visiting:
                chain = visiting[visiting.index(m.name):] + [m.name]
                raise LoadError(f"import cycle: {' -> '.join(chain)}")
            visiting.append(m.name)
            for dep in m.imports:
                check_name(dep, f"imported by {m.name}")
                d = self.resolve(dep, m.name)
                if d is not None:
                    visit(d)
            visiting.pop()
            placed.add(m.name)
            order.append(m)

        visit(root)
        return order

    def resolve(self, name: str, importer: str) -> M.ModuleDesc | None:
        """Module `name` (None if the VM has it already)."""
        m = self.found.get(name)
        if m is not None:
            return m
        vm = self.vm
        if vm is not None and name in vm.modules:
            return None
        m = vm.host_module_desc(name) if vm is not None else None
        if m is not None:
            self.found[name] = m
            return m
        mods = self.locate(name, importer)
        if not mods:
            raise LoadError(f"module {name}, imported by {importer}, was not found "
                            f"(searched {self.search.describe()})")
        for extra in mods:
            if vm is None or extra.name not in vm.modules:
                self.found.setdefault(extra.name, extra)
        m = self.found.get(name)
        if m is None and (vm is None or name not in vm.modules):
            raise LoadError(f"module {name}, imported by {importer}: the file found for it "
                            f"is module {mods[-1].name} under this search path")
        return m

    def locate(self, name: str, importer: str) -> list[M.ModuleDesc]:
        """Module `name` and possibly others it brought along, from the
        files of the search path; [] if there is none.  (The `hl` layer
        overrides this to compile source.)"""
        f = self.search.find(name, ".hlc")
        if f is None:
            return []
        return [self.read(f, name)]

    def read(self, f: str, name: str) -> M.ModuleDesc:
        """The module in `.hlc` file `f`, which must be module `name`."""
        from . import load_bytes
        limit = module_bytes_limit(self.vm.max_heap if self.vm is not None else self.max_heap)
        data = read_module_file(f, limit, f"module {name}")
        try:
            m = load_bytes(data)
        except LoadError as e:
            raise LoadError(f"{f}: {e.message}", e.offset, e.where) from None
        if m.name != name:
            raise LoadError(f"{f} holds module {m.name!r}, expected {name}")
        self.origin[name] = str(f)
        return m
