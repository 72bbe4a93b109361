"""The standard library as bytecode: built once per compiler, then only read.

Owns the directory of the standard library's `.hlc` files
(`bytecode_dir()`): `<cache>/stdlib/<compiler fingerprint>/`, holding
`lang.hlc`, `math.hlc`, `io.hlc`, `time.hlc`, ... and a `complete` mark
written last, listing each file with its size and SHA-256.  On first use
(no mark) every module of stdlib/ is compiled with the compiler and written
there; after that, finding the standard library reads those few small
files once per process, and never imports the compiler.  A directory that
is not exactly what its mark lists (a file missing, damaged, of another
kind, or one more `.hlc`) is built again: a damaged cache is never used.
The directory goes at the end of every module search path the `hl` layer
hands the VM, which verifies these modules on every load like any other
bytecode.

When the cache cannot be written, the bytecode is built into a private
temporary directory for this process (removed at exit).  It does not decide
where the cache is (cache.py) or how modules are found (hllvm/resolve.py).
"""

from __future__ import annotations

import os
import threading

from hlbc import write_module

from .cache import atomic_write, cache_dir, compiler_fingerprint, read_regular, sha, stdlib_module_names

_MARK = "complete"
_MAX_MARK = 1 << 16         # bytes
_lock = threading.Lock()
_known: dict[str, str] = {}       # fingerprint → directory, once known to be complete


def bytecode_dir() -> str:
    """The directory of the standard library's bytecode, built if needed
    (CompileError only if the standard library itself does not compile)."""
    fp = compiler_fingerprint()
    d = _known.get(fp)
    if d is not None:
        return d
    with _lock:
        d = _known.get(fp)
        if d is not None:
            return d
        d = os.path.join(cache_dir(), "stdlib", fp[:32])
        if not sound(d):
            try:
                build(d)
            except OSError:
                import atexit
                import shutil
                import tempfile
                d = tempfile.mkdtemp(prefix="hl-stdlib-")
                atexit.register(shutil.rmtree, d, True)
                build(d)
        _known[fp] = d
        return d


def sound(d) -> bool:
    """Whether `d` (a `str` or any `os.PathLike`) holds exactly the `.hlc`
    files its mark lists, each a regular file of the size and hash listed."""
    try:
        mark, _st = read_regular(os.path.join(d, _MARK), _MAX_MARK, follow_links=False)
        listed = {}
        for line in mark.decode("ascii").splitlines():
            rel, size, digest = line.split(" ")
            listed[rel] = (int(size), digest)
        if not listed or set(listed) != set(_hlc_files(d)):
            return False
        for rel, (size, digest) in listed.items():
            data, _st = read_regular(os.path.join(d, rel), size, follow_links=False)
            if len(data) != size or sha(data) != digest:
                return False
        return True
    except (OSError, ValueError):        # unreadable, or a mark not of this shape
        return False


def _hlc_files(d) -> list[str]:
    """The `.hlc` names under `d` (of any kind), relative to it, with `/`."""
    return [os.path.relpath(os.path.join(r, n), d).replace(os.sep, "/")
            for r, _dirs, names in os.walk(d) for n in names + _dirs if n.endswith(".hlc")]


def build(into) -> None:
    """Compile every module of the standard library into `into` (a `str` or
    any `os.PathLike`) as `a/b.hlc`, remove any other `.hlc` there, then
    mark the directory complete with each file's size and hash."""
    import compiler
    os.makedirs(into, exist_ok=True)
    written: dict[str, bytes] = {}
    for name in stdlib_module_names():
        for m in compiler.compile_modules(name):
            rel = "/".join(m.name.split(".")) + ".hlc"
            if rel in written:
                continue
            dest = os.path.join(into, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            _remove_folder(dest)
            written[rel] = write_module(m)
            atomic_write(dest, written[rel])
    for rel in _hlc_files(into):
        if rel not in written:
            dest = os.path.join(into, rel)
            _remove_folder(dest)
            try:
                os.unlink(dest)
            except FileNotFoundError:
                pass
    mark = os.path.join(into, _MARK)
    _remove_folder(mark)
    atomic_write(mark, b"".join(f"{rel} {len(data)} {sha(data)}\n".encode()
                                for rel, data in sorted(written.items())))


def _remove_folder(p: str) -> None:
    """A folder where a file goes (a damaged cache) is removed: the rename
    that writes the file would fail on it."""
    if os.path.isdir(p) and not os.path.islink(p):
        import shutil
        shutil.rmtree(p)
