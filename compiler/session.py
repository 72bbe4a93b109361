"""Incremental compilation for the REPL: one long-lived world of modules in
which each input ("snippet") becomes a new bytecode module.

A `Session` keeps everything the compiler knows between inputs: the prelude,
every module imported so far, and every snippet accepted so far.  Snippet k
is compiled as module `$replk` from the REPL grammar (statements allowed at
the top level, `$1`-style names) and *opens* the earlier snippets: a name it
does not declare itself is looked up in them, newest first, before the
prelude (`declare.lookup_own`).  So a new definition hides the old one while
code and values of earlier snippets stay as they are.  A snippet's global
initialisers and statements, in source order, form its module initialiser
`$init`, and each of its globals gets a `show$<name>` function (see
`modgen.show_name`).

`compile` either returns a `Snippet` (the new modules to load, in
initialisation order, and what it defines) or raises `CompileError` leaving
the session exactly as it was; the caller then `commit`s the snippet once
the VM has loaded it, or `discard`s it.  This module does not load or run
anything: that is the REPL's, on the VM.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from hlbc import model as M

from . import builtins as B
from . import syntax as S
from .builder import KEYWORDS
from .checker import Checker
from .declare import Declarer
from .diagnostics import CompileError, Diagnostic, Reporter
from .driver import deep_recursion
from .loader import PRELUDE, Loader, Source
from .modgen import generate, show_name
from .parser import InputStatus, input_status
from .symbols import ClassInfo, FunctionInfo, GlobalInfo, ModuleInfo, World
from .typesys import VOID, ArrayType, ClassType, Type


@dataclass(frozen=True)
class Definition:
    """A name a snippet defines, for the REPL's feedback."""
    kind: str           # "fn", "class" (an interface too), "let", "var", "value" ($N) or "import"
    name: str
    text: str           # `fn f(x: int) -> int`, `class Dog extends Animal`, `interface Shape`, `int`, `import math`
    replaces: bool      # an earlier snippet defined the same name


@dataclass
class Snippet:
    """A compiled snippet, not yet part of the session."""
    module: str                         # its module name, `$replN`
    modules: list[M.ModuleDesc]         # to load: newly imported modules first, the snippet last
    definitions: list[Definition]
    info: ModuleInfo = field(repr=False)
    mark: tuple = field(repr=False)     # the session's state before it, for `discard`


