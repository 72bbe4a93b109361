"""Finding, reading and parsing the modules of a program, in initialisation order.

Owns the module graph: `import a.b;` → file `a/b.hl`, searched in the
importing file's directory (or the search directories given for in-memory
source), then in the standard library; the prelude `lang` is loaded first and
implicitly imported by every other module.  Reports unknown modules, import
cycles, unreadable or non-UTF-8 files.  `Loader.order` lists modules with
every module after the modules it imports (prelude first, entry last).

It does not look inside declarations (that is `declare`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import syntax as S
from .diagnostics import Reporter
from .parser import parse
from .symbols import ModuleInfo, World

from .libpath import STDLIB_DIR  # re-exported for the driver
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
    def __init__(self, world: World, host_modules=None):
        self.world = world
        # Module name → source text supplied by an embedding host (declarations
        # of its natives): found before any file, and may declare bodiless
        # functions like the standard library.
        self.host_modules: dict[str, str] = dict(host_modules or {})
        self.order: list[ModuleInfo] = []
        self.reporters: dict[str, Reporter] = {}     # module name → its diagnostics
        self.sources: dict[str, Source] = {}         # module name → source
        self._in_progress: list[str] = []             # the chain of imports being loaded

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
        tree = parse(src.text, rep, script=src.script)
        mod = ModuleInfo(src.name, src.display, src.source_name, is_stdlib=src.is_stdlib,
                         syntax=tree, broken=tree is None, source_hash=src.digest,
                         script=src.script)
        self.world.modules[src.name] = mod
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
        if target in self._in_progress:
            chain = self._in_progress[self._in_progress.index(target):] + [target]
            rep.at(imp, "import cycle: " + " -> ".join(chain))
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        if target in self.host_modules:
            mod.imports[imp.alias] = self.world.modules.get(target) or self._load_host(target)
            return
        path = self.find(imp.path, src.search_dirs)
        if path is None:
            looked = ", ".join(str(d) for d in src.search_dirs) or "nowhere else"
            rep.at(imp, f"cannot find module '{target}' (looked for {'/'.join(imp.path)}.hl in "
                        f"{looked} and the standard library)")
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        done = self.world.modules.get(target)
        if done is not None:
            other = self.sources.get(target)
            if other is not None and other.path is not None and other.path != path:
                rep.at(imp, f"module '{target}' is {path}, but a module of that name was already "
                            f"loaded from {other.path}")
            mod.imports[imp.alias] = done
            return
        display = _display(path)
        try:
            imported = read_source(path, target, display, "/".join(imp.path) + ".hl")
        except SourceError as e:
            if not e.in_file:
                rep.at(imp, e.message)
            else:
                bad = Reporter(e.display)
                bad.error(e.line, e.col, e.message)
                self.reporters[target] = bad
            mod.imports[imp.alias] = ModuleInfo(target, "", "", broken=True)
            return
        mod.imports[imp.alias] = self.load(imported)

    def _load_host(self, name: str) -> ModuleInfo:
        text = self.host_modules[name]
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        return self.load(Source(name, text, f"<host module {name}>", f"{name}.hl", (), None,
                                digest, is_stdlib=True))

    @staticmethod
    def find(parts: tuple[str, ...], dirs: tuple[Path, ...]) -> Path | None:
        rel = Path(*parts[:-1], parts[-1] + ".hl")
        for d in (*dirs, STDLIB_DIR):
            p = d / rel
            if p.is_file():
                return p.resolve()
        return None


def _display(path: Path) -> str:
    """A file name for diagnostics: relative to the working directory when
    that is shorter."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
