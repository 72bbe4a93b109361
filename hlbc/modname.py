"""Module names and the files they name: the one rule the compiler (for
`.hl` source) and the VM (for `.hlc` bytecode) both follow.

Owns three facts of module naming, the file suffix given by the caller:

- what a module name may be: dotted ASCII identifiers (`a.b.c`) of at most
  MAX_NAME characters (`valid_name`, `check_name`), so a name is never an
  absolute path, `..`, or empty;
- where a name is looked for: `a.b` is the file `a/b<suffix>` in the first
  of an ordered list of directories that has it, accepted only if its real
  path (symbolic links followed) stays inside the directory it was found in
  (`find`; `OutsideSearchDir` otherwise);
- what a file is named: its real path, without the suffix, relative to the
  innermost of the directories that contains it and gives a valid name
  (`name_of`), so one real file is one module however it is reached.

It does not keep a search path (hllvm/resolve.py's `SearchPath`, the
compiler's `Loader.roots`), read files, or say which directories come first:
its callers do.
"""

from __future__ import annotations

import os

from .errors import LoadError

MAX_NAME = 255          # characters in a dotted module name


def _valid_parts(parts) -> bool:
    # An ASCII identifier is exactly [A-Za-z_][A-Za-z0-9_]*.
    return (len(parts) > 0 and all(p.isascii() and p.isidentifier() for p in parts)
            and len(".".join(parts)) <= MAX_NAME)


def valid_name(name) -> bool:
    """Whether `name` is a dotted identifier of at most MAX_NAME characters."""
    return isinstance(name, str) and _valid_parts(name.split("."))


def check_name(name, context: str = "") -> str:
    """`name` if it is a valid module name, else LoadError naming it (and
    `context`, e.g. "imported by prog")."""
    if not valid_name(name):
        shown = repr(name) if len(repr(name)) <= 80 else repr(name)[:77] + "..."
        tail = f", {context}" if context else ""
        raise LoadError(f"bad module name {shown}{tail}: a module name is dotted identifiers "
                        f"(a.b.c) of at most {MAX_NAME} characters")
    return name


class OutsideSearchDir(Exception):
    """The file found for module `name` at `candidate` has a real path that
    leaves `directory`, the directory it was found in (a link to elsewhere).
    Each caller reports it as its phase's error."""

    def __init__(self, name: str, candidate: str, directory: str):
        super().__init__(f"module {name}: {candidate} leads outside the search directory {directory}")
        self.name, self.candidate, self.directory = name, candidate, directory


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def find(name: str, suffix: str, dirs) -> str | None:
    """The real path of file `a/b<suffix>` for module `a.b` in the first of
    `dirs` that has it, or None; OutsideSearchDir if that file's real path
    leaves the directory it was found in.  `name` is not checked here."""
    rel = os.path.join(*name.split(".")) + suffix
    for d in dirs:
        base = os.path.realpath(os.fspath(d))
        cand = os.path.join(base, rel)
        if not os.path.isfile(cand):
            continue
        real = os.path.realpath(cand)
        if not _inside(real, base):
            raise OutsideSearchDir(name, cand, base)
        return real
    return None


def name_of(real, suffix: str, dirs) -> str | None:
    """The module name of file `real` (a real path ending in `suffix`): its
    path without the suffix relative to the innermost of `dirs` (real
    paths) that contains it and gives a valid name; None if none does."""
    # Only compiling names a file (a run finds files by name): pathlib, which
    # a run does not import, is the compiler's anyway.
    from pathlib import Path
    path = Path(real)
    if not path.name.endswith(suffix) or len(path.name) <= len(suffix):
        return None
    stem = path.with_name(path.name[: len(path.name) - len(suffix)])
    best: tuple[int, str] | None = None
    for d in dirs:
        root = Path(d)
        try:
            parts = stem.relative_to(root).parts
        except ValueError:
            continue
        if _valid_parts(parts) and (best is None or len(root.parts) > best[0]):
            best = (len(root.parts), ".".join(parts))
    return best[1] if best is not None else None
