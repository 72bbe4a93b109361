"""The machine-code trace: built once, cached as self-contained code, loaded
by later processes without llvmlite, and rejected when the cache file is
damaged."""

import subprocess
import sys

import pytest

from hllvm.collector import native

pytestmark = pytest.mark.skipif(not native._CACHEABLE, reason="machine code is cached on Linux x86-64 only")


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """The native module as in a new process, with an empty cache."""
    monkeypatch.setenv("HL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(native, "_fn", None)
    monkeypatch.setattr(native, "_failed", None)
    return tmp_path


def test_built_once_then_loaded_from_the_cache(fresh):
    assert native.evacuator() is not None
    path = native.cache_path()
    assert path.parent.parent == fresh and path.is_file()
    first = path.read_bytes()
    # A new process loads the cached code and never imports llvmlite.
    code = ("import sys\nfrom hllvm.collector import native\n"
            "assert native.evacuator() is not None\nprint('llvmlite' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**__import__("os").environ, "HL_CACHE_DIR": str(fresh)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "False\n"
    assert path.read_bytes() == first


def test_a_damaged_cache_file_is_rebuilt(fresh, monkeypatch):
    native.evacuator()
    path = native.cache_path()
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF                                 # the checksum no longer matches
    path.write_bytes(bytes(data))
    monkeypatch.setattr(native, "_fn", None)
    assert native._read_cache() is None
    assert native.evacuator() is not None
    assert native._read_cache() is not None


def test_the_cached_text_is_self_contained():
    code, entry = native._compile_code()
    assert 0 <= entry < len(code) < 16384
    with pytest.raises(ValueError):
        native.elf_text(b"not an object", "hl_evacuate")
