"""The compile cache of `.hl` programs: one file per program, used only
when a run from it would behave exactly as compiling again.

Owns the key (`key_of`: the compiler's fingerprint, the entry file's name
and real path, the search path, whether `main` is required), where an
entry lives (`entry_path`: `<cache>/programs/<k[:2]>/<k>.hlpc`, `k` the
SHA-256 of the key), the entry's bytes (`encode`/`decode`, mirror
images), and `lookup`/`store`.  What is checked in the manifest, and how,
is manifest.py's; docs/cache.md says why.

An entry is

    HLPC2 <SHA-256 of everything after this line, hex>\\n
    <manifest, in hl/bencode.py's encoding>\\n
    <the .hlc bytes of each module, in initialisation order, back to back>

and the key's hash is that of its encoding (JSON, which a run would
import for them, is used for neither).

An entry is untrusted input: it is read only if it is a regular file (not
a link) of at most MAX_ENTRY bytes, its checksum must match, its manifest
must have the exact shape, its key must be the current one, every check of
the manifest must hold and every module must decode; anything else is a
miss, and the program is compiled and its entry written again.  (The VM
verifies the modules on every load, whatever their origin.)  The cache is
best-effort: an entry that cannot be written is not written.
"""

from __future__ import annotations

import os

from hlbc import read_module, write_module
from hlbc.model import ModuleDesc
from hlbc.paths import path_name
from hllvm.resolve import SearchPath

from . import bencode
from . import manifest as mf
from .cache import atomic_write, cache_dir, compiler_fingerprint, read_regular, sha

MAGIC = b"HLPC2 "           # the entry's format: bump on any change
MAX_ENTRY = 1 << 26         # bytes: a program whose entry would be larger is not cached


def key_of(path: str, roots: SearchPath, library: bool | None) -> dict:
    """Everything besides the files' contents that the compiler's output
    depends on: the entry file's name (the entry module's name, and the
    file name in its traces) and real path (where its imports are found
    first), the search path, whether `main` is required, the compiler."""
    return {"compiler": compiler_fingerprint(),
            "entry": {"name": path_name(path), "path": os.path.realpath(path)},
            "roots": list(roots.dirs), "library": library}


def entry_path(key: dict) -> str:
    k = sha(bencode.dumps(key))
    return os.path.join(cache_dir(), "programs", k[:2], f"{k}.hlpc")


def lookup(key: dict) -> tuple[list[ModuleDesc], str] | None:
    """The cached program under `key`, if its entry is sound and every
    check of its manifest holds; else None."""
    try:
        data, _st = read_regular(entry_path(key), MAX_ENTRY, follow_links=False)
    except OSError:
        return None
    try:
        found = decode(data)
        if found is None:
            return None
        manifest, blobs = found
        if not mf.holds(manifest, key):
            return None
        mods = [read_module(b) for b in blobs]
    # A damaged or hand-made entry is a miss whatever decoding it raises
    # (a LoadError, a manifest not in its encoding, ...).
    except Exception:
        return None
    if not mods or mods[-1].name != manifest["entry"]:
        return None
    return mods, manifest["entry"]


def store(key: dict, prog) -> None:
    """Write compiled program `prog` (compiler.Program) as the entry of
    `key`, replacing whatever is there."""
    try:
        blobs = [write_module(m) for m in prog.modules]
        manifest = mf.record(prog, key, [len(b) for b in blobs])
        if manifest is None:
            return
        data = encode(manifest, blobs)
        if len(data) > MAX_ENTRY:
            return
        dest = entry_path(key)
        _make_room(dest)
        atomic_write(dest, data)
    except OSError:
        pass


def encode(manifest: dict, blobs: list[bytes]) -> bytes:
    body = bencode.dumps(manifest) + b"\n" + b"".join(blobs)
    return MAGIC + sha(body).encode() + b"\n" + body


def decode(data: bytes) -> tuple[dict, list[bytes]] | None:
    """(manifest, module bytes) of an entry, or None if it is not sound."""
    head = len(MAGIC) + 64
    if not data.startswith(MAGIC) or data[head:head + 1] != b"\n":
        return None
    body = data[head + 1:]
    if sha(body).encode() != data[len(MAGIC):head]:
        return None
    try:
        manifest, end = bencode.read(body)
    except bencode.Malformed:
        return None
    if body[end:end + 1] != b"\n" or not mf.well_formed(manifest):
        return None
    blobs, at = [], end + 1
    for size in manifest["modules"]:
        blobs.append(body[at:at + size])
        at += size
    if at != len(body):
        return None
    return manifest, blobs


def _make_room(dest: str) -> None:
    """The folders of `dest`, and no directory at `dest` itself (a damaged
    cache): the entry's rename would fail on it."""
    import shutil
    folder = os.path.dirname(dest)
    for d in (os.path.dirname(folder), folder):
        if os.path.lexists(d) and not os.path.isdir(d):
            os.unlink(d)
    os.makedirs(folder, exist_ok=True)
    if os.path.isdir(dest) and not os.path.islink(dest):
        shutil.rmtree(dest)
