"""The on-disk cache of compiled bytecode: where it is and what keys it.

Owns, for this layer, the cache directory (`cache_dir`: hllvm/cachedir.py's
rule, `$HL_CACHE_DIR`, else `$XDG_CACHE_HOME/hl`, else `~/.cache/hl`,
shared with the native-code cache), the compiler's fingerprint (a
hash of the names, sizes and mtimes of the compiler's, the bytecode
format's and the standard library's files, so bytecode an older compiler
wrote is not reused), the SHA-256
the layer's hashes are made with (`sha256`, `sha`), the atomic file write
every cache entry is made of, and the one way the layer reads a file it
does not trust (`read_regular`: a regular file only, of bounded size,
never blocking).  Users: the standard library's bytecode (stdlib.py), the
compile cache of programs (programcache.py, manifest.py) and the check
that an `.hlc` is fresh (resolve.py).

It never imports the compiler: a cached run must not pay for loading it,
so the compiler's files are found with `find_spec` (which does not import)
and the standard library's location is read from compiler/libpath.py, the
module that owns it, loaded on its own.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import stat
from functools import lru_cache

from hlbc.paths import real_parent
from hllvm.cachedir import cache_root as cache_dir
from hllvm.digest import sha256

_COMPILER_DIR = real_parent(importlib.util.find_spec("compiler").origin)
_HLBC_DIR = real_parent(importlib.util.find_spec("hlbc").origin)


@lru_cache(maxsize=1)
def stdlib_source_dir() -> str:
    """Where the standard library's `.hl` files are (compiler/libpath.py
    decides; it is loaded by file so that the compiler package is not)."""
    spec = importlib.util.spec_from_file_location("hl._compiler_libpath",
                                                  os.path.join(_COMPILER_DIR, "libpath.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return os.path.realpath(os.fspath(mod.STDLIB_DIR))


def stdlib_module_names() -> list[str]:
    """The standard library's modules, by name (the prelude included)."""
    from pathlib import Path         # building the library's bytecode only (it compiles)
    root = Path(stdlib_source_dir())
    return sorted(".".join(p.relative_to(root).with_suffix("").parts) for p in root.rglob("*.hl"))


@lru_cache(maxsize=1)
def compiler_fingerprint() -> str:
    """Hash of what identifies the compiler's, the bytecode format's and the
    standard library's own files, so a new compiler never reuses bytecode
    an older one wrote: for each of the three folders, every file of its
    kinds (`.py` and `.lark`; `.hl`; `.py`) below it, by its name relative
    to the folder, its size and its st_mtime_ns.

    Not their contents: reading and hashing every file took some 2 ms of
    every run's start.  The test is the one CPython applies to decide that
    a `.pyc` is stale (the source's size and mtime): a file that changes
    gets a new mtime, and one added, removed or renamed changes the list.
    What it misses, a file rewritten to the same size within the clock's
    granularity or with its old time put back, can only make a cache entry
    of the previous compiler look current; an entry is untrusted input all
    the same, and the VM verifies every module it loads."""
    h = sha256()
    for root, suffixes in ((_COMPILER_DIR, (".py", ".lark")), (stdlib_source_dir(), (".hl",)),
                           (_HLBC_DIR, (".py",))):
        h.update(b"\0\0")                  # the next folder
        for rel, st in sorted(_files_under(root, suffixes)):
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _files_under(root: str, suffixes: tuple[str, ...], rel: str = "") -> list[tuple[str, os.stat_result]]:
    """(name relative to `root` with `/`, status) of the files with one of
    `suffixes` in `root` and every folder below it (symbolic links
    followed; `__pycache__` holds none)."""
    found = []
    with os.scandir(os.path.join(root, rel) if rel else root) as entries:
        for e in entries:
            name = rel + e.name
            if e.is_dir():
                if e.name != "__pycache__":
                    found += _files_under(root, suffixes, name + "/")
            elif e.name.endswith(suffixes):
                found.append((name, e.stat()))
    return found


def sha(data: bytes) -> str:
    return sha256(data).hexdigest()


def read_regular(path, limit: int, follow_links: bool = True) -> tuple[bytes, os.stat_result]:
    """The bytes of `path` and its status, if it is a regular file of at
    most `limit` bytes; OSError otherwise (also for a symbolic link when
    not `follow_links`).  A cache file or a manifest may name anything, so
    nothing is read before the open file is known to be regular: opening
    does not block (a FIFO would wait for a writer), and a device such as
    /dev/zero is refused rather than read for ever."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        parts, got = [], 0
        want = st.st_size + 1       # the whole file and a byte to see its end; more if it grows
        while True:     # to the end, or one byte past the limit
            piece = os.read(fd, min(want, limit + 1 - got))
            want = 1 << 16
            if not piece:
                break
            parts.append(piece)
            got += len(piece)
            if got > limit:
                raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        return b"".join(parts), st
    finally:
        os.close(fd)


def atomic_write(path, data: bytes) -> None:
    """Write `data` to `path` (a `str` or any `os.PathLike`) so that a reader
    sees the old file or the whole new one, never a part (write a temporary
    file beside it, then rename)."""
    import tempfile
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.fspath(path)) or ".", prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
