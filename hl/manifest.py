"""The manifest of a cached program: what compiling it looked at, so that a
later run can tell, without compiling, that compiling again would make the
same bytecode with the same file names in it.

Owns the manifest's shape (`well_formed`, checked field by field before
anything in it is used), making a manifest from a compiled program
(`record`) and checking one against the files as they are now (`holds`).
The cache entry that holds it, and the key, are programcache.py's.

A manifest (docs/cache.md) records:

- `key`: what the entry's key was made of (programcache.py `key_of`);
- `entry`: the entry module's name; `modules`: the size of each module's
  bytecode, in initialisation order;
- `imports`: for every import resolved while compiling, the name, every
  directory it was searched in, in order (compiler/loader.py
  `search_order`), the real file it reached, and the candidates earlier in
  that order that did not exist (`shadows`: a file created at one of them
  would be found instead);
- `files`: every source file the compiler read (the entry, every file an
  import reached, the prelude): real path, size, mtime_ns, SHA-256.

`holds` searches every recorded import again with the compiler's own rule
(hlbc/modname.py `find`) along the recorded directories and requires the
same file, then reads every file, which must be the entry, the prelude or a
file reached by that search (never a path only the manifest names), and
requires the same size and hash.  mtime_ns is recorded for whoever reads
the manifest but decides nothing: a file rewritten within the clock's
granularity, or with its time restored (`cp -p`, `tar`), keeps it.
"""

from __future__ import annotations

import os

from hlbc import modname

from .cache import read_regular, sha, stdlib_source_dir

FORMAT = 1
MAX_SOURCE = 1 << 26        # bytes: a larger source is compiled on every run, never cached


# --- the shape ---------------------------------------------------------------------------------

def _nat(v) -> bool:
    return type(v) is int and v >= 0


def _hex64(v) -> bool:
    return isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)


def _path(v) -> bool:
    return isinstance(v, str) and os.path.isabs(v) and "\0" not in v


def _text(v) -> bool:
    return isinstance(v, str) and 0 < len(v) <= 4096 and "\0" not in v


def _list(check):
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def _record(fields: dict):
    return lambda v: (isinstance(v, dict) and v.keys() == fields.keys()
                      and all(check(v[k]) for k, check in fields.items()))


well_formed = _record({
    "format": lambda v: type(v) is int and v == FORMAT,
    "key": lambda v: isinstance(v, dict),           # compared whole with the current key
    "entry": _text,
    "modules": _list(_nat),
    "imports": _list(_record({"name": modname.valid_name, "dirs": _list(_path), "file": _path,
                              "shadows": _list(_path)})),
    "files": _list(_record({"path": _path, "size": _nat, "mtime_ns": _nat, "sha256": _hex64})),
})


# --- making one --------------------------------------------------------------------------------

def record(prog, key: dict, sizes: list[int]) -> dict | None:
    """The manifest of compiled program `prog` (compiler.Program) under
    `key`; None if the files are no longer as the compiler saw them (one
    changed while it compiled), so that nothing is cached."""
    imports = []
    for (dirs, name), file in prog.resolved.items():
        shadows = _shadows(name, dirs, file)
        if shadows is None:
            return None
        imports.append({"name": name, "dirs": list(dirs), "file": file, "shadows": shadows})
    if set(prog.sources) != _reached(key, imports):
        return None         # a file read that no recorded search reaches: not checkable later
    files = []
    for path, digest in sorted(prog.sources.items()):
        now = identity(path)
        if now is None or now["sha256"] != digest:
            return None
        files.append(now)
    return {"format": FORMAT, "key": key, "entry": prog.entry, "modules": sizes,
            "imports": imports, "files": files}


def _shadows(name: str, dirs, file: str) -> list[str] | None:
    """The candidates for `name` in `dirs` before the one that has it, as
    hlbc/modname.py `find` looks at them; None if `find` no longer reaches
    `file`."""
    rel = os.path.join(*name.split(".")) + ".hl"
    before = []
    for d in dirs:
        try:
            here = modname.find(name, ".hl", (d,))
        except modname.OutsideSearchDir:
            return None
        if here is not None:
            return before if str(here) == file else None
        before.append(os.path.join(os.path.realpath(d), rel))
    return None


def identity(path: str) -> dict | None:
    """Real path, size, mtime_ns and SHA-256 of regular file `path`, or None."""
    try:
        data, st = read_regular(path, MAX_SOURCE)
    except OSError:
        return None
    if len(data) != st.st_size:
        return None         # written to while read
    return {"path": path, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha(data)}


# --- checking one ------------------------------------------------------------------------------

def holds(manifest: dict, key: dict) -> bool:
    """Whether compiling under `key` now would read exactly the files
    `manifest` (well formed) records: every import reaches the same file
    along the same directories, and every file has the same bytes."""
    if manifest["key"] != key:
        return False
    for imp in manifest["imports"]:
        try:
            now = modname.find(imp["name"], ".hl", imp["dirs"])
        except modname.OutsideSearchDir:
            return False
        if now is None or str(now) != imp["file"]:
            return False
    files = manifest["files"]
    if {f["path"] for f in files} != _reached(key, manifest["imports"]) or len(files) != len(
            {f["path"] for f in files}):
        return False
    for f in files:
        try:
            # Never more than the recorded size (plus one byte, to see a longer file).
            data, _st = read_regular(f["path"], min(f["size"], MAX_SOURCE))
        except OSError:
            return False
        if len(data) != f["size"] or sha(data) != f["sha256"]:
            return False
    return True


def _reached(key: dict, imports: list[dict]) -> set[str]:
    """The files a compile under `key` reads: the entry, the prelude, and
    every file an import reached."""
    prelude = os.path.realpath(os.path.join(stdlib_source_dir(), "lang.hl"))
    return {key["entry"]["path"], prelude, *(imp["file"] for imp in imports)}
