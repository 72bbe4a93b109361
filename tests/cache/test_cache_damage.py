"""A damaged or hand-made cache entry is never trusted: whatever its bytes
or kind of file, the run behaves as an uncached one, nothing is read that
the entry names but a search does not reach, and the entry is written
again (hl/programcache.py, hl/manifest.py, hl/cache.py `read_regular`)."""

from __future__ import annotations

import os
import random

import pytest

from cachesupport import both, hll_process, hll_run, write
from hl import bencode, programcache
from hl.cache import read_regular, sha

PROGRAM = {"p.hl": "import m;\nfn main() {\n    println(m.v());\n    m.fail();\n}\n",
           "m.hl": "fn v() -> int { return 42; }\nfn fail() {\n    throw new Error(\"late\");\n}\n"}


@pytest.fixture
def prog(tmp_path, cache):
    write(tmp_path, PROGRAM)
    first = hll_run("p.hl", cwd=tmp_path)
    assert first.status == 1 and first.out == "42\n" and "at fail (m.hl:3)" in first.err
    entries = list((cache.root / "programs").rglob("*.hlpc"))
    assert len(entries) == 1
    return tmp_path, entries[0], first


def _entry_with(manifest, blobs=(), raw: bytes | None = None) -> bytes:
    """An entry whose checksum is right, around `manifest` (any value the
    manifest's encoding holds) or `raw`."""
    text = raw if raw is not None else bencode.dumps(manifest)
    body = text + b"\n" + b"".join(blobs)
    return programcache.MAGIC + sha(body).encode() + b"\n" + body


def _decoded(entry):
    # As the cache reads it: an entry left a link to a device must fail the test, not fill memory.
    return programcache.decode(read_regular(entry, programcache.MAX_ENTRY, follow_links=False)[0])


def _check(prog, cache, run=hll_run):
    """The damaged entry is a miss that behaves as no cache, and is written again."""
    folder, entry, first = prog
    compiled = cache.compiled
    cached, uncached = both("p.hl", cwd=folder, run=run)
    assert cached == uncached == first
    if run is hll_run:
        assert cache.compiled == compiled + 2              # the cached run compiled: a miss
    assert _decoded(entry) is not None                     # written again, whole
    compiled = cache.compiled
    assert hll_run("p.hl", cwd=folder) == first
    assert cache.compiled == compiled                      # rebuilt: the next run is a hit
    assert entry.is_file() and not entry.is_symlink()


def _without_newline(e) -> bytes:
    """The entry's own manifest and modules, re-checksummed, with nothing
    between them."""
    manifest, blobs = _decoded(e)
    body = bencode.dumps(manifest) + b"".join(blobs)
    return programcache.MAGIC + sha(body).encode() + b"\n" + body


def _bytes(seed):
    return lambda e: bytes(random.Random(seed).randrange(256) for _ in range(e.stat().st_size))


