"""Finding, reading and parsing the modules of a program, in initialisation order.

Owns the module graph and module identity.  `import a.b;` → file `a/b.hl`,
searched in the importing file's directory (language.md A3; for in-memory
source, the search directories given with it), then along the program's
search path (`roots`: the entry file's folder, `--path` / `HL_PATH`
directories), then in the standard library.  A file is accepted only if its
real path stays inside the directory it was found in.

Identity, as Java names a class by its path under the class-path root: a
module's name is its file's path relative to the innermost search root
that contains it (`util/text.hl` under root `proj/` is `util.text`), and one
real file is one module however it is imported.  `import pkg.lib.box;` and
`import lib.box;` reaching the same file (with roots `proj/` and
`proj/pkg/`) bind the same module, named `lib.box`; two different files
that would get the same name are an error naming both.

The prelude `lang` is loaded first and implicitly imported by every other
module.  Reports unknown modules, import cycles, unreadable or non-UTF-8
files.  `Loader.order` lists modules with every module after the modules it
imports (prelude first, entry last); `Loader.resolved` records, for every
import, the directories it was searched in, in order (`search_order`: the
standard library last), and the file it reached, so that the compile cache
can search again exactly as this loader did (hl/manifest.py).

It does not look inside declarations (that is `declare`).  The naming rule
itself (a name → `a/b.hl` under a directory, a real file → its name under
the innermost root) is hlbc/modname.py's, which hllvm/resolve.py follows
for `.hlc` files.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from hlbc import modname

from . import syntax as S
from .budget import over_budget
from .diagnostics import Reporter
from .parser import parse
from .suggest import did_you_mean, stdlib_modules
from .symbols import ModuleInfo, World

from . import libpath

STDLIB_DIR = Path(libpath.STDLIB_DIR)  # re-exported for the driver
PRELUDE = "lang"


@dataclass
class Source:
    name: str                   # module name, e.g. "util.text"
    text: str
    display: str                # file name used in diagnostics
    source_name: str            # file name recorded in bytecode, for traces
    search_dirs: tuple[Path, ...]   # where this module's own imports are looked up
    path: Path | None = None    # None for in-memory source
    digest: bytes = b""
    is_stdlib: bool = False
    script: bool = False        # REPL input (parser rule `repl`)


class SourceError(Exception):
    """A file that cannot be used as source: where and why."""

    def __init__(self, display: str, line: int, col: int, message: str, in_file: bool):
        super().__init__(message)
        self.display, self.line, self.col, self.message = display, line, col, message
        self.in_file = in_file      # the problem is inside the file (else: no file to read)


def read_source(path: Path, name: str, display: str, source_name: str) -> Source:
    """Read and decode a file, or raise `SourceError`."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(display, 1, 1, f"cannot read '{display}': {e.strerror or e}", False) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[start:e.start].decode("utf-8", "replace")) + 1
        raise SourceError(display, line, col, "source file is not valid UTF-8", True) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    resolved = path.resolve()
    return Source(name, text, display, source_name, (resolved.parent,), resolved,
                  hashlib.sha256(data).digest(), _is_stdlib(resolved))


def _is_stdlib(path: Path) -> bool:
    try:
        path.relative_to(STDLIB_DIR)
        return True
    except ValueError:
        return False


