"""hlbc/paths.py reads a path's text exactly as pathlib does: the text a
message shows, the name of the entry module and whether a file is
bytecode are the same as when the run path used pathlib."""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path, PurePosixPath

import pytest

from hlbc.paths import path_name, path_stem, path_suffix, path_text, real_parent

EDGES = ["", ".", "..", "/", "//", "///", "////a", "//a//b/", "./", "/./", "a/./b/", "./a//b/.",
         "a/..", "a/../", "../a", ".hlc", "..hlc", "a.hlc", "a.hlc/", "a.hlc/.", "a.", "a..", "a.b.hl",
         ".hidden", ".hidden.hl", "dir.d/file", "dir.d/.", "~/x.hl", "a b/c d.hl", "é/ü.hlc",
         "a\0b.hl", "x/y.tar.gz", "p.hl", "p.HL"]


def _random_paths(n: int):
    rng = random.Random(5)
    alphabet = ["/", ".", "a", "b.", ".hl", ".hlc", "..", "/./", "//"]
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))


@pytest.mark.skipif(os.name == "nt", reason="Windows paths are pathlib's own there")
@pytest.mark.parametrize("text", EDGES + list(_random_paths(400)))
def test_a_path_reads_as_pathlib_reads_it(text):
    p = PurePosixPath(text)
    assert (path_text(text), path_name(text), path_suffix(text), path_stem(text)) == (
        str(p), p.name, p.suffix, p.stem)


def test_path_like_and_bytes():
    assert path_text(Path("a//b/")) == "a/b" and path_suffix(Path("x/p.hlc")) == ".hlc"
    with pytest.raises(TypeError):
        path_text(b"a/b")
    with pytest.raises(TypeError):
        path_text(3)


def test_real_parent_is_the_resolved_parent(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.hl").write_text("")
    os.symlink(tmp_path / "real", tmp_path / "link")
    for rel in itertools.product(["real", "link"], ["f.hl", "missing.hl", "."]):
        p = tmp_path.joinpath(*rel)
        assert real_parent(p) == str(p.resolve().parent) == real_parent(str(p))
