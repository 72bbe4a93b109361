"""hllvm/layout.py is the one owner of the object layout: no other module of
the VM writes a header offset, a payload byte offset or a type id as a
number (issue: the header size once appeared as `+ 2` / `+ 16` in forty
places, and the collector's IR hard-coded type ids and the page shift)."""

import re
from pathlib import Path

import pytest

from hllvm import layout

ROOT = Path(__file__).resolve().parents[2] / "hllvm"

# The shapes a literal header offset took: `r + 2 + i`, `W[a + 2:...]`,
# `(p << 3) + 16`, `(p + 2) << 3`, `(r << 1) + 4`, `2 + nfields`, `2 + words`,
# and in LLVM IR `add i64 %x, 2` for a header or `icmp eq i64 %tid, 1`.
PATTERNS = [
    re.compile(r"\+ 2 \+ "),
    re.compile(r"\[\w+(\[-1\])? \+ 2[\]:]"),
    re.compile(r"<< 3\) \+ 16\b"),
    re.compile(r"\(\w+ \+ 2\) << 3"),
    re.compile(r"<< 1\) \+ 4\b"),
    re.compile(r"\b2 \+ (\w+\.)?(n?fields|words|nf)\b"),
    re.compile(r"\b2 \+ \(\("),
    re.compile(r"icmp eq i64 %tid, \d"),
]


def sources():
    for p in sorted(ROOT.rglob("*.py")):
        if p.name != "layout.py":
            yield p


@pytest.mark.parametrize("path", list(sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_literal_header_offsets(path):
    bad = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for pat in PATTERNS:
            if pat.search(line):
                bad.append(f"{path.name}:{n}: {line.strip()}")
    assert not bad, "literal layout offsets (use hllvm/layout.py):\n" + "\n".join(bad)


def test_the_patterns_catch_what_they_are_for():
    for line in ["R[d] = W[a + 2 + i]", "W[p + 2:p + 2 + n] = x", "q = (p << 3) + 16",
                 "o = (a + 2) << 3", "c = U[(r << 1) + 4 + i]", "size = 2 + nf",
                 "heap.alloc(t, n, 2 + words)", "%is8 = icmp eq i64 %tid, 1"]:
        assert any(p.search(line) for p in PATTERNS), line


def test_layout_addresses_agree_with_the_header_size():
    h = layout.HEADER_WORDS
    assert layout.payload_word(100) == 100 + h
    assert layout.payload_byte(100) == (100 + h) * 8
    assert layout.payload_u32(100) == (100 + h) * 2
    assert layout.field_offset(3) == h + 3
    assert layout.block_words(layout.T_STR8, 9) == h + 2
    assert layout.block_words(layout.T_STR32, 3) == h + 2
    assert layout.instance_words(4) == h + 4
    consts = layout.ir_constants()
    assert consts["HEADER_WORDS"] == h and consts["T_STR8"] == layout.T_STR8
