"""The compiler's public entry points: source → `Program` or `CompileError`.

`compile_program(path)` and `compile_source(text, ...)` run the phases in
order (load and parse every module, declare and check each module after the
modules it imports, then generate bytecode for all of them) and turn any
failure into one `CompileError` listing every diagnostic.  Nothing else
escapes: a fault inside the compiler itself becomes a `CompileError` whose
`internal` flag is set, chained to the original exception.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hlbc import model as M

from .budget import Budget, CompileTimeout, over_budget
from .checker import Checker
from .declare import Declarer
from .diagnostics import CompileError, Diagnostic, Reporter
from .limits import program_limit
from .loader import PRELUDE, STDLIB_DIR, Loader, Source, SourceError, read_source
from .modgen import generate
from .parser import get_parser
from .symbols import World

# Deeply nested source (long operator chains, nested blocks) is walked
# recursively; Python 3.11 keeps such recursion off the C stack, so a higher
# limit is safe.  Beyond it the program is rejected as too deeply nested.
_RECURSION_LIMIT = 20_000


@dataclass
class Program:
    """A compiled program: its modules in initialisation order (the prelude
    first, every module after those it imports, the entry module last)."""
    modules: list[M.ModuleDesc]
    entry: str
    sources: dict[str, str] = field(default_factory=dict)   # file path → sha256 hex of its bytes
    # (every directory searched, in order, import name as written) → the
    # real file it reached: a cache of this program is valid only while each
    # name, searched again along those directories, still reaches that file.
    resolved: dict = field(default_factory=dict)


def compile_program(path: str | Path, search_path=(), library: bool | None = False,
                    host_modules=None, budget: Budget | None = None) -> Program:
    """Compile the program whose entry module is the file `path`.  Imports
    are searched beside the importing file, then in the entry file's folder
    and `search_path` (loader.py: module identity), then in the standard
    library.  `library`: False, the entry needs `main`; None, `main` is
    checked only if declared (`hll compile` of a library module); True, not
    at all.  `budget`: what compiling may cost (budget.py; None: no limit):
    CompileError if the program is too large for its memory,
    CompileTimeout past its time limit."""
    p = Path(path)
    try:
        src = read_source(p, p.stem, str(path), p.name)
    except SourceError as e:
        rep = Reporter(e.display)
        rep.error(e.line, e.col, e.message)
        raise CompileError(rep.diagnostics) from None
    roots = (src.path.parent, *search_path) if src.path is not None else tuple(search_path)
    return _compile(src, library=library, host_modules=host_modules, roots=roots, budget=budget)


def compile_source(text: str, name: str = "main", filename: str = "<input>",
                   search_dirs=(), library: bool | None = False, host_modules=None,
                   budget: Budget | None = None) -> Program:
    """Compile in-memory source as the entry module `name`; its imports are
    looked up in `host_modules` (name → source text an embedding host
    supplies; they may declare bodiless native functions), then in
    `search_dirs` (the roots of its search path), then in the standard
    library.  `library`, `budget`: see `compile_program`."""
    dirs = tuple(Path(d).resolve() for d in search_dirs)
    src = Source(name, text, filename, Path(filename).name if filename != "<input>" else filename,
                 dirs, None, hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return _compile(src, library=library, host_modules=host_modules, roots=dirs, budget=budget)


def compile_modules(name: str, path: str | Path | None = None, search_dirs=()) -> list[M.ModuleDesc]:
    """Compile module `name` as a library (no `main` needed) together with
    every module it imports, in initialisation order.  The source is `path`,
    or when that is None the file an `import` of `name` would find in
    `search_dirs`, then in the standard library.  `search_dirs` are also
    the roots of the search path of its imports."""
    dirs = tuple(Path(d).resolve() for d in search_dirs)
    parts = tuple(name.split("."))
    if path is None:
        found = None if name == PRELUDE else Loader.find(parts, dirs)
        path = STDLIB_DIR / "lang.hl" if name == PRELUDE else found
        if path is None:
            raise CompileError([Diagnostic(name, 1, 1, f"cannot find module '{name}'")])
    p = Path(path)
    try:
        src = read_source(p, name, str(path), "/".join(parts) + ".hl" if len(parts) > 1 else p.name)
    except SourceError as e:
        rep = Reporter(e.display)
        rep.error(e.line, e.col, e.message)
        raise CompileError(rep.diagnostics) from None
    return _compile(src, library=True, roots=dirs).modules


def stdlib_module_names() -> list[str]:
    """The modules of the standard library, by name (the prelude included)."""
    return sorted(".".join(p.relative_to(STDLIB_DIR).with_suffix("").parts)
                  for p in STDLIB_DIR.rglob("*.hl"))


def _compile(src: Source, library: bool | None = False, host_modules=None, roots=(),
             budget: Budget | None = None) -> Program:
    if src.name == PRELUDE and not (library and src.is_stdlib):
        rep = Reporter(src.display, src.text)
        rep.error(1, 1, "a program's module may not be named 'lang' (the name of the prelude)")
        raise CompileError(rep.diagnostics)
    world = World(budget=budget or Budget())
    loader = Loader(world, host_modules, roots)
    get_parser()                # built once per process: not the program's memory
    world.budget.begin()
    try:
        with deep_recursion(), collector_paused():
            modules = _phases(loader, world, src, library)
    except (CompileError, CompileTimeout):
        raise
    except RecursionError:
        rep = Reporter(src.display, src.text)
        rep.error(1, 1, "the program is nested too deeply to compile")
        raise CompileError(rep.diagnostics) from None
    except Exception as e:
        err = CompileError([Diagnostic(src.display, 1, 1, f"internal compiler error: {type(e).__name__}: {e}")])
        err.internal = True
        raise err from e
    sources = {str(s.path): s.digest.hex() for s in loader.sources.values() if s.path is not None}
    return Program(modules, src.name, sources, dict(loader.resolved))


def _phases(loader: Loader, world: World, src: Source, library: bool | None) -> list[M.ModuleDesc]:
    prelude = loader.load_prelude()
    entry = prelude if src.name == PRELUDE else loader.load(src)
    # As javac does: when a module has a syntax error, the program gets only
    # the syntax errors; no module's names and types are checked.
    syntax_failed = any(mod.broken for mod in loader.order)
    for mod in loader.order:
        if mod.broken or syntax_failed:
            continue
        rep = loader.reporter(mod.name)
        Declarer(mod, world, rep).run()
        if any(m.cut for m in loader.order):   # only its depth errors: the rest are the cut's
            continue
        # `library is None`: a module compiled on its own may be a library
        # (no main) or a program; a `main` it declares must still be valid.
        wants_main = library is False or library is None and "main" in mod.scope
        with over_budget(rep):
            Checker(mod, world, rep).run(entry=mod is entry and wants_main)
    diagnostics = [d for rep in loader.reporters.values() for d in rep.sorted()]
    if diagnostics:
        raise CompileError(diagnostics)
    descs = []
    for mod in loader.order:
        rep = loader.reporter(mod.name)
        with over_budget(rep):
            descs.append(generate(mod, world, rep))
    beyond = program_limit(loader.order, descs)
    if beyond is not None:
        mod, line, col, message = beyond
        rep = loader.reporter(mod.name)
        rep.error(line, col, message)
        raise CompileError(rep.sorted())
    return descs


_pause_lock = threading.Lock()
_pauses = [0, False]        # compilations under way, whether the collector was enabled


@contextmanager
def collector_paused():
    """Python's cyclic collector paused while a program compiles.  Compiling
    builds long-lived trees (syntax, symbols, code) and leaves little cyclic
    garbage, but each full collection walks everything built so far again:
    about 40% of a big program's compile time.  Concurrent compilations
    share one pause; the collector is enabled again when the last ends (if
    it was enabled when the first began)."""
    with _pause_lock:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


@contextmanager
def deep_recursion():
    old = sys.getrecursionlimit()
    if old < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


__all__ = ["Program", "CompileError", "Diagnostic", "Budget", "CompileTimeout", "compile_program", "compile_source",
           "compile_modules", "stdlib_module_names", "STDLIB_DIR"]
