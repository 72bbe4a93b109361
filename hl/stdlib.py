"""The standard library as bytecode: built once per compiler, then only read.

Owns the directory of the standard library's `.hlc` files
(`bytecode_dir()`): `<cache>/stdlib/<compiler fingerprint>/`, holding
`lang.hlc`, `math.hlc`, `io.hlc`, `time.hlc`, ... and a `complete` mark
written last.  On first use (no mark) every module of stdlib/ is compiled
with the compiler and written there; after that, finding the standard
library costs a stat and never imports the compiler.  The directory goes at
the end of every module search path the `hl` layer hands the VM, which
verifies these modules on every load like any other bytecode.

When the cache cannot be written, the bytecode is built into a private
temporary directory for this process (removed at exit).  It does not decide
where the cache is (cache.py) or how modules are found (hllvm/resolve.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

from hlbc import write_module

from .cache import atomic_write, cache_dir, compiler_fingerprint, stdlib_module_names

_MARK = "complete"
_lock = threading.Lock()
_known: dict[str, Path] = {}      # fingerprint → directory, once known to be complete


def bytecode_dir() -> Path:
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
        d = cache_dir() / "stdlib" / fp[:32]
        if not (d / _MARK).is_file():
            try:
                build(d)
            except OSError:
                import atexit
                import shutil
                import tempfile
                d = Path(tempfile.mkdtemp(prefix="hl-stdlib-"))
                atexit.register(shutil.rmtree, d, True)
                build(d)
        _known[fp] = d
        return d


def build(into: Path) -> None:
    """Compile every module of the standard library into `into` as
    `a/b.hlc`, then mark the directory complete."""
    import compiler
    into.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for name in stdlib_module_names():
        for m in compiler.compile_modules(name):
            if m.name in written:
                continue
            dest = into / Path(*m.name.split(".")).with_suffix(".hlc")
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, write_module(m))
            written.add(m.name)
    atomic_write(into / _MARK, b"\n".join(n.encode() for n in sorted(written)) + b"\n")