class Session:
    def __init__(self, search_dirs=()):
        self.search_dirs = tuple(Path(d).resolve() for d in search_dirs)
        self.world = World()
        self.loader = Loader(self.world)
        self.snippets: list[ModuleInfo] = []        # accepted snippets, oldest first
        self.descs: dict[str, M.ModuleDesc] = {}    # every module compiled here, by name
        self.next_value = 1                         # N of the next `$N`
        self._count = 0
        prelude = self._guarded(Reporter("lang"), self._compile_prelude)
        self.prelude: list[M.ModuleDesc] = [prelude]

    def _compile_prelude(self) -> M.ModuleDesc:
        mod = self.loader.load_prelude()
        if not mod.broken:
            rep = self.loader.reporter(PRELUDE)
            Declarer(mod, self.world, rep).run()
            Checker(mod, self.world, rep).run()
        diagnostics = [d for rep in self.loader.reporters.values() for d in rep.sorted()]
        if diagnostics:
            raise CompileError(diagnostics)
        desc = generate(mod, self.world, self.loader.reporter(PRELUDE))
        self.descs[PRELUDE] = desc
        return desc

    # --- compiling snippets ----------------------------------------------------------

    def compile(self, text: str, display: str = "<repl>", source_name: str | None = None,
                search_dirs=None, check_only: bool = False) -> Snippet:
        """Compile one input as the next snippet.  `display` names it in
        diagnostics, `source_name` in stack traces; its imports are looked up
        in `search_dirs` (default: the session's), then the standard library.
        With `check_only` no bytecode is generated."""
        self._count += 1
        name = f"$repl{self._count}"
        dirs = self.search_dirs if search_dirs is None else tuple(Path(d).resolve() for d in search_dirs)
        src = Source(name, text, display, source_name or display, dirs, None,
                     hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), script=True)
        mark = (set(self.world.modules), len(self.loader.order), set(self.loader.reporters),
                set(self.loader.sources), set(self.loader.by_path), set(self.loader.resolved))
        try:
            return self._guarded(Reporter(display, text),
                                 lambda: self._compile(src, mark, check_only))
        except BaseException:           # CompileError, or Ctrl-C while compiling
            self._rollback(mark)
            raise

    def _compile(self, src: Source, mark: tuple, check_only: bool) -> Snippet:
        loader, world = self.loader, self.world
        start = mark[1]
        mod = loader.load(src)
        mod.open = list(reversed(self.snippets))
        mod.next_value = self.next_value
        new = loader.order[start:]
        for m in new:
            if m.broken:
                continue
            rep = loader.reporter(m.name)
            Declarer(m, world, rep).run()
            if not any(x.cut for x in new):     # as in driver.py
                Checker(m, world, rep).run()
        diagnostics = [d for name, rep in loader.reporters.items() if name not in mark[2]
                       for d in rep.sorted()]
        if diagnostics:
            raise CompileError(diagnostics)
        descs = [] if check_only else [generate(m, world, loader.reporter(m.name)) for m in new]
        return Snippet(mod.name, descs, self._definitions(mod), mod, mark)

    def commit(self, snippet: Snippet) -> None:
        """Make the snippet's names visible to later snippets."""
        self.snippets.append(snippet.info)
        self.next_value = snippet.info.next_value
        for d in snippet.modules:
            self.descs[d.name] = d

    def retract_values(self, snippet: Snippet) -> None:
        """A committed snippet whose code did not run to its end: its `$N`
        values were never stored, so later snippets do not see them and
        their numbers are given out again."""
        values = [g for g in snippet.info.globals if g.name.startswith("$")]
        for g in values:
            snippet.info.scope.pop(g.name, None)
        if values and snippet.info is self.snippets[-1]:
            self.next_value = int(values[0].name[1:])
        snippet.definitions[:] = [d for d in snippet.definitions if d.kind != "value"]

    def discard(self, snippet: Snippet) -> None:
        """Forget a snippet that was compiled but will not be used."""
        self._rollback(snippet.mark)

    def _rollback(self, mark: tuple) -> None:
        """Forget every module, diagnostic and file the compile since `mark`
        added, so a later input that imports the same files loads them again."""
        modules, n, reporters, sources, by_path, resolved = mark
        loader = self.loader
        del loader.order[n:]
        for table, kept in ((self.world.modules, modules), (loader.reporters, reporters),
                            (loader.sources, sources), (loader.by_path, by_path),
                            (loader.resolved, resolved)):
            for k in set(table) - kept:
                del table[k]

    def _guarded(self, rep: Reporter, work):
        """Run a compilation step: a fault of the compiler itself becomes an
        internal CompileError, as in `driver`."""
        try:
            with deep_recursion():
                return work()
        except CompileError:
            raise
        except RecursionError:
            rep.error(1, 1, "the input is nested too deeply to compile")
            raise CompileError(rep.diagnostics) from None
        except Exception as e:
            err = CompileError([Diagnostic(rep.file, 1, 1, f"internal compiler error: {type(e).__name__}: {e}")])
            err.internal = True
            raise err from e

    def type_of(self, text: str) -> str:
        """The static type of expression `text` in the session's scope
        (`void` for a call that returns nothing); nothing is run or kept.
        CompileError if it is not one valid expression."""
        status, end = input_status(text)
        if status is InputStatus.NEEDS_SEMICOLON:
            text = text[:end] + ";" + text[end:]
        snippet = self.compile(text, "<type>", check_only=True)
        try:
            items = snippet.info.syntax.items
            if len(items) != 1 or not isinstance(items[0], (S.ExprStmt, S.VarDecl)) \
                    or isinstance(items[0], S.VarDecl) and not items[0].name.startswith("$"):
                raise CompileError([Diagnostic("<type>", 1, 1, "expected one expression")])
            item = items[0]
            return str(item.var.type if isinstance(item, S.VarDecl) else item.expr.ty)
        finally:
            self.discard(snippet)

    # --- what the session defines ------------------------------------------------------

    def _definitions(self, mod: ModuleInfo) -> list[Definition]:
        out = []
        for item in mod.syntax.items:
            sym = None
            if isinstance(item, (S.FnDecl, S.ClassDecl)):
                sym = item.info
                name = item.name
            elif isinstance(item, S.VarDecl):
                sym = item.var
                name = item.name
            elif isinstance(item, S.Import):
                sym = mod.imports.get(item.alias)
                name = item.alias
            if sym is None or mod.scope.get(name) is not sym:
                continue
            kind = _kind(sym)
            replaces = any(name in m.scope for m in mod.open) and not name.startswith("$")
            out.append(Definition(kind, name, describe(sym, name), replaces))
        return out

    def visible(self) -> list[tuple[str, object]]:
        """(name, symbol) for every name the next snippet would see from
        earlier snippets, in the order they were defined; definitions that
        a newer one hides are left out."""
        newest = {}
        for m in self.snippets:
            for name, sym in m.scope.items():
                newest.pop(name, None)      # re-insert: order of the newest definition
                newest[name] = sym
        return list(newest.items())

    def lookup(self, name: str):
        """What `name` denotes for the next snippet (earlier snippets, then
        the prelude), or None."""
        for m in reversed(self.snippets):
            sym = m.scope.get(name)
            if sym is not None:
                return sym
        return self.world.prelude.public(name) if self.world.prelude else None

    def completions(self) -> list[str]:
        """Every name a snippet may start with: the session's names, the
        prelude's public names, built-in functions, type names and keywords."""
        names = {n for n, _ in self.visible()}
        if self.world.prelude is not None:
            names |= {n for n in self.world.prelude.scope if not n.startswith("_")}
        names |= set(B.FUNCTIONS) | {"int", "float", "bool", "string", "void"}
        names |= KEYWORDS
        return sorted(names)

    def members(self, name: str) -> list[str]:
        """Names that may follow `name.`: a module's public names, or the
        fields and methods of a variable's class, string or array methods."""
        sym = self.lookup(name)
        if isinstance(sym, ModuleInfo):
            return sorted(n for n in sym.scope if not n.startswith("_"))
        if isinstance(sym, GlobalInfo) and sym.type is not None:
            return members_of_type(sym.type)
        return []

    def function(self, name: str):
        """(module descriptor, function descriptors) named by `f`, `C` (its
        init and methods) or `C.m`, as the next snippet would see them, or
        None."""
        cls_name, _, meth = name.partition(".")
        sym = self.lookup(cls_name)
        if isinstance(sym, FunctionInfo) and not meth:
            desc = self.descs.get(sym.module.name)
            return (desc, [f for f in desc.functions if f.name == sym.name and f.owner == M.NO_INDEX]) \
                if desc else None
        if isinstance(sym, ClassInfo):
            desc = self.descs.get(sym.module.name)
            if desc is None:
                return None
            idx = next((i for i, c in enumerate(desc.classes) if c.name == sym.name), None)
            fns = [f for f in desc.functions if f.owner == idx and (not meth or f.name == meth)]
            return (desc, fns) if fns else None
        return None

    def source_of(self, module: str) -> str | None:
        """The text a module was compiled from, if this session read it."""
        src = self.loader.sources.get(module)
        return src.text if src is not None else None


