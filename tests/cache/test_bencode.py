"""The encoding of the compile cache's keys and manifests (hl/bencode.py):
writer and reader mirror each other, every value has one encoding, and
anything else is refused with Malformed, never another exception."""

from __future__ import annotations

import random

import pytest

from hl.bencode import MAX_DEPTH, Malformed, dumps, loads, read


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind in (1, 2):
        return rng.choice([0, 1, -1, 9, 10, -10, 1 << 64, -(1 << 70), rng.randrange(-10**6, 10**6)])
    if kind in (3, 4):
        return "".join(rng.choice(["a", "é", "/", ":", "e", "0", "\n", "\udcff", "😀", " "])
                       for _ in range(rng.randrange(6)))
    if kind in (5, 6):
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {str(rng.randrange(100)) + rng.choice(["", "é", "\udcff"]): _value(rng, depth + 1)
            for _ in range(rng.randrange(4))}


def test_values_come_back_as_they_went():
    rng = random.Random(3)
    for _ in range(3000):
        v = _value(rng)
        data = dumps(v)
        assert loads(data) == v and dumps(loads(data)) == data
        assert read(b"xx" + data + b"rest", 2) == (v, 2 + len(data))


def test_the_encoding_by_example():
    assert dumps({"b": [1, -2, "x"], "a": None, "c": (True, False)}) == b"d1:an1:bli1ei-2e1:xe1:cltfee"
    assert dumps("é") == b"2:\xc3\xa9" and dumps(0) == b"i0e" and dumps({}) == b"de"


@pytest.mark.parametrize("data", [
    b"", b" ", b"i", b"ie", b"i-e", b"i01e", b"i-0e", b"i+1e", b"i 1e", b"i1_0e", b"i1.5e", b"i\xd9\xa1e",
    b"i1", b"1", b"1:", b"2:a", b"01:a", b"-1:a", b"1:ab", b"2:\xff\xfe", b"l", b"li1e", b"d", b"d1:a",
    b"d1:ai1e", b"di1ei1ee", b"dlei1ee", b"d1:bi1e1:ai1ee", b"d1:ai1e1:ai2ee", b"x", b"N", b"T", b"nn",
    b"le ", b"i1" + b"0" * 10_000 + b"e", b"9" * 30 + b":x", b"l" * (MAX_DEPTH + 1) + b"e" * (MAX_DEPTH + 1),
    b"l" * 200_000 + b"e" * 200_000,
])
def test_anything_else_is_malformed(data):
    with pytest.raises(Malformed):
        loads(data)


def test_nesting_up_to_the_bound_is_read():
    data = b"l" * MAX_DEPTH + b"e" * MAX_DEPTH
    assert dumps(loads(data)) == data


def test_random_bytes_are_malformed_or_a_value():
    rng = random.Random(8)
    for _ in range(5000):
        data = bytes(rng.choice(b"ilde:0123-nt\xffa") for _ in range(rng.randrange(12)))
        try:
            v = loads(data)
        except Malformed:
            continue
        assert dumps(v) == data


@pytest.mark.parametrize("value", [1.5, b"x", {1: 2}, {"a": object()}, {"a"}])
def test_what_has_no_encoding_is_refused(value):
    with pytest.raises(TypeError):
        dumps(value)
