"""Loading is held to the VM's limits (hllvm/loadmeter.py): the time limit,
a host-memory budget beside the heap, and a bound on module file size —
from the first byte read, whatever the file says or the OS reports."""

import os

import pytest

import compiler
from hl import VM
from hlbc import LoadError, write_module
from hllvm import ResourceExhausted
from hllvm import loadmeter
from hllvm.resolve import read_module_file

N = 20_000


SRC = "fn fill() -> int {\n let a = [\n" + ",\n".join(str(i) for i in range(N)) + "];\n return a.length;\n}\n"


@pytest.fixture(scope="module")
def big() -> bytes:
    """The bytecode of a module whose one function fills an N-element array
    literal (one element per line): code and constants proportional to N."""
    prog = compiler.compile_source(SRC, name="big", filename="big.hl", library=True)
    return write_module(next(m for m in prog.modules if m.name == "big"))


def test_a_big_module_loads_within_its_budget(big):
    vm = VM(max_heap=1 << 30)
    assert vm.load_bytecode(big).function("fill")() == N


def test_loading_over_the_memory_budget_is_a_load_error(big, monkeypatch):
    monkeypatch.setattr(loadmeter, "LOAD_MIN_BYTES", 1 << 20)
    vm = VM(max_heap=1 << 20)                  # budget: 1 MiB of host memory
    with pytest.raises(LoadError, match="host memory"):
        vm.load_bytecode(big)
    assert "big" not in vm.modules             # nothing of the failed batch is visible


def test_loading_past_the_time_limit_stops(big):
    vm = VM(timeout=1e-9)
    with pytest.raises(ResourceExhausted, match="while loading") as e:
        vm.load_bytecode(big)
    assert e.value.resource == "time"
    assert "big" not in vm.modules


def test_module_files_are_read_with_a_bound(tmp_path):
    f = tmp_path / "m.hlc"
    f.write_bytes(b"\0" * 1001)
    with pytest.raises(LoadError, match="larger than 1000 bytes"):
        read_module_file(f, 1000, "module m")
    assert read_module_file(f, 1001, "module m") == b"\0" * 1001


def test_module_files_must_be_regular(tmp_path):
    fifo = tmp_path / "m.hlc"
    os.mkfifo(fifo)                            # opening it to read would block
    with pytest.raises(LoadError, match="not a regular file"):
        read_module_file(fifo, 1 << 20, "module m")
    with pytest.raises(LoadError, match="not a regular file"):
        read_module_file("/dev/zero", 1 << 20, "module m")


def test_an_import_larger_than_the_bound_is_refused(tmp_path, big):
    (tmp_path / "big.hl").write_text(SRC)       # to compile main against
    main = compiler.compile_source("import big; fn main() { println(big.fill()); }", name="main",
                                   filename=str(tmp_path / "main.hl"), search_dirs=[tmp_path])
    (tmp_path / "big.hl").unlink()
    (tmp_path / "big.hlc").write_bytes(big)
    entry = next(m for m in main.modules if m.name == "main")
    limit = loadmeter.module_bytes_limit(1 << 20)
    assert (tmp_path / "big.hlc").stat().st_size > limit
    vm = VM(max_heap=1 << 20)
    with pytest.raises(LoadError, match="larger than"):
        vm.load_bytecode(write_module(entry), search_dirs=[tmp_path])