def describe(sym, name: str) -> str:
    """One line saying what `sym` is, as the REPL lists it."""
    if isinstance(sym, FunctionInfo):
        params = ", ".join(f"{n}: {t}" for n, t in zip(sym.param_names, sym.params))
        ret = "" if sym.ret is VOID else f" -> {sym.ret}"
        return f"fn {name}{_type_params(sym.type_params)}({params}){ret}"
    if isinstance(sym, ClassInfo):
        text = ("interface " if sym.is_interface else "class ") + name + _type_params(sym.type_params)
        if sym.super_type is not None:
            text += f" extends {sym.super_type}"
        # The prelude's private interfaces a class implements because it
        # defines hash or equals are not written in its declaration.
        written = [t for t in sym.interfaces if not t.cls.name.startswith("_")]
        if written:
            text += (" extends " if sym.is_interface else " implements ") + ", ".join(map(str, written))
        return text
    if isinstance(sym, GlobalInfo):
        return str(sym.type)
    if isinstance(sym, ModuleInfo):
        return f"import {sym.name}" + (f" as {name}" if sym.name.rsplit(".", 1)[-1] != name else "")
    return name


def _type_params(params) -> str:
    return "<" + ", ".join(p.name for p in params) + ">" if params else ""


def _kind(sym) -> str:
    if isinstance(sym, FunctionInfo):
        return "fn"
    if isinstance(sym, ClassInfo):
        return "class"
    if isinstance(sym, GlobalInfo):
        if sym.name.startswith("$"):
            return "value"
        return "var" if sym.mutable else "let"
    return "import"


def members_of_type(t: Type) -> list[str]:
    if isinstance(t, ClassType):
        names = set()
        for c in [*t.cls.ancestors(), *(t.cls.super_interfaces() if t.cls.is_interface else ())]:
            names |= set(c.fields) | set(c.methods)
        return sorted(names)
    if isinstance(t, ArrayType):
        return sorted({"length", *B.ARRAY_METHODS})
    if str(t) == "string":
        return sorted({"length", *B.STRING_METHODS})
    return []


__all__ = ["Session", "Snippet", "Definition", "describe", "show_name"]
