"""The standard library's bytecode cache (hl/stdlib.py) is used only while
it is exactly what its mark lists; a damaged one is built again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cachesupport import hll_run, write
from hl import stdlib

PROGRAM = {"s.hl": "import math;\nfn main() { println(math.sqrt(16.0)); }\n"}


def _math(d):
    return d / "math.hlc"


DAMAGE = {
    "truncated": lambda d: _math(d).write_bytes(_math(d).read_bytes()[:100]),
    "a flipped bit": lambda d: _math(d).write_bytes(
        (lambda b: b[:50] + bytes([b[50] ^ 1]) + b[51:])(_math(d).read_bytes())),
    "removed": lambda d: _math(d).unlink(),
    "a folder": lambda d: (_math(d).unlink(), _math(d).mkdir()),
    "a FIFO": lambda d: (_math(d).unlink(), os.mkfifo(_math(d))),
    "a link to /dev/zero": lambda d: (_math(d).unlink(), os.symlink("/dev/zero", _math(d))),
    "one module more": lambda d: (d / "evil.hlc").write_bytes(_math(d).read_bytes()),
    "the mark garbage": lambda d: (d / "complete").write_bytes(os.urandom(300)),
    "the mark of an older form": lambda d: (d / "complete").write_text("io\nlang\nmath\ntime\n"),
    "the mark a folder": lambda d: ((d / "complete").unlink(), (d / "complete").mkdir()),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_standard_library_cache_is_built_again(damage, tmp_path, cache):
    write(tmp_path, PROGRAM)
    import compiler
    from hlbc import write_module
    (tmp_path / "s.hlc").write_bytes(write_module(compiler.compile_program(tmp_path / "s.hl").modules[-1]))
    stdlib._known.clear()
    d = Path(stdlib.bytecode_dir())
    assert stdlib.sound(d) and hll_run("s.hlc", cwd=tmp_path).out == "4.0\n"
    DAMAGE[damage](d)
    assert not stdlib.sound(d)
    stdlib._known.clear()                       # as a new process would find it
    r = hll_run("s.hlc", cwd=tmp_path)
    assert (r.status, r.out) == (0, "4.0\n"), r.err
    assert Path(stdlib.bytecode_dir()) == d and stdlib.sound(d)
    modules = sorted(p.stem + ".hlc" for p in (Path(__file__).resolve().parents[2] / "stdlib").glob("*.hl"))
    assert sorted(p.name for p in d.iterdir()) == sorted(["complete", *modules])