class Loader:
    def __init__(self, world: World, host_modules=None, roots=()):
        self.world = world
        # The program's search path (real paths, in order); the standard
        # library is searched after them.
        self.roots: list[Path] = []
        self.add_roots(roots)
        self.by_path: dict[Path, ModuleInfo] = {}   # real file → its module (identity)
        # (every directory searched, in order, import name as written) → the
        # real file it reached (the compile cache searches them again).
        self.resolved: dict[tuple[tuple[str, ...], str], str] = {}
        # Module name → source text supplied by an embedding host (declarations
        # of its natives): found before any file, and may declare bodiless
        # functions like the standard library.
        self.host_modules: dict[str, str] = dict(host_modules or {})
        self.order: list[ModuleInfo] = []
        self.reporters: dict[str, Reporter] = {}     # module name → its diagnostics
        self.sources: dict[str, Source] = {}         # module name → source
        self._in_progress: list[str] = []             # the chain of imports being loaded

    def add_roots(self, dirs) -> None:
        for d in dirs:
            real = Path(os.path.realpath(d))
            if real not in self.roots and real != STDLIB_DIR:
                self.roots.append(real)

    def reporter(self, name: str) -> Reporter:
        return self.reporters[name]

    # --- entry points ------------------------------------------------------------

    def load_prelude(self) -> ModuleInfo:
        path = STDLIB_DIR / "lang.hl"
        try:
            src = read_source(path, PRELUDE, str(path), "lang.hl")
        except SourceError as e:
            rep = Reporter(e.display)
            rep.error(e.line, e.col, e.message)
            self.reporters[PRELUDE] = rep
            mod = ModuleInfo(PRELUDE, e.display, "lang.hl", is_stdlib=True, broken=True)
            self.world.modules[PRELUDE] = mod
            self.world.prelude = mod
            self.order.append(mod)
            return mod
        mod = self.load(src)
        self.world.prelude = mod
        return mod

    def load(self, src: Source) -> ModuleInfo:
        """Parse `src` and, recursively, every module it imports."""
        rep = Reporter(src.display, src.text)
        self.reporters[src.name] = rep
        self.sources[src.name] = src
        if src.path is None and not src.is_stdlib:
            # In-memory source (embedding, REPL): its search directories are
            # roots of the program, naming the modules found under them.
            self.add_roots(src.search_dirs)
        with over_budget(rep):
            # The memory budget (budget.py): the files so far, then the tokens.
            self.world.budget.source(len(src.text))
            tree = parse(src.text, rep, script=src.script, budget=self.world.budget)
        mod = ModuleInfo(src.name, src.display, src.source_name, is_stdlib=src.is_stdlib,
                         syntax=tree, broken=tree is None, source_hash=src.digest,
                         script=src.script)
        self.world.modules[src.name] = mod
        if src.path is not None:
            self.by_path[src.path] = mod
        self._in_progress.append(src.name)
        if tree is not None:
            for imp in tree.imports:
                self._import(mod, src, imp, rep)
        self._in_progress.pop()
        self.order.append(mod)
        return mod

    # --- imports -------------------------------------------------------------------

    def _import(self, mod: ModuleInfo, src: Source, imp: S.Import, rep: Reporter) -> None:
        target = imp.module_name
        if imp.alias in mod.imports:
            rep.at(imp, f"'{imp.alias}' is already imported")
            return
        if target == PRELUDE:
            mod.imports[imp.alias] = self.world.prelude
            return
        if target in self.host_modules:
            if target in self._in_progress:
                self._cycle(mod, imp, rep, target)
                return
            mod.imports[imp.alias] = self.world.modules.get(target) or self._load_host(target)
            return
        first = tuple(src.search_dirs)
        dirs = (*first, *self.roots)
        try:
            path = self.find(imp.path, dirs)
        except SourceError as e:
            rep.at(imp, e.message)
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        if path is None:
            looked = ", ".join(str(d) for d in dict.fromkeys((*first, *self.roots))) or "nowhere else"
            rep.at(imp, f"cannot find module '{target}' (looked for {'/'.join(imp.path)}.hl in "
                        f"{looked} and the standard library){_near_module(target, dirs)}")
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        self.resolved.setdefault((tuple(str(d) for d in search_order(dirs)), target), str(path))
        same = self.by_path.get(path)
        if same is not None:               # this file is loaded: the same module, whatever its name
            if same.name in self._in_progress:
                self._cycle(mod, imp, rep, same.name)
                return
            mod.imports[imp.alias] = same
            return
        name = self.name_of(path) or target
        if name in self._in_progress:
            self._cycle(mod, imp, rep, name)
            return
        done = self.world.modules.get(name)
        if done is not None:
            other = self.sources.get(name)
            where = "elsewhere" if other is None else other.path or other.display
            rep.at(imp, f"module '{name}' is {path}, but a module of that name was already "
                        f"loaded from {where}")
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        display = _display(path)
        try:
            imported = read_source(path, name, display, name.replace(".", "/") + ".hl")
        except SourceError as e:
            if not e.in_file:
                rep.at(imp, e.message)
            else:
                bad = Reporter(e.display)
                bad.error(e.line, e.col, e.message)
                self.reporters[name] = bad
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        mod.imports[imp.alias] = self.load(imported)

    def _cycle(self, mod: ModuleInfo, imp: S.Import, rep: Reporter, name: str) -> None:
        chain = self._in_progress[self._in_progress.index(name):] + [name]
        rep.at(imp, "import cycle: " + " -> ".join(chain))
        mod.imports[imp.alias] = ModuleInfo(name, "", "", broken=True)

    def name_of(self, path: Path) -> str | None:
        """The module name of real file `path`: its path (without `.hl`)
        relative to the innermost search root that contains it, the
        standard library included; None if none gives a valid name."""
        return modname.name_of(path, ".hl", (*self.roots, STDLIB_DIR))

    def _load_host(self, name: str) -> ModuleInfo:
        text = self.host_modules[name]
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        return self.load(Source(name, text, f"<host module {name}>", f"{name}.hl", (), None,
                                digest, is_stdlib=True))

    @staticmethod
    def find(parts: tuple[str, ...], dirs: tuple[Path, ...]) -> Path | None:
        """The real path of `a/b.hl` in the first of `dirs` (then the
        standard library) that has it; SourceError if that file's real path
        leaves the directory it was found in (a link to elsewhere)."""
        name = ".".join(parts)
        try:
            found = modname.find(name, ".hl", search_order(dirs))
        except modname.OutsideSearchDir as e:
            raise SourceError(e.candidate, 1, 1, f"module '{name}': {e.candidate} leads "
                              f"outside the search directory {e.directory}", False) from None
        return None if found is None else Path(found)


def search_order(dirs) -> tuple[Path, ...]:
    """Every directory an import is looked for in, in order: `dirs`, then
    the standard library."""
    return (*dirs, STDLIB_DIR)


def _display(path: Path) -> str:
    """A file name for diagnostics: relative to the working directory when
    that is shorter."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _near_module(target: str, dirs) -> str:
    """"; did you mean 'math'?" for a module name near `target`: a
    standard module, or a file in the folders searched."""
    names: list[str] = []
    for d in dirs:
        try:
            names += sorted(f[:-3] for f in os.listdir(d) if f.endswith(".hl"))
        except OSError:
            continue
    return did_you_mean(target, [*names, *stdlib_modules()])
