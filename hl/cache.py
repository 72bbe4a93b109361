"""The on-disk cache of compiled bytecode: where it is and what keys it.

Owns, for this layer, the cache directory (`cache_dir`: hllvm/cachedir.py's
rule, `$HL_CACHE_DIR`, else `$XDG_CACHE_HOME/hl`, else `~/.cache/hl`,
shared with the native-code cache), the compiler's fingerprint (a
hash of the compiler's, the bytecode format's and the standard library's
files, so bytecode an older compiler wrote is never reused), the SHA-256
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
    """Hash of the compiler's, the bytecode format's and the standard
    library's own files, so a new compiler never reuses bytecode an older
    one wrote."""
    h = sha256()
    files = (_files_under(_COMPILER_DIR, (".py", ".lark")) + _files_under(stdlib_source_dir(), (".hl",))
             + _files_under(_HLBC_DIR, (".py",)))
    for f in sorted(files, key=lambda f: f.split(os.sep)):     # in the order of their Paths
        h.update(os.path.basename(f).encode())
        with open(f, "rb") as data:
            h.update(data.read())
    return h.hexdigest()


def _files_under(root: str, suffixes: tuple[str, ...]) -> list[str]:
    """The files with one of `suffixes` in `root` and every folder below it
    (as `root.rglob("*" + suffix)`, for a fraction of its cost)."""
    return [os.path.join(d, name) for d, _dirs, names in os.walk(root, followlinks=True)
            for name in names if name.endswith(suffixes)]


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