DAMAGE = {
    "empty": lambda e: b"",
    "header only": lambda e: e.read_bytes()[:71],
    "truncated in the manifest": lambda e: e.read_bytes()[:200],
    "truncated by one byte": lambda e: e.read_bytes()[:-1],
    "one more byte": lambda e: e.read_bytes() + b"\0",
    "a flipped bit": lambda e: (lambda d: d[:len(d) // 2] + bytes([d[len(d) // 2] ^ 4]) + d[len(d) // 2 + 1:])(
        e.read_bytes()),
    "random bytes": _bytes(1),
    "random bytes after the magic": lambda e: programcache.MAGIC + _bytes(2)(e)[6:],
    "manifest is a list": lambda e: _entry_with([1, 2, 3]),
    "manifest is a string": lambda e: _entry_with("manifest"),
    "manifest is JSON": lambda e: _entry_with(None, raw=b'{"format": 1}'),
    "manifest is not UTF-8": lambda e: _entry_with(None, raw=b"d6:format3:\xff\xfe\xfde"),
    "manifest nested deeply": lambda e: _entry_with(None, raw=b"l" * 200_000 + b"e" * 200_000),
    "a number too long": lambda e: _entry_with(None, raw=b"d6:formati1" + b"0" * 10_000 + b"ee"),
    "a number with a fraction": lambda e: _entry_with(None, raw=b"d6:formati1.5ee"),
    "a number with a leading zero": lambda e: _entry_with(None, raw=b"d6:formati01ee"),
    "a number with a plus": lambda e: _entry_with(None, raw=b"d6:formati+1ee"),
    "keys out of order": lambda e: _entry_with(None, raw=b"d6:formati1e5:entry1:pe"),
    "a key twice": lambda e: _entry_with(None, raw=b"d6:formati1e6:formati1ee"),
    "a key not a string": lambda e: _entry_with(None, raw=b"di1ei1ee"),
    "a string longer than the entry": lambda e: _entry_with(None, raw=b"d6:format99999:xe"),
    "no end to the manifest": lambda e: _entry_with(None, raw=b"d6:formati1e"),
    "no line after the manifest": lambda e: _without_newline(e),
}


def _edit(change):
    """Damage: the entry's own manifest, changed by `change`, re-checksummed."""
    def damage(e):
        manifest, blobs = _decoded(e)
        change(manifest, blobs)
        return _entry_with(manifest, blobs)
    return damage


def _set(*path_and_value):
    *path, value = path_and_value

    def change(manifest, blobs):
        d = manifest
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = value
    return change


EDITS = {
    "format of another version": _set("format", 2),
    "format a string": _set("format", "1"),
    "key a list": _set("key", []),
    "key of another compiler": _set("key", "compiler", "0" * 64),
    "entry a number": _set("entry", 5),
    "entry another module": _set("entry", "m"),
    "modules a string": _set("modules", "3"),
    "module size negative": lambda m, b: m["modules"].__setitem__(0, -1),
    "module size a string": lambda m, b: m["modules"].__setitem__(0, str(m["modules"][0])),
    "module size null": lambda m, b: m["modules"].__setitem__(0, None),
    "module sizes do not add up": lambda m, b: m["modules"].__setitem__(0, m["modules"][0] + 1),
    "imports an object": _set("imports", {}),
    "imports in an older form": _set("imports", [[["/tmp"], "m", "/tmp/m.hl"]]),
    "an import name not a name": lambda m, b: m["imports"][0].__setitem__("name", "../../etc/passwd"),
    "an import's folders relative": lambda m, b: m["imports"][0].__setitem__("dirs", ["."]),
    "an import with a null byte": lambda m, b: m["imports"][0].__setitem__("file", "/tmp/m\0.hl"),
    "an import dropped": lambda m, b: m["imports"].clear(),
    "a file dropped": lambda m, b: m["files"].pop(),
    "a file twice": lambda m, b: m["files"].append(m["files"][0]),
    "an extra field": _set("comment", "hi"),
    "a field missing": lambda m, b: m.pop("files"),
    "a hash in capitals": lambda m, b: m["files"][0].__setitem__("sha256", m["files"][0]["sha256"].upper()),
    "a size off by one": lambda m, b: m["files"][0].__setitem__("size", m["files"][0]["size"] + 1),
    "a size a bool": lambda m, b: m["files"][0].__setitem__("size", True),
    "a size huge": lambda m, b: m["files"][0].__setitem__("size", 1 << 80),
    "a file outside": lambda m, b: m["files"].append({"path": "/etc/passwd", "size": 1, "mtime_ns": 0,
                                                       "sha256": "0" * 64}),
    "/dev/zero as a source": lambda m, b: m["files"].__setitem__(
        0, {"path": "/dev/zero", "size": 1 << 20, "mtime_ns": 0, "sha256": "0" * 64}),
    "/dev/zero as an import": lambda m, b: m["imports"].append(
        {"name": "zero", "dirs": ["/dev"], "file": "/dev/zero", "shadows": []}),
    "a module's bytes replaced": lambda m, b: b.__setitem__(1, bytes(len(b[1]))),
    "modules in another order": lambda m, b: (b.reverse(), m["modules"].reverse()),
}


@pytest.mark.parametrize("damage", list(DAMAGE) + list(EDITS))
def test_a_damaged_entry_is_a_miss_and_is_written_again(damage, prog, cache):
    entry = prog[1]
    make = DAMAGE.get(damage) or _edit(EDITS[damage])
    entry.write_bytes(make(entry))
    _check(prog, cache)


def test_a_manifest_naming_devices_and_fifos_is_never_read(prog, cache, tmp_path_factory):
    # As a command, so that a read that blocked would end the test, not hang it.
    fifo_dir = tmp_path_factory.mktemp("fifo")
    os.mkfifo(fifo_dir / "q.hl")
    entry = prog[1]

    def change(m, b):
        m["imports"].append({"name": "q", "dirs": [str(fifo_dir)], "file": str(fifo_dir / "q.hl"),
                             "shadows": []})
        m["files"] += [{"path": str(fifo_dir / "q.hl"), "size": 1, "mtime_ns": 0, "sha256": "0" * 64},
                       {"path": "/dev/zero", "size": 1, "mtime_ns": 0, "sha256": "0" * 64}]
    entry.write_bytes(_edit(change)(entry))
    _check(prog, cache, run=hll_process)


KINDS = {
    "a folder": lambda e: (e.unlink(), e.mkdir(), (e / "x").write_text("x")),
    "a FIFO": lambda e: (e.unlink(), os.mkfifo(e)),
    "a link to /dev/zero": lambda e: (e.unlink(), os.symlink("/dev/zero", e)),
    "a link to a good entry": lambda e: (os.rename(e, e.with_suffix(".old")), os.symlink(e.with_suffix(".old"), e)),
    "larger than any entry": lambda e: os.truncate(e, programcache.MAX_ENTRY + 1),
}


@pytest.mark.parametrize("kind", KINDS)
def test_an_entry_of_the_wrong_kind_is_a_miss_and_is_replaced(kind, prog, cache):
    KINDS[kind](prog[1])
    _check(prog, cache, run=hll_process)


def test_another_programs_entry_is_not_taken(prog, cache):
    folder, entry, _first = prog
    write(folder, {"other.hl": "fn main() { println(\"other\"); }\n"})
    assert hll_run("other.hl", cwd=folder).out == "other\n"
    other = [e for e in (cache.root / "programs").rglob("*.hlpc") if e != entry]
    assert len(other) == 1
    entry.write_bytes(other[0].read_bytes())
    _check(prog, cache)


def test_a_file_where_the_caches_folder_goes(prog, cache):
    entry = prog[1]
    folder = entry.parent
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    folder.write_text("not a folder")
    _check(prog, cache)


# --- reading files the cache does not trust ----------------------------------------------------

def test_read_regular_reads_regular_files_only_and_within_the_limit(tmp_path):
    f = tmp_path / "f"
    f.write_bytes(b"12345")
    assert read_regular(f, 5)[0] == b"12345"
    with pytest.raises(OSError):
        read_regular(f, 4)
    os.mkfifo(tmp_path / "fifo")
    os.symlink(f, tmp_path / "link")
    assert read_regular(tmp_path / "link", 5)[0] == b"12345"
    for path, follow in [("/dev/zero", True), (tmp_path / "fifo", True), (tmp_path, True),
                         (tmp_path / "link", False), (tmp_path / "missing", True)]:
        with pytest.raises(OSError):
            read_regular(path, 1 << 20, follow_links=follow)
