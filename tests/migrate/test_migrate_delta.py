"""hll/migrate_delta.py: a delta always rebuilds the new snapshot exactly;
it is small when little changed, in place or by blocks inserted or
removed (a breadth-first image shifts); and `apply` reads any bytes as a
delta without failing other than by DeltaError."""

from __future__ import annotations

import random

import pytest

from hll.migrate_delta import PAGE, DeltaError, apply, diff


def delta(old: bytes, new: bytes) -> tuple[bytes, int]:
    parts, carried = diff(old, new)
    return b"".join(bytes(p) for p in parts), carried


def unique(n: int, seed: int) -> bytes:
    """n bytes of words that differ from each other (as a heap's usually do)."""
    rng = random.Random(seed)
    return b"".join(rng.getrandbits(64).to_bytes(8, "little") for _ in range(n // 8))


def roundtrip(old: bytes, new: bytes) -> int:
    d, carried = delta(old, new)
    assert bytes(apply(old, d, len(new))) == new
    assert carried <= len(new)
    return len(d)


def test_first_round_carries_everything():
    new = unique(1 << 20, 1)
    d, carried = delta(b"", new)
    assert carried == len(new) and len(d) < len(new) + 16
    assert bytes(apply(b"", d, len(new))) == new


def test_nothing_changed_is_a_few_bytes():
    data = unique(1 << 20, 2)
    assert roundtrip(data, data) < 16


def test_words_changed_in_place_cost_a_piece_each():
    old = unique(1 << 20, 3)
    new = bytearray(old)
    rng = random.Random(3)
    spots = rng.sample(range(0, len(old) // 8), 40)
    for w in spots:
        new[w * 8:w * 8 + 8] = b"\xAA" * 8
    size = roundtrip(old, bytes(new))
    assert size <= 40 * (256 + 16)


@pytest.mark.parametrize("change", ["insert", "remove"])
def test_a_shift_costs_a_page_or_two_not_the_rest(change):
    """A block inserted (or removed) near the start moves every block after
    it: the delta finds them again at their new offsets."""
    old = unique(2 << 20, 4)
    at = 5000
    new = old[:at] + unique(40, 5) + old[at:] if change == "insert" else old[:at] + old[at + 40:]
    assert roundtrip(old, new) < 3 * PAGE


def test_many_scattered_shifts_and_changes():
    rng = random.Random(6)
    old = unique(1 << 20, 6)
    new = bytearray(old)
    for _ in range(30):
        at = rng.randrange(len(new) // 8) * 8
        if rng.random() < 0.5:
            new[at:at] = unique(8 * rng.randrange(1, 20), rng.random())
        else:
            del new[at:at + 8 * rng.randrange(1, 20)]
        w = rng.randrange(len(new) // 8) * 8
        new[w:w + 8] = b"\x55" * 8
    assert roundtrip(old, bytes(new)) < len(new) // 4


@pytest.mark.parametrize("old_len, new_len", [(0, 0), (0, 5), (5, 0), (100, 7), (PAGE * 3 + 5, PAGE * 2 - 3)])
def test_edges(old_len, new_len):
    roundtrip(unique(old_len + 8, 7)[:old_len], unique(new_len + 8, 8)[:new_len])


def test_random_pairs_round_trip():
    rng = random.Random(9)
    base = unique(64 << 10, 9)
    for _ in range(60):
        old = base[:rng.randrange(len(base))]
        new = bytearray(old)
        for _ in range(rng.randrange(5)):
            at = rng.randrange(len(new) + 1)
            op = rng.randrange(3)
            if op == 0:
                new[at:at] = bytes(rng.getrandbits(8) for _ in range(rng.randrange(300)))
            elif op == 1:
                del new[at:at + rng.randrange(3000)]
            else:
                new[at:at + 3] = b"xyz"
        roundtrip(old, bytes(new))


@pytest.mark.parametrize("d, size, message", [
    (b"\x00\x00\x10", 16, "outside the previous snapshot"),
    (b"\x00\x01\x01", 1, "outside the previous snapshot"),          # offset -1
    (b"\x01\x10ab", 16, "16 bytes of data announced, 2 left"),
    (b"\x01\x02ab", 1, "more than the announced 1 bytes"),
    (b"\x01\x02ab", 3, "makes 2 bytes, 3 were announced"),
    (b"\x09", 0, "unknown op 9"),
    (b"\x01", 0, "ends inside a number"),
    (b"\x01" + b"\x80" * 10 + b"\x01", 0, "longer than 64 bits"),
])
def test_malformed_deltas_are_refused(d, size, message):
    with pytest.raises(DeltaError, match=message):
        apply(b"0123456789", d, size)


def test_any_bytes_are_a_delta_or_refused():
    rng = random.Random(10)
    old = unique(4096, 10)
    good, _ = delta(old, old[:1000] + b"new" + old[1200:])
    for i in range(3000):
        if i % 2:
            d = bytearray(good)
            for _ in range(rng.randrange(1, 4)):
                d[rng.randrange(len(d))] = rng.getrandbits(8)
            d = bytes(d[:rng.randrange(len(d) + 1)])
        else:
            d = bytes(rng.getrandbits(8) for _ in range(rng.randrange(40)))
        size = rng.choice((0, 10, 3899, 4096, 1 << 16))
        try:
            out = apply(old, d, size)
        except DeltaError:
            continue
        assert len(out) == size
