"""The machine-code trace and the engine that builds it: built once, cached
as self-contained code, loaded by later processes without llvmlite, and
rejected when the cache file is damaged; its IR takes every layout fact
from hllvm/layout.py."""

import ctypes
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hllvm import engine as E
from hllvm import layout
from hllvm.collector import native

cacheable = pytest.mark.skipif(not E.CACHEABLE, reason="machine code is cached on Linux x86-64 only")


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """The native module as in a new process, with an empty cache."""
    monkeypatch.setenv("HL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(native, "_fn", None)
    monkeypatch.setattr(native, "_failed", None)
    return tmp_path


@cacheable
def test_built_once_then_loaded_from_the_cache(fresh):
    assert native.evacuator() is not None
    path = Path(native.cache_path())
    assert path.parent.parent == fresh and path.parent.name == "gc" and path.is_file()
    first = path.read_bytes()
    # A new process loads the cached code and never imports llvmlite.
    code = ("import sys\nfrom hllvm.collector import native\n"
            "assert native.evacuator() is not None\nprint('llvmlite' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**__import__("os").environ, "HL_CACHE_DIR": str(fresh)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "False\n"
    assert path.read_bytes() == first


@cacheable
def test_a_damaged_cache_file_is_rebuilt(fresh, monkeypatch):
    native.evacuator()
    path = Path(native.cache_path())
    eng = E.Engine.get()
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF                                 # the checksum no longer matches
    path.write_bytes(bytes(data))
    monkeypatch.setattr(native, "_fn", None)
    assert eng.read_cache(path) is None
    assert native.evacuator() is not None
    assert eng.read_cache(path) is not None


@cacheable
def test_the_cached_text_is_self_contained():
    code, entry = E.Engine.get().compile_text(native.IR, native.SYMBOL)
    assert 0 <= entry < len(code) < 16384
    with pytest.raises(ValueError):
        E.elf_text(b"not an object", "hl_evacuate")


def test_the_cache_key_covers_ir_symbol_and_llvmlite():
    eng = E.Engine.get()
    base = eng.cache_path(native.IR, native.SYMBOL, "gc/evacuate")
    assert eng.cache_path(native.IR + "\n", native.SYMBOL, "gc/evacuate") != base
    assert eng.cache_path(native.IR, "other", "gc/evacuate") != base
    assert E.llvmlite_version() != "unknown"


def test_an_engine_function_of_other_ir(tmp_path, monkeypatch):
    """The engine is not the collector's: any IR, any symbol, any signature
    (what the JIT will use)."""
    monkeypatch.setenv("HL_CACHE_DIR", str(tmp_path))
    ir = ("define i64 @hl_test_add3(i64 %a, i64 %b, i64 %c) {\n"
          "  %s = add i64 %a, %b\n  %t = add i64 %s, %c\n  ret i64 %t\n}\n")
    ftype = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)
    try:
        f = E.Engine.get().native_function(ir, "hl_test_add3", ftype, "test/add3")
    except E.EngineUnavailable as e:
        pytest.skip(str(e))
    assert f(1, 2, 39) == 42
    if E.CACHEABLE:
        assert (tmp_path / "test").is_dir()
    with pytest.raises(E.EngineUnavailable):
        E.Engine.get().native_function("this is not IR", "f", ftype, "test/bad")


def test_the_ir_names_the_layout_not_numbers():
    """Every layout fact in the IR is substituted from layout.py: the template
    holds no number a layout name stands for, and the IR changes with them."""
    text = native._IR_TEMPLATE.template
    assert "$T_STR8" in text and "$HEADER_WORDS" in text and "$PAGE_SHIFT" in text
    for n in ("4294967296", "4294967295", "8589934592"):
        assert n not in text
    assert not re.search(r"lshr i64 %v, \d", text)          # the page shift
    assert not re.search(r"icmp [a-z]+ i64 %tid, \d", text)   # type ids
    names = native._ir_constants()
    names["HEADER_WORDS"] = layout.HEADER_WORDS + 1
    assert native._IR_TEMPLATE.substitute(names) != native.IR
